// The API's roles, each including the ones below it: admin ⊃ staff ⊃ viewer.

import type { Actor } from '../reports/reports.service';

export type Role = Actor['role'];

/** Weakest first. */
export const ROLES: readonly Role[] = ['viewer', 'staff', 'admin'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function hasRole(actor: Actor, required: Role): boolean {
  return ROLES.indexOf(actor.role) >= ROLES.indexOf(required);
}

/** The strongest of the roles named (unknown names are ignored), or undefined when none is ours. */
export function strongestRole(names: readonly unknown[]): Role | undefined {
  let strongest: Role | undefined;
  for (const name of names) {
    if (isRole(name) && (strongest === undefined || ROLES.indexOf(name) > ROLES.indexOf(strongest))) strongest = name;
  }
  return strongest;
}
