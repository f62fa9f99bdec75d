// The lint rule that keeps the deterministic core pure, checked against the repository's real ESLint config.
// ESLint runs as its CLI: its flat config is an ES module, which jest's CommonJS sandbox cannot import.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const run = spawnSync(process.execPath, [join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', filePath, '--format', 'json'], {
    cwd: root,
    input: code,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message.split("'")[1]);
}

describe('purity of libs/domain, libs/contracts and workflows/', () => {
  it('keeps Node built-ins, Nest and I/O libraries out of libs/domain', async () => {
    const code = [
      "import { readFileSync } from 'fs';",
      "import { randomUUID } from 'node:crypto';",
      "import { Injectable } from '@nestjs/common';",
      "import { Kafka } from 'kafkajs';",
      "import { decide } from './report/decide';",
      'export const all = [readFileSync, randomUUID, Injectable, Kafka, decide];',
    ].join('\n');
    expect(await restrictedImports('libs/domain/src/example.ts', code)).toEqual(['fs', 'node:crypto', '@nestjs/common', 'kafkajs']);
  });

  it('lets libs/contracts use libs/domain and nothing with side effects', async () => {
    const code = "import { decide } from '@engine/domain';\nimport { Pool } from 'pg';\nexport const all = [decide, Pool];";
    expect(await restrictedImports('libs/contracts/src/example.ts', code)).toEqual(['pg']);
  });

  it('lets workflows/ import only @temporalio/workflow, libs/domain and libs/contracts', async () => {
    const code = [
      "import { proxyActivities } from '@temporalio/workflow';",
      "import { decide } from '@engine/domain';",
      "import { REPORTS_TOPIC } from '@engine/contracts';",
      "import { Client } from '@temporalio/client';",
      "import { something } from '@temporalio/workflow/lib/internals';",
      "import * as path from 'path';",
      'export const all = [proxyActivities, decide, REPORTS_TOPIC, Client, something, path];',
    ].join('\n');
    expect(await restrictedImports('workflows/example.workflow.ts', code)).toEqual(['@temporalio/client', '@temporalio/workflow/lib/internals', 'path']);
  });

  it('leaves apps free to wire libraries', async () => {
    expect(await restrictedImports('apps/api/src/example.ts', "import { Kafka } from 'kafkajs';\nexport const k = Kafka;")).toEqual([]);
  });
});
