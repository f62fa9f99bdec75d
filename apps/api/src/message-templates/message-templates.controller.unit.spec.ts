import { bearer, createTestApi, TestApi } from '../testing/api-test-app';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

describe('GET /api/message-templates', () => {
  it('shows admins the German and English templates the orders are written from, their placeholders and the StGB sections', async () => {
    const response = await api.http.get('/api/message-templates').set('Authorization', bearer('admin'));
    expect(response.status).toBe(200);
    expect(response.body.templates.de.subject['deletion-request']).toContain('Art. 9 DSA');
    expect(response.body.templates.en.body).toContain('7. Redress:');
    expect(response.body.templates.de.body).toContain('{{authority}}');
    expect(response.body.placeholders).toHaveProperty('deadline');
    expect(response.body.legalProvisions.threat).toEqual({ sections: '§ 241 StGB', de: 'Bedrohung', en: 'threat' });
  });

  it('is for admins only', async () => {
    expect((await api.http.get('/api/message-templates').set('Authorization', bearer('staff'))).status).toBe(403);
    expect((await api.http.get('/api/message-templates')).status).toBe(401);
  });
});
