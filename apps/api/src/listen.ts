// Starting to listen, with the one failure an operator meets often explained in one line.

import type { INestApplication } from '@nestjs/common';

export class AddressInUseError extends Error {
  override readonly name = 'AddressInUseError';

  /** `setting`: what the operator changes to choose another port. */
  static of(host: string, port: number | undefined, setting: string): AddressInUseError {
    return new AddressInUseError(`${host}:${port} is already in use by another program: stop it, or choose another ${setting}`);
  }
}

/** Listens on host:port; a taken port fails with an AddressInUseError naming it and the settings to change. */
export async function listenOrExplain(app: INestApplication, port: number, host: string): Promise<void> {
  // Node also emits the failure as an 'error' event, which would crash the process with a stack trace before
  // the rejected promise below could be reported.
  (app.getHttpServer() as { on(event: 'error', listener: () => void): void }).on('error', () => undefined);
  try {
    await app.listen(port, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw AddressInUseError.of(host, port, 'PORT (or HOST)');
    }
    throw error;
  }
}
