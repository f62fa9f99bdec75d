// One action's form (react-hook-form): the fields the action takes, checked as the API checks them, and the
// API's refusal shown right here, where the user acted. Used on the case page and for bulk actions.

import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useForm, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiRequestError, type ReportDetail } from '../../api/client';
import { ANSWERS_BY_CLOCK, CATEGORIES, CLOCK_KINDS, CLOSE_OUTCOMES, PAUSE_REASONS, SEVERITIES } from '../../api/vocabulary';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useSessionContext } from '../../auth/session';
import { actionBody, initialValues, validateAction, type ActionBody, type ActionName, type ActionValues } from './actions';

interface ActionFormProps {
  action: ActionName;
  /** The case acted on (fills defaults and limits choices); absent for a bulk action. */
  detail?: ReportDetail;
  onSubmit(body: ActionBody<ActionName>): Promise<void>;
  onCancel?(): void;
  submitLabel?: string;
  /** Move the focus into the form when it appears (it opened on a button press). */
  focusOnOpen?: boolean;
}

/** API field names that differ from the form's. */
const API_FIELDS: Record<string, keyof ActionValues> = { 'actions.deletionRequest': 'deletionRequest', 'actions.subscriberDataRequest': 'subscriberDataRequest' };

export function ActionForm({ action, detail, onSubmit, onCancel, submitLabel, focusOnOpen }: ActionFormProps) {
  const { t } = useTranslation();
  const resolver: Resolver<ActionValues> = (values) => {
    const problems = validateAction(action, values, { now: Date.now(), detail });
    const errors = Object.fromEntries(Object.entries(problems).map(([field, type]) => [field, { type, message: type }]));
    return { values: Object.keys(errors).length ? {} : values, errors };
  };
  const me = useSessionContext().session?.actor;
  const { register, handleSubmit, watch, setError, setValue, formState } = useForm<ActionValues>({ defaultValues: initialValues(detail), resolver });
  const [refusal, setRefusal] = useState<unknown>(null);
  const refusalRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (focusOnOpen) formRef.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  }, [focusOnOpen]);
  useEffect(() => {
    if (refusal) refusalRef.current?.focus();
  }, [refusal]);

  const submit = handleSubmit(async (values) => {
    setRefusal(null);
    try {
      await onSubmit(actionBody(action, values));
    } catch (error) {
      if (error instanceof ApiRequestError) {
        for (const [field, problems] of Object.entries(error.fieldProblems)) {
          const name = API_FIELDS[field] ?? (action === 'pause' && field === 'reason' ? 'pauseReason' : (field as keyof ActionValues));
          if (name in initialValues()) setError(name, { type: 'api', message: problems.join('; ') });
        }
      }
      setRefusal(error);
    }
  });

  const errorText = (field: keyof ActionValues): string | undefined => {
    const error = formState.errors[field];
    if (!error) return undefined;
    if (error.type === 'api') return error.message;
    if (error.type === 'too-long') return t('fileReport.errors.tooLong', { max: 2000 });
    if (error.type === 'does-not-fit') return t('action.doesNotFit');
    if (error.type === 'blank') return t('fileReport.errors.blank');
    if (error.type === 'not-a-time') return t('fileReport.errors.seenAt');
    if (error.type === 'in-future') return t('action.errors.inFuture');
    if (error.type === 'before-request') return t('action.errors.beforeRequest');
    if (error.type === 'not-with-refusal') return t('action.errors.notWithRefusal');
    if (error.type === 'after-answer') return t('action.errors.afterAnswer');
    return t('action.required');
  };

  const decision = watch('decision');
  const clock = watch('clock');
  const response = watch('response');
  const clocks = detail ? CLOCK_KINDS.filter((kind) => detail.clocks[kind] !== undefined) : CLOCK_KINDS;
  const f = (key: string) => t(`action.fields.${key}`);

  const textField = (name: 'reason' | 'note' | 'assignee' | 'text' | 'duplicateOf', label: string, multiline = false) => (
    <Field label={label} error={errorText(name)}>
      {multiline ? <textarea {...register(name)} /> : <input type="text" {...register(name)} />}
    </Field>
  );
  const selectField = <N extends 'category' | 'severity' | 'clock' | 'response' | 'pauseReason' | 'outcome'>(
    name: N,
    label: string,
    options: readonly string[],
    optionLabel: (value: string) => string,
  ) => (
    <Field label={label} error={errorText(name)}>
      <select {...register(name)}>
        <option value="">—</option>
        {options.map((value) => (
          <option key={value} value={value}>
            {optionLabel(value)}
          </option>
        ))}
      </select>
    </Field>
  );
  const assessmentFields = (
    <>
      {selectField('category', f('category'), CATEGORIES, (v) => t(`enum.category.${v}`))}
      {selectField('severity', f('severity'), SEVERITIES, (v) => t(`enum.severity.${v}`))}
      <fieldset>
        <legend>{t('case.requestedActions')}</legend>
        {(['deletionRequest', 'subscriberDataRequest', 'referToProsecution'] as const).map((name) => (
          <label key={name} className="checkbox">
            <input type="checkbox" {...register(name)} /> {f(name)}
          </label>
        ))}
      </fieldset>
    </>
  );

  let fields: ReactNode = null;
  switch (action) {
    case 'triage':
      fields = (
        <>
          <fieldset>
            <legend>{f('decision')}</legend>
            <label className="checkbox">
              <input type="radio" value="actionable" {...register('decision')} /> {f('actionable')}
            </label>
            <label className="checkbox">
              <input type="radio" value="dismiss" {...register('decision')} /> {f('dismiss')}
            </label>
          </fieldset>
          {decision === 'dismiss' ? textField('reason', f('reason'), true) : assessmentFields}
        </>
      );
      break;
    case 'retriage':
      fields = (
        <>
          {assessmentFields}
          {textField('reason', f('reason'), true)}
        </>
      );
      break;
    case 'platform-response':
      fields = (
        <>
          {selectField('clock', f('clock'), clocks, (v) => t(`enum.clock.${v}`))}
          {selectField('response', f('response'), clock ? ANSWERS_BY_CLOCK[clock] : [], (v) => t(`enum.answer.${v}`))}
          {textField('reason', response === 'refused' || response === 'data-refused' ? f('reason') : `${f('reason')} (${t('action.optional')})`, true)}
          <Field label={`${f('receivedAt')} (${t('action.optional')})`} hint={t('action.receivedAtHint')} error={errorText('receivedAt')}>
            <input type="datetime-local" {...register('receivedAt')} />
          </Field>
          <Field label={`${f('effectGivenAt')} (${t('action.optional')})`} hint={t('action.effectGivenAtHint')} error={errorText('effectGivenAt')}>
            <input type="datetime-local" {...register('effectGivenAt')} />
          </Field>
        </>
      );
      break;
    case 'removal-verification':
      fields = (
        <fieldset>
          <legend>{f('result')}</legend>
          <label className="checkbox">
            <input type="radio" value="gone" {...register('result')} /> {f('gone')}
          </label>
          <label className="checkbox">
            <input type="radio" value="still-online" {...register('result')} /> {f('stillOnline')}
          </label>
        </fieldset>
      );
      break;
    case 'escalation':
      fields = (
        <>
          {selectField('clock', f('clock'), clocks, (v) => t(`enum.clock.${v}`))}
          {textField('reason', f('reason'), true)}
        </>
      );
      break;
    case 'pause':
      fields = (
        <>
          {selectField('pauseReason', f('pauseReason'), PAUSE_REASONS, (v) => t(`enum.pauseReason.${v}`))}
          {textField('note', `${f('note')} (${t('action.optional')})`, true)}
        </>
      );
      break;
    case 'assignment':
      fields = (
        <>
          {textField('assignee', f('assignee'))}
          {me && (
            <button type="button" className="link" onClick={() => setValue('assignee', me, { shouldValidate: formState.isSubmitted })}>
              {t('action.assignToMe', { actor: me })}
            </button>
          )}
        </>
      );
      break;
    case 'notes':
      fields = textField('text', f('text'), true);
      break;
    case 'closure':
      fields = (
        <>
          {selectField('outcome', f('outcome'), CLOSE_OUTCOMES, (v) => t(`enum.outcome.${v}`))}
          {textField('note', `${f('note')} (${t('action.optional')})`, true)}
        </>
      );
      break;
    case 'reopening':
      fields = textField('reason', f('reason'), true);
      break;
    case 'duplicate':
      fields = textField('duplicateOf', f('duplicateOf'));
      break;
    case 'deletion-request':
    case 'data-request':
    case 'resume':
      fields = <p>{t('action.confirm', { action: t(`action.${action}`) })}</p>;
      break;
    default: {
      const _exhaustive: never = action;
      throw new Error(`unknown action ${String(_exhaustive)}`);
    }
  }

  return (
    <form
      ref={formRef}
      className="action-form"
      onSubmit={submit}
      noValidate
      aria-label={t(`action.${action}`)}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && onCancel) onCancel();
      }}
    >
      <h3>{t(`action.${action}`)}</h3>
      {fields}
      <div ref={refusalRef} tabIndex={-1}>
        <ErrorMessage error={refusal} />
      </div>
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? t('action.sending') : (submitLabel ?? t(`action.${action}`))}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('action.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
