/**
 * Every queue of the twin, under `<dataDir>/sqs/queues/<name>/` (queue.json: the configuration;
 * messages.log: the messages). Loaded at start; template queues are (re)created at boot.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonIfExists } from '../common/durable-file.ts';
import { Queue, type QueueMeta } from './queue.ts';

export class QueueStore {
  readonly byName = new Map<string, Queue>();

  constructor(private readonly root: string) {}

  dirOf(name: string): string {
    return join(this.root, 'queues', name);
  }

  async load(): Promise<void> {
    const names = await readdir(join(this.root, 'queues')).catch(() => [] as string[]);
    for (const name of names) {
      const meta = (await readJsonIfExists(Queue.metaFile(this.dirOf(name)))) as QueueMeta | undefined;
      if (meta) this.byName.set(meta.name, await Queue.open(this.dirOf(name), meta));
    }
  }

  byArn(arn: string): Queue | undefined {
    const name = arn.split(':')[5];
    const queue = name === undefined ? undefined : this.byName.get(name);
    return queue?.meta.arn === arn ? queue : undefined;
  }

  async add(meta: QueueMeta): Promise<Queue> {
    const queue = await Queue.open(this.dirOf(meta.name), meta);
    await queue.saveMeta();
    this.byName.set(meta.name, queue);
    return queue;
  }

  async close(): Promise<void> {
    for (const queue of this.byName.values()) await queue.close();
  }
}
