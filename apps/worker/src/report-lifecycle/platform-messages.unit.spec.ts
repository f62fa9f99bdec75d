import { fold, reportDecider, reportEffects } from '@engine/domain';
import { at, DAY, event, history, MINUTE } from '../../../../libs/domain/testing/report-fixtures';
import { composePlatformMessage, DEFAULT_ISSUING_AUTHORITY } from './platform-messages';

const sent = () => {
  const [effect] = reportEffects(fold(reportDecider, history.triaged()), [event.deletionRequested(at(20 * MINUTE + DAY))]);
  if (effect?.type !== 'ContactPlatform') throw new Error('expected a message');
  return effect.message;
};

describe('the message the gateway delivers', () => {
  it('is the order rendered for the authority, with its Art. 9(2) elements in the payload webhooks receive', () => {
    const message = sent();
    const outbound = composePlatformMessage(message, message.assessment!, { name: 'LKA Baden-Württemberg, Stuttgart' });
    expect(outbound).toMatchObject({ messageId: message.messageId, platform: 'telegram', recipient: 'standard-contact', reportId: message.report.reportId });
    expect(outbound.subject).toContain('Art. 9 DSA');
    expect(outbound.body).toContain('4. Anordnende Behörde: LKA Baden-Württemberg, Stuttgart');
    expect(outbound.payload).toMatchObject({ kind: 'deletion-request', request: 'deletion', deadline: at(20 * MINUTE + DAY), order: { legalProvision: expect.stringContaining('§ 211 StGB'), issuingAuthority: 'LKA Baden-Württemberg, Stuttgart', territorialScope: 'DE' } });
  });

  it('goes to the high-level contact when the ladder reached it', () => {
    const message = { ...sent(), kind: 'high-level-contact' as const, step: 'high-level-contact' as const };
    expect(composePlatformMessage(message, message.assessment!, DEFAULT_ISSUING_AUTHORITY).recipient).toBe('high-level-contact');
  });
});
