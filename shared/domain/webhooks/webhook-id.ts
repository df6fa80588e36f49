/**
 * Webhook ids are ULIDs (zendesk-api.md §1.1): 48-bit millisecond time + 80 random bits in Crockford
 * base32, so they sort by creation time. Twenty lines of our own rather than the `ulid` package: we
 * need generation only (no monotonic factory, no decoding), and the caller supplies the randomness.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LENGTH = 10;
export const ULID_RANDOM_BYTES = 10;

const encodeTime = (timeMs: number): string => {
  let remaining = timeMs;
  let text = '';
  for (let index = 0; index < TIME_LENGTH; index++) {
    text = (CROCKFORD[remaining % 32] as string) + text;
    remaining = Math.floor(remaining / 32);
  }
  return text;
};

/** 80 random bits as 16 base32 digits, five bits at a time. */
const encodeRandom = (bytes: Uint8Array): string => {
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let text = '';
  for (let index = 0; index < 16; index++) {
    text = (CROCKFORD[Number(bits & 31n)] as string) + text;
    bits >>= 5n;
  }
  return text;
};

export const ulid = (timeMs: number, random: Uint8Array): string => {
  if (random.length !== ULID_RANDOM_BYTES) throw new Error(`A ULID takes ${ULID_RANDOM_BYTES} random bytes`);
  return encodeTime(timeMs) + encodeRandom(random);
};

export const isUlid = (value: string): boolean => /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(value);
