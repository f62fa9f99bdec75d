// Where the worker finds the workflow code: the bundle `npm run build` wrote under dist/workflow-bundle/, or the
// sources bundled at start (webpack, seconds) when there is none; and how the bundler resolves `@engine/*`.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { packageRoot } from '@engine/config';
import { bundleWorkflowCode, DefaultLogger, type BundleOptions, type WorkerOptions } from '@temporalio/worker';

/** The repository root: the nearest folder above this file that holds the workflows/ folder. */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'workflows', 'index.ts'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the workflows/ folder above ' + __dirname);
    dir = parent;
  }
  return dir;
}

/** What workflow code is made of: workflows/ and the only libraries it may import (see eslint.config.mjs). */
const WORKFLOW_SOURCE_FOLDERS = ['workflows', join('libs', 'domain', 'src'), join('libs', 'contracts', 'src')];

const webpackConfigHook = (root: string): NonNullable<BundleOptions['webpackConfigHook']> => (config) => {
  const resolve = config.resolve ?? {};
  resolve.alias = {
    ...(resolve.alias as Record<string, string>),
    '@engine/domain': join(root, 'libs', 'domain', 'src'),
    '@engine/contracts': join(root, 'libs', 'contracts', 'src'),
  };
  return { ...config, resolve };
};

/**
 * Worker options that bundle `workflows/index.ts` from source. The bundler compiles TypeScript itself; the
 * aliases map the only libraries workflow code may import to their sources. Tests that run from source use this.
 */
export function workflowBundleOptions(): Pick<WorkerOptions, 'workflowsPath' | 'bundlerOptions'> {
  const root = repositoryRoot();
  return { workflowsPath: join(root, 'workflows', 'index.ts'), bundlerOptions: { webpackConfigHook: webpackConfigHook(root) } };
}

/** Where `npm run build` writes the prebuilt bundles and their manifest. */
export function prebuiltWorkflowBundleDirectory(): string {
  return join(packageRoot(), 'dist', 'workflow-bundle');
}

const MANIFEST = 'manifest.json';

interface BundleManifest {
  /** Hash of the workflow sources the bundles were made from (see workflowSourcesHash). */
  sourcesHash: string;
  /** One bundle per set of workflow interceptor modules (paths relative to the package root). */
  bundles: { file: string; interceptorModules: string[] }[];
}

/**
 * A hash of every file the workflow bundle is made from (workflows/, libs/domain, libs/contracts, specs left out)
 * and of the SDK's version; undefined where the sources are not there (an image that carries dist/ only).
 */
export function workflowSourcesHash(root = packageRoot()): string | undefined {
  if (!existsSync(join(root, 'workflows', 'index.ts'))) return undefined;
  const hash = createHash('sha256');
  for (const folder of WORKFLOW_SOURCE_FOLDERS) {
    const files = (readdirSync(join(root, folder), { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
      .sort();
    for (const file of files) hash.update(`${join(folder, file)}\0`).update(readFileSync(join(root, folder, file))).update('\0');
  }
  hash.update(`@temporalio/workflow@${(JSON.parse(readFileSync(require.resolve('@temporalio/workflow/package.json'), 'utf8')) as { version: string }).version}`);
  return hash.digest('hex');
}

/**
 * Bundles the workflow code once per set of interceptor modules (for example none, and tracing's) and writes the
 * bundles with a manifest to `directory`; `npm run build` runs it so that starting a worker bundles nothing. Bundles
 * made from the same sources are kept (a build that changed no workflow code bundles nothing).
 */
export async function writePrebuiltWorkflowBundles(
  interceptorModuleSets: string[][],
  directory = prebuiltWorkflowBundleDirectory(),
): Promise<{ files: string[]; written: boolean }> {
  const root = repositoryRoot();
  const sourcesHash = workflowSourcesHash(root);
  if (!sourcesHash) throw new Error(`no workflow sources under ${root}`);
  const wanted = interceptorModuleSets.map((modules) => JSON.stringify(modules.map((module) => relative(root, module)).sort()));
  const previous = readManifest(directory);
  const current =
    previous?.sourcesHash === sourcesHash &&
    JSON.stringify(previous.bundles.map(({ interceptorModules }) => JSON.stringify([...interceptorModules].sort()))) === JSON.stringify(wanted) &&
    previous.bundles.every(({ file }) => existsSync(join(directory, file)));
  if (current) return { files: previous.bundles.map(({ file }) => join(directory, file)), written: false };
  mkdirSync(directory, { recursive: true });
  const manifest: BundleManifest = { sourcesHash, bundles: [] };
  for (const [index, interceptorModules] of interceptorModuleSets.entries()) {
    const { code } = await bundleWorkflowCode({
      workflowsPath: join(root, 'workflows', 'index.ts'),
      webpackConfigHook: webpackConfigHook(root),
      workflowInterceptorModules: interceptorModules,
      logger: new DefaultLogger('WARN'),
    });
    const file = index === 0 ? 'workflows.js' : `workflows-${index}.js`;
    writeFileSync(join(directory, file), code);
    manifest.bundles.push({ file, interceptorModules: interceptorModules.map((module) => relative(root, module)) });
  }
  writeFileSync(join(directory, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return { files: manifest.bundles.map(({ file }) => join(directory, file)), written: true };
}

function readManifest(directory: string): BundleManifest | undefined {
  const file = join(directory, MANIFEST);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BundleManifest) : undefined;
}

export interface WorkflowCode {
  /** For Worker.create: the prebuilt bundle, or the sources to bundle. */
  options: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'>;
  /** For `interceptors.workflowModules`: empty with a prebuilt bundle, which holds them already. */
  workflowInterceptorModules: string[];
  /** One line for the log: which code the worker runs, and why when it is not the prebuilt bundle. */
  description: string;
  /** Set when the prebuilt bundle was made from other sources than those in the checkout now. */
  staleWarning?: string;
}

/**
 * The workflow code a worker runs: the bundle `npm run build` wrote for these interceptor modules, so that a start
 * bundles nothing; the sources bundled now when there is none. Compiled (dist/), a prebuilt bundle is the code as last
 * built like the rest of dist/: when the sources changed since, it is still used (the compiled activities beside it
 * are as old), with a warning that says to build. Run from source (tests), it is used only when made from the
 * sources as they are.
 */
export function workflowCode(interceptorModules: readonly string[] = [], directory = prebuiltWorkflowBundleDirectory()): WorkflowCode {
  const fromSource = (why: string): WorkflowCode => ({
    options: workflowBundleOptions(),
    workflowInterceptorModules: [...interceptorModules],
    description: `workflow code: bundling workflows/ from source at start (${why}; \`npm run build\` prebuilds it)`,
  });
  const manifest = readManifest(directory);
  if (!manifest) return fromSource(`no prebuilt bundle in ${directory}`);
  const root = packageRoot();
  // Compared as real paths: node_modules may be reached through a symbolic link.
  const real = (path: string) => (existsSync(path) ? realpathSync(path) : path);
  const wanted = [...interceptorModules].map((module) => real(resolve(module))).sort();
  const bundle = manifest.bundles.find(
    ({ interceptorModules: modules }) => JSON.stringify(modules.map((module) => real(resolve(root, module))).sort()) === JSON.stringify(wanted),
  );
  if (!bundle || !existsSync(join(directory, bundle.file))) return fromSource('no prebuilt bundle with these workflow interceptors');
  const codePath = join(directory, bundle.file);
  const current = workflowSourcesHash(root);
  const stale = current !== undefined && current !== manifest.sourcesHash;
  // Run from source (jest), the code under test is the sources as they are now.
  if (stale && __filename.endsWith('.ts')) return fromSource('the sources changed since the prebuilt bundle was made');
  return {
    options: { workflowBundle: { codePath } },
    workflowInterceptorModules: [],
    description: `workflow code: prebuilt bundle ${relative(root, codePath)}`,
    ...(stale && {
        staleWarning: 'the workflow sources changed since the last build; the worker runs the code as built: run `npm run build` to run the changes',
      }),
  };
}
