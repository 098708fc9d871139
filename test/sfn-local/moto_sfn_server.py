"""
A Step Functions endpoint for the MockConfigFile cases, on the LocalStack interpreter that moto
ships (moto.stepfunctions.parser), with what that port lacks or gets wrong patched here, in one
place, pinned to the moto version it was written against:

1. Its mock-file loader is a stub that always returns None; this one reads SFN_MOCK_CONFIG as
   Step Functions Local and LocalStack do
   (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html).
2. It picks a mocked response by the state's RetryCount, so a state entered again (a loop, a Map
   iteration) gets response "0" forever; AWS's page numbers responses per invocation of the state.
   Fixed upstream in LocalStack after moto took its copy.
3. Its grammar takes ToleratedFailurePercentage only as a fraction (100.0); AWS takes any number
   from 0 to 100. The definition is rewritten on the way in; ours keeps integers.
4. It deep-copies a state machine at each start, with its backend and every earlier execution,
   whose worker threads hold locks that cannot be copied: no second execution starts. The copy
   shares those two instead.
5. It sleeps for real through Retry intervals and Wait states; these cases run in virtual time
   (Step Functions Local does not shorten them either, so a case there takes as long as on AWS).
6. It builds a new JSONPath parser (jsonpath_ng generates its yacc tables) for every path it
   evaluates: about nine tenths of an execution's CPU. A path's parse never changes, so the parsed
   expressions are kept (a speed fix only; what they find is unchanged).

Prints "listening on http://127.0.0.1:<port>" once ready, then serves until killed or until its
standard input closes: the tests hold a pipe to it, so a test process that dies (or a runner that
skips jest's global teardown, as Stryker's does) leaves no server behind.
"""
import copy
import functools
import json
import os
import re
import sys
import threading
from types import SimpleNamespace

import moto

PINNED_MOTO = "5.2.1"
if moto.__version__ != PINNED_MOTO:
    sys.exit(f"moto {moto.__version__} found; this launcher patches moto {PINNED_MOTO} only")

from moto.core.config import default_user_config  # noqa: E402
from moto.moto_server.threaded_moto_server import ThreadedMotoServer  # noqa: E402
from moto.stepfunctions import responses as sfn_responses  # noqa: E402
from moto.stepfunctions.exceptions import InvalidName  # noqa: E402
from moto.stepfunctions.parser import models as parser_models  # noqa: E402
from moto.stepfunctions.parser.backend import execution as parser_execution  # noqa: E402
from moto.stepfunctions.parser.asl.component.common.path import result_path  # noqa: E402
from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl  # noqa: E402
from moto.stepfunctions.parser.asl.component.state.wait.wait_function import wait_function  # noqa: E402
from moto.stepfunctions.parser.asl.eval import environment  # noqa: E402
from moto.stepfunctions.parser.asl.utils import json_path  # noqa: E402
from moto.stepfunctions.parser.mocking import mock_config  # noqa: E402

default_user_config["stepfunctions"] = {"execute_state_machine": True}


def _raw_config(path):
    """The file as the attribute tree mock_config.py reads (pydantic models in LocalStack)."""
    with open(path, encoding="utf-8") as file:
        raw = json.load(file)

    def response(model):
        returned = model.get("Return")
        return SimpleNamespace(
            Return=SimpleNamespace(model_dump=lambda: returned) if "Return" in model else None,
            Throw=SimpleNamespace(**model["Throw"]) if "Throw" in model else None,
        )

    return SimpleNamespace(
        StateMachines={
            name: SimpleNamespace(TestCases={case: SimpleNamespace(root=mocks) for case, mocks in machine["TestCases"].items()})
            for name, machine in raw["StateMachines"].items()
        },
        MockedResponses={
            name: {invocations: response(model) for invocations, model in responses.items()}
            for name, responses in raw["MockedResponses"].items()
        },
    )


def load_mock_test_case_for(state_machine_name, test_case_name):
    path = os.environ.get("SFN_MOCK_CONFIG")
    if not path:
        return None
    raw = _raw_config(path)
    if test_case_name not in getattr(raw.StateMachines.get(state_machine_name), "TestCases", {}):
        return None
    return mock_config._mock_test_case_from_raw(state_machine_name, test_case_name, raw)


_starting = threading.local()
_start_execution = parser_models.StepFunctionsParserBackend.start_execution


def start_execution(self, state_machine_arn, name=None, execution_input=None, trace_header=None):
    """`<state machine ARN>#<test case>` runs that test case, as Step Functions Local does."""
    arn, _, test_case = state_machine_arn.partition("#")
    machine = self.describe_state_machine(arn)
    existing = machine._handle_name_input_idempotency(name, execution_input)
    if existing is not None:
        return existing
    _starting.mock_test_case = None
    if test_case:
        _starting.mock_test_case = load_mock_test_case_for(machine.name, test_case)
        if _starting.mock_test_case is None:
            raise InvalidName(f"Invalid mock test case name '{test_case}' for state machine '{machine.name}'.")
    try:
        return _start_execution(self, arn, name, execution_input, trace_header)
    finally:
        _starting.mock_test_case = None


def _copy_state_machine(self, memo):
    clone = copy.copy(self)
    memo[id(self)] = clone
    for key, value in vars(self).items():
        if key not in ("backend", "executions"):
            setattr(clone, key, copy.deepcopy(value, memo))
    return clone


def _get_start_execution_worker(self):
    worker = _get_worker(self)
    worker._mock_test_case = getattr(_starting, "mock_test_case", None)
    return worker


_get_worker = parser_execution.Execution._get_start_execution_worker
parser_models.StepFunctionsParserBackend.start_execution = start_execution
parser_models.StateMachine.__deepcopy__ = _copy_state_machine
parser_execution.Execution._get_start_execution_worker = _get_start_execution_worker

_invocations_lock = threading.Lock()


def get_current_mocked_response(self):
    if not self.is_mocked_mode():
        raise RuntimeError("Cannot retrieve mocked response: execution is not operating in mocked mode")
    state_name = self.next_state_name
    responses = self.mock_test_case.state_mocked_responses[state_name].mocked_responses
    with _invocations_lock:
        # One test case object per execution, shared by its Map iterations and branches.
        invocations = self.mock_test_case.__dict__.setdefault("tributary_invocations", {})
        invocation = invocations.get(state_name, 0)
        invocations[state_name] = invocation + 1
    if invocation >= len(responses):
        raise RuntimeError(f"No mocked response for state '{state_name}' and invocation {invocation}")
    return responses[invocation]


environment.Environment.get_current_mocked_response = get_current_mocked_response

retrier_decl.time = SimpleNamespace(sleep=lambda _seconds: None)
wait_function.WaitFunction._wait_interval = lambda self, env, wait_seconds: None

json_path.parse = functools.lru_cache(maxsize=None)(json_path.parse)
result_path.parse = functools.lru_cache(maxsize=None)(result_path.parse)

_INTEGER_PERCENTAGE = re.compile(r'("ToleratedFailurePercentage"\s*:\s*)(\d+)(?![\d.eE])')
_create_state_machine = sfn_responses.StepFunctionResponse.create_state_machine


def create_state_machine(self):
    body = json.loads(self.body)
    if "definition" in body:
        body["definition"] = _INTEGER_PERCENTAGE.sub(r"\g<1>\g<2>.0", body["definition"])
        self.body = json.dumps(body)
    return _create_state_machine(self)


sfn_responses.StepFunctionResponse.create_state_machine = create_state_machine

if __name__ == "__main__":
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(f"listening on http://{host}:{port}", flush=True)
    sys.stdin.read()
    server.stop()
