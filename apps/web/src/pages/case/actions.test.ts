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
