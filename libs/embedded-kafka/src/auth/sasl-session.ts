// One connection's SASL state on a broker that requires authentication, as Kafka's SaslServerAuthenticator runs
// it: ApiVersions and SaslHandshake first, then the mechanism's tokens, in SaslAuthenticate requests (after
// SaslHandshake v1) or as raw frames (after v0). Until it succeeds the connection may send nothing else, and
// any failure ends the connection after its answer.
import { Access } from './access';
import { AuthenticationFailure, isSaslMechanism, MechanismExchange, SASL_MECHANISMS, startExchange } from './mechanisms';
import { UserDirectory } from './users';

/** Kafka's sasl.server.max.receive.size: frames of an unauthenticated connection are at most this big. */
export const MAX_UNAUTHENTICATED_FRAME_BYTES = 512 * 1024;

export type SaslOutcome =
  | { kind: 'continue'; challenge: Buffer }
  | { kind: 'authenticated'; challenge: Buffer; username: string }
  | { kind: 'failed'; message: string };

export class SaslSession {
  private phase: 'handshake' | 'tokens' | 'authenticated' | 'failed' = 'handshake';
  /** After SaslHandshake v0 the tokens come as raw frames, without a request header. */
  private rawTokens = false;
  private exchange: MechanismExchange | null = null;
  private granted: Access | null = null;
  private principal: string | null = null;

  constructor(private readonly users: UserDirectory) {}

  get authenticated(): boolean {
    return this.phase === 'authenticated';
  }

  /** True while the next frame is a raw SASL token (after SaslHandshake v0). */
  get expectsRawToken(): boolean {
    return this.phase === 'tokens' && this.rawTokens;
  }

  /** True while SaslAuthenticate requests carry the tokens. */
  get expectsAuthenticate(): boolean {
    return this.phase === 'tokens' && !this.rawTokens;
  }

  get awaitingHandshake(): boolean {
    return this.phase === 'handshake';
  }

  get access(): Access | null {
    return this.granted;
  }

  get username(): string | null {
    return this.principal;
  }

  get mechanisms(): readonly string[] {
    return SASL_MECHANISMS;
  }

  /** SaslHandshake: true when the mechanism is enabled (the exchange starts), false otherwise. */
  handshake(mechanism: string, version: number): boolean {
    if (this.phase !== 'handshake' || !isSaslMechanism(mechanism)) {
      this.phase = 'failed';
      return false;
    }
    this.exchange = startExchange(mechanism, this.users);
    this.rawTokens = version === 0;
    this.phase = 'tokens';
    return true;
  }

  /** One token of the exchange (from SaslAuthenticate or a raw frame). */
  token(bytes: Buffer): SaslOutcome {
    if (this.phase !== 'tokens' || !this.exchange) {
      this.phase = 'failed';
      return { kind: 'failed', message: 'SASL token received outside the authentication exchange' };
    }
    try {
      const step = this.exchange.step(bytes);
      if (!step.user) return { kind: 'continue', challenge: step.challenge };
      this.phase = 'authenticated';
      this.exchange = null;
      this.granted = step.user.access;
      this.principal = step.user.username;
      return { kind: 'authenticated', challenge: step.challenge, username: step.user.username };
    } catch (error) {
      this.phase = 'failed';
      this.exchange = null;
      if (error instanceof AuthenticationFailure) return { kind: 'failed', message: error.message };
      throw error;
    }
  }
}
