// Filing a report: the fields POST /api/reports takes, checked as the API checks them, content locations added
// one by one. The API's own refusal (an unknown platform, a field it finds wrong) shows at the form.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useFieldArray, useForm, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, ApiRequestError, call, newIdempotencyKey, type ApiSchemas } from '../../api/client';
import { hasRole } from '../../auth/roles';
import { useSession } from '../../auth/session';
import { REPORTING_CHANNELS } from '../../api/vocabulary';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { errorAt, nestErrors } from '../../components/form-errors';
import { useDocumentTitle } from '../../components/hooks';
import { emptyLocation, emptyReport, reportBody, validateReport, type ReportProblem, type ReportValues } from './report-form';

const resolver: Resolver<ReportValues> = (values) => {
  const problems = validateReport(values);
  if (problems.contentLocations) problems['contentLocations.root'] = problems.contentLocations;
  delete problems.contentLocations;
  return Object.keys(problems).length ? { values: {}, errors: nestErrors<ReportValues>(problems) } : { values, errors: {} };
};

export function FileReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  useDocumentTitle(t('fileReport.title'));
  const queryClient = useQueryClient();
  const platforms = useQuery({ queryKey: ['platforms'], queryFn: () => call(api().GET('/api/platforms')), staleTime: 60_000 });
  const { register, control, handleSubmit, setError, formState } = useForm<ReportValues>({ defaultValues: emptyReport(), resolver });
  const locations = useFieldArray({ control, name: 'contentLocations' });
  const [refusal, setRefusal] = useState<unknown>(null);
  // The same body is sent under the same Idempotency-Key, so a retry after a lost answer files the report once.
  const lastSubmission = useRef<{ body: string; key: string } | null>(null);

  const file = useMutation({
    mutationFn: (body: ApiSchemas['FileReportDto']) => {
      const text = JSON.stringify(body);
      if (lastSubmission.current?.body !== text) lastSubmission.current = { body: text, key: newIdempotencyKey() };
      return call(api().POST('/api/reports', { params: { header: { 'Idempotency-Key': lastSubmission.current.key } }, body }));
    },
    onSuccess: (detail) => {
      void queryClient.invalidateQueries({ queryKey: ['reports'] });
      navigate(`/cases/${encodeURIComponent(detail.report.reportId)}`);
    },
  });

  const submit = handleSubmit(async (values) => {
    setRefusal(null);
    try {
      await file.mutateAsync(reportBody(values));
    } catch (error) {
      if (error instanceof ApiRequestError) {
        for (const [field, problems] of Object.entries(error.fieldProblems)) {
          setError(field as keyof ReportValues, { type: 'api', message: problems.join('; ') });
        }
      }
      setRefusal(error);
    }
  });

  const message = (path: string): string | undefined => {
    const error = errorAt(formState.errors, path);
    if (!error) return undefined;
    if (error.type === 'api') return error.message;
    const problem = error.problem as ReportProblem;
    if (typeof problem === 'object') return t('fileReport.errors.tooLong', { max: problem.tooLong });
    const keys: Record<Exclude<ReportProblem, object>, string> = {
      required: 'required',
      blank: 'blank',
      platform: 'platform',
      'report-id': 'reportId',
      url: 'url',
      location: 'location',
      'no-location': 'noLocation',
      'evidence-hash': 'evidenceHash',
      'seen-at': 'seenAt',
      'message-ids': 'messageIds',
    };
    return t(`fileReport.errors.${keys[problem]}`);
  };

  const platformNames = platforms.data?.items.map((item) => item.platform) ?? [];
  const isAdmin = hasRole(useSession().role, 'admin');
  const unknownPlatform = refusal instanceof ApiRequestError && refusal.code === 'unknown-platform';

  return (
    <div className="file-report">
      <h1>{t('fileReport.title')}</h1>
      <form onSubmit={submit} noValidate>
        <div className="two-columns">
          <Field label={t('fileReport.platform')} error={message('platform')}>
            <input type="text" list="known-platforms" autoComplete="off" {...register('platform')} />
          </Field>
          <datalist id="known-platforms">
            {platformNames.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <Field label={t('fileReport.channel')} error={message('channel')}>
            <select {...register('channel')}>
              <option value="">—</option>
              {REPORTING_CHANNELS.map((channel) => (
                <option key={channel} value={channel}>
                  {t(`enum.channel.${channel}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('fileReport.reporterReference')} error={message('reporterReference')}>
            <input type="text" {...register('reporterReference')} />
          </Field>
          <Field label={t('fileReport.seenAt')} error={message('seenAt')}>
            <input type="datetime-local" step={1} {...register('seenAt')} />
          </Field>
        </div>
        <fieldset>
          <legend>{t('fileReport.contentLocations')}</legend>
          {locations.fields.map((location, index) => (
            <div key={location.id} className="location-row" role="group" aria-label={t('fileReport.location', { n: index + 1 })}>
              <Field label={t('fileReport.url')} error={message(`contentLocations.${index}.url`)}>
                <input type="url" placeholder="https://" {...register(`contentLocations.${index}.url`)} />
              </Field>
              <Field label={t('fileReport.channelOnPlatform')} error={message(`contentLocations.${index}.channel`)}>
                <input type="text" {...register(`contentLocations.${index}.channel`)} />
              </Field>
              <Field label={t('fileReport.messageIds')} error={message(`contentLocations.${index}.messageIds`)}>
                <input type="text" {...register(`contentLocations.${index}.messageIds`)} />
              </Field>
              <button
                type="button"
                className="danger"
                aria-label={t('fileReport.removeLocation', { n: index + 1 })}
                onClick={() => locations.remove(index)}
                disabled={locations.fields.length === 1}
              >
                {t('fileReport.remove')}
              </button>
            </div>
          ))}
          {message('contentLocations.root') && (
            <p className="field-error" role="alert">
              {message('contentLocations.root')}
            </p>
          )}
          <button type="button" onClick={() => locations.append(emptyLocation())}>
            {t('fileReport.addLocation')}
          </button>
        </fieldset>
        <Field label={t('fileReport.excerpt')} error={message('excerpt')}>
          <textarea rows={5} {...register('excerpt')} />
        </Field>
        <Field label={t('fileReport.evidenceHash')} hint={t('fileReport.evidenceHashHint')} error={message('evidenceHash')}>
          <input type="text" className="mono" spellCheck={false} {...register('evidenceHash')} />
        </Field>
        <Field label={t('fileReport.reportId')} hint={t('fileReport.reportIdHint')} error={message('reportId')}>
          <input type="text" {...register('reportId')} />
        </Field>
        <ErrorMessage error={refusal} />
        {unknownPlatform && (
          <p className="hint" id="unknown-platform-hint">
            {isAdmin ? (
              <>
                {t('fileReport.unknownPlatformAdmin')} <Link to="/platforms">{t('fileReport.platformsPage')}</Link>.
              </>
            ) : (
              t('fileReport.unknownPlatform')
            )}
          </p>
        )}
        <button type="submit" className="primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? t('fileReport.submitting') : t('fileReport.submit')}
        </button>
      </form>
    </div>
  );
}
