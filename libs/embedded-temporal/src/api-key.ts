// API-key authentication for the embedded frontend: when the server is started with a key, every call must
// carry metadata `authorization: Bearer <key>`, which the Temporal SDKs send for their `apiKey` connection
// option (clients and workers alike). A call without it, or with another key, is answered UNAUTHENTICATED
// before anything is read or changed, as Temporal Cloud answers it.
import { createHash, timingSafeEqual } from 'node:crypto';
import { status, type Metadata } from '@grpc/grpc-js';
import { ServiceError } from './errors';

export class ApiKeyCheck {
  private readonly expected: Buffer;

  constructor(apiKey: string) {
    if (apiKey.trim() === '' || /\s/.test(apiKey)) throw new Error('the API key must be non-empty and contain no whitespace');
    this.expected = ApiKeyCheck.digest(apiKey);
  }

  /** Digests are compared, so the time taken tells nothing about the key's length or prefix. */
  private static digest(key: string): Buffer {
    return createHash('sha256').update(key).digest();
  }

  /** The refusal for this call's metadata, or null when it carries the key. */
  refusal(metadata: Metadata): ServiceError | null {
    const values = metadata.get('authorization');
    if (values.length === 0) return new ServiceError(status.UNAUTHENTICATED, 'Request unauthorized: no API key (metadata "authorization: Bearer <key>")');
    const match = /^Bearer (\S+)$/i.exec(String(values[0]));
    if (!match || values.length > 1) return new ServiceError(status.UNAUTHENTICATED, 'Request unauthorized: the authorization metadata must be "Bearer <key>"');
    if (!timingSafeEqual(ApiKeyCheck.digest(match[1]), this.expected)) return new ServiceError(status.UNAUTHENTICATED, 'Request unauthorized: invalid API key');
    return null;
  }
}
