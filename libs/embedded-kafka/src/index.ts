// Public face of the embedded Kafka-compatible broker.
export { EmbeddedKafka } from './server/broker';
export type { EmbeddedKafkaOptions } from './server/broker';
export { crc32c } from './protocol/crc32c';
export { DataDirectoryInUseError } from './storage/data-directory-lock';
export type { BrokerUser } from './auth/users';
export type { AccessLevel } from './auth/access';
export { SASL_MECHANISMS } from './auth/mechanisms';
