// The public face of libs/temporal: connection settings, connections and the workflow bundle.
export * from './temporal-connection-options';
export * from './temporal-connection';
export * from './workflow-bundle';
export * from './provision-namespace';
export * from './workflow-pollers';
