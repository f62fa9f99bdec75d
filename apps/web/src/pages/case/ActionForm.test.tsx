import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../../api/client';
import i18n from '../../i18n';
import { ActionForm } from './ActionForm';
import { clockOf, detailOf } from './case-fixtures';

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

describe('an action form', () => {
  it('names the missing fields and sends nothing', async () => {
    const onSubmit = vi.fn();
    render(<ActionForm action="triage" detail={detailOf('in-triage')} onSubmit={onSubmit} />);
    await userEvent.click(screen.getByRole('button', { name: 'Triage' }));
    expect(screen.getByLabelText('Category')).toHaveProperty('ariaInvalid', 'true');
    expect(screen.getAllByText('Required.')).toHaveLength(2);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends the body the route takes, by keyboard alone', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<ActionForm action="notes" detail={detailOf('active')} onSubmit={onSubmit} />);
    await userEvent.tab();
    await userEvent.keyboard('Called the platform{Enter}');
    // Enter in a textarea is a new line: the button sends.
    await userEvent.tab();
    await userEvent.keyboard('{Enter}');
    expect(onSubmit).toHaveBeenCalledWith({ text: 'Called the platform' });
  });

  it("shows the API's refusal where the user acted", async () => {
    const refusal = new ApiRequestError(409, {
      statusCode: 409,
      error: 'Conflict',
      message: 'A case closes as removed only after the platform removed the content and the removal was verified.',
      details: { code: 'outcome-not-allowed' },
    });
    render(<ActionForm action="closure" detail={detailOf('active')} onSubmit={() => Promise.reject(refusal)} />);
    await userEvent.selectOptions(screen.getByLabelText('Outcome'), 'removed');
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', refusal.message);
  });

  it("puts a 400's field problems at their fields", async () => {
    const invalid = new ApiRequestError(400, {
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request is invalid.',
      details: [{ field: 'assignee', problems: ['assignee must be shorter than or equal to 200 characters'] }],
    });
    render(<ActionForm action="assignment" detail={detailOf('active')} onSubmit={() => Promise.reject(invalid)} />);
    await userEvent.type(screen.getByLabelText('Username'), 'someone');
    await userEvent.click(screen.getByRole('button', { name: 'Assign' }));
    expect(await screen.findByText('assignee must be shorter than or equal to 200 characters')).toBeTruthy();
  });

  it('offers only the answers that fit the chosen request', async () => {
    const detail = detailOf('active', { clocks: { deletion: clockOf('deletion'), 'subscriber-data': clockOf('subscriber-data') } });
    render(<ActionForm action="platform-response" detail={detail} onSubmit={vi.fn()} />);
    const answers = () => [...(screen.getByLabelText('Answer') as HTMLSelectElement).options].map((option) => option.value);
    expect(answers()).toEqual(['', 'removed', 'partially-removed', 'refused']);
    await userEvent.selectOptions(screen.getByLabelText('Request'), 'subscriber-data');
    expect(answers()).toEqual(['', 'data-supplied', 'data-refused']);
  });
  it("takes when the platform's answer arrived and when it gave effect, checked as the API checks them", async () => {
    // The request went out 2026-02-01 10:00 in Berlin (09:00Z).
    const detail = detailOf('active', { clocks: { deletion: clockOf('deletion') } });
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<ActionForm action="platform-response" detail={detail} onSubmit={onSubmit} />);
    const arrived = screen.getByLabelText('Answer arrived at (optional)');
    const effect = screen.getByLabelText('Effect given at (optional)');
    await userEvent.selectOptions(screen.getByLabelText('Answer'), 'refused');
    await userEvent.type(screen.getByLabelText('Reason'), 'not illegal here');
    fireEvent.change(arrived, { target: { value: '2026-02-01T09:59' } });
    fireEvent.change(effect, { target: { value: '2026-02-01T11:00' } });
    await userEvent.click(screen.getByRole('button', { name: 'Record platform answer' }));
    expect(await screen.findByText('Not before the request was sent.')).toBeTruthy();
    expect(screen.getByText('A refusal gives no effect: leave this empty.')).toBeTruthy();
    expect(effect).toHaveProperty('ariaInvalid', 'true');
    expect(onSubmit).not.toHaveBeenCalled();

    await userEvent.selectOptions(screen.getByLabelText('Answer'), 'removed');
    fireEvent.change(arrived, { target: { value: '2026-02-01T12:00' } });
    fireEvent.change(effect, { target: { value: '2026-02-01T12:01' } });
    await userEvent.click(screen.getByRole('button', { name: 'Record platform answer' }));
    expect(await screen.findByText('Not after the answer arrived.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();

    fireEvent.change(effect, { target: { value: '2026-02-01T11:30' } });
    await userEvent.click(screen.getByRole('button', { name: 'Record platform answer' }));
    expect(onSubmit).toHaveBeenCalledWith({
      clock: 'deletion',
      response: 'removed',
      reason: 'not illegal here',
      receivedAt: '2026-02-01T11:00:00.000Z',
      effectGivenAt: '2026-02-01T10:30:00.000Z',
    });
  });
});
