/**
 * S3's on-disk store, one folder per bucket under `<dataDir>/s3/`:
 *   buckets/<bucket>/bucket.json                    name, creation date, region, policy
 *   buckets/<bucket>/objects/<sha256(key)>.json     the object's metadata — the commit point
 *   buckets/<bucket>/objects/<sha256(key)>.<r>.bin  its bytes (a new file per write)
 *   uploads/<uploadId>/upload.json, part-<n>.json, part-<n>.<r>.bin
 * Bytes are written and fsynced before the metadata that points at them is renamed into place
 * (the same directory's fsync then makes both names durable), so a crash leaves either the old
 * object or the new one. Metadata is also kept in memory so
 * listing and classification never touch the disk.
 */
import type { AclSettings } from './request-acl.ts';
import type { PublicAccessBlock } from './public-access-block.ts';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  fsyncDirectory,
  readJsonIfExists,
  writeNewFileSynced,
  writeJsonDurable,
} from '../common/durable-file.ts';
import { KeyedMutex } from '../common/keyed-mutex.ts';
import type { StoredChecksum, ChecksumAlgorithm } from './checksums.ts';

export interface BucketRecord extends AclSettings {
  readonly name: string;
  readonly creationDate: string;
  readonly region: string;
  readonly policy?: string;
  /** Block Public Access (`public-access-block.ts`): absent means all on, as for a new bucket. */
  readonly publicAccessBlock?: PublicAccessBlock | 'none';
}

/** Headers S3 stores with an object and returns on GET/HEAD. */
export const STORED_HEADERS = [
  'content-type',
  'content-encoding',
  'content-disposition',
  'content-language',
  'cache-control',
  'expires',
] as const;

export interface ObjectAttributes {
  readonly headers: Readonly<Record<string, string>>;
  /** x-amz-meta-* without the prefix, names lower-case. */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ObjectRecord extends ObjectAttributes {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: string;
  readonly checksum?: StoredChecksum;
  readonly dataFile: string;
}

export interface UploadRecord extends ObjectAttributes {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiated: string;
  readonly checksumAlgorithm?: ChecksumAlgorithm;
}

export interface PartRecord {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
  readonly lastModified: string;
  readonly checksum?: StoredChecksum;
  readonly dataFile: string;
}

const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
const unique = (): string => randomBytes(6).toString('hex');

export class S3Store {
  private readonly buckets = new Map<string, BucketRecord>();
  private readonly objects = new Map<string, Map<string, ObjectRecord>>();
  private readonly uploads = new Map<string, UploadRecord>();
  private readonly parts = new Map<string, Map<number, PartRecord>>();
  private readonly locks = new KeyedMutex();

  constructor(private readonly root: string) {}

  private bucketDir(bucket: string): string {
    return join(this.root, 'buckets', bucket);
  }
  private objectDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'objects');
  }
  private uploadDir(uploadId: string): string {
    return join(this.root, 'uploads', uploadId);
  }

  async load(): Promise<void> {
    await mkdir(join(this.root, 'buckets'), { recursive: true });
    await mkdir(join(this.root, 'uploads'), { recursive: true });
    for (const name of await readdir(join(this.root, 'buckets'))) {
      const record = (await readJsonIfExists(join(this.bucketDir(name), 'bucket.json'))) as
        BucketRecord | undefined;
      if (!record) continue;
      this.buckets.set(name, record);
      const objects = new Map<string, ObjectRecord>();
      const files = await readdir(this.objectDir(name)).catch(() => [] as string[]);
      const referenced = new Set<string>();
      for (const file of files.filter((f) => f.endsWith('.json') && !f.startsWith('.'))) {
        const object = (await readJsonIfExists(join(this.objectDir(name), file))) as ObjectRecord | undefined;
        if (!object) continue;
        objects.set(object.key, object);
        referenced.add(object.dataFile);
      }
      // Bytes whose metadata never committed (a crash mid-write) are garbage.
      for (const file of files.filter(
        (f) => (f.endsWith('.bin') || f.endsWith('.tmp')) && !referenced.has(f),
      )) {
        await rm(join(this.objectDir(name), file), { force: true });
      }
      this.objects.set(name, objects);
    }
    for (const uploadId of await readdir(join(this.root, 'uploads'))) {
      const upload = (await readJsonIfExists(join(this.uploadDir(uploadId), 'upload.json'))) as
        UploadRecord | undefined;
      if (!upload) continue;
      this.uploads.set(uploadId, upload);
      const parts = new Map<number, PartRecord>();
      for (const file of await readdir(this.uploadDir(uploadId))) {
        if (!/^part-\d+\.json$/.test(file)) continue;
        const part = (await readJsonIfExists(join(this.uploadDir(uploadId), file))) as PartRecord | undefined;
        if (part) parts.set(part.partNumber, part);
      }
      this.parts.set(uploadId, parts);
    }
  }

  // ---- buckets ----
  listBuckets(): BucketRecord[] {
    return [...this.buckets.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  getBucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name);
  }
  async putBucket(record: BucketRecord): Promise<void> {
    await writeJsonDurable(join(this.bucketDir(record.name), 'bucket.json'), record);
    this.buckets.set(record.name, record);
    if (!this.objects.has(record.name)) this.objects.set(record.name, new Map());
  }
  async deleteBucket(name: string): Promise<void> {
    this.buckets.delete(name);
    this.objects.delete(name);
    await rm(this.bucketDir(name), { recursive: true, force: true });
    await fsyncDirectory(join(this.root, 'buckets'));
  }
  objectCount(bucket: string): number {
    return this.objects.get(bucket)?.size ?? 0;
  }

  // ---- objects ----
  getObject(bucket: string, key: string): ObjectRecord | undefined {
    return this.objects.get(bucket)?.get(key);
  }
  /** Every object of the bucket, sorted by key in UTF-8 binary order as S3 lists them. */
  sortedObjects(bucket: string): ObjectRecord[] {
    const all = [...(this.objects.get(bucket)?.values() ?? [])];
    return all.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  }

  async putObject(
    bucket: string,
    key: string,
    data: Buffer,
    fields: Omit<ObjectRecord, 'key' | 'dataFile' | 'size'>,
  ): Promise<ObjectRecord> {
    const dataFile = `${hashKey(key)}.${unique()}.bin`;
    await writeNewFileSynced(join(this.objectDir(bucket), dataFile), data);
    return this.commitObject(bucket, { ...fields, key, size: data.length, dataFile });
  }

  /** Concatenates part files into a new object (multipart completion). */
  async putObjectFromFiles(
    bucket: string,
    key: string,
    sources: readonly string[],
    fields: Omit<ObjectRecord, 'key' | 'dataFile' | 'size'>,
  ): Promise<ObjectRecord> {
    const dataFile = `${hashKey(key)}.${unique()}.bin`;
    const target = join(this.objectDir(bucket), dataFile);
    await mkdir(this.objectDir(bucket), { recursive: true });
    let size = 0;
    const out = createWriteStream(target);
    for (const source of sources) {
      await pipeline(createReadStream(source), out, { end: false });
    }
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    const handle = await open(target, 'r+');
    try {
      size = (await handle.stat()).size;
      await handle.sync();
    } finally {
      await handle.close();
    }
    return this.commitObject(bucket, { ...fields, key, size, dataFile });
  }

  private async commitObject(bucket: string, record: ObjectRecord): Promise<ObjectRecord> {
    return this.locks.run(`${bucket}/${record.key}`, async () => {
      await writeJsonDurable(join(this.objectDir(bucket), `${hashKey(record.key)}.json`), record);
      const objects = this.objects.get(bucket) ?? new Map<string, ObjectRecord>();
      this.objects.set(bucket, objects);
      const previous = objects.get(record.key);
      objects.set(record.key, record);
      if (previous) await rm(join(this.objectDir(bucket), previous.dataFile), { force: true });
      return record;
    });
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.locks.run(`${bucket}/${key}`, async () => {
      const previous = this.objects.get(bucket)?.get(key);
      if (!previous) return;
      await rm(join(this.objectDir(bucket), `${hashKey(key)}.json`), { force: true });
      await fsyncDirectory(this.objectDir(bucket));
      this.objects.get(bucket)?.delete(key);
      await rm(join(this.objectDir(bucket), previous.dataFile), { force: true });
    });
  }

  /** A stream of the object's bytes from `start` to `end` inclusive. */
  async openObject(bucket: string, record: ObjectRecord, start: number, end: number): Promise<Readable> {
    const handle = await open(join(this.objectDir(bucket), record.dataFile), 'r');
    return handle.createReadStream({ start, end, autoClose: true });
  }

  async readObject(bucket: string, record: ObjectRecord): Promise<Buffer> {
    const handle = await open(join(this.objectDir(bucket), record.dataFile), 'r');
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  // ---- multipart uploads ----
  async createUpload(upload: UploadRecord): Promise<void> {
    await writeJsonDurable(join(this.uploadDir(upload.uploadId), 'upload.json'), upload);
    this.uploads.set(upload.uploadId, upload);
    this.parts.set(upload.uploadId, new Map());
  }
  getUpload(uploadId: string): UploadRecord | undefined {
    return this.uploads.get(uploadId);
  }
  listUploads(bucket: string): UploadRecord[] {
    return [...this.uploads.values()]
      .filter((u) => u.bucket === bucket)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated < b.initiated ? -1 : 1));
  }
  listParts(uploadId: string): PartRecord[] {
    return [...(this.parts.get(uploadId)?.values() ?? [])].sort((a, b) => a.partNumber - b.partNumber);
  }
  partPath(uploadId: string, part: PartRecord): string {
    return join(this.uploadDir(uploadId), part.dataFile);
  }
  async putPart(
    uploadId: string,
    partNumber: number,
    data: Buffer,
    fields: Omit<PartRecord, 'partNumber' | 'dataFile' | 'size'>,
  ): Promise<PartRecord> {
    const dataFile = `part-${partNumber}.${unique()}.bin`;
    await writeNewFileSynced(join(this.uploadDir(uploadId), dataFile), data);
    return this.locks.run(`upload/${uploadId}/${partNumber}`, async () => {
      const record: PartRecord = { ...fields, partNumber, size: data.length, dataFile };
      await writeJsonDurable(join(this.uploadDir(uploadId), `part-${partNumber}.json`), record);
      const parts = this.parts.get(uploadId) ?? new Map<number, PartRecord>();
      this.parts.set(uploadId, parts);
      const previous = parts.get(partNumber);
      parts.set(partNumber, record);
      if (previous) await rm(join(this.uploadDir(uploadId), previous.dataFile), { force: true });
      return record;
    });
  }
  async deleteUpload(uploadId: string): Promise<void> {
    this.uploads.delete(uploadId);
    this.parts.delete(uploadId);
    await rm(this.uploadDir(uploadId), { recursive: true, force: true });
    await fsyncDirectory(join(this.root, 'uploads'));
  }
}
