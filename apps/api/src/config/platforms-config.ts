// PLATFORMS: the platforms registered at start when not known yet, so that a fresh installation can take
// reports on them without an admin's POST /api/platforms (`npm start` defaults it to `telegram`, for the quick start).

import { InvalidConfigurationError } from '@engine/config';
import { PLATFORM_NAME_PATTERN } from '@engine/domain';

/** The names in PLATFORMS (comma-separated), or `fallback` when it is unset; a name that is no platform name stops the start. */
export function readPlatformsSetting(env: NodeJS.ProcessEnv, fallback: readonly string[] = []): string[] {
  const value = env.PLATFORMS;
  if (value === undefined) return [...fallback];
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const bad = names.filter((name) => !PLATFORM_NAME_PATTERN.test(name));
  if (bad.length > 0) {
    throw new InvalidConfigurationError([
      `PLATFORMS must be comma-separated platform names (1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit); not: ${bad.map((name) => JSON.stringify(name)).join(', ')}`,
    ]);
  }
  return names;
}
