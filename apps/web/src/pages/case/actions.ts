// The back-office actions on a case: which the case allows now (so that only those get a button), their form
// values, the check of those values as the API checks them, and the body each route takes.

import type { paths } from '@engine/api-client';
import type { ApiSchemas, ReportDetail } from '../../api/client';
import type { CloseOutcome, ClockKind, PauseReason, PlatformAnswer } from '../../api/vocabulary';
import { ANSWERS_BY_CLOCK, CLOCK_KINDS } from '../../api/vocabulary';
import { localToInstant } from '../file-report/report-form';

export type ActionName = paths['/api/reports/bulk/{action}']['post']['parameters']['path']['action'];

/** In the order the buttons appear. */
export const ACTIONS: readonly ActionName[] = [
  'triage',
  'deletion-request',
  'data-request',
  'platform-response',
  'removal-verification',
  'escalation',
  'pause',
  'resume',
  'assignment',
  'notes',
  'retriage',
  'duplicate',
  'closure',
  'reopening',
];

/** What each action's route takes as its body, from the generated schema. */
export type ActionBody<A extends ActionName> = NonNullable<paths[`/api/reports/{id}/${A}`]['post']['requestBody']>['content']['application/json'];

/** One form's values for any action (each action reads the fields it needs). */
export interface ActionValues {
  decision: 'actionable' | 'dismiss';
  reason: string;
  category: ApiSchemas['AssessmentDto']['category'] | '';
  severity: ApiSchemas['AssessmentDto']['severity'] | '';
  deletionRequest: boolean;
  subscriberDataRequest: boolean;
  referToProsecution: boolean;
  clock: ClockKind | '';
  response: PlatformAnswer | '';
  result: 'gone' | 'still-online';
  pauseReason: PauseReason | '';
  note: string;
  assignee: string;
  text: string;
  outcome: CloseOutcome | '';
  duplicateOf: string;
  /** When the platform's answer arrived and when it says it gave effect, as <input type="datetime-local"> gives them (local time); empty: not stated. */
  receivedAt: string;
  effectGivenAt: string;
}

const waiting = (detail: ReportDetail) => CLOCK_KINDS.filter((kind) => detail.clocks[kind]?.status === 'running');
/** Requests the platform may still answer: sent, not answered, not cancelled. */
const answerable = (detail: ReportDetail) =>
  CLOCK_KINDS.filter((kind) => {
    const clock = detail.clocks[kind];
    return clock !== undefined && clock.status !== 'answered' && clock.status !== 'cancelled';
  });

function canRequest(detail: ReportDetail, kind: ClockKind): boolean {
  if (detail.status !== 'active' || !detail.assessment) return false;
  const chosen = kind === 'deletion' ? detail.assessment.actions.deletionRequest : detail.assessment.actions.subscriberDataRequest;
  const clock = detail.clocks[kind];
  const fulfilled = clock?.response?.kind === 'removed' || clock?.response?.kind === 'data-supplied';
  return chosen && clock?.status !== 'running' && !fulfilled;
}

/**
 * The actions the case allows in its current state, as the domain's rules on status and requests have them.
 * Finer rules (a closing outcome that does not fit, an assignee already set) stay with the API, whose refusal
 * the form shows.
 */
export function availableActions(detail: ReportDetail): ActionName[] {
  const open = detail.status !== 'closed';
  const allowed: Record<ActionName, boolean> = {
    triage: detail.status === 'in-triage',
    retriage: detail.status === 'active' || detail.status === 'paused',
    'deletion-request': canRequest(detail, 'deletion'),
    'data-request': canRequest(detail, 'subscriber-data'),
    'platform-response': open && answerable(detail).length > 0,
    'removal-verification': open && detail.clocks.deletion?.status === 'answered' && detail.clocks.deletion.removal === 'unverified',
    escalation: detail.status === 'active' && waiting(detail).some((kind) => detail.clocks[kind]?.step !== 'app-store-pressure'),
    pause: detail.status === 'active',
    resume: detail.status === 'paused',
    // Notes and assignment remain possible on a closed case.
    assignment: true,
    notes: true,
    closure: open,
    reopening: detail.status === 'closed',
    duplicate: open,
  };
  return ACTIONS.filter((action) => allowed[action]);
}

/** A form's starting values, filled from the case where that helps (its assessment, the request waiting). */
export function initialValues(detail?: ReportDetail): ActionValues {
  const assessment = detail?.assessment;
  const firstAnswerable = detail ? answerable(detail)[0] : undefined;
  return {
    decision: 'actionable',
    reason: '',
    category: assessment?.category ?? '',
    severity: assessment?.severity ?? '',
    deletionRequest: assessment?.actions.deletionRequest ?? true,
    subscriberDataRequest: assessment?.actions.subscriberDataRequest ?? false,
    referToProsecution: assessment?.actions.referToProsecution ?? false,
    clock: firstAnswerable ?? (detail ? waiting(detail)[0] : undefined) ?? '',
    response: '',
    result: 'gone',
    pauseReason: '',
    note: '',
    assignee: detail?.assignee ?? '',
    text: '',
    outcome: '',
    duplicateOf: '',
    receivedAt: '',
    effectGivenAt: '',
  };
}

export type ActionError =
  | 'required'
  | 'blank'
  | 'too-long'
  | 'does-not-fit'
  /** Not a date and time. */
  | 'not-a-time'
  /** Later than now. */
  | 'in-future'
  /** The answer before the request was sent. */
  | 'before-request'
  /** Effect given with a refusal. */
  | 'not-with-refusal'
  /** Effect given after the answer arrived. */
  | 'after-answer';
export type ActionErrors = Partial<Record<keyof ActionValues, ActionError>>;

/** What the checks need beyond the form: the time now and the case acted on (absent for a bulk action). */
export interface ActionContext {
  now?: number;
  detail?: ReportDetail;
}

const MAX_TEXT = 2000;
const blank = (text: string) => text.trim() === '';

/** The values' problems as the API would find them (required fields, blank text, an answer that does not fit). */
export function validateAction(action: ActionName, values: ActionValues, context: ActionContext = {}): ActionErrors {
  const errors: ActionErrors = {};
  const text = (field: 'reason' | 'note' | 'assignee' | 'text' | 'duplicateOf', optional = false) => {
    const value = values[field];
    if (value === '' && optional) return;
    if (blank(value)) errors[field] = value === '' ? 'required' : 'blank';
    else if (value.length > MAX_TEXT) errors[field] = 'too-long';
  };
  const choice = (field: 'category' | 'severity' | 'clock' | 'response' | 'pauseReason' | 'outcome') => {
    if (values[field] === '') errors[field] = 'required';
  };
  switch (action) {
    case 'triage':
      if (values.decision === 'dismiss') text('reason');
      else {
        choice('category');
        choice('severity');
      }
      break;
    case 'retriage':
      choice('category');
      choice('severity');
      text('reason');
      break;
    case 'platform-response':
      choice('clock');
      choice('response');
      if (values.clock && values.response && !ANSWERS_BY_CLOCK[values.clock].includes(values.response)) errors.response = 'does-not-fit';
      if (values.response === 'refused' || values.response === 'data-refused') text('reason');
      else text('reason', true);
      Object.assign(errors, answerTimeErrors(values, context));
      break;
    case 'escalation':
      choice('clock');
      text('reason');
      break;
    case 'pause':
      choice('pauseReason');
      text('note', true);
      break;
    case 'assignment':
      text('assignee');
      break;
    case 'notes':
      text('text');
      break;
    case 'closure':
      choice('outcome');
      text('note', true);
      break;
    case 'reopening':
      text('reason');
      break;
    case 'duplicate':
      text('duplicateOf');
      break;
    case 'deletion-request':
    case 'data-request':
    case 'removal-verification':
    case 'resume':
      break;
    default: {
      const _exhaustive: never = action;
      throw new Error(`unknown action ${String(_exhaustive)}`);
    }
  }
  return errors;
}

const REFUSALS: readonly string[] = ['refused', 'data-refused'] satisfies PlatformAnswer[];

/**
 * The answer's times as the domain checks them: an arrival not later than now and not before the request was
 * sent; effect given not with a refusal and not after the answer arrived (or now, when the arrival is not stated).
 */
function answerTimeErrors(values: ActionValues, { now = Date.now(), detail }: ActionContext): ActionErrors {
  const errors: ActionErrors = {};
  const received = values.receivedAt === '' ? undefined : localToInstant(values.receivedAt);
  const requestedAt = values.clock && detail?.clocks[values.clock]?.requestedAt;
  if (values.receivedAt !== '') {
    if (received === undefined) errors.receivedAt = 'not-a-time';
    else if (Date.parse(received) > now) errors.receivedAt = 'in-future';
    else if (requestedAt && Date.parse(received) < Date.parse(requestedAt)) errors.receivedAt = 'before-request';
  }
  if (values.effectGivenAt !== '') {
    const effect = localToInstant(values.effectGivenAt);
    if (effect === undefined) errors.effectGivenAt = 'not-a-time';
    else if (REFUSALS.includes(values.response)) errors.effectGivenAt = 'not-with-refusal';
    else if (Date.parse(effect) > now) errors.effectGivenAt = 'in-future';
    else if (received !== undefined && Date.parse(effect) > Date.parse(received)) errors.effectGivenAt = 'after-answer';
  }
  return errors;
}

const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());

/** The body the action's route takes. Call after validateAction found nothing. */
export function actionBody<A extends ActionName>(action: A, values: ActionValues): ActionBody<A>;
export function actionBody(action: ActionName, v: ActionValues): ActionBody<ActionName> {
  const actions = { deletionRequest: v.deletionRequest, subscriberDataRequest: v.subscriberDataRequest, referToProsecution: v.referToProsecution };
  switch (action) {
    case 'triage':
      return v.decision === 'dismiss'
        ? ({ decision: 'dismiss', reason: v.reason.trim() } satisfies ActionBody<'triage'>)
        : ({ decision: 'actionable', category: v.category || undefined, severity: v.severity || undefined, actions } satisfies ActionBody<'triage'>);
    case 'retriage':
      return { category: v.category as Exclude<ActionValues['category'], ''>, severity: v.severity as Exclude<ActionValues['severity'], ''>, actions, reason: v.reason.trim() } satisfies ActionBody<'retriage'>;
    case 'platform-response':
      return {
        clock: v.clock as ClockKind,
        response: v.response as PlatformAnswer,
        reason: optional(v.reason),
        receivedAt: v.receivedAt === '' ? undefined : localToInstant(v.receivedAt),
        effectGivenAt: v.effectGivenAt === '' ? undefined : localToInstant(v.effectGivenAt),
      } satisfies ActionBody<'platform-response'>;
    case 'removal-verification':
      return { result: v.result } satisfies ActionBody<'removal-verification'>;
    case 'escalation':
      return { clock: v.clock as ClockKind, reason: v.reason.trim() } satisfies ActionBody<'escalation'>;
    case 'pause':
      return { reason: v.pauseReason as PauseReason, note: optional(v.note) } satisfies ActionBody<'pause'>;
    case 'assignment':
      return { assignee: v.assignee.trim() } satisfies ActionBody<'assignment'>;
    case 'notes':
      return { text: v.text.trim() } satisfies ActionBody<'notes'>;
    case 'closure':
      return { outcome: v.outcome as CloseOutcome, note: optional(v.note) } satisfies ActionBody<'closure'>;
    case 'reopening':
      return { reason: v.reason.trim() } satisfies ActionBody<'reopening'>;
    case 'duplicate':
      return { duplicateOf: v.duplicateOf.trim() } satisfies ActionBody<'duplicate'>;
    case 'deletion-request':
    case 'data-request':
    case 'resume':
      return {};
    default: {
      const _exhaustive: never = action;
      throw new Error(`unknown action ${String(_exhaustive)}`);
    }
  }
}
