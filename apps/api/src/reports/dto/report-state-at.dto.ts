// `GET /api/reports/:id/state`: the case as it was at a version or an instant of its history.

import { ApiProperty } from '@nestjs/swagger';
import type { ReplayPoint } from '@engine/domain';
import { RequestValidationError } from '../../common/api-error';
import { InstantProperty, QueryIntegerProperty } from '../../common/validation';
import { ReportDetailDto } from './report-detail.dto';

export class ReportStateAtQuery {
  @QueryIntegerProperty({ min: 1, max: 2_147_483_647, description: 'The stream version to fold to (1 = as filed). Either this or at.' })
  atVersion?: number;

  @InstantProperty({ optional: true, description: 'The instant to fold to: every event that occurred by then. Either this or atVersion.' })
  at?: string;

  /** Exactly one of the two: a case has one state at a point, and no point means the current state (GET /api/reports/:id). */
  toPoint(): ReplayPoint {
    if (this.atVersion !== undefined && this.at !== undefined) {
      throw new RequestValidationError([{ field: 'at', problems: ['give either atVersion or at, not both'] }]);
    }
    if (this.atVersion !== undefined) return { atVersion: this.atVersion };
    if (this.at !== undefined) return { at: this.at };
    throw new RequestValidationError([{ field: 'atVersion', problems: ['give atVersion (a stream version from 1) or at (an ISO 8601 instant)'] }]);
  }
}

/** The point of the history a replayed case was folded to. */
export class ReplayedPointDto {
  @ApiProperty({ description: 'The stream version folded to: the last event taken.', example: 3 })
  version!: number;

  @ApiProperty({ type: String, format: 'date-time', description: 'When that event occurred.', example: '2026-02-01T10:05:00.000Z' })
  occurredAt!: string;

  @ApiProperty({ type: String, format: 'date-time', required: false, description: 'The instant asked for (?at=), when it was.', example: '2026-02-01T12:00:00.000Z' })
  requestedAt?: string;

  @ApiProperty({ description: 'How many events the stream holds now: step through 1 … latestVersion.', example: 7 })
  latestVersion!: number;
}

/** The report detail as it was then, and the point it was folded to. */
export class ReportStateAtDto extends ReportDetailDto {
  @ApiProperty({ type: () => ReplayedPointDto })
  asOf!: ReplayedPointDto;
}
