// Small helpers for crash-safe file writes.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes a file so that after a crash either the old or the new content is there, never a mix. */
export function writeFileDurably(file: string, content: string): void {
  const temporary = `${file}.tmp`;
  const fd = fs.openSync(temporary, 'w');
  try {
    fs.writeFileSync(fd, content); // unlike writeSync, writes it all even when the disk takes it in parts
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
  syncDirectory(path.dirname(file));
}

export function syncDirectory(directory: string): void {
  const fd = fs.openSync(directory, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
