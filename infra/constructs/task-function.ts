import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BACKFILL_OBJECT_PATTERN } from '../backfill-writer-policy';
import { archiveBucketName } from '../../tasks/lib/resource-names';
import { join } from 'path';
import type { TaskName } from '../../tasks/registry';
import type { TributaryConfig } from '../../tasks/lib/config';
import { taskFile } from '../../workflows/names';
import { permissionStatements, TASK_PERMISSIONS, taskRoleStatements, type TaskPermission } from '../task-permissions';
import { taskRoleName } from '../member-role-policy';
import { acknowledgePinnedRuntime, LAMBDA_RUNTIME } from './runtime';
import { memberForwarding, tributaryCallers } from '../../workflows/forwarding';
import { bundledDeploymentDefine } from '../../tasks/lib/bundled-config';
import { memberRoleNameFor } from '../../tasks/lib/ownership';
import { TASK_ENVIRONMENT_VARIABLE } from '../../tasks/lib/lambda';

export interface TaskFunctionProps {
  readonly task: TaskName;
  readonly config: TributaryConfig;
  /** ARN of the hub's lock table (tasks with `destination-lock`). */
  readonly lockTableArn: string;
  /** @default 60 seconds */
  readonly timeout?: Duration;
}

/** Every task Lambda's memory, in MB: what a task's GB-seconds are billed at (bench/reconcile-cost.ts). */
export const TASK_MEMORY_MB = 512;

/** A task Lambda's environment: a few bytes, whatever the config (which travels in the bundle); the task names its member role. */
export function taskEnvironment(task: TaskName): Record<string, string> {
  return { POWERTOOLS_SERVICE_NAME: 'tributary', [TASK_ENVIRONMENT_VARIABLE]: task };
}

/** The name every task Lambda gets; its log group falls under the pipeline's own exclusions. */
export function taskFunctionName(task: TaskName): string {
  return `tributary-${task}`;
}

/**
 * One task Lambda (nodejs22.x, arm64, JSON logs) with a role holding only the permissions its
 * calls need (infra/task-permissions.ts).
 */
export class TaskFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;

  public constructor(scope: Construct, id: string, props: TaskFunctionProps) {
    super(scope, id);
    const { account, partition } = Stack.of(this);
    const { config, task } = props;
    const functionName = taskFunctionName(task);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    const role = new iam.Role(this, 'Role', {
      // A fixed name: the member role trusts exactly these ARNs (infra/member-role-policy.ts).
      roleName: taskRoleName(task),
      description: `Tributary task ${task}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
    });
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );
    const where = { partition, lockTableArn: props.lockTableArn };
    for (const statement of taskRoleStatements(task, config, where)) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: statement.Sid,
          actions: [...statement.Action],
          resources: [...statement.Resource],
          ...(statement.Condition ? { conditions: statement.Condition as Record<string, unknown> } : {}),
        }),
      );
    }
    // cdk-nag names each wildcard resource as below: why each is what it is, for the tasks that have it.
    const management = config.accounts.management;
    const acknowledgements: ReadonlyArray<[TaskPermission, string, string]> = [
      [
        'assume-member-role',
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${memberRoleNameFor(config.memberRoleName, task)}]`,
        "The task's own member role has one name in every account of the organization (member baseline); the account is the one being onboarded, and aws:ResourceOrgID keeps it inside the organization.",
      ],
      [
        'describe-account',
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:organizations::${management}:account/${config.organizationId}/*]`,
        'Any member account of this organization may be the one onboarded; the ARN is limited to the organization.',
      ],
      [
        'list-regions',
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:account::${management}:account/${config.organizationId}/*]`,
        'Any member account of this organization may be the one onboarded; the ARN is limited to the organization.',
      ],
      ['list-accounts', 'AwsSolutions-IAM5[Resource::*]', 'organizations:ListAccounts supports no resource-level permission.'],
      [
        'write-backfill-objects',
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${archiveBucketName(config.accounts.logging, config.homeRegion)}/${BACKFILL_OBJECT_PATTERN}]`,
        'Backfill objects are named per log group and first event under logs/ (tasks/lib/backfill.ts); only new objects of that pattern, with If-None-Match, are written.',
      ],
    ];
    // Acknowledged only where the permission grants something (the backfill's only with config backfill).
    for (const [permission, id, reason] of acknowledgements)
      if (TASK_PERMISSIONS[task].includes(permission) && permissionStatements(task, permission, config, where).length > 0)
        Validations.of(role).acknowledge({ id, reason });

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      entry: join(__dirname, '..', '..', 'tasks', taskFile(task)),
      handler: 'handler',
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: TASK_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(60),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: taskEnvironment(task),
      // The config is compiled into the bundle: it may pass the 4 KB an environment allows.
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        define: bundledDeploymentDefine({ configJson: JSON.stringify(config), forwarding: memberForwarding(tributaryCallers(config)) }),
      },
    });
    acknowledgePinnedRuntime(this.function);
  }
}
