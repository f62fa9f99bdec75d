import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError, call, configureApi } from './client';

const answer = (status: number, error?: unknown, data?: unknown) =>
  Promise.resolve({ data, error, response: new Response(null, { status, statusText: status === 401 ? 'Unauthorized' : 'Error' }) });

describe('calling the API', () => {
  it('gives the data of a 2xx answer', async () => {
    expect(await call(answer(200, undefined, { ok: 1 }))).toEqual({ ok: 1 });
  });

  it("throws the API's error body, with the domain's code and each field's problems", async () => {
    const refusal = call(answer(409, { statusCode: 409, error: 'Conflict', message: 'The case is closed; reopen it first.', details: { code: 'case-closed' } }));
    await expect(refusal).rejects.toMatchObject({ status: 409, message: 'The case is closed; reopen it first.', code: 'case-closed' });
    const invalid = await call(answer(400, { statusCode: 400, error: 'Bad Request', message: 'invalid', details: [{ field: 'text', problems: ['text must not be empty'] }] })).catch((e: unknown) => e);
    expect((invalid as ApiRequestError).fieldProblems).toEqual({ text: ['text must not be empty'] });
  });

  it('ends the session on a 401, unless the caller is checking a token itself', async () => {
    const signOut = vi.fn();
    configureApi('token', signOut);
    const unauthorized = () => answer(401, { statusCode: 401, error: 'Unauthorized', message: 'The bearer token is not known.' });
    await expect(call(unauthorized(), { signOutOn401: false })).rejects.toBeInstanceOf(ApiRequestError);
    expect(signOut).not.toHaveBeenCalled();
    await expect(call(unauthorized())).rejects.toBeInstanceOf(ApiRequestError);
    expect(signOut).toHaveBeenCalledWith('The bearer token is not known.');
  });

  it('turns a network failure or a body without a message into a sentence', async () => {
    await expect(call(Promise.reject(new TypeError('Failed to fetch')))).rejects.toMatchObject({ status: 0, message: 'The API cannot be reached: Failed to fetch' });
    await expect(call(answer(502, undefined))).rejects.toMatchObject({ status: 502, message: 'The API answered 502 Error.' });
  });
});
