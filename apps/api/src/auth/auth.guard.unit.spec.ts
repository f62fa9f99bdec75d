import { bearer, createTestApi, stateOf, TestApi } from '../testing/api-test-app';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());
beforeEach(() => jest.clearAllMocks());

describe('bearer authentication', () => {
  it('answers 401 without a token, asking for a bearer token', async () => {
    const response = await api.http.get('/api/reports/r1');
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Authentication required: send Authorization: Bearer <token>.',
    });
    expect(api.reports.get).not.toHaveBeenCalled();
  });

  it('answers 401 for an unknown token and for another scheme', async () => {
    const unknown = await api.http.get('/api/reports/r1').set('Authorization', 'Bearer not-a-token-we-issued');
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe('The bearer token is not known.');
    const basic = await api.http.get('/api/reports/r1').set('Authorization', 'Basic YWRhOnNlY3JldA==');
    expect(basic.status).toBe(401);
    expect(basic.body.message).toBe('The Authorization header must be "Bearer <token>".');
    expect(api.reports.get).not.toHaveBeenCalled();
  });

  it('lets a viewer read but not act (403)', async () => {
    api.reports.get.mockResolvedValueOnce(stateOf('r1'));
    expect((await api.http.get('/api/reports/r1').set('Authorization', bearer('viewer'))).status).toBe(200);
    const acting = await api.http.post('/api/reports/r1/notes').set('Authorization', bearer('viewer')).send({ text: 'hi' });
    expect(acting.status).toBe(403);
    expect(acting.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'This needs the role staff; vera is viewer.' });
    expect(api.reports.act).not.toHaveBeenCalled();
  });

  it('authenticates before validating, so an anonymous caller learns nothing about the body', async () => {
    const response = await api.http.post('/api/reports/r1/notes').send({ bogus: 1 });
    expect(response.status).toBe(401);
  });

  it('leaves health, metrics and the docs open', async () => {
    expect((await api.http.get('/health')).status).toBe(200);
    expect((await api.http.get('/metrics')).status).toBe(200);
    expect((await api.http.get('/api/docs-json')).status).toBe(200);
  });
});
