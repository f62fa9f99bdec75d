// Public face of the embedded Temporal-compatible server.
export { EmbeddedTemporalServer, type EmbeddedTemporalOptions } from './server';
export { compileVisibilityQuery } from './visibility-query';
