/** Routing at its edges: envelopes an attacker or a broken producer sends, reasons given, input mapping paths, a catalog that overlaps. */
import { createLogGroupEvent, createVpcEvent } from '../../sim/events';
import { InvalidInputError } from '../../tasks/lib/errors';
import { CATALOG, type WorkflowSpec } from '../../workflows/catalog';
import { applyInputMapping, isEventPath, resolvePath } from '../../workflows/input-mapping';
import { EventRouter } from '../../workflows/routing';

const router = new EventRouter();
const base = createLogGroupEvent('123456789012', 'eu-west-1', '/aws/lambda/orders');

describe('routing: envelopes', () => {
  it.each<[string, unknown, string]>([
    ['an array', [base], 'event: '],
    ['null', null, 'event: null must be a JSON object'],
    ['an empty source', { ...base, source: '' }, 'event.source: "" is required in an EventBridge event'],
    ['no region', { ...base, region: undefined }, 'event.region: undefined is required'],
    ['a numeric account', { ...base, account: 123456789012 }, 'event.account: 123456789012 is required'],
    ['a detail that is a list', { ...base, detail: [1] }, 'event.detail: [1] must be a JSON object'],
    ['a detail that is null', { ...base, detail: null }, 'event.detail: null must be a JSON object'],
    ['a detail that is text', { ...base, detail: '{}' }, 'event.detail: "{}" must be a JSON object'],
    ['an account with a quote', { ...base, account: "12345678901'" }, `event.account: "12345678901'" is not an AWS account id`],
  ])('refuses %s, naming the field', (_, event, message) => {
    expect(() => router.route(event)).toThrow(InvalidInputError);
    expect(() => router.route(event)).toThrow(message);
  });

  it('routes an event without detail to nothing, naming its source and type only', () => {
    const { detail: _, ...bare } = base;
    expect(router.route(bare)).toEqual({ workflow: null, reason: 'no workflow trigger matches this event [aws.logs / AWS API Call via CloudTrail]' });
  });

  it('names the call in the reason of an event no trigger matches', () => {
    const event = { ...base, detail: { ...(base.detail as object), eventName: 'DeleteLogGroup' } };
    expect(router.route(event)).toEqual({
      workflow: null,
      reason: 'no workflow trigger matches this event [aws.logs / AWS API Call via CloudTrail / DeleteLogGroup]',
    });
  });

  it('validates the VPC id a CreateVpc event carries', () => {
    expect(router.route(createVpcEvent('123456789012', 'eu-west-1', 'vpc-0a1b2c3d4e5f60718'))).toMatchObject({
      workflow: 'enable-flow-logs',
      input: { vpcId: 'vpc-0a1b2c3d4e5f60718' },
    });
    expect(() => router.route(createVpcEvent('123456789012', 'eu-west-1', 'vpc-"; drop'))).toThrow('vpcId (from trigger CreateVpc)');
  });

  it('names the trigger and every missing field of a matched event', () => {
    const event = createLogGroupEvent('123456789012', 'eu-west-1', '/x');
    delete (event.detail as { requestParameters?: unknown }).requestParameters;
    expect(() => router.route(event)).toThrow(
      'event (trigger CreateLogGroup): ["logGroupName ($.detail.requestParameters.logGroupName)"] missing from the event',
    );
  });

  it('refuses a catalog whose triggers overlap, naming both', () => {
    const subscribe = CATALOG.find((s) => s.name === 'subscribe-log-group')!;
    const twice: WorkflowSpec[] = [subscribe, { ...subscribe, triggers: subscribe.triggers.map((t) => ({ ...t, id: `${t.id}-copy` })) }];
    expect(() => new EventRouter(twice).route(base)).toThrow('catalog error: triggers CreateLogGroup, CreateLogGroup-copy all match one event');
  });
});

describe('input mapping', () => {
  const event = { account: '1', detail: { list: [{ a: 1 }], nested: { value: 'v', zero: 0, empty: '' } } };

  it('resolves dotted paths, keeps falsy values, and finds nothing through lists or past leaves', () => {
    expect(resolvePath(event, '$.detail.nested.value')).toBe('v');
    expect(resolvePath(event, '$.detail.nested.zero')).toBe(0);
    expect(resolvePath(event, '$.detail.nested.empty')).toBe('');
    expect(resolvePath(event, '$.detail.list.0')).toBeUndefined();
    expect(resolvePath(event, '$.detail.nested.value.length')).toBeUndefined();
    expect(resolvePath(null, '$.detail')).toBeUndefined();
  });

  it('tells a path from a literal by its "$." prefix only', () => {
    expect(isEventPath('$.account')).toBe(true);
    expect(isEventPath('$account')).toBe(false);
    expect(isEventPath('literal $.x')).toBe(false);
  });

  it('builds nested input, keeps literals as they are, and names every missing field with its path', () => {
    const { input, missing } = applyInputMapping(
      { accountId: '$.account', kind: 'literal', trigger: { value: '$.detail.nested.value', gone: '$.detail.nope' }, top: '$.nope' },
      event,
    );
    expect(input).toEqual({ accountId: '1', kind: 'literal', trigger: { value: 'v' } });
    expect(missing).toEqual(['trigger.gone ($.detail.nope)', 'top ($.nope)']);
  });
});
