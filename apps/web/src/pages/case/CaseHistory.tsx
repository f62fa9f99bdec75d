// The case's timeline (what happened, who, when, in words), through which the user steps back to see the case as
// it was at an entry, and the messages sent to the platform.

import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLanguage } from '../../components/hooks';
import type { ApiSchemas } from '../../api/client';
import { formatDateTime, localiseInstants } from '../../format/time';
import { useCaseMessages, useCaseTimeline } from './case-queries';
import { earlierVersion, laterVersion, type ViewedVersion } from './case-replay';

interface CaseHistoryProps {
  id: string;
  /** The version the page shows, and the latest (the case now). */
  viewed: ViewedVersion;
  latest: number;
  /** When the past version shown happened (its last event); messages sent after it are marked as later. */
  shownAt?: string;
  /** Show the case at another version. */
  onShow(version: ViewedVersion): void;
}

export function CaseHistory({ id, viewed, latest, shownAt, onShow }: CaseHistoryProps) {
  const { t } = useTranslation();
  const timeline = useCaseTimeline(id);
  const messages = useCaseMessages(id);
  return (
    <>
      <section className="panel" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t('case.timeline')}</h2>
        <HistoryStepper viewed={viewed} latest={latest} onShow={onShow} />
        {timeline.isError && <ErrorMessage error={timeline.error} />}
        {timeline.data &&
          (timeline.data.entries.length === 0 ? (
            <p className="muted">{t('case.noTimeline')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('case.versionColumn')}</th>
                  <th scope="col">{t('case.when')}</th>
                  <th scope="col">{t('case.actor')}</th>
                  <th scope="col">{t('case.event')}</th>
                </tr>
              </thead>
              <tbody>
                {timeline.data.entries.map((entry) => (
                  <TimelineRow key={entry.eventId} entry={entry} shown={viewed === 'now' ? latest : viewed} latest={latest} onShow={onShow} />
                ))}
              </tbody>
            </table>
          ))}
      </section>
      <section className="panel" aria-labelledby="messages-heading">
        <h2 id="messages-heading">{t('case.messages')}</h2>
        {messages.isError && <ErrorMessage error={messages.error} />}
        {messages.data &&
          (messages.data.messages.length === 0 ? (
            <p className="muted">{t('case.noMessages')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('case.when')}</th>
                  <th scope="col">{t('case.kind')}</th>
                  <th scope="col">{t('case.recipient')}</th>
                  <th scope="col">{t('case.delivery')}</th>
                  <th scope="col">{t('case.attempts')}</th>
                </tr>
              </thead>
              <tbody>
                {messages.data.messages.map((message) => (
                  <MessageRow key={message.messageId} message={message} later={shownAt !== undefined && Date.parse(message.firstAttemptAt) > Date.parse(shownAt)} />
                ))}
              </tbody>
            </table>
          ))}
      </section>
    </>
  );
}

/** One line of the timeline; its version's button shows the case as it was after that line (the latest: now). */
function TimelineRow({ entry, shown, latest, onShow }: { entry: ApiSchemas['TimelineEntryDto']; shown: number; latest: number; onShow(version: ViewedVersion): void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const isShown = entry.streamVersion === shown;
  const isLater = entry.streamVersion > shown;
  return (
    <tr className={isShown ? 'viewed' : isLater ? 'later' : undefined} aria-current={isShown ? 'step' : undefined}>
      <td>
        <button
          type="button"
          className="link"
          aria-label={t('case.replay.showVersion', { version: entry.streamVersion })}
          aria-pressed={isShown}
          onClick={() => onShow(entry.streamVersion >= latest ? 'now' : entry.streamVersion)}
        >
          {entry.streamVersion}
        </button>
        {isLater && <span className="visually-hidden"> {t('case.replay.later')}</span>}
      </td>
      <td className="nowrap">{formatDateTime(entry.occurredAt, language)}</td>
      <td>{entry.actor}</td>
      <td>
        {/* The API words the history in English: a German reader gets the event's name in German first. */}
        {language === 'de' && <strong className="event-type">{t(`enum.eventType.${entry.type}`)}</strong>}
        {localiseInstants(entry.summary, language)}
      </td>
    </tr>
  );
}

/** One message sent to the platform; `later`: sent after the past version shown. */
function MessageRow({ message, later }: { message: ApiSchemas['SentMessageDto']; later: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <tr className={later ? 'later' : undefined}>
      <td className="nowrap">
        {formatDateTime(message.firstAttemptAt, language)}
        {later && <span className="visually-hidden"> {t('case.replay.later')}</span>}
      </td>
      <td>
        {message.subject}
        {message.kind && <div className="muted">{message.kind}</div>}
      </td>
      <td>
        {message.recipient}
        {message.address && <div className="muted mono">{message.address}</div>}
      </td>
      <td>
        {t(`enum.messageStatus.${message.status}`)} ({message.channel})
        {message.lastError && <div className="field-error">{message.lastError}</div>}
      </td>
      <td>{message.attempts}</td>
    </tr>
  );
}
/** Earlier / later and where the page stands; buttons stay focusable at either end (aria-disabled), so the keyboard keeps its place. */
function HistoryStepper({ viewed, latest, onShow }: Omit<CaseHistoryProps, 'id' | 'shownAt'>) {
  const { t } = useTranslation();
  const earlier = earlierVersion(viewed, latest);
  const later = laterVersion(viewed, latest);
  const step = (to: ViewedVersion | null) => () => {
    if (to !== null) onShow(to);
  };
  return (
    <div className="history-stepper" role="group" aria-label={t('case.replay.stepper')}>
      <button type="button" aria-disabled={earlier === null} onClick={step(earlier)}>
        ← {t('case.replay.previous')}
      </button>
      <span role="status" className="history-position">
        {viewed === 'now' ? t('case.replay.now', { version: latest }) : t('case.replay.position', { version: viewed, latest })}
      </span>
      <button type="button" aria-disabled={later === null} onClick={step(later)}>
        {t('case.replay.next')} →
      </button>
      {viewed !== 'now' && (
        <button type="button" onClick={() => onShow('now')}>
          {t('case.replay.backToNow')}
        </button>
      )}
    </div>
  );
}
