// An error as the user reads it: the API's message (or the network's), announced to screen readers. In German,
// the gist comes first in German, then the API's own (English) words.

import { useTranslation } from 'react-i18next';
import { ApiRequestError, errorMessage } from '../api/client';
import { germanGist } from '../api/refusals-de';
import type { Language } from '../i18n';
import { useLanguage } from './hooks';

export function describeError(error: unknown, language: Language): string {
  const message = errorMessage(error);
  if (language !== 'de' || !(error instanceof ApiRequestError)) return message;
  const gist = germanGist(error);
  return gist && gist !== message ? `${gist} (${message})` : message;
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (!error) return null;
  return (
    <div role="alert" className="error">
      <span>{describeError(error, language)}</span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}
