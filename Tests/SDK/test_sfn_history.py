"""GetExecutionHistory: event types, ids and previousEventId links, the *EventDetails
shapes, reverseOrder, includeExecutionData, paging, and the raw wire shape against
botocore's model."""

import json

from support.sfn import (ROLE_ARN, all_events, assert_event_chain, definition, details_of,
                         event_types, output_shape_problems, pass_definition, run_execution,
                         sfn_json_call, wait_for_event)
from support.sqs import DEFAULT_ACCOUNT, REGION, raises_aws

PASS_THEN_FAIL = definition({
    "Enrich": {"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$.r", "Next": "Reject"},
    "Reject": {"Type": "Fail", "Error": "Order.Rejected", "Cause": "no stock"}})

CHOICE_WAIT_PASS = definition({
    "Route": {"Type": "Choice", "Default": "Pause",
              "Choices": [{"Variable": "$.skip", "BooleanEquals": True, "Next": "Done"}]},
    "Pause": {"Type": "Wait", "Seconds": 0, "Next": "Done"},
    "Done": {"Type": "Pass", "Result": "ok", "ResultPath": "$.status", "End": True}})


def executed(sfn, create_state_machine, text, input=None) -> tuple[dict, list[dict]]:
    described = run_execution(sfn, create_state_machine(text), input=input)
    return described, all_events(sfn, described["executionArn"])


# --- ids and types -----------------------------------------------------------------

def test_events_of_a_pass_then_fail_execution(sfn, create_state_machine):
    _, events = executed(sfn, create_state_machine, PASS_THEN_FAIL, {"x": 1})

    assert event_types(events) == ["ExecutionStarted", "PassStateEntered", "PassStateExited",
                                   "FailStateEntered", "ExecutionFailed"]
    assert_event_chain(events)
    assert [e["previousEventId"] for e in events] == [0, 1, 2, 3, 4]


def test_events_of_choice_wait_and_pass(sfn, create_state_machine):
    _, events = executed(sfn, create_state_machine, CHOICE_WAIT_PASS, {"skip": False})

    assert event_types(events) == [
        "ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "WaitStateEntered",
        "WaitStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]
    assert_event_chain(events)
    assert [details_of(e)["name"] for e in events[1:-1]] == [
        "Route", "Route", "Pause", "Pause", "Done", "Done"]


def test_timestamps_never_go_backwards(sfn, create_state_machine):
    _, events = executed(sfn, create_state_machine, CHOICE_WAIT_PASS, {"skip": False})

    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps)


# --- *EventDetails -----------------------------------------------------------------

def test_execution_started_details_carry_input_and_role(sfn, create_state_machine):
    _, events = executed(sfn, create_state_machine, PASS_THEN_FAIL, {"x": 1})

    details = events[0]["executionStartedEventDetails"]
    assert json.loads(details["input"]) == {"x": 1}
    assert details["inputDetails"] == {"truncated": False}
    assert details["roleArn"] == ROLE_ARN


def test_state_entered_and_exited_details_carry_name_input_and_output(sfn, create_state_machine):
    _, events = executed(sfn, create_state_machine, PASS_THEN_FAIL, {"x": 1})

    entered = events[1]["stateEnteredEventDetails"]
    exited = events[2]["stateExitedEventDetails"]
    assert entered["name"] == exited["name"] == "Enrich"
    assert json.loads(entered["input"]) == {"x": 1}
    assert entered["inputDetails"] == {"truncated": False}
    assert json.loads(exited["output"]) == {"x": 1, "r": {"a": 1}}
    assert exited["outputDetails"] == {"truncated": False}
    assert json.loads(events[3]["stateEnteredEventDetails"]["input"]) == {"x": 1, "r": {"a": 1}}


def test_execution_failed_details_carry_error_and_cause(sfn, create_state_machine):
    _, events = executed(sfn, create_state_machine, PASS_THEN_FAIL, {})

    assert events[-1]["executionFailedEventDetails"] == {"error": "Order.Rejected",
                                                         "cause": "no stock"}


def test_execution_succeeded_details_carry_the_output(sfn, create_state_machine):
    described, events = executed(sfn, create_state_machine, pass_definition({"done": True}))

    details = events[-1]["executionSucceededEventDetails"]
    assert details["output"] == described["output"]
    assert json.loads(details["output"]) == {"done": True}
    assert details["outputDetails"] == {"truncated": False}


def test_task_events_for_an_sqs_send(sfn, sqs, create_state_machine, queue_url):
    text = definition({"Send": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": True,
        "Parameters": {"QueueUrl": queue_url, "MessageBody.$": "$.body"}}})

    described, events = executed(sfn, create_state_machine, text, {"body": "hi"})

    assert described["status"] == "SUCCEEDED"
    assert event_types(events) == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                   "TaskStarted", "TaskSucceeded", "TaskStateExited",
                                   "ExecutionSucceeded"]
    assert_event_chain(events)
    scheduled = events[2]["taskScheduledEventDetails"]
    assert scheduled["resourceType"] == "sqs"
    assert scheduled["resource"] == "sendMessage"
    assert scheduled["region"] == REGION
    assert json.loads(scheduled["parameters"]) == {"QueueUrl": queue_url, "MessageBody": "hi"}
    assert events[3]["taskStartedEventDetails"] == {"resourceType": "sqs",
                                                    "resource": "sendMessage"}
    succeeded = events[4]["taskSucceededEventDetails"]
    assert succeeded["resourceType"] == "sqs" and succeeded["resource"] == "sendMessage"
    assert "MessageId" in json.loads(succeeded["output"])


def test_task_failed_details_carry_the_service_error(sfn, create_state_machine):
    text = definition({"Lookup": {
        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sqs:getQueueUrl", "End": True,
        "Parameters": {"QueueName": "no-such-queue"}}})

    described, events = executed(sfn, create_state_machine, text)

    assert described["status"] == "FAILED"
    failed = next(e for e in events if e["type"] == "TaskFailed")["taskFailedEventDetails"]
    assert failed["resourceType"] == "aws-sdk:sqs"
    assert failed["resource"] == "getQueueUrl"
    assert failed["error"] == "Sqs.QueueDoesNotExistException"
    assert failed["cause"]
    assert events[-1]["executionFailedEventDetails"]["error"] == "Sqs.QueueDoesNotExistException"


def test_parallel_events(sfn, create_state_machine):
    text = definition({"P": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}]}})

    _, events = executed(sfn, create_state_machine, text)

    types = event_types(events)
    assert types[:3] == ["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted"]
    assert types[-3:] == ["ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"]
    assert sorted(details_of(e)["name"] for e in events if e["type"] == "PassStateEntered") == [
        "A", "B"]
    ids = [e["id"] for e in events]
    assert ids == list(range(1, len(events) + 1))


def test_map_events_carry_length_and_iteration_indexes(sfn, create_state_machine):
    text = definition({"M": {"Type": "Map", "End": True, "MaxConcurrency": 1, "ItemProcessor": {
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}})

    _, events = executed(sfn, create_state_machine, text, ["a", "b", "c"])

    started = next(e for e in events if e["type"] == "MapStateStarted")
    assert started["mapStateStartedEventDetails"] == {"length": 3}
    iterations = [e["mapIterationStartedEventDetails"] for e in events
                  if e["type"] == "MapIterationStarted"]
    assert iterations == [{"name": "M", "index": i} for i in range(3)]
    succeeded = sorted(e["mapIterationSucceededEventDetails"]["index"] for e in events
                       if e["type"] == "MapIterationSucceeded")
    assert succeeded == [0, 1, 2]
    assert event_types(events)[-3:] == ["MapStateSucceeded", "MapStateExited",
                                        "ExecutionSucceeded"]


# --- order, data, paging -----------------------------------------------------------

def test_reverse_order_lists_the_newest_event_first(sfn, create_state_machine):
    described, events = executed(sfn, create_state_machine, CHOICE_WAIT_PASS, {"skip": False})

    reversed_events = sfn.get_execution_history(executionArn=described["executionArn"],
                                                reverseOrder=True)["events"]

    assert reversed_events == list(reversed(events))


def test_without_execution_data_inputs_and_outputs_are_left_out(sfn, create_state_machine):
    described, events = executed(sfn, create_state_machine, PASS_THEN_FAIL, {"secret": 1})

    stripped = sfn.get_execution_history(executionArn=described["executionArn"],
                                         includeExecutionData=False)["events"]

    assert event_types(stripped) == event_types(events)
    for event in stripped:
        details = details_of(event)
        assert "input" not in details and "output" not in details, event
    assert stripped[1]["stateEnteredEventDetails"]["name"] == "Enrich"
    assert stripped[0]["executionStartedEventDetails"]["roleArn"] == ROLE_ARN
    assert stripped[-1]["executionFailedEventDetails"] == {"error": "Order.Rejected",
                                                           "cause": "no stock"}


def test_without_execution_data_the_raw_events_still_match_the_model(sfn, endpoint,
                                                                     create_state_machine):
    # HistoryEventExecutionDataDetails has one member, `truncated`; `included` belongs to
    # DescribeExecution's CloudWatchEventsExecutionDataDetails, not to history events.
    described, _ = executed(sfn, create_state_machine, PASS_THEN_FAIL, {"secret": 1})

    response = sfn_json_call(endpoint, "GetExecutionHistory",
                             {"executionArn": described["executionArn"],
                              "includeExecutionData": False})

    assert response.status_code == 200, response.text
    assert "secret" not in response.text
    assert output_shape_problems("GetExecutionHistory", response.json()) == []


def test_raw_history_of_a_busy_execution_matches_the_model(sfn, endpoint, create_state_machine,
                                                          queue_url):
    text = definition({
        "Route": {"Type": "Choice", "Default": "Fan",
                  "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}]},
        "Fan": {"Type": "Parallel", "Next": "Each", "ResultPath": "$.fan", "Branches": [
            {"StartAt": "Send", "States": {"Send": {
                "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": True,
                "Parameters": {"QueueUrl": queue_url, "MessageBody": "x"}}}},
            {"StartAt": "Lookup", "States": {"Lookup": {
                "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sqs:getQueueUrl",
                "Parameters": {"QueueName": "absent"}, "End": True,
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recovered"}]},
                "Recovered": {"Type": "Pass", "End": True}}}]},
        "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.each", "Next": "Done",
                 "ItemProcessor": {"StartAt": "W", "States": {
                     "W": {"Type": "Wait", "Seconds": 0, "End": True}}}},
        "Done": {"Type": "Succeed"}})
    described, _ = executed(sfn, create_state_machine, text, {"items": [1, 2]})
    assert described["status"] == "SUCCEEDED", described

    response = sfn_json_call(endpoint, "GetExecutionHistory",
                             {"executionArn": described["executionArn"]})

    assert response.status_code == 200, response.text
    assert output_shape_problems("GetExecutionHistory", response.json()) == []


def test_pages_cover_every_event_once_in_order(sfn, create_state_machine):
    described, events = executed(sfn, create_state_machine, CHOICE_WAIT_PASS, {"skip": False})

    pages = []
    token = None
    for _ in range(20):
        args = {"executionArn": described["executionArn"], "maxResults": 3}
        if token:
            args["nextToken"] = token
        page = sfn.get_execution_history(**args)
        assert len(page["events"]) <= 3
        pages.append(page["events"])
        token = page.get("nextToken")
        if not token:
            break

    assert len(pages) == 3  # 8 events in pages of 3
    assert [e for page in pages for e in page] == events


def test_pages_in_reverse_order(sfn, create_state_machine):
    described, events = executed(sfn, create_state_machine, CHOICE_WAIT_PASS, {"skip": False})

    paged = all_events(sfn, described["executionArn"], maxResults=2, reverseOrder=True)

    assert paged == list(reversed(events))


def test_boto3_paginator_walks_the_history(sfn, create_state_machine):
    described, events = executed(sfn, create_state_machine, CHOICE_WAIT_PASS, {"skip": False})

    paginator = sfn.get_paginator("get_execution_history")
    paged = [e for page in paginator.paginate(executionArn=described["executionArn"],
                                              PaginationConfig={"PageSize": 2})
             for e in page["events"]]

    assert paged == events


def test_made_up_next_token_is_invalid_token(sfn, create_state_machine):
    described, _ = executed(sfn, create_state_machine, pass_definition())

    with raises_aws("InvalidToken", 400):
        sfn.get_execution_history(executionArn=described["executionArn"], nextToken="made-up")


def test_history_of_a_missing_execution_is_execution_does_not_exist(sfn, create_state_machine):
    machine = create_state_machine(pass_definition()).rsplit(":", 1)[1]

    with raises_aws("ExecutionDoesNotExist", 400):
        sfn.get_execution_history(
            executionArn=f"arn:aws:states:{REGION}:{DEFAULT_ACCOUNT}:execution:{machine}:nope")


def test_history_with_a_malformed_arn_is_invalid_arn(sfn):
    with raises_aws("InvalidArn", 400):
        sfn.get_execution_history(executionArn="not-an-arn")


# --- a running execution -----------------------------------------------------------

def test_history_of_a_running_execution_shows_the_state_it_is_in(sfn, create_state_machine):
    # AWS records WaitStateEntered when the state is entered, so a client watching a
    # long Wait sees where the execution is.
    arn = create_state_machine(definition({
        "First": {"Type": "Pass", "Next": "Hold"},
        "Hold": {"Type": "Wait", "Seconds": 30, "End": True}}))
    started = sfn.start_execution(stateMachineArn=arn)

    entered = wait_for_event(sfn, started["executionArn"],
                             lambda e: e["type"] == "WaitStateEntered", timeout=5.0,
                             message="WaitStateEntered while the Wait runs")

    assert entered["stateEnteredEventDetails"]["name"] == "Hold"
    assert sfn.describe_execution(executionArn=started["executionArn"])["status"] == "RUNNING"


def test_history_of_a_running_execution_has_no_terminal_event(sfn, create_state_machine):
    arn = create_state_machine(definition({"Hold": {"Type": "Wait", "Seconds": 30, "End": True}}))
    started = sfn.start_execution(stateMachineArn=arn)

    events = all_events(sfn, started["executionArn"])

    assert events[0]["type"] == "ExecutionStarted"
    assert not {"ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted",
                "ExecutionTimedOut"} & set(event_types(events))


def test_stop_is_the_last_event_and_links_to_the_one_before(sfn, create_state_machine):
    arn = create_state_machine(definition({"Hold": {"Type": "Wait", "Seconds": 30, "End": True}}))
    started = sfn.start_execution(stateMachineArn=arn)
    sfn.stop_execution(executionArn=started["executionArn"])

    events = all_events(sfn, started["executionArn"])

    assert_event_chain(events)
    assert events[-1]["type"] == "ExecutionAborted"
    assert events[-1]["previousEventId"] == events[-2]["id"]
