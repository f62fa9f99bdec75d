import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readChainAnchorKey } from '@engine/event-store';
import { chainAnchorKeySetting } from './chain-anchor-key';

describe("npm start's chain anchor key", () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'anchor-key-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is generated once in the data directory, owner-only, and kept across starts', () => {
    const first = chainAnchorKeySetting(dataDir, {});
    expect(first).toEqual({ CHAIN_ANCHOR_KEY_FILE: join(dataDir, 'chain-anchor.key') });
    expect(statSync(first.CHAIN_ANCHOR_KEY_FILE!).mode & 0o777).toBe(0o600);
    const key = readFileSync(first.CHAIN_ANCHOR_KEY_FILE!, 'utf8');
    expect(key.trim().length).toBeGreaterThanOrEqual(32);
    chainAnchorKeySetting(dataDir, {});
    expect(readFileSync(first.CHAIN_ANCHOR_KEY_FILE!, 'utf8')).toBe(key);
    expect(readChainAnchorKey(first)?.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is left to CHAIN_ANCHOR_KEY or CHAIN_ANCHOR_KEY_FILE when set, and none is generated then', () => {
    expect(chainAnchorKeySetting(dataDir, { CHAIN_ANCHOR_KEY: 'a-key-kept-somewhere-else' })).toEqual({});
    expect(chainAnchorKeySetting(dataDir, { CHAIN_ANCHOR_KEY_FILE: '/run/secrets/anchor' })).toEqual({});
    expect(() => statSync(join(dataDir, 'chain-anchor.key'))).toThrow();
  });

  it('refuses a key that is too short, and both settings at once', () => {
    expect(() => readChainAnchorKey({ CHAIN_ANCHOR_KEY: 'short' })).toThrow(/at least 16 bytes/);
    expect(() => readChainAnchorKey({ CHAIN_ANCHOR_KEY: 'a-key-kept-somewhere-else', CHAIN_ANCHOR_KEY_FILE: '/x' })).toThrow(/not both/);
    expect(() => readChainAnchorKey({ CHAIN_ANCHOR_KEY_FILE: join(dataDir, 'missing') })).toThrow(/cannot read the chain anchor key file/);
  });
});
