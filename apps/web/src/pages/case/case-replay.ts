// Stepping through a case's history: which version the page shows (the address's ?atVersion=N, or now), and where
// "earlier" and "later" lead. Versions run 1 … latest; the latest is the case now, so it is shown as now.

/** The version shown: a past one, or the case as it is now. */
export type ViewedVersion = number | 'now';

/** The address's parameter naming the version shown. */
export const AT_VERSION_PARAM = 'atVersion';

/**
 * The version the address asks for: a whole number from 1 below the latest; the latest, anything beyond it
 * (a version not yet written) or anything that is no version, as now.
 */
export function viewedVersion(raw: string | null, latest: number): ViewedVersion {
  if (raw === null || !/^[1-9]\d*$/.test(raw)) return 'now';
  const version = Number(raw);
  return version < latest ? version : 'now';
}

/** The version one step earlier, or null at the first. */
export function earlierVersion(viewed: ViewedVersion, latest: number): ViewedVersion | null {
  const from = viewed === 'now' ? latest : viewed;
  return from > 1 ? from - 1 : null;
}

/** The version one step later (the latest is now), or null when showing now. */
export function laterVersion(viewed: ViewedVersion, latest: number): ViewedVersion | null {
  if (viewed === 'now') return null;
  return viewed + 1 >= latest ? 'now' : viewed + 1;
}

/** The address's search parameters showing `viewed` (other parameters kept). */
export function withViewedVersion(params: URLSearchParams, viewed: ViewedVersion): URLSearchParams {
  const next = new URLSearchParams(params);
  if (viewed === 'now') next.delete(AT_VERSION_PARAM);
  else next.set(AT_VERSION_PARAM, String(viewed));
  return next;
}
