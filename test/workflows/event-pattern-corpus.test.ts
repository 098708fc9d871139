/**
 * Conformance of the offline EventBridge matcher with the corpus in
 * ../shared/fixtures/eventbridge-patterns (validated against Amazon EventBridge; read in place,
 * never copied). Skipped, with a notice, where that folder is absent (a user's own clone).
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import JSON5 from 'json5';
import { compileEventPattern, flattenEvent, matchesFlatEvent } from '../../workflows/event-pattern';

const CORPUS = process.env.TRIBUTARY_PATTERN_CORPUS ?? join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'eventbridge-patterns');

type Expected = 'match' | 'no-match' | 'rejected';
interface CorpusCase {
  readonly name: string;
  readonly expected: Expected;
  readonly event: unknown;
  readonly pattern: unknown;
}

function loadCorpus(dir: string): CorpusCase[] {
  const cases: CorpusCase[] = readdirSync(dir)
    .filter((file) => file.endsWith('.json5'))
    .sort()
    .map((file) => {
      const { Event, EventPattern } = JSON5.parse(readFileSync(join(dir, file), 'utf8')) as { Event: unknown; EventPattern: unknown };
      const expected: Expected = file.includes('_EXC') ? 'rejected' : file.includes('_NEG') ? 'no-match' : 'match';
      return { name: file, expected, event: Event, pattern: EventPattern };
    });
  // One case split over two files: a pattern with a duplicated key (the last one wins).
  const splitPattern = join(dir, 'complex_multi_key_event_pattern.json');
  if (existsSync(splitPattern)) {
    cases.push({
      name: 'complex_multi_key_event.json + complex_multi_key_event_pattern.json',
      expected: 'match',
      event: JSON.parse(readFileSync(join(dir, 'complex_multi_key_event.json'), 'utf8')),
      pattern: JSON.parse(readFileSync(splitPattern, 'utf8')),
    });
  }
  return cases;
}

function outcome(c: CorpusCase): { got: Expected; reason?: string } {
  try {
    return { got: matchesFlatEvent(compileEventPattern(c.pattern), flattenEvent(c.event)) ? 'match' : 'no-match' };
  } catch (error) {
    return { got: 'rejected', reason: (error as Error).message };
  }
}

const present = existsSync(CORPUS);

// Skipped where the corpus is absent; the title says why, and the run's closing summary names it.
(present ? describe : describe.skip)(
  present
    ? 'EventBridge pattern corpus conformance'
    : `EventBridge pattern corpus conformance: SKIPPED, corpus not found at ${CORPUS} (set TRIBUTARY_PATTERN_CORPUS)`,
  () => {
    const cases = present ? loadCorpus(CORPUS) : [];

    it('passes every case of the corpus (156 validated against AWS)', () => {
      // Act
      const failures = cases.map((c) => ({ c, ...outcome(c) })).filter(({ c, got }) => got !== c.expected);

      // Assess (a failure lists each case, expected and got)
      expect(cases.length).toBeGreaterThanOrEqual(150);
      expect(failures.map(({ c, got, reason }) => `${c.name}: expected ${c.expected}, got ${got}${reason ? ` (${reason})` : ''}`)).toEqual([]);
    });
  },
);
