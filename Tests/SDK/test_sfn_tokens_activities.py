"""Task tokens and activities: the `.waitForTaskToken` callback pattern through SQS
(the token arrives in the message body built with `$$.Task.Token`), SendTaskSuccess /
SendTaskFailure / SendTaskHeartbeat and their errors, and activities end to end
(CreateActivity, GetActivityTask from a worker thread, Describe/List/DeleteActivity).

Token errors as AWS gives them: a token Step Functions never issued is InvalidToken; a
token whose task has already been closed (answered, timed out) is TaskTimedOut, "Task
Timed Out: 'Provided task does not exist anymore'" (the model documents TaskTimedOut as
"the task associated with the token has already been closed")."""

import datetime
import json
import time

import pytest

from support.sfn import (ActivityWorker, activity_arn, all_events, definition, details_of,
                         event_types, output_shape_problems, run_execution, sfn_json_call,
                         unique, wait_for_execution)
from support.sqs import OTHER_ACCOUNT, raises_aws

WAIT_FOR_TOKEN = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"


def callback_definition(queue_url: str, **task) -> str:
    """Send {token, order} to the queue, then wait for SendTask* with that token."""
    return definition({
        "Ask": {"Type": "Task", "Resource": WAIT_FOR_TOKEN, "Next": "After",
                "Parameters": {"QueueUrl": queue_url, "MessageBody": {
                    "token.$": "$$.Task.Token", "order.$": "$.order"}}, **task},
        "After": {"Type": "Pass", "End": True}})


def token_from_queue(sfn, sqs, queue_url: str, execution_arn: str,
                     timeout: float = 10.0) -> dict:
    """Receive the callback message (bounded); fail early, with the execution's error,
    if the execution ends instead of waiting."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1).get("Messages")
        if messages:
            return json.loads(messages[0]["Body"])
        described = sfn.describe_execution(executionArn=execution_arn)
        if described["status"] != "RUNNING":
            pytest.fail(f"execution ended {described['status']} before sending the token: "
                        f"{described.get('error')}: {described.get('cause')}")
        time.sleep(0.05)
    pytest.fail(f"no callback message within {timeout}s")


@pytest.fixture
def callback(sfn, sqs, create_state_machine, queue_url):
    """Start a callback execution; returns (execution ARN, message body with the token)."""

    def start(input: dict | None = None, **task) -> tuple[str, dict]:
        arn = create_state_machine(callback_definition(queue_url, **task))
        execution = sfn.start_execution(stateMachineArn=arn,
                                        input=json.dumps(input or {"order": 7}))["executionArn"]
        return execution, token_from_queue(sfn, sqs, queue_url, execution)

    return start


def activity_definition(activity: str, **task) -> str:
    return definition({"Work": {"Type": "Task", "Resource": activity, "End": True, **task}})


@pytest.fixture
def activity_task(sfn, create_activity, create_state_machine):
    """Start an execution of an activity task and take the task as a worker:
    returns (execution ARN, GetActivityTask's answer)."""

    def start(input: dict | None = None, **task) -> tuple[str, dict]:
        activity = create_activity()
        arn = create_state_machine(activity_definition(activity, **task))
        execution = sfn.start_execution(stateMachineArn=arn,
                                        input=json.dumps(input or {"job": 1}))["executionArn"]
        got = ActivityWorker(sfn, activity).task()
        assert got.get("taskToken"), got
        return execution, got

    return start


# --- .waitForTaskToken through SQS -------------------------------------------------

def test_callback_message_carries_the_token_and_the_execution_waits(sfn, callback):
    execution, body = callback({"order": 7})

    assert body["order"] == 7
    assert isinstance(body["token"], str) and body["token"]
    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"


def test_send_task_success_resumes_with_the_output(sfn, callback):
    execution, body = callback({"order": 7})

    sfn.send_task_success(taskToken=body["token"], output='{"approved": true}')

    described = wait_for_execution(sfn, execution)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"approved": True}
    events = all_events(sfn, execution)
    assert event_types(events)[:4] == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                       "TaskStarted"]
    scheduled = events[2]["taskScheduledEventDetails"]
    assert scheduled["resourceType"] == "sqs"
    assert scheduled["resource"] == "sendMessage.waitForTaskToken"
    succeeded = [details_of(e) for e in events if e["type"] == "TaskSucceeded"]
    assert [json.loads(d["output"]) for d in succeeded] == [{"approved": True}]


def test_send_task_failure_fails_the_task_with_error_and_cause(sfn, callback):
    execution, body = callback()

    sfn.send_task_failure(taskToken=body["token"], error="Review.Rejected", cause="too risky")

    described = wait_for_execution(sfn, execution)
    assert described["status"] == "FAILED"
    assert described["error"] == "Review.Rejected"
    assert described["cause"] == "too risky"


def test_send_task_failure_can_be_caught(sfn, callback):
    execution, body = callback(Catch=[{"ErrorEquals": ["Review.Rejected"],
                                       "ResultPath": "$.review", "Next": "After"}])

    sfn.send_task_failure(taskToken=body["token"], error="Review.Rejected", cause="no")

    described = wait_for_execution(sfn, execution)
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"])["review"] == {"Error": "Review.Rejected",
                                                         "Cause": "no"}


def test_heartbeat_while_waiting_is_accepted(sfn, callback):
    execution, body = callback(HeartbeatSeconds=30)

    sfn.send_task_heartbeat(taskToken=body["token"])
    sfn.send_task_heartbeat(taskToken=body["token"])

    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    sfn.send_task_success(taskToken=body["token"], output="{}")
    assert wait_for_execution(sfn, execution)["status"] == "SUCCEEDED"


def test_callback_token_answered_twice_is_task_timed_out(sfn, callback):
    execution, body = callback()
    sfn.send_task_success(taskToken=body["token"], output="{}")
    wait_for_execution(sfn, execution)

    with raises_aws("TaskTimedOut", 400):
        sfn.send_task_success(taskToken=body["token"], output="{}")


def test_callback_timeout_fails_with_states_timeout(sfn, callback):
    execution, _ = callback(TimeoutSeconds=1)

    described = wait_for_execution(sfn, execution)

    assert described["status"] == "FAILED"
    assert described["error"] == "States.Timeout"
    assert "TaskTimedOut" in event_types(all_events(sfn, execution))


# --- token errors ------------------------------------------------------------------

@pytest.mark.parametrize("operation", ["success", "failure", "heartbeat"])
def test_made_up_token_is_invalid_token(sfn, operation):
    token = "AAAAKgAAAAIAAAAAAAAAAWIvTm9ub25zZW5zZQ=="

    with raises_aws("InvalidToken", 400):
        if operation == "success":
            sfn.send_task_success(taskToken=token, output="{}")
        elif operation == "failure":
            sfn.send_task_failure(taskToken=token, error="E")
        else:
            sfn.send_task_heartbeat(taskToken=token)


def test_output_that_is_not_json_is_invalid_output_and_the_task_keeps_waiting(sfn, activity_task):
    execution, task = activity_task()

    with raises_aws("InvalidOutput", 400):
        sfn.send_task_success(taskToken=task["taskToken"], output="not json")

    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    sfn.send_task_success(taskToken=task["taskToken"], output='{"second": "try"}')
    assert json.loads(wait_for_execution(sfn, execution)["output"]) == {"second": "try"}


@pytest.mark.parametrize("operation", ["success", "failure", "heartbeat"])
def test_token_of_a_closed_task_is_task_timed_out(sfn, activity_task, operation):
    execution, task = activity_task()
    sfn.send_task_success(taskToken=task["taskToken"], output="{}")
    assert wait_for_execution(sfn, execution)["status"] == "SUCCEEDED"

    with raises_aws("TaskTimedOut", 400):
        if operation == "success":
            sfn.send_task_success(taskToken=task["taskToken"], output="{}")
        elif operation == "failure":
            sfn.send_task_failure(taskToken=task["taskToken"], error="Late")
        else:
            sfn.send_task_heartbeat(taskToken=task["taskToken"])


def test_token_of_a_stopped_execution_is_task_timed_out(sfn, activity_task):
    execution, task = activity_task()
    sfn.stop_execution(executionArn=execution)

    with raises_aws("TaskTimedOut", 400):
        sfn.send_task_success(taskToken=task["taskToken"], output="{}")


# --- activities --------------------------------------------------------------------

def test_create_activity_returns_its_arn(sfn):
    name = unique("act")

    created = sfn.create_activity(name=name)

    assert created["activityArn"] == activity_arn(name)
    assert isinstance(created["creationDate"], datetime.datetime)


def test_create_activity_twice_is_idempotent(sfn):
    name = unique("act")

    first = sfn.create_activity(name=name)
    second = sfn.create_activity(name=name)

    assert second["activityArn"] == first["activityArn"]
    assert second["creationDate"] == first["creationDate"]


@pytest.mark.parametrize("name", ["has space", "a:b", "x" * 81], ids=["space", "colon", "81"])
def test_invalid_activity_name_is_invalid_name(sfn, name):
    with raises_aws("InvalidName", 400):
        sfn.create_activity(name=name)


def test_describe_activity(sfn, create_activity):
    arn = create_activity()

    described = sfn.describe_activity(activityArn=arn)

    assert described["activityArn"] == arn
    assert described["name"] == arn.rsplit(":", 1)[1]
    assert isinstance(described["creationDate"], datetime.datetime)


def test_describe_missing_activity_is_activity_does_not_exist(sfn):
    with raises_aws("ActivityDoesNotExist", 400):
        sfn.describe_activity(activityArn=activity_arn(unique("absent")))


def test_describe_activity_with_a_state_machine_arn_is_invalid_arn(sfn, create_state_machine):
    machine = create_state_machine(definition({"P": {"Type": "Pass", "End": True}}))

    with raises_aws("InvalidArn", 400):
        sfn.describe_activity(activityArn=machine)


def test_list_activities_pages(sfn, create_activity):
    created = {create_activity() for _ in range(3)}

    seen, token = [], None
    for _ in range(10):
        args = {"maxResults": 2}
        if token:
            args["nextToken"] = token
        page = sfn.list_activities(**args)
        assert len(page["activities"]) <= 2
        seen += [a["activityArn"] for a in page["activities"]]
        for item in page["activities"]:
            assert item["name"] == item["activityArn"].rsplit(":", 1)[1]
            assert isinstance(item["creationDate"], datetime.datetime)
        token = page.get("nextToken")
        if not token:
            break

    assert len(seen) == len(set(seen)) == 3
    assert set(seen) == created


def test_activities_are_per_account(sfn, client_factory, create_activity):
    create_activity()
    other = client_factory(service="stepfunctions", access_key=OTHER_ACCOUNT,
                           inject_host_prefix=False)

    assert other.list_activities()["activities"] == []


def test_delete_activity(sfn, create_activity):
    arn = create_activity()

    sfn.delete_activity(activityArn=arn)

    with raises_aws("ActivityDoesNotExist"):
        sfn.describe_activity(activityArn=arn)
    assert arn not in [a["activityArn"] for a in sfn.list_activities()["activities"]]
    sfn.delete_activity(activityArn=arn)  # the model lists no "does not exist" for delete


def test_activity_tags(sfn, create_activity):
    arn = create_activity(tags=[{"key": "team", "value": "workers"}])

    sfn.tag_resource(resourceArn=arn, tags=[{"key": "tier", "value": "1"}])

    tags = {t["key"]: t["value"] for t in sfn.list_tags_for_resource(resourceArn=arn)["tags"]}
    assert tags == {"team": "workers", "tier": "1"}


def test_get_activity_task_of_a_missing_activity_is_activity_does_not_exist(sfn):
    with raises_aws("ActivityDoesNotExist", 400):
        sfn.get_activity_task(activityArn=activity_arn(unique("absent")))


def test_worker_polling_before_the_execution_gets_the_task(sfn, create_activity,
                                                          create_state_machine):
    activity = create_activity()
    arn = create_state_machine(activity_definition(activity, Parameters={"job.$": "$.job"}))
    worker = ActivityWorker(sfn, activity, worker_name="early-bird")
    time.sleep(0.1)  # the worker's long poll is waiting before anything is scheduled

    execution = sfn.start_execution(stateMachineArn=arn, input='{"job": 9, "other": 1}')
    task = worker.task()

    assert json.loads(task["input"]) == {"job": 9}
    sfn.send_task_success(taskToken=task["taskToken"], output='{"done": 9}')
    described = wait_for_execution(sfn, execution["executionArn"])
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"done": 9}


def test_activity_success_history(sfn, activity_task):
    execution, task = activity_task({"job": 1}, TimeoutSeconds=30, HeartbeatSeconds=20)

    sfn.send_task_success(taskToken=task["taskToken"], output='{"ok": true}')

    wait_for_execution(sfn, execution)
    events = all_events(sfn, execution)
    types = event_types(events)
    scheduled = next(e for e in events if e["type"] == "ActivityScheduled")
    details = scheduled["activityScheduledEventDetails"]
    assert details["resource"].startswith("arn:aws:states:")
    assert json.loads(details["input"]) == {"job": 1}
    assert details["timeoutInSeconds"] == 30
    assert details["heartbeatInSeconds"] == 20
    succeeded = next(e for e in events if e["type"] == "ActivitySucceeded")
    assert json.loads(succeeded["activitySucceededEventDetails"]["output"]) == {"ok": True}
    assert types.index("ActivityScheduled") < types.index("ActivitySucceeded")


def test_activity_started_event_names_the_worker(sfn, create_activity, create_state_machine):
    # AWS records ActivityStarted (activityStartedEventDetails.workerName) when a worker's
    # GetActivityTask takes the task, between ActivityScheduled and ActivitySucceeded.
    activity = create_activity()
    arn = create_state_machine(activity_definition(activity))
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    task = ActivityWorker(sfn, activity, worker_name="worker-7").task()
    sfn.send_task_success(taskToken=task["taskToken"], output="{}")
    wait_for_execution(sfn, execution)

    events = all_events(sfn, execution)

    types = event_types(events)
    assert types[types.index("ActivityScheduled") + 1] == "ActivityStarted", types
    started = next(e for e in events if e["type"] == "ActivityStarted")
    assert started["activityStartedEventDetails"] == {"workerName": "worker-7"}


def test_activity_failure_fails_the_execution(sfn, activity_task):
    execution, task = activity_task()

    sfn.send_task_failure(taskToken=task["taskToken"], error="Worker.Crashed", cause="disk full")

    described = wait_for_execution(sfn, execution)
    assert described["status"] == "FAILED"
    assert described["error"] == "Worker.Crashed"
    assert described["cause"] == "disk full"
    failed = next(e for e in all_events(sfn, execution) if e["type"] == "ActivityFailed")
    assert failed["activityFailedEventDetails"] == {"error": "Worker.Crashed",
                                                    "cause": "disk full"}


def test_activity_heartbeat_is_accepted_while_the_task_runs(sfn, activity_task):
    execution, task = activity_task(HeartbeatSeconds=30)

    sfn.send_task_heartbeat(taskToken=task["taskToken"])

    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"


def test_missed_heartbeat_fails_with_states_heartbeat_timeout(sfn, activity_task):
    execution, _ = activity_task(HeartbeatSeconds=1, TimeoutSeconds=60)

    described = wait_for_execution(sfn, execution, timeout=6.0)

    assert described["status"] == "FAILED"
    assert described["error"] == "States.HeartbeatTimeout"


def test_missed_heartbeat_is_recorded_as_activity_timed_out(sfn, activity_task):
    execution, _ = activity_task(HeartbeatSeconds=1, TimeoutSeconds=60)
    wait_for_execution(sfn, execution, timeout=6.0)

    events = all_events(sfn, execution)

    timed_out = [e for e in events if e["type"] == "ActivityTimedOut"]
    assert timed_out, event_types(events)
    assert timed_out[0]["activityTimedOutEventDetails"]["error"] == "States.HeartbeatTimeout"
    assert "ActivityFailed" not in event_types(events)


def test_heartbeats_keep_a_task_alive_past_heartbeat_seconds(sfn, activity_task):
    execution, task = activity_task(HeartbeatSeconds=1, TimeoutSeconds=60)

    for _ in range(4):  # 1.6 s in all, never 1 s without a heartbeat
        time.sleep(0.4)
        sfn.send_task_heartbeat(taskToken=task["taskToken"])

    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    sfn.send_task_success(taskToken=task["taskToken"], output='{"alive": true}')
    assert wait_for_execution(sfn, execution)["status"] == "SUCCEEDED"


def test_callback_missed_heartbeat_fails_with_states_heartbeat_timeout(sfn, callback):
    execution, _ = callback(HeartbeatSeconds=1)

    described = wait_for_execution(sfn, execution, timeout=6.0)

    assert described["status"] == "FAILED"
    assert described["error"] == "States.HeartbeatTimeout"
    types = event_types(all_events(sfn, execution))
    assert "TaskTimedOut" in types and "TaskFailed" not in types, types


def test_activity_timeout_fails_with_states_timeout(sfn, create_activity, create_state_machine):
    activity = create_activity()  # no worker ever polls it
    arn = create_state_machine(activity_definition(activity, TimeoutSeconds=1))

    described = run_execution(sfn, arn)

    assert described["status"] == "FAILED"
    assert described["error"] == "States.Timeout"
    assert "ActivityTimedOut" in event_types(all_events(sfn, described["executionArn"]))


def test_get_activity_task_raw_response_matches_the_model(sfn, endpoint, create_activity,
                                                         create_state_machine):
    activity = create_activity()
    arn = create_state_machine(activity_definition(activity))
    sfn.start_execution(stateMachineArn=arn)

    response = sfn_json_call(endpoint, "GetActivityTask", {"activityArn": activity})

    assert response.status_code == 200, response.text
    assert output_shape_problems("GetActivityTask", response.json()) == []
    assert response.json()["taskToken"]
