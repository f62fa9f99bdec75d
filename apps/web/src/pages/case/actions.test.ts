import { describe, expect, it } from 'vitest';
import { actionBody, availableActions, initialValues, validateAction, type ActionValues } from './actions';
import { clockOf, detailOf } from './case-fixtures';

const values = (change: Partial<ActionValues> = {}): ActionValues => ({ ...initialValues(), ...change });

describe('the actions a case allows now', () => {
  it('in triage: triage, and what any open case takes', () => {
    expect(availableActions(detailOf('in-triage'))).toEqual(['triage', 'assignment', 'notes', 'duplicate', 'closure']);
  });

  it('active without a request: the requests chosen at triage, pause, re-triage', () => {
    expect(availableActions(detailOf('active'))).toEqual(['deletion-request', 'pause', 'assignment', 'notes', 'retriage', 'duplicate', 'closure']);
  });

  it('a request not chosen at triage gets no button (the API would ask for a re-triage)', () => {
    expect(availableActions(detailOf('active'))).not.toContain('data-request');
  });

  it('with a request waiting: its answer and escalation, not the same request again', () => {
    const actions = availableActions(detailOf('active', { clocks: { deletion: clockOf('deletion') } }));
    expect(actions).toEqual(expect.arrayContaining(['platform-response', 'escalation']));
    expect(actions).not.toContain('deletion-request');
  });

  it('no escalation past the last step, but the answer can still be recorded after the ladder ran out', () => {
    const exhausted = detailOf('active', { clocks: { deletion: clockOf('deletion', { status: 'exhausted', step: 'app-store-pressure' }) } });
    expect(availableActions(exhausted)).not.toContain('escalation');
    expect(availableActions(exhausted)).toContain('platform-response');
  });

  it('a claimed removal to verify; a removed request is not sent again', () => {
    const removed = detailOf('active', {
      clocks: { deletion: clockOf('deletion', { status: 'answered', response: { kind: 'removed', at: '2026-02-01T09:30:00Z' }, removal: 'unverified' }) },
    });
    expect(availableActions(removed)).toContain('removal-verification');
    expect(availableActions(removed)).not.toContain('deletion-request');
    expect(availableActions(removed)).not.toContain('platform-response');
  });

  it('paused: resume, no request, pause or escalation', () => {
    const actions = availableActions(detailOf('paused', { clocks: { deletion: clockOf('deletion', { paused: true }) } }));
    expect(actions).toContain('resume');
    expect(actions).toContain('platform-response');
    expect(actions).not.toEqual(expect.arrayContaining(['pause']));
    expect(actions).not.toContain('escalation');
    expect(actions).not.toContain('deletion-request');
  });

  it('closed: reopen, and still notes and assignment', () => {
    expect(availableActions(detailOf('closed'))).toEqual(['assignment', 'notes', 'reopening']);
  });
});

describe('checking an action form as the API does', () => {
  it('triage as actionable needs category and severity; dismissing needs a reason', () => {
    expect(validateAction('triage', values())).toEqual({ category: 'required', severity: 'required' });
    expect(validateAction('triage', values({ category: 'threat', severity: 'high' }))).toEqual({});
    expect(validateAction('triage', values({ decision: 'dismiss', reason: '   ' }))).toEqual({ reason: 'blank' });
  });

  it('a refusal needs the platform reason; an answer must fit the request', () => {
    expect(validateAction('platform-response', values({ clock: 'deletion', response: 'refused' }))).toEqual({ reason: 'required' });
    expect(validateAction('platform-response', values({ clock: 'deletion', response: 'removed' }))).toEqual({});
    expect(validateAction('platform-response', values({ clock: 'deletion', response: 'data-supplied' }))).toEqual({ response: 'does-not-fit' });
  });

  it('text fields are bounded and not blank; optional notes may stay empty', () => {
    expect(validateAction('notes', values({ text: 'x'.repeat(2001) }))).toEqual({ text: 'too-long' });
    expect(validateAction('pause', values({ pauseReason: 'other' }))).toEqual({});
    expect(validateAction('pause', values({ pauseReason: 'other', note: ' ' }))).toEqual({ note: 'blank' });
    expect(validateAction('resume', values())).toEqual({});
  });
});

describe("the platform's answer with its times", () => {
  // Berlin (the tests' zone) is UTC+1 in winter: 13:00 local is 12:00Z.
  const detail = detailOf('active', { clocks: { deletion: clockOf('deletion', { requestedAt: '2026-12-01T09:00:00.000Z' }) } });
  const context = { now: Date.parse('2026-12-01T12:00:00.000Z'), detail };
  const answer = (change: Partial<ActionValues>) => values({ clock: 'deletion', response: 'removed', ...change });

  it('takes an arrival and an effect between the request and now, the effect not after the arrival', () => {
    expect(validateAction('platform-response', answer({ receivedAt: '2026-12-01T12:30', effectGivenAt: '2026-12-01T11:00' }), context)).toEqual({});
    expect(validateAction('platform-response', answer({ receivedAt: '2026-12-01T13:00', effectGivenAt: '2026-12-01T13:00' }), context)).toEqual({});
    expect(validateAction('platform-response', answer({}), context)).toEqual({});
  });

  it('refuses an arrival later than now or before the request was sent, and one that is no time', () => {
    expect(validateAction('platform-response', answer({ receivedAt: '2026-12-01T13:01' }), context)).toEqual({ receivedAt: 'in-future' });
    expect(validateAction('platform-response', answer({ receivedAt: '2026-12-01T09:59' }), context)).toEqual({ receivedAt: 'before-request' });
    expect(validateAction('platform-response', answer({ receivedAt: '1.12.2026' }), context)).toEqual({ receivedAt: 'not-a-time' });
    // A bulk action knows no case: the API checks the request's time.
    expect(validateAction('platform-response', answer({ receivedAt: '2026-12-01T09:59' }), { now: context.now })).toEqual({});
  });

  it('refuses an effect with a refusal, after the arrival, or later than now', () => {
    expect(validateAction('platform-response', answer({ response: 'refused', reason: 'not illegal', effectGivenAt: '2026-12-01T11:00' }), context)).toEqual({
      effectGivenAt: 'not-with-refusal',
    });
    expect(validateAction('platform-response', answer({ receivedAt: '2026-12-01T11:00', effectGivenAt: '2026-12-01T11:01' }), context)).toEqual({ effectGivenAt: 'after-answer' });
    expect(validateAction('platform-response', answer({ effectGivenAt: '2026-12-01T13:01' }), context)).toEqual({ effectGivenAt: 'in-future' });
  });

  it('sends the times as instants, and leaves out what is not stated', () => {
    expect(actionBody('platform-response', answer({ receivedAt: '2026-12-01T12:30', effectGivenAt: '2026-12-01T11:00' }))).toEqual({
      clock: 'deletion',
      response: 'removed',
      reason: undefined,
      receivedAt: '2026-12-01T11:30:00.000Z',
      effectGivenAt: '2026-12-01T10:00:00.000Z',
    });
    expect(actionBody('platform-response', answer({}))).toEqual({ clock: 'deletion', response: 'removed', reason: undefined, receivedAt: undefined, effectGivenAt: undefined });
  });
});

describe('the body each route takes', () => {
  it('triage: the assessment with the chosen actions, or the reason to dismiss', () => {
    expect(actionBody('triage', values({ category: 'threat', severity: 'high', subscriberDataRequest: true }))).toEqual({
      decision: 'actionable',
      category: 'threat',
      severity: 'high',
      actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: false },
    });
    expect(actionBody('triage', values({ decision: 'dismiss', reason: ' not illegal ' }))).toEqual({ decision: 'dismiss', reason: 'not illegal' });
  });

  it('leaves an empty optional note out and trims text', () => {
    expect(actionBody('closure', values({ outcome: 'withdrawn' }))).toEqual({ outcome: 'withdrawn', note: undefined });
    expect(actionBody('assignment', values({ assignee: ' sam ' }))).toEqual({ assignee: 'sam' });
    expect(actionBody('pause', values({ pauseReason: 'awaiting-court-order', note: 'until Monday' }))).toEqual({ reason: 'awaiting-court-order', note: 'until Monday' });
  });

  it('starts a form from the case: its assessment and the request waiting', () => {
    const detail = detailOf('active', { assignee: 'sam', clocks: { deletion: clockOf('deletion') } });
    expect(initialValues(detail)).toMatchObject({ category: 'threat', severity: 'critical', clock: 'deletion', assignee: 'sam', deletionRequest: true });
  });
});
