import { bearer, createTestApi, TestApi } from '../testing/api-test-app';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

describe('GET /api/me', () => {
  it('answers the username and role the token stands for, for every role', async () => {
    for (const [role, actor] of [['viewer', 'vera'], ['staff', 'sam'], ['admin', 'ada']] as const) {
      const response = await api.http.get('/api/me').set('Authorization', bearer(role));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ actor, role });
    }
  });

  it('answers 401 without a token or with an unknown one', async () => {
    expect((await api.http.get('/api/me')).status).toBe(401);
    const unknown = await api.http.get('/api/me').set('Authorization', 'Bearer not-a-token-we-issued');
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe('The bearer token is not known.');
  });
});
