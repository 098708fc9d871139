/** docs/permissions.md is generated from the templates; code and document must agree. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../../tasks/lib/config';
import { memberRoleCallers, memberRoleGrants, memberRoles } from '../../infra/member-role-policy';
import { permissionsReference } from '../../infra/permissions-reference';

const config = loadConfig(EXAMPLE_CONFIG_PATH);

describe('permissions reference', () => {
  it('docs/permissions.md is exactly what the code generates (run npm run docs after changing a policy)', () => {
    expect(readFileSync(join(__dirname, '..', '..', 'docs', 'permissions.md'), 'utf8')).toBe(permissionsReference(config));
  });

  it('names, for every member role statement, the tasks that need it, and every one of those tasks may assume the role', () => {
    const callers = new Set<string>(memberRoleCallers());
    for (const grant of memberRoleGrants(config, { partition: 'aws', account: '123456789012' })) {
      expect([grant.statement.Sid, grant.usedBy.length > 0]).toEqual([grant.statement.Sid, true]);
      for (const task of grant.usedBy) expect([grant.statement.Sid, task, callers.has(task)]).toEqual([grant.statement.Sid, task, true]);
    }
  });
});

describe('blast radius', () => {
  const holders = (action: string) =>
    memberRoles(config, { partition: 'aws', account: '123456789012' })
      .filter((role) => role.grants.some((grant) => grant.statement.Action.includes(action)))
      .map((role) => role.task)
      .sort();

  it('lets only the destination writer write a destination policy, and only RemoveWiring delete a subscription filter', () => {
    expect(holders('logs:PutDestinationPolicy')).toEqual(['EnsureDestinationAccess']);
    expect(holders('logs:DeleteSubscriptionFilter')).toEqual(['RemoveWiring']);
    expect(holders('guardduty:DisassociateMembers')).toEqual(['OffboardRegion']);
    expect(holders('ec2:DeleteFlowLogs')).toEqual(['EnableFlowLogs', 'EnsureFlowLogsPage', 'RemoveWiring']);
    expect(holders('events:DeleteRule')).toEqual(['RemoveWiring']);
  });
});
