import { InvalidConfigurationError } from '@engine/config';
import { KAFKA_SECURITY_SETTINGS } from '@engine/kafka';
import { TEMPORAL_SECURITY_SETTINGS } from '@engine/temporal';
import { EMBEDDED_KAFKA_SECURITY, EMBEDDED_TEMPORAL_SECURITY, readEmbeddedConfig } from './embedded-config';

describe('npm start configuration', () => {
  it('runs every stand-in by default', () => {
    expect(readEmbeddedConfig({})).toMatchObject({ temporalAddress: undefined, kafkaBrokers: undefined, databaseUrl: undefined, port: 3000 });
  });

  it.each([...TEMPORAL_SECURITY_SETTINGS])('refuses %s without TEMPORAL_ADDRESS: the embedded Temporal server has its own API key', (name) => {
    expect(() => readEmbeddedConfig({ [name]: 'x' })).toThrow(new InvalidConfigurationError([`${name} needs TEMPORAL_ADDRESS (${EMBEDDED_TEMPORAL_SECURITY})`]));
    expect(() => readEmbeddedConfig({ [name]: 'x', TEMPORAL_ADDRESS: 'temporal.example.org:7233' })).not.toThrow();
  });

  it.each([...KAFKA_SECURITY_SETTINGS])('refuses %s without KAFKA_BROKERS: the embedded broker has its own users', (name) => {
    expect(() => readEmbeddedConfig({ [name]: 'x' })).toThrow(new InvalidConfigurationError([`${name} needs KAFKA_BROKERS (${EMBEDDED_KAFKA_SECURITY})`]));
    expect(() => readEmbeddedConfig({ [name]: 'x', KAFKA_BROKERS: 'kafka.example.org:9093' })).not.toThrow();
  });
});
