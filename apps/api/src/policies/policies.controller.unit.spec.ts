import { defaultEscalationPolicy } from '@engine/domain';
import { bearer, createTestApi, TestApi } from '../testing/api-test-app';
import { StaleVersionError } from '../reports/reports.service';
import { InvalidPolicyError, PolicyChangedConcurrentlyError, PolicyRolloutNotFoundError, PolicyVersion } from './policies.service';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());
beforeEach(() => jest.clearAllMocks());

const version1: PolicyVersion = {
  policy: defaultEscalationPolicy('telegram'),
  appliesTo: 'default',
  changedBy: 'system',
  changedAt: '2026-01-01T00:00:00.000Z',
  reason: 'defaults',
};

function fastRules() {
  const rules: ReturnType<typeof defaultEscalationPolicy>['rules'] = JSON.parse(JSON.stringify(defaultEscalationPolicy('telegram').rules));
  rules.critical.deletion['standard-contact'] = { duration: 'PT5S', basis: 'calendar' };
  return rules;
}

describe('policies', () => {
  it('reads the current policy and its versions as a viewer', async () => {
    api.policies.current.mockResolvedValueOnce(version1);
    api.policies.versions.mockResolvedValueOnce([version1]);
    const current = await api.http.get('/api/policies/telegram').set('Authorization', bearer('viewer'));
    const versions = await api.http.get('/api/policies/telegram/versions').set('Authorization', bearer('viewer'));
    expect(current.status).toBe(200);
    expect(current.body).toEqual(version1);
    expect(versions.body).toEqual([version1]);
    expect(api.policies.current).toHaveBeenCalledWith('telegram');
    expect(api.policies.versions).toHaveBeenCalledWith('telegram');
  });

  it('lets an admin store a new version for new cases, with the actor from the token: 200, no rollout', async () => {
    const change = { rules: fastRules(), appliesTo: 'new-cases', reason: 'end-to-end test timings', holidayState: 'NW' };
    api.policies.change.mockResolvedValueOnce({ ...version1, appliesTo: 'new-cases' });
    const response = await api.http.put('/api/policies/telegram').set('Authorization', bearer('admin')).send(change);
    expect(response.status).toBe(200);
    expect(response.body.rollout).toBeUndefined();
    expect(response.headers.location).toBeUndefined();
    expect(api.policies.change).toHaveBeenCalledWith('telegram', change, { username: 'ada', role: 'admin' }, { basedOnVersion: undefined });
  });

  it('answers a change for running cases with 202 and the rollout to follow (Location)', async () => {
    const change = { rules: fastRules(), appliesTo: 'running-cases', reason: 'faster' };
    const rollout = { id: 'policy-rollout-telegram-v2', status: 'running' as const, location: '/api/policies/telegram/rollouts/2' };
    api.policies.change.mockResolvedValueOnce({ ...version1, appliesTo: 'running-cases', rollout });
    const response = await api.http.put('/api/policies/telegram').set('Authorization', bearer('admin')).send(change);
    expect(response.status).toBe(202);
    expect(response.headers.location).toBe('/api/policies/telegram/rollouts/2');
    expect(response.body.rollout).toEqual(rollout);
  });

  it('refuses a change while another was stored meanwhile with 409 and the code', async () => {
    api.policies.change.mockRejectedValueOnce(new PolicyChangedConcurrentlyError('Another change was stored first.'));
    const response = await api.http.put('/api/policies/telegram').set('Authorization', bearer('admin')).send({ rules: fastRules(), appliesTo: 'new-cases', reason: 'r' });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ statusCode: 409, details: { code: 'policy-changed-concurrently' } });
  });

  it("reads a rollout's progress as a viewer; an unknown one is 404, a version that is no number 400", async () => {
    const progress = { platform: 'telegram', version: 2, status: 'running' as const, casesFound: 4, notified: 1, skippedClosed: 0, skippedNotFiled: 0, failed: 0, failures: [], startedAt: '2026-02-01T09:00:00.000Z' };
    api.policies.rollout.mockResolvedValueOnce(progress);
    const ok = await api.http.get('/api/policies/telegram/rollouts/2').set('Authorization', bearer('viewer'));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual(progress);
    expect(api.policies.rollout).toHaveBeenCalledWith('telegram', 2);
    api.policies.rollout.mockRejectedValueOnce(new PolicyRolloutNotFoundError('no such version'));
    expect((await api.http.get('/api/policies/telegram/rollouts/9').set('Authorization', bearer('viewer'))).status).toBe(404);
    expect((await api.http.get('/api/policies/telegram/rollouts/two').set('Authorization', bearer('viewer'))).status).toBe(400);
    expect((await api.http.get('/api/policies/telegram/rollouts/1').set('Authorization', bearer('viewer'))).status).toBe(400);
  });

  it('refuses staff changing a policy (403)', async () => {
    const response = await api.http
      .put('/api/policies/telegram')
      .set('Authorization', bearer('staff'))
      .send({ rules: fastRules(), appliesTo: 'new-cases', reason: 'faster' });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'This needs the role admin; sam is staff.',
    });
    expect(api.policies.change).not.toHaveBeenCalled();
  });

  it("lists every problem of a rules table as the domain sees it, and unknown keys the domain would ignore", async () => {
    const rules = fastRules() as unknown as Record<string, Record<string, Record<string, unknown>>>;
    rules.high.deletion.reminder = { duration: 'P1M', basis: 'calendar' };
    delete rules.standard['subscriber-data']['app-store-pressure'];
    rules.critical.deletion['standard-contact'] = { duration: 'PT1H', basis: 'weekdays' };
    rules.standard.deletion['high-level-contact'] = { duration: 'P100000000D', basis: 'calendar' };
    rules.critcal = {};
    const response = await api.http
      .put('/api/policies/telegram')
      .set('Authorization', bearer('admin'))
      .send({ rules, appliesTo: 'everything', reason: '' });
    expect(response.status).toBe(400);
    const byField = Object.fromEntries(response.body.details.map((d: { field: string; problems: string[] }) => [d.field, d.problems]));
    expect(byField.rules).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rules\.high\.deletion\.reminder\.duration: .*months and years are not allowed/),
        'rules.standard.subscriber-data.app-store-pressure is missing',
        'rules.standard.deletion.high-level-contact.duration: "P100000000D": a deadline may be at most 366 days (P366D)',
        'rules.critical.deletion.standard-contact.basis must be "calendar" or "business"',
        expect.stringContaining('rules.critcal is not known'),
      ]),
    );
    expect(byField.appliesTo).toEqual(['appliesTo must be one of: new-cases, running-cases']);
    expect(byField.reason).toEqual(['reason must not be empty']);
    expect(api.policies.change).not.toHaveBeenCalled();
  });

  it('maps InvalidPolicyError from the service to 400 with the problems', async () => {
    api.policies.change.mockRejectedValueOnce(new InvalidPolicyError(['a deadline under one second cannot be met']));
    const response = await api.http
      .put('/api/policies/telegram')
      .set('Authorization', bearer('admin'))
      .send({ rules: fastRules(), appliesTo: 'new-cases', reason: 'faster' });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'rules', problems: ['a deadline under one second cannot be met'] }]);
  });

  it('refuses a malformed platform name', async () => {
    const response = await api.http.get('/api/policies/te%20legram').set('Authorization', bearer('viewer'));
    expect(response.status).toBe(400);
    expect(response.body.details[0].field).toBe('platform');
  });
});

describe('changing a few cells (PATCH) and If-Match', () => {
  const cells = { critical: { deletion: { 'standard-contact': { duration: 'PT30M', basis: 'calendar' } } } };
  const version2 = { ...version1, policy: { ...version1.policy, version: 2 }, appliesTo: 'new-cases' as const };

  it('passes only the cells on, with reason, scope, the actor and the version read; answers 200 with the ETag', async () => {
    api.policies.change.mockResolvedValueOnce(version2);
    const response = await api.http
      .patch('/api/policies/Telegram')
      .set('Authorization', bearer('admin'))
      .set('If-Match', '"1"')
      .send({ rules: cells, appliesTo: 'new-cases', reason: 'faster' });
    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(api.policies.change).toHaveBeenCalledWith('telegram', { cells, appliesTo: 'new-cases', reason: 'faster' }, { username: 'ada', role: 'admin' }, { basedOnVersion: 1 });
  });

  it('answers a merge for running cases with 202 and the rollout, as PUT does', async () => {
    const rollout = { id: 'policy-rollout-telegram-v2', status: 'running' as const, location: '/api/policies/telegram/rollouts/2' };
    api.policies.change.mockResolvedValueOnce({ ...version2, appliesTo: 'running-cases', rollout });
    const response = await api.http.patch('/api/policies/telegram').set('Authorization', bearer('admin')).send({ rules: cells, appliesTo: 'running-cases', reason: 'faster' });
    expect(response.status).toBe(202);
    expect(response.headers.location).toBe(rollout.location);
  });

  it('refuses cells outside the table, bad cells and no cell at all, naming each, and changes nothing', async () => {
    const outside = await api.http
      .patch('/api/policies/telegram')
      .set('Authorization', bearer('admin'))
      .send({ rules: { critcal: { deletion: {} }, high: { deletion: { reminder: { duration: 'P1M', basis: 'weekdays' } } } }, appliesTo: 'new-cases', reason: 'r' });
    expect(outside.status).toBe(400);
    expect(outside.body.details).toEqual([{ field: 'rules', problems: [expect.stringMatching(/^rules\.critcal is not known/)] }]);
    const bad = await api.http
      .patch('/api/policies/telegram')
      .set('Authorization', bearer('admin'))
      .send({ rules: { high: { deletion: { reminder: { duration: 'P1M', basis: 'weekdays', extra: 1 } } } }, appliesTo: 'new-cases', reason: 'r' });
    expect(bad.body.details[0].problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rules\.high\.deletion\.reminder\.duration: .*months and years are not allowed/),
        'rules.high.deletion.reminder.basis must be "calendar" or "business"',
        expect.stringContaining('rules.high.deletion.reminder.extra is not known'),
      ]),
    );
    const none = await api.http.patch('/api/policies/telegram').set('Authorization', bearer('admin')).send({ rules: { high: {} }, appliesTo: 'new-cases', reason: 'r' });
    expect(none.body.details).toEqual([{ field: 'rules', problems: ['rules must name at least one cell to change'] }]);
    expect((await api.http.patch('/api/policies/telegram').set('Authorization', bearer('staff')).send({ rules: cells, appliesTo: 'new-cases', reason: 'r' })).status).toBe(403);
    expect(api.policies.change).not.toHaveBeenCalled();
  });

  it('answers 412 with the version in force when If-Match names an older one, on PUT and PATCH', async () => {
    for (const [method, body] of [['put', { rules: fastRules(), appliesTo: 'new-cases', reason: 'r' }], ['patch', { rules: cells, appliesTo: 'new-cases', reason: 'r' }]] as const) {
      api.policies.change.mockRejectedValueOnce(new StaleVersionError(3, 'The policy is at version 3 now, not 2.'));
      const response = await api.http[method]('/api/policies/telegram').set('Authorization', bearer('admin')).set('If-Match', '"2"').send(body);
      expect(response.status).toBe(412);
      expect(response.headers.etag).toBe('"3"');
      expect(response.body.details).toEqual({ code: 'version-mismatch', currentVersion: 3 });
    }
    const malformed = await api.http.put('/api/policies/telegram').set('Authorization', bearer('admin')).set('If-Match', 'v2').send({ rules: fastRules(), appliesTo: 'new-cases', reason: 'r' });
    expect(malformed.status).toBe(400);
  });

  it('gives the version in force as the ETag of GET', async () => {
    api.policies.current.mockResolvedValueOnce(version2);
    const response = await api.http.get('/api/policies/telegram').set('Authorization', bearer('viewer'));
    expect(response.headers.etag).toBe('"2"');
  });
});
