// The business rules of a report's lifecycle: a command and the current state in, new events out.
// Pure: time comes from the command's metadata; an illegal step throws IllegalStepError and yields nothing.

import { IllegalStepError } from '../errors';
import { Metadata } from '../event-sourcing';
import { ClockKind, LADDER_STEPS, LadderStep, nextStep, policyProblems, stepDeadline } from '../policy/escalation-policy';
import { isInstant, toInstant, toMillis } from '../time/instant';
import {
  AddNote,
  ApplyPolicy,
  AssignCase,
  CloseCase,
  Escalate,
  FileReport,
  MarkDuplicate,
  PauseCase,
  RecordDeadlineElapsed,
  RecordPlatformResponse,
  ReopenCase,
  ReportCommand,
  RequestDeletion,
  RequestSubscriberData,
  ResumeCase,
  RetriageReport,
  TriageReport,
  VerifyRemoval,
} from './commands';
import { AnswerTimes, DeadlineChange, ReportEvent, ReportTriaged } from './events';
import { evolve } from './evolve';
import { FiledReportState, OpenReportState, ReportState, RequestClock, TriagedReportState } from './state';
import {
  CLOSE_OUTCOMES,
  DELETION_RESPONSES,
  OFFENCE_CATEGORIES,
  PAUSE_REASONS,
  REMOVAL_CHECKS,
  REPORTING_CHANNELS,
  SUBSCRIBER_DATA_RESPONSES,
  TriageActions,
} from './vocabulary';

const MAX_TEXT = 10_000;

/** Rules a host switches off to replay histories recorded before they existed (the workflow, behind patches). */
export interface DecideOptions {
  /** A request to the platform only when triage chose it (default true). */
  requestsFollowTriage?: boolean;
}

export function decide(command: ReportCommand, state: ReportState, options: DecideOptions = {}): ReportEvent[] {
  checkMetadata(command.metadata);
  const { expectedVersion, ...metadata } = command.metadata;
  if (expectedVersion !== undefined) requireVersion(state, expectedVersion);
  return decideAtVersion({ ...command, metadata } as ReportCommand, state, options);
}

function decideAtVersion(command: ReportCommand, state: ReportState, options: DecideOptions): ReportEvent[] {
  const requestsFollowTriage = options.requestsFollowTriage ?? true;
  switch (command.type) {
    case 'FileReport':
      return fileReport(command, state);
    case 'TriageReport':
      return triageReport(command, state);
    case 'RetriageReport':
      return retriageReport(command, state);
    case 'RequestDeletion':
      return requestDeletion(command, state, requestsFollowTriage);
    case 'RequestSubscriberData':
      return requestSubscriberData(command, state, requestsFollowTriage);
    case 'RecordPlatformResponse':
      return recordPlatformResponse(command, state);
    case 'VerifyRemoval':
      return verifyRemoval(command, state);
    case 'Escalate':
      return escalate(command, state);
    case 'RecordDeadlineElapsed':
      return recordDeadlineElapsed(command, state);
    case 'PauseCase':
      return pauseCase(command, state);
    case 'ResumeCase':
      return resumeCase(command, state);
    case 'AssignCase':
      return assignCase(command, state);
    case 'AddNote':
      return addNote(command, state);
    case 'CloseCase':
      return closeCase(command, state);
    case 'ReopenCase':
      return reopenCase(command, state);
    case 'MarkDuplicate':
      return markDuplicate(command, state);
    case 'ApplyPolicy':
      return applyPolicy(command, state);
    default: {
      const _exhaustive: never = command;
      throw new IllegalStepError('invalid-input', `Unknown command ${(_exhaustive as { type: string }).type}`);
    }
  }
}

// ---- commands ---------------------------------------------------------------------------------------------

function fileReport({ data, metadata }: FileReport, state: ReportState): ReportEvent[] {
  if (state.status !== 'not-filed') {
    throw new IllegalStepError('already-filed', `Report ${state.report.reportId} has already been filed.`);
  }
  requireText(data.reportId, 'the report id');
  requireText(data.platform, 'the platform');
  requireOneOf(data.channel, REPORTING_CHANNELS, 'the reporting channel');
  if (!Array.isArray(data.contentLocations) || data.contentLocations.length === 0) {
    invalid('A report must name at least one content location (a URL, or a channel with message ids).');
  }
  for (const location of data.contentLocations) {
    if (!location || (!nonEmpty(location.url) && !nonEmpty(location.channel))) {
      invalid('Each content location needs a URL or a channel.');
    }
  }
  requireText(data.excerpt, 'the excerpt');
  requireText(data.evidenceHash, 'the evidence hash');
  requireText(data.reporterReference, "the reporter's reference");
  if (!isInstant(data.seenAt)) invalid('When the content was seen must be an ISO 8601 instant.');
  const problems = policyProblems(data.policy);
  if (problems.length > 0) throw new IllegalStepError('invalid-policy', `The escalation policy is invalid: ${problems.join('; ')}.`);
  if (data.policy.platform !== data.platform) {
    throw new IllegalStepError('policy-not-for-platform', `The policy is for ${data.policy.platform}, not for ${data.platform}.`);
  }
  return [{ type: 'ReportFiled', data: { ...data }, metadata }];
}

function triageReport({ data, metadata }: TriageReport, state: ReportState): ReportEvent[] {
  const filed = requireOpen(state);
  if (filed.status !== 'in-triage') {
    throw new IllegalStepError('already-triaged', 'This report has already been triaged.');
  }
  if (data.decision === 'dismiss') {
    requireText(data.reason, 'the reason for dismissing');
    return [
      { type: 'ReportDismissed', data: { reason: data.reason }, metadata },
      { type: 'ReportClosed', data: { outcome: 'dismissed', note: data.reason }, metadata },
    ];
  }
  if (data.decision !== 'actionable') invalid('Triage must either dismiss the report or find it actionable.');
  return [{ type: 'ReportTriaged', data: checkedAssessment(data), metadata }];
}

function retriageReport({ data, metadata }: RetriageReport, state: ReportState): ReportEvent[] {
  const filed = requireOpen(state);
  if (filed.status === 'in-triage') throw new IllegalStepError('not-triaged', 'The report has not been triaged yet: triage it instead.');
  requireText(data.reason, 'the reason for re-triaging');
  const assessment = checkedAssessment(data);
  const previous = filed.assessment;
  const unchanged =
    assessment.category === previous.category &&
    assessment.severity === previous.severity &&
    (Object.keys(assessment.actions) as (keyof typeof assessment.actions)[]).every((key) => assessment.actions[key] === previous.actions[key]);
  if (unchanged) throw new IllegalStepError('assessment-unchanged', 'The re-triage changes neither category, severity nor actions.');
  for (const [kind, chosen] of [['deletion', assessment.actions.deletionRequest], ['subscriber-data', assessment.actions.subscriberDataRequest]] as const) {
    const clock = filed.clocks[kind];
    if (!chosen && clock && clock.status !== 'cancelled') {
      throw new IllegalStepError('action-already-taken', `The ${requestName(kind)} was already sent, so it stays among the actions.`);
    }
  }
  const deadlines: DeadlineChange[] =
    assessment.severity === previous.severity
      ? []
      : waitingClocks(filed).map((clock) => ({
          clock: clock.kind,
          step: clock.step,
          previousDeadline: clock.deadline,
          // From the step's original start under the new severity; time already paused still counts.
          deadline: toInstant(stepDeadline(filed.policy, assessment.severity, clock.kind, clock.step, toMillis(clock.stepStartedAt)) + clock.pausedMsInStep),
        }));
  const retriaged: ReportEvent = {
    type: 'ReportRetriaged',
    data: { ...assessment, reason: data.reason, previous: { category: previous.category, severity: previous.severity, actions: { ...previous.actions } }, deadlines },
    metadata,
  };
  const after = evolve(filed, retriaged);
  // As with a policy change: a deadline now in the past elapses at once (a paused case's when it resumes).
  return [retriaged, ...(after.status === 'active' ? elapseOverdue(after, metadata) : [])];
}

/** Category, severity and the three actions, checked as triage and re-triage take them. */
function checkedAssessment(data: { category: unknown; severity: unknown; actions: unknown }): ReportTriaged['data'] {
  requireOneOf(data.category, OFFENCE_CATEGORIES, 'the category');
  requireOneOf(data.severity, ['critical', 'high', 'standard'] as const, 'the severity');
  const actions = data.actions as Partial<Record<keyof TriageActions, unknown>> | undefined;
  if (!actions || typeof actions.deletionRequest !== 'boolean' || typeof actions.subscriberDataRequest !== 'boolean' || typeof actions.referToProsecution !== 'boolean') {
    invalid('Triage must say for each action (deletion request, subscriber-data request, referral) whether to take it.');
  }
  return {
    category: data.category,
    severity: data.severity,
    actions: { deletionRequest: actions.deletionRequest, subscriberDataRequest: actions.subscriberDataRequest, referToProsecution: actions.referToProsecution },
  };
}

function requestDeletion({ metadata }: RequestDeletion, state: ReportState, followTriage: boolean): ReportEvent[] {
  const triaged = requireActive(state, 'send a deletion request');
  if (followTriage) requireChosenAtTriage(triaged, 'deletion');
  requireNewRequest(triaged, 'deletion');
  const deadline = firstDeadline(triaged, 'deletion', metadata.now);
  return [{ type: 'DeletionRequested', data: { step: 'standard-contact', deadline, policyVersion: triaged.policy.version }, metadata }];
}

function requestSubscriberData({ metadata }: RequestSubscriberData, state: ReportState, followTriage: boolean): ReportEvent[] {
  const triaged = requireActive(state, 'send a subscriber-data request');
  if (followTriage) requireChosenAtTriage(triaged, 'subscriber-data');
  requireNewRequest(triaged, 'subscriber-data');
  const deadline = firstDeadline(triaged, 'subscriber-data', metadata.now);
  return [
    { type: 'SubscriberDataRequested', data: { step: 'standard-contact', deadline, policyVersion: triaged.policy.version }, metadata },
  ];
}

function recordPlatformResponse({ data, metadata }: RecordPlatformResponse, state: ReportState): ReportEvent[] {
  const filed = requireOpen(state);
  requireOneOf(data.clock, ['deletion', 'subscriber-data'] as const, 'the request');
  const clock = filed.clocks[data.clock];
  const name = requestName(data.clock);
  if (!clock || clock.status === 'cancelled') {
    throw new IllegalStepError('request-not-sent', `No ${name} has been sent for this report, so there is no response to record.`);
  }
  if (clock.status === 'answered') {
    throw new IllegalStepError('response-already-recorded', `The platform's response to the ${name} is already recorded.`);
  }
  const reason = data.reason?.trim() ? data.reason : undefined;
  if ((data.response === 'refused' || data.response === 'data-refused') && !reason) {
    throw new IllegalStepError('reason-required', "A refusal must be recorded with the platform's reason.");
  }
  if (data.reason !== undefined && data.reason.length > MAX_TEXT) invalid(`The reason is longer than ${MAX_TEXT} characters.`);
  const times = answerTimes(data, clock, metadata.now);
  const step = clock.step;
  if (data.clock === 'deletion') {
    if (!includes(DELETION_RESPONSES, data.response)) {
      throw new IllegalStepError('response-does-not-fit-request', `"${data.response}" is not a response to a deletion request (expected one of ${DELETION_RESPONSES.join(', ')}).`);
    }
    return [{ type: 'PlatformResponseRecorded', data: { clock: 'deletion', response: data.response, step, ...(reason && { reason }), ...times }, metadata }];
  }
  if (!includes(SUBSCRIBER_DATA_RESPONSES, data.response)) {
    throw new IllegalStepError('response-does-not-fit-request', `"${data.response}" is not a response to a subscriber-data request (expected one of ${SUBSCRIBER_DATA_RESPONSES.join(', ')}).`);
  }
  return [{ type: 'PlatformResponseRecorded', data: { clock: 'subscriber-data', response: data.response, step, ...(reason && { reason }), ...times }, metadata }];
}

/**
 * When the answer arrived and when the platform says it gave effect, as given: an arrival not after it is recorded
 * and not before the request was sent; effect given not after the answer arrived, and only with an answer that gives
 * effect (a removal, data supplied).
 */
function answerTimes(data: RecordPlatformResponse['data'], clock: RequestClock, now: string): AnswerTimes {
  const { receivedAt, effectGivenAt } = data;
  if (receivedAt !== undefined) {
    if (!isInstant(receivedAt)) invalid('When the answer arrived (receivedAt) must be an ISO 8601 instant.');
    if (toMillis(receivedAt) > toMillis(now)) invalid('The answer cannot have arrived (receivedAt) after it is recorded.');
    if (toMillis(receivedAt) < toMillis(clock.requestedAt)) invalid(`The answer cannot have arrived (receivedAt) before the request was sent at ${clock.requestedAt}.`);
  }
  if (effectGivenAt !== undefined) {
    if (!isInstant(effectGivenAt)) invalid('When effect was given (effectGivenAt) must be an ISO 8601 instant.');
    if (data.response === 'refused' || data.response === 'data-refused') invalid('A refusal gives no effect: effectGivenAt goes with a removal or data supplied.');
    if (toMillis(effectGivenAt) > toMillis(receivedAt ?? now)) invalid('Effect cannot have been given (effectGivenAt) after the answer arrived.');
  }
  return { ...(receivedAt !== undefined && { receivedAt: toInstant(toMillis(receivedAt)) }), ...(effectGivenAt !== undefined && { effectGivenAt: toInstant(toMillis(effectGivenAt)) }) };
}

function verifyRemoval({ data, metadata }: VerifyRemoval, state: ReportState): ReportEvent[] {
  const triaged = requireActive(state, 'verify a removal');
  requireOneOf(data.result, REMOVAL_CHECKS, 'the verification result');
  const clock = triaged.clocks.deletion;
  if (!clock || clock.status !== 'answered' || clock.removal !== 'unverified') {
    throw new IllegalStepError('no-removal-to-verify', 'The platform has not claimed a removal that is still to be verified.');
  }
  if (data.result === 'gone') return [{ type: 'RemovalConfirmed', data: {}, metadata }];
  const deadline = toInstant(stepDeadline(triaged.policy, triaged.assessment.severity, 'deletion', clock.step, toMillis(metadata.now)));
  return [{ type: 'RemovalContradicted', data: { step: clock.step, deadline }, metadata }];
}

function escalate({ data, metadata }: Escalate, state: ReportState): ReportEvent[] {
  const triaged = requireActive(state, 'escalate');
  requireText(data.reason, 'the reason for escalating');
  const clock = requireRunningClock(triaged, data.clock);
  const to = nextStep(clock.step);
  if (!to) {
    throw new IllegalStepError('last-step-reached', `The ${requestName(clock.kind)} is already at app-store pressure, the last step of the ladder.`);
  }
  return [escalation(triaged, clock, to, 'staff', metadata, data.reason)];
}

function recordDeadlineElapsed({ data, metadata }: RecordDeadlineElapsed, state: ReportState): ReportEvent[] {
  const triaged = requireActive(state, 'let a deadline elapse');
  const clock = requireRunningClock(triaged, data.clock);
  if (clock.step !== data.step) {
    throw new IllegalStepError('step-mismatch', `The ${requestName(clock.kind)} is at step ${clock.step}, not ${data.step}.`);
  }
  if (toMillis(metadata.now) < toMillis(clock.deadline)) {
    throw new IllegalStepError('deadline-not-reached', `The ${requestName(clock.kind)}'s deadline (${clock.deadline}) has not passed yet.`);
  }
  return elapse(triaged, clock, metadata);
}

function pauseCase({ data, metadata }: PauseCase, state: ReportState): ReportEvent[] {
  requireActive(state, 'pause the case');
  requireOneOf(data.reason, PAUSE_REASONS, 'the reason for pausing');
  if (data.note !== undefined) requireText(data.note, 'the note');
  return [{ type: 'CasePaused', data: { reason: data.reason, ...(data.note !== undefined && { note: data.note }) }, metadata }];
}

function resumeCase({ metadata }: ResumeCase, state: ReportState): ReportEvent[] {
  const filed = requireOpen(state);
  if (filed.status !== 'paused') throw new IllegalStepError('case-not-paused', 'The case is not paused, so it cannot be resumed.');
  const pausedForMs = Math.max(0, toMillis(metadata.now) - toMillis(filed.pause.since));
  const deadlines: DeadlineChange[] = waitingClocks(filed).map((clock) => ({
    clock: clock.kind,
    step: clock.step,
    previousDeadline: clock.deadline,
    deadline: toInstant(toMillis(clock.deadline) + pausedForMs),
  }));
  const resumed: ReportEvent = { type: 'CaseResumed', data: { pausedForMs, deadlines }, metadata };
  return [resumed, ...elapseOverdue(evolve(filed, resumed), metadata)];
}

// Assignment and notes stay possible on a closed case: follow-up work (a court, a reopened question) goes on.
function assignCase({ data, metadata }: AssignCase, state: ReportState): ReportEvent[] {
  const filed = requireFiled(state);
  requireText(data.assignee, 'the assignee');
  if (filed.assignee === data.assignee) {
    throw new IllegalStepError('already-assigned', `The case is already assigned to ${data.assignee}.`);
  }
  return [{ type: 'CaseAssigned', data: { assignee: data.assignee, ...(filed.assignee !== undefined && { previousAssignee: filed.assignee }) }, metadata }];
}

function addNote({ data, metadata }: AddNote, state: ReportState): ReportEvent[] {
  requireFiled(state);
  requireText(data.text, 'the note');
  return [{ type: 'NoteAdded', data: { text: data.text }, metadata }];
}

function closeCase({ data, metadata }: CloseCase, state: ReportState): ReportEvent[] {
  const filed = requireOpen(state);
  requireOneOf(data.outcome, CLOSE_OUTCOMES, 'the outcome');
  if (data.note !== undefined) requireText(data.note, 'the note');
  const deletion = filed.clocks.deletion;
  const removed = deletion?.response?.kind === 'removed' && deletion.removal === 'gone';
  switch (data.outcome) {
    case 'removed':
    case 'removed-after-escalation': {
      if (!removed) {
        throw new IllegalStepError('outcome-not-allowed', 'A case closes as removed only after the platform removed the content and the removal was verified.');
      }
      const afterEscalation = deletion.escalated;
      if (afterEscalation && data.outcome === 'removed') {
        throw new IllegalStepError('outcome-not-allowed', 'The deletion request was escalated before the removal: close as removed-after-escalation.');
      }
      if (!afterEscalation && data.outcome === 'removed-after-escalation') {
        throw new IllegalStepError('outcome-not-allowed', 'The deletion request was never escalated: close as removed.');
      }
      break;
    }
    case 'refused-and-referred-to-prosecution': {
      const refused = Object.values(filed.clocks).some(
        (clock) => clock.response?.kind === 'refused' || clock.response?.kind === 'data-refused',
      );
      if (!refused) {
        throw new IllegalStepError('outcome-not-allowed', 'The platform has not refused a request, so the case cannot close as refused.');
      }
      break;
    }
    case 'dismissed':
      throw new IllegalStepError('outcome-not-allowed', 'A report is dismissed through triage, not by closing it.');
    case 'duplicate':
      throw new IllegalStepError('outcome-not-allowed', 'Mark the report as a duplicate of another report instead.');
    case 'withdrawn':
    case 'unresolved':
      break;
    default: {
      const _exhaustive: never = data.outcome;
      return _exhaustive;
    }
  }
  return [{ type: 'ReportClosed', data: { outcome: data.outcome, ...(data.note !== undefined && { note: data.note }) }, metadata }];
}

function reopenCase({ data, metadata }: ReopenCase, state: ReportState): ReportEvent[] {
  if (state.status === 'not-filed') notFiled();
  if (state.status !== 'closed') throw new IllegalStepError('case-not-closed', 'The case is not closed, so it cannot be reopened.');
  requireText(data.reason, 'the reason for reopening');
  return [{ type: 'ReportReopened', data: { reason: data.reason }, metadata }];
}

function markDuplicate({ data, metadata }: MarkDuplicate, state: ReportState): ReportEvent[] {
  const filed = requireOpen(state);
  requireText(data.duplicateOf, 'the original report');
  if (data.duplicateOf === filed.report.reportId) {
    throw new IllegalStepError('duplicate-of-itself', 'A report cannot be a duplicate of itself.');
  }
  return [
    { type: 'ReportMarkedDuplicate', data: { duplicateOf: data.duplicateOf }, metadata },
    { type: 'ReportClosed', data: { outcome: 'duplicate', note: `Duplicate of ${data.duplicateOf}` }, metadata },
  ];
}

function applyPolicy({ data, metadata }: ApplyPolicy, state: ReportState): ReportEvent[] {
  const filed = requireOpen(state);
  requireText(data.reason, 'the reason for applying the policy');
  const problems = policyProblems(data.policy);
  if (problems.length > 0) throw new IllegalStepError('invalid-policy', `The escalation policy is invalid: ${problems.join('; ')}.`);
  const { policy } = data;
  if (policy.platform !== filed.report.platform) {
    throw new IllegalStepError('policy-not-for-platform', `The policy is for ${policy.platform}, but this report concerns ${filed.report.platform}.`);
  }
  if (policy.version <= filed.policy.version) {
    throw new IllegalStepError('policy-version-not-newer', `The case already follows policy version ${filed.policy.version}; version ${policy.version} is not newer.`);
  }
  const severity = filed.assessment?.severity;
  const deadlines: DeadlineChange[] = severity
    ? waitingClocks(filed).map((clock) => ({
        clock: clock.kind,
        step: clock.step,
        previousDeadline: clock.deadline,
        // From the step's original start under the new durations; time already paused still counts.
        deadline: toInstant(stepDeadline(policy, severity, clock.kind, clock.step, toMillis(clock.stepStartedAt)) + clock.pausedMsInStep),
      }))
    : [];
  const applied: ReportEvent = { type: 'PolicyApplied', data: { policy, previousVersion: filed.policy.version, reason: data.reason, deadlines }, metadata };
  const after = evolve(filed, applied);
  // A paused case keeps its deadlines still: whatever is overdue elapses when it resumes. A deadline the new
  // policy puts in the past elapses at once, and the timer records it (with the change's correlation id): the
  // admin changed the rules, not the case's step.
  return [applied, ...(after.status === 'active' ? elapseOverdue(after, { ...metadata, actor: TIMER_ACTOR }) : [])];
}

// ---- the ladder -------------------------------------------------------------------------------------------

function firstDeadline(state: TriagedReportState, kind: ClockKind, now: string): string {
  const step: LadderStep = LADDER_STEPS[0];
  return toInstant(stepDeadline(state.policy, state.assessment.severity, kind, step, toMillis(now)));
}

function escalation(
  state: TriagedReportState,
  clock: RequestClock,
  to: LadderStep,
  trigger: 'deadline' | 'staff',
  metadata: Metadata,
  reason?: string,
): ReportEvent {
  const deadline = toInstant(stepDeadline(state.policy, state.assessment.severity, clock.kind, to, toMillis(metadata.now)));
  return {
    type: 'RequestEscalated',
    data: { clock: clock.kind, from: clock.step, to, trigger, ...(reason !== undefined && { reason }), deadline },
    metadata,
  };
}

/** A step's deadline passed: the next step starts now, or the ladder is exhausted after the last one. */
function elapse(state: TriagedReportState, clock: RequestClock, metadata: Metadata): ReportEvent[] {
  const elapsed: ReportEvent = { type: 'DeadlineElapsed', data: { clock: clock.kind, step: clock.step, deadline: clock.deadline }, metadata };
  const to = nextStep(clock.step);
  return to
    ? [elapsed, escalation(state, clock, to, 'deadline', metadata)]
    : [elapsed, { type: 'EscalationLadderExhausted', data: { clock: clock.kind }, metadata }];
}

/** Clocks still waiting for the platform, paused or not (a pause and a policy change move these). */
function waitingClocks(state: FiledReportState): RequestClock[] {
  return Object.values(state.clocks).filter((clock) => clock.status === 'running');
}

/** The actor of what time does on its own: a deadline elapsing, the escalation it brings. */
const TIMER_ACTOR = 'system:timer';

function elapseOverdue(state: ReportState, metadata: Metadata): ReportEvent[] {
  if (state.status !== 'active') return [];
  const now = toMillis(metadata.now);
  return waitingClocks(state)
    .filter((clock) => toMillis(clock.deadline) <= now)
    .flatMap((clock) => elapse(state, clock, metadata));
}


// ---- guards -----------------------------------------------------------------------------------------------

function requireFiled(state: ReportState): FiledReportState {
  if (state.status === 'not-filed') notFiled();
  return state;
}

function requireVersion(state: ReportState, expectedVersion: number): void {
  if (!Number.isInteger(expectedVersion) || expectedVersion < 0) invalid('The expected version must be a whole number.');
  if (state.version !== expectedVersion) {
    throw new IllegalStepError('version-mismatch', `The case is at version ${state.version}, not ${expectedVersion}: someone changed it meanwhile. Read it again and decide anew.`);
  }
}

function requireChosenAtTriage(state: TriagedReportState, kind: ClockKind): void {
  const chosen = kind === 'deletion' ? state.assessment.actions.deletionRequest : state.assessment.actions.subscriberDataRequest;
  if (!chosen) {
    throw new IllegalStepError('request-not-chosen-at-triage', `Triage did not choose a ${requestName(kind)} for this case: re-triage it first, with a reason.`);
  }
}

function requireOpen(state: ReportState): OpenReportState {
  if (state.status === 'not-filed') notFiled();
  if (state.status === 'closed') throw new IllegalStepError('case-closed', 'The case is closed; reopen it first.');
  return state;
}

function requireActive(state: ReportState, action: string): Extract<ReportState, { status: 'active' }> {
  const filed = requireOpen(state);
  if (filed.status === 'in-triage') throw new IllegalStepError('not-triaged', `The report must be triaged as actionable before you can ${action}.`);
  if (filed.status === 'paused') throw new IllegalStepError('case-paused', `The case is paused; resume it before you ${action}.`);
  return filed;
}

function requireNewRequest(state: TriagedReportState, kind: ClockKind): void {
  const clock = state.clocks[kind];
  const name = requestName(kind);
  if (clock?.status === 'running') throw new IllegalStepError('request-already-running', `A ${name} is already waiting for the platform's answer.`);
  const fulfilled = clock?.response?.kind === 'removed' || clock?.response?.kind === 'data-supplied';
  if (fulfilled) throw new IllegalStepError('request-already-fulfilled', `The platform has already fulfilled the ${name}.`);
}

function requireRunningClock(state: TriagedReportState, kind: ClockKind): RequestClock {
  requireOneOf(kind, ['deletion', 'subscriber-data'] as const, 'the request');
  const clock = state.clocks[kind];
  if (clock?.status !== 'running') {
    throw new IllegalStepError('clock-not-running', `No ${requestName(kind)} is waiting for the platform's answer.`);
  }
  return clock;
}

function requestName(kind: ClockKind): string {
  return kind === 'deletion' ? 'deletion request' : 'subscriber-data request';
}

function checkMetadata(metadata: Metadata | undefined): void {
  if (!metadata || !nonEmpty(metadata.actor)) invalid('Every command must name the acting user.');
  if (!isInstant(metadata.now)) invalid('Every command must carry the time it was issued as an ISO 8601 instant.');
}

function notFiled(): never {
  throw new IllegalStepError('not-filed', 'There is no report with this id.');
}

function invalid(message: string): never {
  throw new IllegalStepError('invalid-input', message);
}

function nonEmpty(text: unknown): text is string {
  return typeof text === 'string' && text.trim() !== '';
}

function requireText(text: unknown, what: string): asserts text is string {
  if (!nonEmpty(text)) invalid(`${capitalise(what)} must not be empty.`);
  if (text.length > MAX_TEXT) invalid(`${capitalise(what)} is longer than ${MAX_TEXT} characters.`);
}

function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): asserts value is T {
  if (!includes(allowed, value)) invalid(`${capitalise(what)} must be one of ${allowed.join(', ')}.`);
}

function includes<T extends string>(allowed: readonly T[], value: unknown): value is T {
  return (allowed as readonly unknown[]).includes(value);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
