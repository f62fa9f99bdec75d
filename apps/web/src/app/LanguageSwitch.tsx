// The language choice in the header; i18next remembers it (localStorage).

import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../components/hooks';
import { LANGUAGES } from '../i18n';

const NAMES = { de: 'Deutsch', en: 'English' } as const;

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const language = useLanguage();
  const id = useId();
  return (
    <span className="language-switch">
      <label htmlFor={id}>{t('app.language')}</label>
      <select id={id} value={language} onChange={(event) => void i18n.changeLanguage(event.target.value)}>
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {NAMES[code]}
          </option>
        ))}
      </select>
    </span>
  );
}
