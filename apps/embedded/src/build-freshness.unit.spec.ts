import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILD_STAMP, sourcesChangedSinceBuild, staleBuildWarning } from './build-freshness';

describe('sources changed since the last build', () => {
  let root: string;
  const file = (path: string, secondsAgo: number) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), '');
    const at = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(join(root, path), at, at);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'build-freshness-'));
    file('apps/api/src/main.ts', 120);
    file('workflows/index.ts', 120);
    file(BUILD_STAMP, 60);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('are none right after a build', () => {
    expect(sourcesChangedSinceBuild(root)).toEqual([]);
    expect(staleBuildWarning(root)).toBeUndefined();
  });

  it('are the sources edited after it, specs and dependencies left out, and the warning says to build', () => {
    file('apps/api/src/reports/reports.controller.ts', 0);
    file('workflows/report-lifecycle.workflow.ts', 0);
    file('apps/web/src/App.tsx', 0);
    file('libs/domain/src/report.unit.spec.ts', 0);
    file('libs/x/node_modules/y/index.ts', 0);
    expect(sourcesChangedSinceBuild(root)).toEqual(['apps/api/src/reports/reports.controller.ts', 'apps/web/src/App.tsx', 'workflows/report-lifecycle.workflow.ts']);
    expect(staleBuildWarning(root)).toBe(
      'sources changed since the last build (apps/api/src/reports/reports.controller.ts, apps/web/src/App.tsx, workflows/report-lifecycle.workflow.ts): this start runs the code as built; run `npm run build` to run the changes',
    );
    file('libs/kafka/src/a.ts', 0);
    expect(staleBuildWarning(root)).toContain('and 1 more');
  });

  it('are not looked for without a build stamp (nothing to compare with)', () => {
    rmSync(join(root, BUILD_STAMP));
    file('apps/api/src/main.ts', 0);
    expect(sourcesChangedSinceBuild(root)).toEqual([]);
  });
});
