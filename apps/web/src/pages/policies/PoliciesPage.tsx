// Policies (admin): per platform the version in force, the editor for the next one, the progress of a rollout to
// running cases, and the history of versions with who changed what and why.

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useDocumentTitle, useLanguage } from '../../components/hooks';
import { formatDateTime } from '../../format/time';
import { PolicyEditor } from './PolicyEditor';
import './policies.css';
import { rolloutFinished, usePlatforms, usePolicy, usePolicyVersions, useRollout, type PolicyChangeResult, type PolicyVersion } from './policy-queries';

export function PoliciesPage() {
  const { t } = useTranslation('admin');
  const { platform } = useParams();
  useDocumentTitle(platform ? `${t('policies.title')}: ${platform}` : t('policies.title'));
  return (
    <>
      <h1>{t('policies.title')}</h1>
      <PlatformPicker current={platform} basePath="/policies" />
      {platform ? <PlatformPolicy key={platform} platform={platform} /> : <p className="muted">{t('policies.pickPlatform')}</p>}
    </>
  );
}

/** A select of the known platforms that navigates to `<basePath>/<platform>`. */
export function PlatformPicker({ current, basePath }: { current: string | undefined; basePath: string }) {
  const { t } = useTranslation('admin');
  const platforms = usePlatforms();
  const navigate = useNavigate();
  const items = platforms.data?.items ?? [];
  return (
    <div className="toolbar">
      <div className="field">
        <label htmlFor="platform-picker">{t('platform')}</label>
        <select id="platform-picker" value={current ?? ''} onChange={(event) => event.target.value && navigate(`${basePath}/${encodeURIComponent(event.target.value)}`)}>
          <option value="" disabled>
            {t('choosePlatform')}
          </option>
          {current && !items.some((item) => item.platform === current) && <option value={current}>{current}</option>}
          {items.map((item) => (
            <option key={item.platform} value={item.platform}>
              {item.displayName}
            </option>
          ))}
        </select>
      </div>
      <ErrorMessage error={platforms.error} onRetry={() => void platforms.refetch()} />
    </div>
  );
}

function PlatformPolicy({ platform }: { platform: string }) {
  const { t } = useTranslation('admin');
  const policy = usePolicy(platform);
  const [saved, setSaved] = useState<PolicyChangeResult | null>(null);
  if (policy.isPending) return <p>{t('translation:app.loading')}</p>;
  if (policy.error) return <ErrorMessage error={policy.error} onRetry={() => void policy.refetch()} />;
  return (
    <>
      <InForce version={policy.data} />
      {saved && (
        <div className="panel" aria-live="polite">
          <p role="status" className="success">
            {t('policies.saved', { version: saved.policy.version })}
          </p>
          {saved.rollout && <RolloutProgress platform={platform} version={saved.policy.version} />}
        </div>
      )}
      {/* A new version in force starts a fresh form (the one just saved, or another admin's). */}
      <PolicyEditor key={policy.data.policy.version} platform={platform} inForce={policy.data} onSaved={setSaved} />
      <PolicyHistory platform={platform} />
    </>
  );
}

function InForce({ version }: { version: PolicyVersion }) {
  const { t } = useTranslation('admin');
  const language = useLanguage();
  return (
    <section className="panel" aria-labelledby="policy-in-force-title">
      <h2 id="policy-in-force-title">{t('policies.inForce', { version: version.policy.version })}</h2>
      <dl className="facts">
        <dt>{t('policies.changedBy')}</dt>
        <dd>{version.changedBy}</dd>
        <dt>{t('policies.changedAt')}</dt>
        <dd>{version.appliesTo === 'default' ? '—' : formatDateTime(version.changedAt, language)}</dd>
        <dt>{t('policies.reason')}</dt>
        <dd>{version.reason}</dd>
        <dt>{t('policies.appliesTo')}</dt>
        <dd>{t(`policies.appliesToValue.${version.appliesTo}`)}</dd>
        <dt>{t('policies.holidayState')}</dt>
        <dd>{version.policy.holidayState ? t(`states.${version.policy.holidayState}`) : t('policies.holidayStateNone')}</dd>
      </dl>
    </section>
  );
}

/** The progress of a version's rollout to running cases, polled until it is finished. */
export function RolloutProgress({ platform, version }: { platform: string; version: number }) {
  const { t } = useTranslation('admin');
  const rollout = useRollout(platform, version);
  if (rollout.error) return <ErrorMessage error={rollout.error} onRetry={() => void rollout.refetch()} />;
  if (!rollout.data) return <p>{t('translation:app.loading')}</p>;
  const data = rollout.data;
  const handled = data.notified + data.skippedClosed + data.skippedNotFiled + data.failed;
  return (
    <section aria-label={t('policies.rolloutTitle', { version })}>
      <h3>{t('policies.rolloutTitle', { version })}</h3>
      <p role="status">
        {t(`policies.rolloutStatus.${data.status}`)}
        {data.status !== 'not-for-running-cases' && ` — ${t('policies.rolloutCounts', { handled, found: data.casesFound })}`}
      </p>
      {data.status !== 'not-for-running-cases' && (
        <>
          <progress max={Math.max(data.casesFound, 1)} value={rolloutFinished(data) ? Math.max(data.casesFound, 1) : handled} aria-label={t('policies.rolloutTitle', { version })} />
          <dl className="facts">
            <dt>{t('policies.rolloutNotified')}</dt>
            <dd>{data.notified}</dd>
            <dt>{t('policies.rolloutSkippedClosed')}</dt>
            <dd>{data.skippedClosed}</dd>
            <dt>{t('policies.rolloutSkippedNotFiled')}</dt>
            <dd>{data.skippedNotFiled}</dd>
            <dt>{t('policies.rolloutFailed')}</dt>
            <dd>{data.failed}</dd>
          </dl>
          {data.failures.length > 0 && (
            <ul>
              {data.failures.map((failure) => (
                <li key={failure.reportId} className="result-failed">
                  {failure.reportId}: {failure.reason}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function PolicyHistory({ platform }: { platform: string }) {
  const { t } = useTranslation('admin');
  const language = useLanguage();
  const versions = usePolicyVersions(platform);
  const [shownRollout, setShownRollout] = useState<number | null>(null);
  return (
    <section aria-labelledby="policy-history-title">
      <h2 id="policy-history-title">{t('policies.history')}</h2>
      <ErrorMessage error={versions.error} onRetry={() => void versions.refetch()} />
      {versions.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('policies.version')}</th>
              <th scope="col">{t('policies.changedAt')}</th>
              <th scope="col">{t('policies.changedBy')}</th>
              <th scope="col">{t('policies.appliesTo')}</th>
              <th scope="col">{t('policies.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.data.map((version) => (
              <tr key={version.policy.version}>
                <td>{version.policy.version}</td>
                <td className="nowrap">{version.appliesTo === 'default' ? '—' : formatDateTime(version.changedAt, language)}</td>
                <td>{version.changedBy}</td>
                <td>
                  {t(`policies.appliesToValue.${version.appliesTo}`)}
                  {version.appliesTo === 'running-cases' && (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="link"
                        aria-expanded={shownRollout === version.policy.version}
                        onClick={() => setShownRollout(shownRollout === version.policy.version ? null : version.policy.version)}
                      >
                        {t('policies.showRollout', { version: version.policy.version })}
                      </button>
                      {shownRollout === version.policy.version && <RolloutProgress platform={platform} version={version.policy.version} />}
                    </>
                  )}
                </td>
                <td>{version.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
