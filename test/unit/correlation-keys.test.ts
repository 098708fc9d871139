/** Every task log line names the account, region and execution it works on, when its input does, and nothing an attacker shaped. */
import { correlationKeys } from '../../tasks/lib/lambda';

describe('correlation keys', () => {
  it('takes the account, region and execution from the input', () => {
    expect(correlationKeys({ accountId: '123456789012', region: 'eu-west-1', runId: 'daily-2026-12-06', other: 1 })).toEqual({
      accountId: '123456789012',
      region: 'eu-west-1',
      execution: 'daily-2026-12-06',
    });
  });

  it.each([
    [{ accountId: '12345678901x', region: 'mars-1' }],
    [{ accountId: 123456789012, region: ['eu-west-1'] }],
    [{ execution: 'x\n{"level":"ERROR","message":"forged"}' }],
    [{ execution: 'e'.repeat(257) }],
    [null],
    ['a string'],
  ])('leaves out what is not well formed: %j', (event) => {
    expect(correlationKeys(event)).toEqual({});
  });
});
