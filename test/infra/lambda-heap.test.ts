import { lambdaHeapOptions } from '../../infra/constructs/runtime';

describe('lambdaHeapOptions', () => {
  it("sets the semi-space the Node.js runtime's bootstrap sets (a tenth of memory, halved), and the old generation to what is left after three semi-spaces and the off-heap headroom", () => {
    expect(lambdaHeapOptions(1536)).toBe('--max-semi-space-size=76 --max-old-space-size=1052');
    expect(lambdaHeapOptions(3008)).toBe('--max-semi-space-size=150 --max-old-space-size=2302');
  });

  it('never asks for more heap than the function has', () => {
    for (const memory of [512, 1024, 1536, 3008, 10240]) {
      const [semi, old] = [...lambdaHeapOptions(memory).matchAll(/=(\d+)/g)].map((m) => Number(m[1]));
      expect(3 * semi! + old! + 256).toBeLessThanOrEqual(memory);
    }
  });

  it('refuses a memory size too small to leave room for the off-heap headroom', () => {
    expect(() => lambdaHeapOptions(256)).toThrow('memoryMb: 256 leaves no old generation after the young generation and 256 MB off-heap');
  });
});
