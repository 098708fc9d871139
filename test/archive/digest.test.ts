/**
 * The digest format and its writer, function by function: where each kind of digest is stored
 * (even for a chain name a forger chose), which chain an archive key belongs to, the canonical
 * bytes that are signed, key identities that do not match their fingerprint, and the writer's
 * genesis, hours and refusal of a key it cannot rotate from.
 */
import { createHash, generateKeyPairSync } from 'crypto';
import { LocalSigningKey, MemoryArchiveStore, MemoryChainHeads, MemoryObjectRecords } from '../../sim/archive';
import {
  chainOf,
  chainPrefix,
  digestBytes,
  HOUR_MS,
  keyFingerprint,
  publicKeyOf,
  SIGNATURE_METADATA,
  SIGNING_ALGORITHM,
  signingHash,
  storedKeyOf,
  verifyWithPublicKey,
  type Digest,
} from '../../tasks/lib/archive/digest';
import { DigestKeyChangedError, writeDigests } from '../../tasks/lib/archive/write-digests';

const START = Date.UTC(2026, 10, 30, 14);
const at = (hours: number) => new Date(START + hours * HOUR_MS).toISOString();

describe('where digests are stored and which chain a key is of', () => {
  it.each([
    ['genesis', 'eu-west-1', 'digests/chain=eu-west-1/genesis.json'],
    ['hour', 'eu-west-1', 'digests/chain=eu-west-1/2026/11/30/14.json'],
    ['rotation', 'eu-west-1', 'digests/chain=eu-west-1/2026/11/30/14-rotation.json'],
    ['rotation', 'x.json', 'digests/chain=x.json/2026/11/30/14-rotation.json'],
  ] as const)('a %s digest of chain %s is stored at %s', (kind, chain, key) => {
    expect(storedKeyOf({ kind, chain, startTime: at(0) })).toBe(key);
  });

  it.each([
    ['logs/region=eu-west-1/account=100000000001/category=audit/2026/11/30/14/a.gz', 'eu-west-1'],
    ['errors/processing-failed/2026/11/30/14/a.gz', 'errors'],
    ['digests/departures/account=100000000001/2026-11-30T14:00:00.000Z.json', 'departures'],
    ['archive/logs/region=eu-west-1/a.gz', undefined],
    ['logs/errors/a.gz', undefined],
    ['digests/chain=eu-west-1/2026/11/30/14.json', undefined],
    ['backup/errors/', undefined],
  ])('%s belongs to chain %s', (key, chain) => {
    expect(chainOf(key)).toBe(chain);
  });

  it("names each chain's objects' prefix", () => {
    expect(['eu-west-1', 'errors', 'departures'].map(chainPrefix)).toEqual(['logs/region=eu-west-1/', 'errors/', 'digests/departures/']);
  });

  it('keeps the names AWS sees: the metadata the signature travels in and the KMS signing algorithm', () => {
    expect([SIGNATURE_METADATA, SIGNING_ALGORITHM]).toEqual(['signature', 'ECDSA_SHA_256']);
  });
});

describe('digestBytes', () => {
  const digest: Digest = {
    version: 2,
    kind: 'hour',
    chain: 'eu-west-1',
    startTime: at(0),
    endTime: at(1),
    objects: [
      { key: 'logs/b', size: 2, sha256: 'bb', versionId: 'v2' },
      { key: 'logs/a', size: 1, sha256: 'aa' },
      { key: 'logs/c', size: 3, sha256: 'cc', versionId: '' },
    ],
    previousDigest: { key: 'digests/chain=eu-west-1/2026/11/30/13.json', sha256: '00', signature: 'c2ln' },
    signedBy: 'f'.repeat(64),
  };

  it('is canonical JSON on one line: fixed member order, objects sorted by key, a version only where there is one', () => {
    expect(digestBytes(digest).toString('utf8')).toBe(
      `${JSON.stringify({
        version: 2,
        kind: 'hour',
        chain: 'eu-west-1',
        startTime: at(0),
        endTime: at(1),
        objects: [
          { key: 'logs/a', size: 1, sha256: 'aa' },
          { key: 'logs/b', versionId: 'v2', size: 2, sha256: 'bb' },
          { key: 'logs/c', size: 3, sha256: 'cc' },
        ],
        previousDigest: digest.previousDigest,
        signedBy: digest.signedBy,
      })}\n`,
    );
  });

  it('is the same bytes whatever order the objects were listed in, and names the key only where the digest has one', async () => {
    const reversed = { ...digest, objects: [...digest.objects].reverse() };
    expect(digestBytes(reversed).equals(digestBytes(digest))).toBe(true);
    const identity = await new LocalSigningKey('k').identity();
    expect(JSON.parse(digestBytes({ ...digest, key: { ...identity, extra: 'dropped' } as never }).toString()).key).toEqual(identity);
  });

  it('orders two versions of one key by version, whatever order they came in', () => {
    const versions = [
      { key: 'logs/a', size: 1, sha256: 'aa', versionId: 'v2' },
      { key: 'logs/a', size: 1, sha256: 'aa', versionId: 'v1' },
      { key: 'logs/a', size: 1, sha256: 'aa' },
    ];
    const listed = JSON.parse(digestBytes({ ...digest, objects: versions }).toString()) as Digest;
    expect(listed.objects.map((o) => o.versionId)).toEqual([undefined, 'v1', 'v2']);
    expect(digestBytes({ ...digest, objects: [...versions].reverse() }).equals(digestBytes({ ...digest, objects: versions }))).toBe(true);
  });

  it('is signed as its SHA-256', () => {
    const bytes = digestBytes(digest);
    expect(signingHash(bytes).equals(createHash('sha256').update(bytes).digest())).toBe(true);
  });
});

describe('keys', () => {
  it('takes no public key whose bytes do not hash to the fingerprint named, nor bytes that are not a key', async () => {
    const identity = await new LocalSigningKey('k').identity();
    const other = await new LocalSigningKey('other').identity();
    const garbage = Buffer.from('not a key');
    expect(publicKeyOf(identity)).toBeDefined();
    expect(publicKeyOf({ ...identity, publicKey: other.publicKey })).toBeUndefined();
    expect(publicKeyOf({ ...identity, publicKey: garbage.toString('base64'), fingerprint: keyFingerprint(garbage) })).toBeUndefined();
  });

  it('finds no signature valid that the key cannot check', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    expect(verifyWithPublicKey(publicKey, Buffer.from('x'), 'AAAA')).toBe(false);
  });
});

describe('writeDigests', () => {
  function ports(signer = new LocalSigningKey('writer')) {
    return { store: new MemoryArchiveStore(), records: new MemoryObjectRecords(), heads: new MemoryChainHeads(), signer };
  }

  it('starts a chain with its genesis at the hour, and writes an hour exactly when it has ended', async () => {
    // Prepare
    const p = ports();

    // Act
    const first = await writeDigests(p, 'eu-west-1', START + HOUR_MS - 1, START + 1_234);
    const second = await writeDigests(p, 'eu-west-1', START + HOUR_MS, START);

    // Assess
    expect(first).toEqual(['digests/chain=eu-west-1/genesis.json']);
    expect(second).toEqual(['digests/chain=eu-west-1/2026/11/30/14.json']);
    const genesis = JSON.parse((await p.store.get(first[0]!))!.bytes.toString()) as Digest;
    expect(genesis).toMatchObject({ kind: 'genesis', startTime: at(0), endTime: at(0), objects: [], previousDigest: null });
    expect((await p.store.get(first[0]!))!.metadata).toMatchObject({ 'signing-algorithm': 'ECDSA_SHA_256' });
  });

  it('refuses to go on with a new key unless the key that signed the chain signs the rotation, naming both', async () => {
    // Prepare
    const p = ports();
    await writeDigests(p, 'eu-west-1', START + 2 * HOUR_MS, START);
    const next = new LocalSigningKey('next');
    const stranger = new LocalSigningKey('stranger');
    const writer = (await p.heads.head('eu-west-1'))!.signedBy;

    // Act
    const without = await writeDigests({ ...p, signer: next }, 'eu-west-1', START + 3 * HOUR_MS, START).catch((error: unknown) => error);
    const withStranger = await writeDigests({ ...p, signer: next, previousSigner: stranger }, 'eu-west-1', START + 3 * HOUR_MS, START).catch(
      (error: unknown) => error,
    );
    const rotated = await writeDigests({ ...p, signer: next, previousSigner: p.signer }, 'eu-west-1', START + 3 * HOUR_MS, START);

    // Assess
    const message = `chain eu-west-1 is signed by key ${writer}, the signer's is ${next.fingerprint}: a rotation needs the previous key to sign it (TRIBUTARY_PREVIOUS_DIGEST_KEY)`;
    expect(without).toBeInstanceOf(DigestKeyChangedError);
    expect(without).toMatchObject({ name: 'DigestKeyChangedError', message });
    expect(withStranger).toMatchObject({ name: 'DigestKeyChangedError', message });
    expect(rotated).toEqual(['digests/chain=eu-west-1/2026/11/30/16-rotation.json', 'digests/chain=eu-west-1/2026/11/30/16.json']);
    const rotation = JSON.parse((await p.store.get(rotated[0]!))!.bytes.toString()) as Digest;
    expect(rotation).toMatchObject({ kind: 'rotation', objects: [], signedBy: writer, key: await next.identity() });
  });
});
