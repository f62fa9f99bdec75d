// Builds the API exactly as production wires it (ApiModule.forRoot + configureApiApp), with the services
// mocked, for specs that test routing, validation and authentication over HTTP.

import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { ReportState } from '@engine/domain';
import request from 'supertest';
import { ApiModule } from '../api.module';
import { StaticTokenVerifier } from '../auth/static-tokens';
import { TokenVerifier } from '../auth/token-verifier';
import { configureApiApp } from '../configure-api-app';
import type { HttpDefenceConfig } from '../config/http-defence-config';
import { HealthProbes } from '../health/health-probes';
import { PlatformsService } from '../platforms/platforms.service';
import { PoliciesService } from '../policies/policies.service';
import { ReportsService } from '../reports/reports.service';
import { serveWebApp } from '../web-app/serve-web-app';
import { WebAppConfig, webAppConnectSources } from '../web-app/web-app-config';
import { caseIn } from './report-states';

export const TOKENS = {
  viewer: 'viewer-token-0123456789',
  staff: 'staff-token-0123456789',
  admin: 'admin-token-0123456789',
} as const;

export const AUTH_TOKENS = `${TOKENS.viewer}=viewer:vera,${TOKENS.staff}=staff:sam,${TOKENS.admin}=admin:ada`;

export const bearer = (role: keyof typeof TOKENS) => `Bearer ${TOKENS[role]}`;

export interface Mocks {
  reports: jest.Mocked<ReportsService>;
  policies: jest.Mocked<PoliciesService>;
  platforms: jest.Mocked<PlatformsService>;
  probes: jest.Mocked<HealthProbes>;
}

export interface TestApi extends Mocks {
  app: INestApplication;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** A state as the service would answer it (a real one: the HTTP layer maps it to its public shape). */
export function stateOf(reportId: string, status: 'in-triage' | 'active' | 'paused' | 'closed' = 'in-triage'): ReportState {
  return caseIn(reportId, status);
}

export function createMocks(): Mocks {
  return {
    reports: {
      file: jest.fn(),
      act: jest.fn(),
      get: jest.fn(),
      stateAt: jest.fn(),
      list: jest.fn(),
      events: jest.fn(),
      timeline: jest.fn(),
      messages: jest.fn(),
    },
    policies: { current: jest.fn(), versions: jest.fn(), change: jest.fn(), rollout: jest.fn(), simulate: jest.fn() },
    platforms: {
      list: jest.fn(),
      // Every platform is known, under its name in lower case, unless a spec says otherwise.
      resolve: jest.fn(async (name: string) => name.toLowerCase()),
      get: jest.fn(),
      register: jest.fn(),
      scorecard: jest.fn(),
      cooperationReport: jest.fn(),
      dossier: jest.fn(),
      fileDossier: jest.fn(),
      changeDossierRules: jest.fn(),
    },
    probes: {
      temporal: jest.fn().mockResolvedValue({ up: true }),
      worker: jest.fn().mockResolvedValue({ up: true }),
      kafka: jest.fn().mockResolvedValue({ up: true }),
      database: jest.fn().mockResolvedValue({ up: true }),
      pipeline: jest.fn().mockResolvedValue({ up: true }),
    },
  };
}

export interface TestApiOptions {
  tokenVerifier?: TokenVerifier;
  http?: HttpDefenceConfig;
  /** How the web app signs in, and its built files (served as production serves them); default: token, none. */
  webApp?: Partial<WebAppConfig>;
}

export async function createTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const mocks = createMocks();
  const moduleRef = await Test.createTestingModule({
    imports: [
      ApiModule.forRoot({
        reports: { useValue: mocks.reports },
        policies: { useValue: mocks.policies },
        platforms: { useValue: mocks.platforms },
        healthProbes: { useValue: mocks.probes },
        tokenVerifier: { useValue: options.tokenVerifier ?? StaticTokenVerifier.fromText(AUTH_TOKENS) },
        ...(options.webApp?.signIn && { webSignIn: options.webApp.signIn }),
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  const connectSources = options.webApp?.signIn ? webAppConnectSources(options.webApp.signIn) : [];
  configureApiApp(app, { shutdownHooks: false, ...(options.http && { http: options.http }), connectSources });
  if (options.webApp?.directory) serveWebApp(app, options.webApp.directory);
  await app.init();
  return { ...mocks, app, http: request(app.getHttpServer()), close: () => app.close() };
}
