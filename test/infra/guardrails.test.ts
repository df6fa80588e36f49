/** Properties every resource must have, whoever adds it: function defaults, least privilege, no fixed names. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Names } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { allFunctions } from '../../infra/topology.ts';
import { tableNames, tables } from '../../shared/store/tables.ts';
import {
  logicalIdOf,
  type Resource,
  referencedId,
  referencedResources,
  resolveImport,
  resourceById,
  type StackName,
  type Synthesized,
  synthesize,
} from './synth.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

const lambdaFunctions = (s: Synthesized = synth) =>
  s.resources.filter(({ resource }) => resource.Type === 'AWS::Lambda::Function');

const environmentOf = (fn: Resource): Record<string, unknown> =>
  (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : ([] as T[]).concat(value));

/** Every statement of every identity policy, with where it came from. */
const allStatements = (): { where: string; statement: Statement }[] =>
  synth.resources.flatMap(({ stack, logicalId, resource }) => {
    const documents: unknown[] = [];
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      documents.push(resource.Properties.PolicyDocument);
    }
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of asList(resource.Properties.Policies as { PolicyDocument: unknown }[])) {
        documents.push(policy.PolicyDocument);
      }
    }
    return documents.flatMap((document) =>
      asList((document as { Statement?: Statement[] }).Statement).map((statement) => ({
        where: `${stack}/${logicalId}`,
        statement,
      })),
    );
  });

/** Why a statement breaks least privilege, if it does. */
const leastPrivilegeViolation = (statement: Statement): string | undefined => {
  const actions = asList(statement.Action);
  const resources = asList(statement.Resource);
  if (actions.some((action) => action === '*' || action.endsWith(':*'))) return 'wildcard action';
  const dynamoActions = actions.filter((action) => action.startsWith('dynamodb:'));
  // ListStreams is an account-level list call with no resource-level permission; the DynamoDB event
  // source needs it, and it reveals stream ARNs only, never data.
  const scopable = dynamoActions.filter((action) => action !== 'dynamodb:ListStreams');
  if (scopable.length > 0 && resources.includes('*')) return 'dynamodb action on every resource';
  const scoped = actions.filter((action) => /^(ses|s3|secretsmanager):/.test(action));
  if (scoped.length > 0 && resources.includes('*')) return `${scoped[0]} on every resource`;
  return undefined;
};

describe('least privilege', () => {
  it('recognises what it guards against', () => {
    expect(leastPrivilegeViolation({ Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn' })).toBeDefined();
    expect(leastPrivilegeViolation({ Effect: 'Allow', Action: '*', Resource: 'arn' })).toBeDefined();
    expect(
      leastPrivilegeViolation({
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:ListStreams'],
        Resource: '*',
      }),
    ).toBeDefined();
    expect(
      leastPrivilegeViolation({ Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' }),
    ).toBeUndefined();
    expect(
      leastPrivilegeViolation({ Effect: 'Allow', Action: 'ses:SendRawEmail', Resource: '*' }),
    ).toBeDefined();
    expect(
      leastPrivilegeViolation({ Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn', '*'] }),
    ).toBeDefined();
  });

  it('grants no wildcard action, and no DynamoDB action on every resource', () => {
    const statements = allStatements();
    expect(statements.length).toBeGreaterThan(0);
    const violations = statements
      .map(({ where, statement }) => ({ where, statement, why: leastPrivilegeViolation(statement) }))
      .filter((entry) => entry.why !== undefined);
    expect(violations).toEqual([]);
  });

  describe.each(allFunctions().map((spec) => [spec.name, spec] as const))(
    'the %s function',
    (_name, spec) => {
      const find = () => {
        const found = lambdaFunctions().filter(({ resource }) =>
          String(resource.Properties.Description ?? '').endsWith(`(${spec.entry})`),
        );
        expect(found).toHaveLength(1);
        return found[0] as { stack: StackName; logicalId: string; resource: Resource };
      };
      /** DynamoDB actions this function's role allows, by table logical id in the data stack. */
      const dynamoActionsByTable = (): Map<string, Set<string>> => {
        const { stack, resource } = find();
        const roleId = referencedId(resource.Properties.Role)?.id;
        const byTable = new Map<string, Set<string>>();
        for (const policy of synth.resources.filter(
          (r) =>
            r.stack === stack &&
            r.resource.Type === 'AWS::IAM::Policy' &&
            asList(r.resource.Properties.Roles as unknown[]).some(
              (role) => referencedId(role)?.id === roleId,
            ),
        )) {
          const document = policy.resource.Properties.PolicyDocument as { Statement: Statement[] };
          for (const statement of document.Statement) {
            const actions = asList(statement.Action).filter((a) => a.startsWith('dynamodb:'));
            for (const target of asList(statement.Resource)) {
              const table = resolveImport(target, synth.templates.data);
              if (table?.attribute !== 'Arn' || actions.length === 0) continue;
              const set = byTable.get(table.id) ?? new Set<string>();
              for (const action of actions) set.add(action);
              byTable.set(table.id, set);
            }
          }
        }
        return byTable;
      };

      /** Every identity-policy statement on this function's role. */
      const roleStatements = (): Statement[] => {
        const { stack, resource } = find();
        const roleId = referencedId(resource.Properties.Role)?.id;
        return synth.resources
          .filter(
            (r) =>
              r.stack === stack &&
              r.resource.Type === 'AWS::IAM::Policy' &&
              asList(r.resource.Properties.Roles as unknown[]).some(
                (role) => referencedId(role)?.id === roleId,
              ),
          )
          .flatMap((r) => (r.resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      };
      const withActions = (prefix: string) =>
        roleStatements().filter((statement) => asList(statement.Action).some((a) => a.startsWith(prefix)));
      const targetsOf = (statements: Statement[]) =>
        new Set(
          statements.flatMap((statement) =>
            referencedResources(synth, find().stack, statement.Resource).map((r) => `${r.stack}/${r.id}`),
          ),
        );
      const dataResource = (construct: Parameters<typeof logicalIdOf>[0]) => `data/${logicalIdOf(construct)}`;

      it('knows the support address', () => {
        expect(environmentOf(find().resource).SUPPORT_ADDRESS).toBe('support@relaydesk.local');
      });

      it(
        spec.blobs
          ? `may ${spec.blobs === 'read' ? 'only read' : 'read and write'} the mail bucket, named by BLOB_BUCKET`
          : 'has no access to the mail bucket',
        () => {
          const variables = environmentOf(find().resource);
          const s3 = withActions('s3:');
          if (!spec.blobs) {
            expect(s3).toEqual([]);
            expect(variables).not.toHaveProperty('BLOB_BUCKET');
            return;
          }
          expect(referencedResources(synth, find().stack, variables.BLOB_BUCKET)).toEqual([
            { stack: 'data', id: logicalIdOf(synth.stacks.data.mailBucket) },
          ]);
          expect([...targetsOf(s3)]).toEqual([dataResource(synth.stacks.data.mailBucket)]);
          const actions = s3.flatMap((statement) => asList(statement.Action));
          expect(actions).toContain('s3:GetObject*');
          expect(actions.includes('s3:PutObject')).toBe(spec.blobs === 'readWrite');
          expect(actions.some((a) => a.startsWith('s3:DeleteObject'))).toBe(spec.blobs === 'readWrite');
        },
      );

      it(
        spec.mailSecret
          ? 'may read the Message-ID key, named by MAIL_SECRET_ARN'
          : 'cannot read the Message-ID key',
        () => {
          const variables = environmentOf(find().resource);
          const secrets = withActions('secretsmanager:');
          if (!spec.mailSecret) {
            expect(secrets).toEqual([]);
            expect(variables).not.toHaveProperty('MAIL_SECRET_ARN');
            return;
          }
          expect([...targetsOf(secrets)]).toEqual([dataResource(synth.stacks.data.mailSecret)]);
          expect(secrets.flatMap((statement) => asList(statement.Action)).sort()).toEqual([
            'secretsmanager:DescribeSecret',
            'secretsmanager:GetSecretValue',
          ]);
          expect(referencedResources(synth, find().stack, variables.MAIL_SECRET_ARN)).toEqual([
            { stack: 'data', id: logicalIdOf(synth.stacks.data.mailSecret) },
          ]);
        },
      );

      it(
        spec.sendsMail
          ? 'may SendRawEmail from the support identity through the configuration set, nothing more'
          : 'cannot send mail',
        () => {
          const variables = environmentOf(find().resource);
          const ses = withActions('ses:');
          if (!spec.sendsMail) {
            expect(ses).toEqual([]);
            expect(variables).not.toHaveProperty('SES_CONFIGURATION_SET');
            return;
          }
          expect(ses).toHaveLength(1);
          expect(asList(ses[0]?.Action)).toEqual(['ses:SendRawEmail']);
          const resources = asList(ses[0]?.Resource);
          expect(resources).not.toContain('*');
          expect(resources).toHaveLength(2);
          const { sending } = synth.stacks.mail;
          expect([...targetsOf(ses)].sort()).toEqual(
            [`mail/${logicalIdOf(sending.identity)}`, `mail/${logicalIdOf(sending.configurationSet)}`].sort(),
          );
          const text = JSON.stringify(resources);
          expect(text).toContain(':identity/');
          expect(text).toContain(':configuration-set/');
          expect(referencedResources(synth, find().stack, variables.SES_CONFIGURATION_SET)).toEqual([
            { stack: 'mail', id: logicalIdOf(sending.configurationSet) },
          ]);
        },
      );

      it('names exactly the tables it declares, each through its environment variable', () => {
        const variables = environmentOf(find().resource);
        const tableVariables = tableNames.map((name) => tables[name].envVar).filter((v) => v in variables);
        expect(tableVariables.sort()).toEqual(spec.tables.map(({ table }) => tables[table].envVar).sort());
        for (const { table } of spec.tables) {
          expect(resolveImport(variables[tables[table].envVar], synth.templates.data)).toEqual({
            id: logicalIdOf(synth.stacks.data.tables[table]),
          });
        }
      });

      it('may touch only the tables it declares, writing only where it declares readWrite', () => {
        const byTable = dynamoActionsByTable();
        const declared = new Map(
          spec.tables.map(({ table, mode }) => [logicalIdOf(synth.stacks.data.tables[table]), mode]),
        );
        expect([...byTable.keys()].sort()).toEqual([...declared.keys()].sort());
        for (const [tableId, mode] of declared) {
          const actions = byTable.get(tableId) ?? new Set();
          expect(actions.has('dynamodb:GetItem') && actions.has('dynamodb:Query')).toBe(true);
          const writes = [
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:BatchWriteItem',
          ];
          for (const write of writes)
            expect(actions.has(write), `${write} on ${tableId}`).toBe(mode === 'readWrite');
        }
      });
    },
  );
});

describe('every function', () => {
  it('is one the topology declares, and every declared function exists', () => {
    const entries = lambdaFunctions().map(
      ({ resource }) => /\((functions\/[^)]+)\)$/.exec(String(resource.Properties.Description ?? ''))?.[1],
    );
    expect(entries.sort()).toEqual(
      allFunctions()
        .map((spec) => spec.entry)
        .sort(),
    );
  });

  it('runs Node.js 22 on arm64 with source maps and the Powertools service name', () => {
    for (const { logicalId, resource } of lambdaFunctions()) {
      expect(resource.Properties.Runtime, logicalId).toBe('nodejs22.x');
      expect(resource.Properties.Architectures, logicalId).toEqual(['arm64']);
      const variables = environmentOf(resource);
      expect(variables.NODE_OPTIONS, logicalId).toBe('--enable-source-maps');
      expect(variables.POWERTOOLS_SERVICE_NAME, logicalId).toBe('relaydesk');
    }
  });

  it('logs to its own log group with a retention', () => {
    const logGroups = new Set<string>();
    for (const { stack, logicalId, resource } of lambdaFunctions()) {
      const logGroupId = referencedId(
        (resource.Properties.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup,
      )?.id;
      expect(logGroupId, logicalId).toBeDefined();
      const logGroup = resourceById(synth.templates[stack], logGroupId);
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.RetentionInDays, logicalId).toBe(30);
      logGroups.add(`${stack}/${logGroupId}`);
    }
    expect(logGroups.size).toBe(lambdaFunctions().length);
  });

  it('gets PUBLIC_URL only when the publicUrl context is given', () => {
    for (const { logicalId, resource } of lambdaFunctions()) {
      expect(environmentOf(resource), logicalId).not.toHaveProperty('PUBLIC_URL');
    }
    const pinned = synthesize({ context: { publicUrl: 'https://help.example.com' } });
    expect(lambdaFunctions(pinned).length).toBeGreaterThan(0);
    for (const { logicalId, resource } of lambdaFunctions(pinned)) {
      expect(environmentOf(resource).PUBLIC_URL, logicalId).toBe('https://help.example.com');
    }
  });
});

describe('CloudFormation validation', () => {
  it('finds nothing wrong with any template', () => {
    const validated = synthesize({ validate: true });
    const report = JSON.parse(
      readFileSync(join(validated.assemblyDirectory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: { pluginName: string; violations: { ruleName: string; description: string }[] }[];
    };
    const violations = report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((v) => `${plugin.pluginName} ${v.ruleName}: ${v.description}`),
    );
    expect(violations).toEqual([]);
  });
});

describe('physical names', () => {
  /** Properties that pin a physical name and so block replacement and a second copy per account. */
  const nameProperties: Record<string, string[]> = {
    'AWS::DynamoDB::Table': ['TableName'],
    'AWS::SQS::Queue': ['QueueName'],
    'AWS::Lambda::Function': ['FunctionName'],
    'AWS::Events::Rule': ['Name'],
    'AWS::SNS::Topic': ['TopicName'],
    'AWS::Logs::LogGroup': ['LogGroupName'],
    'AWS::IAM::Role': ['RoleName'],
    'AWS::CloudWatch::Alarm': ['AlarmName'],
    'AWS::S3::Bucket': ['BucketName'],
    'AWS::SecretsManager::Secret': ['Name'],
    'AWS::SES::ReceiptRuleSet': ['RuleSetName'],
    'AWS::SES::ConfigurationSet': ['Name'],
  };

  it('are left for CloudFormation to generate', () => {
    const pinned = synth.resources.flatMap(({ stack, logicalId, resource }) =>
      (nameProperties[resource.Type] ?? [])
        .filter((property) => resource.Properties[property] !== undefined)
        .map((property) => `${stack}/${logicalId}.${property}`),
    );
    expect(pinned).toEqual([]);
  });

  it('are generated by CDK for the event bus, whose Name CloudFormation requires', () => {
    const buses = synth.resources.filter((r) => r.resource.Type === 'AWS::Events::EventBus');
    expect(buses).toHaveLength(1);
    // Derived from the construct path (stack name included), so a second copy gets its own bus.
    expect(buses[0]?.resource.Properties.Name).toBe(Names.uniqueId(synth.stacks.data.bus));
  });
});
