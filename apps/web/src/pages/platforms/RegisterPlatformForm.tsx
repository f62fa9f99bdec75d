// An admin registers a platform (POST /api/platforms), so that reports can be filed on it. The form checks the
// fields as the API does; a name registered already (in any case) is refused by the API and shown at the field.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiRequestError, call, type ApiSchemas } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { errorAt, nestErrors } from '../../components/form-errors';
import { platformsKey } from '../policies/policy-queries';
import { emptyRegistration, registrationBody, validateRegistration, type PlatformRegistrationValues, type RegistrationProblem } from './platform-registration';

const resolver: Resolver<PlatformRegistrationValues> = (values) => {
  const problems = validateRegistration(values);
  return Object.keys(problems).length ? { values: {}, errors: nestErrors<PlatformRegistrationValues>(problems) } : { values, errors: {} };
};

export function RegisterPlatformForm() {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const { register, handleSubmit, setError, reset, formState } = useForm<PlatformRegistrationValues>({ defaultValues: emptyRegistration(), resolver });
  const registration = useMutation({
    mutationFn: (body: ApiSchemas['PlatformRegistrationDto']) => call(api().POST('/api/platforms', { body })),
    // The list here and the File-a-report page's platform suggestions share this query.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: platformsKey }),
  });

  const submit = handleSubmit(async (values) => {
    registration.reset();
    try {
      await registration.mutateAsync(registrationBody(values));
      reset(emptyRegistration());
    } catch (error) {
      if (!(error instanceof ApiRequestError)) return;
      if (error.status === 409) setError('name', { type: 'api', message: t('platforms.register.alreadyRegistered', { message: error.message }) });
      for (const [field, problems] of Object.entries(error.fieldProblems)) {
        if (field === 'name' || field === 'displayName' || field === 'reason') setError(field, { type: 'api', message: problems.join('; ') });
      }
    }
  });

  const message = (field: keyof PlatformRegistrationValues): string | undefined => {
    const error = errorAt(formState.errors, field);
    if (!error) return undefined;
    if (error.type === 'api') return error.message;
    const problem = error.problem as RegistrationProblem;
    if (typeof problem === 'object') return t('platforms.register.tooLong', { max: problem.tooLong });
    return t(`platforms.register.problems.${problem}`);
  };

  const registered = registration.data;
  // A refusal shown at a field is not repeated below the form.
  const shownAtField = registration.error instanceof ApiRequestError && (registration.error.status === 409 || Object.keys(registration.error.fieldProblems).length > 0);
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="register-platform-title">
      <h2 id="register-platform-title">{t('platforms.register.title')}</h2>
      <p className="muted">{t('platforms.register.intro')}</p>
      <div className="toolbar">
        <Field label={t('platforms.register.name')} hint={t('platforms.register.nameHint')} error={message('name')}>
          <input type="text" autoComplete="off" spellCheck={false} {...register('name')} />
        </Field>
        <Field label={t('platforms.register.displayName')} hint={t('platforms.register.displayNameHint')} error={message('displayName')}>
          <input type="text" autoComplete="off" {...register('displayName')} />
        </Field>
        <Field label={t('platforms.register.reason')} error={message('reason')}>
          <input type="text" {...register('reason')} />
        </Field>
        <button type="submit" className="primary" disabled={formState.isSubmitting}>
          {t('platforms.register.submit')}
        </button>
      </div>
      {!shownAtField && <ErrorMessage error={registration.error} />}
      {registered && (
        <p role="status" className="success">
          {t('platforms.register.done', { name: registered.displayName })}{' '}
          <Link to={`/platforms/${encodeURIComponent(registered.platform)}`}>{t('platforms.register.open', { name: registered.displayName })}</Link>
        </p>
      )}
    </form>
  );
}
