#!/usr/bin/env python3
"""Offcloud Lambda benchmark (part of `make bench`).

Usage: OFFCLOUD_BIN=PATH python3 bench/lambda.py [--duration S]

Figures, against the Lambda part of the Lambda / API Gateway issue:
- in-process Invoke of a Swift echo handler (`offcloud bench-lambda`): per-invocation
  overhead p50/p99 (sequential) and invocations per second (16 in flight);
- Invoke over HTTP with wrk (-t2 -c64) against `offcloud bench-lambda --serve`, which
  deploys the same echo function on a durable SQLite file: req/s, p50/p99, and server
  RSS after the run;
- HTTP API -> Lambda: wrk POSTs to an HTTP API route proxying to the echo function
  (payload format 2.0 event built, result mapped back), target >= 10,000 req/s.

Python 3.11 standard library and wrk; starts and always stops its own server.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import _die_with_parent, parse_result, read_status_kb  # noqa: E402

WRK_DIR = Path(__file__).resolve().parent / "wrk"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    args = parser.parse_args()
    binary = os.environ.get("OFFCLOUD_BIN")
    wrk = shutil.which("wrk")
    if not binary or not wrk:
        print("lambda bench: OFFCLOUD_BIN and wrk are required", file=sys.stderr)
        return 2

    out = subprocess.run([binary, "bench-lambda"], capture_output=True, text=True, timeout=300)
    in_process, _ = parse_result(out.stdout)
    if out.returncode != 0 or in_process is None:
        print(f"lambda bench: in-process run failed\n{out.stdout}{out.stderr}", file=sys.stderr)
        return 1

    data = tempfile.mkdtemp(prefix="offcloud-bench-lambda-")
    server = subprocess.Popen([binary, "bench-lambda", "--serve", "--port", "0", "--data-dir", data],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, preexec_fn=_die_with_parent)
    try:
        line = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not line.startswith("LISTENING"):
            line = server.stdout.readline()
            if not line and server.poll() is not None:
                break
        if not line.startswith("LISTENING"):
            print("lambda bench: the server did not start", file=sys.stderr)
            return 1
        fields = dict(item.split("=", 1) for item in line.split()[1:])
        port, api_id = int(fields["port"]), fields["api"]
        proc = subprocess.run([wrk, "-t", "2", "-c", "64", "-d", f"{args.duration}s", "--timeout", "5s",
                               "-s", str(WRK_DIR / "lambda_invoke.lua"), f"http://127.0.0.1:{port}/"],
                              capture_output=True, text=True, timeout=args.duration + 60, preexec_fn=_die_with_parent)
        http, _ = parse_result(proc.stdout)
        api_proc = subprocess.run([wrk, "-t", "2", "-c", "64", "-d", f"{args.duration}s", "--timeout", "5s",
                                   "-s", str(WRK_DIR / "http_api.lua"), f"http://127.0.0.1:{port}/_aws/execute-api/{api_id}/orders"],
                                  capture_output=True, text=True, timeout=args.duration + 60, preexec_fn=_die_with_parent)
        http_api, _ = parse_result(api_proc.stdout)
        rss = read_status_kb(server.pid, "VmRSS")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data, ignore_errors=True)
    if http is None or http_api is None:
        print(f"lambda bench: wrk failed\n{proc.stdout}{proc.stderr}{api_proc.stdout}{api_proc.stderr}", file=sys.stderr)
        return 1

    print("\nLambda")
    print(f"  in-process Invoke, Swift echo handler: overhead p50 {in_process['p50_us']:.0f} µs, "
          f"p99 {in_process['p99_us']:.0f} µs; {in_process['invokes_per_sec']:,.0f} invocations/s (16 in flight)")
    print(f"  Invoke over HTTP (wrk -t2 -c64): {http['requests_per_sec']:,.0f} req/s, p50 {http['p50_ms']:.2f} ms, "
          f"p99 {http['p99_ms']:.2f} ms, errors {http['errors']}; server RSS {rss / 1024 if rss else 0:.1f} MB")
    target = "meets" if http_api["requests_per_sec"] >= 10_000 else "MISSES"
    print(f"  HTTP API -> Lambda (wrk -t2 -c64): {http_api['requests_per_sec']:,.0f} req/s, p50 {http_api['p50_ms']:.2f} ms, "
          f"p99 {http_api['p99_ms']:.2f} ms, errors {http_api['errors']} ({target} the 10,000 req/s target)")
    return 0 if http["errors"] == 0 and http_api["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
