// Real report states for the HTTP specs, reached by running the domain's decider over a short history, so that
// what the API maps to its public shape is what a workflow would answer.

import { defaultEscalationPolicy, reportDecider } from '@engine/domain';
import type { FiledReportState, ReportCommand, ReportState } from '@engine/domain';

const FILED_AT = Date.parse('2026-02-01T09:00:00.000Z');

function run(commands: ReportCommand[]): ReportState {
  let state = reportDecider.initialState();
  for (const command of commands) {
    for (const event of reportDecider.decide(command, state)) state = reportDecider.evolve(state, event);
  }
  return state;
}

/**
 * A case of the given status: in triage (just filed); active (triaged critical, deletion requested, assigned,
 * one note); paused (the same, paused); closed (the same, removal answered and verified, closed as removed).
 */
export function caseIn(reportId: string, status: FiledReportState['status'] = 'in-triage'): FiledReportState {
  let minute = 0;
  const command = <C extends ReportCommand>(type: C['type'], data: C['data'], actor = 'sam'): ReportCommand =>
    ({ type, data, metadata: { actor, now: new Date(FILED_AT + minute++ * 60_000).toISOString() } }) as ReportCommand;
  const commands: ReportCommand[] = [
    command('FileReport', {
      reportId,
      platform: 'telegram',
      channel: 'citizen-portal',
      contentLocations: [{ url: 'https://t.me/example/1' }],
      excerpt: 'the reported text',
      evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015',
      seenAt: '2026-02-01T08:00:00.000Z',
      reporterReference: 'portal-1',
      policy: defaultEscalationPolicy('telegram'),
    }),
  ];
  if (status !== 'in-triage') {
    commands.push(
      command('TriageReport', { decision: 'actionable', category: 'threat', severity: 'critical', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } }),
      command('RequestDeletion', {}),
      command('AssignCase', { assignee: 'sam' }),
      command('AddNote', { text: 'called the platform' }),
    );
  }
  if (status === 'paused') commands.push(command('PauseCase', { reason: 'awaiting-prosecutor' }));
  if (status === 'closed') {
    commands.push(
      command('RecordPlatformResponse', { clock: 'deletion', response: 'removed' }),
      command('VerifyRemoval', { result: 'gone' }),
      command('CloseCase', { outcome: 'removed' }),
    );
  }
  const state = run(commands);
  if (state.status !== status) throw new Error(`caseIn: reached ${state.status}, not ${status}`);
  return state as FiledReportState;
}
