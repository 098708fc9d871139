import { execFileSync } from 'child_process';
import { lambdaHeapOptions } from '../../infra/constructs/runtime';

/** The heap V8 actually allows under `options`, in MiB: it rounds a semi-space up to a power of two. */
function heapLimitMb(options: string): number {
  const script = "process.stdout.write(String(require('v8').getHeapStatistics().heap_size_limit / 2 ** 20))";
  return Number(execFileSync(process.execPath, [...options.split(' '), '-e', script], { encoding: 'utf8' }));
}

describe('lambdaHeapOptions', () => {
  it('sets the semi-space to the power of two at most a twentieth of memory (V8 rounds any other up), and the old generation to what is left after three semi-spaces and the off-heap headroom', () => {
    expect(lambdaHeapOptions(1536)).toBe('--max-semi-space-size=64 --max-old-space-size=1088');
    expect(lambdaHeapOptions(3008)).toBe('--max-semi-space-size=128 --max-old-space-size=2368');
  });

  it('leaves the off-heap headroom in the heap V8 really allows, not only on paper', () => {
    for (const memory of [1024, 1536, 3008]) expect(memory - heapLimitMb(lambdaHeapOptions(memory))).toBeGreaterThanOrEqual(256);
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
