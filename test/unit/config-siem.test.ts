/** The `siem` section: its defaults, and a refusal naming the field and the value for each way it can be wrong. */
import { parseConfig } from '../../tasks/lib/config';
import { example, problems } from './config-problems';
import { configNotices } from '../../bin/validate-command';

const ex = example;
const SECRET = 'arn:aws:secretsmanager:us-east-1:555555555555:secret:tributary/siem-AbCdEf';
const http = { type: 'http', url: 'https://siem.example.com/ingest?token=x', accessKeySecretArn: SECRET };

describe('config: siem', () => {
  it('is off unless configured, and an http destination alone gets OCSF, audit and network, 7200 s of retries, 24 h of outage', () => {
    // Act
    const off = parseConfig(ex);
    const on = parseConfig({ ...ex, siem: { destination: http } });

    // Assess
    expect(off.siem).toBeUndefined();
    expect(on.siem).toEqual({ destination: http, format: 'ocsf', categories: ['audit', 'network'], retrySeconds: 7200, maxOutageHours: 24 });
  });

  it.each<[string, object, string[]]>([
    ['no destination', { siem: {} }, ['config.siem.destination: is required and missing']],
    [
      'unknown type',
      { siem: { destination: { ...http, type: 'kafka' } } },
      ['config.siem.destination.type: "kafka" must have type "http", "splunk" or "opensearch"'],
    ],
    [
      'plain http',
      { siem: { destination: { ...http, url: 'http://siem.example.com/' } } },
      ['config.siem.destination.url: "http://siem.example.com/" is not an https URL on port 443 (the only port Firehose delivers to)'],
    ],
    [
      'another port',
      { siem: { destination: { ...http, url: 'https://siem.example.com:8443/' } } },
      ['config.siem.destination.url: "https://siem.example.com:8443/" is not an https URL on port 443 (the only port Firehose delivers to)'],
    ],
    [
      'a space in the URL',
      { siem: { destination: { ...http, url: 'https://siem.example.com/a b' } } },
      ['config.siem.destination.url: "https://siem.example.com/a b" is not an https URL on port 443 (the only port Firehose delivers to)'],
    ],
    [
      'a key that is not a secret',
      { siem: { destination: { ...http, accessKeySecretArn: 'hunter2' } } },
      ['config.siem.destination.accessKeySecretArn: "hunter2" is not a Secrets Manager secret ARN'],
    ],
    [
      'a field of another type',
      { siem: { destination: { ...http, hecEndpointType: 'Raw' } } },
      ['config.siem.destination.hecEndpointType: is not a known field'],
    ],
    [
      'splunk without a token',
      { siem: { destination: { type: 'splunk', hecEndpoint: 'https://hec.example.com' } } },
      ['config.siem.destination.hecTokenSecretArn: is required and missing'],
    ],
    [
      'a domain ARN of another service',
      { siem: { destination: { type: 'opensearch', domainArn: 'arn:aws:s3:::bucket', indexName: 'logs' } } },
      ['config.siem.destination.domainArn: "arn:aws:s3:::bucket" is not an OpenSearch Service domain ARN'],
    ],
    [
      'an index with capitals',
      { siem: { destination: { type: 'opensearch', domainArn: 'arn:aws:es:us-east-1:555555555555:domain/soc', indexName: 'Logs' } } },
      [
        'config.siem.destination.indexName: "Logs" is not an index name (lowercase, at most 80 characters)',
        'config.governedRegions[1]: "eu-west-1" cannot deliver to the OpenSearch domain in us-east-1: Firehose writes to a domain in its own region; use siem.destination.type "http" for more regions',
        'config.governedRegions[2]: "ap-southeast-2" cannot deliver to the OpenSearch domain in us-east-1: Firehose writes to a domain in its own region; use siem.destination.type "http" for more regions',
      ],
    ],
    ['unknown format', { siem: { destination: http, format: 'cef' } }, ['config.siem.format: "cef" must be "ocsf" or "raw"']],
    ['no categories', { siem: { destination: http, categories: [] } }, ['config.siem.categories: [] must name at least one category']],
    [
      'the heartbeat',
      { siem: { destination: http, categories: ['heartbeat'] } },
      ['config.siem.categories[0]: "heartbeat" must be one of audit, network, application'],
    ],
    [
      'a filter of a category left out',
      { siem: { destination: http, categories: ['audit'], filters: { network: ['REJECT'] } } },
      ['config.siem.filters.network: "network" filters a category siem.categories leaves out'],
    ],
    ['an empty filter', { siem: { destination: http, filters: { network: [] } } }, ['config.siem.filters.network: [] is empty']],
    ['an empty string', { siem: { destination: http, filters: { network: [''] } } }, ['config.siem.filters.network[0]: "" is an empty string']],
    ['retries past 7200 s', { siem: { destination: http, retrySeconds: 7201 } }, ['config.siem.retrySeconds: 7201 must be between 0 and 7200']],
    ['negative retries', { siem: { destination: http, retrySeconds: -1 } }, ['config.siem.retrySeconds: -1 must be between 0 and 7200']],
    [
      'an outage longer than the stream keeps records',
      { siem: { destination: http, maxOutageHours: 25 } },
      [
        'config.siem.maxOutageHours: 25 is longer than retention.streamHours (24): the stream would drop records the SIEM has not read; raise retention.streamHours or replay after longer outages',
      ],
    ],
  ])('refuses %s', (_, overrides, expected) => {
    expect(problems(overrides)).toEqual(expected);
  });

  it('accepts an outage as long as the stream keeps records, and an OpenSearch domain in the only governed region', () => {
    expect(problems({ siem: { destination: http, maxOutageHours: 24 } })).toEqual([]);
    expect(
      problems({
        governedRegions: ['us-east-1'],
        siem: { destination: { type: 'opensearch', domainArn: 'arn:aws:es:us-east-1:555555555555:domain/soc', indexName: 'tributary-ocsf' } },
      }),
    ).toEqual([]);
  });
});

describe('config: backfill', () => {
  it('is off unless configured, and takes every category and 50 GB per account by default', () => {
    expect(parseConfig(ex).backfill).toBeUndefined();
    expect(parseConfig({ ...ex, backfill: { days: 7 } }).backfill).toEqual({
      days: 7,
      categories: ['audit', 'network', 'application'],
      maxBytesPerAccount: 50e9,
    });
  });

  it.each<[object, string[]]>([
    [{}, ['config.backfill.days: is required and missing']],
    [{ days: 0 }, ['config.backfill.days: 0 must be between 1 and 3653 days']],
    [{ days: 3654 }, ['config.backfill.days: 3654 must be between 1 and 3653 days']],
    [{ days: 1.5 }, ['config.backfill.days: 1.5 must be a whole number']],
    [{ days: 7, categories: ['heartbeat'] }, ['config.backfill.categories[0]: "heartbeat" must be one of audit, network, application']],
    [{ days: 7, maxBytesPerAccount: 999_999 }, ['config.backfill.maxBytesPerAccount: 999999 must be at least 1,000,000 bytes']],
    [{ days: 7, horizon: 'forever' }, ['config.backfill.horizon: is not a known field']],
  ])('refuses %j', (backfill, expected) => {
    expect(problems({ backfill })).toEqual(expected);
  });
  it('refuses a backfill with subscription mode account-policy, which has no per-group filter to start from', () => {
    expect(problems({ backfill: { days: 7 }, subscription: { mode: 'account-policy', filterPattern: '' } })).toEqual([
      'config.backfill: "account-policy" needs subscription.mode "log-group": it archives each group\'s history up to its own filter',
    ]);
  });
});

describe('validate notices', () => {
  it('says what it cannot check of a SIEM destination offline, and how the backfill runs', () => {
    const notices = configNotices(parseConfig({ ...ex, siem: { destination: http }, backfill: { days: 7 } }));
    expect(notices).toContainEqual(
      expect.stringMatching(/^config\.siem\.destination: the secret arn:aws:secretsmanager:.* is not read offline: it must hold \{"api_key": "\.\.\."\}/),
    );
    expect(notices).toContainEqual(expect.stringMatching(/^config\.backfill: onboarding starts backfill-region .* the daily reconcile resumes/));
    expect(configNotices(parseConfig(ex)).filter((n) => /siem|backfill/.test(n))).toEqual([]);
  });
});
