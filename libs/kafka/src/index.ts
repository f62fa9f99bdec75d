// The public face of libs/kafka: the engine's only way to Kafka.
export * from './kafka-connection-options';
export * from './kafka-client';
export * from './lifecycle-record';
export * from './lifecycle-publisher';
export * from './lifecycle-consumer';
export * from './lifecycle-topic';
export * from './publish-errors';
export * from './published-chain-hashes';
