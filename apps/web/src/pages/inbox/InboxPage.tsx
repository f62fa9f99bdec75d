// The inbox: every case, most urgent first (as the API sorts), with filters kept in the address, a live
// countdown per row, paging, and a bulk action on the selected rows. Polls, so it follows the cases.

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type RowSelectionState } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, call, type ReportSummary } from '../../api/client';
import { hasRole } from '../../auth/roles';
import { useSession } from '../../auth/session';
import { Countdown } from '../../components/Countdown';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useDocumentTitle, useLanguage } from '../../components/hooks';
import { formatDateTime } from '../../format/time';
import { BulkAction } from './BulkAction';
import { InboxFilterBar } from './InboxFilterBar';
import { filtersFromSearch, filtersToSearch, mostUrgentRequest, pageCount, PAGE_SIZES, toListQuery, type InboxFilters } from './inbox-query';

export const INBOX_POLL_MS = 3000;

const column = createColumnHelper<ReportSummary>();

export function InboxPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const session = useSession();
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const query = toListQuery(filters, session.actor);
  const list = useQuery({
    queryKey: ['reports', query],
    queryFn: () => call(api().GET('/api/reports', { params: { query } })),
    refetchInterval: INBOX_POLL_MS,
    placeholderData: keepPreviousData,
  });
  const [selection, setSelection] = useState<RowSelectionState>({});
  useDocumentTitle(t('inbox.title'));
  const canAct = hasRole(session.role, 'staff');

  const setFilters = (next: InboxFilters) => {
    setSelection({});
    setSearch(filtersToSearch(next));
  };

  const columns = useMemo(
    () => [
      ...(canAct
        ? [
            column.display({
              id: 'select',
              header: ({ table }) => (
                <input
                  type="checkbox"
                  aria-label={t('inbox.selectAll')}
                  checked={table.getIsAllRowsSelected()}
                  ref={(input) => {
                    if (input) input.indeterminate = table.getIsSomeRowsSelected();
                  }}
                  onChange={table.getToggleAllRowsSelectedHandler()}
                />
              ),
              cell: ({ row }) => (
                <input
                  type="checkbox"
                  aria-label={t('inbox.selectRow', { id: row.original.reportId })}
                  checked={row.getIsSelected()}
                  onChange={row.getToggleSelectedHandler()}
                />
              ),
            }),
          ]
        : []),
      column.accessor('reportId', {
        header: () => t('inbox.columns.report'),
        cell: (info) => <Link to={`/cases/${encodeURIComponent(info.getValue())}`}>{info.getValue()}</Link>,
      }),
      column.accessor('platform', { header: () => t('inbox.columns.platform') }),
      column.accessor('status', {
        header: () => t('inbox.columns.status'),
        cell: (info) => <span className={`badge status-${info.getValue()}`}>{t(`enum.status.${info.getValue()}`)}</span>,
      }),
      column.accessor('severity', {
        header: () => t('inbox.columns.severity'),
        cell: (info) => {
          const severity = info.getValue();
          return severity ? <span className={`badge severity-${severity}`}>{t(`enum.severity.${severity}`)}</span> : '—';
        },
      }),
      column.display({
        id: 'step',
        header: () => t('inbox.columns.step'),
        cell: ({ row }) => {
          const request = mostUrgentRequest(row.original.requests);
          if (!request) return '—';
          return (
            <>
              {t(`enum.step.${request.step}`)}
              <div className="muted">
                {t(`enum.clock.${request.kind}`)}
                {request.status !== 'running' && `, ${t(`enum.clockStatus.${request.status}`)}`}
              </div>
            </>
          );
        },
      }),
      column.display({
        id: 'countdown',
        header: () => t('inbox.columns.countdown'),
        cell: ({ row }) => {
          const deadline = row.original.overdueSince ?? row.original.nextDeadline;
          return (
            <>
              <Countdown deadline={deadline} paused={row.original.status === 'paused' && mostUrgentRequest(row.original.requests)?.status === 'running'} />
              {deadline && <div className="muted nowrap">{formatDateTime(deadline, language)}</div>}
            </>
          );
        },
      }),
      column.accessor('assignee', { header: () => t('inbox.columns.assignee'), cell: (info) => info.getValue() ?? '—' }),
      column.accessor('filedAt', { header: () => t('inbox.columns.filedAt'), cell: (info) => <span className="nowrap">{formatDateTime(info.getValue(), language)}</span> }),
    ],
    [t, language, canAct],
  );

  const table = useReactTable({
    data: list.data?.items ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.reportId,
    state: { rowSelection: selection },
    onRowSelectionChange: setSelection,
    enableRowSelection: canAct,
  });

  const total = list.data?.total ?? 0;
  const pages = pageCount(total, filters.pageSize);
  // Only rows still listed: a case that left the filter meanwhile (another user acted) is not acted on unseen.
  const listed = new Set(list.data?.items.map((item) => item.reportId));
  const selectedIds = Object.keys(selection).filter((id) => selection[id] && listed.has(id));

  return (
    <>
      <div className="page-header">
        <h1>{t('inbox.title')}</h1>
        {list.data && (
          <span className="muted" aria-live="polite">
            {t('inbox.total', { count: total })}
          </span>
        )}
      </div>
      <InboxFilterBar filters={filters} onChange={setFilters} />
      {canAct && selectedIds.length > 0 && <BulkAction ids={selectedIds} onDone={() => void list.refetch()} onClear={() => setSelection({})} />}
      <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />
      {list.isPending ? (
        <p>{t('app.loading')}</p>
      ) : (
        <div className="table-wrapper">
          <table aria-label={t('inbox.title')}>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>
                  {group.headers.map((header) => (
                    <th key={header.id} scope="col">
                      {flexRender(header.column.columnDef.header, header.getContext())}
                    </th>
                  ))}
                </tr>
              ))}
            </thead>
            <tbody>
              {table.getRowModel().rows.map((row) => (
                <tr key={row.id} className={row.getIsSelected() ? 'selected' : undefined}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {list.data && list.data.items.length === 0 && <p className="muted">{t('inbox.empty')}</p>}
        </div>
      )}
      <nav className="pager" aria-label={t('inbox.paging')}>
        <button type="button" disabled={filters.page <= 1} onClick={() => setFilters({ ...filters, page: filters.page - 1 })}>
          {t('inbox.previous')}
        </button>
        <span>{t('inbox.page', { page: filters.page, pages })}</span>
        <button type="button" disabled={filters.page >= pages} onClick={() => setFilters({ ...filters, page: filters.page + 1 })}>
          {t('inbox.next')}
        </button>
        <label>
          {t('inbox.pageSize')}{' '}
          <select value={filters.pageSize} onChange={(event) => setFilters({ ...filters, page: 1, pageSize: Number(event.target.value) })}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
      </nav>
    </>
  );
}
