#!/usr/bin/env python3
"""Offcloud DynamoDB benchmark (part of `make bench`).

Usage: OFFCLOUD_BIN=PATH python3 bench/ddb.py [--items N] [--duration S] [--load-threads N]

Figures, against the targets of the DynamoDB issue (2 CPUs, clients on the same machine):
- load rate: N items (default 1,000,000; env BENCH_DDB_ITEMS) written with
  BatchWriteItem (25 items a request) from several Python threads, each with one
  keep-alive connection; bounded by --load-max seconds;
- server RSS as the table grows: after N/10, N/2 and N items (target: flat);
- Query, one 100-item page (Limit=100, a random ExclusiveStartKey) of a partition
  holding N/10 items, on the N-item table, from one keep-alive client: p50/p99,
  target p99 < 5 ms;
- GetItem over wrk (-t2 -c64), a random key of the N/10 pre-loaded GetItem items per
  request: req/s, p50/p99, target >= 30,000 req/s;
- PutItem over wrk (-t2 -c64), a new item with a random key per request: req/s,
  p50/p99, target >= 15,000 req/s.

Table "bench" (pk S HASH, sk N RANGE). Items: pk, sk, "d" (100-byte string), "n".
Layout: GetItem items g0..g(N/10-1) with sk 0, then nine partitions q0..q8 holding
the rest (sk 0, 1, 2, ...). Non-2xx answers count as errors. The data directory is
durable SQLite in the system temp dir (--data-parent to move it). Python 3.11 standard
library and wrk; starts and always stops its own server (bench/run.py's Server:
SIGTERM, then SIGKILL). Exit status 0 when every phase ran (missed targets are
reported, not fatal), 1 when a phase or the server failed, 2 on a setup problem.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (HOST, REPO, BenchError, Interrupted, Server, _die_with_parent,  # noqa: E402
                 env_default, fs_type, parse_duration, parse_result)

WRK_DIR = Path(__file__).resolve().parent / "wrk"
AUTH = ("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=host, Signature=00")
TABLE = "bench"
CREATE_TABLE = {
    "TableName": TABLE,
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                             {"AttributeName": "sk", "AttributeType": "N"}],
    "BillingMode": "PAY_PER_REQUEST",
}

# Targets from the issue.
TARGET_GET_RPS = 30_000
TARGET_PUT_RPS = 15_000
TARGET_QUERY_P99_MS = 5.0
# "Memory flat as the table grows": RSS at N items at most this much above RSS at N/10.
FLAT_MB = 20.0

BATCH = 25              # BatchWriteItem's limit
QUERY_PARTITIONS = 9    # q0..q8 hold everything but the GetItem items
PAGE = 100              # Query Limit
MIN_ITEMS = 10 * 2 * PAGE


def log(msg: str) -> None:
    print(f"[ddb] {msg}", file=sys.stderr, flush=True)


class Client:
    """One keep-alive connection speaking awsJson1_0 to DynamoDB; reconnects on socket errors."""

    def __init__(self, port: int, timeout: float = 30.0):
        self.port, self.timeout = port, timeout
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)

    def raw(self, operation: str, body: bytes | str) -> tuple[int, bytes]:
        if isinstance(body, str):
            body = body.encode()
        headers = {"Content-Type": "application/x-amz-json-1.0",
                   "X-Amz-Target": f"DynamoDB_20120810.{operation}", "Authorization": AUTH}
        for attempt in range(2):
            try:
                self.conn.request("POST", "/", body=body, headers=headers)
                resp = self.conn.getresponse()
                return resp.status, resp.read()
            except (OSError, http.client.HTTPException) as e:
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
                if attempt == 1:
                    raise BenchError(f"{operation}: {e}") from e
        raise AssertionError("unreachable")

    def call(self, operation: str, body: dict) -> dict:
        status, raw = self.raw(operation, json.dumps(body))
        if status != 200:
            raise BenchError(f"{operation} answered {status}: {raw[:300].decode('utf-8', 'replace')}")
        return json.loads(raw or b"{}")

    def close(self) -> None:
        self.conn.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def mb(kb: int | None) -> float | None:
    return None if kb is None else kb / 1024


# ---------------------------------------------------------------- layout and loading

class Layout:
    """Where the N items go: GetItem items g<i> (sk 0), then partitions q0..q8 (sk 0, 1, ...)."""

    def __init__(self, items: int):
        self.items = items
        self.get_keys = items // 10
        rest = items - self.get_keys
        base = rest // QUERY_PARTITIONS
        self.partitions = [base + (1 if i < rest % QUERY_PARTITIONS else 0) for i in range(QUERY_PARTITIONS)]

    def phases(self) -> list[tuple[str, list[tuple[str, int, int]]]]:
        """Three loading phases ending at N/10, ~N/2 and N items; each a list of
        (pk, first sk, count) runs of one partition."""
        g = [(f"g{i}", 0, 1) for i in range(self.get_keys)]
        q = [(f"q{p}", 0, n) for p, n in enumerate(self.partitions)]
        return [("GetItem set", g), ("partitions q0-q3", q[:4]), ("partitions q4-q8", q[4:])]


def batches(runs: list[tuple[str, int, int]]) -> list[list[tuple[str, int]]]:
    """Cut runs of keys into BatchWriteItem-sized lists of (pk, sk)."""
    out, cur = [], []
    for pk, first, count in runs:
        for sk in range(first, first + count):
            cur.append((pk, sk))
            if len(cur) == BATCH:
                out.append(cur)
                cur = []
    if cur:
        out.append(cur)
    return out


def item_json(pk: str, sk: int, data: str) -> str:
    return f'{{"pk":{{"S":"{pk}"}},"sk":{{"N":"{sk}"}},"d":{{"S":"{data}"}},"n":{{"N":"{sk}"}}}}'


def write_body(op: str, batch: list[tuple[str, int]], data: str) -> str:
    if op == "BatchWriteItem":
        return ('{"RequestItems":{"' + TABLE + '":['
                + ",".join('{"PutRequest":{"Item":' + item_json(pk, sk, data) + "}}" for pk, sk in batch)
                + "]}}")
    return ('{"TransactItems":['
            + ",".join('{"Put":{"TableName":"' + TABLE + '","Item":' + item_json(pk, sk, data) + "}}"
                       for pk, sk in batch)
            + "]}")


def payload(n: int) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return ("d-" + alphabet * (n // len(alphabet) + 1))[:n]


class Loader:
    """Writes batches from several threads, one keep-alive connection each, until done
    or the deadline. Counts written items, errors and the first error text."""

    def __init__(self, port: int, op: str, threads: int, data: str, deadline: float):
        self.port, self.op, self.threads, self.data, self.deadline = port, op, threads, data, deadline
        self.written = 0
        self.errors = 0
        self.first_error = ""
        self.timed_out = False
        self.lock = threading.Lock()

    def _fail(self, text: str) -> None:
        with self.lock:
            self.errors += 1
            if not self.first_error:
                self.first_error = text

    def run(self, work: list[list[tuple[str, int]]]) -> None:
        nxt = iter(range(len(work)))
        stop = threading.Event()

        def worker() -> None:
            client = Client(self.port)
            try:
                while not stop.is_set():
                    with self.lock:
                        i = next(nxt, None)
                    if i is None:
                        return
                    if time.monotonic() > self.deadline:
                        self.timed_out = True
                        stop.set()
                        return
                    batch = work[i]
                    try:
                        status, raw = client.raw(self.op, write_body(self.op, batch, self.data))
                    except BenchError as e:
                        self._fail(str(e))
                        if self.errors > 100:
                            stop.set()
                        continue
                    if status != 200:
                        self._fail(f"{self.op} answered {status}: {raw[:300].decode('utf-8', 'replace')}")
                        if self.errors > 100:
                            stop.set()
                        continue
                    done = len(batch)
                    if self.op == "BatchWriteItem" and b'"UnprocessedItems":{}' not in raw:
                        done -= self._retry_unprocessed(client, raw)
                    with self.lock:
                        self.written += done
            finally:
                client.close()

        workers = [threading.Thread(target=worker, daemon=True) for _ in range(self.threads)]
        for t in workers:
            t.start()
        for t in workers:
            # Bounded: every request has a 30 s socket timeout and workers stop at the deadline.
            t.join(timeout=max(1.0, self.deadline - time.monotonic()) + 120)
        if any(t.is_alive() for t in workers):
            stop.set()
            raise BenchError("loader threads did not finish")

    def _retry_unprocessed(self, client: Client, raw: bytes) -> int:
        """Resends UnprocessedItems (at most 5 rounds); returns how many stayed unwritten."""
        try:
            pending = json.loads(raw).get("UnprocessedItems") or {}
        except (json.JSONDecodeError, AttributeError):
            return 0
        for _ in range(5):
            left = sum(len(v) for v in pending.values())
            if not left:
                return 0
            status, raw = client.raw(self.op, json.dumps({"RequestItems": pending}))
            if status != 200:
                break
            pending = json.loads(raw).get("UnprocessedItems") or {}
        left = sum(len(v) for v in pending.values())
        if left:
            self._fail(f"{left} items still unprocessed after 5 retries")
        return left


def pick_write_op(client: Client, probe: list[tuple[str, int]], data: str, notes: list[str]) -> str:
    """BatchWriteItem, or TransactWriteItems (same 25 puts, one transaction) when the
    server refuses BatchWriteItem, so the other figures can still be taken. The probe
    batch is the load's first one (written again by the load)."""
    status, raw = client.raw("BatchWriteItem", write_body("BatchWriteItem", probe, data))
    if status == 200:
        return "BatchWriteItem"
    text = raw[:200].decode("utf-8", "replace")
    status2, raw2 = client.raw("TransactWriteItems", write_body("TransactWriteItems", probe, data))
    if status2 != 200:
        raise BenchError(f"BatchWriteItem answered {status}: {text}; TransactWriteItems answered "
                         f"{status2}: {raw2[:200].decode('utf-8', 'replace')}")
    notes.append(f"BatchWriteItem answered {status} ({text}); loaded with TransactWriteItems "
                 f"of {BATCH} puts instead, so the load rate is not BatchWriteItem's")
    log(f"BatchWriteItem failed ({status}); loading with TransactWriteItems")
    return "TransactWriteItems"


# ---------------------------------------------------------------- wrk

def run_wrk(wrk: str, script: str, server: Server, script_args: list[str], *, threads: int,
            connections: int, duration: int, timeout: str, verbose: bool) -> dict:
    cmd = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--timeout", timeout,
           "-s", str(WRK_DIR / f"{script}.lua"), server.base_url + "/", "--", *script_args]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60,
                              preexec_fn=_die_with_parent)
    except subprocess.TimeoutExpired as e:
        raise BenchError(f"wrk {script} did not finish within {duration + 60} s") from e
    if verbose:
        sys.stderr.write(proc.stdout + proc.stderr)
    result, samples = parse_result(proc.stdout)
    if proc.returncode != 0 or result is None:
        raise BenchError(f"wrk {script} exited {proc.returncode} without a RESULT line\n"
                         f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    if samples:
        result["error_samples"] = samples
    return result


# ---------------------------------------------------------------- query

def query_latency(client: Client, layout: Layout, loaded: list[bool], runs: int, rng: random.Random) -> dict:
    """Sequential 100-item pages, random partition and start key; times request → body read."""
    parts = [p for p, ok in enumerate(loaded) if ok and layout.partitions[p] > PAGE]
    if not parts:
        raise BenchError("no query partition was fully loaded")
    latencies: list[float] = []
    errors, short, first_error = 0, 0, ""
    warm = min(50, runs)
    for i in range(warm + runs):
        p = rng.choice(parts)
        start = rng.randrange(0, layout.partitions[p] - PAGE)  # ExclusiveStartKey: the page starts at start+1
        body = ('{"TableName":"' + TABLE + '","KeyConditionExpression":"pk = :p",'
                '"ExpressionAttributeValues":{":p":{"S":"q' + str(p) + '"}},"Limit":' + str(PAGE)
                + ',"ExclusiveStartKey":{"pk":{"S":"q' + str(p) + '"},"sk":{"N":"' + str(start) + '"}}}')
        t0 = time.perf_counter()
        status, raw = client.raw("Query", body)
        ms = (time.perf_counter() - t0) * 1000
        if status != 200:
            errors += 1
            first_error = first_error or f"{status} {raw[:200].decode('utf-8', 'replace')}"
            continue
        if i < warm:
            continue
        latencies.append(ms)
        data = json.loads(raw)
        if data.get("Count") != PAGE or data["Items"][0]["sk"]["N"] != str(start + 1):
            short += 1
    if not latencies:
        raise BenchError(f"every Query failed: {first_error}")
    return {"runs": len(latencies), "p50_ms": statistics.median(latencies), "p99_ms": percentile(latencies, 99),
            "max_ms": max(latencies), "errors": errors, "short_pages": short, "first_error": first_error,
            "partition_items": layout.partitions[parts[0]]}


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=env_default("OFFCLOUD_BIN", str(REPO / ".build/release/offcloud")),
                    help="server binary (env OFFCLOUD_BIN, default .build/release/offcloud)")
    ap.add_argument("--items", type=int, default=int(env_default("BENCH_DDB_ITEMS", "1000000")),
                    help="items in the table at the end of the load (env BENCH_DDB_ITEMS, default 1,000,000)")
    ap.add_argument("--duration", type=parse_duration,
                    default=parse_duration(env_default("BENCH_DURATION", "10")),
                    help="seconds per wrk scenario (env BENCH_DURATION, default 10)")
    ap.add_argument("--warmup", type=int, default=int(env_default("BENCH_WARMUP", "2")),
                    help="seconds of GetItem before measuring, not reported (default 2; 0 skips)")
    ap.add_argument("--connections", type=int, default=int(env_default("BENCH_CONNECTIONS", "64")),
                    help="wrk connections (env BENCH_CONNECTIONS, default 64)")
    ap.add_argument("--threads", type=int, default=int(env_default("BENCH_THREADS", "2")),
                    help="wrk threads (env BENCH_THREADS, default 2)")
    ap.add_argument("--timeout", default=env_default("BENCH_TIMEOUT", "5s"),
                    help="wrk per-request timeout; slower answers count as errors (default 5s)")
    ap.add_argument("--load-threads", type=int, default=int(env_default("BENCH_DDB_LOAD_THREADS", "4")),
                    help="Python loader threads, one keep-alive connection each (default 4)")
    ap.add_argument("--load-max", type=float, default=float(env_default("BENCH_DDB_LOAD_MAX", "150")),
                    help="seconds at most spent loading; the rest of the run uses what got loaded (default 150)")
    ap.add_argument("--query-runs", type=int, default=int(env_default("BENCH_DDB_QUERY_RUNS", "2000")),
                    help="Query pages timed (default 2000)")
    ap.add_argument("--data-parent", default=os.environ.get("BENCH_DATA_PARENT") or None,
                    help="where the temporary data dir goes (default: the system temp dir)")
    ap.add_argument("--keep-data", action="store_true", help="keep the data dir and server log")
    ap.add_argument("--verbose", "-v", action="store_true", help="show wrk's own output")
    args = ap.parse_args(argv)
    if args.items < MIN_ITEMS:
        ap.error(f"--items must be at least {MIN_ITEMS:,} (each query partition needs more than {PAGE} items)")
    if args.threads < 1 or args.connections < args.threads or args.load_threads < 1 or args.query_runs < 1:
        ap.error("need --threads >= 1, --connections >= --threads, --load-threads >= 1, --query-runs >= 1")

    wrk = shutil.which("wrk")
    if not wrk:
        log("wrk not found on PATH; install it with: apt-get install -y wrk")
        return 2
    binary = Path(args.bin)
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        log(f"server binary not found or not executable: {binary} (set OFFCLOUD_BIN)")
        return 2

    def on_signal(signum, _frame):
        raise Interrupted(signal.Signals(signum).name)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)

    layout = Layout(args.items)
    data = payload(int(env_default("BENCH_BODY_BYTES", "100")))
    fs = fs_type(args.data_parent or tempfile.gettempdir())
    notes: list[str] = []
    if fs in ("tmpfs", "ramfs"):
        notes.append(f"data dir is on {fs}: fsync is free, so write figures are not durable ones (use --data-parent)")
    rows: list[tuple[str, str, str]] = []
    wrk_opts = dict(threads=args.threads, connections=args.connections, timeout=args.timeout, verbose=args.verbose)
    failed = False
    server = Server(binary, args.data_parent, args.keep_data)
    started = time.monotonic()
    try:
        server.start()
        client = Client(server.port)
        client.call("CreateTable", CREATE_TABLE)
        idle_kb = server.rss_kb()
        op = pick_write_op(client, batches(layout.phases()[0][1][:BATCH])[0], data, notes)

        # Load in three phases, reading RSS after each.
        load_t0 = time.monotonic()
        loader = Loader(server.port, op, args.load_threads, data, load_t0 + args.load_max)
        checkpoints: list[tuple[int, int | None]] = []
        loaded_parts = [False] * QUERY_PARTITIONS
        part_index = 0
        for name, runs in layout.phases():
            want = loader.written + sum(n for _, _, n in runs)
            before_errors = loader.errors
            log(f"loading {name}: to {want:,} items with {op}, {args.load_threads} threads")
            loader.run(batches(runs))
            if not server.alive():
                raise BenchError(f"server died while loading (exit code {server.proc.returncode})\n{server.log_tail()}")
            complete = loader.written == want and loader.errors == before_errors
            for pk, _, _ in runs:
                if pk.startswith("q"):
                    loaded_parts[part_index] = complete
                    part_index += 1
            time.sleep(0.5)
            checkpoints.append((loader.written, server.rss_kb()))
            log(f"  {loader.written:,} items after {time.monotonic() - load_t0:.1f} s; RSS {mb(checkpoints[-1][1]):.1f} MB")
            if loader.timed_out or loader.errors > 100:
                break
        load_s = time.monotonic() - load_t0
        rate = loader.written / load_s if load_s > 0 else 0
        if loader.timed_out:
            notes.append(f"load stopped at the {args.load_max:g} s bound with {loader.written:,} of "
                         f"{args.items:,} items (raise --load-max or lower --items)")
        if loader.errors:
            failed = True
            notes.append(f"load: {loader.errors} failed requests; first: {loader.first_error}")
        rows.append((f"load: {op} x{BATCH}, {args.load_threads} threads, items/s",
                     f"{rate:,.0f}", f"{loader.written:,} items in {load_s:.1f} s"))

        # Memory as the table grew.
        rows.append(("server RSS, empty table, MB", f"{mb(idle_kb):.1f}", ""))
        for count, kb in checkpoints:
            rows.append((f"server RSS at {count:,} items, MB", f"{mb(kb):.1f}", ""))
        if len(checkpoints) >= 2 and checkpoints[0][1] and checkpoints[-1][1]:
            growth = mb(checkpoints[-1][1] - checkpoints[0][1])
            rows[-1] = (rows[-1][0], rows[-1][1],
                        f"flat: {growth:+.1f} MB since {checkpoints[0][0]:,} items (<= {FLAT_MB:g})  "
                        f"{'ok' if growth <= FLAT_MB else 'MISS'}")

        # Query pages on the full table.
        log(f"query: {args.query_runs} pages of {PAGE}, one client")
        try:
            q = query_latency(client, layout, loaded_parts, args.query_runs, random.Random(7))
            rows.append((f"Query {PAGE}-item page, partition of {q['partition_items']:,}, p50 / p99 ms",
                         f"{q['p50_ms']:.2f} / {q['p99_ms']:.2f}",
                         f"p99 < {TARGET_QUERY_P99_MS:g} ms  {'ok' if q['p99_ms'] < TARGET_QUERY_P99_MS and not q['errors'] else 'MISS'}"
                         f"   ({q['runs']} pages, max {q['max_ms']:.2f} ms, {q['errors']} errors)"))
            if q["errors"]:
                failed = True
                notes.append(f"Query: {q['errors']} errors; first: {q['first_error']}")
            if q["short_pages"]:
                notes.append(f"Query: {q['short_pages']} pages were not {PAGE} items from the start key")
        except BenchError as e:
            failed = True
            rows.append(("Query 100-item page p50 / p99 ms", "FAILED", str(e).splitlines()[0]))
        client.close()

        # wrk: GetItem, then PutItem.
        get_args = [f"table={TABLE}", f"keys={layout.get_keys}", "prefix=g"]
        if args.warmup > 0:
            log(f"warm-up: GetItem for {args.warmup} s (not reported)")
            run_wrk(wrk, "ddb_get_item", server, get_args, duration=args.warmup, **wrk_opts)
        tag = f"-t{args.threads} -c{args.connections} -d{args.duration}s"
        for script, label, target, script_args in (
                ("ddb_get_item", f"GetItem, random key of {layout.get_keys:,}", TARGET_GET_RPS, get_args),
                ("ddb_put_item", "PutItem, new random key", TARGET_PUT_RPS, [f"table={TABLE}", "prefix=w"])):
            if not server.alive():
                raise BenchError(f"server died (exit code {server.proc.returncode})\n{server.log_tail()}")
            log(f"{script}: {args.duration} s at {args.connections} connections")
            try:
                r = run_wrk(wrk, script, server, script_args, duration=args.duration, **wrk_opts)
            except BenchError as e:
                failed = True
                rows.append((f"{label}, req/s", "FAILED", str(e).splitlines()[0]))
                continue
            rps, errors = r.get("requests_per_sec", 0), r.get("errors", 0)
            met = rps >= target and errors == 0
            rows.append((f"{label}, wrk {tag}, req/s", f"{rps:,.0f}",
                         f">= {target:,}  {'ok' if met else 'MISS'}   ({errors} errors)"))
            rows.append((f"{label}, p50 / p99 ms", f"{r.get('p50_ms', 0):.2f} / {r.get('p99_ms', 0):.2f}", "-"))
            if r.get("misses"):
                notes.append(f"GetItem: {r['misses']:,} answers without an Item (keys not loaded)")
            for s in r.get("error_samples", [])[:1]:
                notes.append(f"{script} first error: {s}")
            if r.get("ok", 0) == 0:
                failed = True
        try:
            count = Client(server.port).call("DescribeTable", {"TableName": TABLE})["Table"].get("ItemCount")
        except (BenchError, KeyError, json.JSONDecodeError):
            count = None
        rows.append(("server RSS after GetItem and PutItem / peak, MB",
                     f"{mb(server.rss_kb()):.1f} / {mb(server.hwm_kb()):.1f}",
                     f"table ItemCount {count:,}" if isinstance(count, int) else "-"))
    except BenchError as e:
        failed = True
        log(f"error: {e}")
        notes.append(f"run stopped early: {str(e).splitlines()[0]}")
    except (KeyboardInterrupt, Interrupted) as e:
        log(f"interrupted ({str(e) or 'SIGINT'}); stopping the server")
        server.stop()
        return 130
    finally:
        server.stop()

    print(f"\nOffcloud DynamoDB benchmark ({os.cpu_count()} CPUs, clients on the same machine; "
          f"durable SQLite on {fs}; {time.monotonic() - started:.0f} s)")
    print(f"binary: {binary.resolve()}\n")
    if rows:
        width = max(len(r[0]) for r in rows)
        for name, value, target in rows:
            print(f"{name:<{width}}  {value:>14}  {target}")
    for note in notes:
        print(f"note: {note}")
    print()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
