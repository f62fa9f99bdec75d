import { screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiSchemas } from '../../api/client';
import i18n from '../../i18n';
import { renderPage } from '../../testing/render-page';
import { PlatformsPage } from './PlatformsPage';

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
afterEach(() => vi.unstubAllGlobals());

const dossier = (running: boolean): ApiSchemas['PlatformDossierDto'] => ({
  platform: 'telegram',
  running,
  rules: running ? { threshold: 5, interval: 'P3D' } : null,
  rulesSource: running ? 'running' : null,
  nextFilingDueAt: null,
  members: [],
  filings: [],
});

const page = (running: boolean) =>
  renderPage({
    path: '/platforms/telegram',
    route: '/platforms/:platform?',
    element: <PlatformsPage />,
    role: 'admin',
    api: {
      'GET /api/platforms': { body: { items: [] } },
      'GET /api/platforms/telegram/dossier': { body: dossier(running) },
    },
  });

describe("the dossier's admin actions (Platforms page)", () => {
  it('are offered while a dossier runs', async () => {
    page(true);
    expect(await screen.findByRole('button', { name: 'File the dossier with the app stores now' })).toBeTruthy();
    expect(screen.getByLabelText('Threshold (reports)')).toBeTruthy();
  });

  it('are not offered while none runs (the API would refuse them): the page says when they are', async () => {
    page(false);
    expect(await screen.findByText('Filing now and changing the threshold and interval are possible while a dossier runs.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'File the dossier with the app stores now' })).toBeNull();
  });
});
