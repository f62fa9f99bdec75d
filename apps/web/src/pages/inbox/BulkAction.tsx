// One action on the selected cases (POST /api/reports/bulk/{action}) and each case's result, failures included.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, call, type ApiSchemas } from '../../api/client';
import { ActionForm } from '../case/ActionForm';
import type { ActionBody, ActionName } from '../case/actions';

/** Actions that make sense on many cases at once, with the same data for each. */
export const BULK_ACTIONS = ['assignment', 'notes', 'deletion-request', 'data-request', 'pause', 'resume', 'closure'] as const satisfies readonly ActionName[];

type BulkResult = ApiSchemas['BulkResultDto']['results'][number];

export function BulkAction({ ids, onDone, onClear }: { ids: string[]; onDone(): void; onClear(): void }) {
  const { t } = useTranslation();
  const selectId = useId();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<(typeof BULK_ACTIONS)[number]>('assignment');
  const [results, setResults] = useState<BulkResult[] | null>(null);
  const mutation = useMutation({
    mutationFn: (body: ActionBody<ActionName>) =>
      call(api().POST('/api/reports/bulk/{action}', { params: { path: { action } }, body: { ids, data: body as Record<string, unknown> } })),
    onSuccess: (answer) => {
      setResults(answer.results);
      void queryClient.invalidateQueries({ queryKey: ['case'] });
      onDone();
    },
  });
  const failed = results?.filter((result) => !result.ok).length ?? 0;

  return (
    <section className="bulk-panel" aria-labelledby={`${selectId}-heading`}>
      <div className="bulk">
        <h2 id={`${selectId}-heading`} className="visually-hidden">
          {t('inbox.bulk.title')}
        </h2>
        <strong>{t('inbox.bulk.selected', { count: ids.length })}</strong>
        <div className="field">
          <label htmlFor={selectId}>{t('inbox.bulk.action')}</label>
          <select
            id={selectId}
            value={action}
            onChange={(event) => {
              setResults(null);
              setAction(event.target.value as (typeof BULK_ACTIONS)[number]);
            }}
          >
            {BULK_ACTIONS.map((name) => (
              <option key={name} value={name}>
                {t(`action.${name}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="link" onClick={onClear}>
          {t('inbox.bulk.clearSelection')}
        </button>
      </div>
      <ActionForm
        key={action}
        action={action}
        submitLabel={t('inbox.bulk.run', { count: ids.length })}
        onSubmit={async (body) => {
          setResults(null);
          await mutation.mutateAsync(body);
        }}
      />
      {results && (
        <div className="bulk-results" role="status">
          <h3>
            {t('inbox.bulk.results')}: {t('inbox.bulk.summary', { ok: results.length - failed, failed })}
          </h3>
          <ul>
            {results.map((result) => (
              <li key={result.reportId} className={result.ok ? 'result-ok' : 'result-failed'}>
                <Link to={`/cases/${encodeURIComponent(result.reportId)}`}>{result.reportId}</Link>:{' '}
                {result.ok
                  ? t('inbox.bulk.ok', { status: t(`enum.status.${result.status}`) })
                  : t('inbox.bulk.failed', { httpStatus: result.httpStatus, message: result.message })}
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setResults(null)}>
            {t('inbox.bulk.dismiss')}
          </button>
        </div>
      )}
    </section>
  );
}
