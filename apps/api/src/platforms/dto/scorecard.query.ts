import { RequestValidationError } from '../../common/api-error';
import { InstantProperty } from '../../common/validation';

const DAY_MS = 24 * 3_600_000;
export const DEFAULT_PERIOD_DAYS = 30;

export class ScorecardQuery {
  @InstantProperty({ optional: true, description: `Start of the period; default ${DEFAULT_PERIOD_DAYS} days before "to".` })
  from?: string;

  @InstantProperty({ optional: true, description: 'End of the period; default now.' })
  to?: string;

  /** The period asked for, with defaults filled in; a period that ends before it starts is refused. */
  toPeriod(now: Date): { from: string; to: string } {
    const to = this.to ? new Date(this.to) : now;
    const from = this.from ? new Date(this.from) : new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS);
    if (from.getTime() >= to.getTime()) {
      throw new RequestValidationError([{ field: 'from', problems: ['from must be before to'] }]);
    }
    return { from: from.toISOString(), to: to.toISOString() };
  }
}
