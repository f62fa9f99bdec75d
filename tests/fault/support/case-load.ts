// A bounded load of filings and back-office actions from several concurrent clients, meant to run straight through
// crashes: it remembers every action the engine acknowledged (2xx), so that a test can look for each one in the
// event store afterwards. A filing that got no answer is retried with its Idempotency-Key until it does, so every
// case that may exist is known.

import { randomUUID } from 'node:crypto';
import { CLOCK_KINDS, defaultEscalationPolicy, LADDER_STEPS, SEVERITIES } from '@engine/domain';
import { ApiClient } from './api-client';

export interface Acknowledged {
  reportId: string;
  route: string;
  /** The event the action stores. */
  eventType: string;
  /** The stream version the answer showed: the event is at or below it. */
  version: number;
  /** What tells this event from others of its type (a note's text, an assignee). */
  marker?: { field: string; value: string };
}

const EVENT_OF: Record<string, string> = {
  file: 'ReportFiled',
  triage: 'ReportTriaged',
  'deletion-request': 'DeletionRequested',
  notes: 'NoteAdded',
  assignment: 'CaseAssigned',
};

export const EVIDENCE_HASH = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

export function filingBody(platform: string, reference: string) {
  return {
    platform,
    channel: 'citizen-portal',
    contentLocations: [{ url: `https://t.me/c/${reference}` }],
    excerpt: 'Threat against a mayor',
    evidenceHash: EVIDENCE_HASH,
    seenAt: '2026-11-20T10:00:00Z',
    reporterReference: reference,
  };
}

export const TRIAGE_BODY = { decision: 'actionable', category: 'threat', severity: 'high', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } };

/**
 * A policy whose first deadline (standard contact) passes after `firstStep` and whose later steps take a day: each
 * case escalates once, on its own timer, then stays quiet, so the store comes to rest for the final comparison.
 */
export function shortFirstDeadlinePolicy(platform: string, firstStep: string) {
  const rules = defaultEscalationPolicy(platform).rules;
  for (const s of SEVERITIES) for (const c of CLOCK_KINDS) for (const step of LADDER_STEPS) rules[s][c][step] = { duration: step === 'standard-contact' ? firstStep : 'P1D', basis: 'calendar' };
  return { rules, appliesTo: 'new-cases', reason: 'Fault drill: the first deadline passes within the test' };
}

interface OwnCase {
  id: string;
  /** 0: filed, 1: triaged, 2: deletion requested. */
  step: number;
}

export class CaseLoad {
  readonly acknowledged: Acknowledged[] = [];
  readonly reports = new Set<string>();
  /** Answers by status (0: no answer), for the test's log. */
  readonly answers = new Map<number, number>();
  private readonly unansweredFilings = new Map<string, ReturnType<typeof filingBody>>();
  private running = false;
  private loops: Promise<void>[] = [];
  private sequence = 0;

  constructor(
    private readonly api: () => ApiClient,
    private readonly options: { clients: number; platform: string; pauseMs?: number },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: this.options.clients }, (_, client) => this.client(client));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Retries every filing that got no answer (with its key) until each is answered: then every case is known. */
  async settleFilings(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (const [key, body] of this.unansweredFilings) {
      for (;;) {
        const answer = await this.api().post('/api/reports', body, undefined, { 'Idempotency-Key': key });
        if (answer.status === 200 || answer.status === 201) {
          this.remember(answer.body.report.reportId, 'file', answer.body.version);
          this.unansweredFilings.delete(key);
          break;
        }
        if (answer.status !== 0 && answer.status < 500) throw new Error(`a retried filing was refused: ${answer.status} ${answer.text}`);
        if (Date.now() > until) throw new Error(`a retried filing got no answer within ${timeoutMs} ms: ${answer.status} ${answer.failure ?? answer.text}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private lastStatus = 200;

  private count(status: number): void {
    this.lastStatus = status;
    this.answers.set(status, (this.answers.get(status) ?? 0) + 1);
  }

  private remember(reportId: string, route: string, version: number, marker?: Acknowledged['marker']): void {
    this.reports.add(reportId);
    this.acknowledged.push({ reportId, route, eventType: EVENT_OF[route], version, marker });
  }

  private async client(client: number): Promise<void> {
    const own: OwnCase[] = [];
    while (this.running) {
      const n = ++this.sequence;
      if (own.length < 2 || Math.random() < 0.2) {
        const key = randomUUID();
        const body = filingBody(this.options.platform, `fault-${client}-${n}`);
        this.unansweredFilings.set(key, body);
        const answer = await this.api().post('/api/reports', body, undefined, { 'Idempotency-Key': key });
        this.count(answer.status);
        if (answer.status === 200 || answer.status === 201) {
          this.unansweredFilings.delete(key);
          this.remember(answer.body.report.reportId, 'file', answer.body.version);
          own.push({ id: answer.body.report.reportId, step: 0 });
        } else if ((answer.status !== 0 && answer.status < 500) || answer.failure === 'ECONNREFUSED') {
          this.unansweredFilings.delete(key); // refused, or never reached the engine: nothing was filed
        }
      } else {
        const target = own[Math.floor(Math.random() * own.length)];
        const [route, body, marker] =
          target.step === 0 ? ['triage', TRIAGE_BODY]
          : target.step === 1 ? ['deletion-request', undefined]
          : n % 2 ? ['notes', { text: `note ${n}` }, { field: 'text', value: `note ${n}` }]
          : ['assignment', { assignee: `user-${n}` }, { field: 'assignee', value: `user-${n}` }];
        const answer = await this.api().post(`/api/reports/${target.id}/${route}`, body);
        this.count(answer.status);
        if (answer.status === 200) {
          this.remember(target.id, route as string, answer.body.version, marker as Acknowledged['marker']);
          target.step = Math.min(target.step + 1, 2);
        } else if (answer.status === 409 && target.step < 2) {
          target.step++; // an unanswered earlier attempt did take this step
        }
      }
      // While the engine is down, try again a little later rather than in a tight loop.
      const down = this.lastStatus === 0;
      await new Promise((resolve) => setTimeout(resolve, down ? 200 : (this.options.pauseMs ?? 20)));
    }
  }
}
