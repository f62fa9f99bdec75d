import type { Client } from '@temporalio/client';
import { fold, reportDecider, reportEffects, ReportEvent } from '@engine/domain';
import type { EventStore } from '@engine/event-store';
import type { OutboundMessage, PlatformGateway } from '@engine/platform-gateway';
import { at, DAY, event, history, MINUTE } from '../../../../libs/domain/testing/report-fixtures';
import { createReportLifecycleActivities } from './report-lifecycle.activities';

/** The activities over a stream held in memory and a gateway that keeps what it is given. */
function activitiesOver(stored: ReportEvent[]) {
  const delivered: OutboundMessage[] = [];
  const gateway: PlatformGateway = { deliver: async (message) => (delivered.push(message), { messageId: message.messageId, channel: 'log-only', attempt: 1, status: 'recorded' }) };
  const eventStore = { readStream: async () => stored.map((e, index) => ({ ...e, version: index + 1 })) } as unknown as EventStore;
  const activities = createReportLifecycleActivities({ eventStore, gateway, temporal: {} as Client, taskQueue: 'reports', dossierRules: { threshold: 1, interval: 'P7D' }, issuingAuthority: { name: 'LKA Musterland' } });
  return { activities, delivered };
}

const decidedMessage = () => {
  const [effect] = reportEffects(fold(reportDecider, history.triaged()), [event.deletionRequested(at(20 * MINUTE + DAY))]);
  if (effect?.type !== 'ContactPlatform') throw new Error('expected a message');
  return effect.message;
};

describe('contactPlatform', () => {
  it('given a message decided before messages carried the triage, when it is delivered, then the order cites the triage from the stream', async () => {
    const { assessment: _carried, ...withoutTriage } = decidedMessage();
    const { activities, delivered } = activitiesOver(history.deletionRequested());
    await activities.contactPlatform(withoutTriage);
    expect(delivered).toHaveLength(1);
    expect(delivered[0].subject).toContain('§ 111 i. V. m. § 211 StGB');
    expect(delivered[0].body).toContain('Anordnende Behörde: LKA Musterland');
  });

  it('given a stream without triage, when such a message is delivered, then nothing goes out and the activity fails for good', async () => {
    const { assessment: _carried, ...withoutTriage } = decidedMessage();
    const { activities, delivered } = activitiesOver(history.filed());
    await expect(activities.contactPlatform(withoutTriage)).rejects.toMatchObject({ type: 'NoAssessment', nonRetryable: true });
    expect(delivered).toEqual([]);
  });
});
