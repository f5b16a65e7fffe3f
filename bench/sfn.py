#!/usr/bin/env python3
"""Offcloud Step Functions benchmark (part of `make bench`).

Figures, against the targets of the Step Functions issue:
- state transitions per second for a 50-state Pass chain, in-process with history
  persisted to a durable SQLite file (`offcloud bench-states`), target >= 20,000/s;
- the same chain over HTTP: StartExecution, then DescribeExecution until SUCCEEDED;
- StartExecution -> SUCCEEDED latency p50/p99 for a 10-state chain (STANDARD, polled
  every millisecond) and StartSyncExecution (EXPRESS, one call), target p50 < 5 ms;
- 1,000 concurrent executions, each with a 1-second Wait: wall time until all
  SUCCEEDED, and server RSS.

Python 3.11 standard library only; starts and stops its own server (bench/run.py's).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import HOST, REPO, Server  # noqa: E402

AUTH = ("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/states/aws4_request, "
        "SignedHeaders=host, Signature=00")
ROLE = "arn:aws:iam::000000000000:role/bench"


class Client:
    """One keep-alive connection speaking awsJson1_0 to Step Functions."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)

    def call(self, operation: str, body: dict) -> dict:
        self.conn.request("POST", "/", body=json.dumps(body), headers={
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"AWSStepFunctions.{operation}",
            "Authorization": AUTH})
        response = self.conn.getresponse()
        data = json.loads(response.read() or b"{}")
        if response.status != 200:
            raise RuntimeError(f"{operation} -> {response.status}: {data}")
        return data


def chain(states: int, wait: int = 0) -> str:
    body = {}
    for i in range(states):
        state = {"Type": "Pass"}
        if i == 0 and wait:
            state = {"Type": "Wait", "Seconds": wait}
        state.update({"End": True} if i == states - 1 else {"Next": f"S{i + 1}"})
        body[f"S{i}"] = state
    return json.dumps({"StartAt": "S0", "States": body})


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def wait_done(client: Client, arn: str, deadline_s: float = 60) -> str:
    end = time.perf_counter() + deadline_s
    while time.perf_counter() < end:
        status = client.call("DescribeExecution", {"executionArn": arn})["status"]
        if status != "RUNNING":
            return status
        time.sleep(0.001)
    return "TIMEOUT"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.environ.get("OFFCLOUD_BIN", str(REPO / ".build/release/offcloud")))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_SFN_RUNS", "300")))
    args = parser.parse_args()
    binary = Path(args.bin)
    rows: list[tuple[str, str, str]] = []

    # In-process transitions/s (history persisted, durable file).
    out = subprocess.run([str(binary), "bench-states", "--executions", "400", "--concurrency", "16"],
                         capture_output=True, text=True, timeout=600)
    line = next((l for l in out.stdout.splitlines() if l.startswith("RESULT")), "")
    fields = dict(part.split("=", 1) for part in line.split()[1:])
    tps = float(fields.get("transitions_per_sec", "0"))
    rows.append(("transitions/s, 50-state Pass chain, in-process", f"{tps:,.0f}",
                 f">= 20,000  {'ok' if tps >= 20000 else 'MISS'}"))

    server = Server(binary, None, False)
    try:
        server.start()
        client = Client(server.port)
        standard50 = client.call("CreateStateMachine", {"name": "chain50", "definition": chain(50), "roleArn": ROLE})["stateMachineArn"]
        standard10 = client.call("CreateStateMachine", {"name": "chain10", "definition": chain(10), "roleArn": ROLE})["stateMachineArn"]
        express10 = client.call("CreateStateMachine", {"name": "express10", "definition": chain(10), "roleArn": ROLE,
                                                       "type": "EXPRESS"})["stateMachineArn"]
        waiting = client.call("CreateStateMachine", {"name": "wait1", "definition": chain(3, wait=1), "roleArn": ROLE})["stateMachineArn"]

        # 50-state chain over HTTP, 8 client threads.
        count = 200
        started = time.perf_counter()
        def worker(n: int):
            c = Client(server.port)
            for _ in range(n):
                arn = c.call("StartExecution", {"stateMachineArn": standard50, "input": "{}"})["executionArn"]
                if wait_done(c, arn) != "SUCCEEDED":
                    raise RuntimeError("execution did not succeed")
        threads = [threading.Thread(target=worker, args=(count // 8,)) for _ in range(8)]
        for t in threads: t.start()
        for t in threads: t.join()
        elapsed = time.perf_counter() - started
        rows.append(("transitions/s, 50-state Pass chain, over HTTP (8 clients)", f"{count * 50 / elapsed:,.0f}", "-"))

        # Latency, 10-state chain.
        latencies = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            arn = client.call("StartExecution", {"stateMachineArn": standard10, "input": "{}"})["executionArn"]
            if wait_done(client, arn) != "SUCCEEDED":
                raise RuntimeError("execution did not succeed")
            latencies.append((time.perf_counter() - t0) * 1000)
        p50, p99 = statistics.median(latencies), percentile(latencies, 99)
        rows.append(("StartExecution -> SUCCEEDED, 10 states, p50 / p99 ms", f"{p50:.2f} / {p99:.2f}",
                     f"p50 < 5 ms  {'ok' if p50 < 5 else 'MISS'}"))
        sync = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            result = client.call("StartSyncExecution", {"stateMachineArn": express10, "input": "{}"})
            if result["status"] != "SUCCEEDED":
                raise RuntimeError("sync execution did not succeed")
            sync.append((time.perf_counter() - t0) * 1000)
        rows.append(("StartSyncExecution (EXPRESS), 10 states, p50 / p99 ms",
                     f"{statistics.median(sync):.2f} / {percentile(sync, 99):.2f}", "-"))

        # 1,000 concurrent executions, each waiting 1 s.
        rss_before = server.rss_kb() or 0
        t0 = time.perf_counter()
        arns = [client.call("StartExecution", {"stateMachineArn": waiting, "input": "{}"})["executionArn"] for _ in range(1000)]
        started_s = time.perf_counter() - t0
        rss_peak = server.rss_kb() or 0
        pending = set(arns)
        end = time.perf_counter() + 120
        while pending and time.perf_counter() < end:
            listed = client.call("ListExecutions", {"stateMachineArn": waiting, "statusFilter": "RUNNING", "maxResults": 1000})
            running = {e["executionArn"] for e in listed["executions"]}
            pending &= running
            rss_peak = max(rss_peak, server.rss_kb() or 0)
            time.sleep(0.05)
        total = time.perf_counter() - t0
        succeeded = len(client.call("ListExecutions", {"stateMachineArn": waiting, "statusFilter": "SUCCEEDED",
                                                        "maxResults": 1000})["executions"])
        rows.append(("1,000 executions with a 1 s Wait: all SUCCEEDED after s", f"{total:.2f}",
                     f"{succeeded}/1000 succeeded; started in {started_s:.2f} s"))
        rows.append(("server RSS before / peak during the 1,000, MB", f"{rss_before / 1024:.1f} / {rss_peak / 1024:.1f}", "-"))
    finally:
        server.stop()

    width = max(len(r[0]) for r in rows)
    print("\nOffcloud Step Functions benchmark (2 CPUs, client on the same machine)\n")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>16}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
