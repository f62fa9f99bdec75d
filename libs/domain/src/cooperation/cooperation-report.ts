// The cooperation and transparency report: how a platform answered the requests sent to it in a period, folded
// from each case's events. It counts as the scorecard does: a request belongs to the period it was sent in and is
// followed up to the report's instant; its answer is the platform's last recorded response, the effect a removal or
// data supplied, the time to either measured from sending (to when the answer arrived and when effect was given,
// where the answer states them); "in time" means by the standard contact's deadline.

import { AppStoreDossierFiled, DossierEvent } from '../dossier/app-store-dossier';
import { ClockKind, LADDER_STEPS, LadderStep, SEVERITIES, Severity } from '../policy/escalation-policy';
import { DeadlineChange, ReportEvent } from '../report/events';
import { evolve } from '../report/evolve';
import { initialState, ReportState } from '../report/state';
import { OFFENCE_CATEGORIES, OffenceCategory, PlatformResponse } from '../report/vocabulary';
import { ReportingPeriod } from './reporting-period';

/** One request sent to the platform, and what became of it up to the report's instant. */
export interface PlatformRequestRecord {
  reportId: string;
  kind: ClockKind;
  requestedAt: string;
  /** The case's assessment as it stands now (a re-triage corrects it for the whole case). */
  category: OffenceCategory | null;
  severity: Severity | null;
  /** The standard contact's deadline, as pauses, re-triage and policy changes moved it while the request was on that step. */
  deadline: string;
  /**
   * The platform's last recorded response; none when it never answered or its claimed removal was contradicted since.
   * `at`: when it arrived (as stated with the answer, else when it was recorded); `effectAt`: for a removal or data
   * supplied, when the platform gave effect (as stated, else the answer's arrival).
   */
  answer?: { response: PlatformResponse; at: string; effectAt?: string; inTime: boolean };
  /** Whether a claimed removal turned out false (the content was still online). */
  removalContradicted: boolean;
  /** Whether the request still waits for the platform (running, or paused with its case). */
  waiting: boolean;
  /** The request's clock at the report's instant: paused cases' clocks stand at the pause's start. */
  clockAt: string;
  highestStep: LadderStep;
  exhausted: boolean;
  escalatedByStaff: boolean;
}

/** What an answer may state besides the response (schema version 2 of PlatformResponseRecorded). */
interface AnswerTimesIfStated {
  receivedAt?: string;
  effectGivenAt?: string;
}

/** A report's id and its stored events, oldest first. */
export interface ReportHistory {
  reportId: string;
  events: readonly ReportEvent[];
}

export interface RequestsByKind {
  total: number;
  deletion: number;
  subscriberData: number;
}

export interface DurationFigures {
  /** How many requests the figures are taken over. */
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/** The figures of one period. */
export interface CooperationFigures {
  requests: RequestsByKind;
  byCategory: (RequestsByKind & { category: OffenceCategory })[];
  bySeverity: (RequestsByKind & { severity: Severity })[];
  answers: {
    /** Answered by the standard contact's deadline. */
    inTime: number;
    late: number;
    /** Not answered, and the deadline passed, the ladder ran out or the case closed. */
    never: number;
    /** Not answered yet, the deadline still ahead. */
    awaiting: number;
  };
  deletion: { sent: number; removed: number; partiallyRemoved: number; refused: number; removalsContradicted: number };
  subscriberData: { sent: number; supplied: number; refused: number };
  timeToAnswer: DurationFigures;
  /** From sending to the effect: a removal or data supplied, when the platform says it gave effect (else its answer's arrival). */
  timeToEffect: DurationFigures;
  /** Requests that went at least this far up the ladder (by deadline or by hand). */
  ladder: { reminder: number; highLevelContact: number; appStorePressure: number; exhausted: number; escalatedByStaff: number };
  dossiers: { filed: number; reportsFiled: number };
}

export interface FigureChange {
  /** The figure's path in CooperationFigures, e.g. `answers.late` or `byCategory.threat.deletion`. */
  figure: string;
  current: number | null;
  previous: number | null;
  /** current − previous; null when either is null. */
  difference: number | null;
}

export interface CooperationReport {
  platform: string;
  /** The instant the requests were followed up to. */
  asOf: string;
  period: ReportingPeriod;
  previousPeriod: ReportingPeriod;
  current: CooperationFigures;
  previous: CooperationFigures;
  /** Every figure against the previous period, in the order of CooperationFigures. */
  changes: FigureChange[];
}

export interface CooperationReportInput {
  platform: string;
  period: ReportingPeriod;
  previousPeriod: ReportingPeriod;
  /** The platform's cases; those with no request in either period are ignored. */
  reports: readonly ReportHistory[];
  /** The platform's app-store dossier stream. */
  dossierEvents: readonly DossierEvent[];
  asOf: string;
}

export function cooperationReport(input: CooperationReportInput): CooperationReport {
  const { reports, ...rest } = input;
  return cooperationReportOfRequests({ ...rest, requests: reports.flatMap((report) => platformRequests(report, input.asOf)) });
}

/** The report from the requests already followed up to `asOf` (a read model's kept CaseRequests, see requestsAsOf). */
export function cooperationReportOfRequests(input: Omit<CooperationReportInput, 'reports'> & { requests: readonly PlatformRequestRecord[] }): CooperationReport {
  const requests = input.requests;
  const filings = input.dossierEvents.filter((event): event is AppStoreDossierFiled => event.type === 'AppStoreDossierFiled');
  const current = cooperationFigures(requests, filings, input.period);
  const previous = cooperationFigures(requests, filings, input.previousPeriod);
  return {
    platform: input.platform,
    asOf: input.asOf,
    period: { ...input.period },
    previousPeriod: { ...input.previousPeriod },
    current,
    previous,
    changes: figureChanges(current, previous),
  };
}

/** The requests a case sent to the platform, each followed through the case's events up to `asOf`. */
export function platformRequests({ reportId, events }: ReportHistory, asOf: string): PlatformRequestRecord[] {
  let fold = initialRequestFold();
  let state: ReportState = initialState();
  for (const event of events) {
    const before = state;
    state = evolve(state, event);
    fold = foldRequestEvent(fold, reportId, before, event);
  }
  return requestsAsOf(settleRequests(fold, state), asOf);
}

/**
 * A case's requests as far as its events tell, the same at any instant: what a read model keeps per case, updated
 * event by event (foldRequestEvent, then settleRequests with the state after it), so that a report need not fold
 * every case's history again. `requestsAsOf` follows them up to the report's instant.
 */
export interface CaseRequests {
  records: PlatformRequestRecord[];
  /** The latest request of each kind, by its index in records: an answer or escalation is the latest one's. */
  latest: Partial<Record<ClockKind, number>>;
  /** When the case was paused, if it is: its clocks stand at that instant. */
  pausedSince: string | null;
}

export function initialRequestFold(): CaseRequests {
  return { records: [], latest: {}, pausedSince: null };
}

/** The case's requests after one more of its events; `before` is the case's state before the event. Pure. */
export function foldRequestEvent(fold: CaseRequests, reportId: string, before: ReportState, event: ReportEvent): CaseRequests {
  const records = fold.records.map((record) => ({ ...record, ...(record.answer && { answer: { ...record.answer } }) }));
  const latest = { ...fold.latest };
  const latestOf = (kind: ClockKind): PlatformRequestRecord | undefined => (latest[kind] === undefined ? undefined : records[latest[kind]]);
  const now = event.metadata.now;
  switch (event.type) {
    case 'DeletionRequested':
    case 'SubscriberDataRequested': {
      const kind: ClockKind = event.type === 'DeletionRequested' ? 'deletion' : 'subscriber-data';
      records.push({
        reportId, kind, requestedAt: now, category: null, severity: null, deadline: event.data.deadline,
        removalContradicted: false, waiting: true, clockAt: now, highestStep: event.data.step, exhausted: false, escalatedByStaff: false,
      });
      latest[kind] = records.length - 1;
      break;
    }
    case 'PlatformResponseRecorded': {
      const record = latestOf(event.data.clock);
      if (!record) break;
      // When the answer arrived and when the platform gave effect, where the answer states them; else its recording.
      const { receivedAt, effectGivenAt } = event.data as AnswerTimesIfStated;
      const arrived = receivedAt ?? now;
      const effective = event.data.response === 'removed' || event.data.response === 'data-supplied';
      record.answer = {
        response: event.data.response,
        at: arrived,
        ...(effective && { effectAt: effectGivenAt ?? arrived }),
        // A pause stops the clock: an answer arriving during one is as late as the pause's start.
        inTime: Date.parse(clockTime(before, arrived)) <= Date.parse(record.deadline),
      };
      break;
    }
    case 'RemovalContradicted': {
      const record = latestOf('deletion');
      if (record) {
        delete record.answer;
        record.removalContradicted = true;
        record.highestStep = higherStep(record.highestStep, event.data.step);
      }
      break;
    }
    case 'RequestEscalated': {
      const record = latestOf(event.data.clock);
      if (record) {
        record.highestStep = higherStep(record.highestStep, event.data.to);
        if (event.data.trigger === 'staff') record.escalatedByStaff = true;
      }
      break;
    }
    case 'EscalationLadderExhausted': {
      const record = latestOf(event.data.clock);
      if (record) record.exhausted = true;
      break;
    }
    case 'ReportRetriaged':
    case 'CaseResumed':
    case 'PolicyApplied':
      moveStandardDeadlines(latestOf, event.data.deadlines);
      break;
    case 'ReportFiled':
    case 'ReportTriaged':
    case 'ReportDismissed':
    case 'RemovalConfirmed':
    case 'DeadlineElapsed':
    case 'CasePaused':
    case 'CaseAssigned':
    case 'NoteAdded':
    case 'ReportMarkedDuplicate':
    case 'ReportClosed':
    case 'ReportReopened':
      break; // the state's fold covers what they change for the requests
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
  return { records, latest, pausedSince: fold.pausedSince };
}

/** The requests with what the case's state now says of them: its assessment, which still wait, whether it is paused. */
export function settleRequests(fold: CaseRequests, state: ReportState): CaseRequests {
  if (state.status === 'not-filed') return initialRequestFold();
  const assessment = state.assessment;
  const records = fold.records.map((record, index) => ({
    ...record,
    category: assessment?.category ?? null,
    severity: assessment?.severity ?? null,
    waiting: fold.latest[record.kind] === index && state.clocks[record.kind]?.status === 'running' && state.status !== 'closed',
  }));
  return { records, latest: fold.latest, pausedSince: state.status === 'paused' ? state.pause.since : null };
}

/** The settled requests followed up to `asOf`: a paused case's clocks stand at the pause's start. */
export function requestsAsOf(settled: CaseRequests, asOf: string): PlatformRequestRecord[] {
  const clockAt = settled.pausedSince !== null && Date.parse(settled.pausedSince) < Date.parse(asOf) ? settled.pausedSince : asOf;
  return settled.records.map((record) => ({ ...record, clockAt }));
}

/** The figures of the requests sent in `period`, and the dossier filings made in it. */
export function cooperationFigures(records: readonly PlatformRequestRecord[], filings: readonly AppStoreDossierFiled[], period: ReportingPeriod): CooperationFigures {
  const sent = records.filter((record) => within(record.requestedAt, period));
  const deletion = sent.filter((record) => record.kind === 'deletion');
  const data = sent.filter((record) => record.kind === 'subscriber-data');
  const responded = (records: PlatformRequestRecord[], response: PlatformResponse) => records.filter((record) => record.answer?.response === response).length;
  const answered = sent.filter((record) => record.answer !== undefined);
  const effective = answered.filter((record) => record.answer?.effectAt !== undefined);
  const awaiting = sent.filter((record) => !record.answer && record.waiting && Date.parse(record.clockAt) < Date.parse(record.deadline)).length;
  const reached = (step: LadderStep) => sent.filter((record) => LADDER_STEPS.indexOf(record.highestStep) >= LADDER_STEPS.indexOf(step)).length;
  const filed = filings.filter((filing) => within(filing.metadata.now, period));
  return {
    requests: byKind(sent),
    byCategory: OFFENCE_CATEGORIES.map((category) => ({ category, ...byKind(sent.filter((record) => record.category === category)) })),
    bySeverity: SEVERITIES.map((severity) => ({ severity, ...byKind(sent.filter((record) => record.severity === severity)) })),
    answers: {
      inTime: answered.filter((record) => record.answer?.inTime).length,
      late: answered.filter((record) => !record.answer?.inTime).length,
      never: sent.length - answered.length - awaiting,
      awaiting,
    },
    deletion: {
      sent: deletion.length,
      removed: responded(deletion, 'removed'),
      partiallyRemoved: responded(deletion, 'partially-removed'),
      refused: responded(deletion, 'refused'),
      removalsContradicted: deletion.filter((record) => record.removalContradicted).length,
    },
    subscriberData: { sent: data.length, supplied: responded(data, 'data-supplied'), refused: responded(data, 'data-refused') },
    timeToAnswer: durations(answered.map((record) => secondsBetween(record.requestedAt, record.answer!.at))),
    timeToEffect: durations(effective.map((record) => secondsBetween(record.requestedAt, record.answer!.effectAt!))),
    ladder: {
      reminder: reached('reminder'),
      highLevelContact: reached('high-level-contact'),
      appStorePressure: reached('app-store-pressure'),
      exhausted: sent.filter((record) => record.exhausted).length,
      escalatedByStaff: sent.filter((record) => record.escalatedByStaff).length,
    },
    dossiers: { filed: filed.length, reportsFiled: filed.reduce((sum, filing) => sum + filing.data.reportIds.length, 0) },
  };
}

/** The value at fraction `p` of the sorted values, interpolated between neighbours (SQL's percentile_cont, as the scorecard). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

/** Every figure as a path and a number, in a fixed order: the rows of the report as a table. */
export function figureEntries(figures: CooperationFigures): [string, number | null][] {
  const entries: [string, number | null][] = [];
  const add = (prefix: string, values: object) => {
    for (const [key, value] of Object.entries(values)) if (typeof value === 'number' || value === null) entries.push([`${prefix}.${key}`, value]);
  };
  add('requests', figures.requests);
  for (const row of figures.byCategory) add(`byCategory.${row.category}`, row);
  for (const row of figures.bySeverity) add(`bySeverity.${row.severity}`, row);
  add('answers', figures.answers);
  add('deletion', figures.deletion);
  add('subscriberData', figures.subscriberData);
  add('timeToAnswer', figures.timeToAnswer);
  add('timeToEffect', figures.timeToEffect);
  add('ladder', figures.ladder);
  add('dossiers', figures.dossiers);
  return entries;
}

function figureChanges(current: CooperationFigures, previous: CooperationFigures): FigureChange[] {
  const before = new Map(figureEntries(previous));
  return figureEntries(current).map(([figure, value]) => {
    const earlier = before.get(figure) ?? null;
    return { figure, current: value, previous: earlier, difference: value === null || earlier === null ? null : value - earlier };
  });
}

function byKind(records: readonly PlatformRequestRecord[]): RequestsByKind {
  const deletion = records.filter((record) => record.kind === 'deletion').length;
  return { total: records.length, deletion, subscriberData: records.length - deletion };
}

function durations(seconds: number[]): DurationFigures {
  const round = (value: number | null) => (value === null ? null : Math.round(value));
  return { count: seconds.length, medianSeconds: round(percentile(seconds, 0.5)), p90Seconds: round(percentile(seconds, 0.9)) };
}

function within(instant: string, period: ReportingPeriod): boolean {
  const ms = Date.parse(instant);
  return ms >= Date.parse(period.from) && ms < Date.parse(period.to);
}

function secondsBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 1000;
}

function higherStep(a: LadderStep, b: LadderStep): LadderStep {
  return LADDER_STEPS.indexOf(b) > LADDER_STEPS.indexOf(a) ? b : a;
}

/** The instant a case's clocks stand at, at `instant`: a paused case's stood still at the pause's start. */
function clockTime(state: ReportState, instant: string): string {
  return state.status === 'paused' && Date.parse(state.pause.since) < Date.parse(instant) ? state.pause.since : instant;
}

/** The standard contact's deadline moves with the request while the request is still on that step. */
function moveStandardDeadlines(latestOf: (kind: ClockKind) => PlatformRequestRecord | undefined, changes: readonly DeadlineChange[]): void {
  for (const change of changes) {
    const record = latestOf(change.clock);
    if (record && !record.answer && change.step === 'standard-contact' && record.highestStep === 'standard-contact') record.deadline = change.deadline;
  }
}
