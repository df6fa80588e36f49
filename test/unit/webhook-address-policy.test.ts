import { describe, expect, it } from 'vitest';
import { endpointProblem } from '../../shared/domain/webhooks/endpoint-rules.ts';
import { addressRefusal } from '../../shared/net/address-policy.ts';
import {
  AddressRefusedError,
  checkedAddresses,
  type ResolveHost,
} from '../../shared/net/checked-addresses.ts';

const strict = { allowLoopback: false };
const local = { allowLoopback: true };

describe('the webhook address policy', () => {
  it.each([
    ['8.8.8.8', undefined, undefined],
    ['2606:4700:4700::1111', undefined, undefined],
    ['::ffff:8.8.8.8', undefined, undefined],
    ['10.1.2.3', 'not_public', 'not_public'],
    ['172.16.0.1', 'not_public', 'not_public'],
    ['172.31.255.255', 'not_public', 'not_public'],
    ['192.168.1.1', 'not_public', 'not_public'],
    ['100.64.0.1', 'not_public', 'not_public'],
    ['169.254.169.254', 'not_public', 'not_public'],
    ['0.0.0.0', 'not_public', 'not_public'],
    ['255.255.255.255', 'not_public', 'not_public'],
    ['224.0.0.251', 'not_public', 'not_public'],
    ['240.0.0.1', 'not_public', 'not_public'],
    ['fc00::1', 'not_public', 'not_public'],
    ['fd12:3456::1', 'not_public', 'not_public'],
    ['fe80::1', 'not_public', 'not_public'],
    ['fe80::1%eth0', 'not_public', 'not_public'],
    ['ff02::1', 'not_public', 'not_public'],
    ['::', 'not_public', 'not_public'],
    ['::ffff:10.0.0.1', 'not_public', 'not_public'],
    ['::ffff:169.254.169.254', 'not_public', 'not_public'],
    ['::ffff:a9fe:a9fe', 'not_public', 'not_public'],
    ['::10.0.0.1', 'not_public', 'not_public'],
    ['64:ff9b::a00:1', 'not_public', 'not_public'],
    ['127.0.0.1', 'loopback', undefined],
    ['127.9.9.9', 'loopback', undefined],
    ['::1', 'loopback', undefined],
    ['::ffff:127.0.0.1', 'loopback', undefined],
    ['localhost', 'not_an_address', 'not_an_address'],
  ])('%s is refused as %s in AWS and as %s locally', (address, inAws, locally) => {
    expect(addressRefusal(address, strict)).toBe(inAws);
    expect(addressRefusal(address, local)).toBe(locally);
  });
});

describe('checking the addresses a host resolves to', () => {
  const resolver =
    (answers: Record<string, string[]>): ResolveHost =>
    async (host) =>
      (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('returns every address of a host that resolves to public addresses only', async () => {
    const resolve = resolver({ 'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07::1'] });
    expect(await checkedAddresses('hooks.example.com', strict, resolve)).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07::1', family: 6 },
    ]);
  });

  it.each([
    ['one private address among public ones', ['93.184.215.14', '10.0.0.7'], '10.0.0.7'],
    ['the metadata service', ['169.254.169.254'], '169.254.169.254'],
    ['an IPv4-mapped private address', ['::ffff:192.168.0.10'], '::ffff:192.168.0.10'],
    ['a unique-local IPv6 address', ['fd00::5'], 'fd00::5'],
    ['loopback', ['127.0.0.1'], '127.0.0.1'],
  ])('refuses a name that resolves to %s', async (_case, addresses, refused) => {
    const resolve = resolver({ 'sneaky.example.com': addresses });
    const failure = checkedAddresses('sneaky.example.com', strict, resolve);
    await expect(failure).rejects.toBeInstanceOf(AddressRefusedError);
    await expect(failure).rejects.toMatchObject({ address: refused });
  });

  it('refuses a name that resolves to nothing', async () => {
    await expect(checkedAddresses('void.example.com', strict, resolver({}))).rejects.toMatchObject({
      refusal: 'unresolved',
    });
  });

  it('judges literal addresses without asking the resolver, brackets and all', async () => {
    const resolve: ResolveHost = async () => {
      throw new Error('the resolver must not be asked');
    };
    await expect(checkedAddresses('[::1]', strict, resolve)).rejects.toMatchObject({ refusal: 'loopback' });
    expect(await checkedAddresses('[::1]', local, resolve)).toEqual([{ address: '::1', family: 6 }]);
    expect(await checkedAddresses('127.0.0.1', local, resolve)).toEqual([
      { address: '127.0.0.1', family: 4 },
    ]);
  });
});

describe('endpoint rules at save and send time', () => {
  it.each([
    ['https://hooks.example.com/zendesk', strict, undefined],
    ['https://8.8.8.8/hook', strict, undefined],
    ['http://hooks.example.com/zendesk', strict, 'must use https'],
    ['http://127.0.0.1:9000/hook', strict, 'must use https'],
    ['http://127.0.0.1:9000/hook', local, undefined],
    ['http://[::1]:9000/hook', local, undefined],
    ['http://localhost:9000/hook', local, undefined],
    ['http://hooks.example.com/zendesk', local, 'must use https'],
    ['http://10.0.0.1/hook', local, 'must use https'],
    ['https://localhost/hook', strict, 'must not point at this machine'],
    ['https://127.0.0.1/hook', strict, 'must not point at this machine'],
    ['https://169.254.169.254/latest/meta-data', strict, 'must not point at a private address'],
    ['https://[::ffff:10.0.0.1]/hook', strict, 'must not point at a private address'],
    ['https://[fd00::1]/hook', local, 'must not point at a private address'],
    ['https://2130706433/hook', strict, 'must not point at this machine'],
    ['ftp://hooks.example.com/', strict, 'must use https'],
    ['https://user:pass@hooks.example.com/', strict, 'must not contain credentials'],
    ['not a url', strict, 'is not a valid URL'],
  ])('%s (%o): %s', (endpoint, policy, problem) => {
    const found = endpointProblem(endpoint, policy);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
