import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { InvalidPeriodError, reportingPeriods, ReportingPeriod } from '@engine/domain';
import { RequestValidationError } from '../../common/api-error';
import { EnumProperty, InstantProperty } from '../../common/validation';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class CooperationReportQuery {
  @ApiProperty({
    required: false,
    type: String,
    description: 'A calendar month (2026-11) or quarter (2026-Q4) in German local time, compared with the one before; instead of from and to.',
    example: '2026-11',
  })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, { message: 'period must be a month such as 2026-11 or a quarter such as 2026-Q4' })
  period?: string;

  @InstantProperty({ optional: true, description: 'Start of the period (requests sent from then); default 30 days before "to". Compared with the span of the same length before it.' })
  from?: string;

  @InstantProperty({ optional: true, description: 'End of the period, exclusive; default now.' })
  to?: string;

  @EnumProperty(REPORT_FORMATS, { optional: true, description: 'csv: the same figures as a spreadsheet (as Accept: text/csv does); default json.' })
  format?: ReportFormat;

  /** The period asked for and the one it is compared with; a period that cannot be read is refused (400). */
  toPeriods(now: Date): { current: ReportingPeriod; previous: ReportingPeriod } {
    try {
      return reportingPeriods({ period: this.period, from: this.from, to: this.to }, now.toISOString());
    } catch (error) {
      if (error instanceof InvalidPeriodError) throw new RequestValidationError([{ field: error.field, problems: [error.message] }]);
      throw error;
    }
  }
}
