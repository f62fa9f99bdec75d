// One case: the report, its clocks on the escalation ladder, timeline, messages, notes, assignment, the hash
// chain's check, the case file to download, and the actions the case allows now (staff and admin only). Polls, so
// it follows the case. Stepping through the timeline shows the case as it was at a past version (?atVersion=N),
// marked as such and without actions.

import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { ReportDetail } from '../../api/client';
import { ApiRequestError } from '../../api/client';
import { CLOCK_KINDS } from '../../api/vocabulary';
import { hasRole } from '../../auth/roles';
import { useSession } from '../../auth/session';
import { Countdown } from '../../components/Countdown';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useDocumentTitle, useLanguage } from '../../components/hooks';
import { formatDateTime } from '../../format/time';
import { availableActions, type ActionName } from './actions';
import { ActionForm } from './ActionForm';
import { CaseHistory } from './CaseHistory';
import { ClockPanel } from './ClockPanel';
import { CaseFilePanel } from './CaseFilePanel';
import { useCaseAction, useCaseDetail, useCaseIntegrity, useCaseStateAt } from './case-queries';
import { AT_VERSION_PARAM, viewedVersion, withViewedVersion, type ViewedVersion } from './case-replay';

export function CasePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const detail = useCaseDetail(id);
  useDocumentTitle(t('case.title', { id }));

  if (detail.isPending) return <p>{t('app.loading')}</p>;
  if (detail.isError) {
    return (
      <>
        <h1>{t('case.title', { id })}</h1>
        <ErrorMessage error={detail.error} onRetry={() => void detail.refetch()} />
        <p>
          <Link to="/inbox">{t('app.backToInbox')}</Link>
        </p>
      </>
    );
  }
  return <CaseView id={id} current={detail.data} />;
}

/** The case now, or as it was at the version the address names; the timeline steps between them. */
function CaseView({ id, current }: { id: string; current: ReportDetail }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const latest = current.version;
  const viewed = viewedVersion(params.get(AT_VERSION_PARAM), latest);
  const pastState = useCaseStateAt(id, viewed === 'now' ? undefined : viewed);
  const isPast = viewed !== 'now';
  // Until the past version arrives, the page keeps what it showed (the version before, or now) under the loading notice.
  const detail: ReportDetail = (isPast && pastState.data) || current;
  const show = (version: ViewedVersion) => setParams(withViewedVersion(params, version), { replace: true });
  const report = detail.report;
  const clocks = CLOCK_KINDS.flatMap((kind) => (detail.clocks[kind] ? [detail.clocks[kind]] : []));

  return (
    <>
      <div className="page-header">
        <h1>{t('case.title', { id })}</h1>
        {isPast && <span className="badge past-state">{t('case.replay.pastBadge')}</span>}
        <span className={`badge status-${detail.status}`}>{t(`enum.status.${detail.status}`)}</span>
        {detail.assessment && <span className={`badge severity-${detail.assessment.severity}`}>{t(`enum.severity.${detail.assessment.severity}`)}</span>}
        {!isPast && (detail.overdueSince ?? detail.nextDeadline) && <Countdown deadline={detail.overdueSince ?? detail.nextDeadline} paused={detail.status === 'paused'} />}
        <span className="muted">{t('case.version', { version: detail.version })}</span>
      </div>
      {isPast && (
        <div className="notice past-state-notice">
          <p role="status">
            {pastState.data && !pastState.isPlaceholderData ? (
              <>
                <strong>
                  {t('case.replay.asOf', {
                    version: pastState.data.asOf.version,
                    // The case may have moved on since this version was fetched: the larger latest, as the stepper counts.
                    latest: Math.max(pastState.data.asOf.latestVersion, latest),
                    time: formatDateTime(pastState.data.asOf.occurredAt, language),
                  })}
                </strong>
                . {t('case.replay.pastNotice')}
              </>
            ) : pastState.isError ? null : (
              t('case.replay.loading', { version: viewed })
            )}
          </p>
          {pastState.isError && <ErrorMessage error={pastState.error} onRetry={() => void pastState.refetch()} />}
          <button type="button" onClick={() => show('now')}>
            {t('case.replay.backToNow')}
          </button>
        </div>
      )}
      {detail.pause && (
        <p className="notice">
          {t('case.pausedSince', { time: formatDateTime(detail.pause.since, language), reason: t(`enum.pauseReason.${detail.pause.reason}`) })}
          {detail.pause.note && ` — ${detail.pause.note}`}
        </p>
      )}
      {detail.closure && (
        <p className="notice">
          {t('case.closedAt', { time: formatDateTime(detail.closure.at, language), outcome: t(`enum.outcome.${detail.closure.outcome}`) })}
          {detail.closure.note && ` — ${detail.closure.note}`}
          {detail.duplicateOf && (
            <>
              {' '}
              {t('case.duplicateOf')} <Link to={`/cases/${encodeURIComponent(detail.duplicateOf)}`}>{detail.duplicateOf}</Link>
            </>
          )}
        </p>
      )}
      <div className="case-grid">
        <div>
          <section className="panel" aria-labelledby="report-heading">
            <h2 id="report-heading">{t('case.report')}</h2>
            <dl className="facts">
              <dt>{t('case.platform')}</dt>
              <dd>{report.platform}</dd>
              <dt>{t('case.channel')}</dt>
              <dd>{t(`enum.channel.${report.channel}`)}</dd>
              <dt>{t('case.contentLocations')}</dt>
              <dd>
                <ul className="plain">
                  {report.contentLocations.map((location, index) => (
                    <li key={index}>
                      {location.url && (
                        <a href={location.url} target="_blank" rel="noopener noreferrer">
                          {location.url}
                        </a>
                      )}
                      {location.channel && <span> {t('case.channelOnPlatform', { channel: location.channel })}</span>}
                      {location.messageIds?.length ? <span> {t('case.messageIds', { ids: location.messageIds.join(', ') })}</span> : null}
                    </li>
                  ))}
                </ul>
              </dd>
              <dt>{t('case.excerpt')}</dt>
              <dd className="excerpt">{report.excerpt}</dd>
              <dt>{t('case.evidenceHash')}</dt>
              <dd className="mono">{report.evidenceHash}</dd>
              <dt>{t('case.reporterReference')}</dt>
              <dd>{report.reporterReference}</dd>
              <dt>{t('case.seenAt')}</dt>
              <dd>{formatDateTime(report.seenAt, language)}</dd>
              <dt>{t('case.filedAt')}</dt>
              <dd>{formatDateTime(report.filedAt, language)}</dd>
              <dt>{t('case.policy')}</dt>
              <dd>{t('case.policyVersion', { platform: detail.policy.platform, version: detail.policy.version })}</dd>
              <dt>{t('case.assessment')}</dt>
              <dd>
                {detail.assessment
                  ? `${t(`enum.category.${detail.assessment.category}`)}, ${t(`enum.severity.${detail.assessment.severity}`)}`
                  : t('case.notTriaged')}
              </dd>
              {detail.assessment && (
                <>
                  <dt>{t('case.requestedActions')}</dt>
                  <dd>
                    {(['deletionRequest', 'subscriberDataRequest', 'referToProsecution'] as const)
                      .filter((name) => detail.assessment!.actions[name])
                      .map((name) => t(`action.fields.${name}`))
                      .join(', ') || '—'}
                  </dd>
                </>
              )}
            </dl>
          </section>
          <section className="panel" aria-labelledby="clocks-heading">
            <h2 id="clocks-heading">{t('case.clocks')}</h2>
            {clocks.length === 0 ? <p className="muted">{t('case.noClocks')}</p> : clocks.map((clock) => <ClockPanel key={clock.kind} clock={clock} past={isPast} />)}
          </section>
          <CaseHistory id={id} viewed={viewed} latest={latest} shownAt={isPast ? pastState.data?.asOf.occurredAt : undefined} onShow={show} />
        </div>
        <div>
          {hasRole(session.role, 'staff') && !isPast && <CaseActions id={id} detail={detail} />}
          <section className="panel" aria-labelledby="assignee-heading">
            <h2 id="assignee-heading">{t('case.assignee')}</h2>
            <p>{detail.assignee ?? <span className="muted">{t('case.unassigned')}</span>}</p>
          </section>
          <section className="panel" aria-labelledby="notes-heading">
            <h2 id="notes-heading">{t('case.notes')}</h2>
            {detail.notes.length === 0 ? (
              <p className="muted">{t('case.noNotes')}</p>
            ) : (
              <ul className="notes">
                {detail.notes.map((note, index) => (
                  <li key={index}>
                    <p>{note.text}</p>
                    <small className="muted">
                      {note.author}, {formatDateTime(note.at, language)}
                    </small>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <CaseFilePanel id={id} />
          <Integrity id={id} />
        </div>
      </div>
    </>
  );
}

function CaseActions({ id, detail }: { id: string; detail: ReportDetail }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<ActionName | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const buttonsRef = useRef<HTMLDivElement>(null);
  const mutation = useCaseAction(id);
  const actions = availableActions(detail);

  async function submit(action: ActionName, body: Parameters<typeof mutation.mutateAsync>[0]['body']) {
    try {
      await mutation.mutateAsync({ action, body, version: detail.version });
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 412) {
        throw new ApiRequestError(412, { ...error.body, message: `${error.message} ${t('case.changedElsewhere')}` });
      }
      throw error;
    }
    setOpen(null);
    setDone(t('action.done', { action: t(`action.${action}`) }));
    // The form is gone: keyboard users continue from the confirmation.
    requestAnimationFrame(() => doneRef.current?.focus());
  }

  const close = (action: ActionName) => {
    setOpen(null);
    requestAnimationFrame(() => buttonsRef.current?.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)?.focus());
  };

  return (
    <section className="panel" aria-labelledby="actions-heading">
      <h2 id="actions-heading">{t('case.actions')}</h2>
      <p role="status" ref={doneRef} tabIndex={-1} className={done ? 'success' : 'visually-hidden'}>
        {done}
      </p>
      {actions.length === 0 ? (
        <p className="muted">{t('case.noActions')}</p>
      ) : (
        <div className="action-buttons" ref={buttonsRef}>
          {actions.map((action) => (
            <button
              key={action}
              data-action={action}
              type="button"
              aria-expanded={open === action}
              className={open === action ? 'primary' : undefined}
              onClick={() => {
                setDone(null);
                setOpen(open === action ? null : action);
              }}
            >
              {t(`action.${action}`)}
            </button>
          ))}
        </div>
      )}
      {open && actions.includes(open) && (
        <ActionForm key={open} action={open} detail={detail} onSubmit={(body) => submit(open, body)} focusOnOpen onCancel={() => close(open)} />
      )}
    </section>
  );
}

function Integrity({ id }: { id: string }) {
  const { t } = useTranslation();
  const integrity = useCaseIntegrity(id);
  return (
    <section className="panel" aria-labelledby="integrity-heading">
      <h2 id="integrity-heading">{t('case.integrity')}</h2>
      {integrity.isPending ? (
        <p>{t('app.loading')}</p>
      ) : integrity.isError ? (
        <ErrorMessage error={integrity.error} />
      ) : integrity.data.verified ? (
        <p className="success">✓ {t('case.integrityOk')}</p>
      ) : (
        <p className="error">✗ {t('case.integrityBroken', { version: integrity.data.brokenAtVersion ?? '?', reason: integrity.data.reason ?? '' })}</p>
      )}
    </section>
  );
}
