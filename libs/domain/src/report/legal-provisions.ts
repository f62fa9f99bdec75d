// The provision of German criminal law (StGB) behind each offence category of triage: what an order to the
// platform names as its legal basis (Art. 9(2)(a)(i) DSA) and what the case file states.

import { OffenceCategory } from './vocabulary';

export interface LegalProvision {
  /** The section(s) as cited, e.g. `§ 241 StGB`; empty for `other`, where no single section follows from the category. */
  sections: string;
  /** The offence's name in German and in English. */
  de: string;
  en: string;
}

export const LEGAL_PROVISIONS: { readonly [C in OffenceCategory]: LegalProvision } = {
  threat: { sections: '§ 241 StGB', de: 'Bedrohung', en: 'threat' },
  insult: { sections: '§ 185 StGB', de: 'Beleidigung', en: 'insult' },
  'public-incitement': { sections: '§ 111 StGB', de: 'Öffentliche Aufforderung zu Straftaten', en: 'public incitement to commit offences' },
  'incitement-of-the-people': { sections: '§ 130 StGB', de: 'Volksverhetzung', en: 'incitement of the people (Volksverhetzung)' },
  // A public call to kill: incitement to commit offences, the offence called for being murder.
  'call-to-murder': { sections: '§ 111 i. V. m. § 211 StGB', de: 'Öffentliche Aufforderung zum Mord', en: 'public call to commit murder' },
  other: { sections: '', de: 'Straftat nach dem Strafgesetzbuch', en: 'offence under the German Criminal Code' },
};

/** The provision as an order cites it: `§ 241 StGB (Bedrohung)`, or the offence's name alone for `other`. */
export function citeLegalProvision(category: OffenceCategory, language: 'de' | 'en'): string {
  const provision = LEGAL_PROVISIONS[category];
  const name = provision[language];
  if (!provision.sections) return `${name} (StGB)`;
  const sections = language === 'de' ? provision.sections : provision.sections.replace('i. V. m.', 'in conjunction with');
  return `${sections} (${name})`;
}
