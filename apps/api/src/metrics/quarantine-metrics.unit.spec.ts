import { MetricsService } from './metrics.service';
import { watchQuarantine } from './quarantine-metrics';

describe('the quarantined events gauge', () => {
  it('shows the quarantine counts by component at each scrape, and zero before the table exists', async () => {
    const metrics = new MetricsService();
    const counts = jest.fn().mockRejectedValueOnce(Object.assign(new Error('relation does not exist'), { code: '42P01' })).mockResolvedValue({ relay: 1, projector: 3 });
    watchQuarantine(metrics, { counts });
    expect(await metrics.exposition()).toContain('quarantined_events{component="projector"} 0');
    const text = await metrics.exposition();
    expect(text).toContain('quarantined_events{component="relay"} 1');
    expect(text).toContain('quarantined_events{component="projector"} 3');
  });
});
