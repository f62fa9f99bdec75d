// The case page's reads (polled, so the page follows the case) and its one write, an action.

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiRequestError, call, newIdempotencyKey, type ReportDetail } from '../../api/client';
import { fileNameFromContentDisposition, saveBlob } from '../../api/download';
import type { ActionBody, ActionName } from './actions';

export const CASE_POLL_MS = 3000;

export const caseKeys = {
  all: ['case'] as const,
  detail: (id: string) => ['case', id, 'detail'] as const,
  timeline: (id: string) => ['case', id, 'timeline'] as const,
  messages: (id: string) => ['case', id, 'messages'] as const,
  events: (id: string) => ['case', id, 'events'] as const,
  stateAt: (id: string, version: number) => ['case', id, 'state', version] as const,
};

export function useCaseDetail(id: string) {
  return useQuery({
    queryKey: caseKeys.detail(id),
    queryFn: () => call(api().GET('/api/reports/{id}', { params: { path: { id } } })),
    refetchInterval: CASE_POLL_MS,
  });
}

export function useCaseTimeline(id: string) {
  return useQuery({
    queryKey: caseKeys.timeline(id),
    queryFn: () => call(api().GET('/api/reports/{id}/timeline', { params: { path: { id } } })),
    refetchInterval: CASE_POLL_MS,
  });
}

export function useCaseMessages(id: string) {
  return useQuery({
    queryKey: caseKeys.messages(id),
    queryFn: () => call(api().GET('/api/reports/{id}/messages', { params: { path: { id } } })),
    refetchInterval: CASE_POLL_MS * 2,
  });
}

/**
 * The case as it was at a past version (GET /api/reports/{id}/state?atVersion=N), or nothing for now. A past
 * version never changes: not polled, kept; while stepping, the version before stays on the page until the next
 * arrives.
 */
export function useCaseStateAt(id: string, version: number | undefined) {
  return useQuery({
    queryKey: caseKeys.stateAt(id, version ?? 0),
    queryFn: () => call(api().GET('/api/reports/{id}/state', { params: { path: { id }, query: { atVersion: version } } })),
    enabled: version !== undefined,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
}

export type CaseFileRecipient = 'prosecution' | 'app-store';
export type CaseFileFormat = 'pdf' | 'json';

/**
 * Fetches the case file with the session's token and hands it to the browser as a download, named as the API
 * names it (the JSON, which comes without a name, as case-file-<id>-<recipient>.json). Answers the file name.
 */
export async function downloadCaseFile(id: string, recipient: CaseFileRecipient, format: CaseFileFormat): Promise<string> {
  const answer = await api().GET('/api/reports/{id}/case-file', { params: { path: { id }, query: { recipient, format } }, parseAs: 'blob' });
  const blob = (await call(Promise.resolve(answer))) as unknown as Blob;
  const fileName = fileNameFromContentDisposition(answer.response.headers.get('Content-Disposition'), `case-file-${id}-${recipient}.${format}`);
  saveBlob(blob, fileName);
  return fileName;
}

/** The stored events' hash-chain check (the events themselves are not shown: the timeline words them). */
export function useCaseIntegrity(id: string) {
  return useQuery({
    queryKey: caseKeys.events(id),
    queryFn: () => call(api().GET('/api/reports/{id}/events', { params: { path: { id } } })),
    select: (stream) => stream.integrity,
    refetchInterval: CASE_POLL_MS * 5,
  });
}

/** POST /api/reports/{id}/{action} against the version the user saw (If-Match), so a change meanwhile is refused (412). */
export function postAction(id: string, action: ActionName, body: ActionBody<ActionName>, version: number): Promise<ReportDetail> {
  // One route per action, each typed by the generated schema; ActionBody<A> types the body where it is built.
  const path = `/api/reports/{id}/${action}` as '/api/reports/{id}/notes';
  return call(
    api().POST(path, {
      params: { path: { id }, header: { 'If-Match': `"${version}"`, 'Idempotency-Key': newIdempotencyKey() } },
      body: body as ActionBody<'notes'>,
    }),
  );
}

export function useCaseAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body, version }: { action: ActionName; body: ActionBody<ActionName>; version: number }) => postAction(id, action, body, version),
    onSuccess: (detail) => {
      queryClient.setQueryData(caseKeys.detail(id), detail);
      void queryClient.invalidateQueries({ queryKey: ['case', id] });
      void queryClient.invalidateQueries({ queryKey: ['reports'] });
    },
    onError: (error) => {
      // Someone else changed the case: show its current state.
      if (error instanceof ApiRequestError && (error.status === 412 || error.status === 409)) {
        void queryClient.invalidateQueries({ queryKey: caseKeys.detail(id) });
      }
    },
  });
}
