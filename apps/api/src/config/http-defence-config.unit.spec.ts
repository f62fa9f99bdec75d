import { InvalidConfigurationError } from '@engine/config';
import { DEFAULT_HTTP_DEFENCE, parseByteSize, readHttpDefenceConfig } from './http-defence-config';

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    readHttpDefenceConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('readHttpDefenceConfig', () => {
  it('defaults to closed CORS, generous limits, 256 KiB bodies and open metrics', () => {
    expect(readHttpDefenceConfig({})).toEqual(DEFAULT_HTTP_DEFENCE);
    expect(DEFAULT_HTTP_DEFENCE).toEqual({ corsOrigins: [], rateLimits: { readsPerMinute: 1200, writesPerMinute: 600 }, bodyLimitBytes: 262_144 });
  });

  it('reads exact origins, limits, a body size and the metrics token', () => {
    const config = readHttpDefenceConfig({
      CORS_ORIGINS: 'https://backoffice.example.org, http://localhost:5173,https://backoffice.example.org',
      RATE_LIMIT_PER_MINUTE: '300',
      RATE_LIMIT_WRITES_PER_MINUTE: '60',
      BODY_LIMIT: '1mb',
      METRICS_TOKEN: 'scrape-token-0123456789',
    });
    expect(config).toEqual({
      corsOrigins: ['https://backoffice.example.org', 'http://localhost:5173'],
      rateLimits: { readsPerMinute: 300, writesPerMinute: 60 },
      bodyLimitBytes: 1_048_576,
      metricsToken: 'scrape-token-0123456789',
    });
  });

  it('switches both limits off with RATE_LIMIT_PER_MINUTE=0, and halves it for writes when only it is given', () => {
    expect(readHttpDefenceConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimits).toEqual({ readsPerMinute: 0, writesPerMinute: 0 });
    expect(readHttpDefenceConfig({ RATE_LIMIT_PER_MINUTE: '101' }).rateLimits).toEqual({ readsPerMinute: 101, writesPerMinute: 51 });
  });

  it('refuses what is not an exact origin, naming the variable and the value', () => {
    for (const bad of ['*', 'https://backoffice.example.org/', 'https://backoffice.example.org/app', 'backoffice.example.org', 'ftp://x.example']) {
      expect(problemsOf({ CORS_ORIGINS: bad })).toContain(`CORS_ORIGINS: "${bad}" is not an origin`);
    }
  });

  it('lists every bad value of one start on one line', () => {
    const message = problemsOf({ RATE_LIMIT_PER_MINUTE: 'lots', RATE_LIMIT_WRITES_PER_MINUTE: '-1', BODY_LIMIT: '10gb', METRICS_TOKEN: 'short' });
    expect(message).toContain('RATE_LIMIT_PER_MINUTE must be a whole number');
    expect(message).toContain('RATE_LIMIT_WRITES_PER_MINUTE must be 0 (off) or more');
    expect(message).toContain('BODY_LIMIT "10gb" must be a size from 1kb to 64mb');
    expect(message).toContain('METRICS_TOKEN must be at least 16 characters');
    expect(message).not.toContain('\n');
  });

  it('refuses an empty METRICS_TOKEN rather than leaving the metrics open by accident', () => {
    expect(problemsOf({ METRICS_TOKEN: '' })).toContain('METRICS_TOKEN is empty');
  });
});

describe('parseByteSize', () => {
  it('reads bytes and binary units, and nothing else', () => {
    expect(parseByteSize('2048')).toBe(2048);
    expect(parseByteSize('256kb')).toBe(262_144);
    expect(parseByteSize('256 KiB')).toBe(262_144);
    expect(parseByteSize('2MB')).toBe(2_097_152);
    expect(parseByteSize('1.5mb')).toBeUndefined();
    expect(parseByteSize('big')).toBeUndefined();
    expect(parseByteSize('10 parsecs')).toBeUndefined();
  });
});
