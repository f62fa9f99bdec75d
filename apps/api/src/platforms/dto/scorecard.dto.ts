// What `GET /api/platforms/:platform/scorecard` answers: how a platform cooperated in a period.

import { ApiProperty } from '@nestjs/swagger';
import type { PlatformScorecard } from '@engine/read-model';

const percent = (of: string) => ApiProperty({ type: Number, nullable: true, description: `Percent of ${of}, one decimal; null when there were none.`, example: 40 });

export class PeriodDto {
  @ApiProperty({ type: String, format: 'date-time' })
  from!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'Exclusive.' })
  to!: string;
}

export class DeletionRequestFiguresDto {
  @ApiProperty({ description: 'Deletion requests sent in the period.', example: 10 })
  sent!: number;

  @ApiProperty({ example: 4 })
  removed!: number;

  @ApiProperty({ example: 1 })
  partiallyRemoved!: number;

  @ApiProperty({ example: 2 })
  refused!: number;

  @percent('the requests sent that led to removal')
  removedPercent!: number | null;
}

export class SubscriberDataRequestFiguresDto {
  @ApiProperty({ description: 'Subscriber-data requests sent in the period.', example: 2 })
  sent!: number;

  @ApiProperty({ example: 1 })
  answered!: number;

  @ApiProperty({ example: 0 })
  supplied!: number;

  @percent('the requests sent that were answered')
  answeredPercent!: number | null;

  @percent('the answered requests that supplied data')
  suppliedPercent!: number | null;
}

export class ScorecardDto implements PlatformScorecard {
  @ApiProperty({ example: 'telegram' })
  platform!: string;

  @ApiProperty({ type: () => PeriodDto })
  period!: PeriodDto;

  @ApiProperty({ type: () => DeletionRequestFiguresDto })
  deletionRequests!: DeletionRequestFiguresDto;

  @ApiProperty({ type: () => SubscriberDataRequestFiguresDto })
  subscriberDataRequests!: SubscriberDataRequestFiguresDto;

  @ApiProperty({ description: 'Requests of the period that went past the standard contact.', example: 5 })
  escalatedRequests!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Median hours from request to removal or data supplied, to three significant digits (ten minutes: 0.167); null when none.', example: 30.5 })
  medianHoursToEffect!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The same median in whole seconds; null when none.', example: 109800 })
  medianSecondsToEffect!: number | null;

  @ApiProperty({ description: "The platform's cases overdue now: a deadline passed, or a request ran through its whole ladder unanswered.", example: 3 })
  overdueNow!: number;
}
