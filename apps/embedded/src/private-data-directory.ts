// The data directory holds every case (PGlite), every event (the broker's log) and the credentials: other users
// of the machine must not read it directly, past the stand-ins' authentication. Created for the owner only;
// an existing one that others may enter is narrowed, and the start says so.

import { chmodSync, mkdirSync, statSync } from 'node:fs';

/** Creates `dir` (mode 0700) or narrows an existing one to 0700; returns a note when it had to narrow it. */
export function ensurePrivateDataDirectory(dir: string): string | undefined {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  chmodSync(dir, mode & 0o700);
  return `${dir} was open to other users (mode ${mode.toString(8)}); narrowed to ${(mode & 0o700).toString(8)}`;
}
