/** The offline runner's payload templates: what it models of AWS's, and what it refuses rather than guess. */
import { applyTemplate, StatesError } from '../../workflows/local/json-path';

describe('payload templates offline', () => {
  it('builds a list with States.Array from paths of the input and the context, in order', () => {
    // Act
    const out = applyTemplate(
      { 'regions.$': "States.Array($.region, $['other region'], $$.Execution.Name)" },
      { region: 'eu-west-1', 'other region': 'us-east-1' },
      { Execution: { Name: 'run' } },
    );

    // Assess
    expect(out).toEqual({ regions: ['eu-west-1', 'us-east-1', 'run'] });
  });

  it.each([
    ['States.Array($.missing)', 'could not be found'],
    ["States.Array('eu-west-1')", 'only JSONPaths'],
    ['States.Format($.region)', 'not modelled offline'],
  ])('refuses %s as States.Runtime', (call, message) => {
    // Act
    const act = () => applyTemplate({ 'regions.$': call }, { region: 'eu-west-1' }, {});

    // Assess
    expect(act).toThrow(StatesError);
    expect(act).toThrow(message);
  });
});
