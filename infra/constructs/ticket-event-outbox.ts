/**
 * The transactional outbox: the tickets table's stream feeds a publisher that puts each committed
 * audit's events on the bus. Nothing is published unless it was committed, and nothing committed is
 * lost: failed batches are bisected to isolate a poison record, retried, then parked in an alarmed DLQ.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { streamPublisher } from '../topology.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { type FunctionResources, RelaydeskFunction } from './relaydesk-function.ts';

export interface TicketEventOutboxProps {
  publisher: typeof streamPublisher;
  resources: FunctionResources;
  bus: IEventBus;
  opsTopic: ITopic;
}

export class TicketEventOutbox extends Construct {
  readonly function: RelaydeskFunction;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: TicketEventOutboxProps) {
    super(scope, id);
    const { publisher } = props;
    const sourceTable: ITable = props.resources.tables[publisher.table];

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetter', {
      purpose: `the ${publisher.table} stream publisher (the DLQ holds stream record pointers; replay them from the stream within 24 h)`,
      opsTopic: props.opsTopic,
    });
    this.function = new RelaydeskFunction(this, 'Function', {
      spec: { name: 'stream-publisher', ...publisher },
      resources: props.resources,
      // A full batch of 100 records is ten PutEvents calls; leave room for throttling retries.
      defaultTimeout: Duration.seconds(30),
    });
    this.function.publishTo(props.bus);
    this.function.addEventSource(
      new DynamoEventSource(sourceTable, {
        // Start from the oldest retained record: a publisher deployed after the first writes still sees them.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 10,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.deadLetterQueue.queue),
      }),
    );
  }
}
