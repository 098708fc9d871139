import { LruCache } from '../../tasks/lib/lru-cache';

describe('LruCache', () => {
  it('drops the least recently used entry past its capacity, a read counting as a use', () => {
    // Prepare
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);

    // Act: a is read, so b is the least recently used when c comes.
    cache.get('a');
    cache.set('c', 3);

    // Assess
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    expect(cache.size).toBe(2);
  });

  it('replaces a value in place of adding a second entry', () => {
    // Prepare
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);

    // Act
    cache.set('a', 10);
    cache.set('c', 3);

    // Assess: the rewrite made a the most recently used, so b went.
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([10, undefined, 3]);
  });
});
