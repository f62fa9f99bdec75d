// The case's timeline (what happened, who, when, in words) and the messages sent to the platform.

import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLanguage } from '../../components/hooks';
import { formatDateTime } from '../../format/time';
import { useCaseMessages, useCaseTimeline } from './case-queries';

export function CaseHistory({ id }: { id: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const timeline = useCaseTimeline(id);
  const messages = useCaseMessages(id);
  return (
    <>
      <section className="panel" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t('case.timeline')}</h2>
        {timeline.isError && <ErrorMessage error={timeline.error} />}
        {timeline.data &&
          (timeline.data.entries.length === 0 ? (
            <p className="muted">{t('case.noTimeline')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('case.when')}</th>
                  <th scope="col">{t('case.actor')}</th>
                  <th scope="col">{t('case.event')}</th>
                </tr>
              </thead>
              <tbody>
                {timeline.data.entries.map((entry) => (
                  <tr key={entry.eventId}>
                    <td className="nowrap">{formatDateTime(entry.occurredAt, language)}</td>
                    <td>{entry.actor}</td>
                    <td>
                      {/* The API words the history in English: a German reader gets the event's name in German first. */}
                      {language === 'de' && <strong className="event-type">{t(`enum.eventType.${entry.type}`)}</strong>}
                      {entry.summary}
                    </td>
                  </tr>
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
                  <tr key={message.messageId}>
                    <td className="nowrap">{formatDateTime(message.firstAttemptAt, language)}</td>
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
                ))}
              </tbody>
            </table>
          ))}
      </section>
    </>
  );
}
