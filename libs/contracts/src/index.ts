// The public face of libs/contracts: topics, the lifecycle message, its schemas and the AsyncAPI document.
export * from './topics';
export * from './events/lifecycle-message';
export * from './events/stream-events';
export * from './events/report-event-schemas';
export * from './asyncapi';
export * from './contract-files';
