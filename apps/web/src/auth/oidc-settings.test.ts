import { describe, expect, it } from 'vitest';
import { oidcSettings, renewalDelayMs, returnPath } from './oidc-settings';

describe('OIDC sign-in settings', () => {
  const config = { issuer: 'https://login.example.org/realms/authority', clientId: 'report-engine-web', scopes: 'openid profile email' };

  it('use the authorization code flow at the API’s issuer with the web client, and come back to the callback page', () => {
    expect(oidcSettings(config, 'https://backoffice.example.org')).toMatchObject({
      authority: 'https://login.example.org/realms/authority',
      client_id: 'report-engine-web',
      response_type: 'code',
      scope: 'openid profile email',
      redirect_uri: 'https://backoffice.example.org/sign-in/callback',
      post_logout_redirect_uri: 'https://backoffice.example.org/sign-in',
      automaticSilentRenew: false,
    });
    // PKCE is on: oidc-client-ts turns it off only when asked to.
    expect(oidcSettings(config, 'https://backoffice.example.org')).not.toHaveProperty('disablePKCE');
  });

  it('return to the page the user asked for, never to another origin', () => {
    expect(returnPath({ from: '/cases/R-1?tab=timeline' })).toBe('/cases/R-1?tab=timeline');
    expect(returnPath({ from: '//evil.example.org/' })).toBe('/inbox');
    expect(returnPath({ from: 'https://evil.example.org/' })).toBe('/inbox');
    expect(returnPath(undefined)).toBe('/inbox');
  });

  it('renew an access token half a minute before it runs out, at once when that is past', () => {
    expect(renewalDelayMs(300)).toBe(270_000);
    expect(renewalDelayMs(20)).toBe(0);
    expect(renewalDelayMs(-5)).toBe(0);
  });
});
