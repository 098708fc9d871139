/** Issue #24 item 8: `tributary cost` prints a per-service table and a total, each line a quantity times a price of the dated table. */
import { estimateMonthlyCost, HOURS_A_MONTH, DAYS_A_MONTH } from '../../bin/cost-model';
import { parseVolumes } from '../../bin/cost-command';
import { PRICE_TABLE } from '../../bin/price-table';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../tasks/lib/config';
import { tributary } from './in-process';

const config = loadConfig(EXAMPLE_CONFIG_PATH);
const volumes = { gbPerDay: { audit: 5, network: 20, application: 10 }, logGroupsPerAccountRegion: 50 };

describe('the cost model', () => {
  const estimate = estimateMonthlyCost(config, volumes);

  it('prices every line as its quantity times the dated price, and totals them', () => {
    for (const line of estimate.lines) expect(line.monthly).toBeCloseTo(line.quantity * PRICE_TABLE.prices[line.price], 10);
    expect(estimate.total).toBeCloseTo(
      estimate.lines.reduce((sum, l) => sum + l.monthly, 0),
      10,
    );
    expect(estimate.priceDate).toBe(PRICE_TABLE.date);
  });

  it('counts what the config deploys: a stream per governed region all month, every GB through the stream and Firehose', () => {
    const quantity = (item: string) => estimate.lines.find((l) => l.item.startsWith(item))!.quantity;
    expect(quantity('on-demand streams')).toBe(config.governedRegions.length * HOURS_A_MONTH);
    expect(quantity('data written')).toBeCloseTo(35 * DAYS_A_MONTH, 6);
    expect(quantity('data ingested')).toBeCloseTo(35 * DAYS_A_MONTH, 6);
    expect(quantity('VPC flow logs')).toBeCloseTo(20 * DAYS_A_MONTH, 6);
  });

  it('grows with the volume and leaves out flow-log delivery when flow logs go to S3', () => {
    const double = estimateMonthlyCost(config, { ...volumes, gbPerDay: { audit: 10, network: 40, application: 20 } });
    expect(double.total).toBeGreaterThan(estimate.total);
    const s3 = estimateMonthlyCost({ ...config, flowLogs: { ...config.flowLogs, destination: 's3' } }, volumes);
    expect(s3.lines.some((l) => l.item.startsWith('VPC flow logs'))).toBe(false);
  });
});

describe('tributary cost', () => {
  it('prints the per-service table, a total and its assumptions for the example config', async () => {
    const { code, stdout } = await tributary(['cost', '--config', EXAMPLE_CONFIG_PATH]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Kinesis Data Streams\s+\$\d+\.\d\d/);
    expect(stdout).toMatch(/TOTAL\s+\$\d+\.\d\d/);
    expect(stdout).toContain(`list prices recorded ${PRICE_TABLE.date}`);
  });

  it.each([
    ['audit=x', '--gb-per-day[0]: "audit=x" is not a number of GB a day'],
    ['logs=5', '--gb-per-day[0]: "logs=5" names no category'],
    ['audit=-1', '--gb-per-day[0]: "audit=-1" is not a number of GB a day'],
  ])('refuses --gb-per-day %s naming it, exit 2', async (value, message) => {
    expect(() => parseVolumes({ gbPerDay: value })).toThrow(message);
    const { code, stderr } = await tributary(['cost', '--gb-per-day', value]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
