"""With `--data-dir`, Step Functions state lives in SQLite: state machines, finished
executions and their history survive a restart, and an execution that was running
when the server stopped (SIGTERM) or crashed (SIGKILL) resumes and finishes, its
history continuing where it left off. Each test runs its own servers."""

import json

import pytest

from support.sfn import (ROLE_ARN, all_events, assert_event_chain, definition, details_of,
                         event_types, make_sfn_client, run_execution, wait_for_event,
                         wait_for_execution)

pytestmark = pytest.mark.own_server

# Enrich (Pass) → Hold (Wait 3 s) → Finish (Pass): the server is stopped during Hold.
WAITING = definition({
    "Enrich": {"Type": "Pass", "Result": {"v": 1}, "ResultPath": "$.enriched", "Next": "Hold"},
    "Hold": {"Type": "Wait", "Seconds": 3, "Next": "Finish"},
    "Finish": {"Type": "Pass", "Result": "done", "ResultPath": "$.finished", "End": True}})


def start_waiting_execution(server) -> tuple[str, str]:
    sfn = make_sfn_client(server.endpoint)
    machine = sfn.create_state_machine(name="resumable", definition=WAITING,
                                       roleArn=ROLE_ARN)["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine, name="survivor",
                                    input='{"order": 1}')["executionArn"]
    # Mid-wait: Enrich is done (its events are on disk), Hold's 3 seconds are running.
    wait_for_event(sfn, execution, lambda e: e["type"] == "PassStateExited",
                   message="Enrich to finish")
    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    return machine, execution


def assert_finished_once(sfn, execution: str) -> list[dict]:
    """The resumed execution succeeded with the right output, and its history is one
    unbroken chain: ids 1..n, no state's events recorded twice."""
    described = wait_for_execution(sfn, execution, timeout=15.0)
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"order": 1, "enriched": {"v": 1},
                                               "finished": "done"}
    events = all_events(sfn, execution)
    assert_event_chain(events)
    types = event_types(events)
    assert types.count("ExecutionStarted") == 1
    assert types[-1] == "ExecutionSucceeded"
    assert not {"ExecutionAborted", "ExecutionFailed"} & set(types), types
    entered = [details_of(e)["name"] for e in events if e["type"].endswith("StateEntered")]
    assert entered.count("Enrich") == 1, entered
    assert entered.count("Hold") == 1, entered
    assert entered.count("Finish") == 1, entered
    assert entered.index("Hold") < entered.index("Finish")
    return events


def test_running_execution_resumes_after_a_graceful_restart(offcloud_factory, tmp_path):
    first = offcloud_factory(data_dir=tmp_path, name="first")
    _, execution = start_waiting_execution(first)
    before = all_events(make_sfn_client(first.endpoint), execution)

    assert first.stop() == 0  # SIGTERM mid-wait: a clean shutdown

    second = offcloud_factory(data_dir=tmp_path, name="second")
    sfn = make_sfn_client(second.endpoint)
    events = assert_finished_once(sfn, execution)
    assert events[:len(before)] == before  # history continues; nothing rewritten


def test_running_execution_resumes_after_a_crash(offcloud_factory, tmp_path):
    first = offcloud_factory(data_dir=tmp_path, name="first")
    _, execution = start_waiting_execution(first)
    before = all_events(make_sfn_client(first.endpoint), execution)

    first.process.kill()  # SIGKILL mid-wait: no chance to write anything more
    first.process.wait(timeout=10)
    first.stop()

    second = offcloud_factory(data_dir=tmp_path, name="second")
    sfn = make_sfn_client(second.endpoint)
    assert sfn.describe_execution(executionArn=execution)["status"] in ("RUNNING", "SUCCEEDED")
    events = assert_finished_once(sfn, execution)
    assert events[:len(before)] == before


def test_state_machines_and_finished_executions_survive_a_restart(offcloud_factory, tmp_path):
    first = offcloud_factory(data_dir=tmp_path, name="first")
    sfn = make_sfn_client(first.endpoint)
    text = definition({"P": {"Type": "Pass", "Result": {"kept": True}, "End": True}})
    machine = sfn.create_state_machine(
        name="durable", definition=text, roleArn=ROLE_ARN,
        tags=[{"key": "keep", "value": "me"}])["stateMachineArn"]
    done = run_execution(sfn, machine, name="finished")
    history = all_events(sfn, done["executionArn"])
    activity = sfn.create_activity(name="durable-activity")["activityArn"]

    assert first.stop() == 0

    second = offcloud_factory(data_dir=tmp_path, name="second")
    sfn = make_sfn_client(second.endpoint)
    assert sfn.describe_state_machine(stateMachineArn=machine)["definition"] == text
    assert sfn.list_tags_for_resource(resourceArn=machine)["tags"] == [{"key": "keep",
                                                                        "value": "me"}]
    described = sfn.describe_execution(executionArn=done["executionArn"])
    described.pop("ResponseMetadata"), done.pop("ResponseMetadata")
    assert described == done
    assert all_events(sfn, done["executionArn"]) == history
    assert [e["name"] for e in sfn.list_executions(stateMachineArn=machine)["executions"]] == [
        "finished"]
    assert sfn.describe_activity(activityArn=activity)["name"] == "durable-activity"


def test_a_stopped_execution_stays_stopped_after_a_restart(offcloud_factory, tmp_path):
    first = offcloud_factory(data_dir=tmp_path, name="first")
    sfn = make_sfn_client(first.endpoint)
    machine = sfn.create_state_machine(
        name="stoppable", definition=definition({"W": {"Type": "Wait", "Seconds": 30,
                                                        "End": True}}),
        roleArn=ROLE_ARN)["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine)["executionArn"]
    sfn.stop_execution(executionArn=execution, error="Ops.Stop", cause="by hand")

    assert first.stop() == 0

    second = offcloud_factory(data_dir=tmp_path, name="second")
    sfn = make_sfn_client(second.endpoint)
    described = sfn.describe_execution(executionArn=execution)
    assert described["status"] == "ABORTED"
    assert (described["error"], described["cause"]) == ("Ops.Stop", "by hand")
    assert event_types(all_events(sfn, execution))[-1] == "ExecutionAborted"
