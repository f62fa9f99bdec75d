// npm start anchors the event store's stream heads with a key generated on the first start and kept in the data
// directory (owner only), unless CHAIN_ANCHOR_KEY or CHAIN_ANCHOR_KEY_FILE names one kept elsewhere, which
// separates the key from PGlite's files (see the threat model in libs/event-store chain-anchors.ts).

import { join } from 'node:path';
import { CHAIN_ANCHOR_KEY_FILE_NAME, ensureChainAnchorKeyFile } from '@engine/event-store';

/** The environment the worker gets so that its relay signs anchors. */
export function chainAnchorKeySetting(dataDir: string, env: NodeJS.ProcessEnv): { CHAIN_ANCHOR_KEY_FILE?: string } {
  if (env.CHAIN_ANCHOR_KEY || env.CHAIN_ANCHOR_KEY_FILE) return {};
  const file = join(dataDir, CHAIN_ANCHOR_KEY_FILE_NAME);
  ensureChainAnchorKeyFile(file);
  return { CHAIN_ANCHOR_KEY_FILE: file };
}
