// Settings from the environment, validated with class-validator at start: every problem of one start is
// reported at once, each naming its variable, and the process stops before it connects anywhere.

import { readFileSync } from 'node:fs';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

export class InvalidConfigurationError extends Error {
  override readonly name = 'InvalidConfigurationError';

  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

/**
 * The environment as an instance of a class whose fields are the variables (with their defaults), and the
 * messages of its failed validations.
 */
export function readEnvironment<T extends object>(type: ClassConstructor<T>, env: NodeJS.ProcessEnv): { values: T; problems: string[] } {
  const values = plainToInstance(type, env, { exposeDefaultValues: true });
  const messages = validateSync(values, { skipMissingProperties: false, whitelist: false }).flatMap((error) => Object.values(error.constraints ?? {}));
  return { values, problems: [...new Set(messages)] };
}

/**
 * Runs a reader of settings that throws InvalidConfigurationError and adds its problems to `problems`, so that
 * one start lists the problems of every part (undefined when it had some).
 */
export function collectProblems<T>(problems: string[], read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof InvalidConfigurationError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

/**
 * A secret given either inline (`NAME`) or as a file (`NAME_FILE`, for mounted Kubernetes or Docker secrets);
 * one trailing line break of the file is dropped, as editors and `echo` add it.
 */
export function readSecret(env: NodeJS.ProcessEnv, name: string, problems: string[]): string | undefined {
  const inline = env[name];
  const file = env[`${name}_FILE`];
  if (inline !== undefined && file !== undefined) {
    problems.push(`set ${name} or ${name}_FILE, not both`);
    return undefined;
  }
  if (inline !== undefined) {
    if (inline === '') problems.push(`${name} is empty (leave it unset instead)`);
    return inline || undefined;
  }
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    problems.push(`${name}_FILE: cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return undefined;
  }
  if (text === '') problems.push(`${name}_FILE: "${file}" is empty`);
  return text || undefined;
}
