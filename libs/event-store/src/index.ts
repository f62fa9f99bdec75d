// The event store library's public face.

export * from './event-store.port';
export * from './errors';
export { canonicalJson } from './canonical-json';
export { chainHash, GENESIS_HASH } from './hash-chain';
export { DEFAULT_SCHEMA } from './schema';
export { SqlEventStore, MAX_READ_ALL_LIMIT } from './sql-event-store';
export { createEventStore, eventStoreOptionsFromEnv, openEventStore } from './create-event-store';
export type { EventStoreOptions } from './create-event-store';
export { SqlCheckpointStore } from './checkpoint-store';
export { readReportHistories } from './report-histories';
export type { RecordedEvent, ReportHistory, ReportHistoryFilter } from './report-histories';
export type { CheckpointStore } from './checkpoint-store';
export type { EventPublisher } from './outbox/event-publisher.port';
export { OutboxRelay, RelayStoppedError } from './outbox/outbox-relay';
export type { OutboxRelayOptions, RelayFailure, RelayStage, RetryPolicy } from './outbox/outbox-relay';
export { EventStoreModule, EVENT_STORE, RELAY_CHECKPOINT_STORE, CHAIN_ANCHOR_LOG } from './event-store.module';
export type { EventStoreModuleAsyncOptions } from './event-store.module';
export {
  ChainAnchorKey,
  ChainAnchoring,
  CHAIN_ANCHOR_KEY_FILE_NAME,
  ensureChainAnchorKeyFile,
  headsOf,
  readChainAnchorKey,
  SqlChainAnchorLog,
} from './chain-anchors';
export type { ChainAnchor, StreamHead } from './chain-anchors';
export { verifyEventStore } from './verify-store';
export type { ChainProblem, PublishedHashes, StoreVerification, VerifyStoreOptions } from './verify-store';
export { EventQuarantine, QUARANTINE_COMPONENTS } from './quarantine';
export type { QuarantineComponent, QuarantinedEvent } from './quarantine';
export { QuarantiningPublisher } from './outbox/quarantining-publisher';
export type { QuarantiningPublisherOptions } from './outbox/quarantining-publisher';
export { StoreSubscription, SubscriptionStoppedError, cursorAfterBatch } from './store-subscription';
export type { Retrying, StoreSubscriptionOptions, SubscriptionFailure } from './store-subscription';
