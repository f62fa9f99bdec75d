// React Query's defaults: a 4xx is an answer, not a glitch, so it is not retried; pages poll where they say.

import { QueryClient } from '@tanstack/react-query';
import { ApiRequestError } from '../api/client';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => !(error instanceof ApiRequestError && error.status >= 400 && error.status < 500) && failures < 2,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}
