// Unit specs sit beside the code (*.spec.ts); cross-app specs live under tests/.
// @swc/jest only transpiles; `npm run build` (pretest) does the type-checking.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/workflows', '<rootDir>/tests'],
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // jose (JWT verification in apps/api) ships ESM only; Node runs it through require(esm), jest needs it compiled.
  transform: { '^.+\\.ts$': ['@swc/jest', swc], '^.+/node_modules/jose/.+\\.js$': ['@swc/jest', swc] },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: {
    '^@engine/(.*)$': '<rootDir>/libs/$1/src',
  },
  testTimeout: 30000,
  // Two worker processes even on a 2-core machine: jest would otherwise run every file in its one process
  // (in band), where the native Temporal runtime of one file outlives the run and keeps jest from exiting.
  maxWorkers: 2,
};
