/**
 * The boundary every event, workflow input and log payload field crosses once (tasks/lib/domain.ts):
 * values an attacker or a broken caller chooses, at each pattern's edges, are refused with the field
 * and the value; what AWS really sends passes unchanged.
 */
import {
  field,
  isLogGroupName,
  jsonObject,
  jsonValue,
  parseAccountId,
  parseLogGroupName,
  parseOrganizationId,
  parseRegion,
  parseVpcId,
  partitionOf,
  type Region,
} from '../../tasks/lib/domain';
import { InvalidInputError } from '../../tasks/lib/errors';

/** The error a parse throws for `value`, or undefined when it accepts it. */
function refusal(parse: (value: unknown) => unknown, value: unknown): InvalidInputError | undefined {
  try {
    parse(value);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
}

const NOT_STRINGS: unknown[] = [123456789012, null, undefined, {}, ['123456789012'], true];

describe('account ids', () => {
  it.each(['123456789012', '000000000000'])('accepts %j', (id) => {
    expect(parseAccountId(id)).toBe(id);
  });

  it.each([
    '12345678901',
    '1234567890123',
    ' 123456789012',
    '123456789012\n',
    '12345678901a',
    '１２３４５６７８９０１２',
    '١٢٣٤٥٦٧٨٩٠١٢',
    '123456789012,210987654321',
    '*',
    '',
    ...NOT_STRINGS,
  ])('refuses %j, naming the field and the value', (value) => {
    // Act
    const error = refusal((v) => parseAccountId(v, 'detail.accountId'), value);

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: 'detail.accountId', value, retryable: false });
    expect(error!.message).toBe(`detail.accountId: ${JSON.stringify(value)} is not an AWS account id (12 digits)`);
  });

  it('names "accountId" when no field is given', () => {
    expect(refusal(parseAccountId, 'x')?.message).toBe('accountId: "x" is not an AWS account id (12 digits)');
  });
});

describe('regions', () => {
  it.each(['us-east-1', 'eu-central-2', 'us-gov-west-1', 'cn-northwest-1', 'mx-central-1'])('accepts %j', (region) => {
    expect(parseRegion(region)).toBe(region);
  });

  it.each(['us-east-10', 'US-EAST-1', 'us-east-1 ', 'us-fake-1', 'constructor', '__proto__', 'toString', '', ...NOT_STRINGS])(
    'refuses %j, naming the field and the value',
    (value) => {
      expect(refusal((v) => parseRegion(v, 'regions[2]'), value)?.message).toBe(`regions[2]: ${JSON.stringify(value)} is not a known AWS region`);
    },
  );

  it('names "region" when no field is given', () => {
    expect(refusal(parseRegion, 'mars-1')?.message).toBe('region: "mars-1" is not a known AWS region');
  });

  it.each<[string, string]>([
    ['us-east-1', 'aws'],
    ['eu-west-1', 'aws'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
  ])('puts %s in partition %s', (region, partition) => {
    expect(partitionOf(region as Region)).toBe(partition);
  });
});

describe('log group names', () => {
  const longest = `/${'a'.repeat(511)}`;

  it.each(['/aws/lambda/orders', 'a', '.-_/#AZaz09', longest])('accepts %j', (name) => {
    expect(parseLogGroupName(name)).toBe(name);
    expect(isLogGroupName(name)).toBe(true);
  });

  it.each([
    `${longest}a`,
    '',
    '/aws/lambda/orders ',
    '/aws/lambda/"orders"',
    "/aws/lambda/o'rders",
    '/aws/lambda/orders*',
    '/aws/lambda/orders\n/aws/lambda/other',
    '/aws/lambda/ördérs',
    '/aws/lambda/orders:*',
    ...NOT_STRINGS,
  ])('refuses %j, naming the field and the value', (value) => {
    expect(isLogGroupName(value)).toBe(false);
    expect(refusal((v) => parseLogGroupName(v, 'logGroup'), value)?.message).toBe(
      `logGroup: ${JSON.stringify(value)} is not a valid log group name (1-512 characters of A-Z a-z 0-9 . - _ / #)`,
    );
  });

  it('names "logGroupName" when no field is given', () => {
    expect(refusal(parseLogGroupName, '')?.field).toBe('logGroupName');
  });
});

describe('organization ids', () => {
  it.each(['o-abcdefghij', `o-${'a1'.repeat(16)}`])('accepts %j', (id) => {
    expect(parseOrganizationId(id)).toBe(id);
  });

  it.each(['o-abcdefghi', `o-${'a1'.repeat(16)}a`, 'o-ABCDEFGHIJ', 'xo-abcdefghij', 'o-abcdefghij ', 'o_abcdefghij', 'r-abcd', ...NOT_STRINGS])(
    'refuses %j, naming the field and the value',
    (value) => {
      expect(refusal((v) => parseOrganizationId(v, 'organizationId'), value)?.message).toBe(
        `organizationId: ${JSON.stringify(value)} is not an organization id (o- followed by 10-32 lowercase letters or digits)`,
      );
    },
  );

  it('names "organizationId" when no field is given', () => {
    expect(refusal(parseOrganizationId, 'o-')?.field).toBe('organizationId');
  });
});

describe('VPC ids', () => {
  it.each(['vpc-0123abcd', 'vpc-0123456789abcdef0'])('accepts %j', (id) => {
    expect(parseVpcId(id)).toBe(id);
  });

  it.each([
    'vpc-0123abc',
    'vpc-0123abcde',
    'vpc-0123456789abcdef',
    'vpc-0123456789abcdef01',
    'vpc-0123ABCD',
    'vpc-0123abcg',
    'xvpc-0123abcd',
    'vpc-0123abcd ',
    ...NOT_STRINGS,
  ])('refuses %j, naming the field and the value', (value) => {
    expect(refusal((v) => parseVpcId(v, 'detail.vpcId'), value)?.message).toBe(
      `detail.vpcId: ${JSON.stringify(value)} is not a VPC id (vpc- then 8 or 17 hex digits)`,
    );
  });

  it('names "vpcId" when no field is given', () => {
    expect(refusal(parseVpcId, 'vpc-')?.field).toBe('vpcId');
  });
});

describe('reading a field of an untyped input', () => {
  it('reads a field of an object, undefined when absent', () => {
    expect(field({ accountId: '123456789012' }, 'accountId')).toBe('123456789012');
    expect(field({}, 'accountId')).toBeUndefined();
  });

  it.each([null, [{ accountId: '123456789012' }], '{"accountId":"123456789012"}', 7, undefined])('refuses %j as input', (input) => {
    expect(refusal((i) => field(i, 'accountId'), input)).toMatchObject({
      field: 'input',
      value: input,
      message: `input: ${JSON.stringify(input)} must be a JSON object`,
    });
  });
});

describe('JSON text from outside', () => {
  it.each<[string, unknown]>([
    ['{"a":[1]}', { a: [1] }],
    ['null', null],
    ['"x"', 'x'],
    ['{"a":', undefined],
    ["['a']", undefined],
    ['', undefined],
  ])('reads %j as %j, undefined when it is not JSON', (text, value) => {
    expect(jsonValue(text)).toEqual(value);
  });

  it.each<[string, unknown]>([
    ['{"a":[1]}', { a: [1] }],
    ['{}', {}],
    ['null', undefined],
    ['[{"a":1}]', undefined],
    ['"{}"', undefined],
    ['1', undefined],
    ['{"a":', undefined],
  ])('reads %j as the object %j, undefined for anything but an object', (text, value) => {
    expect(jsonObject(text)).toEqual(value);
  });
});
