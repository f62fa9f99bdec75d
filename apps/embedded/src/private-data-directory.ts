// The data directory holds every case (PGlite), every event (the broker's log), the Temporal journal and the
// credentials: other users of the machine must not read them directly, past the stand-ins' authentication.
// A new data directory is created for the owner only. An existing one is not narrowed (DATA_DIR may name a
// directory that holds other things), but the engine's own directories in it are, and the start says so.

import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The directories the engine keeps in the data directory. */
export const ENGINE_DIRECTORIES = ['postgres', 'kafka', 'temporal'] as const;

/**
 * Creates `dir` (0700) and the engine's directories in it (0700; existing ones narrowed); returns a warning
 * when `dir` itself is open to other users.
 */
export function ensurePrivateDataDirectory(dir: string): string | undefined {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const name of ENGINE_DIRECTORIES) {
    const own = join(dir, name);
    mkdirSync(own, { recursive: true, mode: 0o700 });
    chmodSync(own, 0o700);
  }
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return `${dir} is open to other users (mode ${mode.toString(8)}); its postgres, kafka and temporal directories are kept 0700, but consider chmod 700 ${dir}`;
}
