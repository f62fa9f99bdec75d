// The public face of libs/temporal: connections and the workflow bundle.
export * from './temporal-connection';
export * from './workflow-bundle';
export * from './provision-namespace';
