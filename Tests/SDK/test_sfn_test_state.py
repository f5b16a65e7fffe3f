"""Step Functions TestState: one state run in isolation. Single-state definitions of
every simple type (status, output, nextState), Task states with a mocked result or
error at each inspection level, retriers and catchers deciding between RETRIABLE,
CAUGHT_ERROR and FAILED, a whole definition with `stateName`, variables and Assign,
refused definitions and inputs, and a real (unmocked) sqs:sendMessage task.

TestState's model has `hostPrefix: sync-`; the `sfn` fixture's client is made with
`inject_host_prefix=False` (support/sfn.py) so the request stays on 127.0.0.1."""

import json

import pytest
from botocore.exceptions import ClientError

from support.sfn import output_shape_problems, sfn_json_call
from support.sqs import md5_hex, raises_aws, receive_one

SEND = "arn:aws:states:::sqs:sendMessage"
ROLE = "arn:aws:iam::000000000000:role/offcloud-test-state"


def run_state(sfn, state, input=None, **kwargs) -> dict:
    """TestState with `state` (a dict) as the definition; JSON arguments as Python values."""
    args = {"definition": state if isinstance(state, str) else json.dumps(state),
            "roleArn": ROLE, **kwargs}
    if input is not None:
        args["input"] = json.dumps(input)
    for key in ("variables", "context"):
        if key in args and not isinstance(args[key], str):
            args[key] = json.dumps(args[key])
    if isinstance(args.get("mock", {}).get("result"), (dict, list)):
        args["mock"] = {**args["mock"], "result": json.dumps(args["mock"]["result"])}
    return sfn.test_state(**args)



def send_task(**fields) -> dict:
    """An sqs:sendMessage Task (mocked in most tests, so the queue URL is never used)."""
    return {"Type": "Task", "Resource": SEND,
            "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/000000000000/q",
                           "MessageBody.$": "$.message"},
            **fields}


def inspected(result: dict) -> dict:
    """inspectionData with its JSON-string members parsed."""
    data = result["inspectionData"]
    return {key: (json.loads(value) if isinstance(value, str) else value)
            for key, value in data.items()}


# Boom is retried (index 1, IntervalSeconds 2, BackoffRate 3, MaxAttempts 2) and then
# caught (index 1, into $.error); Unknown matches neither.
RETRY_AND_CATCH = send_task(
    Next="Done",
    Retry=[{"ErrorEquals": ["Other"], "MaxAttempts": 1},
           {"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 2}],
    Catch=[{"ErrorEquals": ["Nope"], "Next": "Elsewhere"},
           {"ErrorEquals": ["Boom"], "ResultPath": "$.error", "Next": "Recover"}])
BOOM = {"errorOutput": {"error": "Boom", "cause": "it broke"}}


# --- single states -----------------------------------------------------------------

def test_pass_state_output_and_next_state(sfn):
    result = run_state(sfn, {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r",
                              "Next": "After"}, input={"a": 1})

    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"a": 1, "r": {"x": 1}}
    assert result["nextState"] == "After"
    assert "error" not in result


def test_pass_state_with_end_has_no_next_state(sfn):
    result = run_state(sfn, {"Type": "Pass", "Parameters": {"b.$": "$.a"}, "End": True},
                        input={"a": 7})

    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"b": 7}
    assert "nextState" not in result


@pytest.mark.parametrize("n, next_state", [(7, "Big"), (1, "Small")])
def test_choice_state_picks_the_next_state(sfn, n, next_state):
    choice = {"Type": "Choice", "Default": "Small",
              "Choices": [{"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Big"}]}

    result = run_state(sfn, choice, input={"n": n})

    assert result["status"] == "SUCCEEDED"
    assert result["nextState"] == next_state
    assert json.loads(result["output"]) == {"n": n}


def test_choice_state_without_a_match_or_default_fails(sfn):
    choice = {"Type": "Choice",
              "Choices": [{"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Big"}]}

    result = run_state(sfn, choice, input={"n": 1})

    assert result["status"] == "FAILED"
    assert result["error"] == "States.NoChoiceMatched"
    assert "nextState" not in result


def test_wait_state_passes_its_input_on(sfn):
    result = run_state(sfn, {"Type": "Wait", "Seconds": 5, "OutputPath": "$.keep",
                              "Next": "Go"}, input={"keep": {"w": 1}, "drop": 2})

    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"w": 1}
    assert result["nextState"] == "Go"


def test_succeed_state(sfn):
    result = run_state(sfn, {"Type": "Succeed", "InputPath": "$.s"}, input={"s": [1, 2]})

    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == [1, 2]
    assert "nextState" not in result


def test_fail_state_reports_its_error_and_cause(sfn):
    result = run_state(sfn, {"Type": "Fail", "Error": "Oops", "Cause": "bad input"},
                        input={"s": 1})

    assert result["status"] == "FAILED"
    assert result["error"] == "Oops"
    assert result["cause"] == "bad input"
    assert "output" not in result
    assert "nextState" not in result


def test_fail_state_with_error_and_cause_paths(sfn):
    result = run_state(sfn, {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"},
                        input={"e": "Dynamic", "c": "from the input"})

    assert result["status"] == "FAILED"
    assert (result["error"], result["cause"]) == ("Dynamic", "from the input")


# --- Task with a mocked result -----------------------------------------------------

def test_task_with_a_mock_result_at_debug_shows_every_processing_step(sfn):
    task = send_task(InputPath="$.in", ResultSelector={"id.$": "$.MessageId"},
                     ResultPath="$.sent", Next="Done")

    result = run_state(sfn, task, input={"in": {"message": "hi"}, "other": 1},
                        inspectionLevel="DEBUG",
                        mock={"result": {"MessageId": "m-1", "MD5OfMessageBody": "abc"}})

    assert result["status"] == "SUCCEEDED"
    assert result["nextState"] == "Done"
    # ResultPath places the result into the state's raw input (before InputPath).
    expected = {"in": {"message": "hi"}, "other": 1, "sent": {"id": "m-1"}}
    assert json.loads(result["output"]) == expected
    # Each member is the JSON text of the data after that step.
    raw = result["inspectionData"]
    for key in ("input", "afterInputPath", "afterParameters", "result", "afterResultSelector",
                "afterResultPath"):
        assert isinstance(raw[key], str), key
    data = inspected(result)
    assert data["input"] == {"in": {"message": "hi"}, "other": 1}
    assert data["afterInputPath"] == {"message": "hi"}
    assert data["afterParameters"] == {
        "QueueUrl": "https://sqs.us-east-1.amazonaws.com/000000000000/q", "MessageBody": "hi"}
    assert data["result"] == {"MessageId": "m-1", "MD5OfMessageBody": "abc"}
    assert data["afterResultSelector"] == {"id": "m-1"}
    assert data["afterResultPath"] == expected


def test_info_level_has_no_inspection_data(sfn):
    result = run_state(sfn, send_task(End=True), input={"message": "hi"},
                        inspectionLevel="INFO", mock={"result": {"MessageId": "m-1"}})

    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"MessageId": "m-1"}
    assert "inspectionData" not in result


def test_default_level_is_info(sfn):
    result = run_state(sfn, send_task(End=True), input={"message": "hi"},
                        mock={"result": {"MessageId": "m-1"}})

    assert "inspectionData" not in result


def test_mock_result_that_is_not_json_is_a_validation_error(sfn):
    with raises_aws("ValidationException", 400):
        run_state(sfn, send_task(End=True), input={"message": "hi"},
                   mock={"result": "{not json"})


# --- Task with a mocked error ------------------------------------------------------

def test_mock_error_matching_a_retrier_is_retriable(sfn):
    result = run_state(sfn, RETRY_AND_CATCH, input={"message": "m"}, mock=BOOM,
                        inspectionLevel="DEBUG")

    assert result["status"] == "RETRIABLE"
    assert (result["error"], result["cause"]) == ("Boom", "it broke")
    assert "nextState" not in result
    details = result["inspectionData"]["errorDetails"]
    assert details["retryIndex"] == 1
    assert details["retryBackoffIntervalSeconds"] == 2
    assert "catchIndex" not in details


def test_retry_backoff_grows_with_the_retrier_retry_count(sfn):
    result = run_state(sfn, RETRY_AND_CATCH, input={"message": "m"}, mock=BOOM,
                        inspectionLevel="DEBUG", stateConfiguration={"retrierRetryCount": 1})

    assert result["status"] == "RETRIABLE"
    details = result["inspectionData"]["errorDetails"]
    assert details["retryIndex"] == 1
    # IntervalSeconds × BackoffRate^retries = 2 × 3.
    assert details["retryBackoffIntervalSeconds"] == 6


def test_retries_used_up_then_the_catcher_takes_the_error(sfn):
    result = run_state(sfn, RETRY_AND_CATCH, input={"message": "m"}, mock=BOOM,
                        inspectionLevel="DEBUG", stateConfiguration={"retrierRetryCount": 2})

    assert result["status"] == "CAUGHT_ERROR"
    assert result["nextState"] == "Recover"
    assert (result["error"], result["cause"]) == ("Boom", "it broke")
    assert json.loads(result["output"]) == {"message": "m",
                                            "error": {"Error": "Boom", "Cause": "it broke"}}
    details = result["inspectionData"]["errorDetails"]
    assert details["catchIndex"] == 1
    assert "retryIndex" not in details


def test_error_caught_without_a_retrier(sfn):
    task = send_task(Next="Done", Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Handle"}])

    result = run_state(sfn, task, input={"message": "m"}, mock=BOOM)

    assert result["status"] == "CAUGHT_ERROR"
    assert result["nextState"] == "Handle"
    # No ResultPath on the catcher: the error output replaces the input.
    assert json.loads(result["output"]) == {"Error": "Boom", "Cause": "it broke"}


def test_error_without_a_matching_retrier_or_catcher_fails(sfn):
    result = run_state(sfn, RETRY_AND_CATCH, input={"message": "m"},
                        mock={"errorOutput": {"error": "Unknown", "cause": "nobody handles it"}},
                        inspectionLevel="DEBUG")

    assert result["status"] == "FAILED"
    assert result["error"] == "Unknown"
    assert result["cause"] == "nobody handles it"
    assert "nextState" not in result
    assert "output" not in result
    assert "errorDetails" not in result["inspectionData"]


# --- whole definitions, variables and Assign ---------------------------------------

WHOLE = {"StartAt": "First", "States": {
    "First": {"Type": "Pass", "Result": "ignored", "Next": "Add"},
    "Add": {"Type": "Pass", "Parameters": {"total.$": "States.MathAdd($count, $.n)"},
            "Assign": {"count.$": "States.MathAdd($count, 1)", "label": "added"},
            "Next": "Last"},
    "Last": {"Type": "Succeed"}}}


def test_whole_definition_with_state_name_tests_that_state(sfn):
    result = run_state(sfn, WHOLE, input={"n": 5}, stateName="Add",
                        variables={"count": 10}, inspectionLevel="DEBUG")

    assert result["status"] == "SUCCEEDED", result
    assert result["nextState"] == "Last"
    assert json.loads(result["output"]) == {"total": 15}
    # Assign sees the variables as they were when the state was entered.
    assert inspected(result)["variables"] == {"count": 11, "label": "added"}


def test_whole_definition_with_an_unknown_state_name_is_refused(sfn):
    with pytest.raises(ClientError) as info:
        run_state(sfn, WHOLE, input={}, stateName="Nowhere")

    assert info.value.response["Error"]["Code"] in ("ValidationException", "InvalidDefinition")


def test_variables_are_visible_to_the_state(sfn):
    state = {"Type": "Pass", "Parameters": {"greeting.$": "$greeting", "n.$": "$.n"},
             "End": True}

    result = run_state(sfn, state, input={"n": 1}, variables={"greeting": "hello"})

    assert json.loads(result["output"]) == {"greeting": "hello", "n": 1}


# --- refused requests --------------------------------------------------------------

@pytest.mark.parametrize("state", [
    {"Type": "Pass", "Next": "B", "Bogus": 1},
    {"Type": "Nope"},
    {"Type": "Task", "Resource": SEND, "End": True, "TimeoutSeconds": -1},
], ids=["unknown-field", "unknown-type", "negative-timeout"])
def test_invalid_state_is_invalid_definition(sfn, state):
    with raises_aws("InvalidDefinition", 400):
        run_state(sfn, state, input={})


def test_definition_that_is_not_json_is_invalid_definition(sfn):
    with raises_aws("InvalidDefinition", 400):
        run_state(sfn, "{not json", input={})


def test_input_that_is_not_json_is_invalid_execution_input(sfn):
    with raises_aws("InvalidExecutionInput", 400):
        sfn.test_state(definition=json.dumps({"Type": "Pass", "End": True}), roleArn=ROLE,
                       input="not json")


def test_raw_response_matches_the_model(endpoint):
    body = {"definition": json.dumps(RETRY_AND_CATCH), "roleArn": ROLE,
            "input": json.dumps({"message": "m"}), "inspectionLevel": "DEBUG",
            "mock": {"errorOutput": {"error": "Boom", "cause": "c"}},
            "stateConfiguration": {"retrierRetryCount": 2}}

    response = sfn_json_call(endpoint, "TestState", body)

    assert response.status_code == 200, response.text
    assert output_shape_problems("TestState", response.json()) == []


# --- a real task -------------------------------------------------------------------

def test_unmocked_send_message_really_sends(sfn, sqs, queue_url):
    task = {"Type": "Task", "Resource": SEND, "End": True,
            "Parameters": {"QueueUrl": queue_url, "MessageBody.$": "$.message"}}

    result = run_state(sfn, task, input={"message": "hello from TestState"},
                        inspectionLevel="DEBUG")

    assert result["status"] == "SUCCEEDED", result
    output = json.loads(result["output"])
    message = receive_one(sqs, queue_url)
    assert message["Body"] == "hello from TestState"
    assert output["MessageId"] == message["MessageId"]
    assert output["MD5OfMessageBody"] == md5_hex("hello from TestState")
    assert inspected(result)["afterParameters"] == {"QueueUrl": queue_url,
                                                    "MessageBody": "hello from TestState"}


def test_unmocked_task_error_is_reported(sfn, queue_url):
    task = {"Type": "Task", "Resource": SEND, "End": True,
            "Parameters": {"QueueUrl": queue_url + "-missing", "MessageBody": "x"}}

    result = run_state(sfn, task, input={})

    assert result["status"] == "FAILED"
    assert result["error"].startswith("SQS.")
    assert result["cause"]
