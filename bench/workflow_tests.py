#!/usr/bin/env python3
"""Offcloud workflow test runner benchmark (part of `make bench`).

Times `offcloud test` on 1,000 fixture tests of a 20-state workflow (Choice, Tasks
with Retry and Catch, a day-long Wait, Pass states with intrinsics), every Task
mocked, some retried, on the virtual clock. Target: under 10 s on the 2-core machine.

Python 3.11 standard library only; OFFCLOUD_BIN names the binary.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAMBDA = "arn:aws:states:::lambda:invoke"


def workflow() -> dict:
    states: dict = {
        "Route": {"Type": "Choice", "Choices": [
            {"Variable": "$.priority", "NumericGreaterThan": 5, "Next": "Fast0"},
            {"Variable": "$.priority", "NumericLessThanEquals": 5, "Next": "Hold"}], "Default": "Rejected"},
        "Hold": {"Type": "Wait", "Seconds": 86400, "Next": "Fast0"},
    }
    # Fast0 … Fast7: Pass states with intrinsics; Task0 … Task6: mocked Tasks with Retry and Catch.
    for i in range(8):
        states[f"Fast{i}"] = {"Type": "Pass", "Parameters": {"step": i, "id.$": "States.UUID()", "order.$": "$.order"},
                              "ResultPath": f"$.fast{i}", "Next": f"Task{i}" if i < 7 else "Audit"}
    for i in range(7):
        states[f"Task{i}"] = {
            "Type": "Task", "Resource": LAMBDA, "Parameters": {"FunctionName": f"f{i}", "Payload.$": "$.order"},
            "ResultSelector": {"ok.$": "$.Payload.ok"}, "ResultPath": f"$.task{i}",
            "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 2, "BackoffRate": 2, "MaxAttempts": 3}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Rejected"}],
            "Next": f"Fast{i + 1}"}
    states["Audit"] = {"Type": "Pass", "Parameters": {"n.$": "States.MathRandom(1, 100)"}, "ResultPath": "$.audit", "Next": "Done"}
    states["Done"] = {"Type": "Succeed"}
    states["Rejected"] = {"Type": "Fail", "Error": "Rejected"}
    assert len(states) == 20, len(states)
    return {"StartAt": "Route", "States": states}


def fixtures(count: int) -> dict:
    tests = []
    for n in range(count):
        mocks = {f"Task{i}": {"payload": {"ok": True}} for i in range(7)}
        if n % 3 == 0:
            mocks["Task3"] = {"sequence": [{"error": "Busy", "times": 2}, {"payload": {"ok": True}}]}
        if n % 10 == 9:
            mocks["Task5"] = {"error": "Broken", "cause": "always"}
        failed = n % 10 == 9
        tests.append({
            "name": f"order {n}", "input": {"priority": n % 10, "order": {"id": n}}, "seed": n, "mocks": mocks,
            "expect": {"status": "FAILED" if failed else "SUCCEEDED",
                       "retries": {"Task3": 2 if n % 3 == 0 else 0},
                       **({} if failed else {"outputMatches": {"$.task6.ok": True, "$.order.id": n}})},
        })
    return {"definition": "bench20", "tests": tests}


def main() -> int:
    binary = os.environ.get("OFFCLOUD_BIN", str(REPO / ".build" / "release" / "offcloud"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "definitions").mkdir()
        (root / "definitions" / "bench20.asl.json").write_text(json.dumps(workflow()))
        (root / "fixtures").mkdir()
        (root / "fixtures" / "bench.json").write_text(json.dumps(fixtures(1000)))
        best = None
        for _ in range(3):
            started = time.perf_counter()
            result = subprocess.run([binary, "test", "fixtures", "--quiet", "--junit", str(root / "junit.xml")], cwd=root,
                                    capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            if result.returncode != 0:
                print(result.stdout[-3000:], result.stderr[-2000:])
                return 1
            best = elapsed if best is None else min(best, elapsed)
        summary = result.stdout.strip().splitlines()[-1]
    verdict = "met" if best < 10 else "MISSED"
    print(f"offcloud test, 1,000 fixture tests of a 20-state workflow: {best:.2f} s wall (best of 3; target < 10 s, {verdict})")
    print(f"  {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
