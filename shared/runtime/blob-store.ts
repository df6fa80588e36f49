/**
 * Where raw mail and attachments live: S3 in AWS (BLOB_BUCKET), a folder locally (BLOB_DIR), since
 * there is no local S3 twin. Keys are always server-generated; callers never pass user input as a key.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface BlobStore {
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** Undefined when there is no such object. */
  get(key: string): Promise<Buffer | undefined>;
}

const SAFE_KEY = /^[A-Za-z0-9!_.*'()/-]{1,1024}$/;
const checkKey = (key: string): string => {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`Refusing blob key ${JSON.stringify(key)}`);
  return key;
};

export class S3BlobStore implements BlobStore {
  constructor(
    private readonly bucket: string,
    private readonly client = new S3Client({}),
  ) {}

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: checkKey(key), Body: body, ContentType: contentType }),
    );
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const result = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }),
      );
      return result.Body ? Buffer.from(await result.Body.transformToByteArray()) : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }
}

export class FolderBlobStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    const path = resolve(join(this.root, checkKey(key)));
    if (!path.startsWith(this.root + sep)) throw new Error(`Blob key escapes the store: ${key}`);
    return path;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(`${path}.tmp`, body);
    await rename(`${path}.tmp`, path);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}

let store: BlobStore | undefined;

export const blobStore = (): BlobStore => {
  if (!store) {
    if (process.env.BLOB_DIR) store = new FolderBlobStore(process.env.BLOB_DIR);
    else if (process.env.BLOB_BUCKET) store = new S3BlobStore(process.env.BLOB_BUCKET);
    else throw new Error('Neither BLOB_DIR nor BLOB_BUCKET is set: nowhere to keep mail and attachments');
  }
  return store;
};
