"""Step Functions RedriveExecution: a STANDARD execution that failed at a Task
(sqs:sendMessage to a queue that does not exist yet) is redriven once the queue
exists; it resumes at the failed state with that state's input (the Pass state before
it is not run again), its history continues after an ExecutionRedriven event, and
DescribeExecution/ListExecutions report redriveCount, redriveDate, redriveStatus and
the redriveFilter. Succeeded and EXPRESS executions are not redrivable; a stopped
(ABORTED) execution is."""

import datetime
import json

import pytest
from botocore.exceptions import ClientError

from support.sfn import (all_events, definition, details_of, event_types,
                         output_shape_problems, sfn_json_call, unique, wait_for_event,
                         wait_for_execution)
from support.sqs import DEFAULT_ACCOUNT, raises_aws, receive_one

SEND = "arn:aws:states:::sqs:sendMessage"


@pytest.fixture
def pending_queue(endpoint) -> tuple[str, str]:
    """(name, URL) of a queue that does not exist until the test creates it."""
    name = unique("later")
    return name, f"{endpoint}/{DEFAULT_ACCOUNT}/{name}"


@pytest.fixture
def failed_execution(sfn, create_state_machine, pending_queue) -> str:
    """Prepare (Pass) → Send (sqs:sendMessage to the missing queue) → Finish (Pass);
    the execution has FAILED at Send."""
    _, url = pending_queue
    arn = create_state_machine(definition({
        "Prepare": {"Type": "Pass", "Result": {"ready": True}, "ResultPath": "$.prep",
                    "Next": "Send"},
        "Send": {"Type": "Task", "Resource": SEND, "ResultPath": "$.sent", "Next": "Finish",
                 "Parameters": {"QueueUrl": url, "MessageBody.$": "$.msg"}},
        "Finish": {"Type": "Pass", "End": True}}))
    execution = sfn.start_execution(stateMachineArn=arn, name="order-1",
                                    input=json.dumps({"msg": "hello"}))["executionArn"]
    described = wait_for_execution(sfn, execution)
    assert described["status"] == "FAILED", described
    return execution


def entered(events: list[dict]) -> list[str]:
    return [details_of(e)["name"] for e in events if e["type"].endswith("StateEntered")]


# --- before the redrive ------------------------------------------------------------

def test_failed_execution_is_redrivable(sfn, failed_execution):
    described = sfn.describe_execution(executionArn=failed_execution)

    assert described["status"] == "FAILED"
    assert described["error"].startswith("SQS.")
    assert described["redriveStatus"] == "REDRIVABLE"
    assert described["redriveCount"] == 0
    assert "redriveDate" not in described


def test_describe_failed_execution_raw_response_matches_the_model(endpoint, failed_execution):
    response = sfn_json_call(endpoint, "DescribeExecution", {"executionArn": failed_execution})

    assert response.status_code == 200, response.text
    assert output_shape_problems("DescribeExecution", response.json()) == []


# --- redriving ---------------------------------------------------------------------

def test_redrive_resumes_at_the_failed_state_and_succeeds(sfn, sqs, failed_execution,
                                                         pending_queue):
    name, url = pending_queue
    sqs.create_queue(QueueName=name)
    before = sfn.describe_execution(executionArn=failed_execution)

    redriven = sfn.redrive_execution(executionArn=failed_execution)

    assert isinstance(redriven["redriveDate"], datetime.datetime)
    described = wait_for_execution(sfn, failed_execution)
    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["msg"] == "hello"
    assert output["prep"] == {"ready": True}
    assert output["sent"]["MessageId"] == receive_one(sqs, url)["MessageId"]
    assert described["redriveCount"] == 1
    assert described["redriveDate"] == redriven["redriveDate"]
    assert "error" not in described and "cause" not in described
    # The same execution: same ARN, name and start date.
    assert described["name"] == "order-1"
    assert described["startDate"] == before["startDate"]
    assert described["stopDate"] >= before["stopDate"]


def test_redrive_history_continues_without_rerunning_the_pass_state(sfn, sqs, failed_execution,
                                                                   pending_queue):
    sqs.create_queue(QueueName=pending_queue[0])
    before = all_events(sfn, failed_execution)

    sfn.redrive_execution(executionArn=failed_execution)
    wait_for_execution(sfn, failed_execution)

    events = all_events(sfn, failed_execution)
    types = event_types(events)
    # The first attempt's history is kept as it was.
    assert events[:len(before)] == before
    assert types[len(before)] == "ExecutionRedriven"
    assert details_of(events[len(before)])["redriveCount"] == 1
    after = events[len(before) + 1:]
    assert after[0]["type"] == "TaskStateEntered"
    assert details_of(after[0])["name"] == "Send"
    # Send gets the input it had the first time: Prepare's output.
    assert json.loads(details_of(after[0])["input"]) == {"msg": "hello", "prep": {"ready": True}}
    assert entered(events) == ["Prepare", "Send", "Send", "Finish"]
    assert types.count("ExecutionStarted") == 1
    assert types[-1] == "ExecutionSucceeded"
    ids = [e["id"] for e in events]
    assert ids == list(range(1, len(events) + 1))


def test_redriven_execution_that_fails_again_is_redrivable_again(sfn, failed_execution):
    sfn.redrive_execution(executionArn=failed_execution)  # the queue still does not exist

    described = wait_for_execution(sfn, failed_execution)

    assert described["status"] == "FAILED"
    assert described["redriveCount"] == 1
    assert described["redriveStatus"] == "REDRIVABLE"
    types = event_types(all_events(sfn, failed_execution))
    assert types.count("ExecutionFailed") == 2
    assert types.count("ExecutionRedriven") == 1


def test_list_executions_redrive_filter(sfn, sqs, create_state_machine, pending_queue):
    name, url = pending_queue
    arn = create_state_machine(definition({"Send": {
        "Type": "Task", "Resource": SEND, "End": True,
        "Parameters": {"QueueUrl": url, "MessageBody": "x"}}}))
    for execution_name in ("first", "second"):
        wait_for_execution(sfn, sfn.start_execution(stateMachineArn=arn,
                                                    name=execution_name)["executionArn"])
    sqs.create_queue(QueueName=name)
    first = f"arn:aws:states:{arn.split(':')[3]}:{DEFAULT_ACCOUNT}:execution:" \
            f"{arn.rsplit(':', 1)[1]}:first"
    sfn.redrive_execution(executionArn=first)
    wait_for_execution(sfn, first)

    def names(**kwargs):
        return sorted(e["name"] for e in
                      sfn.list_executions(stateMachineArn=arn, **kwargs)["executions"])

    assert names(redriveFilter="REDRIVEN") == ["first"]
    assert names(redriveFilter="NOT_REDRIVEN") == ["second"]
    assert names() == ["first", "second"]
    items = {e["name"]: e for e in sfn.list_executions(stateMachineArn=arn)["executions"]}
    assert items["first"]["redriveCount"] == 1
    assert items["second"]["redriveCount"] == 0


def test_list_executions_items_carry_the_redrive_date(sfn, sqs, failed_execution,
                                                      pending_queue):
    sqs.create_queue(QueueName=pending_queue[0])
    redriven = sfn.redrive_execution(executionArn=failed_execution)
    wait_for_execution(sfn, failed_execution)
    machine = sfn.describe_execution(executionArn=failed_execution)["stateMachineArn"]

    [item] = sfn.list_executions(stateMachineArn=machine)["executions"]

    # ExecutionListItem.redriveDate: "The date the execution was last redriven."
    assert item["redriveCount"] == 1
    assert item.get("redriveDate") == redriven["redriveDate"]


# --- not redrivable ----------------------------------------------------------------

def test_redriving_a_succeeded_execution_is_execution_not_redrivable(sfn, create_state_machine):
    arn = create_state_machine(definition({"Done": {"Type": "Pass", "End": True}}))
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    wait_for_execution(sfn, execution)

    with raises_aws("ExecutionNotRedrivable", 400):
        sfn.redrive_execution(executionArn=execution)

    described = sfn.describe_execution(executionArn=execution)
    assert described["status"] == "SUCCEEDED"
    assert described["redriveStatus"] == "NOT_REDRIVABLE"
    assert described["redriveStatusReason"]
    assert described["redriveCount"] == 0


def test_redrive_after_success_is_execution_not_redrivable(sfn, sqs, failed_execution,
                                                           pending_queue):
    sqs.create_queue(QueueName=pending_queue[0])
    sfn.redrive_execution(executionArn=failed_execution)
    assert wait_for_execution(sfn, failed_execution)["status"] == "SUCCEEDED"

    with raises_aws("ExecutionNotRedrivable", 400):
        sfn.redrive_execution(executionArn=failed_execution)

    described = sfn.describe_execution(executionArn=failed_execution)
    assert described["redriveStatus"] == "NOT_REDRIVABLE"


def test_redriving_a_running_execution_is_execution_not_redrivable(sfn, create_state_machine):
    arn = create_state_machine(definition({"Hold": {"Type": "Wait", "Seconds": 30, "End": True}}))
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]

    with raises_aws("ExecutionNotRedrivable", 400):
        sfn.redrive_execution(executionArn=execution)

    assert sfn.describe_execution(executionArn=execution)["redriveStatus"] == "NOT_REDRIVABLE"
    sfn.stop_execution(executionArn=execution)


def test_redriving_an_express_execution_is_refused(sfn, create_state_machine):
    # RedriveExecution: "This API action is not supported by EXPRESS state machines."
    arn = create_state_machine(definition({"F": {"Type": "Fail", "Error": "E", "Cause": "c"}}),
                               type="EXPRESS")
    started = sfn.start_sync_execution(stateMachineArn=arn)
    assert started["status"] == "FAILED"

    with pytest.raises(ClientError) as info:
        sfn.redrive_execution(executionArn=started["executionArn"])

    assert info.value.response["Error"]["Code"] in ("ExecutionNotRedrivable",
                                                    "ExecutionDoesNotExist")


def test_redriving_a_missing_execution_is_execution_does_not_exist(sfn, create_state_machine):
    arn = create_state_machine(definition({"Done": {"Type": "Pass", "End": True}}))
    machine = arn.rsplit(":", 1)[1]

    with raises_aws("ExecutionDoesNotExist", 400):
        sfn.redrive_execution(
            executionArn=f"arn:aws:states:us-east-1:{DEFAULT_ACCOUNT}:execution:{machine}:nope")


def test_redriving_a_malformed_arn_is_invalid_arn(sfn):
    with raises_aws("InvalidArn", 400):
        sfn.redrive_execution(executionArn="not-an-arn")


# --- stopped executions ------------------------------------------------------------

def test_stopped_execution_can_be_redriven(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "Start": {"Type": "Pass", "Result": 1, "ResultPath": "$.started", "Next": "Hold"},
        "Hold": {"Type": "Wait", "Seconds": 2, "Next": "Done"},
        "Done": {"Type": "Pass", "End": True}}))
    execution = sfn.start_execution(stateMachineArn=arn, input='{"k": "v"}')["executionArn"]
    wait_for_event(sfn, execution, lambda e: e["type"] == "WaitStateEntered",
                   message="the Wait state")
    sfn.stop_execution(executionArn=execution, error="Halt", cause="stopped by the test")
    stopped = wait_for_execution(sfn, execution)
    assert stopped["status"] == "ABORTED"
    assert stopped["redriveStatus"] == "REDRIVABLE"

    sfn.redrive_execution(executionArn=execution)

    described = wait_for_execution(sfn, execution)
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"k": "v", "started": 1}
    assert described["redriveCount"] == 1
    events = all_events(sfn, execution)
    assert "ExecutionAborted" in event_types(events)
    assert entered(events) == ["Start", "Hold", "Hold", "Done"]
