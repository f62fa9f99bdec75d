// What `GET /api/reports/:id/events` answers: the stored event stream and whether its hash chain verifies.

import { ApiProperty } from '@nestjs/swagger';
import { REPORT_EVENT_TYPES } from '@engine/contracts';

export class ReportEventDto {
  @ApiProperty({ description: "The event's position in the report's stream, from 1.", example: 1 })
  streamVersion!: number;

  @ApiProperty()
  eventId!: string;

  @ApiProperty({ enum: REPORT_EVENT_TYPES, description: "Each type's data schema: GET /api/contracts/schemas." })
  type!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's data, as GET /api/contracts/schemas/{type}.v1.json describes it." })
  data!: Record<string, unknown>;

  @ApiProperty({ description: 'Who caused it: a username, or the engine (timer, system).', example: 'sam' })
  actor!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'When it happened, as the decision saw the time.' })
  occurredAt!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'When the store recorded it.' })
  recordedAt!: string;
}

export class StreamIntegrityDto {
  @ApiProperty({ description: "Whether every event's hash chains to the one before." })
  verified!: boolean;

  @ApiProperty({ required: false, description: 'The first version that does not verify.' })
  brokenAtVersion?: number;

  @ApiProperty({ required: false })
  reason?: string;
}

export class ReportEventStreamDto {
  @ApiProperty({ example: 'R-20260201-3f9a1c07' })
  reportId!: string;

  @ApiProperty({ type: () => [ReportEventDto] })
  events!: ReportEventDto[];

  @ApiProperty({ type: () => StreamIntegrityDto })
  integrity!: StreamIntegrityDto;
}
