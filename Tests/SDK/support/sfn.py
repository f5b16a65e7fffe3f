"""Step Functions helpers and fixtures: a boto3 `stepfunctions` client, state machine
factories, bounded polling of executions and their history, raw awsJson1_0 calls, and
a check of raw responses against botocore's output shapes.

The fixtures are registered in conftest.py (imported there by name).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any, Callable

import botocore.session
import pytest
import requests

from .clients import make_client
from .signing import signed_headers
from .sqs import DEFAULT_ACCOUNT, JSON_CONTENT_TYPE, REGION

ROLE_ARN = f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/offcloud-sfn-tests"
TERMINAL_STATUSES = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}
POLL_INTERVAL = 0.05
POLL_TIMEOUT = 10.0


def unique(prefix: str = "sm") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def make_sfn_client(endpoint: str, **config):
    """StartSyncExecution's model has `hostPrefix: sync-`; `inject_host_prefix=False`
    keeps the request on the local endpoint instead of `sync-127.0.0.1`."""
    config.setdefault("inject_host_prefix", False)
    return make_client(endpoint, "stepfunctions", **config)


def state_machine_arn(name: str, account: str = DEFAULT_ACCOUNT, region: str = REGION) -> str:
    return f"arn:aws:states:{region}:{account}:stateMachine:{name}"


def activity_arn(name: str, account: str = DEFAULT_ACCOUNT, region: str = REGION) -> str:
    return f"arn:aws:states:{region}:{account}:activity:{name}"


# --- definitions -----------------------------------------------------------------

def definition(states: dict[str, Any], start: str | None = None, **top: Any) -> str:
    """An ASL definition as JSON text; StartAt defaults to the first state."""
    return json.dumps({"StartAt": start or next(iter(states)), "States": states, **top})


def pass_definition(result: Any = None) -> str:
    state: dict[str, Any] = {"Type": "Pass", "End": True}
    if result is not None:
        state["Result"] = result
    return definition({"Done": state})


def wait_definition(seconds: int) -> str:
    return definition({"Wait": {"Type": "Wait", "Seconds": seconds, "End": True}})


# --- executions ------------------------------------------------------------------

def wait_for_execution(sfn, execution_arn: str, timeout: float = POLL_TIMEOUT,
                       interval: float = POLL_INTERVAL) -> dict:
    """DescribeExecution every `interval` s until the execution has ended (bounded)."""
    deadline = time.monotonic() + timeout
    while True:
        described = sfn.describe_execution(executionArn=execution_arn)
        if described["status"] in TERMINAL_STATUSES:
            return described
        if time.monotonic() >= deadline:
            pytest.fail(f"execution still {described['status']} after {timeout}s: {execution_arn}")
        time.sleep(interval)


def run_execution(sfn, machine_arn: str, input: Any = None, name: str | None = None,
                  timeout: float = POLL_TIMEOUT) -> dict:
    """StartExecution, then wait for the end; returns DescribeExecution's answer."""
    args: dict[str, Any] = {"stateMachineArn": machine_arn}
    if input is not None:
        args["input"] = input if isinstance(input, str) else json.dumps(input)
    if name is not None:
        args["name"] = name
    started = sfn.start_execution(**args)
    return wait_for_execution(sfn, started["executionArn"], timeout=timeout)


def all_events(sfn, execution_arn: str, **kwargs) -> list[dict]:
    """Every history event, following nextToken."""
    events: list[dict] = []
    token = None
    for _ in range(1000):
        args = dict(kwargs, executionArn=execution_arn)
        if token:
            args["nextToken"] = token
        page = sfn.get_execution_history(**args)
        events.extend(page["events"])
        token = page.get("nextToken")
        if not token:
            return events
    pytest.fail("GetExecutionHistory never stopped returning nextToken")


def event_types(events: list[dict]) -> list[str]:
    return [event["type"] for event in events]


def details_of(event: dict) -> dict:
    """The one `…EventDetails` member of an event ({} when it has none)."""
    found = [value for key, value in event.items() if key.endswith("EventDetails")]
    assert len(found) <= 1, event
    return found[0] if found else {}


def wait_for_event(sfn, execution_arn: str, predicate: Callable[[dict], bool],
                   timeout: float = POLL_TIMEOUT, message: str = "history event") -> dict:
    """Poll the history until an event matches (bounded); returns that event."""
    deadline = time.monotonic() + timeout
    while True:
        for event in all_events(sfn, execution_arn):
            if predicate(event):
                return event
        if time.monotonic() >= deadline:
            described = sfn.describe_execution(executionArn=execution_arn)
            pytest.fail(f"no {message} within {timeout}s; execution is {described['status']} "
                        f"({described.get('error')}: {described.get('cause')}); history "
                        f"{event_types(all_events(sfn, execution_arn))}")
        time.sleep(POLL_INTERVAL)


def assert_event_chain(events: list[dict]) -> None:
    """Ids count up from 1 without gaps or repeats; every event points back to an
    earlier one (0 for the first)."""
    ids = [event["id"] for event in events]
    assert ids == list(range(1, len(events) + 1)), ids
    for event in events:
        assert 0 <= event["previousEventId"] < event["id"], event
    assert events[0]["type"] == "ExecutionStarted"
    assert events[0]["previousEventId"] == 0


# --- activity workers ------------------------------------------------------------

class ActivityWorker:
    """GetActivityTask on a daemon thread, as a worker process would poll."""

    def __init__(self, sfn, activity: str, worker_name: str = "worker-1"):
        self.result: dict | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._poll, args=(sfn, activity, worker_name),
                                        daemon=True)
        self._thread.start()

    def _poll(self, sfn, activity: str, worker_name: str) -> None:
        try:
            self.result = sfn.get_activity_task(activityArn=activity, workerName=worker_name)
        except BaseException as error:  # reported by task()
            self.error = error

    def task(self, timeout: float = POLL_TIMEOUT) -> dict:
        self._thread.join(timeout)
        if self._thread.is_alive():
            pytest.fail(f"GetActivityTask returned no task within {timeout}s")
        if self.error is not None:
            raise self.error
        return self.result


# --- raw wire --------------------------------------------------------------------

def sfn_json_call(endpoint: str, operation: str, body: dict | bytes | str,
                  host: str | None = None, access_key: str = "test",
                  timeout: float = 15.0) -> requests.Response:
    """A SigV4-signed awsJson1_0 request to Step Functions, optionally with another
    Host header (signed as sent)."""
    if isinstance(body, dict):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = {"Content-Type": JSON_CONTENT_TYPE, "X-Amz-Target": f"AWSStepFunctions.{operation}"}
    if host is not None:
        headers["Host"] = host
    headers = signed_headers("POST", endpoint + "/", body, headers, access_key, service="states")
    return requests.post(endpoint + "/", data=body, headers=headers, timeout=timeout)


_MODEL = None


def service_model():
    global _MODEL
    if _MODEL is None:
        _MODEL = botocore.session.get_session().get_service_model("stepfunctions")
    return _MODEL


def output_shape_problems(operation: str, value: Any) -> list[str]:
    """Where a raw JSON response departs from the operation's output shape in the
    botocore model: unknown members, missing required members, wrong JSON types,
    values outside an enum."""
    shape = service_model().operation_model(operation).output_shape
    problems: list[str] = []
    _check(value, shape, operation, problems)
    return problems


def _check(value: Any, shape, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object ({shape.name}), got {value!r}")
            return
        for key in value:
            if key not in shape.members:
                problems.append(f"{path}.{key}: not a member of {shape.name}")
        for key in shape.required_members:
            if key not in value:
                problems.append(f"{path}.{key}: required member of {shape.name} is missing")
        for key, member in shape.members.items():
            if key in value:
                _check(value[key], member, f"{path}.{key}", problems)
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list, got {value!r}")
            return
        for i, item in enumerate(value):
            _check(item, shape.member, f"{path}[{i}]", problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a map, got {value!r}")
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: expected a string, got {value!r}")
        elif shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not one of {shape.enum}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path}: expected an integer, got {value!r}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected a boolean, got {value!r}")
    elif kind == "timestamp":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(f"{path}: expected epoch seconds, got {value!r}")


# --- fixtures (registered by conftest.py) ----------------------------------------

@pytest.fixture(scope="session")
def sfn(endpoint):
    """A boto3 `stepfunctions` client on the shared server."""
    return make_sfn_client(endpoint)


@pytest.fixture
def create_state_machine(sfn) -> Callable[..., str]:
    """create_state_machine(definition, name=None, type="STANDARD", **kwargs) -> ARN;
    `definition` may be a dict or JSON text."""

    def create(definition_: str | dict, name: str | None = None, type: str = "STANDARD",
               **kwargs) -> str:
        text = definition_ if isinstance(definition_, str) else json.dumps(definition_)
        return sfn.create_state_machine(name=name or unique(), definition=text,
                                        roleArn=kwargs.pop("roleArn", ROLE_ARN), type=type,
                                        **kwargs)["stateMachineArn"]

    return create


@pytest.fixture
def create_activity(sfn) -> Callable[..., str]:
    """create_activity(name=None, **kwargs) -> activity ARN (a unique name per test,
    so a poll left over from another test never takes this test's task)."""

    def create(name: str | None = None, **kwargs) -> str:
        return sfn.create_activity(name=name or unique("act"), **kwargs)["activityArn"]

    return create
