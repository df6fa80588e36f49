/** The account's NPS settings: one item in the config table, defaults until an admin saves some. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_NPS_SETTINGS, type NpsSettings, npsSettingsSchema } from '../../domain/nps/nps-settings.ts';
import { documentClient } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';

const table = () => physicalTableName('config');
const SETTINGS_KEY = { pk: 'NPS_SETTINGS', sk: 'NPS_SETTINGS' };

/** Stored settings are parsed too: a field added later takes its default on older items. */
export const getNpsSettings = async (): Promise<NpsSettings> => {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: SETTINGS_KEY }));
  const { pk: _pk, sk: _sk, ...stored } = result.Item ?? {};
  return npsSettingsSchema.parse({ ...DEFAULT_NPS_SETTINGS, ...stored });
};

export const putNpsSettings = async (settings: NpsSettings): Promise<void> => {
  await documentClient().send(new PutCommand({ TableName: table(), Item: { ...SETTINGS_KEY, ...settings } }));
};
