// What `GET /api/reports/:id/timeline` answers: the case's history from the read model, each event in words.

import { ApiProperty } from '@nestjs/swagger';
import { REPORT_EVENT_TYPES } from '@engine/contracts';

export class TimelineEntryDto {
  @ApiProperty({ description: "The event's position in the report's stream, from 1.", example: 4 })
  streamVersion!: number;

  @ApiProperty({ description: 'The event behind the line (GET /api/reports/{id}/events has its data).' })
  eventId!: string;

  @ApiProperty({ enum: REPORT_EVENT_TYPES, example: 'RequestEscalated' })
  type!: string;

  @ApiProperty({
    description: 'What happened, in words a back office reads.',
    example: 'Deadline elapsed: the deletion request escalated to the high-level contact, due 2026-02-04T09:00:00.000Z',
  })
  summary!: string;

  @ApiProperty({ description: 'Who did it: a username, or the engine (`system:timer`, `system:…`).', example: 'system:timer' })
  actor!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'When it happened, as the decision saw the time.' })
  occurredAt!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'When the event store recorded it.' })
  recordedAt!: string;
}

export class ReportTimelineDto {
  @ApiProperty({ example: 'R-20260201-3f9a1c07' })
  reportId!: string;

  @ApiProperty({
    type: () => [TimelineEntryDto],
    description: 'Oldest first. The read model follows the event store within moments: a report filed a moment ago may show no line yet.',
  })
  entries!: TimelineEntryDto[];
}
