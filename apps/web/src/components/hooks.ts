// Small hooks shared by the pages.

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toLanguage, type Language } from '../i18n';

/** The current time, advancing every `intervalMs`: what live countdowns render against. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** The language the texts are shown in (de or en). */
export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return toLanguage(i18n.resolvedLanguage ?? i18n.language);
}

/** The browser tab's title for a page: "Inbox – Report escalation" (screen readers announce it on navigation). */
export function useDocumentTitle(title: string): void {
  const { t } = useTranslation();
  const app = t('app.title');
  useEffect(() => {
    document.title = `${title} – ${app}`;
  }, [title, app]);
}
