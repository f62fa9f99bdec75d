import { at, DAY, event, history, MINUTE, REPORT_ID } from '../../testing/report-fixtures';
import { fold } from '../event-sourcing';
import { PlatformMessage, PlatformMessageKind, reportEffects } from './effects';
import { ReportEvent } from './events';
import { citeLegalProvision, LEGAL_PROVISIONS } from './legal-provisions';
import { fillTemplate, renderPlatformOrder } from './platform-order';
import { ORDER_PLACEHOLDERS, PLATFORM_ORDER_TEMPLATES } from './platform-order-templates';
import { reportDecider } from './report-decider';
import { Assessment } from './state';
import { OFFENCE_CATEGORIES } from './vocabulary';

const authority = { name: 'Bundeskriminalamt, Zentrale Meldestelle für strafbare Inhalte im Internet, 65173 Wiesbaden' };
const deadline = at(20 * MINUTE + DAY);

/** Given the case's stored events, when a request is sent, then the message the platform receives. */
function messageSentAfter(events = history.triaged(), sent: ReportEvent = event.deletionRequested(deadline)): PlatformMessage {
  const [effect] = reportEffects(fold(reportDecider, events), [sent]);
  if (effect?.type !== 'ContactPlatform') throw new Error('expected a message to the platform');
  return effect.message;
}

const threat: Assessment = { category: 'threat', severity: 'critical', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: true } };

describe('a deletion request as an order under Art. 9(2) DSA', () => {
  it('given a triaged call to murder, when the deletion request goes out, then it carries every element the regulation requires, in German and English', () => {
    const message = messageSentAfter();
    const order = renderPlatformOrder(message, message.assessment!, authority);

    // (i) the legal basis and the offence's section of the StGB from triage
    expect(order.body).toContain('1. Rechtsgrundlage: Art. 9 der Verordnung (EU) 2022/2065 (Gesetz über digitale Dienste, DSA) in Verbindung mit § 111 i. V. m. § 211 StGB (Öffentliche Aufforderung zum Mord)');
    expect(order.body).toContain('1. Legal basis: Art. 9 of Regulation (EU) 2022/2065 (Digital Services Act, DSA) in conjunction with § 111 in conjunction with § 211 StGB (public call to commit murder)');
    // (ii) a statement of reasons, with the severity in words
    expect(order.body).toMatch(/2\. Begründung: Nach Prüfung .* den Tatbestand § 111 i\. V\. m\. § 211 StGB .* Einstufung: offensichtlich rechtswidrig\./);
    expect(order.body).toMatch(/2\. Statement of reasons: .* Assessment: manifestly unlawful\./);
    // (iv) the exact locations
    expect(order.body).toContain('   - https://t.me/examplechannel/4711 — Kanal examplechannel — Nachrichten 4711');
    expect(order.body).toContain('   - https://t.me/examplechannel/4711 — channel examplechannel — messages 4711');
    expect(order.body).toContain('sha256:9f2c…');
    // (iii) the issuing authority
    expect(order.body).toContain(`4. Anordnende Behörde: ${authority.name}`);
    expect(order.body).toContain(`4. Issuing authority: ${authority.name}`);
    // (v) the redress open to the provider and to the content's author
    expect(order.body).toMatch(/7\. Rechtsbehelfe: .*Widerspruch.*Art\. 20 DSA.*Art\. 21 DSA/);
    expect(order.body).toMatch(/7\. Redress: .*objection.*Art\. 20 DSA.*Art\. 21 DSA/);
    // the deadline, in Berlin time and exactly (2 March 2026, 09:20 UTC + 1 day = 3 March, 10:20 in Berlin)
    expect(order.body).toContain(`6. Frist: 3. März 2026 um 10:20 (Berliner Zeit; ${deadline})`);
    expect(order.body).toContain(`6. Deadline: 3 March 2026 at 10:20 (Berlin time; ${deadline})`);
    // territorial scope (Art. 9(2)(b)) and where to report the effect given (Art. 9(1))
    expect(order.body).toContain('5. Räumlicher Geltungsbereich: Bundesrepublik Deutschland');
    expect(order.body).toMatch(/8\. Information on the effect given: .* whether and when you gave effect/);
    expect(order.body.indexOf('=== Deutsch ===')).toBe(0);
    expect(order.body).toContain('\n\n=== English ===\n\n');
    expect(order.body).not.toContain('{{');

    expect(order.subject).toBe(
      `Anordnung zum Vorgehen gegen rechtswidrige Inhalte (Art. 9 DSA) – Meldung ${REPORT_ID} – § 111 i. V. m. § 211 StGB (Öffentliche Aufforderung zum Mord) / ` +
        `Order to act against illegal content (Art. 9 DSA) – report ${REPORT_ID} – § 111 in conjunction with § 211 StGB (public call to commit murder)`,
    );
    expect(order.elements).toEqual({
      legalBasis: 'Art. 9 of Regulation (EU) 2022/2065 (Digital Services Act, DSA)',
      legalProvision: '§ 111 i. V. m. § 211 StGB (Öffentliche Aufforderung zum Mord)',
      statementOfReasons: { de: expect.stringContaining('Öffentliche Aufforderung zum Mord'), en: expect.stringContaining('public call to commit murder') },
      contentLocations: message.report.contentLocations,
      issuingAuthority: authority.name,
      territorialScope: 'DE',
      deadline,
      languages: ['de', 'en'],
    });
  });

  it('given a threat to life, when ordered, then it cites § 241 StGB and asks for immediate action', () => {
    const order = renderPlatformOrder(messageSentAfter(), threat, authority);
    expect(order.body).toContain('in Verbindung mit § 241 StGB (Bedrohung)');
    expect(order.body).toContain('Einstufung: Gefahr für Leib oder Leben – sofortiges Handeln erforderlich.');
    expect(order.body).toContain('Assessment: threat to life or limb – immediate action required.');
  });

  it('given a subscriber-data request, when it goes out, then its basis is Art. 10 DSA', () => {
    const message = messageSentAfter(history.triaged(), event.subscriberDataRequested(deadline));
    const order = renderPlatformOrder(message, message.assessment!, authority);
    expect(order.subject).toMatch(/^Auskunftsanordnung \(Art\. 10 DSA\)/);
    expect(order.body).toContain('1. Rechtsgrundlage: Art. 10 der Verordnung (EU) 2022/2065');
    expect(order.elements.legalBasis).toBe('Art. 10 of Regulation (EU) 2022/2065 (Digital Services Act, DSA)');
  });

  it('given an escalation, when the reminder or the high-level contact is written, then the order is repeated in full with the new deadline', () => {
    const escalation: PlatformMessageKind[] = ['reminder', 'high-level-contact', 'removal-still-online'];
    for (const kind of escalation) {
      const order = renderPlatformOrder({ ...messageSentAfter(), kind, step: 'reminder', deadline: at(3 * DAY) }, threat, authority);
      expect(order.body).toContain('1. Rechtsgrundlage:');
      expect(order.body).toContain('7. Redress:');
      expect(order.body).toContain(at(3 * DAY));
      expect(order.body).not.toContain('{{');
    }
    const reminder = renderPlatformOrder({ ...messageSentAfter(), kind: 'reminder', step: 'reminder' }, threat, authority);
    expect(reminder.subject).toBe(`Erinnerung: Löschungsanordnung – Meldung ${REPORT_ID} / Reminder: order to remove content – report ${REPORT_ID}`);
    const highLevel = renderPlatformOrder({ ...messageSentAfter(), kind: 'high-level-contact', step: 'high-level-contact' }, threat, authority);
    expect(highLevel.body).toContain('hochrangige Ansprechperson');
    expect(highLevel.body).toContain('high-level contact your company has named');
  });

  it('every offence category names a provision; every category but "other" a section of the StGB', () => {
    for (const category of OFFENCE_CATEGORIES) {
      expect(citeLegalProvision(category, 'de')).toContain('StGB');
      if (category !== 'other') expect(LEGAL_PROVISIONS[category].sections).toMatch(/^§ \d+/);
    }
    expect(citeLegalProvision('insult', 'en')).toBe('§ 185 StGB (insult)');
    expect(citeLegalProvision('incitement-of-the-people', 'de')).toBe('§ 130 StGB (Volksverhetzung)');
    expect(citeLegalProvision('public-incitement', 'de')).toBe('§ 111 StGB (Öffentliche Aufforderung zu Straftaten)');
  });

  it('the templates use only placeholders the renderer fills, and a placeholder without a value is refused, not left in the text', () => {
    const known = new Set([...Object.keys(ORDER_PLACEHOLDERS), 'reasons']);
    const used = JSON.stringify(PLATFORM_ORDER_TEMPLATES).match(/\{\{(\w+)\}\}/g)!.map((p) => p.slice(2, -2));
    expect(used.filter((name) => !known.has(name))).toEqual([]);
    expect(() => fillTemplate('Due {{deadline}}', {})).toThrow('{{deadline}}');
  });
});
