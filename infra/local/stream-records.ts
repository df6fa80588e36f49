/**
 * Converts DynamoDB Streams records as the SDK returns them (Dates, Uint8Arrays) into the JSON form
 * Lambda passes to a stream-triggered function (epoch seconds, base64 strings).
 */
import type { _Record, AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

type Image = Record<string, SdkAttributeValue>;

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export const toLambdaAttributeValue = (value: SdkAttributeValue): AttributeValue => {
  // DynamoDB Local's stream writes an empty map as `{}` instead of `{"M":{}}`; AWS writes the latter.
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttributeValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  throw new Error(`Unknown attribute value type: ${JSON.stringify(value)}`);
};

const toLambdaImage = (image: Image): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaAttributeValue(value)]));

export const toLambdaStreamRecord = (record: _Record, eventSourceARN: string): DynamoDBRecord => {
  const change = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    dynamodb: {
      ...(change.ApproximateCreationDateTime && {
        ApproximateCreationDateTime: Math.floor(change.ApproximateCreationDateTime.getTime() / 1000),
      }),
      ...(change.Keys && { Keys: toLambdaImage(change.Keys) }),
      ...(change.NewImage && { NewImage: toLambdaImage(change.NewImage) }),
      ...(change.OldImage && { OldImage: toLambdaImage(change.OldImage) }),
      SequenceNumber: change.SequenceNumber,
      SizeBytes: change.SizeBytes,
      StreamViewType: change.StreamViewType,
    },
    eventSourceARN,
    ...(record.userIdentity && { userIdentity: record.userIdentity }),
  };
};
