// The API's HTTP defence settings (CORS, rate limits, body size, the metrics token), read from the environment
// and validated at start like every other setting: a wrong value stops the start with a message naming it.

import 'reflect-metadata'; // the decorators below read it when the module loads, whoever imports it first
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { InvalidConfigurationError, readEnvironment, readSecret } from '@engine/config';

export interface RateLimits {
  /** Requests per minute for one client on reads (GET, HEAD); 0: no limit. */
  readsPerMinute: number;
  /** Requests per minute for one client on writes (every other method); 0: no limit. */
  writesPerMinute: number;
}

export interface HttpDefenceConfig {
  /** Exact origins (`https://backoffice.example.org`) allowed to call the API from a browser; empty: none. */
  corsOrigins: string[];
  rateLimits: RateLimits;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
  /** When set, GET /metrics needs `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
}

// Generous: a person in the back office does a few requests a second at most, a bulk action is one request, and
// the suites (e2e, fault, fuzz, bench) stay far below. The limit is there against a runaway script or a leaked
// token hammering the engine, not to shape normal use.
export const DEFAULT_RATE_LIMITS: RateLimits = { readsPerMinute: 1200, writesPerMinute: 600 };
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;
const MAX_BODY_LIMIT_BYTES = 64 * 1024 * 1024;

/** The settings when the environment says nothing: closed CORS, default limits, /metrics open. */
export const DEFAULT_HTTP_DEFENCE: HttpDefenceConfig = {
  corsOrigins: [],
  rateLimits: DEFAULT_RATE_LIMITS,
  bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
};

class HttpDefenceEnvironment {
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_PER_MINUTE must be a whole number (0 switches rate limiting off)' })
  @Min(0, { message: 'RATE_LIMIT_PER_MINUTE must be 0 (off) or more' })
  RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_WRITES_PER_MINUTE must be a whole number (0: no limit on writes)' })
  @Min(0, { message: 'RATE_LIMIT_WRITES_PER_MINUTE must be 0 (off) or more' })
  RATE_LIMIT_WRITES_PER_MINUTE?: number;

  @IsOptional()
  @IsString()
  BODY_LIMIT?: string;
}

/** `https://a.example, http://localhost:5173` → exact origins; each must be scheme://host[:port], nothing more. */
export function parseCorsOrigins(text: string, problems: string[]): string[] {
  const origins: string[] = [];
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    // An origin is exactly what URL.origin gives back: no path, no trailing slash, no wildcard.
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== entry) {
      problems.push(`CORS_ORIGINS: "${entry}" is not an origin such as https://backoffice.example.org (scheme, host and port only; no path, no "*")`);
      continue;
    }
    origins.push(url.origin);
  }
  return [...new Set(origins)];
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, kib: 1024, mb: 1024 * 1024, mib: 1024 * 1024 };

/** `262144`, `256kb`, `256KiB`, `1mb` → bytes (a kilobyte is 1024 bytes, as in Express's body parser). */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? SIZE_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) return undefined;
  return Number(match[1]) * unit;
}

/**
 * CORS_ORIGINS (comma-separated exact origins; unset: no cross-origin access), RATE_LIMIT_PER_MINUTE (per client,
 * reads; 0: off), RATE_LIMIT_WRITES_PER_MINUTE (writes; defaults to half the reads' limit when only that is set),
 * BODY_LIMIT (`256kb`), METRICS_TOKEN or METRICS_TOKEN_FILE.
 */
export function readHttpDefenceConfig(env: NodeJS.ProcessEnv): HttpDefenceConfig {
  const { values, problems } = readEnvironment(HttpDefenceEnvironment, env);
  const corsOrigins = values.CORS_ORIGINS === undefined ? [] : parseCorsOrigins(values.CORS_ORIGINS, problems);

  const reads = values.RATE_LIMIT_PER_MINUTE ?? DEFAULT_RATE_LIMITS.readsPerMinute;
  const writes =
    values.RATE_LIMIT_WRITES_PER_MINUTE ??
    (values.RATE_LIMIT_PER_MINUTE === undefined ? DEFAULT_RATE_LIMITS.writesPerMinute : Math.ceil(values.RATE_LIMIT_PER_MINUTE / 2));

  let bodyLimitBytes = DEFAULT_BODY_LIMIT_BYTES;
  if (values.BODY_LIMIT !== undefined) {
    const parsed = parseByteSize(values.BODY_LIMIT);
    if (parsed === undefined || parsed < 1024 || parsed > MAX_BODY_LIMIT_BYTES) {
      problems.push(`BODY_LIMIT "${values.BODY_LIMIT}" must be a size from 1kb to 64mb, such as 256kb`);
    } else {
      bodyLimitBytes = parsed;
    }
  }

  const metricsToken = readSecret(env, 'METRICS_TOKEN', problems);
  if (metricsToken !== undefined && metricsToken.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters');

  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return {
    corsOrigins,
    rateLimits: { readsPerMinute: reads, writesPerMinute: writes },
    bodyLimitBytes,
    ...(metricsToken !== undefined && { metricsToken }),
  };
}
