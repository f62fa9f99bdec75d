// Writes the API's OpenAPI document and the typed client's generated types (libs/api-client), so that the
// client library follows the API. A spec checks they are current.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiClientFiles } from '../apps/api/src/openapi-files';

async function main() {
  const root = join(__dirname, '..', '..');
  for (const [path, content] of Object.entries(await apiClientFiles())) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
    console.log(`wrote ${path}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
