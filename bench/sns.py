#!/usr/bin/env python3
"""Offcloud SNS benchmark (part of `make bench`).

Usage: OFFCLOUD_BIN=PATH python3 bench/sns.py [--duration S]

Figures, against the SNS issue (target: >= 10,000 publishes/s to one SQS subscriber):
- Publish/s over the query protocol with wrk (-t2 -c64) on a durable data directory,
  to a topic with 1 SQS subscriber and to one with 10 (AWS envelope, not raw), and
  how long the deliverer then took to put every message in the queues;
- publish-to-receive latency p50/p99: one Publish at a time, the subscribed queue
  long-polled until the message arrives;
- server RSS after the runs.

Python 3.11 standard library and wrk; starts and always stops its own server.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import _die_with_parent, parse_result, read_status_kb  # noqa: E402

WRK_DIR = Path(__file__).resolve().parent / "wrk"
TARGET_PUBLISH_RPS = 10_000


def auth(service: str) -> dict[str, str]:
    return {"Authorization": f"AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, "
                             "SignedHeaders=host, Signature=00", "X-Amz-Date": "20260101T000000Z"}


class Client:
    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def sns(self, action: str, **params) -> str:
        body = urllib.parse.urlencode({"Action": action, "Version": "2010-03-31", **params})
        self.conn.request("POST", "/", body, {"Content-Type": "application/x-www-form-urlencoded", **auth("sns")})
        response = self.conn.getresponse()
        text = response.read().decode()
        if response.status != 200:
            raise RuntimeError(f"{action}: {response.status} {text}")
        return text

    def sqs(self, operation: str, **body) -> dict:
        self.conn.request("POST", "/", json.dumps(body), {"Content-Type": "application/x-amz-json-1.0",
                                                          "X-Amz-Target": f"AmazonSQS.{operation}", **auth("sqs")})
        response = self.conn.getresponse()
        data = json.loads(response.read() or b"{}")
        if response.status != 200:
            raise RuntimeError(f"{operation}: {response.status} {data}")
        return data


def between(text: str, tag: str) -> str:
    return text.split(f"<{tag}>", 1)[1].split(f"</{tag}>", 1)[0]


def topic_with_queues(c: Client, name: str, queues: int) -> tuple[str, list[str]]:
    topic = between(c.sns("CreateTopic", Name=name), "TopicArn")
    urls = []
    for i in range(queues):
        url = c.sqs("CreateQueue", QueueName=f"{name}-{i}")["QueueUrl"]
        arn = c.sqs("GetQueueAttributes", QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        c.sns("Subscribe", TopicArn=topic, Protocol="sqs", Endpoint=arn)
        urls.append(url)
    return topic, urls


def queued(c: Client, url: str) -> int:
    attrs = c.sqs("GetQueueAttributes", QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"])


def wait_delivered(c: Client, urls: list[str], expected: int, timeout: float = 300) -> float:
    """Seconds until every queue holds `expected` messages (from when wrk stopped)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if all(queued(c, u) >= expected for u in urls):
            return time.monotonic() - start
        time.sleep(0.05)
    raise RuntimeError(f"not delivered within {timeout}s: {[queued(c, u) for u in urls]} of {expected}")


def wrk_publish(wrk: str, port: int, topic: str, duration: int) -> dict:
    proc = subprocess.run([wrk, "-t", "2", "-c", "64", "-d", f"{duration}s", "--timeout", "5s",
                           "-s", str(WRK_DIR / "sns_publish.lua"), f"http://127.0.0.1:{port}/", "--", topic],
                          capture_output=True, text=True, timeout=duration + 60, preexec_fn=_die_with_parent)
    result, _ = parse_result(proc.stdout)
    if result is None:
        raise RuntimeError(f"wrk failed\n{proc.stdout}{proc.stderr}")
    return result


def latency(c: Client, topic: str, url: str, samples: int) -> tuple[float, float]:
    times = []
    for i in range(samples):
        start = time.perf_counter()
        c.sns("Publish", TopicArn=topic, Message=f"latency-{i}")
        got = c.sqs("ReceiveMessage", QueueUrl=url, WaitTimeSeconds=5, MaxNumberOfMessages=1).get("Messages", [])
        if not got:
            raise RuntimeError("a message did not arrive within 5 s")
        times.append((time.perf_counter() - start) * 1000)
        c.sqs("DeleteMessage", QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--samples", type=int, default=500)
    args = parser.parse_args()
    binary = os.environ.get("OFFCLOUD_BIN")
    wrk = shutil.which("wrk")
    if not binary or not wrk:
        print("sns bench: OFFCLOUD_BIN and wrk are required", file=sys.stderr)
        return 2
    data = tempfile.mkdtemp(prefix="offcloud-bench-sns-")
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", data, "--no-template",
                               "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              cwd=data, preexec_fn=_die_with_parent)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/_offcloud/health")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("sns bench: the server did not start", file=sys.stderr)
                return 1
            time.sleep(0.1)
        c = Client(port)
        one_topic, one_queues = topic_with_queues(c, "bench-one", 1)
        ten_topic, ten_queues = topic_with_queues(c, "bench-ten", 10)
        lat_topic, lat_queues = topic_with_queues(c, "bench-latency", 1)

        one = wrk_publish(wrk, port, one_topic, args.duration)
        one_drain = wait_delivered(c, one_queues, one["ok"])
        ten = wrk_publish(wrk, port, ten_topic, args.duration)
        ten_drain = wait_delivered(c, ten_queues, ten["ok"])
        p50, p99 = latency(c, lat_topic, lat_queues[0], args.samples)
        rss = read_status_kb(server.pid, "VmRSS")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data, ignore_errors=True)

    def line(label: str, r: dict, drain: float, queues: int) -> str:
        delivered = r["ok"] * queues
        return (f"  Publish, {label} (wrk -t2 -c64, durable): {r['requests_per_sec']:,.0f} publishes/s, "
                f"p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, errors {r['errors']}; "
                f"{delivered:,} deliveries all in the queues {drain:.1f} s after the load stopped "
                f"({delivered / (r['duration_s'] + drain):,.0f} deliveries/s overall)")

    print("\nSNS")
    target = "meets" if one["requests_per_sec"] >= TARGET_PUBLISH_RPS else "MISSES"
    print(line("1 SQS subscriber", one, one_drain, 1) + f" ({target} the {TARGET_PUBLISH_RPS:,}/s target)")
    print(line("10 SQS subscribers", ten, ten_drain, 10))
    print(f"  publish-to-receive (one at a time, long poll): p50 {p50:.2f} ms, p99 {p99:.2f} ms ({args.samples} samples)")
    print(f"  server RSS after the runs: {rss / 1024 if rss else 0:.1f} MB")
    return 0 if one["errors"] == 0 and ten["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
