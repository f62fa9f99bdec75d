import { bearer, createTestApi, TestApi } from '../testing/api-test-app';
import { IllegalStepError } from '@engine/domain';
import { DossierConflictError } from './platforms.service';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());
beforeEach(() => jest.clearAllMocks());

const scorecard = {
  platform: 'telegram',
  period: { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' },
  deletionRequests: { sent: 10, removed: 4, partiallyRemoved: 1, refused: 2, removedPercent: 40 },
  subscriberDataRequests: { sent: 2, answered: 1, supplied: 0, answeredPercent: 50, suppliedPercent: 0 },
  escalatedRequests: 5,
  medianHoursToEffect: 30.5,
  medianSecondsToEffect: 109_800,
  overdueNow: 3,
};

describe('GET /api/platforms/:platform/scorecard', () => {
  it('asks for the period given', async () => {
    api.platforms.scorecard.mockResolvedValueOnce(scorecard);
    const response = await api.http
      .get('/api/platforms/telegram/scorecard?from=2026-01-01T00:00:00Z&to=2026-02-01T01:00:00%2B01:00')
      .set('Authorization', bearer('viewer'));
    expect(response.status).toBe(200);
    expect(response.body).toEqual(scorecard);
    expect(api.platforms.scorecard).toHaveBeenCalledWith('telegram', {
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-02-01T00:00:00.000Z',
    });
  });

  it('defaults to the last 30 days', async () => {
    api.platforms.scorecard.mockResolvedValueOnce(scorecard);
    await api.http.get('/api/platforms/telegram/scorecard').set('Authorization', bearer('viewer'));
    const { from, to } = api.platforms.scorecard.mock.calls[0][1];
    expect(Date.parse(to) - Date.parse(from)).toBe(30 * 24 * 3_600_000);
    expect(Math.abs(Date.parse(to) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a bad instant and a period that ends before it starts', async () => {
    const bad = await api.http.get('/api/platforms/telegram/scorecard?from=last-week').set('Authorization', bearer('viewer'));
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('from');
    const backwards = await api.http
      .get('/api/platforms/telegram/scorecard?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')
      .set('Authorization', bearer('viewer'));
    expect(backwards.status).toBe(400);
    expect(backwards.body.details).toEqual([{ field: 'from', problems: ['from must be before to'] }]);
    expect(api.platforms.scorecard).not.toHaveBeenCalled();
  });

  it('needs a token', async () => {
    const response = await api.http.get('/api/platforms/telegram/scorecard');
    expect(response.status).toBe(401);
  });
});

describe('GET /api/platforms/:platform/dossier', () => {
  it('answers the members, the rules in force and the filings', async () => {
    const dossier = {
      platform: 'telegram',
      running: true,
      rules: { threshold: 10, interval: 'P7D' },
      rulesSource: 'running' as const,
      nextFilingDueAt: '2026-02-10T09:00:00.000Z',
      members: [{ reportId: 'r2', addedAt: '2026-02-03T09:00:00.000Z', addedBy: 'system:timer' }],
      filings: [{ dossierNumber: 1, reportIds: ['r1'], trigger: 'interval' as const, filedAt: '2026-02-02T09:00:00.000Z', filedBy: 'system:timer' }],
    };
    api.platforms.dossier.mockResolvedValueOnce(dossier);
    const response = await api.http.get('/api/platforms/telegram/dossier').set('Authorization', bearer('viewer'));
    expect(response.status).toBe(200);
    expect(response.body).toEqual(dossier);
    expect(api.platforms.dossier).toHaveBeenCalledWith('telegram');
  });

  it('refuses an invalid platform name and an unauthenticated caller', async () => {
    expect((await api.http.get('/api/platforms/no%20such/dossier').set('Authorization', bearer('viewer'))).status).toBe(400);
    expect((await api.http.get('/api/platforms/telegram/dossier')).status).toBe(401);
    expect(api.platforms.dossier).not.toHaveBeenCalled();
  });
});

describe('GET /api/platforms/:platform/dossier with none running', () => {
  it("answers the rules an admin recorded, saying so, or null with none recorded", async () => {
    const recorded = { platform: 'telegram', running: false, rules: { threshold: 3, interval: 'P2D' }, rulesSource: 'recorded' as const, nextFilingDueAt: null, members: [], filings: [] };
    api.platforms.dossier.mockResolvedValueOnce(recorded);
    expect((await api.http.get('/api/platforms/telegram/dossier').set('Authorization', bearer('viewer'))).body).toEqual(recorded);
    const none = { ...recorded, rules: null, rulesSource: null };
    api.platforms.dossier.mockResolvedValueOnce(none);
    expect((await api.http.get('/api/platforms/telegram/dossier').set('Authorization', bearer('viewer'))).body).toEqual(none);
  });
});

describe('POST /api/platforms/:platform/dossier/filing', () => {
  it('has the dossier filed now for an admin, answering which reports go', async () => {
    api.platforms.fileDossier.mockResolvedValueOnce({ platform: 'telegram', reportIds: ['r1', 'r2'], requestedBy: 'ada' });
    const response = await api.http.post('/api/platforms/telegram/dossier/filing').set('Authorization', bearer('admin'));
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ platform: 'telegram', reportIds: ['r1', 'r2'], requestedBy: 'ada' });
    expect(api.platforms.fileDossier).toHaveBeenCalledWith('telegram', 'ada');
  });

  it('is for admins only, and answers 409 with the code when nothing can be filed', async () => {
    expect((await api.http.post('/api/platforms/telegram/dossier/filing').set('Authorization', bearer('staff'))).status).toBe(403);
    expect((await api.http.post('/api/platforms/telegram/dossier/filing').set('Authorization', bearer('admin')).send({ trigger: 'threshold' })).status).toBe(400);
    expect(api.platforms.fileDossier).not.toHaveBeenCalled();
    api.platforms.fileDossier.mockRejectedValueOnce(new DossierConflictError('dossier-empty', 'No escalated report of telegram is waiting in its dossier: there is nothing to file.'));
    const response = await api.http.post('/api/platforms/telegram/dossier/filing').set('Authorization', bearer('admin'));
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ message: expect.stringMatching(/nothing to file/), details: { code: 'dossier-empty' } });
  });
});

describe('PUT /api/platforms/:platform/dossier/settings', () => {
  const dossier = { platform: 'telegram', running: true, rules: { threshold: 5, interval: 'P3D' }, rulesSource: 'running' as const, nextFilingDueAt: null, members: [], filings: [] };

  it('passes the new rules and the admin on, answering the dossier with them', async () => {
    api.platforms.changeDossierRules.mockResolvedValueOnce(dossier);
    const response = await api.http.put('/api/platforms/telegram/dossier/settings').set('Authorization', bearer('admin')).send({ threshold: 5, interval: 'P3D' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(dossier);
    expect(api.platforms.changeDossierRules).toHaveBeenCalledWith('telegram', { threshold: 5, interval: 'P3D' }, 'ada');
  });

  it('refuses bad rules naming each field, non-admins, and answers 409 when no dossier runs', async () => {
    const bad = await api.http.put('/api/platforms/telegram/dossier/settings').set('Authorization', bearer('admin')).send({ threshold: 0.5, interval: '3 days' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['interval', 'threshold']);
    const missing = await api.http.put('/api/platforms/telegram/dossier/settings').set('Authorization', bearer('admin')).send({ threshold: 5 });
    expect(missing.status).toBe(400);
    expect((await api.http.put('/api/platforms/telegram/dossier/settings').set('Authorization', bearer('staff')).send({ threshold: 5, interval: 'P3D' })).status).toBe(403);
    expect(api.platforms.changeDossierRules).not.toHaveBeenCalled();
    api.platforms.changeDossierRules.mockRejectedValueOnce(new DossierConflictError('no-dossier-running', 'No app-store dossier runs for telegram.'));
    const none = await api.http.put('/api/platforms/telegram/dossier/settings').set('Authorization', bearer('admin')).send({ threshold: 5, interval: 'P3D' });
    expect(none.status).toBe(409);
    expect(none.body.details).toEqual({ code: 'no-dossier-running' });
  });
});

describe('GET /api/platforms', () => {
  it('lists the platforms with policy version and case counts, for viewers', async () => {
    const items = [{ platform: 'telegram', displayName: 'Telegram', registeredBy: 'ada', registeredAt: '2026-03-01T09:00:00.000Z', policyVersion: 3, policyChanged: true, openCases: 4, totalCases: 9 }];
    api.platforms.list.mockResolvedValueOnce(items);
    const response = await api.http.get('/api/platforms').set('Authorization', bearer('viewer'));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items });
    expect((await api.http.get('/api/platforms')).status).toBe(401);
  });
});

const vk = { platform: 'vk', displayName: 'VKontakte', registeredBy: 'ada', registeredAt: '2026-03-01T09:00:00.000Z', policyVersion: 1, policyChanged: false, openCases: 0, totalCases: 0 };

describe('POST /api/platforms', () => {
  it('registers a platform for admins: 201, where it is, and the platform', async () => {
    api.platforms.register.mockResolvedValueOnce(vk);
    const response = await api.http.post('/api/platforms').set('Authorization', bearer('admin')).send({ name: 'VK', displayName: 'VKontakte', reason: 'New reports' });
    expect(response.status).toBe(201);
    expect(response.headers.location).toBe('/api/platforms/vk');
    expect(response.body).toEqual(vk);
    expect(api.platforms.register).toHaveBeenCalledWith({ name: 'VK', displayName: 'VKontakte', reason: 'New reports' }, 'ada');
  });

  it('answers 409 for a platform known already, in any case', async () => {
    api.platforms.register.mockRejectedValueOnce(new IllegalStepError('platform-already-registered', 'The platform Telegram (telegram) is registered already'));
    const response = await api.http.post('/api/platforms').set('Authorization', bearer('admin')).send({ name: 'TELEGRAM' });
    expect(response.status).toBe(409);
    expect(response.body.details).toEqual({ code: 'platform-already-registered' });
  });

  it('refuses a bad name, an unknown field, and anyone but an admin', async () => {
    const bad = await api.http.post('/api/platforms').set('Authorization', bearer('admin')).send({ name: 'te legram', colour: 'blue' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['colour', 'name']);
    expect((await api.http.post('/api/platforms').set('Authorization', bearer('admin')).send({ name: 'vk', displayName: ' ' })).status).toBe(400);
    expect((await api.http.post('/api/platforms').set('Authorization', bearer('staff')).send({ name: 'vk' })).status).toBe(403);
    expect(api.platforms.register).not.toHaveBeenCalled();
  });
});

describe('routes naming a platform', () => {
  it('take the name in any case and hand the stored one on', async () => {
    api.platforms.get.mockResolvedValueOnce(vk);
    const response = await api.http.get('/api/platforms/VK').set('Authorization', bearer('viewer'));
    expect(response.status).toBe(200);
    expect(api.platforms.resolve).toHaveBeenCalledWith('VK');
    expect(api.platforms.get).toHaveBeenCalledWith('vk');
  });

  it('answer 404 for an unknown platform, saying how an admin registers it, and ask nothing else', async () => {
    api.platforms.resolve.mockResolvedValue(undefined);
    try {
      for (const path of ['/api/platforms/telegarm', '/api/platforms/telegarm/dossier', '/api/platforms/telegarm/scorecard', '/api/policies/telegarm', '/api/policies/telegarm/versions']) {
        const response = await api.http.get(path).set('Authorization', bearer('viewer'));
        expect({ path, status: response.status }).toEqual({ path, status: 404 });
        expect(response.body.details).toEqual({ code: 'unknown-platform' });
        expect(response.body.message).toMatch(/"telegarm" is not known.*POST \/api\/platforms/);
      }
      const change = await api.http.post('/api/platforms/telegarm/dossier/filing').set('Authorization', bearer('admin')).send({});
      expect(change.status).toBe(404);
    } finally {
      api.platforms.resolve.mockImplementation(async (name: string) => name.toLowerCase());
    }
    expect(api.platforms.get).not.toHaveBeenCalled();
    expect(api.platforms.dossier).not.toHaveBeenCalled();
    expect(api.platforms.fileDossier).not.toHaveBeenCalled();
    expect(api.policies.current).not.toHaveBeenCalled();
  });
});
