/**
 * One DynamoDB table built from its definition in shared/store/tables.ts, the same definition the
 * local runtime uses to create DynamoDB Local tables, so indexes cannot differ between the two.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  type Attribute,
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  type KeyAttribute,
  PARTITION_KEY,
  SORT_KEY,
  type TableDefinition,
} from '../../shared/store/tables.ts';

const attribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

export class DataTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, definition: TableDefinition) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: attribute(PARTITION_KEY),
      sortKey: attribute(SORT_KEY),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Both images: the outbox publisher diffs old and new to derive events (ticket.updated and friends).
      ...(definition.stream ? { stream: StreamViewType.NEW_AND_OLD_IMAGES } : {}),
      ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
      // Customer data outlives any stack: deleting or replacing the stack must never drop a table.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of definition.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        // Lists render whole records; projecting everything saves a GetItem per listed item.
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
