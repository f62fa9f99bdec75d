import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { PolicyEditor } from './PolicyEditor';
import type { PolicyVersion } from './policy-queries';
import type { PolicyRules } from './policy-table';

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
afterEach(() => vi.unstubAllGlobals());

function rules(): PolicyRules {
  const ladder = (first: string) => ({
    'standard-contact': { duration: first, basis: 'calendar' as const },
    reminder: { duration: 'PT48H', basis: 'calendar' as const },
    'high-level-contact': { duration: 'PT48H', basis: 'calendar' as const },
    'app-store-pressure': { duration: 'P7D', basis: 'calendar' as const },
  });
  return {
    critical: { deletion: ladder('PT1H'), 'subscriber-data': ladder('PT1H') },
    high: { deletion: ladder('PT24H'), 'subscriber-data': ladder('PT24H') },
    standard: { deletion: ladder('P7D'), 'subscriber-data': ladder('P7D') },
  };
}

const inForce: PolicyVersion = {
  policy: { platform: 'telegram', version: 1, rules: rules() },
  appliesTo: 'default',
  changedBy: 'system',
  changedAt: '1970-01-01T00:00:00.000Z',
  reason: 'Default policy',
};

/** fetch as the API answers a PUT of a policy, keeping what was sent. */
function stubApi() {
  const sent: Array<{ method: string; url: string; ifMatch: string | null; body: unknown }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request) => {
      const body = await input.clone().json();
      sent.push({ method: input.method, url: input.url, ifMatch: input.headers.get('If-Match'), body });
      const answer = { policy: { platform: 'telegram', version: 2, rules: body.rules }, appliesTo: body.appliesTo, changedBy: 'ada', changedAt: '2026-12-01T10:00:00.000Z', reason: body.reason, rollout: { id: 'policy-rollout-telegram-v2', status: 'running', location: '/api/policies/telegram/rollouts/2' } };
      return new Response(JSON.stringify(answer), { status: 202, headers: { 'content-type': 'application/json' } });
    }),
  );
  return sent;
}

function renderEditor(onSaved = vi.fn()) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <PolicyEditor platform="telegram" inForce={inForce} onSaved={onSaved} />
    </QueryClientProvider>,
  );
  return onSaved;
}

const reminderOfHighDeletion = () => screen.getByLabelText('Duration: High, Deletion request, Reminder');

describe('the policy editor', () => {
  it('shows each cell as people write durations, and no change yet', () => {
    stubApi();
    renderEditor();
    expect(screen.getByLabelText('Duration: High, Deletion request, Standard contact')).toHaveProperty('value', '24 h');
    expect(screen.getByLabelText('Duration: Standard, Subscriber-data request, App-store pressure')).toHaveProperty('value', '7 days');
    expect(screen.getByText('No changes yet.')).toBeTruthy();
  });

  it('lists the changes as they are typed, asks for a reason, and saves with If-Match on the version edited', async () => {
    const sent = stubApi();
    const onSaved = renderEditor();
    await userEvent.clear(reminderOfHighDeletion());
    await userEvent.type(reminderOfHighDeletion(), '3 Tage');
    await userEvent.selectOptions(screen.getByLabelText('Time basis: High, Deletion request, Reminder'), 'business');
    const changes = screen.getByRole('region', { name: 'Changes against the version in force' });
    expect(within(changes).getByRole('listitem').textContent).toBe('High, Deletion request, Reminder: 48 h (calendar time) → 3 days (business time)');

    await userEvent.click(screen.getByRole('radio', { name: /Also running cases/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Save as version 2' }));
    expect(await screen.findByText('Say why the policy changes: it is kept with the version.')).toBeTruthy();
    expect(sent).toEqual([]);

    await userEvent.type(screen.getByLabelText('Reason'), 'Reminders on working days');
    await userEvent.click(screen.getByRole('button', { name: 'Save as version 2' }));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'PUT', ifMatch: '"1"', body: { appliesTo: 'running-cases', reason: 'Reminders on working days' } });
    const body = sent[0].body as { rules: PolicyRules };
    expect(body.rules.high.deletion.reminder).toEqual({ duration: 'P3D', basis: 'business' });
    // Untouched cells go back exactly as stored.
    expect(body.rules.high.deletion['standard-contact']).toEqual({ duration: 'PT24H', basis: 'calendar' });
  });

  it('marks a cell it cannot read, with the reason, and sends nothing', async () => {
    const sent = stubApi();
    renderEditor();
    await userEvent.clear(reminderOfHighDeletion());
    await userEvent.type(reminderOfHighDeletion(), '2 months');
    expect(reminderOfHighDeletion()).toHaveProperty('ariaInvalid', 'true');
    expect(screen.getByText('Months and years vary in length: write days or weeks.')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Reason'), 'A typo');
    await userEvent.click(screen.getByRole('button', { name: 'Save as version 2' }));
    expect(await screen.findByText('One duration cannot be read: see the marked cell.')).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it('says so when nothing changed, and sends nothing', async () => {
    const sent = stubApi();
    renderEditor();
    await userEvent.type(screen.getByLabelText('Reason'), 'Just looking');
    await userEvent.click(screen.getByRole('button', { name: 'Save as version 2' }));
    expect(await screen.findByText('Nothing changed: the table is the same as the version in force.')).toBeTruthy();
    expect(sent).toEqual([]);
  });
});
