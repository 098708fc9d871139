/**
 * The workflow catalog: for each state machine, its ASL file, what starts it (EventBridge
 * patterns and input mappings, used verbatim by the CDK rules and by offline routing) and the
 * tasks its Task states call. One entry per workflow; start here to find anything about one.
 */
import type { InputMapping } from './input-mapping';

export type WorkflowName = 'subscribe-log-group';

/** Names of task Lambdas: the ASL refers to each as `${<TaskName>FunctionArn}`. */
export type TaskName = 'SubscribeLogGroup';

export interface WorkflowTrigger {
  /** Unique across the catalog; names the EventBridge rule. */
  readonly id: string;
  readonly description: string;
  readonly eventPattern: Readonly<Record<string, unknown>>;
  readonly input: InputMapping;
}

export interface WorkflowSpec {
  readonly name: WorkflowName;
  readonly description: string;
  /** Path below `asl/`. */
  readonly aslFile: string;
  readonly triggers: readonly WorkflowTrigger[];
  readonly tasks: readonly TaskName[];
}

/** Every CloudTrail-based trigger keeps only successful calls: a failed call has an errorCode. */
const SUCCESSFUL_CALL = { errorCode: [{ exists: false }] } as const;

export const CATALOG: readonly WorkflowSpec[] = [
  {
    name: 'subscribe-log-group',
    description: "Puts Tributary's subscription filter on a newly created log group.",
    aslFile: 'subscribe-log-group.asl.json',
    tasks: ['SubscribeLogGroup'],
    triggers: [
      {
        id: 'CreateLogGroup',
        description: 'CloudTrail CreateLogGroup (successful calls), forwarded from member regions to the hub bus',
        eventPattern: {
          source: ['aws.logs'],
          'detail-type': ['AWS API Call via CloudTrail'],
          detail: { eventSource: ['logs.amazonaws.com'], eventName: ['CreateLogGroup'], ...SUCCESSFUL_CALL },
        },
        input: {
          accountId: '$.account',
          region: '$.region',
          logGroupName: '$.detail.requestParameters.logGroupName',
          trigger: { detailType: '$.detail-type', eventName: '$.detail.eventName' },
        },
      },
    ],
  },
];

export function workflowSpec(name: string): WorkflowSpec {
  const spec = CATALOG.find((w) => w.name === name);
  if (!spec) throw new Error(`unknown workflow "${name}" (known: ${CATALOG.map((w) => w.name).join(', ')})`);
  return spec;
}
