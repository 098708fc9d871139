import {
  acceptHandshakeEvent,
  accountJoinedEvent,
  createAccountCallEvent,
  createAccountResultEvent,
  createLogGroupEvent,
  createManagedAccountEvent,
  regionOptInEvent,
  removeAccountEvent,
} from '../../sim/events';
import { InvalidInputError } from '../../tasks/lib/errors';
import { EventRouter } from '../../workflows/routing';

const router = new EventRouter();

describe('event routing', () => {
  it('routes a successful CreateLogGroup to subscribe-log-group with the mapped input', () => {
    // Act
    const route = router.route(createLogGroupEvent('123456789012', 'eu-west-1', '/aws/lambda/orders'));

    // Assess
    expect(route).toEqual({
      workflow: 'subscribe-log-group',
      trigger: 'CreateLogGroup',
      input: {
        accountId: '123456789012',
        region: 'eu-west-1',
        logGroupName: '/aws/lambda/orders',
        trigger: { detailType: 'AWS API Call via CloudTrail', eventName: 'CreateLogGroup' },
      },
    });
  });

  it('starts nothing for a failed CreateLogGroup call, and says why', () => {
    const route = router.route(createLogGroupEvent('123456789012', 'eu-west-1', '/aws/lambda/orders', { errorCode: 'ResourceAlreadyExistsException' }));
    expect(route).toEqual({ workflow: null, reason: expect.stringContaining('failed (errorCode ResourceAlreadyExistsException)') });
  });

  it('starts nothing for an unrelated event', () => {
    const event = { ...createLogGroupEvent('123456789012', 'eu-west-1', '/x'), source: 'aws.s3' };
    expect(router.route(event)).toEqual({ workflow: null, reason: expect.stringContaining('no workflow trigger matches') });
  });

  it.each([
    ['not an object', 'hello', 'event: "hello" must be a JSON object'],
    ['an event without detail-type', { source: 'aws.logs', account: '123456789012', region: 'eu-west-1' }, 'event.detail-type: undefined is required'],
    [
      'an invalid account id',
      { ...createLogGroupEvent('123456789012', 'eu-west-1', '/x'), account: '12-34' },
      'event.account: "12-34" is not an AWS account id',
    ],
    [
      'a log group name that breaks AWS rules',
      createLogGroupEvent('123456789012', 'eu-west-1', 'has space'),
      'logGroupName (from trigger CreateLogGroup): "has space" is not a valid log group name',
    ],
    ['a log group name that is too long', createLogGroupEvent('123456789012', 'eu-west-1', `/${'a'.repeat(512)}`), 'is not a valid log group name'],
    [
      'a matched event missing a mapped field',
      (() => {
        const e = createLogGroupEvent('123456789012', 'eu-west-1', '/x');
        delete (e.detail as { requestParameters?: unknown }).requestParameters;
        return e;
      })(),
      'logGroupName ($.detail.requestParameters.logGroupName)',
    ],
  ])('rejects %s with a clear error', (_why, event, message) => {
    // Act
    const route = () => router.route(event);

    // Assess
    expect(route).toThrow(InvalidInputError);
    expect(route).toThrow(message);
  });
});

describe('event routing: onboarding triggers', () => {
  const ACCOUNT = '210987654321';
  const trigger = (detailType: string, eventName: string) => ({ detailType, eventName });

  it.each([
    [
      'CreateAccountResult SUCCEEDED',
      () => createAccountResultEvent(ACCOUNT),
      'onboard-account',
      { accountId: ACCOUNT, trigger: trigger('AWS Service Event via CloudTrail', 'CreateAccountResult') },
    ],
    [
      'Control Tower CreateManagedAccount SUCCEEDED',
      () => createManagedAccountEvent(ACCOUNT),
      'onboard-account',
      { accountId: ACCOUNT, trigger: trigger('AWS Service Event via CloudTrail', 'CreateManagedAccount') },
    ],
    [
      'AccountJoinedOrganization (management account)',
      () => accountJoinedEvent(),
      'reconcile',
      { joinedWithinHours: '24', trigger: trigger('AWS Service Event via CloudTrail', 'AccountJoinedOrganization') },
    ],
    [
      'Region Opt-In Status Change ENABLED',
      () => regionOptInEvent(ACCOUNT, 'ap-southeast-2'),
      'onboard-region',
      { accountId: ACCOUNT, region: 'ap-southeast-2', trigger: { detailType: 'Region Opt-In Status Change', status: 'ENABLED' } },
    ],
  ])('routes %s', (_name, event, workflow, input) => {
    expect(router.route(event())).toMatchObject({ workflow, input });
  });

  it.each([
    ['CreateAccountResult FAILED', () => createAccountResultEvent(ACCOUNT, 'FAILED')],
    ['the CreateAccount call itself (IN_PROGRESS)', () => createAccountCallEvent()],
    ['CreateManagedAccount FAILED', () => createManagedAccountEvent(ACCOUNT, 'FAILED')],
    ['AcceptHandshake, recorded only in the joining account (AccountJoinedOrganization starts the onboarding)', () => acceptHandshakeEvent(ACCOUNT)],
    ['RemoveAccountFromOrganization (AccountDepartedOrganization follows it and starts the one offboarding)', () => removeAccountEvent(ACCOUNT)],
    ['Region Opt-In Status Change ENABLING', () => regionOptInEvent(ACCOUNT, 'ap-southeast-2', 'ENABLING')],
    ['Region Opt-In Status Change DISABLED', () => regionOptInEvent(ACCOUNT, 'ap-southeast-2', 'DISABLED')],
  ])('starts nothing for %s', (_name, event) => {
    expect(router.route(event())).toEqual({ workflow: null, reason: expect.any(String) });
  });
});
