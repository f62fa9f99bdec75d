import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../api/client';
import { describeError } from './ErrorMessage';

const refusal = new ApiRequestError(409, {
  statusCode: 409,
  error: 'Conflict',
  message: 'The case is closed; reopen it first.',
  details: { code: 'case-closed' },
});

describe('an error in words', () => {
  it("is the API's message in English", () => {
    expect(describeError(refusal, 'en')).toBe('The case is closed; reopen it first.');
  });

  it("gives the German gist by the domain's code, then the API's words", () => {
    expect(describeError(refusal, 'de')).toBe('Der Fall ist abgeschlossen: zuerst wieder öffnen. (The case is closed; reopen it first.)');
  });

  it('falls back to the status, and leaves anything else as it is', () => {
    const forbidden = new ApiRequestError(403, { statusCode: 403, error: 'Forbidden', message: 'This needs the role staff; vera is viewer.' });
    expect(describeError(forbidden, 'de')).toBe('Ihre Rolle erlaubt das nicht. (This needs the role staff; vera is viewer.)');
    expect(describeError(new Error('boom'), 'de')).toBe('boom');
  });
});
