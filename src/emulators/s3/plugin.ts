/** The S3 emulator: our own small durable store behind S3's REST-XML wire protocol. */
import { PluginState } from '../common/plugin-state.ts';
import type {
  Caller,
  Classified,
  DenyKind,
  EmulatorPlugin,
  PluginContext,
  ServiceRequest,
  ServiceResponse,
} from '../plugin.ts';
import { ServiceError } from '../common/service-error.ts';
import { bucketAclRefusal } from './bucket-acl.ts';
import {
  createBucket,
  deleteBucket,
  deleteBucketPolicy,
  getBucketLocation,
  getBucketPolicy,
  headBucket,
  listBuckets,
  putBucketPolicy,
  putPublicAccessBlock,
  getPublicAccessBlock,
  deletePublicAccessBlock,
  validBucketName,
  refusesPublicPolicy,
  validatePolicyText,
} from './bucket-ops.ts';
import { classifyS3, routeS3 } from './classify.ts';
import { deleteObjects } from './delete-objects.ts';
import { s3Denial, s3ErrorResponse } from './errors.ts';
import { listObjectsV1, listObjectsV2 } from './list-ops.ts';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
} from './multipart-ops.ts';
import { copyObject, deleteObject, getObject, noSuchBucket, putObject } from './object-ops.ts';
import { S3Store, type BucketRecord } from './store.ts';
import { checkRequestAcl, type AclSettings } from './request-acl.ts';
import { ALL_BLOCKED, effectivePublicAccessBlock, type PublicAccessBlock } from './public-access-block.ts';
import { canonicalUserId } from './responses.ts';

export interface BucketDefinition extends AclSettings {
  readonly name: string;
  /** Block Public Access (default: all four on, as for every new bucket). */
  readonly publicAccessBlock?: PublicAccessBlock;
  /** The bucket's canned ACL at creation (CloudFormation's AccessControl, e.g. `PublicRead`). */
  readonly accessControl?: string;
}

const BUCKET_ARN_PREFIX = 'arn:aws:s3:::';
/** The operations that create an object and may carry an ACL (x-amz-acl, x-amz-grant-*). */
const WRITES_WITH_ACL = new Set(['PutObject', 'CopyObject', 'CreateMultipartUpload']);

export class S3Emulator implements EmulatorPlugin {
  readonly service = 's3';
  private readonly state = new PluginState('S3', (dataDir) => new S3Store(dataDir));

  async start(ctx: PluginContext): Promise<void> {
    await this.state.start(ctx);
  }

  async stop(): Promise<void> {
    this.state.stop();
  }

  classify(req: ServiceRequest): Classified {
    return classifyS3(req);
  }

  async handle(req: ServiceRequest, _caller: Caller): Promise<ServiceResponse> {
    try {
      return await this.dispatch(req);
    } catch (err) {
      if (err instanceof ServiceError) return errorResponse(err, req);
      throw err;
    }
  }

  private async dispatch(req: ServiceRequest): Promise<ServiceResponse> {
    const { store, ctx } = this.state.running();
    const { operation, bucket = '', key = '' } = routeS3(req);
    const record = WRITES_WITH_ACL.has(operation) ? store.getBucket(bucket) : undefined;
    if (record) {
      const { BlockPublicAcls } = effectivePublicAccessBlock(record.publicAccessBlock);
      checkRequestAcl(
        { objectOwnership: record.objectOwnership, blockPublicAcls: BlockPublicAcls },
        req.headers,
        canonicalUserId(ctx.accountId),
      );
    }
    switch (operation) {
      case 'ListBuckets':
        return listBuckets(store, ctx.accountId);
      case 'CreateBucket':
        return createBucket(store, req, bucket, ctx.region);
      case 'HeadBucket':
        return headBucket(store, bucket);
      case 'DeleteBucket':
        return deleteBucket(store, bucket);
      case 'GetBucketLocation':
        return getBucketLocation(store, bucket);
      case 'PutBucketPolicy':
        return putBucketPolicy(store, req, bucket);
      case 'GetBucketPolicy':
        return getBucketPolicy(store, bucket);
      case 'DeleteBucketPolicy':
        return deleteBucketPolicy(store, bucket);
      case 'PutPublicAccessBlock':
        return putPublicAccessBlock(store, req, bucket);
      case 'GetPublicAccessBlock':
        return getPublicAccessBlock(store, bucket);
      case 'DeletePublicAccessBlock':
        return deletePublicAccessBlock(store, bucket);
      case 'ListObjectsV2':
        return listObjectsV2(store, req, bucket);
      case 'ListObjects':
        return listObjectsV1(store, req, bucket);
      case 'ListMultipartUploads':
        return listMultipartUploads(store, bucket, ctx.accountId);
      case 'PutObject':
        return putObject(store, req, bucket, key);
      case 'CopyObject':
        return copyObject(store, req, bucket, key);
      case 'GetObject':
        return getObject(store, req, bucket, key, false);
      case 'HeadObject':
        return getObject(store, req, bucket, key, true);
      case 'DeleteObject':
        return deleteObject(store, bucket, key);
      case 'CreateMultipartUpload':
        return createMultipartUpload(store, req, bucket, key);
      case 'UploadPart':
        return uploadPart(store, req, bucket, key);
      case 'CompleteMultipartUpload':
        return completeMultipartUpload(store, req, bucket, key);
      case 'AbortMultipartUpload':
        return abortMultipartUpload(store, req, bucket, key);
      case 'ListParts':
        return listParts(store, req, bucket, key, ctx.accountId);
      case 'DeleteObjects':
        return deleteObjects(store, req, bucket);
      case 'Unknown':
        throw new ServiceError(
          'NotImplemented',
          'A header or query you provided implies functionality that is not implemented.',
          501,
        );
    }
  }

  deny(kind: DenyKind, message: string, req: ServiceRequest): ServiceResponse {
    return s3Denial(kind, message, req.method);
  }

  error(code: string, message: string, status: number, req: ServiceRequest): ServiceResponse {
    return s3ErrorResponse(code, message, status, req.method);
  }

  resourcePolicy(arn: string): string | undefined {
    return this.bucketOf(arn)?.policy;
  }

  /** The bucket an ARN names (the bucket itself or one of its objects), if it exists. */
  private bucketOf(arn: string): BucketRecord | undefined {
    if (!arn.startsWith(BUCKET_ARN_PREFIX)) return undefined;
    return this.state.store?.getBucket(arn.slice(BUCKET_ARN_PREFIX.length).split('/')[0]);
  }

  /**
   * A bucket that does not exist is 404 NoSuchBucket to every caller, anonymous or signed, before
   * S3 looks at any policy (docs/emulator-semantics.md, "S3: a missing bucket"). CreateBucket
   * names a bucket that is not there yet; ListBuckets names none.
   */
  answerBeforeAuthorization(classified: Classified, req: ServiceRequest): ServiceResponse | undefined {
    if (classified.operation === 'CreateBucket') return undefined;
    const store = this.state.store;
    if (!store) return undefined;
    for (const arn of classified.policyArns) {
      const name = arn.slice(BUCKET_ARN_PREFIX.length);
      if (!store.getBucket(name)) return errorResponse(noSuchBucket(name), req);
    }
    return undefined;
  }

  /**
   * Block Public Access's RestrictPublicBuckets for the bucket an ARN names (a bucket or one of its
   * objects): with a public policy, only the owner account's principals and AWS services get in.
   */
  restrictsPublicAccess(arn: string): boolean {
    if (!arn.startsWith(BUCKET_ARN_PREFIX)) return false;
    return effectivePublicAccessBlock(this.bucketOf(arn)?.publicAccessBlock).RestrictPublicBuckets;
  }

  /** Boot-time creation from the template: keeps an existing bucket, its objects and its policy. */
  async ensureBucket(definition: BucketDefinition): Promise<void> {
    const { store, ctx } = this.state.running();
    if (!validBucketName(definition.name)) throw new Error(`invalid bucket name '${definition.name}'`);
    const aclRefusal = bucketAclRefusal(definition.accessControl, definition.objectOwnership);
    if (aclRefusal) throw new Error(aclRefusal);
    const existing = store.getBucket(definition.name);
    await store.putBucket({
      name: definition.name,
      creationDate: existing?.creationDate ?? new Date().toISOString(),
      region: existing?.region ?? ctx.region,
      ...(existing?.policy !== undefined ? { policy: existing.policy } : {}),
      publicAccessBlock: definition.publicAccessBlock ?? ALL_BLOCKED,
      objectOwnership: definition.objectOwnership ?? 'BucketOwnerEnforced',
    });
  }

  /**
   * Boot-time AWS::S3::BucketPolicy: sets the template's policy, or fails as the deployment would
   * when Block Public Access's BlockPublicPolicy refuses it.
   */
  async ensureBucketPolicy(bucket: string, document: unknown): Promise<void> {
    const { store } = this.state.running();
    const record = store.getBucket(bucket);
    if (!record) throw new Error(`bucket '${bucket}' does not exist`);
    const policy = typeof document === 'string' ? document : JSON.stringify(document);
    validatePolicyText(policy);
    if (refusesPublicPolicy(record, policy))
      throw new Error(
        `API: s3:PutBucketPolicy Access Denied — the policy grants public access (a "*" principal not limited by aws:SourceVpce, aws:SourceVpc, aws:SourceIp, aws:SourceAccount…) and the bucket's Block Public Access setting BlockPublicPolicy (on by default) refuses it, so the deployment fails on AWS. Limit the "*" statements with one of those keys, or set the bucket's PublicAccessBlockConfiguration BlockPublicPolicy: false (its objects are then public)`,
      );
    await store.putBucket({ ...record, policy });
  }
}

/** A ServiceError in S3's wire shape. */
function errorResponse(error: ServiceError, req: ServiceRequest): ServiceResponse {
  return s3ErrorResponse(error.code, error.message, error.status, req.method, error.extra);
}
