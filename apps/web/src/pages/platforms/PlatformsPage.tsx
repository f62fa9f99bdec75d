// Platforms: every platform with its policy version and cases; per platform the cooperation scorecard (the last
// 30 days, and week by week in charts), the cases overdue now, and the app-store dossier, which an admin files
// now or retunes (threshold and interval). An admin registers a new platform below the list.

import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, call, type ApiSchemas } from '../../api/client';
import { hasRole } from '../../auth/roles';
import { useSession } from '../../auth/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useDocumentTitle, useLanguage } from '../../components/hooks';
import { formatDateTime, formatIsoDuration } from '../../format/time';
import type { Language } from '../../i18n';
import { CooperationReportLink } from '../cooperation-report/CooperationReportPage';
import { parseDurationInput } from '../policies/durations';
import { PlatformPicker } from '../policies/PoliciesPage';
import { usePlatforms } from '../policies/policy-queries';
import { RegisterPlatformForm } from './RegisterPlatformForm';
import { scorecardSeries, weeklyPeriods, type Scorecard } from './scorecard-series';
import './platforms.css';

type Dossier = ApiSchemas['PlatformDossierDto'];

const WEEKS = 8;

export function PlatformsPage() {
  const { t } = useTranslation('admin');
  const { platform } = useParams();
  const isAdmin = hasRole(useSession().role, 'admin');
  useDocumentTitle(platform ? `${t('platforms.title')}: ${platform}` : t('platforms.title'));
  return (
    <>
      <h1>{t('platforms.title')}</h1>
      {platform ? (
        <>
          <PlatformPicker current={platform} basePath="/platforms" />
          <PlatformDetail key={platform} platform={platform} />
        </>
      ) : (
        <>
          <PlatformList />
          {isAdmin && <RegisterPlatformForm />}
        </>
      )}
    </>
  );
}

function PlatformList() {
  const { t } = useTranslation('admin');
  const platforms = usePlatforms();
  if (platforms.error) return <ErrorMessage error={platforms.error} onRetry={() => void platforms.refetch()} />;
  if (!platforms.data) return <p>{t('translation:app.loading')}</p>;
  if (platforms.data.items.length === 0) return <p className="muted">{t('platforms.none')}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('platform')}</th>
          <th scope="col">{t('platforms.policyVersion')}</th>
          <th scope="col">{t('platforms.openCases')}</th>
          <th scope="col">{t('platforms.totalCases')}</th>
        </tr>
      </thead>
      <tbody>
        {platforms.data.items.map((item) => (
          <tr key={item.platform}>
            <td>
              <Link to={`/platforms/${encodeURIComponent(item.platform)}`}>{item.displayName}</Link>
            </td>
            <td>
              {item.policyVersion}
              {item.policyChanged ? '' : ` (${t('platforms.defaults')})`}
            </td>
            <td>{item.openCases}</td>
            <td>{item.totalCases}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const scorecardQuery = (platform: string, from?: string, to?: string) => ({
  queryKey: ['scorecard', platform, from ?? 'last-30-days', to ?? 'now'],
  queryFn: () => call(api().GET('/api/platforms/{platform}/scorecard', { params: { path: { platform }, query: { ...(from && { from }), ...(to && { to }) } } })),
});

function PlatformDetail({ platform }: { platform: string }) {
  const { t } = useTranslation('admin');
  const current = useQuery({ ...scorecardQuery(platform), refetchInterval: 15_000 });
  return (
    <>
      <section className="panel" aria-labelledby="scorecard-title">
        <h2 id="scorecard-title">{t('platforms.scorecardTitle')}</h2>
        <ErrorMessage error={current.error} onRetry={() => void current.refetch()} />
        {current.data && <ScorecardFigures scorecard={current.data} />}
        <CooperationReportLink platform={platform} />
      </section>
      <ScorecardTrend platform={platform} />
      <DossierPanel platform={platform} />
    </>
  );
}

function percent(value: number | null | undefined, language: Language): string {
  return value === null || value === undefined ? '—' : `${value.toLocaleString(language === 'de' ? 'de-DE' : 'en-GB')} %`;
}

function ScorecardFigures({ scorecard }: { scorecard: Scorecard }) {
  const { t } = useTranslation('admin');
  const language = useLanguage();
  const deletion = scorecard.deletionRequests;
  const data = scorecard.subscriberDataRequests;
  return (
    <>
      <p className="muted">
        {t('platforms.period', { from: formatDateTime(scorecard.period.from, language), to: formatDateTime(scorecard.period.to, language) })}
      </p>
      <dl className="figures">
        <div>
          <dt>{t('platforms.overdueNow')}</dt>
          <dd className={scorecard.overdueNow > 0 ? 'countdown-overdue' : undefined}>{scorecard.overdueNow}</dd>
        </div>
        <div>
          <dt>{t('platforms.removedPercent')}</dt>
          <dd>{percent(deletion.removedPercent, language)}</dd>
          <dd className="muted">{t('platforms.deletionCounts', { sent: deletion.sent, removed: deletion.removed, partially: deletion.partiallyRemoved, refused: deletion.refused })}</dd>
        </div>
        <div>
          <dt>{t('platforms.answeredPercent')}</dt>
          <dd>{percent(data.answeredPercent, language)}</dd>
          <dd className="muted">{t('platforms.dataCounts', { sent: data.sent, answered: data.answered, supplied: data.supplied })}</dd>
        </div>
        <div>
          <dt>{t('platforms.medianToEffect')}</dt>
          <dd>{scorecard.medianHoursToEffect === null ? '—' : t('platforms.hours', { count: scorecard.medianHoursToEffect })}</dd>
        </div>
        <div>
          <dt>{t('platforms.escalated')}</dt>
          <dd>{scorecard.escalatedRequests}</dd>
        </div>
      </dl>
    </>
  );
}

/** The scorecard week by week: removed % and answered % in one chart, the median time to effect in another. */
function ScorecardTrend({ platform }: { platform: string }) {
  const { t } = useTranslation('admin');
  const language = useLanguage();
  // Fixed for the page's life: the periods must not move with every render.
  const periods = useMemo(() => weeklyPeriods(Date.now(), WEEKS), []);
  const weeks = useQueries({ queries: periods.map((period) => ({ ...scorecardQuery(platform, period.from, period.to), staleTime: 60_000 })) });
  const failed = weeks.find((week) => week.error)?.error;
  const points = scorecardSeries(
    periods,
    weeks.map((week) => week.data),
  ).map((point) => ({ ...point, week: new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', { day: 'numeric', month: 'short' }).format(new Date(point.to)) }));
  return (
    <section className="panel" aria-labelledby="trend-title">
      <h2 id="trend-title">{t('platforms.trendTitle', { weeks: WEEKS })}</h2>
      <ErrorMessage error={failed} />
      <div className="charts">
        <figure>
          <figcaption>{t('platforms.percentChart')}</figcaption>
          <ResponsiveContainer width="100%" height={240}>
            <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="week" />
              <YAxis domain={[0, 100]} unit=" %" />
              <Tooltip />
              <Legend />
              <Line type="monotone" dataKey="removedPercent" name={t('platforms.removedPercent')} stroke="#1d6b2f" connectNulls isAnimationActive={false} />
              <Line type="monotone" dataKey="answeredPercent" name={t('platforms.answeredPercent')} stroke="#0b5cad" connectNulls isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </figure>
        <figure>
          <figcaption>{t('platforms.medianChart')}</figcaption>
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="week" />
              <YAxis unit=" h" />
              <Tooltip />
              <Bar dataKey="medianHoursToEffect" name={t('platforms.medianToEffect')} fill="#8a4b00" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </figure>
      </div>
      <details>
        <summary>{t('platforms.trendTable')}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('platforms.weekEnding')}</th>
              <th scope="col">{t('platforms.deletionSent')}</th>
              <th scope="col">{t('platforms.removedPercent')}</th>
              <th scope="col">{t('platforms.dataSent')}</th>
              <th scope="col">{t('platforms.answeredPercent')}</th>
              <th scope="col">{t('platforms.medianToEffect')}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.to}>
                <td>{formatDateTime(point.to, language)}</td>
                <td>{point.deletionRequests}</td>
                <td>{percent(point.removedPercent, language)}</td>
                <td>{point.subscriberDataRequests}</td>
                <td>{percent(point.answeredPercent, language)}</td>
                <td>{point.medianHoursToEffect === null ? '—' : t('platforms.hours', { count: point.medianHoursToEffect })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

const dossierKey = (platform: string) => ['dossier', platform] as const;

function DossierPanel({ platform }: { platform: string }) {
  const { t } = useTranslation('admin');
  const language = useLanguage();
  const session = useSession();
  const dossier = useQuery({
    queryKey: dossierKey(platform),
    queryFn: () => call(api().GET('/api/platforms/{platform}/dossier', { params: { path: { platform } } })),
    refetchInterval: 5_000,
  });
  const isAdmin = hasRole(session.role, 'admin');
  return (
    <section className="panel" aria-labelledby="dossier-title">
      <h2 id="dossier-title">{t('platforms.dossierTitle')}</h2>
      <ErrorMessage error={dossier.error} onRetry={() => void dossier.refetch()} />
      {dossier.data && (
        <>
          <dl className="facts">
            <dt>{t('platforms.dossierRunning')}</dt>
            <dd>{dossier.data.running ? t('platforms.yes') : t('platforms.notRunning')}</dd>
            <dt>{t('platforms.threshold')}</dt>
            <dd>{dossier.data.rules ? t('platforms.reports', { count: dossier.data.rules.threshold }) : '—'}</dd>
            <dt>{t('platforms.interval')}</dt>
            <dd>{dossier.data.rules ? formatIsoDuration(dossier.data.rules.interval, language) : '—'}</dd>
            {dossier.data.rulesSource !== 'running' && (
              <dd className="muted">{dossier.data.rulesSource === 'recorded' ? t('platforms.rulesRecorded') : t('platforms.rulesConfigured')}</dd>
            )}
            <dt>{t('platforms.nextFiling')}</dt>
            <dd>{formatDateTime(dossier.data.nextFilingDueAt, language)}</dd>
          </dl>
          <DossierMembers dossier={dossier.data} />
          <DossierFilings dossier={dossier.data} />
          {/* Both admin actions need a running dossier (the API answers 409 otherwise): say so instead of offering them. */}
          {isAdmin &&
            (dossier.data.running ? <DossierAdmin platform={platform} dossier={dossier.data} /> : <p className="muted">{t('platforms.adminNeedsRunning')}</p>)}
        </>
      )}
    </section>
  );
}

function DossierMembers({ dossier }: { dossier: Dossier }) {
  const { t } = useTranslation('admin');
  const language = useLanguage();
  return (
    <>
      <h3>{t('platforms.members', { count: dossier.members.length })}</h3>
      {dossier.members.length === 0 ? (
        <p className="muted">{t('platforms.noMembers')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('platforms.report')}</th>
              <th scope="col">{t('platforms.addedAt')}</th>
              <th scope="col">{t('platforms.addedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {dossier.members.map((member) => (
              <tr key={member.reportId}>
                <td>
                  <Link to={`/cases/${encodeURIComponent(member.reportId)}`}>{member.reportId}</Link>
                </td>
                <td>{formatDateTime(member.addedAt, language)}</td>
                <td>{member.addedBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function DossierFilings({ dossier }: { dossier: Dossier }) {
  const { t } = useTranslation('admin');
  const language = useLanguage();
  return (
    <>
      <h3>{t('platforms.filings', { count: dossier.filings.length })}</h3>
      {dossier.filings.length === 0 ? (
        <p className="muted">{t('platforms.noFilings')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('platforms.filingNumber')}</th>
              <th scope="col">{t('platforms.filedAt')}</th>
              <th scope="col">{t('platforms.filedBy')}</th>
              <th scope="col">{t('platforms.trigger')}</th>
              <th scope="col">{t('platforms.reportsFiled')}</th>
            </tr>
          </thead>
          <tbody>
            {[...dossier.filings].reverse().map((filing) => (
              <tr key={filing.dossierNumber}>
                <td>{filing.dossierNumber}</td>
                <td>{formatDateTime(filing.filedAt, language)}</td>
                <td>{filing.filedBy}</td>
                <td>{t(`platforms.triggers.${filing.trigger}`, { defaultValue: filing.trigger })}</td>
                <td>
                  {filing.reportIds.map((id, index) => (
                    <span key={id}>
                      {index > 0 && ', '}
                      <Link to={`/cases/${encodeURIComponent(id)}`}>{id}</Link>
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** An admin files the dossier now, or changes its threshold and interval (taking effect in the running dossier). */
function DossierAdmin({ platform, dossier }: { platform: string; dossier: Dossier }) {
  const { t } = useTranslation('admin');
  const language = useLanguage();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: dossierKey(platform) });
  const fileNow = useMutation({
    mutationFn: () => call(api().POST('/api/platforms/{platform}/dossier/filing', { params: { path: { platform } }, body: {} })),
    onSettled: refresh,
  });
  const settings = useMutation({
    mutationFn: (body: ApiSchemas['DossierSettingsDto']) => call(api().PUT('/api/platforms/{platform}/dossier/settings', { params: { path: { platform } }, body })),
    onSettled: refresh,
  });
  const [threshold, setThreshold] = useState(String(dossier.rules?.threshold ?? ''));
  const [interval, setIntervalText] = useState(dossier.rules ? formatIsoDuration(dossier.rules.interval, language) : '');
  const [problems, setProblems] = useState<{ threshold?: string; interval?: string }>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const count = Number(threshold);
    const parsed = parseDurationInput(interval);
    const next = {
      ...(!(Number.isInteger(count) && count >= 1) && { threshold: t('platforms.thresholdProblem') }),
      ...(!parsed.ok && { interval: t(`durationProblem.${parsed.problem}`) }),
    };
    setProblems(next);
    if (next.threshold || next.interval || !parsed.ok) return;
    settings.mutate({ threshold: count, interval: parsed.iso });
  };

  return (
    <div className="dossier-admin">
      <h3>{t('platforms.fileNowTitle')}</h3>
      <button type="button" className="primary" onClick={() => fileNow.mutate()} disabled={fileNow.isPending}>
        {t('platforms.fileNow')}
      </button>
      <ErrorMessage error={fileNow.error} />
      {fileNow.data && (
        <p role="status" className="success">
          {t('platforms.filed', { count: fileNow.data.reportIds.length })}
        </p>
      )}
      <form onSubmit={submit} noValidate aria-labelledby="dossier-settings-title">
        <h3 id="dossier-settings-title">{t('platforms.settingsTitle')}</h3>
        <div className="toolbar">
          <div className="field">
            <label htmlFor="dossier-threshold">{t('platforms.threshold')}</label>
            <input
              id="dossier-threshold"
              type="number"
              min={1}
              step={1}
              value={threshold}
              onChange={(event) => setThreshold(event.target.value)}
              aria-invalid={problems.threshold ? true : undefined}
              aria-describedby={problems.threshold ? 'dossier-threshold-error' : undefined}
            />
            {problems.threshold && (
              <small id="dossier-threshold-error" className="field-error">
                {problems.threshold}
              </small>
            )}
          </div>
          <div className="field">
            <label htmlFor="dossier-interval">{t('platforms.interval')}</label>
            <input
              id="dossier-interval"
              type="text"
              value={interval}
              onChange={(event) => setIntervalText(event.target.value)}
              aria-invalid={problems.interval ? true : undefined}
              aria-describedby={`dossier-interval-hint${problems.interval ? ' dossier-interval-error' : ''}`}
            />
            <small id="dossier-interval-hint" className="hint">
              {t('platforms.intervalHint')}
            </small>
            {problems.interval && (
              <small id="dossier-interval-error" className="field-error">
                {problems.interval}
              </small>
            )}
          </div>
          <button type="submit" disabled={settings.isPending}>
            {t('platforms.saveSettings')}
          </button>
        </div>
        <ErrorMessage error={settings.error} />
        {settings.isSuccess && (
          <p role="status" className="success">
            {t('platforms.settingsSaved')}
          </p>
        )}
      </form>
    </div>
  );
}
