import { epochMillisText } from '../../tasks/lib/data-path/log-line';
import { SeededRandom } from '../../sim/log-payloads';

describe('epochMillisText', () => {
  it('writes every timestamp the processor accepts exactly as String does', () => {
    // Prepare: the edges of each six-digit split, and seeded values across the accepted range
    const edges = [
      0,
      1,
      999_999,
      1_000_000,
      1_000_001,
      1_999_999_999_999,
      2_000_000_000_000,
      1_763_856_000_000,
      1_763_856_000_007,
      1_763_856_000_999,
      1_763_856_001_000,
      1_763_856_999_999,
      8.64e15 - 1,
      8.64e15,
    ];
    const random = new SeededRandom(11);
    const seeded = Array.from({ length: 20_000 }, (_, i) => Math.floor(random.next() * (i % 2 === 0 ? 8.64e15 : 4e12)));

    // Act
    const wrong = [...edges, ...seeded].filter((t) => epochMillisText(t) !== String(t));

    // Assess
    expect(wrong).toEqual([]);
  });
});
