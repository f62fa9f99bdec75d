// The public face of libs/telemetry: the engine's logs and traces, set up in one place for every process.
export * from './logging';
export * from './nest-logging';
export * from './temporal-logging';
export * from './tracing';
export * from './trace-context';
export * from './temporal-tracing';
export * from './request-context';
