/**
 * Stateful resources: the tables and the event bus. They live apart from the functions, API and rules
 * so that redeploying, renaming or deleting stateless stacks can never touch data.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { type TableName, tables as tableDefinitions, tableNames } from '../../shared/store/tables.ts';
import { constructId } from '../constructs/construct-id.ts';
import { DataTable } from '../constructs/data-table.ts';

export class DataStack extends Stack {
  readonly tables: Readonly<Record<TableName, Table>>;
  /** Carries domain events from the outbox publisher to the consumers' rules. */
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.tables = Object.fromEntries(
      tableNames.map((name) => [name, new DataTable(this, constructId(name), tableDefinitions[name]).table]),
    ) as Record<TableName, Table>;
    this.bus = new EventBus(this, 'EventBus', { description: 'Relaydesk domain events' });
    // The seed command (infra/seed.ts) and operators' scripts find the tables by these outputs.
    for (const name of tableNames) {
      new CfnOutput(this, `${constructId(name)}TableName`, {
        value: this.tables[name].tableName,
        description: `Set ${tableDefinitions[name].envVar} to this to run scripts against the ${name} table`,
      });
    }
  }
}
