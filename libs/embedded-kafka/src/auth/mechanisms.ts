// The server side of the SASL mechanisms the broker offers: PLAIN (RFC 4616) and SCRAM-SHA-256/512 (RFC 5802,
// as Kafka implements it: no channel binding). Each exchange takes the client's tokens in turn and ends with the
// authenticated user, or throws AuthenticationFailure with the message Kafka sends for that mechanism.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthenticatedUser, hmac, ScramHash, UserDirectory } from './users';

export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanismName = (typeof SASL_MECHANISMS)[number];

export class AuthenticationFailure extends Error {}

export interface ExchangeStep {
  /** Bytes for the client (empty when the mechanism has nothing to say). */
  challenge: Buffer;
  /** Set when the exchange is complete. */
  user?: AuthenticatedUser;
}

export interface MechanismExchange {
  step(token: Buffer): ExchangeStep;
}

export function isSaslMechanism(name: string): name is SaslMechanismName {
  return (SASL_MECHANISMS as readonly string[]).includes(name);
}

export function startExchange(mechanism: SaslMechanismName, users: UserDirectory): MechanismExchange {
  switch (mechanism) {
    case 'PLAIN':
      return new PlainExchange(users);
    case 'SCRAM-SHA-256':
      return new ScramExchange(users, 'sha256', mechanism);
    case 'SCRAM-SHA-512':
      return new ScramExchange(users, 'sha512', mechanism);
    default: {
      const unknown: never = mechanism;
      throw new Error(`unknown mechanism ${String(unknown)}`);
    }
  }
}

/** `[authzid] NUL authcid NUL password` in one token. */
class PlainExchange implements MechanismExchange {
  constructor(private readonly users: UserDirectory) {}

  step(token: Buffer): ExchangeStep {
    const parts = token.toString('utf8').split('\0');
    if (parts.length !== 3) throw new AuthenticationFailure('Invalid SASL/PLAIN response: expected 3 tokens');
    const [authorizationId, username, password] = parts;
    if (!username) throw new AuthenticationFailure('Authentication failed: username not specified');
    if (!password) throw new AuthenticationFailure('Authentication failed: password not specified');
    if (authorizationId && authorizationId !== username) {
      throw new AuthenticationFailure('Authentication failed: Client requested an authorization id that is different from username');
    }
    const user = this.users.verifyPassword(username, password);
    if (!user) throw new AuthenticationFailure('Authentication failed: Invalid username or password');
    return { challenge: Buffer.alloc(0), user };
  }
}

/** Attributes of a SCRAM message (`k=v,k=v`); values may contain `=`. */
function attributes(message: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of message.split(',')) {
    const at = part.indexOf('=');
    if (at !== 1) throw new AuthenticationFailure(`Invalid SCRAM message: "${part}"`);
    map.set(part[0], part.slice(2));
  }
  return map;
}

/** RFC 5802 saslname: `=2C` is a comma, `=3D` an equals sign. */
function decodeSaslName(name: string): string {
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

class ScramExchange implements MechanismExchange {
  private state: { clientFirstBare: string; serverFirst: string; nonce: string; gs2Header: string; username: string } | null = null;
  private finished = false;

  constructor(
    private readonly users: UserDirectory,
    private readonly hash: ScramHash,
    private readonly mechanism: string,
  ) {}

  step(token: Buffer): ExchangeStep {
    if (this.finished) throw new AuthenticationFailure(`${this.mechanism} exchange already complete`);
    return this.state ? this.final(token.toString('utf8')) : this.first(token.toString('utf8'));
  }

  private failure(): AuthenticationFailure {
    return new AuthenticationFailure(`Authentication failed during authentication due to invalid credentials with SASL mechanism ${this.mechanism}`);
  }

  private first(message: string): ExchangeStep {
    // gs2-header: "n,," or "n,a=<authzid>," (channel binding is not supported, as in Kafka).
    const match = /^(n,(?:a=([^,]*))?,)(.*)$/.exec(message);
    if (!match) throw new AuthenticationFailure(`Invalid SCRAM client first message (channel binding is not supported)`);
    const [, gs2Header, authorizationId, clientFirstBare] = match;
    const fields = attributes(clientFirstBare);
    const username = decodeSaslName(fields.get('n') ?? '');
    const clientNonce = fields.get('r');
    if (!username || !clientNonce) throw new AuthenticationFailure('Invalid SCRAM client first message: user name and nonce are required');
    if (authorizationId && decodeSaslName(authorizationId) !== username) {
      throw new AuthenticationFailure('Authentication failed: Client requested an authorization id that is different from username');
    }
    const credential = this.users.scramCredential(username, this.hash);
    if (!credential) throw new AuthenticationFailure('Authentication failed: Invalid user credentials');
    const nonce = clientNonce + randomBytes(18).toString('base64').replace(/[+/=]/g, 'x');
    const serverFirst = `r=${nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}`;
    this.state = { clientFirstBare, serverFirst, nonce, gs2Header, username };
    return { challenge: Buffer.from(serverFirst) };
  }

  private final(message: string): ExchangeStep {
    const state = this.state as NonNullable<typeof this.state>;
    this.finished = true;
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) throw new AuthenticationFailure('Invalid SCRAM client final message: no proof');
    const withoutProof = message.slice(0, proofAt);
    const fields = attributes(withoutProof);
    if (fields.get('c') !== Buffer.from(state.gs2Header).toString('base64')) throw new AuthenticationFailure('Invalid SCRAM client final message: channel binding differs');
    // Kafka checks only that the nonce ends with the server's: librdkafka sends the client nonce before it again.
    if (!(fields.get('r') ?? '').endsWith(state.nonce)) throw new AuthenticationFailure('Invalid client nonce in the final client message.');
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    const credential = this.users.scramCredential(state.username, this.hash);
    if (!credential) throw this.failure();
    const authMessage = `${state.clientFirstBare},${state.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.hash, credential.storedKey, authMessage);
    if (proof.length !== clientSignature.length) throw this.failure();
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i] ^ clientSignature[i];
    const storedKey = createHash(this.hash).update(clientKey).digest();
    if (!timingSafeEqual(storedKey, credential.storedKey)) throw this.failure();
    const user = this.users.authenticatedUser(state.username);
    if (!user) throw this.failure();
    const serverSignature = hmac(this.hash, credential.serverKey, authMessage);
    return { challenge: Buffer.from(`v=${serverSignature.toString('base64')}`), user };
  }
}
