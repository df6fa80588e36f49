/**
 * Stateful resources: the tables, the event bus, the mail bucket (raw mail, attachments) and the key
 * that signs our Message-IDs. They live apart from the functions, API and rules so that redeploying,
 * renaming or deleting stateless stacks can never touch data.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type TableName, tables as tableDefinitions, tableNames } from '../../shared/store/tables.ts';
import { constructId } from '../constructs/construct-id.ts';
import { DataTable } from '../constructs/data-table.ts';
import { INBOUND_MAIL_PREFIX } from '../constructs/mail-receiving.ts';

/**
 * Raw inbound mail backs the "original email" link on comments and suspended-mail recovery; after a
 * year nobody recovers a suspended mail, and the parsed comment and its attachments stay for good.
 */
export const RAW_MAIL_RETENTION_DAYS = 365;

export class DataStack extends Stack {
  readonly tables: Readonly<Record<TableName, Table>>;
  /** Carries domain events from the outbox publisher to the consumers' rules. */
  readonly bus: EventBus;
  /** Raw inbound mail under `inbound/` (written by SES) and attachments (written by the functions). */
  readonly mailBucket: Bucket;
  /** Signs our Message-IDs; replacing it would unthread every conversation, so it is retained. */
  readonly mailSecret: Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.tables = Object.fromEntries(
      tableNames.map((name) => [name, new DataTable(this, constructId(name), tableDefinitions[name]).table]),
    ) as Record<TableName, Table>;
    this.bus = new EventBus(this, 'EventBus', { description: 'Relaydesk domain events' });
    this.mailBucket = new Bucket(this, 'MailBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // An overwritten or deleted attachment can be restored for a month.
      versioned: true,
      lifecycleRules: [
        {
          id: 'ExpireRawInboundMail',
          prefix: INBOUND_MAIL_PREFIX,
          expiration: Duration.days(RAW_MAIL_RETENTION_DAYS),
        },
        {
          id: 'DropOldVersions',
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.mailSecret = new Secret(this, 'MailSecret', {
      description: 'Relaydesk: HMAC key for the Message-IDs of outbound mail (threading)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnOutput(this, 'MailBucketName', {
      value: this.mailBucket.bucketName,
      description: 'Raw inbound mail (inbound/) and attachments',
    });
    // The seed command (infra/seed.ts) and operators' scripts find the tables by these outputs.
    for (const name of tableNames) {
      new CfnOutput(this, `${constructId(name)}TableName`, {
        value: this.tables[name].tableName,
        description: `Set ${tableDefinitions[name].envVar} to this to run scripts against the ${name} table`,
      });
    }
  }
}
