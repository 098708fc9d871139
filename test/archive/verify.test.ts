/**
 * Digests and the verifier on real bytes and real signatures (P-256): an untouched archive verifies;
 * each tampering is reported exactly.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { departedAccount, departureManifest } from '../../tasks/write-departure-manifest';
import { LocalSigningKey, MemoryArchiveStore, MemoryObjectRecords } from '../../sim/archive';
import { chainOf, digestKey, HOUR_MS, sha256Hex, SIGNATURE_METADATA } from '../../tasks/lib/archive/digest';
import { verifyArchive } from '../../tasks/lib/archive/verify';
import { verifyDepartureManifests, writeDepartureManifest } from '../../tasks/lib/archive/departure';
import { writeDigests } from '../../tasks/lib/archive/write-digests';

const START = Date.UTC(2026, 10, 30, 10);
const pad = (n: number) => String(n).padStart(2, '0');

/** Three hours of deliveries in two regions, digested hour by hour as the scheduled writer would. */
async function archive() {
  const store = new MemoryArchiveStore();
  const records = new MemoryObjectRecords();
  const key = new LocalSigningKey();
  const ports = { store, records, signer: key };
  const keys: string[] = [];
  for (let hour = 0; hour < 3; hour++) {
    const at = START + hour * HOUR_MS;
    const d = new Date(at);
    for (const [region, count] of [['eu-west-1', 3], ['us-east-1', hour === 1 ? 0 : 2]] as const) {
      for (let i = 0; i < count; i++) {
        const objectKey = `logs/region=${region}/account=10000000000${i}/category=audit/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}/tributary-central-logging-${hour}-${i}.gz`;
        const bytes = gzipSync(`{"timestamp":${at},"logGroup":"g","logStream":"s","id":"${hour}${i}","message":"m"}\n`);
        await store.put(objectKey, bytes, {});
        await records.record(chainOf(objectKey)!, at + 60_000 + i, { key: objectKey, size: bytes.length, sha256: sha256Hex(bytes) });
        keys.push(objectKey);
      }
    }
    for (const chain of ['eu-west-1', 'us-east-1']) await writeDigests(ports, chain, at + HOUR_MS, START);
  }
  return { store, key, keys };
}

describe('archive digests and verify', () => {
  it('an untouched archive verifies: 6 digests (empty hours included), 13 objects, no problem', async () => {
    const { store, key } = await archive();
    const report = await verifyArchive(store, key);
    expect(report).toEqual({ digests: 6, objects: 13, problems: [] });
    expect(JSON.parse((await store.get(digestKey('us-east-1', START + HOUR_MS)))!.bytes.toString()).objects).toEqual([]);
  });

  it('a modified object is reported, by key and digest', async () => {
    const { store, key, keys } = await archive();
    const victim = keys[4]!;
    const stored = (await store.get(victim))!;
    await store.put(victim, Buffer.concat([stored.bytes, Buffer.from('x')]), {});
    expect((await verifyArchive(store, key)).problems).toEqual([{ kind: 'object-modified', key: victim, digest: expect.stringMatching(/^digests\/chain=/) }]);
  });

  it('a deleted object is reported', async () => {
    const { store, key, keys } = await archive();
    store.objects.delete(keys[0]!);
    expect((await verifyArchive(store, key)).problems).toEqual([{ kind: 'object-missing', key: keys[0], digest: digestKey('eu-west-1', START) }]);
  });

  it('an inserted object no digest lists is reported', async () => {
    const { store, key } = await archive();
    const forged = 'logs/region=eu-west-1/account=999999999999/category=audit/2026/11/30/11/forged.gz';
    await store.put(forged, gzipSync('{"forged":true}\n'), {});
    expect((await verifyArchive(store, key)).problems).toEqual([{ kind: 'not-digested', key: forged }]);
  });

  it('a digest whose signature does not match is reported, and its chain breaks after it', async () => {
    const { store, key } = await archive();
    const victim = digestKey('eu-west-1', START + HOUR_MS);
    const stored = (await store.get(victim))!;
    const other = (await store.get(digestKey('eu-west-1', START)))!;
    await store.put(victim, stored.bytes, { [SIGNATURE_METADATA]: other.metadata[SIGNATURE_METADATA]! });
    const problems = (await verifyArchive(store, key)).problems;
    expect(problems[0]).toEqual({ kind: 'bad-signature', key: victim });
    expect(problems.filter((p) => p.kind !== 'not-digested')).toEqual([{ kind: 'bad-signature', key: victim }, { kind: 'chain-broken', key: digestKey('eu-west-1', START + 2 * HOUR_MS), detail: expect.stringContaining('a digest is missing') }]);
  });

  it('a digest removed from the middle of the chain is reported as a gap', async () => {
    const { store, key } = await archive();
    const removed = digestKey('eu-west-1', START + HOUR_MS);
    store.objects.delete(removed);
    expect((await verifyArchive(store, key)).problems).toEqual([{ kind: 'chain-broken', key: digestKey('eu-west-1', START + 2 * HOUR_MS), detail: `starts ${new Date(START + 2 * HOUR_MS).toISOString()}, but the digest before it (${digestKey('eu-west-1', START)}) ends ${new Date(START + HOUR_MS).toISOString()}: a digest is missing` }]);
  });

  it('a digest rewritten and re-signed by anyone without the key does not verify', async () => {
    const { store, key } = await archive();
    const victim = digestKey('us-east-1', START);
    const forged = Buffer.from((await store.get(victim))!.bytes.toString().replace(/"objects":\[.*?\]/, '"objects":[]'));
    await store.put(victim, forged, { [SIGNATURE_METADATA]: await new LocalSigningKey().sign(forged) });
    expect((await verifyArchive(store, key)).problems).toContainEqual({ kind: 'bad-signature', key: victim });
  });
});

describe('departure manifests', () => {
  it('list what the archive held of a departed account, signed; a later deletion or change of its history is reported', async () => {
    // Prepare
    const { store, key, keys } = await archive();
    const account = '100000000000';
    const departedAt = START + 3 * HOUR_MS;

    // Act
    const manifestKey = await writeDepartureManifest({ store, signer: key }, account, ['eu-west-1', 'us-east-1'], departedAt, departedAt + 60_000);
    const untouched = await verifyDepartureManifests(store, key);
    store.objects.delete(keys.find((k) => k.includes(`account=${account}`) && k.includes('region=us-east-1'))!);
    const afterDeletion = await verifyDepartureManifests(store, key);

    // Assess
    const manifest = JSON.parse((await store.get(manifestKey))!.bytes.toString());
    expect(manifest.prefixes).toEqual([
      expect.objectContaining({ prefix: `logs/region=eu-west-1/account=${account}/`, objects: 3, firstHour: new Date(START).toISOString(), lastHour: new Date(START + 2 * HOUR_MS).toISOString() }),
      expect.objectContaining({ prefix: `logs/region=us-east-1/account=${account}/`, objects: 2 }),
    ]);
    expect(untouched).toEqual({ manifests: 1, problems: [] });
    expect(afterDeletion.problems).toEqual([{ kind: 'history-changed', key: manifestKey, detail: expect.stringContaining(`logs/region=us-east-1/account=${account}/: 2 objects`) }]);
    expect((await verifyArchive(store, key)).problems).toEqual([expect.objectContaining({ kind: 'object-missing' })]);
  });
});

describe('the departure manifest function', () => {
  it('reads the departed account from AccountDepartedOrganization and CloseAccount as offboard-account does, and refuses any other event', async () => {
    const store = new MemoryArchiveStore();
    const signer = new LocalSigningKey();
    const read = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'events', name), 'utf8'));
    const key = await departureManifest(read('account-departed-organization.json'), { store, signer, regions: ['eu-west-1'], now: () => START });
    expect(key).toMatch(/^digests\/departures\/account=100000000012\//);
    expect(departedAccount(read('close-account.json'))).toBe('100000000012');
    expect(() => departedAccount(read('create-log-group.json'))).toThrow('is not an account departure');
  });
});
