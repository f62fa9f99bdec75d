// Renders a message to the platform as the order Art. 9(2) / Art. 10(2) DSA describes, in German and English,
// from the templates in platform-order-templates.ts. Pure: the case, the authority and the template in, text out.

import { ClockKind } from '../policy/escalation-policy';
import { PlatformMessage } from './effects';
import { citeLegalProvision } from './legal-provisions';
import { ORDER_LANGUAGES, OrderLanguage, OrderPlaceholder, PLATFORM_ORDER_TEMPLATES, PlatformOrderTemplate } from './platform-order-templates';
import { Assessment } from './state';
import { ContentLocation } from './vocabulary';

/** The authority that issues the orders, as configured (for example `ISSUING_AUTHORITY`). */
export interface IssuingAuthority {
  /** Name and address, as the platform should quote it: "Bundeskriminalamt, Zentrale Meldestelle …, Wiesbaden". */
  name: string;
}

export interface PlatformOrder {
  /** German, then English. */
  subject: string;
  /** The German order, then the English one, under their language headings. */
  body: string;
  /** The elements Art. 9(2) / Art. 10(2) DSA requires, machine-readable (for webhooks and the sent-messages log). */
  elements: {
    legalBasis: string;
    legalProvision: string;
    statementOfReasons: { de: string; en: string };
    contentLocations: ContentLocation[];
    issuingAuthority: string;
    territorialScope: 'DE';
    deadline: string;
    languages: OrderLanguage[];
  };
}

const LEGAL_BASIS: Record<ClockKind, Record<OrderLanguage, string>> = {
  deletion: {
    de: 'Art. 9 der Verordnung (EU) 2022/2065 (Gesetz über digitale Dienste, DSA)',
    en: 'Art. 9 of Regulation (EU) 2022/2065 (Digital Services Act, DSA)',
  },
  'subscriber-data': {
    de: 'Art. 10 der Verordnung (EU) 2022/2065 (Gesetz über digitale Dienste, DSA)',
    en: 'Art. 10 of Regulation (EU) 2022/2065 (Digital Services Act, DSA)',
  },
};

const LANGUAGE_HEADING: Record<OrderLanguage, string> = { de: '=== Deutsch ===', en: '=== English ===' };

/** The message as an order: what was asked, on what legal basis, why, where, by whom, until when, and the redress. */
export function renderPlatformOrder(message: PlatformMessage, assessment: Assessment, authority: IssuingAuthority): PlatformOrder {
  const rendered = ORDER_LANGUAGES.map((language) => renderIn(language, PLATFORM_ORDER_TEMPLATES[language], message, assessment, authority));
  const [de, en] = rendered;
  return {
    subject: `${de.subject} / ${en.subject}`,
    body: rendered.map(({ language, text }) => `${LANGUAGE_HEADING[language]}\n\n${text}`).join('\n\n'),
    elements: {
      legalBasis: LEGAL_BASIS[message.clock].en,
      legalProvision: citeLegalProvision(assessment.category, 'de'),
      statementOfReasons: { de: de.reasons, en: en.reasons },
      contentLocations: message.report.contentLocations,
      issuingAuthority: authority.name,
      territorialScope: 'DE',
      deadline: message.deadline,
      languages: [...ORDER_LANGUAGES],
    },
  };
}

function renderIn(language: OrderLanguage, template: PlatformOrderTemplate, message: PlatformMessage, assessment: Assessment, authority: IssuingAuthority) {
  const { report } = message;
  const values: Omit<Record<OrderPlaceholder, string>, 'reasons'> = {
    reportId: report.reportId,
    legalBasis: LEGAL_BASIS[message.clock][language],
    provision: citeLegalProvision(assessment.category, language),
    severity: template.severity[assessment.severity],
    seenAt: formatInstant(report.seenAt, language),
    locations: report.contentLocations.map((location) => `   - ${describeLocation(location, language)}`).join('\n'),
    excerpt: report.excerpt,
    evidenceHash: report.evidenceHash,
    authority: authority.name,
    deadline: formatInstant(message.deadline, language),
    request: template.request[message.clock],
  };
  const reasons = fillTemplate(template.reasons, values);
  const all = { ...values, reasons };
  const text = `${fillTemplate(template.opening[message.kind], all)}\n\n${fillTemplate(template.body, all)}`;
  return { language, subject: fillTemplate(template.subject[message.kind], all), reasons, text };
}

/** Fills `{{name}}` placeholders; a placeholder without a value is a defect in the template, not left in the text. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`The template uses {{${name}}}, which has no value`);
    return value;
  });
}

function describeLocation(location: ContentLocation, language: OrderLanguage): string {
  const [channel, messages] = language === 'de' ? ['Kanal', 'Nachrichten'] : ['channel', 'messages'];
  return [location.url, location.channel && `${channel} ${location.channel}`, location.messageIds?.length && `${messages} ${location.messageIds.join(', ')}`]
    .filter(Boolean)
    .join(' — ');
}

/** Berlin time, as the platform's staff and ours read it, with the exact instant beside it. */
function formatInstant(instant: string, language: OrderLanguage): string {
  const local = new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
    timeZone: 'Europe/Berlin',
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(new Date(instant));
  const zone = language === 'de' ? 'Berliner Zeit' : 'Berlin time';
  return `${local} (${zone}; ${instant})`;
}
