// `npm run build`'s last server step: makes once what every start would otherwise make itself, for seconds —
// the workflow bundles (webpack; one without workflow interceptors, one with tracing's) and a freshly initialised
// PGlite data directory that new databases are unpacked from (initdb).
import { relative } from 'node:path';
import { writePgliteTemplate } from '@engine/database';
import { writePrebuiltWorkflowBundles } from '@engine/temporal';
import { TRACING_WORKFLOW_INTERCEPTORS } from '@engine/telemetry';

async function main(): Promise<void> {
  const bundles = await writePrebuiltWorkflowBundles([[], [TRACING_WORKFLOW_INTERCEPTORS]]);
  console.log(`workflow bundles: ${bundles.files.map((file) => relative(process.cwd(), file)).join(', ')}${bundles.written ? '' : ' (current already)'}`);
  const template = await writePgliteTemplate();
  console.log(`PGlite template: ${relative(process.cwd(), template.file)}${template.written ? '' : ' (current already)'}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
