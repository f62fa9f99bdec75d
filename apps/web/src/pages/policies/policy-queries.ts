// The policy and platform reads and writes of the admin pages, as React Query hooks over the typed client.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiRequestError, call, type ApiSchemas } from '../../api/client';

export type PolicyVersion = ApiSchemas['PolicyVersionDto'];
export type PolicyChange = ApiSchemas['PolicyChangeDto'];
export type PolicyChangeResult = ApiSchemas['PolicyChangeResultDto'];
export type PolicyRollout = ApiSchemas['PolicyRolloutDto'];
export type PlatformOverview = ApiSchemas['PlatformOverviewDto'];

export const platformsKey = ['platforms'] as const;
export const policyKey = (platform: string) => ['policy', platform] as const;
export const policyVersionsKey = (platform: string) => ['policy-versions', platform] as const;

/** GET /api/platforms: the platforms the engine knows. */
export function usePlatforms() {
  return useQuery({ queryKey: platformsKey, queryFn: () => call(api().GET('/api/platforms')) });
}

/** The version in force (read again when the window regains focus; a save based on an old one is refused). */
export function usePolicy(platform: string) {
  return useQuery({
    queryKey: policyKey(platform),
    queryFn: () => call(api().GET('/api/policies/{platform}', { params: { path: { platform } } })),
  });
}

/** Every version, newest first. */
export function usePolicyVersions(platform: string) {
  return useQuery({
    queryKey: policyVersionsKey(platform),
    queryFn: async () => [...(await call(api().GET('/api/policies/{platform}/versions', { params: { path: { platform } } })))].reverse(),
    refetchInterval: 10_000,
  });
}

const FINISHED: ReadonlyArray<PolicyRollout['status']> = ['completed', 'not-for-running-cases'];

/** A rollout's progress, polled every second until it is finished. */
export function useRollout(platform: string, version: number | undefined) {
  return useQuery({
    queryKey: ['policy-rollout', platform, version],
    enabled: version !== undefined,
    queryFn: () => call(api().GET('/api/policies/{platform}/rollouts/{version}', { params: { path: { platform, version: version as number } } })),
    refetchInterval: (query) => (query.state.data && FINISHED.includes(query.state.data.status) ? false : 1000),
  });
}

export function rolloutFinished(rollout: PolicyRollout): boolean {
  return FINISHED.includes(rollout.status);
}

/**
 * PUT /api/policies/:platform with If-Match on the version the admin edited: if another admin changed the policy
 * meanwhile, the API refuses (412) and the page says so instead of overwriting that change.
 */
export function useChangePolicy(platform: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ change, basedOn }: { change: PolicyChange; basedOn: number }) =>
      call(api().PUT('/api/policies/{platform}', { params: { path: { platform }, header: { 'If-Match': `"${basedOn}"` } }, body: change })),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: policyKey(platform) }),
        queryClient.invalidateQueries({ queryKey: policyVersionsKey(platform) }),
        queryClient.invalidateQueries({ queryKey: platformsKey }),
      ]),
  });
}

export { ApiRequestError };

/** POST /api/policies/:platform/simulations: what a candidate table would have changed in past cases. Stores nothing. */
export function useSimulation(platform: string) {
  return useMutation({
    mutationFn: (body: ApiSchemas['PolicySimulationRequestDto']) => call(api().POST('/api/policies/{platform}/simulations', { params: { path: { platform } }, body })),
  });
}
