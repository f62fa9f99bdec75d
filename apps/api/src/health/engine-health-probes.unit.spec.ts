import type { Client } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import type { SqlDatabase } from '@engine/database';
import type { SqlEventStore } from '@engine/event-store';
import { WORKER_POLL_WINDOW_MS } from '@engine/temporal';
import { EngineHealthProbes } from './engine-health-probes';

const NOW = Date.parse('2026-12-01T10:00:00Z');

function probesWith({ pollers = [] as { lastAccessTime?: { seconds: number } }[], topics = ['reports.lifecycle.v1'] } = {}) {
  const describeTaskQueue = jest.fn().mockResolvedValue({ pollers });
  const temporal = { options: { namespace: 'default' }, workflowService: { describeTaskQueue } } as unknown as Client;
  const admin = { connect: jest.fn(), disconnect: jest.fn(), describeCluster: jest.fn().mockResolvedValue({ brokers: [{}] }), listTopics: jest.fn().mockResolvedValue(topics) };
  const kafka = { admin: () => admin } as unknown as Kafka;
  const eventStore = { database: {} as SqlDatabase, schema: 'event_store' } as SqlEventStore;
  const probes = new EngineHealthProbes({ temporal, taskQueue: 'reports', kafka, database: {} as SqlDatabase, eventStore, now: () => NOW });
  return { probes, describeTaskQueue };
}

describe('the worker probe', () => {
  it('is up while a worker polled the task queue recently, and asks about the workflow task queue', async () => {
    const { probes, describeTaskQueue } = probesWith({ pollers: [{ lastAccessTime: { seconds: (NOW - 5_000) / 1000 } }] });
    expect(await probes.worker()).toEqual({ up: true, detail: '1 worker(s) polling task queue "reports"' });
    expect(describeTaskQueue).toHaveBeenCalledWith(expect.objectContaining({ namespace: 'default', taskQueue: { name: 'reports' }, taskQueueType: 1 }));
  });

  it('is down without pollers, or when the last poll is older than the window (a dead worker Temporal still lists)', async () => {
    expect(await probesWith().probes.worker()).toEqual({ up: false, detail: 'no worker has polled task queue "reports" in the last 90 s' });
    const stale = probesWith({ pollers: [{ lastAccessTime: { seconds: (NOW - WORKER_POLL_WINDOW_MS - 1_000) / 1000 } }] });
    expect((await stale.probes.worker()).up).toBe(false);
  });
});

describe('the Kafka probe', () => {
  it('is up with the lifecycle topic, down without it', async () => {
    expect(await probesWith().probes.kafka()).toEqual({ up: true, detail: '1 broker(s), topic reports.lifecycle.v1' });
    expect(await probesWith({ topics: ['other'] }).probes.kafka()).toEqual({ up: false, detail: 'topic reports.lifecycle.v1 does not exist' });
  });
});
