// Temporal's client errors, translated into what the API answers: the domain's refusal, or an unknown report.

import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { IllegalStepCode, IllegalStepError } from '@engine/domain';
import { ILLEGAL_STEP_FAILURE } from '../../../../workflows/report-lifecycle.messages';
import { ReportNotFoundError } from './reports.service';

export function translateWorkflowError(error: unknown, reportId: string): Error {
  if (error instanceof WorkflowNotFoundError) return new ReportNotFoundError(reportId);
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === ILLEGAL_STEP_FAILURE) {
    const [detail] = (error.cause.details ?? []) as { code?: IllegalStepCode }[];
    return new IllegalStepError(detail?.code ?? 'invalid-input', error.cause.message);
  }
  return error instanceof Error ? error : new Error(String(error));
}
