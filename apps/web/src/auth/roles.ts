// The API's roles, each including the ones below it (admin ⊃ staff ⊃ viewer), as apps/api/src/auth/roles.ts.

export type Role = 'viewer' | 'staff' | 'admin';

const ORDER: readonly Role[] = ['viewer', 'staff', 'admin'];

export function hasRole(role: Role | undefined, required: Role): boolean {
  return role !== undefined && ORDER.indexOf(role) >= ORDER.indexOf(required);
}
