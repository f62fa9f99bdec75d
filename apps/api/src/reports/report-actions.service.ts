// Runs back-office actions through the ReportsService: one at a time for a route, or over many reports for
// a bulk request, where each report's outcome is listed (partial failures are never hidden).

import { Injectable } from '@nestjs/common';
import type { ReportState } from '@engine/domain';
import { describeError } from '../common/api-error';
import { plainData, validateAs } from '../common/validation';
import { outcomeOf } from '../metrics/action-outcomes';
import { MetricsService } from '../metrics/metrics.service';
import type { ReportActionType } from '../../../../workflows/report-lifecycle.messages';
import { BulkItemResultDto as BulkItemResult } from './dto/bulk-result.dto';
import { REPORT_ACTION_ROUTES, ReportActionRoute } from './dto/report-actions.dto';
import { ActionOptions, Actor, ReportsService } from './reports.service';

/** How many reports of one bulk request are worked on at once: bounded so one request cannot flood Temporal. */
export const BULK_CONCURRENCY = 8;

@Injectable()
export class ReportActionsService {
  constructor(
    private readonly reports: ReportsService,
    private readonly metrics: MetricsService,
  ) {}

  /** One action; a single route's outcome is counted by the route (ActionOutcomeInterceptor), a bulk item's below. */
  act(reportId: string, action: ReportActionType, data: object, actor: Actor, options: ActionOptions = {}): Promise<ReportState> {
    return this.reports.act(reportId, action, plainData(data), actor, options);
  }

  /** Validates `data` as the route's body (problems under `data.`), then acts on each id; results in id order. */
  async bulk(route: ReportActionRoute, ids: string[], data: object | undefined, actor: Actor): Promise<BulkItemResult[]> {
    const { type, body } = REPORT_ACTION_ROUTES[route];
    const validated = await validateAs(body as new () => object, data ?? {}, 'data');
    const results: BulkItemResult[] = new Array(ids.length);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const index = next++;
        results[index] = await this.one(ids[index], type, validated, actor);
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, ids.length) }, worker));
    return results;
  }

  private async one(reportId: string, type: ReportActionType, data: object, actor: Actor): Promise<BulkItemResult> {
    try {
      const state = await this.act(reportId, type, data, actor);
      this.metrics.countAction(type, 'accepted');
      return { reportId, ok: true, status: state.status };
    } catch (error) {
      this.metrics.countAction(type, outcomeOf(error));
      // The same mapping as the error filter, so an item fails exactly as the single route would.
      const described = describeError(error);
      const result: BulkItemResult = {
        reportId,
        ok: false,
        httpStatus: described.statusCode,
        error: described.error,
        message: described.message,
      };
      const details = described.details;
      if (details && !Array.isArray(details) && typeof details.code === 'string') result.code = details.code;
      return result;
    }
  }
}
