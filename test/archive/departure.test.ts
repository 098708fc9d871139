/**
 * Departure manifests on their own: what a manifest records of an account's prefixes (objects,
 * bytes, first and last hour, the list hash), only up to the hour it left, and what the check
 * finds when someone forged, re-signed, truncated or padded the history afterwards.
 */
import { createHash } from 'crypto';
import { archiveObjectKey, LocalSigningKey, MemoryArchiveStore } from '../../sim/archive';
import { checkDepartureManifest, writeDepartureManifest, type DepartureManifest } from '../../tasks/lib/archive/departure';
import { HOUR_MS, SIGNATURE_METADATA } from '../../tasks/lib/archive/digest';

const START = Date.UTC(2026, 10, 30);
const ACCOUNT = '100000000012';
const DEPARTED = START + 3 * HOUR_MS + 1_800_000;

async function archiveOf(hours: number[], sizes: (hour: number) => number = () => 10) {
  const store = new MemoryArchiveStore();
  const signer = new LocalSigningKey('archive');
  for (const hour of hours) {
    const key = archiveObjectKey('eu-west-1', ACCOUNT, START + hour * HOUR_MS, `part-${hour}.gz`);
    await store.put(key, Buffer.alloc(sizes(hour), 1), {});
  }
  const trusted = new Map([[signer.fingerprint, signer.publicKey]]);
  return { store, signer, trusted };
}

const read = async (store: MemoryArchiveStore, key: string) => JSON.parse((await store.get(key))!.bytes.toString('utf8')) as DepartureManifest;

describe('writeDepartureManifest', () => {
  it('records each prefix up to the hour the account left: objects, bytes, first and last hour, the hash of its key list', async () => {
    // Prepare: hours 0, 1 and 3 before the departure, 5 after it; sizes that differ per hour
    const { store, signer } = await archiveOf([3, 0, 1, 5], (hour) => 10 + hour);

    // Act
    const key = await writeDepartureManifest({ store, signer }, ACCOUNT, ['eu-west-1', 'us-east-1'], DEPARTED, DEPARTED + 60_000);
    const manifest = await read(store, key);

    // Assess
    const kept = [0, 1, 3].map((hour) => ({ key: archiveObjectKey('eu-west-1', ACCOUNT, START + hour * HOUR_MS, `part-${hour}.gz`), size: 10 + hour }));
    const listSha256 = createHash('sha256')
      .update(kept.map((o) => `${o.key} ${o.size}\n`).join(''))
      .digest('hex');
    expect(key).toBe(`digests/departures/account=${ACCOUNT}/${new Date(DEPARTED).toISOString()}.json`);
    expect((await store.get(key))!.bytes.toString('utf8').endsWith('}\n')).toBe(true);
    expect(manifest).toEqual({
      version: 2,
      account: ACCOUNT,
      departedAt: new Date(DEPARTED).toISOString(),
      writtenAt: new Date(DEPARTED + 60_000).toISOString(),
      signedBy: signer.fingerprint,
      prefixes: [
        {
          prefix: `logs/region=eu-west-1/account=${ACCOUNT}/`,
          objects: 3,
          bytes: 10 + 11 + 13,
          firstHour: new Date(START).toISOString(),
          lastHour: new Date(START + 3 * HOUR_MS).toISOString(),
          listSha256,
        },
        {
          prefix: `logs/region=us-east-1/account=${ACCOUNT}/`,
          objects: 0,
          bytes: 0,
          firstHour: null,
          lastHour: null,
          listSha256: createHash('sha256').digest('hex'),
        },
      ],
    });
  });

  it('counts the objects of the hour the account left in, when it left on the hour', async () => {
    const { store, signer } = await archiveOf([2, 3, 4]);
    const manifest = await read(store, await writeDepartureManifest({ store, signer }, ACCOUNT, ['eu-west-1'], START + 3 * HOUR_MS, START + 3 * HOUR_MS));
    expect(manifest.prefixes[0]).toMatchObject({ objects: 2, lastHour: new Date(START + 3 * HOUR_MS).toISOString() });
  });

  it('counts an object whose key names no hour, without a first or last hour for it', async () => {
    const { store, signer } = await archiveOf([]);
    await store.put(`logs/region=eu-west-1/account=${ACCOUNT}/manifest.json`, Buffer.alloc(7), {});
    const manifest = await read(store, await writeDepartureManifest({ store, signer }, ACCOUNT, ['eu-west-1'], DEPARTED, DEPARTED));
    expect(manifest.prefixes[0]).toMatchObject({ objects: 1, bytes: 7, firstHour: null, lastHour: null });
  });
});

describe('checkDepartureManifest', () => {
  async function written() {
    const archive = await archiveOf([0, 1, 2]);
    const key = await writeDepartureManifest(archive, ACCOUNT, ['eu-west-1'], DEPARTED, DEPARTED);
    return { ...archive, key };
  }

  it('finds nothing wrong with an untouched history, nor with objects that arrived after the departure', async () => {
    const { store, trusted, key } = await written();
    await store.put(archiveObjectKey('eu-west-1', ACCOUNT, START + 6 * HOUR_MS, 'late.gz'), Buffer.alloc(3), {});
    expect(await checkDepartureManifest(store, key, trusted)).toEqual([]);
  });

  it('has nothing to check when the manifest is not there (the chain that digests it reports it missing)', async () => {
    const { store, trusted } = await written();
    expect(await checkDepartureManifest(store, 'digests/departures/account=1/none.json', trusted)).toEqual([]);
  });

  it.each([
    ['an object deleted', async (store: MemoryArchiveStore) => store.delete(archiveObjectKey('eu-west-1', ACCOUNT, START + HOUR_MS, 'part-1.gz'))],
    [
      'an object added back in time',
      async (store: MemoryArchiveStore) => void (await store.put(archiveObjectKey('eu-west-1', ACCOUNT, START, 'forged.gz'), Buffer.alloc(10), {})),
    ],
    [
      'an object rewritten with other bytes of another size',
      async (store: MemoryArchiveStore) => void (await store.put(archiveObjectKey('eu-west-1', ACCOUNT, START, 'part-0.gz'), Buffer.alloc(11), {})),
    ],
    [
      'an object renamed, same count and bytes',
      async (store: MemoryArchiveStore) => {
        store.delete(archiveObjectKey('eu-west-1', ACCOUNT, START, 'part-0.gz'));
        await store.put(archiveObjectKey('eu-west-1', ACCOUNT, START, 'part-0-renamed.gz'), Buffer.alloc(10, 1), {});
      },
    ],
  ])('reports history-changed for %s, with what the prefix held then and holds now', async (_, tamper) => {
    // Prepare
    const { store, trusted, key } = await written();
    await tamper(store);

    // Act
    const problems = await checkDepartureManifest(store, key, trusted);

    // Assess
    expect(problems).toEqual([
      {
        kind: 'history-changed',
        key,
        detail: expect.stringMatching(
          new RegExp(`^logs/region=eu-west-1/account=${ACCOUNT}/: 3 objects \\(30 bytes\\) when ${ACCOUNT} left, \\d+ \\(\\d+ bytes\\) now$`),
        ),
      },
    ]);
  });

  it('refuses a manifest edited after it was signed', async () => {
    const { store, trusted, key } = await written();
    const stored = (await store.get(key))!;
    const edited = Buffer.from(stored.bytes.toString('utf8').replace('"objects":3', '"objects":2'));
    await store.put(key, edited, stored.metadata);
    expect(await checkDepartureManifest(store, key, trusted)).toEqual([{ kind: 'bad-signature', key, detail: 'the signature does not match the manifest' }]);
  });

  it('refuses a manifest signed by a key the chains do not trust, naming the key', async () => {
    const { store, trusted } = await written();
    const attacker = new LocalSigningKey('attacker');
    const key = await writeDepartureManifest({ store, signer: attacker }, ACCOUNT, ['eu-west-1'], DEPARTED + 1, DEPARTED);
    expect(await checkDepartureManifest(store, key, trusted)).toEqual([
      { kind: 'bad-signature', key, detail: `not signed by a trusted key (${attacker.fingerprint})` },
    ]);
  });

  it.each([
    ['not JSON', Buffer.from('{"version":2,'), 'not a departure manifest'],
    ['JSON null', Buffer.from('null'), 'not a departure manifest'],
    ['without prefixes, signed by the trusted key', undefined, 'not a departure manifest'],
  ])('refuses a manifest that is %s', async (_, bytes, detail) => {
    // Prepare
    const { store, signer, trusted, key } = await written();
    const body =
      bytes ?? Buffer.from(JSON.stringify({ version: 2, account: ACCOUNT, departedAt: new Date(DEPARTED).toISOString(), signedBy: signer.fingerprint }));
    await store.put(key, body, { [SIGNATURE_METADATA]: await signer.sign(body) });

    // Act
    const problems = await checkDepartureManifest(store, key, trusted);

    // Assess
    expect(problems).toEqual([{ kind: 'bad-signature', key, detail }]);
  });

  it('refuses a manifest that names no key', async () => {
    const { store, signer, trusted, key } = await written();
    const body = Buffer.from(JSON.stringify({ version: 2, account: ACCOUNT, departedAt: new Date(DEPARTED).toISOString(), prefixes: [] }));
    await store.put(key, body, { [SIGNATURE_METADATA]: await signer.sign(body) });
    expect(await checkDepartureManifest(store, key, trusted)).toEqual([{ kind: 'bad-signature', key, detail: 'not signed by a trusted key (none named)' }]);
  });

  it('refuses a manifest whose signature metadata is gone', async () => {
    const { store, trusted, key } = await written();
    const stored = (await store.get(key))!;
    await store.put(key, stored.bytes, {});
    expect(await checkDepartureManifest(store, key, trusted)).toEqual([{ kind: 'bad-signature', key, detail: 'the signature does not match the manifest' }]);
  });
});
