"""Step Functions executions: Start/Describe/Stop/ListExecutions,
DescribeStateMachineForExecution, StartSyncExecution on EXPRESS machines (also with
the `sync-` host prefix the SDKs add), and workflow semantics end to end through the
server: Choice, Wait, Parallel, Map, Fail."""

import datetime
import json
import re
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

from support.sfn import (ROLE_ARN, all_events, definition, event_types, make_sfn_client,
                         output_shape_problems, pass_definition, run_execution, sfn_json_call,
                         unique, wait_definition, wait_for_execution)
from support.sqs import DEFAULT_ACCOUNT, REGION, raises_aws

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def execution_arn(machine_arn: str, name: str) -> str:
    machine = machine_arn.rsplit(":", 1)[1]
    return f"arn:aws:states:{REGION}:{DEFAULT_ACCOUNT}:execution:{machine}:{name}"


@pytest.fixture
def waiting_machine(create_state_machine) -> str:
    """A STANDARD machine whose executions stay RUNNING for 30 s (tests stop them or
    the per-test reset ends them)."""
    return create_state_machine(wait_definition(30))


# --- StartExecution ----------------------------------------------------------------

def test_start_without_a_name_uses_a_uuid(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    started = sfn.start_execution(stateMachineArn=arn)

    name = started["executionArn"].rsplit(":", 1)[1]
    assert UUID.match(name), name
    assert started["executionArn"] == execution_arn(arn, name)
    assert isinstance(started["startDate"], datetime.datetime)


def test_start_with_a_name_puts_it_in_the_execution_arn(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    started = sfn.start_execution(stateMachineArn=arn, name="order-42")

    assert started["executionArn"] == execution_arn(arn, "order-42")
    assert wait_for_execution(sfn, started["executionArn"])["name"] == "order-42"


def test_same_name_and_input_while_running_is_the_same_execution(sfn, waiting_machine):
    # AWS: "If StartExecution is called with the same name and input as a running
    # execution, the call succeeds and return the same response as the original request."
    first = sfn.start_execution(stateMachineArn=waiting_machine, name="twice", input='{"a": 1}')

    second = sfn.start_execution(stateMachineArn=waiting_machine, name="twice", input='{"a": 1}')

    assert second["executionArn"] == first["executionArn"]
    assert second["startDate"] == first["startDate"]
    assert len(sfn.list_executions(stateMachineArn=waiting_machine)["executions"]) == 1


def test_same_name_with_other_input_while_running_is_execution_already_exists(sfn, waiting_machine):
    sfn.start_execution(stateMachineArn=waiting_machine, name="dup", input='{"a": 1}')

    with raises_aws("ExecutionAlreadyExists", 400) as info:
        sfn.start_execution(stateMachineArn=waiting_machine, name="dup", input='{"a": 2}')

    assert execution_arn(waiting_machine, "dup") in info.value.response["Error"]["Message"]


def test_same_name_and_input_after_the_execution_ended_is_execution_already_exists(
        sfn, create_state_machine):
    arn = create_state_machine(pass_definition())
    run_execution(sfn, arn, input={"a": 1}, name="done")

    with raises_aws("ExecutionAlreadyExists", 400):
        sfn.start_execution(stateMachineArn=arn, name="done", input='{"a": 1}')


@pytest.mark.parametrize("text", ["not json", "{\"a\": ", "{'a': 1}", "[1,]"],
                         ids=["text", "truncated", "single-quotes", "trailing-comma"])
def test_input_that_is_not_json_is_invalid_execution_input(sfn, create_state_machine, text):
    arn = create_state_machine(pass_definition())

    with raises_aws("InvalidExecutionInput", 400):
        sfn.start_execution(stateMachineArn=arn, input=text)

    assert sfn.list_executions(stateMachineArn=arn)["executions"] == []


@pytest.mark.parametrize("value", ["42", '"text"', "[1, 2]", "null", "true"])
def test_any_json_value_is_valid_input(sfn, create_state_machine, value):
    arn = create_state_machine(pass_definition())

    described = run_execution(sfn, arn, input=value)

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == json.loads(value)


def test_input_over_256_kib_is_refused(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    with pytest.raises(ClientError) as info:
        sfn.start_execution(stateMachineArn=arn, input=json.dumps({"big": "x" * 262_144}))

    # The quota is on the `input` member (max length 262144): AWS names either code.
    assert info.value.response["Error"]["Code"] in ("InvalidExecutionInput", "ValidationException")
    assert sfn.list_executions(stateMachineArn=arn)["executions"] == []


@pytest.mark.parametrize("name", ["has space", "a:b", "x" * 81, "q?"],
                         ids=["space", "colon", "81-chars", "wildcard"])
def test_invalid_execution_name_is_invalid_name(sfn, create_state_machine, name):
    arn = create_state_machine(pass_definition())

    with raises_aws("InvalidName", 400):
        sfn.start_execution(stateMachineArn=arn, name=name)


def test_start_on_a_missing_state_machine_is_state_machine_does_not_exist(sfn):
    arn = f"arn:aws:states:{REGION}:{DEFAULT_ACCOUNT}:stateMachine:{unique('absent')}"

    with raises_aws("StateMachineDoesNotExist", 400):
        sfn.start_execution(stateMachineArn=arn)


def test_start_with_a_malformed_arn_is_invalid_arn(sfn):
    with raises_aws("InvalidArn", 400):
        sfn.start_execution(stateMachineArn="not-an-arn")


def test_start_on_express_gives_an_express_execution_arn(sfn, create_state_machine):
    arn = create_state_machine(pass_definition(), type="EXPRESS")

    started = sfn.start_execution(stateMachineArn=arn, name="quick")

    machine = arn.rsplit(":", 1)[1]
    assert started["executionArn"].startswith(
        f"arn:aws:states:{REGION}:{DEFAULT_ACCOUNT}:express:{machine}:quick:")


def test_concurrent_starts_each_get_their_own_execution(endpoint, create_state_machine):
    arn = create_state_machine(pass_definition())
    clients = [make_sfn_client(endpoint) for _ in range(8)]

    def start(i):
        return clients[i % 8].start_execution(stateMachineArn=arn, name=f"c-{i}",
                                              input=json.dumps({"i": i}))["executionArn"]

    with ThreadPoolExecutor(8) as pool:
        arns = list(pool.map(start, range(24)))

    assert len(set(arns)) == 24
    sfn = clients[0]
    for i, execution in enumerate(arns):
        described = wait_for_execution(sfn, execution)
        assert described["status"] == "SUCCEEDED"
        assert json.loads(described["output"]) == {"i": i}


def test_concurrent_starts_with_one_name_make_one_execution(endpoint, waiting_machine):
    clients = [make_sfn_client(endpoint) for _ in range(8)]

    def start(client):
        return client.start_execution(stateMachineArn=waiting_machine, name="only-one",
                                      input="{}")["executionArn"]

    with ThreadPoolExecutor(8) as pool:
        arns = set(pool.map(start, clients))

    assert arns == {execution_arn(waiting_machine, "only-one")}
    assert len(clients[0].list_executions(stateMachineArn=waiting_machine)["executions"]) == 1


# --- DescribeExecution -------------------------------------------------------------

def test_describe_a_running_execution(sfn, waiting_machine):
    started = sfn.start_execution(stateMachineArn=waiting_machine, input='{"n": 1}')

    described = sfn.describe_execution(executionArn=started["executionArn"])

    assert described["status"] == "RUNNING"
    assert described["executionArn"] == started["executionArn"]
    assert described["stateMachineArn"] == waiting_machine
    assert described["startDate"] == started["startDate"]
    assert described["input"] == '{"n": 1}'
    assert "stopDate" not in described
    assert "output" not in described


def test_describe_a_succeeded_execution(sfn, create_state_machine):
    arn = create_state_machine(definition({"P": {"Type": "Pass", "Result": {"r": 1},
                                                 "ResultPath": "$.added", "End": True}}))

    described = run_execution(sfn, arn, input={"n": 1})

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"n": 1, "added": {"r": 1}}
    assert described["outputDetails"] == {"included": True}
    assert described["inputDetails"] == {"included": True}
    assert described["stopDate"] >= described["startDate"]
    assert "error" not in described and "cause" not in described


def test_input_text_is_returned_as_sent(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())
    text = '{ "b" : 2,  "a" : [1.0, 1e3] }'

    described = run_execution(sfn, arn, input=text)

    assert described["input"] == text


def test_describe_a_failed_execution_has_error_and_cause_and_no_output(sfn, create_state_machine):
    arn = create_state_machine(definition({"F": {"Type": "Fail", "Error": "Order.Rejected",
                                                 "Cause": "out of stock"}}))

    described = run_execution(sfn, arn)

    assert described["status"] == "FAILED"
    assert described["error"] == "Order.Rejected"
    assert described["cause"] == "out of stock"
    assert "output" not in described
    assert described["stopDate"] >= described["startDate"]


def test_describe_execution_raw_response_matches_the_model(sfn, endpoint, create_state_machine):
    arn = create_state_machine(pass_definition({"x": 1}))
    executed = run_execution(sfn, arn)

    response = sfn_json_call(endpoint, "DescribeExecution",
                             {"executionArn": executed["executionArn"]})

    assert response.status_code == 200, response.text
    assert output_shape_problems("DescribeExecution", response.json()) == []


def test_describe_a_missing_execution_is_execution_does_not_exist(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    with raises_aws("ExecutionDoesNotExist", 400):
        sfn.describe_execution(executionArn=execution_arn(arn, "never-started"))


def test_describe_execution_with_a_malformed_arn_is_invalid_arn(sfn):
    with raises_aws("InvalidArn", 400):
        sfn.describe_execution(executionArn="not-an-arn")


# --- StopExecution -----------------------------------------------------------------

def test_stop_aborts_with_error_and_cause(sfn, waiting_machine):
    started = sfn.start_execution(stateMachineArn=waiting_machine)

    stopped = sfn.stop_execution(executionArn=started["executionArn"], error="Ops.Cancelled",
                                 cause="customer asked")

    described = sfn.describe_execution(executionArn=started["executionArn"])
    assert described["status"] == "ABORTED"
    assert described["error"] == "Ops.Cancelled"
    assert described["cause"] == "customer asked"
    assert described["stopDate"] == stopped["stopDate"]
    last = all_events(sfn, started["executionArn"])[-1]
    assert last["type"] == "ExecutionAborted"
    assert last["executionAbortedEventDetails"] == {"error": "Ops.Cancelled",
                                                    "cause": "customer asked"}


def test_stop_without_error_or_cause_leaves_them_out(sfn, waiting_machine):
    started = sfn.start_execution(stateMachineArn=waiting_machine)

    sfn.stop_execution(executionArn=started["executionArn"])

    described = sfn.describe_execution(executionArn=started["executionArn"])
    assert described["status"] == "ABORTED"
    assert "error" not in described and "cause" not in described


def test_a_stopped_execution_runs_no_further_states(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "W": {"Type": "Wait", "Seconds": 1, "Next": "After"},
        "After": {"Type": "Pass", "End": True}}))
    started = sfn.start_execution(stateMachineArn=arn)
    sfn.stop_execution(executionArn=started["executionArn"])
    events_at_stop = all_events(sfn, started["executionArn"])

    time.sleep(1.3)  # past the end of the Wait

    assert sfn.describe_execution(executionArn=started["executionArn"])["status"] == "ABORTED"
    assert all_events(sfn, started["executionArn"]) == events_at_stop
    assert "PassStateEntered" not in event_types(events_at_stop)


def test_stop_a_missing_execution_is_execution_does_not_exist(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    with raises_aws("ExecutionDoesNotExist", 400):
        sfn.stop_execution(executionArn=execution_arn(arn, "never-started"))


def test_stop_with_a_malformed_arn_is_invalid_arn(sfn):
    with raises_aws("InvalidArn", 400):
        sfn.stop_execution(executionArn="not-an-arn")


# --- ListExecutions ----------------------------------------------------------------

def test_list_executions_newest_first_with_summary_fields(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())
    names = []
    for i in range(3):
        names.append(f"run-{i}")
        run_execution(sfn, arn, name=f"run-{i}")
        time.sleep(0.01)  # distinct start times

    executions = sfn.list_executions(stateMachineArn=arn)["executions"]

    assert [e["name"] for e in executions] == list(reversed(names))
    for item in executions:
        assert item["executionArn"] == execution_arn(arn, item["name"])
        assert item["stateMachineArn"] == arn
        assert item["status"] == "SUCCEEDED"
        assert item["stopDate"] >= item["startDate"]


def test_list_executions_status_filter(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "C": {"Type": "Choice", "Default": "Ok",
              "Choices": [{"Variable": "$.fail", "IsPresent": False, "Next": "Wait"},
                          {"Variable": "$.fail", "BooleanEquals": True, "Next": "Fail"}]},
        "Fail": {"Type": "Fail", "Error": "E"},
        "Ok": {"Type": "Succeed"},
        "Wait": {"Type": "Wait", "Seconds": 30, "End": True}}))
    ok = run_execution(sfn, arn, input={"fail": False}, name="ok")
    failed = run_execution(sfn, arn, input={"fail": True}, name="failed")
    running = sfn.start_execution(stateMachineArn=arn, name="running")
    aborted = sfn.start_execution(stateMachineArn=arn, name="aborted")
    sfn.stop_execution(executionArn=aborted["executionArn"])

    def listed(status):
        return [e["executionArn"] for e in
                sfn.list_executions(stateMachineArn=arn, statusFilter=status)["executions"]]

    assert listed("SUCCEEDED") == [ok["executionArn"]]
    assert listed("FAILED") == [failed["executionArn"]]
    assert listed("RUNNING") == [running["executionArn"]]
    assert listed("ABORTED") == [aborted["executionArn"]]
    assert listed("TIMED_OUT") == []
    running_item = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"][0]
    assert "stopDate" not in running_item


def test_list_executions_pages(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())
    started = {sfn.start_execution(stateMachineArn=arn)["executionArn"] for _ in range(5)}

    seen, token = [], None
    for _ in range(10):
        args = {"stateMachineArn": arn, "maxResults": 2}
        if token:
            args["nextToken"] = token
        page = sfn.list_executions(**args)
        assert len(page["executions"]) <= 2
        seen += [e["executionArn"] for e in page["executions"]]
        token = page.get("nextToken")
        if not token:
            break

    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == started


def test_list_executions_only_lists_that_state_machine(sfn, create_state_machine):
    first = create_state_machine(pass_definition())
    second = create_state_machine(pass_definition())
    run_execution(sfn, first)

    assert sfn.list_executions(stateMachineArn=second)["executions"] == []


def test_list_executions_of_a_missing_state_machine_is_state_machine_does_not_exist(sfn):
    arn = f"arn:aws:states:{REGION}:{DEFAULT_ACCOUNT}:stateMachine:{unique('absent')}"

    with raises_aws("StateMachineDoesNotExist", 400):
        sfn.list_executions(stateMachineArn=arn)


def test_list_executions_of_an_express_machine_is_state_machine_type_not_supported(
        sfn, create_state_machine):
    arn = create_state_machine(pass_definition(), type="EXPRESS")

    with raises_aws("StateMachineTypeNotSupported", 400):
        sfn.list_executions(stateMachineArn=arn)


def test_list_executions_with_a_made_up_token_is_invalid_token(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    with raises_aws("InvalidToken", 400):
        sfn.list_executions(stateMachineArn=arn, nextToken="made-up")


# --- DescribeStateMachineForExecution ----------------------------------------------

def test_describe_state_machine_for_execution_gives_the_definition_it_ran(sfn,
                                                                        create_state_machine):
    old = pass_definition("old")
    arn = create_state_machine(old)
    executed = run_execution(sfn, arn)
    sfn.update_state_machine(stateMachineArn=arn, definition=pass_definition("new"),
                             roleArn=f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/newer")

    described = sfn.describe_state_machine_for_execution(executionArn=executed["executionArn"])

    assert described["stateMachineArn"] == arn
    assert described["name"] == arn.rsplit(":", 1)[1]
    assert described["definition"] == old
    assert described["roleArn"] == ROLE_ARN
    assert isinstance(described["updateDate"], datetime.datetime)


def test_describe_state_machine_for_a_missing_execution_is_execution_does_not_exist(
        sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    with raises_aws("ExecutionDoesNotExist", 400):
        sfn.describe_state_machine_for_execution(executionArn=execution_arn(arn, "nope"))


@pytest.mark.parametrize("operation", ["ListExecutions", "DescribeStateMachineForExecution",
                                       "ListStateMachines", "GetExecutionHistory"])
def test_raw_responses_match_the_model(sfn, endpoint, create_state_machine, operation):
    arn = create_state_machine(pass_definition({"x": 1}), tags=[{"key": "k", "value": "v"}])
    executed = run_execution(sfn, arn)
    body = {"ListExecutions": {"stateMachineArn": arn}, "ListStateMachines": {}}.get(
        operation, {"executionArn": executed["executionArn"]})

    response = sfn_json_call(endpoint, operation, body)

    assert response.status_code == 200, response.text
    assert output_shape_problems(operation, response.json()) == []


# --- StartSyncExecution ------------------------------------------------------------

def test_start_sync_execution_returns_the_result(sfn, create_state_machine):
    arn = create_state_machine(definition({"P": {"Type": "Pass", "Parameters": {"y.$": "$.x"},
                                                 "End": True}}), type="EXPRESS")

    result = sfn.start_sync_execution(stateMachineArn=arn, name="sync-1", input='{"x": 7}')

    machine = arn.rsplit(":", 1)[1]
    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"y": 7}
    assert result["input"] == '{"x": 7}'
    assert result["name"] == "sync-1"
    assert result["stateMachineArn"] == arn
    assert result["executionArn"].startswith(
        f"arn:aws:states:{REGION}:{DEFAULT_ACCOUNT}:express:{machine}:sync-1:")
    assert result["stopDate"] >= result["startDate"]
    assert result["billingDetails"]["billedDurationInMilliseconds"] >= 0


def test_start_sync_execution_reports_a_failure(sfn, create_state_machine):
    arn = create_state_machine(definition({"F": {"Type": "Fail", "Error": "Boom",
                                                 "Cause": "it broke"}}), type="EXPRESS")

    result = sfn.start_sync_execution(stateMachineArn=arn)

    assert result["status"] == "FAILED"
    assert result["error"] == "Boom"
    assert result["cause"] == "it broke"
    assert "output" not in result


def test_start_sync_execution_waits_for_a_wait_state(sfn, create_state_machine):
    arn = create_state_machine(definition({"W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
                                           "P": {"Type": "Pass", "Result": "after", "End": True}}),
                               type="EXPRESS")

    result = sfn.start_sync_execution(stateMachineArn=arn)

    assert result["status"] == "SUCCEEDED"
    assert result["output"] == '"after"'
    assert result["stopDate"] - result["startDate"] >= datetime.timedelta(seconds=1)


def test_start_sync_execution_on_standard_is_state_machine_type_not_supported(
        sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    with raises_aws("StateMachineTypeNotSupported", 400):
        sfn.start_sync_execution(stateMachineArn=arn)


def test_start_sync_execution_with_bad_input_is_invalid_execution_input(sfn, create_state_machine):
    arn = create_state_machine(pass_definition(), type="EXPRESS")

    with raises_aws("InvalidExecutionInput", 400):
        sfn.start_sync_execution(stateMachineArn=arn, input="{nope")


def test_start_sync_execution_on_a_missing_machine_is_state_machine_does_not_exist(sfn):
    arn = f"arn:aws:states:{REGION}:{DEFAULT_ACCOUNT}:stateMachine:{unique('absent')}"

    with raises_aws("StateMachineDoesNotExist", 400):
        sfn.start_sync_execution(stateMachineArn=arn)


def test_start_sync_execution_raw_response_matches_the_model(endpoint, create_state_machine):
    arn = create_state_machine(pass_definition({"ok": True}), type="EXPRESS")

    response = sfn_json_call(endpoint, "StartSyncExecution", {"stateMachineArn": arn})

    assert response.status_code == 200, response.text
    assert output_shape_problems("StartSyncExecution", response.json()) == []


def test_sync_host_prefix_is_answered(endpoint, create_state_machine):
    # StartSyncExecution's model has `endpoint.hostPrefix: "sync-"`: an SDK that injects
    # it sends `Host: sync-<endpoint host>`. The server ignores the prefix.
    arn = create_state_machine(pass_definition({"via": "sync-host"}), type="EXPRESS")
    netloc = urllib.parse.urlsplit(endpoint).netloc

    response = sfn_json_call(endpoint, "StartSyncExecution",
                             {"stateMachineArn": arn, "input": "{}"}, host=f"sync-{netloc}")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "SUCCEEDED"
    assert json.loads(body["output"]) == {"via": "sync-host"}


def test_sync_host_prefix_is_ignored_for_other_operations(endpoint, create_state_machine):
    arn = create_state_machine(pass_definition())
    netloc = urllib.parse.urlsplit(endpoint).netloc

    response = sfn_json_call(endpoint, "DescribeStateMachine", {"stateMachineArn": arn},
                             host=f"sync-{netloc}")

    assert response.status_code == 200, response.text
    assert response.json()["stateMachineArn"] == arn


# --- workflow semantics through the server -----------------------------------------

CHOICE = definition({
    "Route": {"Type": "Choice", "Default": "Small", "Choices": [
        {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
        {"And": [{"Variable": "$.s", "IsPresent": True},
                 {"Variable": "$.s", "StringMatches": "a*"}], "Next": "StartsWithA"}]},
    "Big": {"Type": "Pass", "Result": "big", "End": True},
    "StartsWithA": {"Type": "Pass", "Result": "a", "End": True},
    "Small": {"Type": "Pass", "Result": "small", "End": True}})


@pytest.mark.parametrize("input,expected", [({"n": 20}, "big"), ({"n": 1, "s": "abc"}, "a"),
                                            ({"n": 1, "s": "xyz"}, "small"), ({"n": 1}, "small")])
def test_choice_takes_the_first_matching_rule_or_the_default(sfn, create_state_machine, input,
                                                             expected):
    arn = create_state_machine(CHOICE)

    described = run_execution(sfn, arn, input=input)

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == expected


def test_choice_without_match_or_default_fails_with_no_choice_matched(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "Route": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericEquals": 1, "Next": "One"}]},
        "One": {"Type": "Succeed"}}))

    described = run_execution(sfn, arn, input={"n": 2})

    assert described["status"] == "FAILED"
    assert described["error"] == "States.NoChoiceMatched"


def test_choice_on_a_missing_variable_fails_with_states_runtime(sfn, create_state_machine):
    # AWS: a Choice rule whose Variable path selects nothing is a runtime error, not a
    # non-match (guard with IsPresent).
    arn = create_state_machine(definition({
        "Route": {"Type": "Choice", "Default": "Other", "Choices": [
            {"Variable": "$.flag", "BooleanEquals": True, "Next": "Other"}]},
        "Other": {"Type": "Succeed"}}))

    described = run_execution(sfn, arn, input={})

    assert described["status"] == "FAILED"
    assert described["error"] == "States.Runtime"


def test_wait_one_second_then_continue(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
        "P": {"Type": "Pass", "Result": "waited", "ResultPath": "$.after", "End": True}}))

    described = run_execution(sfn, arn, input={"k": "v"})

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"k": "v", "after": "waited"}
    assert described["stopDate"] - described["startDate"] >= datetime.timedelta(seconds=1)
    types = event_types(all_events(sfn, described["executionArn"]))
    assert types.index("WaitStateEntered") < types.index("WaitStateExited") < types.index(
        "PassStateEntered")


def test_wait_seconds_path_and_past_timestamp(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "ByPath": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "Past"},
        "Past": {"Type": "Wait", "Timestamp": "2000-01-01T00:00:00Z", "End": True}}))

    described = run_execution(sfn, arn, input={"delay": 0})

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"delay": 0}


def test_parallel_output_is_the_branch_outputs_in_order(sfn, create_state_machine):
    arn = create_state_machine(definition({"P": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 1, "Next": "A"},
                                       "A": {"Type": "Pass", "Parameters": {"a.$": "$.x"},
                                             "End": True}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": 2, "End": True}}}]}}))

    described = run_execution(sfn, arn, input={"x": 5})

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [{"a": 5}, 2]


def test_a_failing_parallel_branch_can_be_caught(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "P": {"Type": "Parallel", "Next": "Done", "Branches": [
            {"StartAt": "Ok", "States": {"Ok": {"Type": "Pass", "End": True}}},
            {"StartAt": "Bad", "States": {"Bad": {"Type": "Fail", "Error": "Branch.Failed",
                                                   "Cause": "second branch"}}}],
              "Catch": [{"ErrorEquals": ["Branch.Failed"], "ResultPath": "$.caught",
                         "Next": "Done"}]},
        "Done": {"Type": "Succeed"}}))

    described = run_execution(sfn, arn, input={"keep": 1})

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {
        "keep": 1, "caught": {"Error": "Branch.Failed", "Cause": "second branch"}}


def test_map_output_is_the_item_results_in_item_order(sfn, create_state_machine):
    arn = create_state_machine(definition({"M": {
        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "End": True,
        "ItemSelector": {"v.$": "$$.Map.Item.Value.v", "index.$": "$$.Map.Item.Index"},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Add",
                          "States": {"Add": {"Type": "Pass", "End": True, "Parameters": {
                              "v.$": "States.MathAdd($.v, 1)", "i.$": "$.index"}}}}}}))

    described = run_execution(sfn, arn, input={"items": [{"v": 1}, {"v": 2}, {"v": 3}]})

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [{"v": 2, "i": 0}, {"v": 3, "i": 1},
                                               {"v": 4, "i": 2}]


def test_map_over_an_empty_array_is_an_empty_array(sfn, create_state_machine):
    arn = create_state_machine(definition({"M": {
        "Type": "Map", "End": True,
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}}))

    described = run_execution(sfn, arn, input=[])

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == []


def test_a_failing_map_item_fails_the_execution_with_its_error(sfn, create_state_machine):
    arn = create_state_machine(definition({"M": {
        "Type": "Map", "End": True,
        "ItemProcessor": {"StartAt": "Check", "States": {
            "Check": {"Type": "Choice", "Default": "Ok", "Choices": [
                {"Variable": "$", "NumericEquals": 2, "Next": "Bad"}]},
            "Ok": {"Type": "Succeed"},
            "Bad": {"Type": "Fail", "Error": "Item.Bad", "Cause": "two"}}}}}))

    described = run_execution(sfn, arn, input=[1, 2, 3])

    assert described["status"] == "FAILED"
    assert described["error"] == "Item.Bad"
    assert described["cause"] == "two"


def test_fail_state_error_and_cause_from_paths(sfn, create_state_machine):
    arn = create_state_machine(definition({"F": {
        "Type": "Fail", "ErrorPath": "$.code",
        "CausePath": "States.Format('order {} failed', $.order)"}}))

    described = run_execution(sfn, arn, input={"code": "Order.Failed", "order": 7})

    assert described["status"] == "FAILED"
    assert described["error"] == "Order.Failed"
    assert described["cause"] == "order 7 failed"


def test_succeed_state_ends_with_its_input(sfn, create_state_machine):
    arn = create_state_machine(definition({"S": {"Type": "Succeed", "OutputPath": "$.keep"}}))

    described = run_execution(sfn, arn, input={"keep": {"a": 1}, "drop": 2})

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"a": 1}


def test_runtime_error_in_a_path_fails_with_states_runtime(sfn, create_state_machine):
    arn = create_state_machine(definition({"P": {"Type": "Pass", "End": True,
                                                 "Parameters": {"v.$": "$.missing.deeper"}}}))

    described = run_execution(sfn, arn, input={})

    assert described["status"] == "FAILED"
    assert described["error"] == "States.Runtime"
    assert described["cause"]


def test_timeout_seconds_times_the_execution_out(sfn, create_state_machine):
    arn = create_state_machine(definition({"W": {"Type": "Wait", "Seconds": 30, "End": True}},
                                          TimeoutSeconds=1))

    described = run_execution(sfn, arn)

    assert described["status"] == "TIMED_OUT"
    last = all_events(sfn, described["executionArn"])[-1]
    assert last["type"] == "ExecutionTimedOut"
    assert last["executionTimedOutEventDetails"]["error"] == "States.Timeout"


def test_timed_out_execution_describes_without_error_or_cause(sfn, create_state_machine):
    # Captured from AWS (DescribeExecution of a TimeoutSeconds expiry): status TIMED_OUT,
    # stopDate, and no `error` or `cause` keys; States.Timeout is only in the history.
    arn = create_state_machine(definition({"W": {"Type": "Wait", "Seconds": 30, "End": True}},
                                          TimeoutSeconds=1))

    described = run_execution(sfn, arn)

    assert described["status"] == "TIMED_OUT"
    assert "stopDate" in described
    assert "error" not in described and "cause" not in described, described


def test_context_object_names_the_execution(sfn, create_state_machine):
    arn = create_state_machine(definition({"P": {"Type": "Pass", "End": True, "Parameters": {
        "id.$": "$$.Execution.Id", "name.$": "$$.Execution.Name",
        "machine.$": "$$.StateMachine.Id", "state.$": "$$.State.Name",
        "input.$": "$$.Execution.Input"}}}))

    described = run_execution(sfn, arn, input={"q": 1}, name="ctx")

    assert json.loads(described["output"]) == {
        "id": described["executionArn"], "name": "ctx", "machine": arn, "state": "P",
        "input": {"q": 1}}
