// Hands out producer ids for InitProducerId; the next id is persisted so a restarted broker never reuses one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileDurably } from '../storage/files';

export class ProducerIdAllocator {
  private nextId: number;

  constructor(private readonly dataDirectory: string | null) {
    this.nextId = 1000;
    const file = this.file();
    if (file && fs.existsSync(file)) {
      const stored = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isSafeInteger(stored)) this.nextId = stored;
    }
  }

  private file(): string | null {
    return this.dataDirectory ? path.join(this.dataDirectory, 'next-producer-id') : null;
  }

  allocate(): number {
    const id = this.nextId++;
    const file = this.file();
    if (file) {
      writeFileDurably(file, String(this.nextId));
    }
    return id;
  }
}
