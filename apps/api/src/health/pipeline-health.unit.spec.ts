import { assessPipeline, PipelineMemory, PipelineReading, STALL_AFTER_MS } from './pipeline-health';

const flowing: PipelineReading = { lag: 0, progress: 10, quarantined: 0 };
const T0 = Date.parse('2026-12-01T10:00:00Z');

function probeOver(readings: Record<'relay' | 'projector', PipelineReading>[], stepMs: number) {
  let memory: PipelineMemory = {};
  return readings.map((reading, index) => {
    const assessment = assessPipeline(reading, memory, T0 + index * stepMs);
    memory = assessment.memory;
    return assessment;
  });
}

describe('assessPipeline', () => {
  it('is ok without lag, and says so with the figures', () => {
    expect(assessPipeline({ relay: flowing, projector: flowing }, {}, T0)).toMatchObject({ up: true, degraded: false, detail: 'ok: relay lag 0; projector lag 0' });
  });

  it('is ok while a component with lag makes progress, however long the lag lasts', () => {
    const readings = [0, 1, 2, 3, 4].map((step) => ({ relay: { lag: 50, progress: 100 + step, quarantined: 0 }, projector: flowing }));
    expect(probeOver(readings, STALL_AFTER_MS / 2).map((assessment) => assessment.up)).toEqual([true, true, true, true, true]);
  });

  it('is down once a component had lag and no progress for the stated time, and recovers when it moves', () => {
    const stuck = { relay: flowing, projector: { lag: 3, progress: 40, quarantined: 0 } };
    const results = probeOver([stuck, stuck, stuck, { relay: flowing, projector: { lag: 2, progress: 41, quarantined: 0 } }], STALL_AFTER_MS / 2);
    expect(results.map((assessment) => assessment.up)).toEqual([true, true, false, true]);
    expect(results[2].detail).toBe('down: relay lag 0; projector lag 3 (stalled: no progress for 60 s)');
  });

  it('does not call an idle component stalled: no lag, no progress needed', () => {
    const idle = { relay: { lag: 0, progress: 5, quarantined: 0 }, projector: { lag: 0, progress: 5, quarantined: 0 } };
    expect(probeOver([idle, idle, idle, idle], STALL_AFTER_MS).every((assessment) => assessment.up)).toBe(true);
  });

  it('is degraded (still up) with quarantined events, naming the component and the count', () => {
    const assessment = assessPipeline({ relay: flowing, projector: { lag: 0, progress: 7, quarantined: 2 } }, {}, T0);
    expect(assessment).toMatchObject({ up: true, degraded: true });
    expect(assessment.detail).toBe('degraded: relay lag 0; projector lag 0, 2 event(s) quarantined; list them with npm run quarantine');
  });
});
