// Writes the published contract files (AsyncAPI document, one JSON Schema per event type and version) from
// libs/contracts, so that integrators can read them without running code. A spec checks they are current.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractFiles } from '@engine/contracts';

const root = join(__dirname, '..', '..');
for (const [path, content] of Object.entries(contractFiles())) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
  console.log(`wrote ${path}`);
}
