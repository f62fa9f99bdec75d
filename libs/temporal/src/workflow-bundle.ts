// Where the worker finds the workflow code and how the bundler resolves the `@engine/*` libraries from it.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';

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

/**
 * Worker options that bundle `workflows/index.ts` from source. The bundler compiles TypeScript itself; the
 * aliases map the only libraries workflow code may import (see eslint.config.mjs) to their sources.
 */
export function workflowBundleOptions(): Pick<WorkerOptions, 'workflowsPath' | 'bundlerOptions'> {
  const root = repositoryRoot();
  return {
    workflowsPath: join(root, 'workflows', 'index.ts'),
    bundlerOptions: {
      webpackConfigHook: (config) => {
        const resolve = config.resolve ?? {};
        resolve.alias = {
          ...(resolve.alias as Record<string, string>),
          '@engine/domain': join(root, 'libs', 'domain', 'src'),
          '@engine/contracts': join(root, 'libs', 'contracts', 'src'),
        };
        return { ...config, resolve };
      },
    },
  };
}
