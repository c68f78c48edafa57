/**
 * Worker-thread entry: runs one Shard and answers the coordinator's messages
 * (`advance` a chunk, `finish`). Errors are sent back with their message and stack.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Shard } from './shard.js';
import type { ShardOptions } from './shard.js';

export type WorkerRequest = { kind: 'advance'; until: number } | { kind: 'finish' };

if (!parentPort) throw new Error('generator/pipeline/worker.js must run in a worker thread');
const port = parentPort;

try {
  const shard = new Shard(workerData as ShardOptions);
  port.postMessage({ kind: 'ready' });
  port.on('message', (msg: WorkerRequest) => {
    try {
      if (msg.kind === 'advance') {
        const chunk = shard.advance(msg.until);
        port.postMessage({ kind: 'chunk', chunk }, [
          chunk.emails.buffer as ArrayBuffer,
          chunk.labels.buffer as ArrayBuffer,
          chunk.emailEnds.buffer as ArrayBuffer,
          chunk.labelEnds.buffer as ArrayBuffer,
        ]);
      } else port.postMessage({ kind: 'done', incidents: shard.finish() });
    } catch (e) {
      port.postMessage({ kind: 'error', message: (e as Error).message, stack: (e as Error).stack });
    }
  });
} catch (e) {
  port.postMessage({ kind: 'error', message: (e as Error).message, stack: (e as Error).stack });
}
