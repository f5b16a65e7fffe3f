"""aws-sdk:sfn:* integrations, and a machine TimeoutSeconds that ends an execution in
the middle of a long task (not only between states)."""

from __future__ import annotations

import json

from support.sfn import definition, run_execution, wait_definition


def test_sdk_sfn_describe_state_machine_answers_in_pascal_case(sfn, create_state_machine):
    target = create_state_machine(wait_definition(0))
    arn = create_state_machine(definition({"Describe": {
        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:describeStateMachine",
        "Parameters": {"StateMachineArn": target}, "ResultSelector": {"name.$": "$.Name", "type.$": "$.Type"},
        "End": True}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["type"] == "STANDARD"
    assert target.endswith(":" + output["name"])


def test_sdk_sfn_start_execution_starts_the_child(sfn, create_state_machine):
    child = create_state_machine(wait_definition(0))
    arn = create_state_machine(definition({"Start": {
        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:startExecution",
        "Parameters": {"StateMachineArn": child, "Input": "{\"from\":\"parent\"}"}, "End": True}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "SUCCEEDED", described
    started = json.loads(described["output"])
    assert started["ExecutionArn"].startswith(child.replace(":stateMachine:", ":execution:") + ":")
    child_run = sfn.describe_execution(executionArn=started["ExecutionArn"])
    assert json.loads(child_run["input"]) == {"from": "parent"}


def test_sdk_sfn_errors_are_named_sfn_and_the_exception(sfn, create_state_machine):
    arn = create_state_machine(definition({"Describe": {
        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:describeExecution",
        "Parameters": {"ExecutionArn": "arn:aws:states:us-east-1:000000000000:execution:none:none"}, "End": True}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "FAILED"
    assert described["error"] == "Sfn.ExecutionDoesNotExistException"


def test_machine_timeout_ends_an_execution_inside_a_long_task(sfn, create_state_machine, sqs, queue_url):
    # The task waits for a token nobody sends; only the machine's 1 s timeout can end it.
    arn = create_state_machine(json.dumps({
        "StartAt": "Wait for token", "TimeoutSeconds": 1,
        "States": {"Wait for token": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": queue_url, "MessageBody": {"token.$": "$$.Task.Token"}}, "End": True}}}))

    described = run_execution(sfn, arn, timeout=15)

    assert described["status"] == "TIMED_OUT"
    events = sfn.get_execution_history(executionArn=described["executionArn"])["events"]
    assert events[-1]["type"] == "ExecutionTimedOut"
