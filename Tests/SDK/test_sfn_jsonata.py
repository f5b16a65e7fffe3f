"""Step Functions with `"QueryLanguage": "JSONata"` through boto3: JSONata machines
created and run (Arguments, Output, Assign, Condition, Items, variables shared with a
JSONPath state), ValidateStateMachineDefinition's query-language diagnostics, TestState
on JSONata states, and States.QueryEvaluationError with AWS's cause, caught by Catch."""

import json

import pytest
from botocore.exceptions import ClientError

from support.sfn import all_events, event_types, run_execution

ROLE = "arn:aws:iam::000000000000:role/offcloud-test-state"


def jsonata(states: dict, **top) -> dict:
    return {"QueryLanguage": "JSONata", "StartAt": next(iter(states)), "States": states, **top}


def test_a_jsonata_machine_runs(sfn, create_state_machine):
    # A JSONPath machine (the default) whose states opt in to JSONata, one at any depth.
    arn = create_state_machine({"StartAt": "Init", "Comment": "JSONata and JSONPath states", "States": {
        "Init": {"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"who": "{% $states.input.name %}"},
                 "Output": {"items": "{% $states.input.items %}"}, "Next": "Check"},
        "Check": {"Type": "Choice", "QueryLanguage": "JSONata", "Choices": [
            {"Condition": "{% $states.input.items = [] %}", "Next": "Empty"}], "Default": "Each"},
        "Empty": {"Type": "Succeed"},
        "Each": {"Type": "Map", "QueryLanguage": "JSONata", "Items": "{% $states.input.items %}",
                 "ItemSelector": {"n": "{% $states.context.Map.Item.Value %}", "who": "{% $who %}"},
                 "ItemProcessor": {"StartAt": "Double", "States": {
                     "Double": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"v": "{% $states.input.n * 2 %}",
                                                           "who": "{% $states.input.who %}"}, "End": True}}},
                 "Output": {"results": "{% $states.result %}", "state": "{% $states.context.State.Name %}"},
                 "Next": "Legacy"},
        "Legacy": {"Type": "Pass", "Parameters": {"r.$": "$.results", "who.$": "$who"}, "End": True},
    }})
    described = run_execution(sfn, arn, {"name": "ann", "items": [1, 2]})
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"r": [{"v": 2, "who": "ann"}, {"v": 4, "who": "ann"}], "who": "ann"}
    definition = json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"])
    assert definition["States"]["Init"]["QueryLanguage"] == "JSONata"


def test_query_evaluation_error_fails_the_execution_with_aws_cause(sfn, create_state_machine):
    arn = create_state_machine(jsonata({
        "Transform": {"Type": "Pass", "Output": {"v": "{% $states.input.missing %}"}, "End": True}}))
    described = run_execution(sfn, arn, {})
    assert described["status"] == "FAILED"
    assert described["error"] == "States.QueryEvaluationError"
    assert described["cause"] == ("An error occurred while executing the state 'Transform' (entered at the event id #2). "
                                  "The JSONata expression '$states.input.missing' specified for the field 'Output/v' "
                                  "returned nothing (undefined).")
    events = all_events(sfn, described["executionArn"])
    assert "EvaluationFailed" in event_types(events)
    failed = next(e for e in events if e["type"] == "EvaluationFailed")
    assert failed["evaluationFailedEventDetails"]["location"] == "Output/v"
    assert failed["evaluationFailedEventDetails"]["state"] == "Transform"


def test_query_evaluation_error_is_caught(sfn, create_state_machine):
    arn = create_state_machine(jsonata({
        "Check": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.flag %}", "Next": "Yes"}],
                  "Default": "Yes"},
        "Yes": {"Type": "Succeed"},
    }, QueryLanguage="JSONata"))
    described = run_execution(sfn, arn, {"flag": "not a boolean"})
    assert described["status"] == "FAILED"
    assert "Expected 'boolean', but was 'string'" in described["cause"]

    caught = create_state_machine(jsonata({
        "Work": {"Type": "Parallel", "Branches": [{"StartAt": "Bad", "States": {
                    "Bad": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input.nothing %}", "End": True}}}],
                 "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "Handled",
                            "Output": {"error": "{% $states.errorOutput.Error %}"}}], "End": True},
        "Handled": {"Type": "Pass", "End": True},
    }))
    described = run_execution(sfn, caught, {})
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"error": "States.QueryEvaluationError"}


def test_validate_reports_query_language_mistakes(sfn):
    answer = sfn.validate_state_machine_definition(definition=json.dumps(jsonata({
        "X": {"Type": "Pass", "InputPath": "$.a", "End": True}})))
    assert answer["result"] == "FAIL"
    assert [(d["code"], d["message"], d["location"]) for d in answer["diagnostics"]] == [
        ("SCHEMA_VALIDATION_FAILED",
         "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage",
         "/States/X")]
    answer = sfn.validate_state_machine_definition(definition=json.dumps({
        "StartAt": "X", "States": {"X": {"Type": "Pass", "Output": {"a": 1}, "End": True}}}))
    assert [d["message"] for d in answer["diagnostics"]] == [
        "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage"]
    answer = sfn.validate_state_machine_definition(definition=json.dumps(jsonata({
        "X": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}})))
    assert [(d["message"], d["location"]) for d in answer["diagnostics"]] == [
        ("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", "/States/X")]
    ok = sfn.validate_state_machine_definition(definition=json.dumps(jsonata({
        "X": {"Type": "Pass", "Output": {"v": "{% $states.input %}"}, "End": True}})))
    assert ok["result"] == "OK"


def test_create_refuses_an_invalid_jsonata_definition(sfn):
    with pytest.raises(ClientError) as caught:
        sfn.create_state_machine(name="bad-jsonata", roleArn=ROLE, definition=json.dumps(jsonata({
            "X": {"Type": "Pass", "Parameters": {"a": 1}, "End": True}})))
    assert caught.value.response["Error"]["Code"] == "InvalidDefinition"


def test_test_state_with_jsonata(sfn):
    state = {"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
             "Arguments": {"FunctionName": "f", "Payload": {"id": "{% $states.input.id %}"}},
             "Output": {"got": "{% $states.result.Payload.v %}"}, "Assign": {"seen": "{% $states.result.Payload.v %}"},
             "Next": "Done"}
    answer = sfn.test_state(definition=json.dumps(state), roleArn=ROLE, input=json.dumps({"id": 7}),
                            inspectionLevel="DEBUG", mock={"result": json.dumps({"Payload": {"v": "x"}})})
    assert answer["status"] == "SUCCEEDED", answer
    assert json.loads(answer["output"]) == {"got": "x"}
    assert answer["nextState"] == "Done"
    assert json.loads(answer["inspectionData"]["afterArguments"]) == {"FunctionName": "f", "Payload": {"id": 7}}
    assert json.loads(answer["inspectionData"]["variables"]) == {"seen": "x"}

    failing = {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input.missing %}", "End": True}
    answer = sfn.test_state(definition=json.dumps(failing), roleArn=ROLE, input="{}")
    assert answer["status"] == "FAILED"
    assert answer["error"] == "States.QueryEvaluationError"
    assert answer["cause"] == ("The JSONata expression '$states.input.missing' specified for the field 'Output' "
                               "returned nothing (undefined).")

    caught = {"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
              "Arguments": {"FunctionName": "f"}, "End": True,
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H", "Output": {"e": "{% $states.errorOutput.Error %}"}}]}
    answer = sfn.test_state(definition=json.dumps(caught), roleArn=ROLE, input="{}",
                            mock={"errorOutput": {"error": "Oops", "cause": "c"}})
    assert answer["status"] == "CAUGHT_ERROR"
    assert json.loads(answer["output"]) == {"e": "Oops"}
    assert answer["nextState"] == "H"
