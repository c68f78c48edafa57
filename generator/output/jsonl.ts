/** emails.jsonl: what detectors read, one record per line in global arrival order. */
import { join } from 'node:path';
import { FILES } from '../../datasets/format.js';
import { HashedFile } from './files.js';
import type { OutputFormat } from './format-types.js';

export const JSONL: OutputFormat = {
  id: 'jsonl',
  description: 'emails.jsonl, one decoded record per line in arrival order (always written: every reader relies on it)',
  always: true,
  stream(dir) {
    const emails = new HashedFile(join(dir, FILES.emails));
    return {
      write: (chunk) => emails.write(chunk.emails),
      close: () => ({ [FILES.emails]: emails.close() }),
    };
  },
};
