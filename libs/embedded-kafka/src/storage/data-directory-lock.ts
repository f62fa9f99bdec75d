// Keeps two brokers from writing into the same data directory (that would interleave their segment writes).
import * as fs from 'node:fs';
import * as path from 'node:path';

export class DataDirectoryInUseError extends Error {}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Directories locked by brokers in this process (the pid in the lock file cannot tell them apart). */
const lockedInThisProcess = new Set<string>();

/** Takes the lock (a file holding our pid); a lock left by a dead process (SIGKILL) is taken over. */
export function lockDataDirectory(directory: string): () => void {
  const file = path.join(path.resolve(directory), 'broker.lock');
  if (lockedInThisProcess.has(file)) {
    throw new DataDirectoryInUseError(`data directory ${directory} is in use by another broker in this process`);
  }
  const release = () => {
    lockedInThisProcess.delete(file);
    fs.rmSync(file, { force: true });
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      lockedInThisProcess.add(file);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw new DataDirectoryInUseError(`data directory ${directory} is in use by the broker with pid ${holder}`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new DataDirectoryInUseError(`could not lock data directory ${directory}`);
}
