/**
 * Digests and the verifier on real bytes and real signatures (P-256): an untouched archive, and one
 * with a signed key rotation, verify; each attack on the proof is reported as its own problem.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { departedAccount, departureManifest } from '../../tasks/write-departure-manifest';
import { archiveObjectKey, LocalSigningKey, MemoryArchiveStore, simulatedArchive, type SimulatedArchive } from '../../sim/archive';
import { chainFolder, chainOf, digestBytes, digestKey, HOUR_MS, sha256Hex, SIGNATURE_METADATA, storedKeyOf, type Digest } from '../../tasks/lib/archive/digest';
import { verifyArchive, type VerifyOptions } from '../../tasks/lib/archive/verify';
import { writeDepartureManifest } from '../../tasks/lib/archive/departure';
import { matchesEventPattern } from '../../workflows/event-pattern';
import { departurePattern } from '../../workflows/forwarding';
import { DigestKeyChangedError, writeDigests } from '../../tasks/lib/archive/write-digests';

const START = Date.UTC(2026, 10, 30);
const REGIONS = ['eu-west-1', 'us-east-1'];

/** A day in two regions (2 objects an hour each), every chain from its genesis, digested as the writer would. */
const day = (hours = 24) => simulatedArchive({ regions: REGIONS, hours, objectsPerHour: 2, start: START });

/** Verifies as an auditor would right after the last digests: the pinned key, every chain expected, no lag. */
function options(archive: SimulatedArchive, more: Partial<VerifyOptions> = {}): VerifyOptions {
  return { trustedKey: archive.key.fingerprint, chains: archive.chains, now: archive.now, deliveryLagMs: 0, ...more };
}

const digestsOf = (store: MemoryArchiveStore, chain: string) => store.currentKeys(chainFolder(chain)).filter((k) => !k.endsWith('genesis.json'));
const kinds = (report: { problems: ReadonlyArray<{ kind: string }> }) => report.problems.map((p) => p.kind);
const read = async (store: MemoryArchiveStore, key: string) => JSON.parse((await store.get(key))!.bytes.toString()) as Digest;

/** Re-signs `digest` with `signer` under its own key, as a new version: what a writer with the key could do. */
async function resign(store: MemoryArchiveStore, digest: Digest, signer: LocalSigningKey) {
  const bytes = digestBytes(digest);
  const signature = await signer.sign(bytes);
  await store.put(storedKeyOf(digest), bytes, { [SIGNATURE_METADATA]: signature });
  return { key: storedKeyOf(digest), sha256: sha256Hex(bytes), signature };
}

/** A rotation digest right after the stored digest `after`, signed by `signedBy`, naming `key` as the next signer. */
async function rotationAfter(store: MemoryArchiveStore, after: string, signedBy: string, key?: Digest['key']): Promise<Digest> {
  const previous = (await store.get(after))!;
  const { chain, endTime } = JSON.parse(previous.bytes.toString()) as Digest;
  return {
    version: 2,
    kind: 'rotation',
    chain,
    startTime: endTime,
    endTime,
    objects: [],
    previousDigest: { key: after, sha256: sha256Hex(previous.bytes), signature: previous.metadata[SIGNATURE_METADATA]! },
    signedBy,
    ...(key ? { key } : {}),
  };
}

describe('verify: an untouched archive', () => {
  it('proves every chain: 24 hours per chain, 48 objects per region, no problem', async () => {
    const archive = await day();
    const report = await verifyArchive(archive.store, options(archive));
    expect(report.problems).toEqual([]);
    expect(report.digests).toBe(4 * 25);
    expect(report.objects).toBe(96);
    expect(report.chains.map((c) => [c.chain, c.hours, c.objects, c.genesis, c.firstHour, c.lastHour])).toEqual([
      ['eu-west-1', 24, 48, new Date(START).toISOString(), new Date(START).toISOString(), new Date(START + 23 * HOUR_MS).toISOString()],
      ['us-east-1', 24, 48, new Date(START).toISOString(), new Date(START).toISOString(), new Date(START + 23 * HOUR_MS).toISOString()],
      ['errors', 24, 0, new Date(START).toISOString(), new Date(START).toISOString(), new Date(START + 23 * HOUR_MS).toISOString()],
      ['departures', 24, 0, new Date(START).toISOString(), new Date(START).toISOString(), new Date(START + 23 * HOUR_MS).toISOString()],
    ]);
    expect(report.chains[0]!.bytes).toBeGreaterThan(0);
  });

  it('allows the delivery lag: the last hours are not yet expected', async () => {
    const archive = await day();
    const report = await verifyArchive(archive.store, options(archive, { now: archive.now + HOUR_MS, deliveryLagMs: 2 * HOUR_MS }));
    expect(report.problems).toEqual([]);
  });
});

describe('verify: what should exist', () => {
  it.each([1, 3, 12])('the newest %i digests of a chain deleted: tail-missing, naming the hours', async (n) => {
    const archive = await day();
    for (const key of digestsOf(archive.store, 'eu-west-1').slice(-n)) archive.store.destroy(key);
    const report = await verifyArchive(archive.store, options(archive));
    expect(report.problems).toEqual([
      {
        kind: 'tail-missing',
        chain: 'eu-west-1',
        key: digestKey('eu-west-1', START + (24 - n) * HOUR_MS),
        detail: expect.stringContaining(`${n} hour(s) up to ${new Date(START + 24 * HOUR_MS).toISOString()}`),
      },
    ]);
  });

  it.each([1, 3, 12])('the newest %i digests deleted with their objects: tail-missing alone', async (n) => {
    const archive = await day();
    for (const key of digestsOf(archive.store, 'eu-west-1').slice(-n)) archive.store.destroy(key);
    for (const key of archive.store.currentKeys('logs/region=eu-west-1/')) if (Number(key.split('/')[7]) >= 24 - n) archive.store.destroy(key);
    expect(kinds(await verifyArchive(archive.store, options(archive)))).toEqual(['tail-missing']);
  });

  it('a writer that stopped: tail-missing for every hour since', async () => {
    const archive = await day(6);
    const report = await verifyArchive(archive.store, options(archive, { now: archive.now + 18 * HOUR_MS }));
    expect(report.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'tail-missing', chain: 'eu-west-1', detail: expect.stringContaining('18 hour(s)') })]),
    );
    expect(new Set(kinds(report))).toEqual(new Set(['tail-missing']));
    expect(report.problems).toHaveLength(4);
  });

  it('every digest of one region deleted, genesis included: chain-missing, with its unproven objects', async () => {
    const archive = await day();
    for (const key of archive.store.currentKeys(chainFolder('us-east-1'))) archive.store.destroy(key);
    const report = await verifyArchive(archive.store, options(archive));
    expect(report.problems).toEqual([
      {
        kind: 'chain-missing',
        chain: 'us-east-1',
        key: chainFolder('us-east-1'),
        detail: expect.stringContaining('48 object(s) under logs/region=us-east-1/ are unproven'),
      },
    ]);
  });

  it('a genesis deleted: genesis-missing, and nothing of the chain is trusted', async () => {
    const archive = await day();
    archive.store.destroy(`${chainFolder('errors')}genesis.json`);
    const report = await verifyArchive(archive.store, options(archive));
    expect(kinds(report)).toEqual(['genesis-missing']);
    expect(report.chains.find((c) => c.chain === 'errors')!.hours).toBe(0);
  });

  it.each([
    ['starts', { from: START + 6 * HOUR_MS }],
    ['ends', { to: START + 5 * HOUR_MS + 30 * 60_000 }],
  ])('a window that %s inside a gap names the gap', async (_, window) => {
    const archive = await day();
    archive.store.destroy(digestKey('eu-west-1', START + 5 * HOUR_MS));
    const report = await verifyArchive(archive.store, options(archive, window));
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'chain-broken',
        chain: 'eu-west-1',
        key: digestKey('eu-west-1', START + 6 * HOUR_MS),
        detail: expect.stringContaining('a digest is missing'),
      }),
    ]);
  });

  it('a window clear of the gap reports nothing, and counts only its hours', async () => {
    const archive = await day();
    archive.store.destroy(digestKey('eu-west-1', START + 5 * HOUR_MS));
    const report = await verifyArchive(archive.store, options(archive, { from: START + 10 * HOUR_MS, to: START + 12 * HOUR_MS }));
    expect(report.problems).toEqual([]);
    expect(report.chains[0]).toMatchObject({ hours: 2, objects: 4 });
  });
});

describe('verify: where and how often a digest is stored', () => {
  it("the newest digest moved into another chain's folder: tail-missing for its chain, --prefix included, and digest-misplaced where it lies", async () => {
    const archive = await day();
    const newest = digestKey('eu-west-1', START + 23 * HOUR_MS);
    const stored = (await archive.store.get(newest))!;
    archive.store.destroy(newest);
    const moved = `${chainFolder('us-east-1')}2026/11/30/23-copy.json`;
    await archive.store.put(moved, stored.bytes, stored.metadata);
    expect(kinds(await verifyArchive(archive.store, options(archive, { chain: 'eu-west-1' })))).toEqual(['tail-missing']);
    expect((await verifyArchive(archive.store, options(archive))).problems).toEqual([
      expect.objectContaining({ kind: 'tail-missing', chain: 'eu-west-1' }),
      {
        kind: 'digest-misplaced',
        chain: 'us-east-1',
        key: moved,
        detail: `signed as ${newest} (chain eu-west-1, hour ${new Date(START + 23 * HOUR_MS).toISOString()}), stored here`,
      },
    ]);
  });

  it("a digest copied over another hour's key: digest-rewritten and digest-misplaced", async () => {
    const archive = await day();
    const source = (await archive.store.get(digestKey('eu-west-1', START + 3 * HOUR_MS)))!;
    await archive.store.put(digestKey('eu-west-1', START + 4 * HOUR_MS), source.bytes, source.metadata);
    expect(kinds(await verifyArchive(archive.store, options(archive)))).toEqual(['digest-rewritten']);
    archive.store.destroy(digestKey('eu-west-1', START + 4 * HOUR_MS));
    await archive.store.put(digestKey('eu-west-1', START + 4 * HOUR_MS), source.bytes, source.metadata);
    expect(kinds(await verifyArchive(archive.store, options(archive)))).toEqual(['digest-misplaced', 'chain-broken']);
  });

  it('an object overwritten and its digest re-signed as a new version by the real key: digest-rewritten and object-overwritten', async () => {
    const archive = await day();
    const key = digestKey('eu-west-1', START + 23 * HOUR_MS);
    const digest = await read(archive.store, key);
    const victim = digest.objects[0]!;
    const forged = Buffer.from('overwritten');
    const { versionId } = await archive.store.put(victim.key, forged, {});
    await resign(
      archive.store,
      { ...digest, objects: [{ key: victim.key, versionId, size: forged.length, sha256: sha256Hex(forged) }, ...digest.objects.slice(1)] },
      archive.key,
    );
    const report = await verifyArchive(archive.store, options(archive));
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'digest-rewritten', key, detail: expect.stringContaining('2 version(s)') }),
      {
        kind: 'object-overwritten',
        chain: 'eu-west-1',
        key: victim.key,
        detail: `version ${versionId} replaces version ${victim.versionId}, which ${key} lists`,
      },
    ]);
  });

  it('a digest deleted behind a delete marker is a rewrite, and still verified from its version', async () => {
    const archive = await day();
    archive.store.delete(digestKey('us-east-1', START + 2 * HOUR_MS));
    expect((await verifyArchive(archive.store, options(archive))).problems).toEqual([
      expect.objectContaining({ kind: 'digest-rewritten', detail: expect.stringContaining('1 delete marker(s)') }),
    ]);
  });
});

describe('verify: pinned trust', () => {
  it('a whole chain re-signed with another key, genesis and links included: untrusted-key, whatever an alias names', async () => {
    const archive = await day();
    const other = new LocalSigningKey('attacker');
    let link: { key: string; sha256: string; signature: string } | null = null;
    const genesis = `${chainFolder('eu-west-1')}genesis.json`;
    for (const key of [genesis, ...digestsOf(archive.store, 'eu-west-1')]) {
      const digest = await read(archive.store, key);
      // Not as new versions (the first would still be verified): as in a bucket emptied and refilled.
      archive.store.destroy(key);
      link = await resign(
        archive.store,
        { ...digest, previousDigest: link, signedBy: other.fingerprint, ...(digest.kind === 'genesis' ? { key: await other.identity() } : {}) },
        other,
      );
    }
    const report = await verifyArchive(archive.store, options(archive, { chain: 'eu-west-1' }));
    expect(kinds(report)).toEqual(['untrusted-key']);
    expect(report.problems.find((p) => p.kind === 'untrusted-key')!.detail).toContain(
      `key ${other.fingerprint} (arn:aws:kms:local:000000000000:key/attacker), not the trusted ${archive.key.fingerprint}`,
    );
    // Trusting the attacker's key is the one way to accept it: the fingerprint is the only input of trust.
    expect(kinds(await verifyArchive(archive.store, options(archive, { chain: 'eu-west-1', trustedKey: other.fingerprint })))).toEqual([]);
  });

  it('a chain the config does not call for is verified too: a forged one is untrusted', async () => {
    const archive = await day();
    const attacker = new LocalSigningKey('attacker');
    const at = new Date(START).toISOString();
    await resign(
      archive.store,
      {
        version: 2,
        kind: 'genesis',
        chain: 'ap-south-1',
        startTime: at,
        endTime: at,
        objects: [],
        previousDigest: null,
        signedBy: attacker.fingerprint,
        key: await attacker.identity(),
      },
      attacker,
    );
    const report = await verifyArchive(archive.store, options(archive));
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'untrusted-key', chain: 'ap-south-1' })]);
  });

  it('a signed key rotation verifies: the old key hands trust to the new one', async () => {
    // Prepare: 12 hours with the first key, then the writer gets a new key and the old one as previous.
    const archive = await simulatedArchive({ regions: ['eu-west-1'], hours: 12, objectsPerHour: 2, start: START });
    const next = new LocalSigningKey('next');
    const ports = { store: archive.store, records: archive.records, heads: archive.heads, signer: next };
    await expect(writeDigests(ports, 'eu-west-1', archive.now + HOUR_MS, START)).rejects.toThrow(DigestKeyChangedError);

    // Act
    for (let hour = 12; hour < 24; hour++) {
      const at = START + hour * HOUR_MS;
      const key = archiveObjectKey('eu-west-1', '100000000001', at, `late-${hour}.gz`);
      const bytes = gzipSync(`{"hour":${hour}}\n`);
      const { versionId } = await archive.store.put(key, bytes, {});
      await archive.records.record(chainOf(key)!, at + 1_000, { key, versionId, size: bytes.length, sha256: sha256Hex(bytes) });
      for (const chain of archive.chains) await writeDigests({ ...ports, previousSigner: archive.key }, chain, at + HOUR_MS + 600_000, START);
    }
    const now = START + 24 * HOUR_MS + 600_000;

    // Assess
    const report = await verifyArchive(archive.store, options(archive, { now }));
    expect(report.problems).toEqual([]);
    expect(report.chains[0]).toMatchObject({ chain: 'eu-west-1', hours: 24, objects: 36 });
    expect(archive.store.currentKeys(chainFolder('eu-west-1')).filter((k) => k.endsWith('-rotation.json'))).toEqual([
      `${chainFolder('eu-west-1')}2026/11/30/12-rotation.json`,
    ]);
  });

  it('a rotation signed by the new key itself is refused: bad-signature, and nothing after it is trusted', async () => {
    const archive = await simulatedArchive({ regions: ['eu-west-1'], hours: 12, objectsPerHour: 1, start: START });
    const next = new LocalSigningKey('next');
    const head = (await archive.heads.head('eu-west-1'))!;
    await resign(archive.store, await rotationAfter(archive.store, head.key, next.fingerprint, await next.identity()), next);
    expect(kinds(await verifyArchive(archive.store, options(archive, { chain: 'eu-west-1' })))).toEqual(['bad-signature']);
  });
});

describe('verify: objects', () => {
  it('a modified object is reported, by key and digest', async () => {
    const archive = await day();
    const victim = archive.store.currentKeys('logs/region=us-east-1/')[4]!;
    archive.store.destroy(victim);
    await archive.store.put(victim, gzipSync('changed'), {});
    const report = await verifyArchive(archive.store, options(archive));
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'object-missing', key: victim }),
      expect.objectContaining({ kind: 'object-overwritten', key: victim }),
    ]);
  });

  it('an object changed in place (a store without versions) is object-modified', async () => {
    const archive = await day();
    const victim = archive.store.currentKeys('logs/region=us-east-1/')[4]!;
    let digestName = '';
    let entry: Digest['objects'][number] | undefined;
    for (const key of digestsOf(archive.store, 'us-east-1')) {
      entry ??= (await read(archive.store, key)).objects.find((o) => o.key === victim);
      if (entry && !digestName) digestName = key;
    }
    const stored = (await archive.store.get(victim, entry!.versionId))!;
    (stored.bytes as Buffer).write('x', 0);
    expect((await verifyArchive(archive.store, options(archive))).problems).toEqual([
      { kind: 'object-modified', chain: 'us-east-1', key: victim, detail: expect.stringContaining(`listed in ${digestName}`) },
    ]);
  });

  it('a deleted object is reported, behind a delete marker or gone entirely', async () => {
    const archive = await day();
    const [first, second] = archive.store.currentKeys('logs/region=eu-west-1/');
    archive.store.delete(first!);
    archive.store.destroy(second!);
    const problems = (await verifyArchive(archive.store, options(archive))).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'object-missing', key: first, detail: expect.stringContaining('a delete marker hides') }),
        expect.objectContaining({ kind: 'object-missing', key: second }),
      ]),
    );
    expect(problems).toHaveLength(2);
  });

  it('an inserted object no digest lists is reported', async () => {
    const archive = await day();
    const forged = archiveObjectKey('eu-west-1', '999999999999', START + 11 * HOUR_MS, 'forged.gz');
    await archive.store.put(forged, gzipSync('{"forged":true}\n'), {});
    expect((await verifyArchive(archive.store, options(archive))).problems).toEqual([
      { kind: 'not-digested', chain: 'eu-west-1', key: forged, detail: 'no digest lists it' },
    ]);
  });

  it('a digest whose signature does not match is reported, and its chain breaks after it', async () => {
    const archive = await day();
    const victim = digestKey('eu-west-1', START + HOUR_MS);
    const stored = (await archive.store.get(victim))!;
    const other = (await archive.store.get(digestKey('eu-west-1', START)))!;
    archive.store.destroy(victim);
    await archive.store.put(victim, stored.bytes, { [SIGNATURE_METADATA]: other.metadata[SIGNATURE_METADATA]! });
    expect((await verifyArchive(archive.store, options(archive))).problems).toEqual([
      expect.objectContaining({ kind: 'bad-signature', key: victim, detail: 'the signature does not match the digest' }),
      expect.objectContaining({
        kind: 'chain-broken',
        key: digestKey('eu-west-1', START + 2 * HOUR_MS),
        detail: expect.stringContaining('a digest is missing'),
      }),
    ]);
  });

  it('a digest rewritten and re-signed by anyone without the key does not verify', async () => {
    const archive = await day();
    const victim = digestKey('us-east-1', START);
    const digest = await read(archive.store, victim);
    archive.store.destroy(victim);
    await resign(archive.store, { ...digest, objects: [] }, new LocalSigningKey());
    expect((await verifyArchive(archive.store, options(archive))).problems).toContainEqual(expect.objectContaining({ kind: 'bad-signature', key: victim }));
  });
});

describe('departure manifests', () => {
  it('list what the archive held of a departed account, signed and digested; a later deletion of its history, or of the manifest, is reported', async () => {
    // Prepare
    const archive = await day(3);
    const account = '100000000001';
    const departedAt = START + 3 * HOUR_MS;

    // Act
    const manifestKey = await writeDepartureManifest({ store: archive.store, signer: archive.key }, account, REGIONS, departedAt, departedAt + 60_000);
    const { versionId } = (await archive.store.get(manifestKey))!;
    const bytes = (await archive.store.get(manifestKey))!.bytes;
    await archive.records.record('departures', departedAt + 60_000, { key: manifestKey, versionId: versionId!, size: bytes.length, sha256: sha256Hex(bytes) });
    for (const chain of archive.chains)
      await writeDigests(
        { store: archive.store, records: archive.records, heads: archive.heads, signer: archive.key },
        chain,
        departedAt + HOUR_MS + 600_000,
        START,
      );
    const now = departedAt + HOUR_MS + 600_000;
    const untouched = await verifyArchive(archive.store, options(archive, { now }));
    const victim = archive.store.currentKeys(`logs/region=us-east-1/account=${account}/`)[0]!;
    archive.store.destroy(victim);
    const afterDeletion = await verifyArchive(archive.store, options(archive, { now }));
    archive.store.destroy(manifestKey);
    const afterManifestDeletion = await verifyArchive(archive.store, options(archive, { now }));

    // Assess
    const manifest = JSON.parse(bytes.toString());
    expect(manifest.prefixes).toEqual([
      expect.objectContaining({
        prefix: `logs/region=eu-west-1/account=${account}/`,
        objects: 3,
        firstHour: new Date(START).toISOString(),
        lastHour: new Date(START + 2 * HOUR_MS).toISOString(),
      }),
      expect.objectContaining({ prefix: `logs/region=us-east-1/account=${account}/`, objects: 3 }),
    ]);
    expect(untouched.problems).toEqual([]);
    expect(untouched.chains.find((c) => c.chain === 'departures')!.objects).toBe(1);
    expect(kinds(afterDeletion).sort()).toEqual(['history-changed', 'object-missing']);
    expect(afterDeletion.problems).toContainEqual({
      kind: 'history-changed',
      chain: 'departures',
      key: manifestKey,
      detail: expect.stringContaining(`logs/region=us-east-1/account=${account}/: 3 objects`),
    });
    expect(afterManifestDeletion.problems).toContainEqual(expect.objectContaining({ kind: 'object-missing', chain: 'departures', key: manifestKey }));
  });
});

describe('the departure manifest function', () => {
  it('reads the departed account from AccountDepartedOrganization and CloseAccount as offboard-account does, and refuses any other event', async () => {
    const store = new MemoryArchiveStore();
    const signer = new LocalSigningKey();
    const event = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'events', name), 'utf8'));
    const key = await departureManifest(event('account-departed-organization.json'), { store, signer, regions: ['eu-west-1'], now: () => START });
    expect(key).toMatch(/^digests\/departures\/account=100000000012\//);
    expect(departedAccount(event('close-account.json'))).toBe('100000000012');
    expect(() => departedAccount(event('create-log-group.json'))).toThrow('is not an account departure');
  });

  it('accepts exactly the events the departure rule delivers (offboard-account triggers), whatever an attacker sends', () => {
    const event = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'events', name), 'utf8'));
    const close = event('close-account.json');
    const departed = event('account-departed-organization.json');
    const candidates: unknown[] = [
      close,
      departed,
      event('create-log-group.json'),
      event('account-joined-organization.json'),
      { ...close, detail: { ...close.detail, errorCode: 'AccessDenied' } },
      { ...close, source: 'aws.logs' },
      { ...close, 'detail-type': 'AWS Service Event via CloudTrail' },
      { ...departed, 'detail-type': 'AWS API Call via CloudTrail' },
      { ...departed, detail: { ...departed.detail, eventName: 'closeaccount' } },
      { ...close, detail: null },
      null,
      'CloseAccount',
    ];
    const pattern = departurePattern(close.account);
    for (const candidate of candidates) {
      const delivered = matchesEventPattern(pattern, candidate);
      const accepted = (() => {
        try {
          departedAccount(candidate);
          return true;
        } catch (e) {
          return !String(e).includes('is not an account departure');
        }
      })();
      expect({ candidate, accepted }).toEqual({ candidate, accepted: delivered });
    }
  });
});

describe('verify: the link from each digest to its predecessor', () => {
  const hourKey = (_archive: SimulatedArchive, hour: number) => digestKey('eu-west-1', START + hour * HOUR_MS);

  it('breaks the chain at a digest, validly signed, that names another predecessor than the one stored', async () => {
    // Prepare: hour 5 re-signed with the trusted key, its link's hash changed
    const archive = await day(8);
    const digest = await read(archive.store, hourKey(archive, 5));
    archive.store.destroy(hourKey(archive, 5));
    await resign(archive.store, { ...digest, previousDigest: { ...digest.previousDigest!, sha256: '0'.repeat(64) } }, archive.key);

    // Act
    const report = await verifyArchive(archive.store, options(archive, { chains: ['eu-west-1'] }));

    // Assess
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: 'chain-broken',
        chain: 'eu-west-1',
        key: hourKey(archive, 5),
        detail: `names ${hourKey(archive, 4)} as its predecessor, not ${hourKey(archive, 4)} as stored`,
      }),
    );
  });

  it.each([
    ['key', (link: NonNullable<Digest['previousDigest']>) => ({ ...link, key: link.key.replace('/04.json', '/03.json') })],
    ['signature', (link: NonNullable<Digest['previousDigest']>) => ({ ...link, signature: 'AAAA' })],
  ])("breaks the chain when only the link's %s differs", async (_, change) => {
    const archive = await day(8);
    const digest = await read(archive.store, hourKey(archive, 5));
    archive.store.destroy(hourKey(archive, 5));
    await resign(archive.store, { ...digest, previousDigest: change(digest.previousDigest!) }, archive.key);
    const report = await verifyArchive(archive.store, options(archive, { chains: ['eu-west-1'] }));
    // The next digest's link names the bytes that were replaced: it breaks too.
    expect(report.problems.filter((p) => p.kind === 'chain-broken').map((p) => p.key)).toEqual([hourKey(archive, 5), hourKey(archive, 6)]);
  });

  it('breaks the chain at an hour digest that names no predecessor', async () => {
    const archive = await day(8);
    const digest = await read(archive.store, hourKey(archive, 5));
    archive.store.destroy(hourKey(archive, 5));
    await resign(archive.store, { ...digest, previousDigest: null }, archive.key);
    const report = await verifyArchive(archive.store, options(archive, { chains: ['eu-west-1'] }));
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: 'chain-broken',
        key: hourKey(archive, 5),
        detail: `names no digest as its predecessor, not ${hourKey(archive, 4)} as stored`,
      }),
    );
  });

  it('breaks the chain at a genesis that names a predecessor', async () => {
    const archive = await day(4);
    const genesisKey = `${chainFolder('eu-west-1')}genesis.json`;
    const genesis = await read(archive.store, genesisKey);
    archive.store.destroy(genesisKey);
    await resign(
      archive.store,
      { ...genesis, previousDigest: { key: 'digests/chain=eu-west-1/older.json', sha256: '0'.repeat(64), signature: '' } },
      archive.key,
    );
    const report = await verifyArchive(archive.store, options(archive, { chains: ['eu-west-1'] }));
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: 'chain-broken',
        key: genesisKey,
        detail: 'the genesis digest names digests/chain=eu-west-1/older.json as its predecessor',
      }),
    );
  });

  it('trusts nothing that follows a genesis whose signature fails, and says why', async () => {
    // Prepare: the genesis's bytes edited, its key kept
    const archive = await day(3);
    const genesisKey = `${chainFolder('eu-west-1')}genesis.json`;
    const stored = (await archive.store.get(genesisKey))!;
    archive.store.destroy(genesisKey);
    await archive.store.put(genesisKey, Buffer.from(stored.bytes.toString('utf8').replace('"objects":[]', '"objects":[] ')), stored.metadata);

    // Act
    const report = await verifyArchive(archive.store, options(archive, { chains: ['eu-west-1'] }));

    // Assess
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'bad-signature', key: genesisKey, detail: 'the signature does not match the digest' }),
    );
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'chain-broken', key: hourKey(archive, 0), detail: `follows ${genesisKey}, which failed its check` }),
    );
  });

  it('reports a stored file that is not a digest, over the hour its key names', async () => {
    const archive = await day(4);
    archive.store.destroy(hourKey(archive, 2));
    await archive.store.put(hourKey(archive, 2), Buffer.from('{"version":2,"kind":"hour"'), {});
    const report = await verifyArchive(archive.store, options(archive, { chains: ['eu-west-1'] }));
    expect(report.problems).toContainEqual({ kind: 'bad-signature', chain: 'eu-west-1', key: hourKey(archive, 2), detail: 'not a digest' });
  });

  it('trusts nothing after a rotation whose new key does not match its fingerprint', async () => {
    // Prepare: a rotation at hour 2 signed by the trusted key, naming a key whose bytes are another's
    const archive = await day(4);
    const next = new LocalSigningKey('next');
    const other = new LocalSigningKey('other');
    const key = { ...(await next.identity()), publicKey: (await other.identity()).publicKey };
    await resign(archive.store, await rotationAfter(archive.store, hourKey(archive, 1), archive.key.fingerprint, key), archive.key);

    // Act
    const report = await verifyArchive(archive.store, options(archive, { chains: ['eu-west-1'] }));

    // Assess
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: 'untrusted-key',
        key: hourKey(archive, 2).replace('.json', '-rotation.json'),
        detail: 'a rotation digest whose new key does not match its fingerprint: no digest after it is trusted',
      }),
    );
  });

  it('says which chain it is on, counting from one', async () => {
    const archive = await day(2);
    const seen: Array<[number, number, string]> = [];
    await verifyArchive(archive.store, options(archive, { onChain: (i, n, chain) => seen.push([i, n, chain]) }));
    expect(seen.map(([i, n]) => [i, n])).toEqual(archive.chains.map((_, i) => [i + 1, archive.chains.length]));
  });
});

describe('verify: a window selects the problems of its hours', () => {
  const H = 10;
  const objectOf = (archive: SimulatedArchive, hour: number) =>
    archive.store.currentKeys('logs/region=eu-west-1/').find((k) => k.includes(`/2026/11/30/${String(hour).padStart(2, '0')}/`))!;
  type Tamper = (archive: SimulatedArchive) => Promise<string>;
  /** A change to the first object of hour H; answers its key. */
  const onObject =
    (change: (store: MemoryArchiveStore, key: string) => unknown): Tamper =>
    async (archive) => {
      const key = objectOf(archive, H);
      await change(archive.store, key);
      return key;
    };
  const cases: Array<[string, string, Tamper]> = [
    ['object-missing', 'an object destroyed', onObject((store, key) => store.destroy(key))],
    ['object-missing', 'an object behind a delete marker', onObject((store, key) => store.delete(key))],
    ['object-overwritten', 'an object with a newer version', onObject((store, key) => store.put(key, gzipSync('newer'), {}))],
    [
      'not-digested',
      'an object no digest lists',
      async (archive) => {
        const key = archiveObjectKey('eu-west-1', '999999999999', START + H * HOUR_MS, 'forged.gz');
        await archive.store.put(key, gzipSync('{}\n'), {});
        return key;
      },
    ],
    [
      'digest-rewritten',
      'a second version of a digest',
      async (archive) => {
        const key = digestKey('eu-west-1', START + H * HOUR_MS);
        const stored = (await archive.store.get(key))!;
        await archive.store.put(key, stored.bytes, stored.metadata);
        return key;
      },
    ],
    [
      'bad-signature',
      'a file that is not a digest',
      async (archive) => {
        const key = digestKey('eu-west-1', START + H * HOUR_MS);
        archive.store.destroy(key);
        await archive.store.put(key, Buffer.from('[]'), {});
        return key;
      },
    ],
  ];

  it.each(cases)('%s (%s): reported in a window of its hour, in the summary too, and in no window beside it', async (kind, _, tamper) => {
    // Prepare
    const archive = await day();
    const key = await tamper(archive);
    const inWindow = (from: number, to: number) =>
      verifyArchive(archive.store, options(archive, { chain: 'eu-west-1', from: START + from * HOUR_MS, to: START + to * HOUR_MS }));

    // Act
    const [before, during, after] = await Promise.all([inWindow(H - 1, H), inWindow(H, H + 1), inWindow(H + 1, H + 2)]);

    // Assess
    const named = (report: Awaited<ReturnType<typeof inWindow>>) => report.problems.filter((p) => p.key === key && p.kind === kind);
    expect(named(during)).toHaveLength(1);
    expect(during.chains[0]!.problems[kind as keyof (typeof during.chains)[0]['problems']]).toBe(during.problems.filter((p) => p.kind === kind).length);
    expect(named(before)).toEqual([]);
    expect(named(after)).toEqual([]);
    expect(before.chains[0]!.problems[kind as keyof (typeof before.chains)[0]['problems']]).toBeUndefined();
  });

  it('summarizes the hours, objects and bytes proven in the window, and lists the intact objects no problem names', async () => {
    // Prepare: one object of hour 3 modified
    const archive = await day(6);
    const victim = objectOf(archive, 3);
    archive.store.destroy(victim);

    // Act
    const report = await verifyArchive(
      archive.store,
      options(archive, { chain: 'eu-west-1', from: START + 2 * HOUR_MS, to: START + 5 * HOUR_MS, listProven: true }),
    );

    // Assess
    expect(report.chains).toEqual([
      expect.objectContaining({
        chain: 'eu-west-1',
        genesis: new Date(START).toISOString(),
        firstHour: new Date(START + 2 * HOUR_MS).toISOString(),
        lastHour: new Date(START + 4 * HOUR_MS).toISOString(),
        hours: 3,
        objects: 6,
        problems: { 'object-missing': 1 },
      }),
    ]);
    expect(report.chains[0]!.bytes).toBeGreaterThan(0);
    expect(report.digests).toBe(3);
    expect(report.proven!.map((o) => o.hour)).toEqual([2, 2, 3, 4, 4].map((h) => START + h * HOUR_MS));
    expect(report.proven!.map((o) => o.key)).not.toContain(victim);
    expect(report.proven!.every((o) => o.chain === 'eu-west-1' && o.size > 0 && o.sha256.length === 64 && o.versionId !== undefined)).toBe(true);
  });

  it('waits two hours of delivery lag by default before an hour must have its digest', async () => {
    const archive = await day(6);
    const late = await verifyArchive(archive.store, { trustedKey: archive.key.fingerprint, chains: archive.chains, now: archive.now + 2 * HOUR_MS - 1 });
    const due = await verifyArchive(archive.store, { trustedKey: archive.key.fingerprint, chains: archive.chains, now: archive.now + 3 * HOUR_MS });
    expect(kinds(late)).toEqual([]);
    expect(kinds(due)).toContain('tail-missing');
    expect(due.problems.find((p) => p.kind === 'tail-missing')!.detail).toContain('(now less the 2 h delivery lag)');
  });
});

describe('verify: forged digests, each signed by the trusted key', () => {
  const key = (hour: number) => digestKey('eu-west-1', START + hour * HOUR_MS);
  const only = (archive: SimulatedArchive, more: Partial<VerifyOptions> = {}) =>
    verifyArchive(archive.store, options(archive, { chain: 'eu-west-1', ...more }));

  it.each([
    ['of another version', { version: 3 }],
    ['of an unknown kind', { kind: 'minute' }],
    ['without a chain', { chain: 7 }],
    ['with a start that is no time', { startTime: 'soon' }],
    ['with an end that is no time', { endTime: 'later' }],
    ['without a list of objects', { objects: 'all' }],
  ])('a digest %s is not a digest', async (_, change) => {
    // Prepare
    const archive = await day(4);
    const digest = await read(archive.store, key(2));
    archive.store.destroy(key(2));
    const bytes = Buffer.from(JSON.stringify({ ...digest, ...change }));
    await archive.store.put(key(2), bytes, { [SIGNATURE_METADATA]: await archive.key.sign(bytes) });

    // Act
    const report = await only(archive);

    // Assess
    expect(report.problems).toContainEqual({ kind: 'bad-signature', chain: 'eu-west-1', key: key(2), detail: 'not a digest' });
  });

  it('a digest that names another signer than the one that signed it', async () => {
    const archive = await day(4);
    const digest = await read(archive.store, key(2));
    archive.store.destroy(key(2));
    await resign(archive.store, { ...digest, signedBy: 'e'.repeat(64) }, archive.key);
    expect((await only(archive)).problems).toContainEqual({
      kind: 'bad-signature',
      chain: 'eu-west-1',
      key: key(2),
      detail: `signed by key ${'e'.repeat(64)}, not the trusted ${archive.key.fingerprint}`,
    });
  });

  it('a genesis that names no key: untrusted, and saying so', async () => {
    const archive = await day(2);
    const genesisKey = `${chainFolder('eu-west-1')}genesis.json`;
    const { key: _key, ...genesis } = await read(archive.store, genesisKey);
    archive.store.destroy(genesisKey);
    await resign(archive.store, genesis, archive.key);
    expect((await only(archive)).problems).toContainEqual({
      kind: 'untrusted-key',
      chain: 'eu-west-1',
      key: genesisKey,
      detail: `the chain starts with key none, not the trusted ${archive.key.fingerprint}: no digest of it is trusted`,
    });
  });

  it('a rotation that names no new key: nothing after it is trusted', async () => {
    const archive = await day(4);
    await resign(archive.store, await rotationAfter(archive.store, key(1), archive.key.fingerprint), archive.key);
    expect(kinds(await only(archive))).toContain('untrusted-key');
  });

  it('a genesis deleted: the problem names where it belongs and why nothing is trusted', async () => {
    const archive = await day(2);
    archive.store.destroy(`${chainFolder('eu-west-1')}genesis.json`);
    expect((await only(archive)).problems).toContainEqual({
      kind: 'genesis-missing',
      chain: 'eu-west-1',
      key: `${chainFolder('eu-west-1')}genesis.json`,
      detail: "no genesis digest: the chain's start and key cannot be proven, and no digest of it is trusted",
    });
  });

  it('ignores a file in a digest folder that is not JSON, and names the versions of a rewritten digest', async () => {
    const archive = await day(4);
    await archive.store.put(`${chainFolder('eu-west-1')}README.txt`, Buffer.from('notes'), {});
    const stored = (await archive.store.get(key(2)))!;
    await archive.store.put(key(2), stored.bytes, stored.metadata);
    archive.store.delete(key(2));
    expect((await only(archive)).problems).toEqual([
      {
        kind: 'digest-rewritten',
        chain: 'eu-west-1',
        key: key(2),
        detail: '2 version(s) and 1 delete marker(s): a digest is written once; its first version is the one verified',
      },
    ]);
  });
});

describe('verify: objects no digest lists', () => {
  const only = (archive: SimulatedArchive, more: Partial<VerifyOptions> = {}) =>
    verifyArchive(archive.store, options(archive, { chain: 'eu-west-1', ...more }));
  const forged = (hour: number, name = 'forged.gz') => archiveObjectKey('eu-west-1', '999999999999', START + hour * HOUR_MS, name);

  it('reports none that is behind a delete marker, names no hour, came before the genesis, or may still be on its way', async () => {
    // Prepare
    const archive = await day(6);
    await archive.store.put(forged(2, 'hidden.gz'), gzipSync('{}'), {});
    archive.store.delete(forged(2, 'hidden.gz'));
    await archive.store.put('logs/region=eu-west-1/account=999999999999/no-hour.gz', gzipSync('{}'), {});
    await archive.store.put(forged(-3), gzipSync('{}'), {});
    await archive.store.put(forged(5), gzipSync('{}'), {});

    // Act
    const report = await only(archive, { deliveryLagMs: HOUR_MS });

    // Assess
    expect(report.problems).toEqual([]);
  });

  it('reports one of a proven hour past the lag, and lists no object a problem names among the proven', async () => {
    // Prepare: one object of hour 2 overwritten (its listed version intact), one forged in hour 3
    const archive = await day(6);
    const victim = archive.store.currentKeys('logs/region=eu-west-1/').find((k) => k.includes('/2026/11/30/02/'))!;
    await archive.store.put(victim, gzipSync('newer'), {});
    await archive.store.put(forged(3), gzipSync('{}'), {});

    // Act
    const report = await only(archive, { deliveryLagMs: HOUR_MS, listProven: true });

    // Assess
    expect(kinds(report).sort()).toEqual(['not-digested', 'object-overwritten']);
    expect(report.proven!.map((o) => o.key)).not.toContain(victim);
    expect(report.proven!).toHaveLength(6 * 2 - 1);
  });

  it('names the version a missing object was listed with', async () => {
    const archive = await day(3);
    const victim = archive.store.currentKeys('logs/region=eu-west-1/')[0]!;
    archive.store.destroy(victim);
    const problem = (await only(archive)).problems.find((p) => p.key === victim)!;
    expect(problem.detail).toMatch(new RegExp(`^listed in ${chainFolder('eu-west-1')}2026/11/30/\\d\\d\\.json \\(version \\d+\\)$`));
  });
});
