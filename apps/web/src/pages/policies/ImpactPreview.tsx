// "Preview the impact" in the policy editor: the table as edited, simulated over the platform's cases filed in a
// chosen period (POST /api/policies/:platform/simulations), shown before the admin saves: per request and ladder
// step how many cases reached it before → after and how they moved, the median time to it, app-store pressure,
// refused actions, and the changed cases as links to their case pages.

import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLanguage } from '../../components/hooks';
import { formatDateTime, formatDuration } from '../../format/time';
import type { Language } from '../../i18n';
import {
  defaultPreviewPeriod,
  movedSteps,
  previewPeriod,
  shiftMilliseconds,
  simulationRequest,
  stepRows,
  type PeriodProblem,
  type PolicySimulation,
  type SimulatedCase,
  type SimulatedStep,
} from './impact-preview';
import { useSimulation } from './policy-queries';
import type { HolidayState, PolicyRules } from './policy-table';

export function ImpactPreview({ platform, candidate }: { platform: string; candidate: { rules: PolicyRules; holidayState?: HolidayState } | undefined }) {
  const { t } = useTranslation('admin');
  const [period, setPeriod] = useState(() => defaultPreviewPeriod(new Date()));
  const [problem, setProblem] = useState<PeriodProblem | 'cells' | undefined>();
  const [previewed, setPreviewed] = useState<string | undefined>();
  const simulation = useSimulation(platform);

  const instants = previewPeriod(period.from, period.to);
  const request = candidate && instants.ok ? simulationRequest(candidate, instants) : undefined;
  const stale = simulation.data !== undefined && previewed !== JSON.stringify(request);

  const run = () => {
    if (!candidate) return setProblem('cells');
    if (!instants.ok) return setProblem(instants.problem);
    setProblem(undefined);
    const body = simulationRequest(candidate, instants);
    setPreviewed(JSON.stringify(body));
    simulation.mutate(body);
  };
  // Enter in a date field previews instead of submitting (saving) the editor's form around it.
  const enterPreviews = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    run();
  };

  return (
    <section aria-labelledby="impact-preview-title" className="panel impact-preview">
      <h3 id="impact-preview-title">{t('policies.preview.title')}</h3>
      <p className="muted">{t('policies.preview.hint')}</p>
      <div className="impact-period">
        <label>
          {t('policies.preview.from')}{' '}
          <input type="date" value={period.from} onChange={(event) => setPeriod({ ...period, from: event.target.value })} onKeyDown={enterPreviews} />
        </label>
        <label>
          {t('policies.preview.to')} <input type="date" value={period.to} onChange={(event) => setPeriod({ ...period, to: event.target.value })} onKeyDown={enterPreviews} />
        </label>
        <button type="button" onClick={run} disabled={simulation.isPending}>
          {simulation.isPending ? t('policies.preview.running') : t('policies.preview.run')}
        </button>
      </div>
      {problem && (
        <p role="alert" className="error">
          {problem === 'cells' ? t('policies.preview.cellsUnreadable') : t(`policies.preview.periodProblem.${problem}`)}
        </p>
      )}
      <ErrorMessage error={simulation.error} />
      {stale && (
        <p role="status" className="notice">
          {t('policies.preview.stale')}
        </p>
      )}
      {simulation.data && !simulation.isPending && (
        <SimulationResult simulation={simulation.data} />
      )}
    </section>
  );
}

/** The simulation's answer in words and tables. */
export function SimulationResult({ simulation }: { simulation: PolicySimulation }) {
  const { t } = useTranslation('admin');
  const { t: tt } = useTranslation();
  const language = useLanguage();
  const { summary, changedCases, candidate, period } = simulation;
  const rows = stepRows(summary);
  const median = (seconds: number | null) => (seconds === null ? t('policies.preview.none') : formatDuration(seconds * 1000, language));
  // The period's last day as the admin chose it: `to` is the midnight after it.
  const lastDay = new Date(Date.parse(period.to) - 1);
  const day = (instant: string | Date) => new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium' }).format(new Date(instant));

  return (
    <div className="impact-result" aria-live="polite">
      <p>
        <strong>{t('policies.preview.summary', { count: summary.cases, changed: summary.casesChanged, from: day(period.from), to: day(lastDay) })}</strong>{' '}
        {t('policies.preview.comparedWith', { inForce: candidate.versionInForce, version: candidate.version })}
      </p>
      <ul>
        <li>{t('policies.preview.appStorePressure', summary.appStorePressure)}</li>
        {summary.casesWithRefusedActions > 0 && <li>{t('policies.preview.refusedCases', { count: summary.casesWithRefusedActions })}</li>}
        {candidate.holidayState && <li>{t('policies.preview.holidays', { state: t(`states.${candidate.holidayState}`) })}</li>}
      </ul>

      {rows.length === 0 ? (
        <p className="muted">{t('policies.preview.noSteps')}</p>
      ) : (
        <table className="impact-steps">
          <caption>{t('policies.preview.stepsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('policies.preview.request')}</th>
              <th scope="col">{t('policies.preview.step')}</th>
              <th scope="col">{t('policies.preview.reached')}</th>
              <th scope="col">{t('policies.preview.earlier')}</th>
              <th scope="col">{t('policies.preview.later')}</th>
              <th scope="col">{t('policies.preview.unchanged')}</th>
              <th scope="col">{t('policies.preview.notAtAll')}</th>
              <th scope="col">{t('policies.preview.new')}</th>
              <th scope="col">{t('policies.preview.median')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((figures) => (
              <tr key={`${figures.clock}.${figures.step}`}>
                <td>{tt(`enum.clock.${figures.clock}`)}</td>
                <th scope="row">{tt(`enum.step.${figures.step}`)}</th>
                <td>
                  {figures.reached.recorded} → {figures.reached.simulated}
                </td>
                <td>{figures.changes.earlier}</td>
                <td>{figures.changes.later}</td>
                <td>{figures.changes.unchanged}</td>
                <td>{figures.changes.notAtAll}</td>
                <td>{figures.changes.onlyUnderCandidate}</td>
                <td>
                  {median(figures.medianSecondsToStep.recorded)} → {median(figures.medianSecondsToStep.simulated)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h4>{t('policies.preview.casesTitle')}</h4>
      {changedCases.length === 0 ? (
        <p className="muted">{t('policies.preview.noChangedCases')}</p>
      ) : (
        <>
          {changedCases.length < summary.casesChanged && <p className="muted">{t('policies.preview.casesShown', { shown: changedCases.length, changed: summary.casesChanged })}</p>}
          <table className="impact-cases">
            <thead>
              <tr>
                <th scope="col">{t('policies.preview.case')}</th>
                <th scope="col">{t('policies.preview.filed')}</th>
                <th scope="col">{t('policies.preview.changes')}</th>
                <th scope="col">{t('policies.preview.refused')}</th>
              </tr>
            </thead>
            <tbody>
              {changedCases.map((simulated) => (
                <ChangedCase key={simulated.reportId} simulated={simulated} language={language} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function ChangedCase({ simulated, language }: { simulated: SimulatedCase; language: Language }) {
  const { t } = useTranslation('admin');
  const { t: tt } = useTranslation();
  const pressure = simulated.appStorePressure;
  return (
    <tr>
      <th scope="row">
        <Link to={`/cases/${encodeURIComponent(simulated.reportId)}`}>{simulated.reportId}</Link>
        {simulated.severity && <div className="muted">{tt(`enum.severity.${simulated.severity}`)}</div>}
      </th>
      <td>{formatDateTime(simulated.filedAt, language)}</td>
      <td>
        <ul className="impact-changes">
          {movedSteps(simulated).map((step) => (
            <li key={`${step.clock}.${step.step}`}>
              <StepChange step={step} language={language} />
            </li>
          ))}
          {pressure.recorded !== pressure.simulated && <li>{t(pressure.simulated ? 'policies.preview.pressure.gained' : 'policies.preview.pressure.lost')}</li>}
        </ul>
      </td>
      <td>
        {simulated.refused.length === 0 ? (
          t('policies.preview.none')
        ) : (
          <ul className="impact-changes">
            {simulated.refused.map((refused) => (
              <li key={`${refused.action}.${refused.at}`}>
                {t('policies.preview.refusedAction', { action: refused.action, at: formatDateTime(refused.at, language), actor: refused.actor, reason: refused.reason })}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

/** One step of one case: "Deletion request, Reminder: 12 h earlier". */
function StepChange({ step, language }: { step: SimulatedStep; language: Language }) {
  const { t } = useTranslation('admin');
  const { t: tt } = useTranslation();
  const shift = shiftMilliseconds(step);
  return t(`policies.preview.change.${step.change}`, {
    what: `${tt(`enum.clock.${step.clock}`)}, ${tt(`enum.step.${step.step}`)}`,
    shift: shift === undefined ? '' : formatDuration(shift, language),
    recorded: formatDateTime(step.recorded, language),
    simulated: formatDateTime(step.simulated, language),
  });
}
