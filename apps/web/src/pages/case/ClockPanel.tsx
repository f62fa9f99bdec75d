// One request's clock: its status, ladder step, deadline with a live countdown, pause state, the platform's answer
// and the whole ladder with where the request stands on it.

import { useTranslation } from 'react-i18next';
import type { ApiSchemas } from '../../api/client';
import { Countdown } from '../../components/Countdown';
import { useLanguage } from '../../components/hooks';
import { formatDateTime, formatIsoDuration } from '../../format/time';

export function ClockPanel({ clock }: { clock: ApiSchemas['RequestClockDto'] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const waiting = clock.status === 'running' || clock.status === 'exhausted';
  return (
    <div className="clock">
      <h3>
        {t(`enum.clock.${clock.kind}`)}: {t(`enum.clockStatus.${clock.status}`)}
      </h3>
      <dl className="facts">
        <dt>{t('case.requestedAt')}</dt>
        <dd>{formatDateTime(clock.requestedAt, language)}</dd>
        <dt>{t('case.step')}</dt>
        <dd>{t(`enum.step.${clock.step}`)}</dd>
        <dt>{t('case.deadline')}</dt>
        <dd>
          {formatDateTime(clock.deadline, language)} {waiting && <>({<Countdown deadline={clock.deadline} paused={clock.paused} />})</>}
        </dd>
        {clock.response && (
          <>
            <dt>{t('case.answer')}</dt>
            <dd>
              {t(`enum.answer.${clock.response.kind}`)}, {formatDateTime(clock.response.at, language)}
              {clock.response.reason && ` — ${clock.response.reason}`}
            </dd>
          </>
        )}
        {clock.removal && (
          <>
            <dt>{t('case.removal')}</dt>
            <dd>{t(`enum.removal.${clock.removal}`)}</dd>
          </>
        )}
      </dl>
      {clock.ladder.length > 0 && (
        <ol className="ladder" aria-label={t('case.ladder')}>
          {clock.ladder.map((step) => (
            <li key={step.step} className={step.progress} aria-current={step.progress === 'current' ? 'step' : undefined}>
              {t(`enum.step.${step.step}`)} · {formatIsoDuration(step.duration, language)} ({t(`enum.basis.${step.basis}`)})
              <span className="visually-hidden"> — {t(`enum.progress.${step.progress}`)}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
