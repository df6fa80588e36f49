/**
 * The team's Lambda defaults in one place, so no function can drift from them: Node 22 on arm64, an
 * ESM bundle built by the local esbuild (no Docker) with the options of lambda-bundling.ts (AWS SDK
 * inside, source maps for readable stack traces), and an explicit log group whose retention we choose
 * instead of "never expire".
 */
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type TableName, tables as tableDefinitions } from '../../shared/store/tables.ts';
import type { FunctionSpec, TableAccess } from '../topology.ts';
import { lambdaBundleOptions } from './lambda-bundling.ts';

/** The repository root: entries, package.json and the lock file are resolved from here, not from the cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every physical table, by logical name; functions pick theirs through their FunctionSpec. */
export type TableRegistry = Readonly<Record<TableName, ITable>>;

/** Where outbound mail leaves from: the SES identity of the support domain and its configuration set. */
export interface MailSendingResources {
  identityArn: string;
  configurationSetName: string;
  configurationSetArn: string;
}

/** One-time timers: the schedule group, the queues fired timers go to, and the role Scheduler uses. */
export interface TimerResources {
  scheduleGroupName: string;
  /** Each timer queue's ARN by the environment variable that names it (`TIMER_TARGET_ARN`, ...). */
  targetQueueArns: Readonly<Record<string, string>>;
  schedulerRole: IRole;
}

/**
 * Everything a function may be given. Each function receives only what its FunctionSpec declares
 * (tables, `blobs`, `mailSecret`, `sendsMail`), always as an environment variable paired with its grant.
 */
export interface FunctionResources {
  tables: TableRegistry;
  /** Raw inbound mail and attachments. */
  mailBucket: IBucket;
  /** The key that signs our Message-IDs. */
  mailSecret: ISecret;
  /** Absent in stacks built before the sending identity exists; a `sendsMail` function there fails synth. */
  mailSending?: MailSendingResources | undefined;
  /** The support address every function knows (own-address checks, reply addresses). */
  supportAddress: string;
  /** Set only when the deployment pins a public URL; otherwise handlers derive it from the request. */
  publicUrl?: string | undefined;
  /** Absent in stacks built before the timer group exists; a `timers` function there fails synth. */
  timers?: TimerResources | undefined;
}

export interface RelaydeskFunctionProps {
  /** Where the function comes from in the wiring table (infra/topology.ts). */
  spec: FunctionSpec & { name: string };
  resources: FunctionResources;
  /** Used when the spec declares no timeout. */
  defaultTimeout?: Duration;
}

/**
 * lambda-bundling.ts's esbuild options as NodejsFunction props (it runs esbuild in PROJECT_ROOT, where
 * the aliases resolve). The enum lookup makes a changed format a type error here.
 */
const NODEJS_BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  format: { esm: OutputFormat.ESM }[lambdaBundleOptions.format],
  target: lambdaBundleOptions.target,
  mainFields: [...lambdaBundleOptions.mainFields],
  minify: lambdaBundleOptions.minify,
  sourceMap: lambdaBundleOptions.sourcemap,
  sourcesContent: lambdaBundleOptions.sourcesContent,
  externalModules: [...lambdaBundleOptions.external],
  banner: lambdaBundleOptions.banner.js,
  esbuildArgs: {
    // Not the `charset` prop: this CDK version accepts it but never passes it to esbuild.
    '--charset': lambdaBundleOptions.charset,
    '--alias': Object.entries(lambdaBundleOptions.alias).map(([name, path]) => `${name}=${path}`),
  },
};

export class RelaydeskFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: RelaydeskFunctionProps) {
    const { spec, resources } = props;
    // The log group must exist before the function (it is a constructor prop), so it is a sibling.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      description: `Relaydesk ${spec.name} (${spec.entry})`,
      entry: `${PROJECT_ROOT}${spec.entry}`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 512,
      timeout: spec.timeoutSeconds
        ? Duration.seconds(spec.timeoutSeconds)
        : (props.defaultTimeout ?? Duration.seconds(10)),
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'relaydesk',
        POWERTOOLS_METRICS_NAMESPACE: 'Relaydesk',
        SUPPORT_ADDRESS: resources.supportAddress,
        ...(resources.publicUrl ? { PUBLIC_URL: resources.publicUrl } : {}),
      },
      bundling: NODEJS_BUNDLING,
    });
    this.useTables(spec.tables, resources.tables);
    if (spec.blobs) this.useBlobs(spec.blobs, resources.mailBucket);
    if (spec.mailSecret) this.useMailSecret(resources.mailSecret);
    if (spec.sendsMail) {
      if (!resources.mailSending) {
        throw new Error(`${spec.name} sends mail, but its stack was given no SES identity to send from`);
      }
      this.sendMailFrom(resources.mailSending);
    }
    if (spec.timers) {
      if (!resources.timers) {
        throw new Error(`${spec.name} keeps one-time timers, but its stack was given no timer group`);
      }
      this.manageTimers(resources.timers);
    }
  }

  /**
   * Gives the function each table it declares, pairing the environment variable the store reads
   * (shared/store/tables.ts) with the narrowest grant that mode needs, so the two cannot disagree.
   */
  useTables(accesses: readonly TableAccess[], registry: TableRegistry): void {
    for (const { table: name, mode } of accesses) {
      const table = registry[name];
      this.addEnvironment(tableDefinitions[name].envVar, table.tableName);
      if (mode === 'read') table.grantReadData(this);
      else table.grantReadWriteData(this);
    }
  }

  /** Raw mail and attachments: the bucket's name and a read or read-write grant on it. */
  useBlobs(mode: 'read' | 'readWrite', bucket: IBucket): void {
    this.addEnvironment('BLOB_BUCKET', bucket.bucketName);
    if (mode === 'read') bucket.grantRead(this);
    else bucket.grantReadWrite(this);
  }

  /** The Message-ID signing key, read once per cold start (shared/mail/mail-secret.ts). */
  useMailSecret(secret: ISecret): void {
    this.addEnvironment('MAIL_SECRET_ARN', secret.secretArn);
    secret.grantRead(this);
  }

  /**
   * SendRawEmail from the support identity through the configuration set, and nothing else: no
   * other identity, no templated or bulk sending, no `*` resource. SES authorizes a send against both.
   */
  sendMailFrom(sending: MailSendingResources): void {
    this.addEnvironment('SES_CONFIGURATION_SET', sending.configurationSetName);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendRawEmail'],
        resources: [sending.identityArn, sending.configurationSetArn],
      }),
    );
  }

  /**
   * Create, move, read and delete schedules in the timer group only, and hand Scheduler exactly the
   * timer role (PassRole to the scheduler service alone), so a function can never aim a schedule at
   * anything the role may not already reach. Every timer queue is named; the role bounds them all.
   */
  manageTimers(timers: TimerResources): void {
    this.addEnvironment('TIMER_SCHEDULE_GROUP', timers.scheduleGroupName);
    for (const [variable, queueArn] of Object.entries(timers.targetQueueArns)) {
      this.addEnvironment(variable, queueArn);
    }
    this.addEnvironment('TIMER_ROLE_ARN', timers.schedulerRole.roleArn);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'scheduler:CreateSchedule',
          'scheduler:UpdateSchedule',
          'scheduler:DeleteSchedule',
          'scheduler:GetSchedule',
        ],
        resources: [
          Stack.of(this).formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${timers.scheduleGroupName}/*`,
          }),
        ],
      }),
    );
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [timers.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }

  /** Lets the function put events on the bus, and nothing else on it. */
  publishTo(bus: IEventBus): void {
    this.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
    bus.grantPutEventsTo(this);
  }
}
