// The case file: one document per case for the prosecution (everything) or for the app stores (what the
// disclosure allow-list lets them see). Pure: built from the stored events, their chain verdict and the messages
// sent; JSON and PDF are two renderings of this one model.

import { disclosedToAppStores } from '../dossier/app-store-disclosure';
import { fold } from '../event-sourcing';
import { ClockKind, LadderStep, Severity } from '../policy/escalation-policy';
import { ReportEvent } from './events';
import { citeLegalProvision } from './legal-provisions';
import { reportDecider } from './report-decider';
import { ReportStatus } from './state';
import { describeReportEvent } from './timeline-wording';
import { CloseOutcome, ContentLocation, OffenceCategory, PlatformResponse, ReportingChannel, TriageActions } from './vocabulary';

export const CASE_FILE_RECIPIENTS = ['prosecution', 'app-store'] as const;
export type CaseFileRecipient = (typeof CASE_FILE_RECIPIENTS)[number];

/** One stored event as the event store gives it back. */
export interface CaseFileStoredEvent {
  streamVersion: number;
  eventId: string;
  type: string;
  data: unknown;
  actor: string;
  occurredAt: string;
  recordedAt: string;
}

/** One message sent to the platform, as the sent-messages log summarises it. */
export interface CaseFileSentMessage {
  messageId: string;
  kind: string | null;
  recipient: string;
  subject: string;
  channel: string;
  status: string;
  attempts: number;
  firstAttemptAt: string;
  lastAttemptAt: string;
}

export interface CaseFileInput {
  reportId: string;
  recipient: CaseFileRecipient;
  /** When the file is put together (the caller's clock: this function reads none). */
  generatedAt: string;
  events: readonly CaseFileStoredEvent[];
  integrity: { verified: true } | { verified: false; brokenAtVersion: number; reason: string };
  messages: readonly CaseFileSentMessage[];
}

export interface CaseFileRequest {
  request: ClockKind;
  sentAt: string;
  deadline: string;
  escalations: { at: string; from: LadderStep; to: LadderStep; deadline: string; trigger?: 'deadline' | 'staff'; reason?: string }[];
  /** `receivedAt`, `effectGivenAt`: the platform's information on the effect given, when recorded with it. */
  answer?: { response: PlatformResponse; reason?: string; recordedAt: string; atStep: LadderStep; receivedAt?: string; effectGivenAt?: string };
  removalChecks: { at: string; result: 'gone' | 'still-online' }[];
}

export interface CaseFileDocument {
  reportId: string;
  recipient: CaseFileRecipient;
  generatedAt: string;
  status: ReportStatus;
  version: number;
  report: {
    platform: string;
    contentLocations: ContentLocation[];
    excerpt: string;
    evidenceHash: string;
    seenAt: string;
    filedAt: string;
    /** Prosecution only. */
    channel?: ReportingChannel;
    /** Prosecution only: who reported it and under which reference. */
    reporterReference?: string;
  };
  triage?: { category: OffenceCategory; legalProvision: string; severity: Severity; triagedAt: string; actions?: TriageActions };
  requests: CaseFileRequest[];
  closure?: { outcome: CloseOutcome; at: string; note?: string };
  /** Prosecution only. */
  notes?: { text: string; author: string; at: string }[];
  assignee?: string;
  /** The history, oldest first: in words for the prosecution; the disclosed data for the app stores. */
  timeline: { streamVersion?: number; at: string; type: string; actor?: string; summary?: string; data?: Record<string, unknown> }[];
  messages: { kind: string | null; recipient: string; subject: string; status: string; attempts: number; firstAttemptAt: string; lastAttemptAt: string; channel?: string }[];
  integrity: { verified: boolean; events: number; brokenAtVersion?: number; reason?: string };
  /** What this recipient's file leaves out, in words (empty for the prosecution). */
  withheld: string[];
}

const WITHHELD_FROM_APP_STORES = [
  'the reporting channel and the reporter reference',
  "staff notes, assignees and the staff's reasons",
  'who acted (actors) and internal events (pauses, policy changes, re-triage reasons)',
  "the triage's planned actions (referral to prosecution)",
  'the addresses and delivery channels of messages',
];

/** The case file for `recipient`: everything for the prosecution; for the app stores only what they may see. */
export function buildCaseFile(input: CaseFileInput): CaseFileDocument {
  const forProsecution = input.recipient === 'prosecution';
  const events = input.events.map(asDomainEvent);
  const state = fold(reportDecider, events);
  if (state.status === 'not-filed') throw new Error(`Report ${input.reportId} has no stored history to put in a case file`);
  const { report } = state;
  const triagedAt = [...input.events].reverse().find((event) => event.type === 'ReportTriaged' || event.type === 'ReportRetriaged')?.occurredAt;

  const requests = requestsOf(input.events, forProsecution);
  const closure = state.status === 'closed' ? { outcome: state.closure.outcome, at: state.closure.at, ...(forProsecution && state.closure.note && { note: state.closure.note }) } : undefined;

  return {
    reportId: input.reportId,
    recipient: input.recipient,
    generatedAt: input.generatedAt,
    status: state.status,
    version: state.version,
    report: {
      platform: report.platform,
      contentLocations: report.contentLocations,
      excerpt: report.excerpt,
      evidenceHash: report.evidenceHash,
      seenAt: report.seenAt,
      filedAt: report.filedAt,
      ...(forProsecution && { channel: report.channel, reporterReference: report.reporterReference }),
    },
    ...(state.assessment &&
      triagedAt && {
        triage: {
          category: state.assessment.category,
          legalProvision: citeLegalProvision(state.assessment.category, 'de'),
          severity: state.assessment.severity,
          triagedAt,
          ...(forProsecution && { actions: state.assessment.actions }),
        },
      }),
    requests,
    ...(closure && { closure }),
    ...(forProsecution && { notes: state.notes, ...(state.assignee && { assignee: state.assignee }) }),
    timeline: forProsecution
      ? input.events.map((event, index) => ({ streamVersion: event.streamVersion, at: event.occurredAt, type: event.type, actor: event.actor, summary: describeReportEvent(events[index]) }))
      : disclosedToAppStores(input.events.map((event) => ({ type: event.type, data: event.data as Record<string, unknown>, at: event.occurredAt }))),
    messages: input.messages.map((message) => ({
      kind: message.kind,
      recipient: message.recipient,
      subject: message.subject,
      status: message.status,
      attempts: message.attempts,
      firstAttemptAt: message.firstAttemptAt,
      lastAttemptAt: message.lastAttemptAt,
      ...(forProsecution && { channel: message.channel }),
    })),
    integrity: input.integrity.verified
      ? { verified: true, events: input.events.length }
      : { verified: false, events: input.events.length, brokenAtVersion: input.integrity.brokenAtVersion, reason: input.integrity.reason },
    withheld: forProsecution ? [] : WITHHELD_FROM_APP_STORES,
  };
}

/** Each request sent, with its escalations, the platform's answer and the removal checks, oldest first. */
function requestsOf(stored: readonly CaseFileStoredEvent[], forProsecution: boolean): CaseFileRequest[] {
  const requests: CaseFileRequest[] = [];
  const latest = (clock: ClockKind) => [...requests].reverse().find((request) => request.request === clock);
  for (const stored_ of stored) {
    const event = asDomainEvent(stored_);
    const at = stored_.occurredAt;
    switch (event.type) {
      case 'DeletionRequested':
      case 'SubscriberDataRequested':
        requests.push({ request: event.type === 'DeletionRequested' ? 'deletion' : 'subscriber-data', sentAt: at, deadline: event.data.deadline, escalations: [], removalChecks: [] });
        break;
      case 'RequestEscalated': {
        const { from, to, deadline, trigger, reason } = event.data;
        latest(event.data.clock)?.escalations.push({ at, from, to, deadline, ...(forProsecution && { trigger, ...(reason && { reason }) }) });
        break;
      }
      case 'PlatformResponseRecorded': {
        const request = latest(event.data.clock);
        const { response, step, reason, receivedAt, effectGivenAt } = event.data;
        if (request) request.answer = { response, recordedAt: at, atStep: step, ...(reason && { reason }), ...(receivedAt && { receivedAt }), ...(effectGivenAt && { effectGivenAt }) };
        break;
      }
      case 'RemovalConfirmed':
        latest('deletion')?.removalChecks.push({ at, result: 'gone' });
        break;
      case 'RemovalContradicted':
        latest('deletion')?.removalChecks.push({ at, result: 'still-online' });
        break;
      default: // the other events change no request
        break;
    }
  }
  return requests;
}

function asDomainEvent(stored: CaseFileStoredEvent): ReportEvent {
  return { type: stored.type, data: stored.data, metadata: { actor: stored.actor, now: stored.occurredAt } } as ReportEvent;
}
