import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiSchemas } from '../../api/client';
import i18n from '../../i18n';
import { renderPage } from '../../testing/render-page';
import { FileReportPage } from '../file-report/FileReportPage';
import { PlatformsPage } from './PlatformsPage';
import { registrationBody, validateRegistration } from './platform-registration';

type Overview = ApiSchemas['PlatformOverviewDto'];

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await i18n.changeLanguage('en');
});

const overview = (platform: string, displayName: string): Overview => ({
  platform,
  displayName,
  registeredBy: 'ada',
  registeredAt: '2026-11-01T08:00:00.000Z',
  policyVersion: 1,
  policyChanged: false,
  openCases: 0,
  totalCases: 0,
});

describe('validateRegistration (as POST /api/platforms checks)', () => {
  it('needs a name of letters, digits, ".", "_" or "-" starting with a letter or digit, at most 64', () => {
    expect(validateRegistration({ name: '', displayName: '', reason: '' })).toEqual({ name: 'required' });
    expect(validateRegistration({ name: '-vk', displayName: '', reason: '' })).toEqual({ name: 'name' });
    expect(validateRegistration({ name: 'vk com', displayName: '', reason: '' })).toEqual({ name: 'name' });
    expect(validateRegistration({ name: 'a'.repeat(65), displayName: '', reason: '' })).toEqual({ name: 'name' });
    expect(validateRegistration({ name: 'a'.repeat(64), displayName: '', reason: '' })).toEqual({});
  });

  it('takes optional texts not blank and bounded (display name 100, reason 2000)', () => {
    expect(validateRegistration({ name: 'vk', displayName: '  ', reason: ' ' })).toEqual({ displayName: 'blank', reason: 'blank' });
    expect(validateRegistration({ name: 'vk', displayName: 'x'.repeat(101), reason: 'y'.repeat(2001) })).toEqual({ displayName: { tooLong: 100 }, reason: { tooLong: 2000 } });
  });

  it('sends only the texts given, trimmed', () => {
    expect(registrationBody({ name: 'VK', displayName: '', reason: '' })).toEqual({ name: 'VK' });
    expect(registrationBody({ name: 'VK', displayName: ' VKontakte ', reason: 'threats ' })).toEqual({ name: 'VK', displayName: 'VKontakte', reason: 'threats' });
  });
});

describe('Register a platform (Platforms page)', () => {
  const ROUTE = '/platforms/:platform?';

  it('registers a platform and shows it in the list afterwards', async () => {
    const user = userEvent.setup();
    const items = [overview('telegram', 'Telegram')];
    const { requests } = renderPage({
      path: '/platforms',
      route: ROUTE,
      element: <PlatformsPage />,
      role: 'admin',
      api: {
        'GET /api/platforms': () => ({ body: { items: [...items] } }),
        'POST /api/platforms': () => {
          items.push(overview('mastodon', 'Mastodon'));
          return { status: 201, body: overview('mastodon', 'Mastodon') };
        },
      },
    });
    expect(await screen.findByRole('link', { name: 'Telegram' })).toBeTruthy();
    const form = screen.getByRole('form', { name: 'Register a platform' });
    await user.type(within(form).getByLabelText('Name'), 'Mastodon');
    await user.type(within(form).getByLabelText('Reason (optional)'), 'Threats arrive from Mastodon instances');
    await user.click(within(form).getByRole('button', { name: 'Register' }));

    expect((await within(form).findByRole('status')).textContent).toContain('Mastodon is registered');
    expect(await screen.findByRole('link', { name: 'Mastodon' })).toBeTruthy();
    const post = requests.find((request) => request.method === 'POST');
    expect(await post?.json()).toEqual({ name: 'Mastodon', reason: 'Threats arrive from Mastodon instances' });
    expect(requests.filter((request) => request.method === 'GET' && new URL(request.url).pathname === '/api/platforms').length).toBeGreaterThanOrEqual(2);
    expect((within(form).getByLabelText('Name') as HTMLInputElement).value).toBe('');
  });

  it('checks the name before sending, and shows "registered already" (409) at the name', async () => {
    const user = userEvent.setup();
    const { requests } = renderPage({
      path: '/platforms',
      route: ROUTE,
      element: <PlatformsPage />,
      role: 'admin',
      api: {
        'GET /api/platforms': { body: { items: [overview('telegram', 'Telegram')] } },
        'POST /api/platforms': {
          status: 409,
          body: { statusCode: 409, error: 'Conflict', message: 'The platform Telegram (telegram) is registered already: names are compared regardless of case.', details: { code: 'platform-already-registered' } },
        },
      },
    });
    const form = await screen.findByRole('form', { name: 'Register a platform' });
    const name = within(form).getByLabelText('Name');
    await user.type(name, 'tele gram');
    await user.click(within(form).getByRole('button', { name: 'Register' }));
    expect(await within(form).findByText('Up to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.')).toBeTruthy();
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(requests.some((request) => request.method === 'POST')).toBe(false);

    await user.clear(name);
    await user.type(name, 'TELEGRAM');
    await user.click(within(form).getByRole('button', { name: 'Register' }));
    const problem = await within(form).findByText(/^Registered already\./);
    expect(problem.textContent).toContain('is registered already');
    expect(name.getAttribute('aria-describedby')).toContain(problem.id);
    expect(within(form).queryByRole('alert')).toBeNull();
  });

  it('is not offered to staff', async () => {
    renderPage({ path: '/platforms', route: ROUTE, element: <PlatformsPage />, role: 'staff', api: { 'GET /api/platforms': { body: { items: [overview('telegram', 'Telegram')] } } } });
    expect(await screen.findByRole('link', { name: 'Telegram' })).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Register a platform' })).toBeNull();
  });
});

describe('File a report on an unknown platform', () => {
  const refusal = {
    status: 422,
    body: { statusCode: 422, error: 'Unprocessable Entity', message: 'The platform mastodon is not registered.', details: { code: 'unknown-platform' } },
  };

  async function fileOnUnknownPlatform() {
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Platform'), 'mastodon');
    await user.selectOptions(screen.getByLabelText('Reported via'), 'citizen-portal');
    fireEvent.change(screen.getByLabelText('Seen at'), { target: { value: '2026-11-30T10:00' } });
    await user.type(screen.getByLabelText('Reporter reference'), 'AZ-1');
    await user.type(screen.getByLabelText('URL'), 'https://mastodon.social/@x/1');
    await user.type(screen.getByLabelText('Excerpt'), 'A threat');
    await user.type(screen.getByLabelText('Evidence hash'), 'sha256:9f86d081884c7d65');
    await user.click(screen.getByRole('button', { name: 'File the report' }));
    return screen.findByText(/can only be filed on a registered platform/);
  }

  it('tells an admin to register it, with a link to the Platforms page', async () => {
    renderPage({ path: '/reports/new', route: '/reports/new', element: <FileReportPage />, role: 'admin', api: { 'GET /api/platforms': { body: { items: [] } }, 'POST /api/reports': refusal } });
    const hint = await fileOnUnknownPlatform();
    expect(within(hint).getByRole('link', { name: 'Platforms page' }).getAttribute('href')).toBe('/platforms');
  });

  it('tells staff to ask an admin', async () => {
    renderPage({ path: '/reports/new', route: '/reports/new', element: <FileReportPage />, role: 'staff', api: { 'GET /api/platforms': { body: { items: [] } }, 'POST /api/reports': refusal } });
    const hint = await fileOnUnknownPlatform();
    expect(hint.textContent).toContain('ask an admin');
    expect(within(hint).queryByRole('link')).toBeNull();
  });
});
