"""`offcloud test`: the workflow test runner, through its command line (fixtures, both
mock formats, virtual time, parallel isolation, reports, JUnit, coverage, --update),
and Step Functions Local's `#TestCaseName` on the running server through boto3."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from support.clients import make_client
from support.server import REPO_ROOT, offcloud_binary

LAMBDA = "arn:aws:states:::lambda:invoke"

# A known definition: Choice with two rules and a Default, a Task with two retriers and
# a catcher, a week-long Wait, and States.UUID / MathRandom in a Pass.
CHECKOUT = {
    "StartAt": "Route",
    "States": {
        "Route": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.kind", "StringEquals": "express", "Next": "Charge"},
                {"Variable": "$.kind", "StringEquals": "slow", "Next": "WaitAWeek"},
            ],
            "Default": "Rejected",
        },
        "WaitAWeek": {"Type": "Wait", "Seconds": 604800, "Next": "Charge"},
        "Charge": {
            "Type": "Task",
            "Resource": LAMBDA,
            "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
            "ResultSelector": {"receipt.$": "$.Payload.receipt"},
            "ResultPath": "$.charge",
            "Retry": [
                {"ErrorEquals": ["Busy"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3},
                {"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 1},
            ],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Rejected"}],
            "Next": "Stamp",
        },
        "Stamp": {
            "Type": "Pass",
            "Parameters": {"id.$": "States.UUID()", "lucky.$": "States.MathRandom(1, 1000000)", "receipt.$": "$.charge.receipt"},
            "End": True,
        },
        "Rejected": {"Type": "Fail", "Error": "Rejected", "Cause": "not charged"},
    },
}


def offcloud_test(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(offcloud_binary()), "test", *args], cwd=str(cwd), capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "checkout.asl.json").write_text(json.dumps(CHECKOUT))
    (tmp_path / "fixtures").mkdir()
    return tmp_path


def write_fixture(project: Path, name: str, document: dict) -> Path:
    path = project / "fixtures" / name
    path.write_text(json.dumps(document, indent=2))
    return path


def ok(receipt: str = "r-1") -> dict:
    return {"payload": {"receipt": receipt}}


def test_repository_fixtures_cover_order_workflow_and_pass():
    result = offcloud_test("fixtures", "--coverage", cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failed" in result.stdout
    assert "GetConnect ↻8 !ConnectionNotFound" in result.stdout
    coverage = result.stdout.split("Coverage of")[1]
    for line in ("states       13/13", "choice rules 2/2", "retriers     1/1", "catchers     5/5"):
        assert line in coverage


def test_failure_prints_path_diff_and_divergence_and_exits_non_zero(project):
    write_fixture(project, "wrong.json", {
        "definition": "checkout",
        "tests": [{
            "name": "expects the slow path",
            "input": {"kind": "express"},
            "mocks": {"Charge": ok("r-9")},
            "expect": {"status": "SUCCEEDED", "states": ["Route", "WaitAWeek", "Charge", "Stamp"],
                       "outputContains": {"receipt": "r-1", "missing": 1}},
        }],
    })
    result = offcloud_test("fixtures", cwd=project)
    assert result.returncode == 1
    out = result.stdout
    assert "✗ expects the slow path" in out
    assert "path: Route [rule 0] → Charge → Stamp → ✓ SUCCEEDED" in out
    assert "diverged after Route (state #2): expected WaitAWeek, got Charge" in out
    assert '$.receipt: expected "r-1", got "r-9"' in out
    assert "$.missing: expected 1, got nothing (missing)" in out
    assert "1 tests: 0 passed, 1 failed" in out


def test_virtual_clock_skips_a_week_and_honours_retry_intervals(project):
    write_fixture(project, "time.json", {
        "definition": "checkout",
        "context": {"startTime": "2026-05-01T00:00:00Z"},
        "tests": [{
            "name": "slow path with a busy charge",
            "input": {"kind": "slow"},
            "mocks": {"Charge": {"sequence": [{"error": "Busy", "times": 2}, {"error": "Flaky"}, ok()]}},
            "context": {"startTime": "2026-05-01T00:00:00Z"},
            "expect": {"status": "SUCCEEDED", "retries": {"Charge": 3}, "virtualSeconds": 604800 + 2 + 6 + 1},
        }],
    })
    result = offcloud_test("fixtures", "--json", cwd=project)
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    run = report["results"][0]
    assert run["retries"] == {"Charge": 3}
    history = run["history"]
    assert history[0]["timestamp"] == "2026-05-01T00:00:00.000Z"
    scheduled = [e["timestamp"] for e in history if e["type"] == "TaskScheduled"]
    # The first attempt a week in; then 2 s, 6 s (BackoffRate 3) and 1 s (the other retrier).
    assert scheduled == ["2026-05-08T00:00:00.000Z", "2026-05-08T00:00:02.000Z", "2026-05-08T00:00:08.000Z",
                         "2026-05-08T00:00:09.000Z"]
    assert run["virtualSeconds"] == 604809.0
    assert report["seconds"] < 5


def test_mock_config_file_and_inline_mocks_agree(project):
    (project / "fixtures" / "MockConfigFile.json").write_text(json.dumps({
        "StateMachines": {"checkout": {"TestCases": {"Retried": {"Charge": "BusyThenOk"}, "Down": {"Charge": "Down"}}}},
        "MockedResponses": {
            "BusyThenOk": {"0-1": {"Throw": {"Error": "Busy", "Cause": "try later"}},
                           "2": {"Return": {"StatusCode": 200, "Payload": {"receipt": "r-cfg"}}}},
            "Down": {"0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "down"}}},
        },
    }))
    expect_retried = {"status": "SUCCEEDED", "retries": {"Charge": 2}, "outputMatches": {"$.receipt": "r-cfg"}}
    write_fixture(project, "both.json", {
        "definition": "checkout",
        "input": {"kind": "express"},
        "tests": [
            {"name": "mock config", "testCase": "Retried", "expect": expect_retried},
            {"name": "inline", "mocks": {"Charge": {"sequence": [{"error": "Busy", "times": 2}, ok("r-cfg")]}},
             "expect": expect_retried},
            {"name": "mock config error caught", "testCase": "Down",
             "expect": {"status": "FAILED", "error": "Rejected", "states": ["Route", "Charge", "Rejected"]}},
        ],
    })
    result = offcloud_test("fixtures", "--mock-config", "fixtures/MockConfigFile.json", cwd=project)
    assert result.returncode == 0, result.stdout
    assert "3 tests: 3 passed" in result.stdout


def test_parallel_runs_are_isolated_and_seeds_repeat(project):
    tests = [{"name": f"order {i}", "input": {"kind": "express", "n": i}, "seed": i % 7,
              "mocks": {"Charge": {"sequence": [{"error": "Busy", "times": i % 3}, ok(f"r-{i}")]}},
              "expect": {"status": "SUCCEEDED", "retries": {"Charge": i % 3}, "outputMatches": {"$.receipt": f"r-{i}"}}}
             for i in range(300)]
    write_fixture(project, "many.json", {"definition": "checkout", "tests": tests})
    first = offcloud_test("fixtures", "--json", cwd=project)
    second = offcloud_test("fixtures", "--json", "--parallel", "3", cwd=project)
    assert first.returncode == 0 and second.returncode == 0, first.stdout[-2000:]
    a, b = json.loads(first.stdout)["results"], json.loads(second.stdout)["results"]
    assert [r["output"] for r in a] == [r["output"] for r in b]
    # The same seed gives the same UUID and random number; different seeds differ.
    by_seed = {}
    for r in a:
        by_seed.setdefault(r["name"] and int(r["name"].split()[1]) % 7, set()).add((r["output"]["id"], r["output"]["lucky"]))
    assert all(len(v) == 1 for v in by_seed.values())
    assert len({next(iter(v)) for v in by_seed.values()}) == 7


def test_junit_xml_has_the_shape_ci_systems_read(project, tmp_path):
    write_fixture(project, "mixed.json", {
        "definition": "checkout",
        "input": {"kind": "express"},
        "mocks": {"Charge": ok()},
        "tests": [
            {"name": "passes <ok> & well", "expect": {"status": "SUCCEEDED"}},
            {"name": "fails", "expect": {"status": "FAILED"}},
        ],
    })
    write_fixture(project, "broken.json", {"definition": "no-such-machine", "tests": [{"name": "x"}]})
    junit = tmp_path / "out.xml"
    result = offcloud_test("fixtures", "--junit", str(junit), cwd=project)
    assert result.returncode == 1
    root = ET.parse(junit).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    float(root.get("time"))
    suites = root.findall("testsuite")
    assert len(suites) == 2
    for suite in suites:
        for attribute in ("name", "tests", "failures", "errors", "time"):
            assert suite.get(attribute) is not None, attribute
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(suite.get("errors")) == sum(1 for c in cases if c.find("error") is not None)
        for case in cases:
            assert case.get("name") and case.get("classname")
            float(case.get("time"))
            assert set(child.tag for child in case) <= {"failure", "error", "skipped", "system-out", "system-err"}
    mixed = next(s for s in suites if s.get("name").endswith("mixed.json"))
    names = [c.get("name") for c in mixed.findall("testcase")]
    assert names == ["passes <ok> & well", "fails"]
    failure = mixed.findall("testcase")[1].find("failure")
    assert "expected FAILED, got SUCCEEDED" in failure.get("message")
    assert mixed.findall("testcase")[0].get("classname") == "checkout.mixed"


def test_coverage_counts_states_choice_rules_retriers_and_catchers(project, tmp_path):
    write_fixture(project, "some.json", {
        "definition": "checkout",
        "tests": [
            {"name": "express", "input": {"kind": "express"}, "mocks": {"Charge": {"sequence": [{"error": "Busy"}, ok()]}}},
            {"name": "unknown kind", "input": {"kind": "other"}},
        ],
    })
    out = tmp_path / "coverage.json"
    result = offcloud_test("fixtures", "--coverage", "--coverage-json", str(out), cwd=project)
    assert result.returncode == 0, result.stdout
    [c] = json.loads(out.read_text())
    assert (c["states"]["covered"], c["states"]["total"]) == (4, 5)
    assert c["states"]["missed"] == ["WaitAWeek"]
    assert (c["choiceRules"]["covered"], c["choiceRules"]["total"]) == (2, 3)
    assert c["choiceRules"]["missed"] == ["Route rule 1 → WaitAWeek"]
    assert (c["retriers"]["covered"], c["retriers"]["total"]) == (1, 2)
    assert (c["catchers"]["covered"], c["catchers"]["total"]) == (0, 1)
    assert "states       4/5" in result.stdout


def test_update_writes_actual_results_where_asked_and_filter_selects(project):
    path = write_fixture(project, "update.json", {
        "definition": "checkout",
        "tests": [
            {"name": "record me", "input": {"kind": "express"}, "seed": 3, "mocks": {"Charge": ok("r-5")},
             "update": ["output", "states"]},
            {"name": "leave me", "input": {"kind": "other"}, "expect": {"status": "FAILED"}},
        ],
    })
    result = offcloud_test("fixtures", "--update", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads(path.read_text())
    recorded = document["tests"][0]["expect"]
    assert recorded["states"] == ["Route", "Charge", "Stamp"]
    assert recorded["output"]["receipt"] == "r-5"
    assert document["tests"][1]["expect"] == {"status": "FAILED"}
    again = offcloud_test("fixtures", "--filter", "record", cwd=project)
    assert again.returncode == 0 and "1 tests: 1 passed" in again.stdout


@pytest.mark.own_server
def test_test_case_suffix_on_start_execution(offcloud_factory, tmp_path):
    config = tmp_path / "MockConfigFile.json"
    config.write_text(json.dumps({
        "StateMachines": {"checkout": {"TestCases": {"Happy": {"Charge": "Paid"}, "Busy": {"Charge": "BusyThenPaid"}}}},
        "MockedResponses": {
            "Paid": {"0": {"Return": {"StatusCode": 200, "Payload": {"receipt": "mocked"}}}},
            "BusyThenPaid": {"0": {"Throw": {"Error": "Busy", "Cause": "later"}},
                             "1": {"Return": {"StatusCode": 200, "Payload": {"receipt": "second"}}}},
        },
    }))
    server = offcloud_factory(extra_args=["--mock-config", str(config)])
    sfn = make_client(server.endpoint, "stepfunctions")
    definition = dict(CHECKOUT)
    definition["States"] = dict(CHECKOUT["States"])
    definition["States"]["Charge"] = dict(CHECKOUT["States"]["Charge"], Retry=[
        {"ErrorEquals": ["Busy"], "IntervalSeconds": 1, "MaxAttempts": 2}])
    arn = sfn.create_state_machine(name="checkout", definition=json.dumps(definition),
                                   roleArn="arn:aws:iam::000000000000:role/r")["stateMachineArn"]

    def run(suffix: str) -> dict:
        execution = sfn.start_execution(stateMachineArn=arn + suffix, input=json.dumps({"kind": "express"}))
        for _ in range(200):
            described = sfn.describe_execution(executionArn=execution["executionArn"])
            if described["status"] != "RUNNING":
                return described
            import time
            time.sleep(0.02)
        raise AssertionError("execution did not finish")

    happy = run("#Happy")
    assert happy["status"] == "SUCCEEDED"
    assert json.loads(happy["output"])["receipt"] == "mocked"
    assert happy["stateMachineArn"] == arn
    busy = run("#Busy")
    assert json.loads(busy["output"])["receipt"] == "second"
    # Without a suffix the Task calls Lambda for real: there is no such function.
    real = run("")
    assert real["status"] == "FAILED" and real["error"] == "Rejected"
    with pytest.raises(sfn.exceptions.ClientError) as error:
        sfn.start_execution(stateMachineArn=arn + "#NoSuchCase")
    assert error.value.response["Error"]["Code"] == "ValidationException"
