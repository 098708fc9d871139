import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'path';
import type { TaskName } from '../../workflows/catalog';
import type { TributaryConfig } from '../config/schema';
import { taskFile } from '../../workflows/names';
import { TASK_PERMISSIONS } from '../task-permissions';
import { taskRoleName } from '../member-role-policy';
import { acknowledgePinnedRuntime, LAMBDA_RUNTIME } from './runtime';

export interface TaskFunctionProps {
  readonly task: TaskName;
  readonly config: TributaryConfig;
  /** ARN of the hub's lock table (tasks with `destination-lock`). */
  readonly lockTableArn: string;
  /** @default 60 seconds */
  readonly timeout?: Duration;
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
    const logGroup = new logs.LogGroup(this, 'Logs', { logGroupName: `/aws/lambda/${functionName}`, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    const role = new iam.Role(this, 'Role', {
      // A fixed name: the member role trusts exactly these ARNs (infra/member-role-policy.ts).
      roleName: taskRoleName(task),
      description: `Tributary task ${task}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account } }),
    });
    role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    const management = config.accounts.management;
    for (const permission of TASK_PERMISSIONS[task]) {
      switch (permission) {
        case 'assume-member-role':
          role.addToPolicy(
            new iam.PolicyStatement({
              sid: 'AssumeMemberRole',
              actions: ['sts:AssumeRole'],
              resources: [`arn:${partition}:iam::*:role/${config.memberRoleName}`],
              conditions: { StringEquals: { 'aws:ResourceOrgID': config.organizationId } },
            }),
          );
          Validations.of(role).acknowledge({
            id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${config.memberRoleName}]`,
            reason: 'The member role has one name in every account of the organization (member baseline); the account is the one being onboarded, and aws:ResourceOrgID keeps it inside the organization.',
          });
          break;
        case 'describe-account':
          role.addToPolicy(new iam.PolicyStatement({ sid: 'DescribeMemberAccounts', actions: ['organizations:DescribeAccount'], resources: [`arn:${partition}:organizations::${management}:account/${config.organizationId}/*`] }));
          Validations.of(role).acknowledge({
            id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:organizations::${management}:account/${config.organizationId}/*]`,
            reason: 'Any member account of this organization may be the one onboarded; the ARN is limited to the organization.',
          });
          break;
        case 'list-accounts':
          role.addToPolicy(new iam.PolicyStatement({ sid: 'ListOrganizationAccounts', actions: ['organizations:ListAccounts'], resources: ['*'] }));
          Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'organizations:ListAccounts supports no resource-level permission.' });
          break;
        case 'list-regions':
          role.addToPolicy(new iam.PolicyStatement({ sid: 'ListMemberRegions', actions: ['account:ListRegions'], resources: [`arn:${partition}:account::${management}:account/${config.organizationId}/*`] }));
          Validations.of(role).acknowledge({
            id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:account::${management}:account/${config.organizationId}/*]`,
            reason: 'Any member account of this organization may be the one onboarded; the ARN is limited to the organization.',
          });
          break;
        case 'destination-lock':
          role.addToPolicy(
            new iam.PolicyStatement({
              sid: 'DestinationPolicyLock',
              actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
              resources: [props.lockTableArn],
              conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['destination-policy/*', 'destination-access/*'] } },
            }),
          );
          break;
        case 'reconcile-records':
          role.addToPolicy(
            new iam.PolicyStatement({
              sid: 'ReconcileRecords',
              actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
              resources: [props.lockTableArn],
              conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['reconcile/*'] } },
            }),
          );
          break;
      }
    }

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      entry: join(__dirname, '..', '..', 'tasks', taskFile(task)),
      handler: 'handler',
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(60),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: { TRIBUTARY_CONFIG: JSON.stringify(config), POWERTOOLS_SERVICE_NAME: 'tributary' },
      bundling: { minify: true, sourceMap: true, target: 'node22' },
    });
    acknowledgePinnedRuntime(this.function);
  }
}
