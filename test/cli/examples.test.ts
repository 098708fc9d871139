/** The shipped examples (README uses them): each event starts the workflow its name says; the Firehose event transforms cleanly. */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { run } from '../../bin/cli';
import { transformRecords } from '../../tasks/lib/data-path/transform';
import { EventRouter } from '../../workflows/routing';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../tasks/lib/config';
import { expectValidLines } from '../data-path/log-lines';
import { tributaryCallers } from '../../workflows/forwarding';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const expected: Record<string, string | null> = {
  'create-account-result.json': 'onboard-account',
  'create-managed-account.json': 'onboard-account',
  'region-opt-in-enabled.json': 'onboard-region',
  'create-log-group.json': 'subscribe-log-group',
  'create-vpc.json': 'enable-flow-logs',
  'close-account.json': 'offboard-account',
  'account-departed-organization.json': 'offboard-account',
  'account-joined-organization.json': 'reconcile',
  'create-log-group-failed-call.json': null,
};

describe('examples/', () => {
  it('has an event for every trigger of the catalog, and each routes where its name says, through the hub rules as deployed', () => {
    const router = new EventRouter(undefined, {
      managementAccount: loadConfig(EXAMPLE_CONFIG_PATH).accounts.management,
      ...tributaryCallers(loadConfig(EXAMPLE_CONFIG_PATH)),
    });
    const files = readdirSync(join(EXAMPLES, 'events')).sort();
    expect(files).toEqual(Object.keys(expected).sort());
    for (const file of files) {
      const route = router.route(JSON.parse(readFileSync(join(EXAMPLES, 'events', file), 'utf8')));
      expect([file, route.workflow]).toEqual([file, expected[file]]);
    }
  });

  it('firehose-event.json transforms to valid lines, its control message dropped', async () => {
    const event = JSON.parse(readFileSync(join(EXAMPLES, 'firehose-event.json'), 'utf8'));
    const { records } = await transformRecords(event.records, {});
    expect(records.map((r) => r.result)).toEqual(['Ok', 'Ok', 'Dropped']);
    expectValidLines(records);
  });

  it('tributary route examples/events/create-log-group.json exits 0', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await run(['node', 'tributary', 'route', join(EXAMPLES, 'events', 'create-log-group.json')])).toBe(0);
      expect(JSON.parse(log.mock.calls[0]![0] as string)).toMatchObject({ workflow: 'subscribe-log-group', input: { logGroupName: '/aws/lambda/orders' } });
    } finally {
      log.mockRestore();
    }
  });
});
