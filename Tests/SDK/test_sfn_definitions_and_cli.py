"""State machines from a definitions folder (`offcloud serve --definitions DIR`): every
`*.asl.json` below it becomes a state machine named after its file, a sidecar
`<name>.config.json` sets the type and `${…}` substitutions, invalid files are left
out, edits are picked up while the server runs, and a reset deploys them again.
And the command line: `offcloud validate` and `offcloud run`."""

import json
import subprocess
import time
from pathlib import Path

import pytest
import requests

from support.server import offcloud_binary
from support.sfn import make_sfn_client, run_execution, state_machine_arn, wait_for_execution

pytestmark = pytest.mark.own_server

ORDERS = {"StartAt": "Receive", "States": {
    "Receive": {"Type": "Pass", "Result": "v1", "ResultPath": "$.version", "End": True}}}
HELLO = {"StartAt": "Greet", "States": {
    "Greet": {"Type": "Pass", "Parameters": {"say": "${Greeting}", "to.$": "$.name"},
              "End": True}}}
# Two problems with JSON Pointers: StartAt names no state, A's Next goes nowhere.
BAD = {"StartAt": "Missing", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}
BRANCHING = {"StartAt": "Size", "States": {
    "Size": {"Type": "Choice", "Default": "TooSmall",
             "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}]},
    "Big": {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"},
            "End": True},
    "TooSmall": {"Type": "Fail", "Error": "TooSmall", "Cause": "n must be over 1"}}}

POLL_TIMEOUT = 5.0


def write_json(path: Path, value) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2))
    return path


@pytest.fixture
def definitions(tmp_path) -> Path:
    """orders.asl.json (STANDARD), sub/hello.asl.json (EXPRESS, ${Greeting} → "hi"),
    and the invalid bad.asl.json."""
    folder = tmp_path / "definitions"
    write_json(folder / "orders.asl.json", ORDERS)
    write_json(folder / "sub" / "hello.asl.json", HELLO)
    write_json(folder / "sub" / "hello.config.json",
               {"type": "EXPRESS", "substitutions": {"Greeting": "hi"}})
    write_json(folder / "bad.asl.json", BAD)
    return folder


@pytest.fixture
def definitions_server(offcloud_factory, definitions):
    """A server of its own, deploying the definitions folder."""
    return offcloud_factory(name="definitions", extra_args=["--definitions", str(definitions)])


@pytest.fixture
def sfn_served(definitions_server):
    return make_sfn_client(definitions_server.endpoint)


def machines(sfn) -> dict[str, dict]:
    return {m["name"]: m for m in sfn.list_state_machines()["stateMachines"]}


def wait_for_definition(sfn, name: str, predicate, what: str) -> dict:
    """DescribeStateMachine until `predicate(definition)` holds (bounded)."""
    deadline = time.monotonic() + POLL_TIMEOUT
    while True:
        try:
            described = sfn.describe_state_machine(stateMachineArn=state_machine_arn(name))
            if predicate(json.loads(described["definition"])):
                return described
        except sfn.exceptions.StateMachineDoesNotExist:
            pass
        if time.monotonic() >= deadline:
            pytest.fail(f"{what} not deployed within {POLL_TIMEOUT}s")
        time.sleep(0.1)


# --- deploying the folder ----------------------------------------------------------

def test_valid_definitions_are_state_machines_of_the_configured_type(sfn_served):
    listed = machines(sfn_served)

    assert set(listed) == {"orders", "hello"}
    assert listed["orders"]["type"] == "STANDARD"
    assert listed["hello"]["type"] == "EXPRESS"
    assert listed["orders"]["stateMachineArn"] == state_machine_arn("orders")


def test_the_invalid_definition_is_left_out_and_logged(sfn_served, definitions_server):
    assert "bad" not in machines(sfn_served)
    with pytest.raises(sfn_served.exceptions.StateMachineDoesNotExist):
        sfn_served.describe_state_machine(stateMachineArn=state_machine_arn("bad"))
    assert "bad.asl.json" in definitions_server.log_tail(200)


def test_substitutions_from_the_config_file_are_applied(sfn_served):
    described = sfn_served.describe_state_machine(stateMachineArn=state_machine_arn("hello"))

    assert "${Greeting}" not in described["definition"]
    assert json.loads(described["definition"])["States"]["Greet"]["Parameters"]["say"] == "hi"
    result = sfn_served.start_sync_execution(stateMachineArn=state_machine_arn("hello"),
                                             input=json.dumps({"name": "Ada"}))
    assert result["status"] == "SUCCEEDED", result
    assert json.loads(result["output"]) == {"say": "hi", "to": "Ada"}


def test_deployed_standard_machine_runs(sfn_served):
    described = run_execution(sfn_served, state_machine_arn("orders"), input={"id": 7})

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"id": 7, "version": "v1"}


def test_editing_a_file_while_the_server_runs_redeploys_it(sfn_served, definitions):
    edited = json.loads(json.dumps(ORDERS))
    edited["States"]["Receive"]["Result"] = "v2"
    write_json(definitions / "orders.asl.json", edited)

    wait_for_definition(sfn_served, "orders",
                        lambda d: d["States"]["Receive"].get("Result") == "v2", "the edit")

    described = run_execution(sfn_served, state_machine_arn("orders"), input={})
    assert json.loads(described["output"]) == {"version": "v2"}


def test_a_file_added_while_the_server_runs_is_deployed(sfn_served, definitions):
    write_json(definitions / "later.asl.json", {"StartAt": "Done", "States": {
        "Done": {"Type": "Succeed"}}})

    wait_for_definition(sfn_served, "later", lambda d: d["StartAt"] == "Done", "the new file")

    assert machines(sfn_served)["later"]["type"] == "STANDARD"


def test_a_bad_file_that_is_fixed_is_deployed(sfn_served, definitions):
    write_json(definitions / "bad.asl.json", {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "End": True}}})

    wait_for_definition(sfn_served, "bad", lambda d: d["StartAt"] == "A", "the fixed file")


def test_reset_keeps_the_definitions_deployed(sfn_served, definitions_server):
    execution = sfn_served.start_execution(
        stateMachineArn=state_machine_arn("orders"))["executionArn"]
    wait_for_execution(sfn_served, execution)

    response = requests.post(f"{definitions_server.endpoint}/_offcloud/reset", timeout=10)

    assert response.status_code in (200, 204), response.text
    listed = machines(sfn_served)
    assert set(listed) == {"orders", "hello"}
    assert listed["hello"]["type"] == "EXPRESS"
    orders = state_machine_arn("orders")
    assert sfn_served.list_executions(stateMachineArn=orders)["executions"] == []
    assert run_execution(sfn_served, state_machine_arn("orders"))["status"] == "SUCCEEDED"


# --- offcloud validate / run -------------------------------------------------------

def offcloud(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    binary = offcloud_binary()
    if not binary.exists():
        pytest.fail(f"offcloud binary not found at {binary}; build it or set OFFCLOUD_BIN")
    return subprocess.run([str(binary), *args], cwd=str(cwd), capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)


def test_validate_reports_each_problem_with_its_json_pointer(definitions):
    completed = offcloud("validate", "orders.asl.json", "bad.asl.json", cwd=definitions)

    assert completed.returncode == 1, completed
    out = completed.stdout
    assert "orders.asl.json: OK" in out
    bad_lines = [line for line in out.splitlines() if line.startswith("bad.asl.json")]
    assert any("/StartAt" in line and "MISSING_TRANSITION_TARGET" in line
               for line in bad_lines), out
    assert any("/States/A/Next" in line and "Nowhere" in line for line in bad_lines), out


def test_validate_only_good_files_exits_zero(definitions):
    completed = offcloud("validate", "orders.asl.json", "sub/hello.asl.json", cwd=definitions)

    assert completed.returncode == 0, completed
    assert "orders.asl.json: OK" in completed.stdout
    assert "sub/hello.asl.json: OK" in completed.stdout


def test_validate_a_missing_file_exits_non_zero(tmp_path):
    completed = offcloud("validate", "absent.asl.json", cwd=tmp_path)

    assert completed.returncode != 0
    assert "absent.asl.json" in completed.stdout + completed.stderr


def test_run_prints_the_states_taken_and_the_output(tmp_path):
    write_json(tmp_path / "branching.asl.json", BRANCHING)

    completed = offcloud("run", "branching.asl.json", "--input", '{"n": 5}', cwd=tmp_path)

    assert completed.returncode == 0, completed
    out = completed.stdout
    assert "Size" in out and "Big" in out and "TooSmall" not in out
    assert out.index("Size") < out.index("Big")
    assert "SUCCEEDED" in out
    assert '{"doubled":10}' in out.replace(" ", "")


def test_run_of_a_failing_machine_exits_non_zero(tmp_path):
    write_json(tmp_path / "branching.asl.json", BRANCHING)

    completed = offcloud("run", "branching.asl.json", "--input", '{"n": 0}', cwd=tmp_path)

    assert completed.returncode != 0, completed
    out = completed.stdout + completed.stderr
    assert "TooSmall" in out
    assert "FAILED" in out


def test_run_of_an_invalid_definition_exits_non_zero(definitions):
    completed = offcloud("run", "bad.asl.json", cwd=definitions)

    assert completed.returncode != 0, completed
    assert "MISSING_TRANSITION_TARGET" in completed.stdout + completed.stderr
