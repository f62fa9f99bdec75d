// The public face of libs/config: reading settings from the environment, validated, with errors that name them.
export * from './environment';
export * from './pem-files';
export * from './package-root';
