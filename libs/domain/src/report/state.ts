// A report's state: a tagged union on `status`, rebuilt by folding its events.

import { ClockKind, EscalationPolicy, LadderStep, Severity } from '../policy/escalation-policy';
import {
  CloseOutcome,
  OffenceCategory,
  PauseReason,
  PlatformResponse,
  ReportFacts,
  TriageActions,
} from './vocabulary';

/**
 * One request to the platform and where it stands on the escalation ladder.
 * `running`: waiting for the platform until `deadline`; `answered`: the platform responded;
 * `exhausted`: the last step's deadline passed unanswered; `cancelled`: the case was closed while it ran.
 */
export interface RequestClock {
  kind: ClockKind;
  status: 'running' | 'answered' | 'exhausted' | 'cancelled';
  /** When the request was sent: the clock's original start. */
  requestedAt: string;
  step: LadderStep;
  /** When the current step began; its deadline is computed from here. */
  stepStartedAt: string;
  /** Paused time within the current step, added to the computed deadline. */
  pausedMsInStep: number;
  deadline: string;
  /** Whether the request went past the standard contact (by deadline or by hand). */
  escalated: boolean;
  /** `at`: when it was recorded; `receivedAt`, `effectGivenAt`: when it arrived and when effect was given, if stated. */
  response?: { kind: PlatformResponse; reason?: string; at: string; receivedAt?: string; effectGivenAt?: string };
  /** For a claimed removal: whether it was checked. */
  removal?: 'unverified' | 'gone';
}

export interface ReportDetails extends ReportFacts {
  filedAt: string;
}

export interface Assessment {
  category: OffenceCategory;
  severity: Severity;
  actions: TriageActions;
}

/** What every filed case carries, whatever its status. */
export interface CaseFile {
  report: ReportDetails;
  policy: EscalationPolicy;
  assessment?: Assessment;
  clocks: Partial<Record<ClockKind, RequestClock>>;
  assignee?: string;
  /** Set while the case is closed as a duplicate of another report. */
  duplicateOf?: string;
  notes: { text: string; author: string; at: string }[];
  /** Number of events folded into this state: the stream's version. */
  version: number;
}

export type ReportState =
  | { status: 'not-filed'; version: 0 }
  | ({ status: 'in-triage' } & CaseFile)
  | ({ status: 'active' } & CaseFile & { assessment: Assessment })
  | ({ status: 'paused' } & CaseFile & { assessment: Assessment; pause: { reason: PauseReason; note?: string; since: string } })
  | ({ status: 'closed' } & CaseFile & { closure: { outcome: CloseOutcome; note?: string; at: string; duplicateOf?: string } });

export type ReportStatus = ReportState['status'];
export type FiledReportState = Exclude<ReportState, { status: 'not-filed' }>;
export type OpenReportState = Exclude<FiledReportState, { status: 'closed' }>;
export type TriagedReportState = Extract<ReportState, { status: 'active' | 'paused' }>;

/** The request clocks waiting for the platform's answer; none while the case is paused, in triage or closed. */
export function runningClocks(state: ReportState): RequestClock[] {
  if (state.status !== 'active') return [];
  return Object.values(state.clocks).filter((clock) => clock.status === 'running');
}

/** The nearest deadline of a running clock (epoch ms), if any. */
export function nextDeadline(state: ReportState): number | undefined {
  const deadlines = runningClocks(state).map((clock) => Date.parse(clock.deadline));
  return deadlines.length > 0 ? Math.min(...deadlines) : undefined;
}

/** Whether an unanswered request of this open case has reached app-store pressure: it belongs in the dossier. */
export function pressesThroughAppStores(state: ReportState): boolean {
  if (state.status === 'not-filed' || state.status === 'closed') return false;
  return Object.values(state.clocks).some((clock) => clock.step === 'app-store-pressure' && (clock.status === 'running' || clock.status === 'exhausted'));
}

export function initialState(): ReportState {
  return { status: 'not-filed', version: 0 };
}
