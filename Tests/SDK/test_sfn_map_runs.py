"""Step Functions distributed Map: Map Runs of child executions (ItemProcessor
ProcessorConfig Mode DISTRIBUTED, ExecutionType STANDARD). Output in item order,
ListMapRuns, DescribeMapRun, ListExecutions(mapRunArn), the parent's MapRun* history
events, tolerated failures, UpdateMapRun, ItemReader over local files standing in for
S3 (`<Bucket>/<Key>` under the server's working directory, or an absolute Key), and
ItemBatcher. An inline Map cannot have an ItemReader.

ItemReader tests start their own server with `offcloud_factory(data_dir=tmp_path)`:
support/server.py runs it with its working directory set to the data dir, so
tmp_path/<bucket>/<key> is what `s3://<bucket>/<key>` reads.

Child workflows that must succeed wait a second first: a child that ends before the
Map Run starts awaiting it is miscounted as failed (see
test_children_that_finish_at_once_are_not_counted_as_failures, which pins that race).
The finished Map Run most tests inspect is made once per module, on its own server."""

import datetime
import json
import time

import pytest

from support.server import OffcloudServer, ServerFailed, offcloud_binary
from support.sfn import (ROLE_ARN, all_events, definition, details_of, event_types,
                         make_sfn_client, output_shape_problems, sfn_json_call, unique,
                         wait_for_event, wait_for_execution)
from support.sqs import raises_aws

GET_OBJECT = "arn:aws:states:::s3:getObject"


def distributed_map(states: dict, start: str | None = None, **fields) -> dict:
    """A DISTRIBUTED Map state (End: true) whose STANDARD child workflows run `states`."""
    return {"Type": "Map", "End": True,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": start or next(iter(states)), "States": states},
            **fields}


DOUBLE = {"Double": {"Type": "Pass", "End": True,
                     "Parameters": {"v.$": "States.MathAdd($.n, $.n)"}}}
# Children that pause for a second, then pass their item on.
SLOW_ECHO = {"Pause": {"Type": "Wait", "Seconds": 1, "Next": "Echo"},
             "Echo": {"Type": "Pass", "End": True}}

# Items with {"ok": false} fail their child execution.
CHECK = {"Check": {"Type": "Choice", "Default": "Bad",
                   "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Good"}]},
         "Good": {"Type": "Succeed"},
         "Bad": {"Type": "Fail", "Error": "ItemBad", "Cause": "item refused"}}
TWO_BAD = [{"ok": True}, {"ok": False}, {"ok": True}, {"ok": False}]


def wait_for_map_run(sfn, execution_arn: str, timeout: float = 10.0) -> str:
    """ListMapRuns until the execution's Map Run appears (bounded); its ARN."""
    deadline = time.monotonic() + timeout
    while True:
        runs = sfn.list_map_runs(executionArn=execution_arn)["mapRuns"]
        if runs:
            return runs[0]["mapRunArn"]
        if time.monotonic() >= deadline:
            pytest.fail(f"no Map Run within {timeout}s for {execution_arn}")
        time.sleep(0.05)


def the_map_run(sfn, execution_arn: str) -> str:
    runs = sfn.list_map_runs(executionArn=execution_arn)["mapRuns"]
    assert len(runs) == 1, runs
    return runs[0]["mapRunArn"]


@pytest.fixture(scope="module")
def map_server(tmp_path_factory):
    """A server of this module's own, for the one finished Map Run most tests inspect
    (the shared server is wiped before every test)."""
    server = OffcloudServer(offcloud_binary(), tmp_path_factory.mktemp("map-runs") / "server.log")
    try:
        server.start()
    except ServerFailed as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def map_sfn(map_server):
    return make_sfn_client(map_server.endpoint)


@pytest.fixture(scope="module")
def finished_map(map_sfn) -> dict:
    """A finished execution of a distributed Map labelled "fan" over five items with
    MaxConcurrency 2, where item 0 takes longest (2 s, the others 1 s); its machine,
    execution, Map Run and description."""
    sfn = map_sfn
    name = unique()
    arn = sfn.create_state_machine(name=name, roleArn=ROLE_ARN, definition=definition({
        "Fan": distributed_map(
            {"Delay": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "Double"}, **DOUBLE},
            ItemsPath="$.items", Label="fan", MaxConcurrency=2)}))["stateMachineArn"]
    items = [{"n": i, "delay": 2 if i == 0 else 1} for i in range(5)]
    execution = sfn.start_execution(stateMachineArn=arn,
                                    input=json.dumps({"items": items}))["executionArn"]
    described = wait_for_execution(sfn, execution)
    assert described["status"] == "SUCCEEDED", described
    return {"name": name, "machine": arn, "execution": execution, "described": described,
            "map_run": the_map_run(sfn, execution)}


# --- a successful Map Run ----------------------------------------------------------

@pytest.mark.own_server
def test_output_is_in_item_order(finished_map):
    # Item 0 finishes last; the output is still in item order.
    assert json.loads(finished_map["described"]["output"]) == [{"v": 2 * i} for i in range(5)]


@pytest.mark.own_server
def test_list_map_runs(map_sfn, finished_map):
    [run] = map_sfn.list_map_runs(executionArn=finished_map["execution"])["mapRuns"]

    # arn:…:mapRun:<state machine>/<label>:<id>; the children's machine is <name>/<label>.
    assert run["executionArn"] == finished_map["execution"]
    assert f":mapRun:{finished_map['name']}/fan:" in run["mapRunArn"]
    assert run["stateMachineArn"] == finished_map["machine"] + "/fan"
    assert isinstance(run["startDate"], datetime.datetime)
    assert run["stopDate"] >= run["startDate"]


@pytest.mark.own_server
def test_describe_map_run_counts_and_settings(map_sfn, finished_map):
    described = map_sfn.describe_map_run(mapRunArn=finished_map["map_run"])

    assert described["mapRunArn"] == finished_map["map_run"]
    assert described["executionArn"] == finished_map["execution"]
    assert described["status"] == "SUCCEEDED"
    assert described["maxConcurrency"] == 2
    assert described["stopDate"] >= described["startDate"]
    for counts in (described["itemCounts"], described["executionCounts"]):
        assert counts["total"] == 5
        assert counts["succeeded"] == 5
        assert counts["failed"] == counts["running"] == counts["pending"] == 0


@pytest.mark.own_server
def test_describe_map_run_raw_response_matches_the_model(map_server, finished_map):
    response = sfn_json_call(map_server.endpoint, "DescribeMapRun",
                             {"mapRunArn": finished_map["map_run"]})

    assert response.status_code == 200, response.text
    assert output_shape_problems("DescribeMapRun", response.json()) == []


@pytest.mark.own_server
def test_list_map_runs_raw_response_matches_the_model(map_server, finished_map):
    response = sfn_json_call(map_server.endpoint, "ListMapRuns",
                             {"executionArn": finished_map["execution"]})

    assert response.status_code == 200, response.text
    assert output_shape_problems("ListMapRuns", response.json()) == []


@pytest.mark.own_server
def test_list_executions_by_map_run_lists_the_children(map_sfn, finished_map):
    children = map_sfn.list_executions(mapRunArn=finished_map["map_run"])["executions"]

    assert len(children) == 5
    for child in children:
        assert child["mapRunArn"] == finished_map["map_run"]
        assert child["stateMachineArn"] == finished_map["machine"] + "/fan"
        assert child["status"] == "SUCCEEDED"
    outputs = sorted(
        json.loads(map_sfn.describe_execution(executionArn=c["executionArn"])["output"])["v"]
        for c in children)
    assert outputs == [0, 2, 4, 6, 8]
    # The children are the Map Run's, not the parent machine's executions.
    parents = map_sfn.list_executions(stateMachineArn=finished_map["machine"])["executions"]
    assert [e["executionArn"] for e in parents] == [finished_map["execution"]]


@pytest.mark.own_server
def test_describe_a_child_execution_names_its_map_run(map_sfn, finished_map):
    child = map_sfn.list_executions(mapRunArn=finished_map["map_run"])["executions"][0]

    described = map_sfn.describe_execution(executionArn=child["executionArn"])

    # DescribeExecution.mapRunArn: "the Map Run, which dispatched this execution."
    assert described.get("mapRunArn") == finished_map["map_run"]


@pytest.mark.own_server
def test_parent_history_has_map_run_started_and_succeeded(map_sfn, finished_map):
    events = all_events(map_sfn, finished_map["execution"])
    types = event_types(events)

    assert "MapRunStarted" in types and "MapRunSucceeded" in types
    started = events[types.index("MapRunStarted")]
    assert details_of(started)["mapRunArn"] == finished_map["map_run"]
    assert types.index("MapStateEntered") < types.index("MapRunStarted") \
        < types.index("MapRunSucceeded") < types.index("MapStateExited")
    assert types[-1] == "ExecutionSucceeded"


def test_map_run_started_is_in_the_history_while_the_run_is_in_progress(
        sfn, create_state_machine):
    # Clients find a running Map Run through the parent's history (the console does).
    arn = create_state_machine(definition({"Fan": distributed_map(SLOW_ECHO,
                                                                  ItemsPath="$.items")}))
    execution = sfn.start_execution(stateMachineArn=arn,
                                    input=json.dumps({"items": [1]}))["executionArn"]

    event = wait_for_event(sfn, execution, lambda e: e["type"] == "MapRunStarted",
                           message="MapRunStarted")

    map_run = details_of(event)["mapRunArn"]
    assert sfn.describe_map_run(mapRunArn=map_run)["status"] == "RUNNING"
    wait_for_execution(sfn, execution)


def test_children_that_finish_at_once_are_not_counted_as_failures(sfn, create_state_machine):
    # Children that end before the Map Run awaits them are still successes. 60 runs of
    # ten quick children must all succeed (a few per sixty failed with
    # States.ExceedToleratedFailureThreshold while every child had SUCCEEDED, so this
    # catches the race in most runs, and cannot fail once the race is fixed).
    arn = create_state_machine(definition({"Fan": distributed_map(
        {"Echo": {"Type": "Pass", "End": True}}, ItemsPath="$.items", MaxConcurrency=2)}))
    items = json.dumps({"items": list(range(10))})
    started = [sfn.start_execution(stateMachineArn=arn, input=items)["executionArn"]
               for _ in range(60)]

    described = [wait_for_execution(sfn, execution) for execution in started]

    failures = [(d["error"], d.get("cause")) for d in described if d["status"] != "SUCCEEDED"]
    assert failures == []
    assert all(json.loads(d["output"]) == list(range(10)) for d in described)


# --- failures ----------------------------------------------------------------------

def run_check_map(sfn, create_state_machine, items, slow=False,
                  **fields) -> tuple[dict, str]:
    """A distributed Map of CHECK over `items`; `slow` pauses each child for a second
    first (for tests that need the good items to count as succeeded)."""
    states = {"Pause": {"Type": "Wait", "Seconds": 1, "Next": "Check"}, **CHECK} if slow else CHECK
    arn = create_state_machine(definition({"Fan": distributed_map(states, ItemsPath="$.items",
                                                                  **fields)}))
    execution = sfn.start_execution(stateMachineArn=arn,
                                    input=json.dumps({"items": items}))["executionArn"]
    return wait_for_execution(sfn, execution), execution


def test_failures_over_the_tolerated_count_fail_the_map_run(sfn, create_state_machine):
    described, execution = run_check_map(sfn, create_state_machine, TWO_BAD,
                                         ToleratedFailureCount=1)

    assert described["status"] == "FAILED"
    assert described["error"] == "States.ExceedToleratedFailureThreshold"
    run = sfn.describe_map_run(mapRunArn=the_map_run(sfn, execution))
    assert run["status"] == "FAILED"
    assert run["toleratedFailureCount"] == 1
    assert run["executionCounts"]["failed"] >= 1
    types = event_types(all_events(sfn, execution))
    assert "MapRunFailed" in types and "MapRunSucceeded" not in types
    failed = [e for e in all_events(sfn, execution) if e["type"] == "MapRunFailed"][0]
    assert details_of(failed)["error"] == "States.ExceedToleratedFailureThreshold"


def test_without_a_tolerance_one_failure_fails_the_map_run(sfn, create_state_machine):
    described, execution = run_check_map(sfn, create_state_machine,
                                         [{"ok": True}, {"ok": False}])

    assert described["status"] == "FAILED"
    assert described["error"] == "States.ExceedToleratedFailureThreshold"
    assert sfn.describe_map_run(mapRunArn=the_map_run(sfn, execution))["status"] == "FAILED"


def test_failures_within_the_tolerated_count_succeed(sfn, create_state_machine):
    described, execution = run_check_map(sfn, create_state_machine, TWO_BAD, slow=True,
                                         ToleratedFailureCount=2)

    assert described["status"] == "SUCCEEDED", described
    run = sfn.describe_map_run(mapRunArn=the_map_run(sfn, execution))
    assert run["status"] == "SUCCEEDED"
    assert run["executionCounts"]["succeeded"] == 2
    assert run["executionCounts"]["failed"] == 2
    assert run["executionCounts"]["total"] == 4


def test_failures_within_the_tolerated_percentage_succeed(sfn, create_state_machine):
    described, execution = run_check_map(sfn, create_state_machine, TWO_BAD, slow=True,
                                         ToleratedFailurePercentage=50)

    assert described["status"] == "SUCCEEDED", described
    run = sfn.describe_map_run(mapRunArn=the_map_run(sfn, execution))
    assert run["toleratedFailurePercentage"] == 50


def test_a_catcher_on_the_map_state_catches_the_threshold_error(sfn, create_state_machine):
    fan = distributed_map(CHECK, ItemsPath="$.items", Next="Done",
                          Catch=[{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"],
                                  "ResultPath": "$.failure", "Next": "Done"}])
    del fan["End"]
    arn = create_state_machine(definition({"Fan": fan, "Done": {"Type": "Succeed"}}))
    execution = sfn.start_execution(stateMachineArn=arn,
                                    input=json.dumps({"items": TWO_BAD}))["executionArn"]

    described = wait_for_execution(sfn, execution)

    assert described["status"] == "SUCCEEDED", described
    failure = json.loads(described["output"])["failure"]
    assert failure["Error"] == "States.ExceedToleratedFailureThreshold"


# --- UpdateMapRun ------------------------------------------------------------------

def test_update_map_run_changes_max_concurrency_while_it_runs(sfn, create_state_machine):
    arn = create_state_machine(definition({"Fan": distributed_map(
        {"Hold": {"Type": "Wait", "Seconds": 1, "End": True}},
        ItemsPath="$.items", MaxConcurrency=1)}))
    execution = sfn.start_execution(stateMachineArn=arn,
                                    input=json.dumps({"items": [1, 2, 3]}))["executionArn"]
    map_run = wait_for_map_run(sfn, execution)
    assert sfn.describe_map_run(mapRunArn=map_run)["maxConcurrency"] == 1

    sfn.update_map_run(mapRunArn=map_run, maxConcurrency=3, toleratedFailureCount=2,
                       toleratedFailurePercentage=50.0)

    described = sfn.describe_map_run(mapRunArn=map_run)
    assert described["maxConcurrency"] == 3
    assert described["toleratedFailureCount"] == 2
    assert described["toleratedFailurePercentage"] == 50.0
    assert wait_for_execution(sfn, execution)["status"] == "SUCCEEDED"
    finished = sfn.describe_map_run(mapRunArn=map_run)
    assert finished["status"] == "SUCCEEDED"
    assert finished["maxConcurrency"] == 3
    assert finished["executionCounts"]["succeeded"] == 3


@pytest.mark.own_server
def test_update_map_run_without_a_setting_is_a_validation_error(map_sfn, finished_map):
    with raises_aws("ValidationException", 400):
        map_sfn.update_map_run(mapRunArn=finished_map["map_run"])


@pytest.mark.own_server
def test_missing_map_run_is_resource_not_found(map_sfn, finished_map):
    missing = finished_map["map_run"].rsplit(":", 1)[0] + ":00000000-0000-0000-0000-000000000000"

    with raises_aws("ResourceNotFound", 400):
        map_sfn.describe_map_run(mapRunArn=missing)
    with raises_aws("ResourceNotFound", 400):
        map_sfn.update_map_run(mapRunArn=missing, maxConcurrency=1)
    with raises_aws("ResourceNotFound", 400):
        map_sfn.list_executions(mapRunArn=missing)


@pytest.mark.own_server
def test_list_map_runs_of_a_missing_execution_is_execution_does_not_exist(map_sfn, finished_map):
    with raises_aws("ExecutionDoesNotExist", 400):
        map_sfn.list_map_runs(executionArn=finished_map["execution"] + "-nope")


# --- ItemBatcher and definitions ---------------------------------------------------

def test_item_batcher_groups_items_into_batches(sfn, create_state_machine):
    arn = create_state_machine(definition({"Fan": distributed_map(
        SLOW_ECHO, ItemsPath="$.items",
        ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"tag": "b"}})}))
    execution = sfn.start_execution(stateMachineArn=arn,
                                    input=json.dumps({"items": [1, 2, 3, 4, 5]}))["executionArn"]

    described = wait_for_execution(sfn, execution)

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == [
        {"BatchInput": {"tag": "b"}, "Items": [1, 2]},
        {"BatchInput": {"tag": "b"}, "Items": [3, 4]},
        {"BatchInput": {"tag": "b"}, "Items": [5]}]
    counts = sfn.describe_map_run(mapRunArn=the_map_run(sfn, execution))["executionCounts"]
    assert counts["total"] == 3


def test_inline_map_with_an_item_reader_is_invalid_definition(sfn):
    state = {"Type": "Map", "End": True,
             "ItemReader": {"Resource": GET_OBJECT, "Parameters": {"Bucket": "b", "Key": "k"}},
             "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}

    with raises_aws("InvalidDefinition", 400):
        sfn.create_state_machine(name=unique(), definition=definition({"M": state}),
                                 roleArn=ROLE_ARN)


# --- ItemReader over local files (own server) --------------------------------------

def reader(bucket: str, key: str, **config) -> dict:
    return {"Resource": GET_OBJECT, "Parameters": {"Bucket": bucket, "Key": key},
            "ReaderConfig": config}


def run_reader_map(server, item_reader: dict) -> dict:
    sfn = make_sfn_client(server.endpoint)
    arn = sfn.create_state_machine(
        name=unique(), roleArn=ROLE_ARN,
        definition=definition({"Fan": distributed_map(SLOW_ECHO,
                                                      ItemReader=item_reader)}))["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    return wait_for_execution(sfn, execution)


@pytest.mark.own_server
def test_item_reader_reads_a_csv_file_relative_to_the_working_directory(offcloud_factory,
                                                                        tmp_path):
    folder = tmp_path / "orders-bucket" / "in"
    folder.mkdir(parents=True)
    (folder / "orders.csv").write_text('id,name\n1,apple\n2,"banana, ripe"\n3,cherry\n')
    server = offcloud_factory(data_dir=tmp_path)

    described = run_reader_map(server, reader("orders-bucket", "in/orders.csv",
                                              InputType="CSV", CSVHeaderLocation="FIRST_ROW"))

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == [{"id": "1", "name": "apple"},
                                               {"id": "2", "name": "banana, ripe"},
                                               {"id": "3", "name": "cherry"}]


@pytest.mark.own_server
def test_item_reader_reads_a_json_array_file(offcloud_factory, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "items.json").write_text(json.dumps([{"n": i} for i in range(4)]))
    server = offcloud_factory(data_dir=tmp_path)

    described = run_reader_map(server, reader("data", "items.json", InputType="JSON"))

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == [{"n": i} for i in range(4)]


@pytest.mark.own_server
def test_item_reader_with_an_absolute_key_and_max_items(offcloud_factory, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "items.json").write_text(json.dumps(["a", "b", "c", "d"]))
    (tmp_path / "data-dir").mkdir()
    server = offcloud_factory(data_dir=tmp_path / "data-dir")

    described = run_reader_map(server, reader("ignored", str(elsewhere / "items.json"),
                                              InputType="JSON", MaxItems=2))

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == ["a", "b"]


@pytest.mark.own_server
def test_item_reader_with_a_missing_file_fails_the_execution(offcloud_factory, tmp_path):
    server = offcloud_factory(data_dir=tmp_path)

    described = run_reader_map(server, reader("nobucket", "missing.json", InputType="JSON"))

    assert described["status"] == "FAILED"
    assert described["error"] == "States.ItemReaderFailed"
