/**
 * Seeds a deployed account (first admin, API token, Tier 1-3 groups), as `npm start` does locally:
 *
 *   DIRECTORY_TABLE_NAME=<Relaydesk-Data output DirectoryTableName> AWS_REGION=<region> \
 *     npx tsx infra/seed.ts admin@example.com
 *
 * Uses the caller's AWS credentials. Prints the token once; running it again changes nothing.
 */
import { seedAccount } from '../shared/setup/seed-account.ts';

const adminEmail = process.argv[2];
if (!adminEmail?.includes('@')) {
  console.error(
    'Usage: npx tsx infra/seed.ts <admin email>   (with DIRECTORY_TABLE_NAME and AWS_REGION set)',
  );
  process.exit(1);
}
const result = await seedAccount({ adminEmail });
console.log(
  result.firstStart
    ? `Seeded. Admin ${result.adminEmail}, API token (shown once): ${result.adminToken}`
    : `Already seeded (admin ${result.adminEmail}); nothing changed.`,
);
