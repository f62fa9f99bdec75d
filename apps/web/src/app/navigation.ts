// The header's navigation: each entry shown to its role and the stronger ones.

import type { Role } from '../auth/roles';

export interface NavigationItem {
  to: string;
  /** An i18n key. */
  label: string;
  /** The weakest role that sees the entry. */
  role: Role;
}

export const NAVIGATION: NavigationItem[] = [
  { to: '/inbox', label: 'app.nav.inbox', role: 'viewer' },
  { to: '/file', label: 'app.nav.fileReport', role: 'staff' },
  { to: '/policies', label: 'app.nav.policies', role: 'admin' },
  { to: '/platforms', label: 'app.nav.platforms', role: 'viewer' },
];
