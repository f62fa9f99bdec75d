import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workflowCode, workflowSourcesHash } from './workflow-bundle';

describe('workflowCode: the prebuilt bundle when there is one for the interceptors, else the sources', () => {
  let directory: string;
  const interceptor = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');
  const manifest = (sourcesHash: string | undefined) =>
    writeFileSync(
      join(directory, 'manifest.json'),
      JSON.stringify({
        sourcesHash,
        bundles: [
          { file: 'workflows.js', interceptorModules: [] },
          { file: 'workflows-1.js', interceptorModules: ['node_modules/@temporalio/interceptors-opentelemetry/lib/workflow-interceptors.js'] },
        ],
      }),
    );

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'workflow-bundle-'));
    writeFileSync(join(directory, 'workflows.js'), '/* bundle */');
    writeFileSync(join(directory, 'workflows-1.js'), '/* bundle with tracing */');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('uses the prebuilt bundle made from the sources as they are, and bundles no interceptors itself', () => {
    manifest(workflowSourcesHash());
    const code = workflowCode([], directory);
    expect(code.options).toEqual({ workflowBundle: { codePath: join(directory, 'workflows.js') } });
    expect(code.workflowInterceptorModules).toEqual([]);
    expect(code.description).toMatch(/^workflow code: prebuilt bundle /);
    expect(code.staleWarning).toBeUndefined();
  });

  it('picks the bundle that holds the requested workflow interceptors (tracing)', () => {
    manifest(workflowSourcesHash());
    const code = workflowCode([interceptor], directory);
    expect(code.options).toEqual({ workflowBundle: { codePath: join(directory, 'workflows-1.js') } });
    expect(code.workflowInterceptorModules).toEqual([]);
  });

  it('knows the interceptor module when it is reached through a symbolic link (a linked node_modules)', () => {
    manifest(workflowSourcesHash());
    const linked = join(directory, 'linked-interceptors.js');
    symlinkSync(interceptor, linked);
    expect(workflowCode([linked], directory).options).toEqual({ workflowBundle: { codePath: join(directory, 'workflows-1.js') } });
  });

  it('bundles from source, with the interceptors, when no prebuilt bundle holds them', () => {
    manifest(workflowSourcesHash());
    const other = join(directory, 'other-interceptors.js');
    const code = workflowCode([other], directory);
    expect(code.options.workflowBundle).toBeUndefined();
    expect(code.options.workflowsPath).toMatch(/workflows[/\\]index\.ts$/);
    expect(code.workflowInterceptorModules).toEqual([other]);
    expect(code.description).toContain('no prebuilt bundle with these workflow interceptors');
  });

  it('bundles from source when nothing was prebuilt', () => {
    const code = workflowCode([], join(directory, 'missing'));
    expect(code.options.workflowsPath).toMatch(/workflows[/\\]index\.ts$/);
    expect(code.description).toContain('no prebuilt bundle in');
  });

  it('run from source (as here), bundles the sources when they changed since the prebuilt bundle was made', () => {
    manifest('a hash of other sources');
    const code = workflowCode([], directory);
    expect(code.options.workflowsPath).toMatch(/workflows[/\\]index\.ts$/);
    expect(code.description).toContain('the sources changed since the prebuilt bundle was made');
  });
});

describe('workflowSourcesHash', () => {
  it('is the same for the same sources', () => {
    expect(workflowSourcesHash()).toMatch(/^[0-9a-f]{64}$/);
    expect(workflowSourcesHash()).toBe(workflowSourcesHash());
  });
});
