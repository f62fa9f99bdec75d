// One request's clock: its status, ladder step, deadline with a live countdown (none for a past state: it would
// count from now), pause state, the platform's answer with when it arrived and when effect was given, and the whole
// ladder with where the request stands on it.

import { useTranslation } from 'react-i18next';
import type { ApiSchemas } from '../../api/client';
import { Countdown } from '../../components/Countdown';
import { useLanguage } from '../../components/hooks';
import { formatDateTime, formatIsoDuration } from '../../format/time';

export function ClockPanel({ clock, past = false }: { clock: ApiSchemas['RequestClockDto']; past?: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const waiting = !past && (clock.status === 'running' || clock.status === 'exhausted');
  const answerTimes = clock.response
    ? [
        clock.response.receivedAt && t('case.answerArrived', { time: formatDateTime(clock.response.receivedAt, language) }),
        clock.response.effectGivenAt && t('case.effectGiven', { time: formatDateTime(clock.response.effectGivenAt, language) }),
      ].filter(Boolean)
    : [];
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
              {answerTimes.length > 0 && <div className="muted">{answerTimes.join(' · ')}</div>}
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
