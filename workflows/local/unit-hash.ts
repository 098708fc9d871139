/**
 * A deterministic draw for the offline world: jitter in the local runner, faults in the simulator.
 * Hand-written: the hash is 20 lines and needs no dependency.
 */

/** FNV-1a over the key, mixed with the seed and counter (splitmix-style finalizer): a draw in [0, 1) that depends on nothing else. */
export function unitHash(seed: number, key: string, n: number): number {
  return mixDraw(keyHash(seed, key), n);
}

/** FNV-1a over `key` from a seeded basis: the part of a draw that depends on the key alone. */
export function keyHash(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h;
}

/** The n-th draw on a key whose `keyHash` is `h`. */
export function mixDraw(h: number, n: number): number {
  h = Math.imul(h ^ n, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x100000000;
}
