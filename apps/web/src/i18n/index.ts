// i18next with German and English: the browser's language first, the user's choice (header) remembered in
// localStorage. Texts live in en.ts and de.ts (de must have every key en has: the type says so).

import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { de } from './de';
import { en } from './en';
import { adminTexts } from './admin-texts';
import { oidcTexts } from './oidc-texts';
import { cooperationTexts } from './cooperation-texts';

export const LANGUAGES = ['de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export function toLanguage(code: string | undefined): Language {
  return code?.toLowerCase().startsWith('de') ? 'de' : 'en';
}

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    // Pages with many texts of their own keep them in a namespace file of their own (useTranslation('<namespace>')).
    resources: {
      en: { translation: en, oidc: oidcTexts.en, admin: adminTexts.en, cooperation: cooperationTexts.en },
      de: { translation: de, oidc: oidcTexts.de, admin: adminTexts.de, cooperation: cooperationTexts.de },
    },
    supportedLngs: LANGUAGES,
    nonExplicitSupportedLngs: true,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    detection: { order: ['localStorage', 'navigator'], lookupLocalStorage: 'back-office.language', caches: ['localStorage'] },
  });

// The page's lang attribute follows the choice, for screen readers and hyphenation.
i18n.on('languageChanged', (language) => document.documentElement.setAttribute('lang', toLanguage(language)));
document.documentElement.setAttribute('lang', toLanguage(i18n.language));

export default i18n;
