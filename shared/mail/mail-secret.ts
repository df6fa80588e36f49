/**
 * The key that signs our Message-IDs. Locally it comes from MAIL_SECRET (generated on first start and
 * kept in the data folder); in AWS from a Secrets Manager secret (MAIL_SECRET_ARN), read once per cold
 * start.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let cached: Promise<string> | undefined;

export const getMailSecret = (): Promise<string> => {
  cached ??= (async () => {
    if (process.env.MAIL_SECRET) return process.env.MAIL_SECRET;
    const arn = process.env.MAIL_SECRET_ARN;
    if (!arn) throw new Error('Neither MAIL_SECRET nor MAIL_SECRET_ARN is set: mail threading has no key');
    const result = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
    if (!result.SecretString) throw new Error(`Secret ${arn} has no string value`);
    return result.SecretString;
  })();
  return cached;
};
