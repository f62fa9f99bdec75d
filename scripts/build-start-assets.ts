// `npm run build`'s last server step: makes once what every start would otherwise make itself, for seconds —
// the workflow bundles (webpack; one without workflow interceptors, one with tracing's) and a freshly initialised
// PGlite data directory that new databases are unpacked from (initdb); then the stamp of a finished build.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUILD_STAMP } from '../apps/embedded/src/build-freshness';
import { writePgliteTemplate } from '@engine/database';
import { writePrebuiltWorkflowBundles } from '@engine/temporal';
import { TRACING_WORKFLOW_INTERCEPTORS } from '@engine/telemetry';

async function main(): Promise<void> {
  const bundles = await writePrebuiltWorkflowBundles([[], [TRACING_WORKFLOW_INTERCEPTORS]]);
  console.log(`workflow bundles: ${bundles.files.map((file) => relative(process.cwd(), file)).join(', ')}${bundles.written ? '' : ' (current already)'}`);
  const template = await writePgliteTemplate();
  console.log(`PGlite template: ${relative(process.cwd(), template.file)}${template.written ? '' : ' (current already)'}`);
  // Last: the build is done. `npm start` warns when sources are newer than this.
  writeFileSync(join(__dirname, '..', '..', BUILD_STAMP), `${new Date().toISOString()}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
