import { beforeAll, describe, expect, it } from 'vitest';
import { PARTITION_KEY, SORT_KEY, tableNames, tables } from '../../shared/store/tables.ts';
import {
  logicalIdOf,
  type Resource,
  resourceById,
  resourcesOfType,
  type Synthesized,
  synthesize,
} from './synth.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

const tableResource = (name: (typeof tableNames)[number]): Resource => {
  return resourceById(synth.templates.data, logicalIdOf(synth.stacks.data.tables[name]));
};

describe('data stack', () => {
  it('has exactly one DynamoDB table per table definition', () => {
    expect(resourcesOfType(synth.templates.data, 'AWS::DynamoDB::Table')).toHaveLength(tableNames.length);
  });

  describe.each(tableNames)('the %s table', (name) => {
    const definition = tables[name];

    it('uses pk/sk string keys, on-demand billing and point-in-time recovery', () => {
      const props = tableResource(name).Properties;
      expect(props?.KeySchema).toEqual([
        { AttributeName: PARTITION_KEY.name, KeyType: 'HASH' },
        { AttributeName: SORT_KEY.name, KeyType: 'RANGE' },
      ]);
      expect(props?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(props?.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    });

    it('is retained when the stack is deleted or the table replaced', () => {
      const resource = tableResource(name);
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
    });

    it('has exactly the global secondary indexes of tables.ts, projecting all attributes', () => {
      const props = tableResource(name).Properties;
      const expected = definition.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      }));
      const byName = (a: { IndexName: string }, b: { IndexName: string }) =>
        a.IndexName.localeCompare(b.IndexName);
      const actual = ((props.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]).slice().sort(byName);
      expect(actual).toEqual(expected.sort(byName));

      // Key attribute types matter: a number key declared as a string would reject every write.
      const declaredTypes = Object.fromEntries(
        [PARTITION_KEY, SORT_KEY, ...definition.indexes.flatMap((i) => [i.partitionKey, i.sortKey])].map(
          (key) => [key.name, key.type],
        ),
      );
      const attributeTypes = Object.fromEntries(
        (props.AttributeDefinitions as { AttributeName: string; AttributeType: string }[]).map((a) => [
          a.AttributeName,
          a.AttributeType,
        ]),
      );
      expect(attributeTypes).toEqual(declaredTypes);
    });

    it(definition.stream ? 'streams new and old images' : 'has no stream', () => {
      const spec = tableResource(name).Properties.StreamSpecification;
      if (definition.stream) expect(spec).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
      else expect(spec).toBeUndefined();
    });
  });

  it('streams the tickets table, which feeds the outbox publisher', () => {
    expect(tables.tickets.stream).toBe(true);
    expect(tableResource('tickets').Properties.StreamSpecification).toEqual({
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
  });

  it('holds the event bus', () => {
    expect(resourcesOfType(synth.templates.data, 'AWS::Events::EventBus')).toHaveLength(1);
  });
});

describe('the mail bucket', () => {
  const bucket = () => resourceById(synth.templates.data, logicalIdOf(synth.stacks.data.mailBucket));

  it('is encrypted, private, versioned and retained', () => {
    const { Properties: props, DeletionPolicy, UpdateReplacePolicy } = bucket();
    expect(props.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect([DeletionPolicy, UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
  });

  it('refuses requests without TLS', () => {
    const policies = resourcesOfType(synth.templates.data, 'AWS::S3::BucketPolicy');
    const statements = policies.flatMap(
      ([, p]) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('expires raw inbound mail only: attachments and everything else stay', () => {
    const rules = (bucket().Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    const expiring = rules.filter((rule) => rule.ExpirationInDays !== undefined);
    expect(expiring).toEqual([expect.objectContaining({ Prefix: 'inbound/', Status: 'Enabled' })]);
  });
});

describe('the Message-ID key', () => {
  it('is a generated secret, retained with the data stack', () => {
    const secret = resourceById(synth.templates.data, logicalIdOf(synth.stacks.data.mailSecret));
    expect(secret.Type).toBe('AWS::SecretsManager::Secret');
    expect(secret.Properties.GenerateSecretString).toEqual(expect.objectContaining({ PasswordLength: 64 }));
    expect(secret.Properties.SecretString).toBeUndefined();
    expect([secret.DeletionPolicy, secret.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
  });
});
