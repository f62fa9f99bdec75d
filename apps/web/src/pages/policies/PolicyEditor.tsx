// The policy editor: the table of deadlines (severity × request × ladder step) with durations as people write
// them and the time basis, the holiday state, the difference to the version in force, a preview of its impact on
// past cases, for which cases, and why.

import { useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { CLOCK_KINDS, SEVERITIES } from '../../api/vocabulary';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLanguage } from '../../components/hooks';
import { formatIsoDuration } from '../../format/time';
import type { DurationProblem } from './durations';
import { ImpactPreview } from './ImpactPreview';
import {
  draftOf,
  HOLIDAY_STATES,
  policyDiff,
  POLICY_STEPS,
  readDraft,
  TIME_BASES,
  type DraftRules,
  type HolidayState,
  type PolicyDifference,
  type PolicyRules,
} from './policy-table';
import { useChangePolicy, type PolicyChangeResult, type PolicyVersion } from './policy-queries';

interface EditorValues {
  cells: DraftRules;
  holidayState: HolidayState | '';
  appliesTo: 'new-cases' | 'running-cases';
  reason: string;
}

export function PolicyEditor({ platform, inForce, onSaved }: { platform: string; inForce: PolicyVersion; onSaved: (result: PolicyChangeResult) => void }) {
  const { t } = useTranslation('admin');
  const language = useLanguage();
  const base = inForce.policy.rules;
  const defaultValues = useMemo<EditorValues>(
    () => ({ cells: draftOf(base, language), holidayState: inForce.policy.holidayState ?? '', appliesTo: 'new-cases', reason: '' }),
    [base, language, inForce.policy.holidayState],
  );
  // Keyed by the version in force (PoliciesPage): a new version starts a fresh form. A change saved on a version
  // another admin replaced meanwhile is refused by the API (If-Match), not silently merged.
  const form = useForm<EditorValues>({ defaultValues });
  const { register, handleSubmit, control, formState, setError, clearErrors } = form;
  const cells = useWatch({ control, name: 'cells' });
  const holidayState = useWatch({ control, name: 'holidayState' });
  const change = useChangePolicy(platform);
  const [nothingChanged, setNothingChanged] = useState(false);

  const read = readDraft(cells, base);
  const problems = new Map<string, DurationProblem>(read.ok ? [] : read.problems.map((p) => [`${p.severity}.${p.clock}.${p.step}`, p.problem]));
  const differences = read.ok ? policyDiff({ rules: base, holidayState: inForce.policy.holidayState }, { rules: read.rules, holidayState: holidayState || undefined }) : [];

  const submit = handleSubmit(async (values) => {
    setNothingChanged(false);
    clearErrors('root');
    const result = readDraft(values.cells, base);
    if (!result.ok) {
      setError('root', { message: t('policies.cellsUnreadable', { count: result.problems.length }) });
      return;
    }
    if (differences.length === 0) {
      setNothingChanged(true);
      return;
    }
    const saved = await change.mutateAsync({
      basedOn: inForce.policy.version,
      change: { rules: result.rules, appliesTo: values.appliesTo, reason: values.reason.trim(), ...(values.holidayState && { holidayState: values.holidayState }) },
    });
    onSaved(saved);
  });

  return (
    <form onSubmit={(event) => void submit(event).catch(() => undefined)} noValidate aria-labelledby="policy-editor-title">
      <h2 id="policy-editor-title">{t('policies.editTitle', { version: inForce.policy.version + 1 })}</h2>
      <p className="muted">{t('policies.editHint')}</p>
      {CLOCK_KINDS.map((clock) => (
        <PolicyTable key={clock} clock={clock} register={register} problems={problems} />
      ))}
      <div className="field">
        <label htmlFor="policy-holiday-state">{t('policies.holidayState')}</label>
        <select id="policy-holiday-state" {...register('holidayState')} aria-describedby="policy-holiday-state-hint">
          <option value="">{t('policies.holidayStateNone')}</option>
          {HOLIDAY_STATES.map((state) => (
            <option key={state} value={state}>
              {t(`states.${state}`)}
            </option>
          ))}
        </select>
        <small id="policy-holiday-state-hint" className="hint">
          {t('policies.holidayStateHint')}
        </small>
      </div>

      <PolicyDiff differences={differences} />
      <ImpactPreview platform={platform} candidate={read.ok ? { rules: read.rules, ...(holidayState && { holidayState }) } : undefined} />

      <fieldset>
        <legend>{t('policies.appliesTo')}</legend>
        <label className="checkbox">
          <input type="radio" value="new-cases" {...register('appliesTo')} /> {t('policies.appliesToNew')}
        </label>
        <label className="checkbox">
          <input type="radio" value="running-cases" {...register('appliesTo')} /> {t('policies.appliesToRunning')}
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor="policy-reason">{t('policies.reason')}</label>
        <textarea
          id="policy-reason"
          {...register('reason', { validate: (value) => value.trim() !== '' || t('policies.reasonRequired') })}
          aria-invalid={formState.errors.reason ? true : undefined}
          aria-describedby={formState.errors.reason ? 'policy-reason-error' : undefined}
          maxLength={2000}
        />
        {formState.errors.reason && (
          <small id="policy-reason-error" className="field-error">
            {formState.errors.reason.message}
          </small>
        )}
      </div>
      {formState.errors.root && (
        <p role="alert" className="error">
          {formState.errors.root.message}
        </p>
      )}
      {nothingChanged && (
        <p role="alert" className="notice">
          {t('policies.nothingChanged')}
        </p>
      )}
      <ErrorMessage error={change.error} />
      <button type="submit" className="primary" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? t('policies.saving') : t('policies.save', { version: inForce.policy.version + 1 })}
      </button>
    </form>
  );
}

/** One request's ladder: a row per severity, a column per step, each cell a duration and a basis. */
function PolicyTable({
  clock,
  register,
  problems,
}: {
  clock: (typeof CLOCK_KINDS)[number];
  register: ReturnType<typeof useForm<EditorValues>>['register'];
  problems: Map<string, DurationProblem>;
}) {
  const { t } = useTranslation('admin');
  const { t: tt } = useTranslation();
  return (
    <table className="policy-table">
      <caption>{tt(`enum.clock.${clock}`)}</caption>
      <thead>
        <tr>
          <th scope="col">{tt('inbox.columns.severity')}</th>
          {POLICY_STEPS.map((step) => (
            <th key={step} scope="col">
              {tt(`enum.step.${step}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {SEVERITIES.map((severity) => (
          <tr key={severity}>
            <th scope="row">{tt(`enum.severity.${severity}`)}</th>
            {POLICY_STEPS.map((step) => {
              const key = `${severity}.${clock}.${step}`;
              const where = t('policies.cellName', { severity: tt(`enum.severity.${severity}`), clock: tt(`enum.clock.${clock}`), step: tt(`enum.step.${step}`) });
              const problem = problems.get(key);
              const errorId = `policy-cell-${key.replace(/\./g, '-')}-error`;
              return (
                <td key={step}>
                  <input
                    type="text"
                    size={9}
                    aria-label={t('policies.durationOf', { cell: where })}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? errorId : undefined}
                    {...register(`cells.${severity}.${clock}.${step}.duration` as const)}
                  />
                  <select aria-label={t('policies.basisOf', { cell: where })} {...register(`cells.${severity}.${clock}.${step}.basis` as const)}>
                    {TIME_BASES.map((basis) => (
                      <option key={basis} value={basis}>
                        {tt(`enum.basis.${basis}`)}
                      </option>
                    ))}
                  </select>
                  {problem && (
                    <small id={errorId} className="field-error">
                      {t(`durationProblem.${problem}`)}
                    </small>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The new version against the one in force, in words. */
export function PolicyDiff({ differences }: { differences: PolicyDifference[] }) {
  const { t } = useTranslation('admin');
  const { t: tt } = useTranslation();
  const language = useLanguage();
  const rule = (r: { duration: string; basis: (typeof TIME_BASES)[number] }) => `${formatIsoDuration(r.duration, language)} (${tt(`enum.basis.${r.basis}`)})`;
  return (
    <section aria-labelledby="policy-diff-title" className="panel">
      <h3 id="policy-diff-title">{t('policies.diffTitle')}</h3>
      {differences.length === 0 ? (
        <p className="muted">{t('policies.diffNone')}</p>
      ) : (
        <ul className="policy-diff">
          {differences.map((difference) =>
            difference.kind === 'cell' ? (
              <li key={`${difference.severity}.${difference.clock}.${difference.step}`}>
                {t('policies.cellName', { severity: tt(`enum.severity.${difference.severity}`), clock: tt(`enum.clock.${difference.clock}`), step: tt(`enum.step.${difference.step}`) })}:{' '}
                <del>{rule(difference.before)}</del> → <ins>{rule(difference.after)}</ins>
              </li>
            ) : (
              <li key="holiday-state">
                {t('policies.holidayState')}: <del>{difference.before ? t(`states.${difference.before}`) : t('policies.holidayStateNone')}</del> →{' '}
                <ins>{difference.after ? t(`states.${difference.after}`) : t('policies.holidayStateNone')}</ins>
              </li>
            ),
          )}
        </ul>
      )}
    </section>
  );
}

export type { PolicyRules };
