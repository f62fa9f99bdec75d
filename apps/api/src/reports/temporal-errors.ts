// Temporal's client errors, translated into what the API answers: the domain's refusal, or an unknown report.

import { ActivityFailure, ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { IllegalStepCode, IllegalStepError } from '@engine/domain';
import { ILLEGAL_STEP_FAILURE, UNSTORABLE_EVENT_FAILURE } from '../../../../workflows/report-lifecycle.messages';
import { ReportNotFoundError, StaleVersionError, UnstorableInputError } from './reports.service';

export function translateWorkflowError(error: unknown, reportId: string): Error {
  if (error instanceof WorkflowNotFoundError) return new ReportNotFoundError(reportId);
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === ILLEGAL_STEP_FAILURE) {
    const [detail] = (error.cause.details ?? []) as { code?: IllegalStepCode; version?: number }[];
    if (detail?.code === 'version-mismatch' && typeof detail.version === 'number') return new StaleVersionError(detail.version, error.cause.message);
    return new IllegalStepError(detail?.code ?? 'invalid-input', error.cause.message);
  }
  // The append activity failed for good because of what the action holds: the case is unchanged and goes on.
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ActivityFailure) {
    const failure = error.cause.cause;
    if (failure instanceof ApplicationFailure && failure.type === UNSTORABLE_EVENT_FAILURE) {
      return new UnstorableInputError(`${failure.message}. Nothing was stored; correct the request and send it again.`);
    }
  }
  return error instanceof Error ? error : new Error(String(error));
}
