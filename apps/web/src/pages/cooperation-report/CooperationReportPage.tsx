// A platform's cooperation and transparency report for a month, a quarter or from–to, against the period before:
// every figure in a table with its change, answers and offence categories in charts, printable, and as CSV for a
// spreadsheet (the API's own CSV).

import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, call, type ApiSchemas } from '../../api/client';
import { saveBlob } from '../../api/download';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useDocumentTitle, useLanguage } from '../../components/hooks';
import { formatDateTime, formatDuration } from '../../format/time';
import type { Language } from '../../i18n';
import { apiQuery, choiceFromSearch, searchOf, type PeriodChoice } from './report-period';
import './cooperation-report.css';

type Report = ApiSchemas['CooperationReportDto'];
type Change = ApiSchemas['FigureChangeDto'];

const SECTIONS = ['requests', 'answers', 'deletion', 'subscriberData', 'times', 'ladder', 'dossiers', 'byCategory', 'bySeverity'] as const;
type Section = (typeof SECTIONS)[number];

export function CooperationReportPage() {
  const { t } = useTranslation('cooperation');
  const { platform = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const choice = choiceFromSearch(search, new Date());
  const query = apiQuery(choice);
  useDocumentTitle(t('title', { platform }));
  const report = useQuery({
    queryKey: ['cooperation-report', platform, query],
    // Asked as JSON (the route also answers CSV, hence the union in its type).
    queryFn: async (): Promise<Report> => {
      const answer = await call(api().GET('/api/platforms/{platform}/cooperation-report', { params: { path: { platform }, query } }));
      if (typeof answer === 'string') throw new Error('The API answered CSV where JSON was asked for.');
      return answer;
    },
  });
  return (
    <>
      <h1>{t('title', { platform })}</h1>
      <p className="no-print">
        <Link to={`/platforms/${encodeURIComponent(platform)}`}>{t('back')}</Link>
      </p>
      <PeriodForm key={JSON.stringify(choice)} choice={choice} onChoose={(chosen) => setSearch(searchOf(chosen))} />
      <ErrorMessage error={report.error} onRetry={() => void report.refetch()} />
      {report.isPending && <p>{t('translation:app.loading')}</p>}
      {report.data && (
        <>
          <ReportActions platform={platform} query={query} report={report.data} />
          <ReportBody report={report.data} />
        </>
      )}
    </>
  );
}

/** The way to a platform's report, for the platform's page. */
export function CooperationReportLink({ platform }: { platform: string }) {
  const { t } = useTranslation('cooperation');
  return (
    <p>
      <Link to={`/platforms/${encodeURIComponent(platform)}/cooperation-report`}>{t('open')}</Link>
    </p>
  );
}

function PeriodForm({ choice, onChoose }: { choice: PeriodChoice; onChoose: (choice: PeriodChoice) => void }) {
  const { t } = useTranslation('cooperation');
  const [kind, setKind] = useState<PeriodChoice['kind']>(choice.kind);
  const [month, setMonth] = useState(choice.kind === 'month' ? choice.month : '');
  const [year, setYear] = useState(choice.kind === 'quarter' ? String(choice.year) : String(new Date().getFullYear()));
  const [quarter, setQuarter] = useState(choice.kind === 'quarter' ? String(choice.quarter) : '1');
  const [from, setFrom] = useState(choice.kind === 'span' ? choice.from : '');
  const [to, setTo] = useState(choice.kind === 'span' ? choice.to : '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (kind === 'month') onChoose({ kind, month });
    if (kind === 'quarter') onChoose({ kind, year: Number(year), quarter: Number(quarter) as 1 | 2 | 3 | 4 });
    if (kind === 'span') onChoose({ kind, from, to });
  };
  return (
    <form className="period-form no-print" onSubmit={submit}>
      <fieldset>
        <legend>{t('periodKind')}</legend>
        {(['month', 'quarter', 'span'] as const).map((option) => (
          <label key={option}>
            <input type="radio" name="period-kind" value={option} checked={kind === option} onChange={() => setKind(option)} /> {t(option)}
          </label>
        ))}
      </fieldset>
      {kind === 'month' && (
        <label>
          {t('month')} <input type="month" required value={month} onChange={(event) => setMonth(event.target.value)} />
        </label>
      )}
      {kind === 'quarter' && (
        <>
          <label>
            {t('year')} <input type="number" required min={2000} max={2100} value={year} onChange={(event) => setYear(event.target.value)} />
          </label>
          <label>
            {t('quarter')}{' '}
            <select value={quarter} onChange={(event) => setQuarter(event.target.value)}>
              {['1', '2', '3', '4'].map((q) => (
                <option key={q} value={q}>{`Q${q}`}</option>
              ))}
            </select>
          </label>
        </>
      )}
      {kind === 'span' && (
        <>
          <label>
            {t('from')} <input type="date" required value={from} onChange={(event) => setFrom(event.target.value)} />
          </label>
          <label>
            {t('to')} <input type="date" required value={to} onChange={(event) => setTo(event.target.value)} />
          </label>
        </>
      )}
      <button type="submit">{t('show')}</button>
    </form>
  );
}

function ReportActions({ platform, query, report }: { platform: string; query: ReturnType<typeof apiQuery>; report: Report }) {
  const { t } = useTranslation('cooperation');
  const [downloading, setDownloading] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const download = async () => {
    setDownloading(true);
    setFailure(undefined);
    try {
      const csv = await call(
        api().GET('/api/platforms/{platform}/cooperation-report', { params: { path: { platform }, query: { ...query, format: 'csv' } }, parseAs: 'blob' }),
      );
      saveBlob(csv as unknown as Blob, `kooperationsbericht-${report.platform}-${report.period.label.replace(/[^\w-]/g, '_')}.csv`);
    } catch (error) {
      setFailure(error);
    } finally {
      setDownloading(false);
    }
  };
  return (
    <div className="report-actions no-print">
      <button type="button" onClick={() => window.print()}>
        {t('print')}
      </button>
      <button type="button" onClick={() => void download()} disabled={downloading}>
        {downloading ? t('downloading') : t('downloadCsv')}
      </button>
      <ErrorMessage error={failure} />
    </div>
  );
}

function ReportBody({ report }: { report: Report }) {
  const { t } = useTranslation('cooperation');
  const language = useLanguage();
  // A month or quarter by its name with its bounds; a span by its bounds alone.
  const span = (period: Report['period']) => `${formatDateTime(period.from, language)} – ${formatDateTime(period.to, language)}`;
  const periodName = (period: Report['period']) => (/^\d{4}-(\d{2}|Q\d)$/.test(period.label) ? `${period.label} (${span(period)})` : span(period));
  const bySection = new Map<Section, Change[]>(SECTIONS.map((section) => [section, []]));
  for (const change of report.changes) {
    const section = sectionOf(change.figure);
    // Per category and severity the table shows the total; the chart and the CSV split it by kind.
    if ((section === 'byCategory' || section === 'bySeverity') && !change.figure.endsWith('.total')) continue;
    bySection.get(section)?.push(change);
  }
  return (
    <>
      <p className="muted">
        {t('periodLine', {
          period: periodName(report.period),
          asOf: formatDateTime(report.asOf, language),
          previous: periodName(report.previousPeriod),
        })}
      </p>
      <ReportCharts report={report} />
      <table className="cooperation-figures">
        <thead>
          <tr>
            <th scope="col">{t('columns.figure')}</th>
            <th scope="col">{t('columns.current')}</th>
            <th scope="col">{t('columns.previous')}</th>
            <th scope="col">{t('columns.change')}</th>
          </tr>
        </thead>
        {SECTIONS.map((section) => (
          <tbody key={section}>
            <tr>
              <th scope="rowgroup" colSpan={4}>
                {t(`sections.${section}`)}
              </th>
            </tr>
            {bySection.get(section)!.map((change) => (
              <tr key={change.figure}>
                <th scope="row">{figureLabel(change.figure, t)}</th>
                <td>{formatFigure(change.figure, change.current, language)}</td>
                <td>{formatFigure(change.figure, change.previous, language)}</td>
                <td>{formatChange(change, language)}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </>
  );
}

function ReportCharts({ report }: { report: Report }) {
  const { t } = useTranslation('cooperation');
  const answers = (['inTime', 'late', 'never', 'awaiting'] as const).map((key) => ({
    name: t(`chartAnswers.${key}`),
    current: report.current.answers[key],
    previous: report.previous.answers[key],
  }));
  const categories = report.current.byCategory.map((row) => ({
    name: t(`translation:enum.category.${row.category}`),
    deletion: row.deletion,
    subscriberData: row.subscriberData,
  }));
  return (
    <div className="charts">
      <figure>
        <figcaption>{t('answersChart')}</figcaption>
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={answers} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={0} tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="current" name={t('thisPeriod')} fill="#0b5cad" isAnimationActive={false} />
            <Bar dataKey="previous" name={t('periodBefore')} fill="#9aa7b4" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure>
        <figcaption>{t('categoryChart')}</figcaption>
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={categories} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={0} tick={{ fontSize: 11 }} angle={-25} textAnchor="end" height={70} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="deletion" stackId="kind" name={t('figures.requests.deletion')} fill="#8a4b00" isAnimationActive={false} />
            <Bar dataKey="subscriberData" stackId="kind" name={t('figures.requests.subscriberData')} fill="#1d6b2f" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}

function sectionOf(figure: string): Section {
  const [head] = figure.split('.');
  if (head === 'timeToAnswer' || head === 'timeToEffect') return 'times';
  return (SECTIONS as readonly string[]).includes(head) ? (head as Section) : 'requests';
}

type Translate = ReturnType<typeof useTranslation<'cooperation'>>['t'];

function figureLabel(figure: string, t: Translate): string {
  const [head, key] = figure.split('.');
  if (head === 'byCategory') return t(`translation:enum.category.${key}`);
  if (head === 'bySeverity') return t(`translation:enum.severity.${key}`);
  return t(`figures.${figure}`, { defaultValue: figure });
}

function isDuration(figure: string): boolean {
  return figure.endsWith('Seconds');
}

function formatFigure(figure: string, value: number | null, language: Language): string {
  if (value === null) return '—';
  return isDuration(figure) ? formatDuration(value * 1000, language) : value.toLocaleString(language === 'de' ? 'de-DE' : 'en-GB');
}

function formatChange({ figure, difference }: Change, language: Language): string {
  if (difference === null) return '—';
  if (difference === 0) return '±0';
  const sign = difference > 0 ? '+' : '−';
  return `${sign}${formatFigure(figure, Math.abs(difference), language)}`;
}
