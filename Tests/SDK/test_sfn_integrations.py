"""Task states reaching other services through the server: the optimized
`sqs:sendMessage`, AWS SDK integrations (`aws-sdk:sqs:*`) and their error names,
nested executions (`states:startExecution`, `.sync`, `.sync:2`), Lambda resources
while no Lambda function exists, and Retry/Catch around a failing task."""

import json

import pytest

from support.sfn import all_events, definition, event_types, run_execution, wait_for_execution
from support.sqs import DEFAULT_ACCOUNT, REGION, md5_hex, receive_one

SEND = "arn:aws:states:::sqs:sendMessage"
GET_QUEUE_URL = "arn:aws:states:::aws-sdk:sqs:getQueueUrl"
LAMBDA_ARN = f"arn:aws:lambda:{REGION}:{DEFAULT_ACCOUNT}:function:not-deployed"


def lookup(queue_name: str, **state) -> dict:
    """A Task state calling GetQueueUrl through the AWS SDK integration."""
    return {"Type": "Task", "Resource": GET_QUEUE_URL,
            "Parameters": {"QueueName": queue_name}, **state}


@pytest.fixture
def child(create_state_machine) -> str:
    """A STANDARD machine that doubles `$.n`."""
    return create_state_machine(definition({"Double": {
        "Type": "Pass", "End": True, "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"}}}))


# --- sqs:sendMessage ---------------------------------------------------------------

def test_send_message_result_has_message_id_and_body_md5(sfn, sqs, create_state_machine,
                                                         queue_url):
    arn = create_state_machine(definition({"Send": {
        "Type": "Task", "Resource": SEND, "End": True,
        "Parameters": {"QueueUrl": queue_url, "MessageBody": {"order.$": "$.order"}}}}))

    described = run_execution(sfn, arn, input={"order": 42})

    assert described["status"] == "SUCCEEDED", described
    result = json.loads(described["output"])
    message = receive_one(sqs, queue_url)
    # A JSON MessageBody is sent as its JSON text.
    assert json.loads(message["Body"]) == {"order": 42}
    assert result["MessageId"] == message["MessageId"]
    assert result["MD5OfMessageBody"] == md5_hex(message["Body"])


def test_send_message_string_body_is_sent_verbatim(sfn, sqs, create_state_machine, queue_url):
    arn = create_state_machine(definition({"Send": {
        "Type": "Task", "Resource": SEND, "End": True,
        "Parameters": {"QueueUrl": queue_url, "MessageBody.$": "$.text"}}}))

    described = run_execution(sfn, arn, input={"text": "plain text, not JSON"})

    assert described["status"] == "SUCCEEDED", described
    assert receive_one(sqs, queue_url)["Body"] == "plain text, not JSON"


def test_send_message_result_selector_and_result_path(sfn, sqs, create_state_machine, queue_url):
    arn = create_state_machine(definition({"Send": {
        "Type": "Task", "Resource": SEND, "End": True,
        "Parameters": {"QueueUrl": queue_url, "MessageBody": "x"},
        "ResultSelector": {"id.$": "$.MessageId"}, "ResultPath": "$.sent"}}))

    described = run_execution(sfn, arn, input={"keep": True})

    output = json.loads(described["output"])
    assert output["keep"] is True
    assert output["sent"] == {"id": receive_one(sqs, queue_url)["MessageId"]}


def test_send_message_attributes_reach_the_queue(sfn, sqs, create_state_machine, queue_url):
    arn = create_state_machine(definition({"Send": {
        "Type": "Task", "Resource": SEND, "End": True,
        "Parameters": {"QueueUrl": queue_url, "MessageBody": "x", "MessageAttributes": {
            "kind": {"DataType": "String", "StringValue": "order"}}}}}))

    assert run_execution(sfn, arn)["status"] == "SUCCEEDED"

    message = receive_one(sqs, queue_url, MessageAttributeNames=["All"])
    assert message["MessageAttributes"] == {"kind": {"DataType": "String",
                                                     "StringValue": "order"}}


def test_send_message_to_a_missing_queue_fails_with_an_sqs_error(sfn, create_state_machine,
                                                                endpoint):
    arn = create_state_machine(definition({"Send": {
        "Type": "Task", "Resource": SEND, "End": True,
        "Parameters": {"QueueUrl": f"{endpoint}/{DEFAULT_ACCOUNT}/no-such-queue",
                       "MessageBody": "x"}}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "FAILED"
    assert described["error"].startswith("SQS."), described["error"]
    assert described["cause"]


# --- aws-sdk:sqs:* -----------------------------------------------------------------

def test_sdk_get_queue_url_returns_the_queue_url(sfn, create_state_machine, create_queue):
    create_queue(name="sfn-lookup-target")
    arn = create_state_machine(definition({"Lookup": lookup("sfn-lookup-target", End=True)}))

    described = run_execution(sfn, arn)

    assert described["status"] == "SUCCEEDED", described
    url = json.loads(described["output"])["QueueUrl"]
    assert url.endswith(f"/{DEFAULT_ACCOUNT}/sfn-lookup-target")


def test_sdk_error_is_named_after_the_service_and_exception(sfn, create_state_machine):
    arn = create_state_machine(definition({"Lookup": lookup("no-such-queue", End=True)}))

    described = run_execution(sfn, arn)

    assert described["status"] == "FAILED"
    assert described["error"] == "Sqs.QueueDoesNotExistException"
    assert described["cause"]


def test_sdk_error_is_caught_by_its_exact_name(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "Lookup": lookup("no-such-queue", Next="Found", Catch=[
            {"ErrorEquals": ["Sqs.QueueDoesNotExistException"], "ResultPath": "$.error",
             "Next": "Missing"}]),
        "Found": {"Type": "Succeed"},
        "Missing": {"Type": "Pass", "Result": "created instead", "ResultPath": "$.action",
                    "End": True}}))

    described = run_execution(sfn, arn, input={"queue": "no-such-queue"})

    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["queue"] == "no-such-queue"
    assert output["action"] == "created instead"
    assert output["error"]["Error"] == "Sqs.QueueDoesNotExistException"
    assert output["error"]["Cause"]


def test_sdk_error_is_caught_by_states_task_failed(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "Lookup": lookup("no-such-queue", End=True, Catch=[
            {"ErrorEquals": ["States.TaskFailed"], "Next": "Handled"}]),
        "Handled": {"Type": "Succeed"}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"])["Error"] == "Sqs.QueueDoesNotExistException"


def test_catcher_for_another_error_does_not_catch(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "Lookup": lookup("no-such-queue", End=True, Catch=[
            {"ErrorEquals": ["Sqs.SomethingElseException"], "Next": "Handled"}]),
        "Handled": {"Type": "Succeed"}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "FAILED"
    assert described["error"] == "Sqs.QueueDoesNotExistException"


# --- Retry and Catch around a failing task ----------------------------------------

def test_retry_then_catch(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "Lookup": lookup("no-such-queue", End=True,
                         Retry=[{"ErrorEquals": ["Sqs.QueueDoesNotExistException"],
                                 "IntervalSeconds": 1, "MaxAttempts": 1, "BackoffRate": 1.0}],
                         Catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure",
                                 "Next": "Recover"}]),
        "Recover": {"Type": "Pass", "End": True}}))

    described = run_execution(sfn, arn, input={"id": 1})

    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["id"] == 1
    assert output["failure"]["Error"] == "Sqs.QueueDoesNotExistException"
    events = all_events(sfn, described["executionArn"])
    types = event_types(events)
    assert types.count("TaskScheduled") == 2  # the first attempt and one retry
    assert types.count("TaskFailed") == 2
    assert types.count("TaskStateEntered") == 1  # a retry stays inside the state
    failures = [e["timestamp"] for e in events if e["type"] == "TaskFailed"]
    assert (failures[1] - failures[0]).total_seconds() >= 0.9  # IntervalSeconds: 1
    assert types[-3:] == ["PassStateEntered", "PassStateExited", "ExecutionSucceeded"]


def test_retries_exhausted_without_a_catcher_fail_the_execution(sfn, create_state_machine):
    arn = create_state_machine(definition({"Lookup": lookup(
        "no-such-queue", End=True,
        Retry=[{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 1}])}))

    described = run_execution(sfn, arn)

    assert described["status"] == "FAILED"
    assert described["error"] == "Sqs.QueueDoesNotExistException"
    assert event_types(all_events(sfn, described["executionArn"])).count("TaskFailed") == 2


def test_retrier_for_another_error_does_not_retry(sfn, create_state_machine):
    arn = create_state_machine(definition({"Lookup": lookup(
        "no-such-queue", End=True,
        Retry=[{"ErrorEquals": ["Sqs.ThrottledException"], "IntervalSeconds": 1,
                "MaxAttempts": 3}])}))

    described = run_execution(sfn, arn)

    assert described["status"] == "FAILED"
    assert event_types(all_events(sfn, described["executionArn"])).count("TaskFailed") == 1


def test_max_attempts_zero_never_retries(sfn, create_state_machine):
    arn = create_state_machine(definition({"Lookup": lookup(
        "no-such-queue", End=True,
        Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}])}))

    described = run_execution(sfn, arn)

    assert described["status"] == "FAILED"
    assert event_types(all_events(sfn, described["executionArn"])).count("TaskFailed") == 1


# --- states:startExecution ---------------------------------------------------------

def test_start_execution_request_response_returns_the_child_arn(sfn, create_state_machine, child):
    arn = create_state_machine(definition({"Start": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution", "End": True,
        "Parameters": {"StateMachineArn": child, "Input": {"n": 4}, "Name": "child-run"}}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    machine = child.rsplit(":", 1)[1]
    assert output["ExecutionArn"] == (
        f"arn:aws:states:{REGION}:{DEFAULT_ACCOUNT}:execution:{machine}:child-run")
    assert "StartDate" in output
    finished = wait_for_execution(sfn, output["ExecutionArn"])
    assert json.loads(finished["output"]) == {"doubled": 8}
    assert json.loads(finished["input"]) == {"n": 4}


def test_start_execution_sync_returns_the_child_output_as_text(sfn, create_state_machine, child):
    arn = create_state_machine(definition({"Start": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync", "End": True,
        "Parameters": {"StateMachineArn": child, "Input": {"n": 4}}}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["Status"] == "SUCCEEDED"
    assert output["StateMachineArn"] == child
    assert isinstance(output["Output"], str)
    assert json.loads(output["Output"]) == {"doubled": 8}
    assert sfn.describe_execution(executionArn=output["ExecutionArn"])["status"] == "SUCCEEDED"


def test_start_execution_sync_2_returns_the_child_output_as_json(sfn, create_state_machine, child):
    arn = create_state_machine(definition({"Start": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": child, "Input": {"n": 21}},
        "OutputPath": "$.Output", "End": True}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"doubled": 42}


def test_start_execution_sync_waits_for_a_waiting_child(sfn, create_state_machine):
    slow = create_state_machine(definition({
        "W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
        "P": {"Type": "Pass", "Result": "slow child done", "End": True}}))
    arn = create_state_machine(definition({"Start": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": slow}, "End": True}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"])["Output"] == "slow child done"


def test_failed_child_fails_the_sync_task_with_states_task_failed(sfn, create_state_machine):
    failing = create_state_machine(definition({"F": {"Type": "Fail", "Error": "Child.Broke"}}))
    arn = create_state_machine(definition({
        "Start": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
                  "Parameters": {"StateMachineArn": failing}, "End": True,
                  "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.failure",
                             "Next": "Handled"}]},
        "Handled": {"Type": "Succeed"}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"])["failure"]["Error"] == "States.TaskFailed"


def test_start_execution_of_a_missing_machine_fails_the_task(sfn, create_state_machine):
    missing = f"arn:aws:states:{REGION}:{DEFAULT_ACCOUNT}:stateMachine:not-created"
    arn = create_state_machine(definition({"Start": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
        "Parameters": {"StateMachineArn": missing}, "End": True}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "FAILED"
    assert described["error"].startswith("StepFunctions."), described["error"]


# --- Lambda, before Lambda exists --------------------------------------------------

def test_lambda_function_arn_fails_with_resource_not_found(sfn, create_state_machine):
    arn = create_state_machine(definition({"Call": {"Type": "Task", "Resource": LAMBDA_ARN,
                                                    "End": True}}))

    described = run_execution(sfn, arn, input={"x": 1})

    assert described["status"] == "FAILED"
    assert described["error"] == "Lambda.ResourceNotFoundException"
    assert "not-deployed" in described["cause"]


def test_lambda_invoke_integration_fails_with_resource_not_found(sfn, create_state_machine):
    arn = create_state_machine(definition({"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True,
        "Parameters": {"FunctionName": "not-deployed", "Payload.$": "$"}}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "FAILED"
    assert described["error"] == "Lambda.ResourceNotFoundException"


def test_lambda_resource_not_found_can_be_caught(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "Call": {"Type": "Task", "Resource": LAMBDA_ARN, "End": True,
                 "Catch": [{"ErrorEquals": ["Lambda.ResourceNotFoundException"],
                            "ResultPath": "$.error", "Next": "Fallback"}]},
        "Fallback": {"Type": "Pass", "End": True}}))

    described = run_execution(sfn, arn, input={"x": 1})

    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["x"] == 1
    assert output["error"]["Error"] == "Lambda.ResourceNotFoundException"

