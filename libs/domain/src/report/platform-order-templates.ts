// The templates of what the engine writes to a platform, in German and in English: an order to act against
// illegal content (Art. 9(2) DSA) or to provide information (Art. 10(2) DSA), and each reminder and escalation of
// it. Kept as data so that admins can read them (`GET /api/message-templates`) exactly as they are filled in.

import { PlatformMessageKind } from './effects';

export const ORDER_LANGUAGES = ['de', 'en'] as const;
export type OrderLanguage = (typeof ORDER_LANGUAGES)[number];

/** The placeholders a template may use, each filled by `renderPlatformOrder`. */
export const ORDER_PLACEHOLDERS = {
  reportId: "the report's id, the reference for any answer",
  legalBasis: 'Art. 9 (removal) or Art. 10 (subscriber data) of Regulation (EU) 2022/2065',
  provision: "the offence's section of the StGB and its name, from triage",
  severity: 'the severity from triage, in words',
  seenAt: 'when the content was seen',
  locations: 'the exact URLs, channels and message ids, one per line',
  excerpt: 'the excerpt of the content',
  evidenceHash: 'the hash of the preserved evidence',
  authority: 'the issuing authority (ISSUING_AUTHORITY)',
  deadline: 'the deadline of the current ladder step, in Berlin time and as an ISO instant',
  request: 'the request: deletion or subscriber data',
} as const;
export type OrderPlaceholder = keyof typeof ORDER_PLACEHOLDERS;

export interface PlatformOrderTemplate {
  subject: Record<PlatformMessageKind, string>;
  /** The first paragraph, which says what is asked and why it comes now. */
  opening: Record<PlatformMessageKind, string>;
  /** The statement of reasons (Art. 9(2)(a)(ii) DSA). */
  reasons: string;
  /** The order's body after the opening: every element Art. 9(2) DSA requires. */
  body: string;
  severity: Record<'critical' | 'high' | 'standard', string>;
  request: Record<'deletion' | 'subscriber-data', string>;
}

export const PLATFORM_ORDER_TEMPLATES: Record<OrderLanguage, PlatformOrderTemplate> = {
  de: {
    subject: {
      'deletion-request': 'Anordnung zum Vorgehen gegen rechtswidrige Inhalte (Art. 9 DSA) – Meldung {{reportId}} – {{provision}}',
      'subscriber-data-request': 'Auskunftsanordnung (Art. 10 DSA) – Meldung {{reportId}} – {{provision}}',
      reminder: 'Erinnerung: {{request}} – Meldung {{reportId}}',
      'high-level-contact': 'Eskalation: {{request}} – Meldung {{reportId}}',
      'removal-still-online': 'Inhalt weiterhin abrufbar – Meldung {{reportId}}',
    },
    opening: {
      'deletion-request': 'Wir ordnen an, die unten bezeichneten rechtswidrigen Inhalte zu entfernen oder den Zugang zu ihnen in der Bundesrepublik Deutschland zu sperren.',
      'subscriber-data-request': 'Wir ordnen an, uns die Bestandsdaten des Kontos zu übermitteln, über das die unten bezeichneten Inhalte verbreitet wurden.',
      reminder: 'Auf unsere {{request}} zu Meldung {{reportId}} haben wir bis heute keine Antwort erhalten. Wir erinnern an die Anordnung; sie wird hier vollständig wiederholt.',
      'high-level-contact': 'Ihre benannte Kontaktstelle hat unsere {{request}} zu Meldung {{reportId}} nicht fristgerecht beantwortet. Wir wenden uns deshalb an Sie als die von Ihrem Unternehmen benannte hochrangige Ansprechperson und wiederholen die Anordnung vollständig.',
      'removal-still-online': 'Sie haben die unten bezeichneten Inhalte als entfernt gemeldet; sie sind jedoch weiterhin abrufbar. Wir wiederholen die Anordnung.',
    },
    reasons:
      'Nach Prüfung durch die anordnende Behörde erfüllen die unten bezeichneten Inhalte den Tatbestand {{provision}}. Sie wurden am {{seenAt}} festgestellt und als Beweismittel gesichert. Einstufung: {{severity}}.',
    body: [
      'Bezug: Meldung {{reportId}} (bitte in jeder Antwort angeben)',
      '',
      '1. Rechtsgrundlage: {{legalBasis}} in Verbindung mit {{provision}}',
      '2. Begründung: {{reasons}}',
      '3. Genaue Fundstellen:',
      '{{locations}}',
      '   Auszug: „{{excerpt}}“',
      '   Hash des gesicherten Beweismittels: {{evidenceHash}}',
      '4. Anordnende Behörde: {{authority}}',
      '5. Räumlicher Geltungsbereich: Bundesrepublik Deutschland; die Anordnung beschränkt sich auf das zur Erreichung ihres Ziels unbedingt Erforderliche.',
      '6. Frist: {{deadline}}',
      '7. Rechtsbehelfe: Gegen diese Anordnung kann der Diensteanbieter innerhalb eines Monats nach Zugang Widerspruch bei der anordnenden Behörde einlegen; im Übrigen steht der Verwaltungsrechtsweg offen. Die Person, die die Inhalte bereitgestellt hat, kann das interne Beschwerdemanagementsystem des Anbieters (Art. 20 DSA), die außergerichtliche Streitbeilegung (Art. 21 DSA) und den Rechtsweg vor den Gerichten in Anspruch nehmen.',
      '8. Rückmeldung: Bitte teilen Sie der anordnenden Behörde unverzüglich mit, ob und wann Sie der Anordnung nachgekommen sind (Art. 9 Abs. 1 bzw. Art. 10 Abs. 1 DSA), unter Angabe der Meldung {{reportId}}.',
    ].join('\n'),
    severity: {
      critical: 'Gefahr für Leib oder Leben – sofortiges Handeln erforderlich',
      high: 'offensichtlich rechtswidrig',
      standard: 'rechtswidrig',
    },
    request: { deletion: 'Löschungsanordnung', 'subscriber-data': 'Auskunftsanordnung' },
  },
  en: {
    subject: {
      'deletion-request': 'Order to act against illegal content (Art. 9 DSA) – report {{reportId}} – {{provision}}',
      'subscriber-data-request': 'Order to provide information (Art. 10 DSA) – report {{reportId}} – {{provision}}',
      reminder: 'Reminder: {{request}} – report {{reportId}}',
      'high-level-contact': 'Escalation: {{request}} – report {{reportId}}',
      'removal-still-online': 'Content still online – report {{reportId}}',
    },
    opening: {
      'deletion-request': 'We order you to remove the illegal content identified below or to disable access to it in the Federal Republic of Germany.',
      'subscriber-data-request': 'We order you to provide the subscriber data of the account through which the content identified below was disseminated.',
      reminder: 'We have not received an answer to our {{request}} concerning report {{reportId}}. We remind you of the order, which is repeated in full below.',
      'high-level-contact': 'Your designated point of contact has not answered our {{request}} concerning report {{reportId}} in time. We therefore turn to you as the high-level contact your company has named, and repeat the order in full.',
      'removal-still-online': 'You reported the content identified below as removed, but it is still online. We repeat the order.',
    },
    reasons:
      'Having examined it, the issuing authority finds that the content identified below constitutes the offence of {{provision}}. It was seen on {{seenAt}} and preserved as evidence. Assessment: {{severity}}.',
    body: [
      'Reference: report {{reportId}} (please quote it in every answer)',
      '',
      '1. Legal basis: {{legalBasis}} in conjunction with {{provision}}',
      '2. Statement of reasons: {{reasons}}',
      '3. Exact locations:',
      '{{locations}}',
      '   Excerpt: "{{excerpt}}"',
      '   Hash of the preserved evidence: {{evidenceHash}}',
      '4. Issuing authority: {{authority}}',
      '5. Territorial scope: the Federal Republic of Germany; the order is limited to what is strictly necessary to achieve its objective.',
      '6. Deadline: {{deadline}}',
      '7. Redress: the provider may lodge an objection with the issuing authority within one month of receipt; beyond that, recourse to the administrative courts is open. The person who provided the content may use the provider\'s internal complaint-handling system (Art. 20 DSA), out-of-court dispute settlement (Art. 21 DSA) and judicial redress.',
      '8. Information on the effect given: please inform the issuing authority without undue delay whether and when you gave effect to this order (Art. 9(1) or Art. 10(1) DSA), quoting report {{reportId}}.',
    ].join('\n'),
    severity: {
      critical: 'threat to life or limb – immediate action required',
      high: 'manifestly unlawful',
      standard: 'unlawful',
    },
    request: { deletion: 'order to remove content', 'subscriber-data': 'order to provide information' },
  },
};
