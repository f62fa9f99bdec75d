// The real-engine suite (`npm run test:engines`): the cross-app suites that run on both stacks, here against
// the real Temporal dev server and test server, Apache Kafka and PostgreSQL (scripts/engines/start.sh).
const base = require('./jest.config');

process.env.ENGINES = 'real';

module.exports = {
  ...base,
  roots: ['<rootDir>/tests'],
  testMatch: [
    '<rootDir>/tests/lifecycle/**/*.spec.ts',
    '<rootDir>/tests/e2e/**/*.spec.ts',
    '<rootDir>/tests/embedded-temporal/**/*.spec.ts',
    '<rootDir>/tests/embedded-kafka/**/*.spec.ts',
    // TLS, mTLS, SASL and API keys: on the real broker, and on the dev server behind a TLS proxy.
    '<rootDir>/tests/connections/**/*.spec.ts',
    // Crashes and a broker outage under load; the stand-in-only fault tests skip themselves.
    '<rootDir>/tests/fault/**/*.spec.ts',
  ],
  globalSetup: '<rootDir>/tests/support/real-engines.global-setup.ts',
  testTimeout: 60000,
};
