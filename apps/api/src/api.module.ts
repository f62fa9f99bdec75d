// The API's wiring: feature modules plus the service implementations the caller provides, so that the
// production bootstrap and the specs assemble the very same app.

import { DynamicModule, InjectionToken, Module, ModuleMetadata, Provider, Type } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { CaseFilesModule } from './case-files/case-files.module';
import { MessageTemplatesModule } from './message-templates/message-templates.module';
import { ContractsModule } from './contracts/contracts.module';
import { TokenVerifier } from './auth/token-verifier';
import { HealthProbes } from './health/health-probes';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { PlatformsModule } from './platforms/platforms.module';
import { PlatformsService } from './platforms/platforms.service';
import { PoliciesModule } from './policies/policies.module';
import { PoliciesService } from './policies/policies.service';
import { ReportsModule } from './reports/reports.module';
import { ReportsService } from './reports/reports.service';
import type { WebSignIn } from './web-app/web-app-config';
import { WebAppModule } from './web-app/web-app.module';

/** How one service is provided: an instance, a class, a factory (which may inject MetricsService), or an alias. */
export type ProvidedBy<T> =
  | { useValue: T }
  | { useClass: Type<T> }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Nest's own factory signature
  | { useFactory: (...args: any[]) => T | Promise<T>; inject?: InjectionToken[] }
  | { useExisting: InjectionToken };

export interface ApiModuleOptions {
  /** Modules the implementations below need (their own providers, connections). */
  imports?: ModuleMetadata['imports'];
  reports: ProvidedBy<ReportsService>;
  policies: ProvidedBy<PoliciesService>;
  platforms: ProvidedBy<PlatformsService>;
  healthProbes: ProvidedBy<HealthProbes>;
  /** Use `tokenVerifierFromEnv()` for AUTH_TOKENS / OIDC_* configuration. */
  tokenVerifier: ProvidedBy<TokenVerifier>;
  /** How the web app signs users in (`readWebAppConfig(env).signIn`); default: with a bearer token. */
  webSignIn?: WebSignIn;
}

@Module({})
export class ApiModule {
  static forRoot(options: ApiModuleOptions): DynamicModule {
    const services: Provider[] = [
      { provide: ReportsService, ...options.reports } as Provider,
      { provide: PoliciesService, ...options.policies } as Provider,
      { provide: PlatformsService, ...options.platforms } as Provider,
      { provide: HealthProbes, ...options.healthProbes } as Provider,
      { provide: TokenVerifier, ...options.tokenVerifier } as Provider,
    ];
    return {
      module: ApiModule,
      // Global so that each feature module receives the services without importing ApiModule back.
      global: true,
      imports: [
        ...(options.imports ?? []),
        MetricsModule,
        AuthModule,
        ReportsModule,
        CaseFilesModule,
        MessageTemplatesModule,
        PoliciesModule,
        PlatformsModule,
        HealthModule,
        ContractsModule,
        WebAppModule.forRoot(options.webSignIn ?? { auth: 'token' }),
      ],
      providers: services,
      exports: [ReportsService, PoliciesService, PlatformsService, HealthProbes, TokenVerifier],
    };
  }
}
