// The inbox's filters. Selects apply at once; the search text applies on Enter or after a short pause in typing.

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client';
import { SEVERITIES, STATUSES } from '../../api/vocabulary';
import { Field } from '../../components/Field';
import { SORTS, type InboxFilters, type ListSort } from './inbox-query';

export function InboxFilterBar({ filters, onChange }: { filters: InboxFilters; onChange(next: InboxFilters): void }) {
  const { t } = useTranslation();
  const platforms = useQuery({ queryKey: ['platforms'], queryFn: () => call(api().GET('/api/platforms')), staleTime: 60_000 });
  const [text, setText] = useState(filters.text ?? '');
  const [assignee, setAssignee] = useState(filters.assignee ?? '');
  useEffect(() => setText(filters.text ?? ''), [filters.text]);
  useEffect(() => setAssignee(filters.assignee ?? ''), [filters.assignee]);

  const apply = (change: Partial<InboxFilters>) => onChange({ ...filters, ...change, page: 1 });
  // Typing settles for half a second before the list is asked again.
  useEffect(() => {
    const typed = { text: text.trim() || undefined, assignee: assignee.trim() || undefined };
    if (typed.text === filters.text && typed.assignee === filters.assignee) return;
    const timer = setTimeout(() => apply(typed), 500);
    return () => clearTimeout(timer);
  }, [text, assignee]); // only typing restarts the pause

  const platformNames = platforms.data?.items.map((item) => item.platform) ?? [];
  if (filters.platform && !platformNames.includes(filters.platform)) platformNames.push(filters.platform);

  return (
    <form
      className="filters"
      role="search"
      aria-label={t('inbox.filters')}
      onSubmit={(event) => {
        event.preventDefault();
        apply({ text: text.trim() || undefined, assignee: assignee.trim() || undefined });
      }}
    >
      <Field label={t('inbox.text')}>
        <input type="search" value={text} placeholder={t('inbox.textPlaceholder')} onChange={(event) => setText(event.target.value)} />
      </Field>
      <Field label={t('inbox.status')}>
        <select value={filters.status ?? ''} onChange={(event) => apply({ status: (event.target.value || undefined) as InboxFilters['status'] })}>
          <option value="">{t('inbox.any')}</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`enum.status.${status}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('inbox.platform')}>
        <select value={filters.platform ?? ''} onChange={(event) => apply({ platform: event.target.value || undefined })}>
          <option value="">{t('inbox.any')}</option>
          {platformNames.map((platform) => (
            <option key={platform} value={platform}>
              {platform}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('inbox.severity')}>
        <select value={filters.severity ?? ''} onChange={(event) => apply({ severity: (event.target.value || undefined) as InboxFilters['severity'] })}>
          <option value="">{t('inbox.any')}</option>
          {SEVERITIES.map((severity) => (
            <option key={severity} value={severity}>
              {t(`enum.severity.${severity}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('inbox.overdue')}>
        <select
          value={filters.overdue === undefined ? '' : String(filters.overdue)}
          onChange={(event) => apply({ overdue: event.target.value === '' ? undefined : event.target.value === 'true' })}
        >
          <option value="">{t('inbox.any')}</option>
          <option value="true">{t('inbox.overdueOnly')}</option>
          <option value="false">{t('inbox.notOverdue')}</option>
        </select>
      </Field>
      <Field label={t('inbox.assignee')}>
        <input type="text" value={filters.mine ? '' : assignee} disabled={filters.mine} onChange={(event) => setAssignee(event.target.value)} />
      </Field>
      <Field label={t('inbox.sort')}>
        <select value={filters.sort} onChange={(event) => apply({ sort: event.target.value as ListSort })}>
          {SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {t(`inbox.sorts.${sort}`)}
            </option>
          ))}
        </select>
      </Field>
      <label className="checkbox mine">
        <input type="checkbox" checked={filters.mine} onChange={(event) => apply({ mine: event.target.checked })} /> {t('inbox.mine')}
      </label>
      <button type="submit" className="visually-hidden">
        {t('inbox.text')}
      </button>
      <button type="button" className="link clear" onClick={() => onChange({ mine: false, sort: 'urgency', page: 1, pageSize: filters.pageSize })}>
        {t('inbox.clear')}
      </button>
    </form>
  );
}
