// Quarantined events by component (relay, projector), read from the database at scrape time, so the figure is
// right whichever process runs relay and projector. Above zero, an operator must look (npm run quarantine).

import { Gauge } from 'prom-client';
import { QUARANTINE_COMPONENTS, type EventQuarantine } from '@engine/event-store';
import { MetricsService } from './metrics.service';

/** No such table yet: no worker has started since the quarantine existed, so nothing is quarantined. */
const UNDEFINED_TABLE = '42P01';

export function watchQuarantine(metrics: MetricsService, quarantine: Pick<EventQuarantine, 'counts'>): void {
  const gauge = new Gauge({
    name: 'quarantined_events',
    help: 'Stored events the relay could not publish or the projector could not apply, set aside so the rest goes on, by component (list and retry them with npm run quarantine).',
    labelNames: ['component'],
    registers: [metrics.registry],
  });
  for (const component of QUARANTINE_COMPONENTS) gauge.set({ component }, 0);
  metrics.onScrape(async () => {
    const counts = await quarantine.counts().catch((error: { code?: string }) => {
      if (error?.code === UNDEFINED_TABLE) return { relay: 0, projector: 0 };
      throw error;
    });
    for (const component of QUARANTINE_COMPONENTS) gauge.set({ component }, counts[component]);
  });
}
