// The broker's users: who may authenticate, with which password, and what each may do afterwards. Passwords are
// checked in constant time; SCRAM credentials (salt, stored key, server key) are derived once per user and hash.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Access, AccessLevel } from './access';

export interface BrokerUser {
  username: string;
  password: string;
  access: AccessLevel;
  /** Consumer groups this user may not touch (read-only users; see access.ts). */
  deniedGroups?: string[];
}

export type ScramHash = 'sha256' | 'sha512';

export interface ScramCredential {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** Kafka's minimum for SCRAM credentials. */
export const SCRAM_ITERATIONS = 4096;

export interface AuthenticatedUser {
  username: string;
  access: Access;
}

/** Users from JSON text (the CLI's --users-file); throws naming `source` and the problem. */
export function parseBrokerUsers(text: string, source: string): BrokerUser[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error(`${source}: expected a non-empty array of users`);
  return parsed.map((entry: unknown, index): BrokerUser => {
    const user = entry as Partial<BrokerUser> | null;
    const problem = (what: string) => new Error(`${source}: user ${index + 1}: ${what}`);
    if (typeof user?.username !== 'string' || typeof user.password !== 'string') throw problem('username and password must be strings');
    if (user.access !== 'all' && user.access !== 'read-only') throw problem('access must be "all" or "read-only"');
    if (user.deniedGroups !== undefined && !(Array.isArray(user.deniedGroups) && user.deniedGroups.every((g) => typeof g === 'string'))) {
      throw problem('deniedGroups must be an array of group ids');
    }
    return { username: user.username, password: user.password, access: user.access, ...(user.deniedGroups && { deniedGroups: user.deniedGroups }) };
  });
}

function digest(hash: ScramHash, data: Buffer | string): Buffer {
  return createHash(hash).update(data).digest();
}

export function hmac(hash: ScramHash, key: Buffer, data: Buffer | string): Buffer {
  return createHmac(hash, key).update(data).digest();
}

export class UserDirectory {
  private readonly users = new Map<string, BrokerUser>();
  private readonly scram = new Map<string, ScramCredential>();

  constructor(users: readonly BrokerUser[]) {
    if (users.length === 0) throw new Error('the broker needs at least one user to require authentication');
    for (const user of users) {
      if (!user.username || user.username.includes('\0')) throw new Error(`invalid broker user name "${user.username}"`);
      if (!user.password) throw new Error(`broker user ${user.username} has an empty password`);
      if (this.users.has(user.username)) throw new Error(`broker user ${user.username} is listed twice`);
      this.users.set(user.username, user);
    }
  }

  /** The user, if the password is theirs (PLAIN). */
  verifyPassword(username: string, password: string): AuthenticatedUser | null {
    const user = this.users.get(username);
    // Compare digests so that the time taken tells nothing about the password's length or prefix.
    const given = digest('sha256', password);
    const expected = digest('sha256', user?.password ?? randomBytes(32));
    return timingSafeEqual(given, expected) && user ? this.authenticated(user) : null;
  }

  authenticatedUser(username: string): AuthenticatedUser | null {
    const user = this.users.get(username);
    return user ? this.authenticated(user) : null;
  }

  /** RFC 5802 credentials for SCRAM-SHA-256/512, derived on first use. */
  scramCredential(username: string, hash: ScramHash): ScramCredential | null {
    const user = this.users.get(username);
    if (!user) return null;
    const key = `${hash}\0${username}`;
    let credential = this.scram.get(key);
    if (!credential) {
      const salt = randomBytes(24);
      const salted = pbkdf2Sync(user.password, salt, SCRAM_ITERATIONS, hash === 'sha256' ? 32 : 64, hash);
      credential = {
        salt,
        iterations: SCRAM_ITERATIONS,
        storedKey: digest(hash, hmac(hash, salted, 'Client Key')),
        serverKey: hmac(hash, salted, 'Server Key'),
      };
      this.scram.set(key, credential);
    }
    return credential;
  }

  private authenticated(user: BrokerUser): AuthenticatedUser {
    return { username: user.username, access: new Access(user.access, user.deniedGroups ?? []) };
  }
}
