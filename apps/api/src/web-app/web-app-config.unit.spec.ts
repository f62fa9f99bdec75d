import { InvalidConfigurationError } from '@engine/config';
import { readWebAppConfig, webAppConnectSources } from './web-app-config';

const oidcApi = { OIDC_ISSUER: 'https://login.example.org/realms/authority', OIDC_JWKS_URL: 'https://login.example.org/certs', OIDC_AUDIENCE: 'report-engine' };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    readWebAppConfig(env);
  } catch (error) {
    if (error instanceof InvalidConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('the web app settings', () => {
  it('sign in with a token when no web client is configured, also when the API verifies OIDC tokens', () => {
    expect(readWebAppConfig({}).signIn).toEqual({ auth: 'token' });
    expect(readWebAppConfig(oidcApi).signIn).toEqual({ auth: 'token' });
    expect(readWebAppConfig({ OIDC_WEB_CLIENT_ID: '' }).signIn).toEqual({ auth: 'token' });
  });

  it('sign in at the API’s issuer with OIDC_WEB_CLIENT_ID, with the default or the given scopes', () => {
    expect(readWebAppConfig({ ...oidcApi, OIDC_WEB_CLIENT_ID: 'report-engine-web' }).signIn).toEqual({
      auth: 'oidc',
      oidc: { issuer: oidcApi.OIDC_ISSUER, clientId: 'report-engine-web', scopes: 'openid profile email' },
    });
    const custom = readWebAppConfig({ ...oidcApi, OIDC_WEB_CLIENT_ID: 'web', OIDC_WEB_SCOPES: ' openid  roles openid ' }).signIn;
    expect(custom).toMatchObject({ oidc: { scopes: 'openid roles' } });
    expect(webAppConnectSources(custom)).toEqual(['https://login.example.org']);
    expect(webAppConnectSources({ auth: 'token' })).toEqual([]);
  });

  it('refuse a web client without the issuer, scopes without openid, and scopes without a client, naming each variable', () => {
    expect(problemsOf({ OIDC_WEB_CLIENT_ID: 'web' })).toEqual([expect.stringContaining('OIDC_WEB_CLIENT_ID needs OIDC_ISSUER')]);
    expect(problemsOf({ OIDC_WEB_CLIENT_ID: 'web', OIDC_ISSUER: 'login.example.org' })).toEqual([expect.stringContaining('OIDC_ISSUER "login.example.org" is not an http(s) URL')]);
    expect(problemsOf({ ...oidcApi, OIDC_WEB_CLIENT_ID: 'web', OIDC_WEB_SCOPES: 'profile' })).toEqual([expect.stringContaining('must include openid')]);
    expect(problemsOf({ OIDC_WEB_SCOPES: 'openid' })).toEqual([expect.stringContaining('OIDC_WEB_CLIENT_ID is not')]);
    expect(problemsOf({ OIDC_WEB_CLIENT_ID: '   ' })).toEqual(['OIDC_WEB_CLIENT_ID is blank']);
  });

  it('find the built app in WEB_APP_DIR, else in the build output of the repository', () => {
    expect(readWebAppConfig({ WEB_APP_DIR: '/srv/web' }).directory).toBe('/srv/web');
    expect(readWebAppConfig({}).directory).toMatch(/\/dist\/web$/);
  });
});
