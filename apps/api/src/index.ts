// The public face of apps/api: the module, its configuration, the ports the wiring implements.
export * from './api.module';
export * from './configure-api-app';
export * from './auth/auth-config';
export * from './auth/oidc-tokens';
export * from './auth/roles';
export * from './auth/static-tokens';
export * from './auth/token-verifier';
export * from './common/api-error';
export * from './health/health-probes';
export * from './metrics/metrics.service';
export * from './platforms/platforms.service';
export * from './policies/policies.service';
export * from './reports/reports.service';
