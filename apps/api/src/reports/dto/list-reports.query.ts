import { LIST_SORTS, ReportListFilter } from '@engine/read-model';
import {
  EnumProperty,
  PlatformProperty,
  QueryBooleanProperty,
  QueryIntegerProperty,
  TextProperty,
} from '../../common/validation';
import { SEVERITIES, Severity } from '@engine/domain';

export const REPORT_STATUSES = ['in-triage', 'active', 'paused', 'closed'] as const;
export const REPORT_SORTS = LIST_SORTS;

export class ListReportsQuery {
  @EnumProperty(REPORT_STATUSES, { optional: true })
  status?: (typeof REPORT_STATUSES)[number];

  @PlatformProperty({ optional: true })
  platform?: string;

  @EnumProperty(SEVERITIES, { optional: true })
  severity?: Severity;

  @TextProperty({ optional: true, maxLength: 200 })
  assignee?: string;

  @QueryBooleanProperty({
    description: 'true: only cases overdue now (a deadline passed, or a request ran through its whole ladder unanswered); false: only cases not overdue.',
  })
  overdue?: boolean;

  @TextProperty({ optional: true, maxLength: 200, description: 'Searches id, excerpt, locations and reference.' })
  text?: string;

  @EnumProperty(REPORT_SORTS, {
    optional: true,
    description: 'urgency (default): most overdue first, then the soonest deadline, cases without one last; nextDeadline: soonest running deadline first; filedAt: newest first.',
  })
  sort?: (typeof REPORT_SORTS)[number];

  @QueryIntegerProperty({ min: 1, max: 200, default: 50 })
  limit?: number;

  @QueryIntegerProperty({ min: 0, max: 1_000_000, default: 0 })
  offset?: number;

  /** The read model's filter; `now` decides what is overdue. */
  toFilter(now: Date): ReportListFilter {
    const filter: ReportListFilter = { sort: this.sort ?? 'urgency', limit: this.limit ?? 50, offset: this.offset ?? 0 };
    if (this.status) filter.status = this.status;
    if (this.platform) filter.platform = this.platform;
    if (this.severity) filter.severity = this.severity;
    if (this.assignee) filter.assignee = this.assignee;
    if (this.text) filter.text = this.text;
    if (this.overdue !== undefined) {
      filter.overdue = this.overdue;
      filter.now = now.toISOString();
    }
    return filter;
  }
}
