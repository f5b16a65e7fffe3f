#!/usr/bin/env python3
"""Offcloud SQS benchmark: start-up time, memory, and wrk load scenarios.

Usage (from anywhere; `make bench` runs it):
    python3 bench/run.py [--duration S] [--connections N] [--threads N]
                         [--bin PATH] [--scenarios a,b,c] [--json PATH]

It starts the release binary itself (several times, to time start-up), creates
one queue, runs each wrk scenario in bench/wrk/ against it, prints a table with
the targets beside the figures, and writes the same figures as JSON to
.offcloud/bench-latest.json (plus one line appended to .offcloud/bench-history.jsonl).
The server it started is always stopped: SIGTERM, a bounded wait, then SIGKILL.

Python 3.11, standard library only. Needs `wrk` on PATH (the Makefile installs it).
Exit status: 0 when every scenario ran (missed targets are reported, not fatal,
unless --strict), 1 when a scenario or the server failed, 2 on a setup problem.
"""
from __future__ import annotations

import argparse
import datetime as _dt
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
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
WRK_DIR = BENCH_DIR / "wrk"
HOST = "127.0.0.1"
ACCOUNT = "000000000000"
QUEUE_NAME = "bench"
AUTH = ("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, "
        "SignedHeaders=host, Signature=00")

SCENARIOS = ["send_message", "send_message_batch", "receive_delete"]

# Targets from the issue: durable SendMessage at 64 connections, idle memory, start-up.
TARGET_SEND_RPS = 20_000
TARGET_SEND_P99_MS = 5.0
TARGET_RSS_IDLE_MB = 30.0
TARGET_STARTUP_MS = 1_000.0  # "well under 1 s"

READY_TIMEOUT_S = 30.0       # spawn → health 200, per start
STOP_TIMEOUT_S = 10.0        # SIGTERM → exit, before SIGKILL
SETTLE_S = 1.0               # idle time before reading idle RSS


class BenchError(Exception):
    """A failure that stops the run (the server is still stopped)."""


class Interrupted(BaseException):
    pass


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def env_default(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value if value else default


def parse_duration(text: str) -> int:
    """'10', '10s', '1m' → seconds (wrk's own units, whole seconds)."""
    t = text.strip().lower()
    mult = 1
    if t.endswith("m"):
        mult, t = 60, t[:-1]
    elif t.endswith("s"):
        t = t[:-1]
    secs = int(float(t) * mult)
    if secs < 1:
        raise argparse.ArgumentTypeError(f"duration must be at least 1 s: {text!r}")
    return secs


# ---------------------------------------------------------------- server control

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the harness dies (Linux), so no server is left behind."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def read_status_kb(pid: int, field: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


class Server:
    def __init__(self, binary: Path, data_parent: str | None, keep_data: bool):
        self.binary = binary
        self.keep_data = keep_data
        self.data_dir = tempfile.mkdtemp(prefix="offcloud-bench-", dir=data_parent)
        self.port = free_port()
        self.log_path = Path(self.data_dir) / "server.log"
        self.proc: subprocess.Popen | None = None
        self.startup_ms: float | None = None
        self.exit_code: int | None = None
        self.stop_ms: float | None = None
        self.killed = False

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> float:
        """Spawn and wait for the first 200 from /_offcloud/health; returns ms."""
        # A bare server: the repository's template.yaml (deployed by `make run`) stays out of the figures.
        cmd = [str(self.binary), "serve", "--host", HOST, "--port", str(self.port),
               "--data-dir", self.data_dir, "--log-level", "warning", "--no-template"]
        logf = open(self.log_path, "wb")
        t0 = time.perf_counter()
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf,
                                         stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        finally:
            logf.close()
        deadline = t0 + READY_TIMEOUT_S
        while True:
            if self.proc.poll() is not None:
                raise BenchError(f"server exited with code {self.proc.returncode} before it was ready"
                                 f"\n{self.log_tail()}")
            if health_ok(self.port):
                self.startup_ms = (time.perf_counter() - t0) * 1000
                return self.startup_ms
            if time.perf_counter() > deadline:
                raise BenchError(f"server not ready after {READY_TIMEOUT_S:.0f} s\n{self.log_tail()}")
            time.sleep(0.002)

    def rss_kb(self) -> int | None:
        return read_status_kb(self.proc.pid, "VmRSS") if self.proc else None

    def hwm_kb(self) -> int | None:
        return read_status_kb(self.proc.pid, "VmHWM") if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        """SIGTERM, bounded wait, SIGKILL; idempotent; removes the data dir."""
        p = self.proc
        if p is not None and p.poll() is None:
            t0 = time.perf_counter()
            try:
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.killed = True
                p.kill()
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    log(f"server pid {p.pid} did not die after SIGKILL")
            self.stop_ms = (time.perf_counter() - t0) * 1000
        if p is not None:
            self.exit_code = p.poll()
        if not self.keep_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        if not text:
            return "(server log empty)"
        return "server log (last lines):\n  " + "\n  ".join(text[-lines:])


def health_ok(port: int) -> bool:
    conn = http.client.HTTPConnection(HOST, port, timeout=1.0)
    try:
        conn.request("GET", "/_offcloud/health")
        resp = conn.getresponse()
        resp.read()
        return resp.status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def sqs_call(port: int, operation: str, body: dict, timeout: float = 10.0) -> tuple[int, dict | None, str]:
    payload = json.dumps(body).encode()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("POST", "/", body=payload, headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": f"AmazonSQS.{operation}",
            "Authorization": AUTH,
        })
        resp = conn.getresponse()
        raw = resp.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as e:
        raise BenchError(f"{operation} failed: {e}") from e
    finally:
        conn.close()
    try:
        data = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError:
        data = None
    return resp.status, data, raw


def create_queue(server: Server) -> str:
    status, data, raw = sqs_call(server.port, "CreateQueue", {"QueueName": QUEUE_NAME})
    if status != 200 or not isinstance(data, dict) or "QueueUrl" not in data:
        raise BenchError(f"CreateQueue answered {status}: {raw[:300]}")
    url = data["QueueUrl"]
    # One message end to end, so a broken operation fails here with its error text
    # rather than as a wall of non-2xx counts.
    status, data, raw = sqs_call(server.port, "SendMessage", {"QueueUrl": url, "MessageBody": "bench-probe"})
    if status != 200 or not isinstance(data, dict) or "MessageId" not in data:
        raise BenchError(f"SendMessage probe answered {status}: {raw[:300]}")
    return url


def queue_depth(server: Server, url: str) -> int | None:
    """ApproximateNumberOfMessages, or None when GetQueueAttributes is unavailable."""
    try:
        status, data, _ = sqs_call(server.port, "GetQueueAttributes", {
            "QueueUrl": url, "AttributeNames": ["ApproximateNumberOfMessages"]})
    except BenchError:
        return None
    if status != 200 or not isinstance(data, dict):
        return None
    try:
        return int(data["Attributes"]["ApproximateNumberOfMessages"])
    except (KeyError, TypeError, ValueError):
        return None


# ---------------------------------------------------------------- wrk

def parse_result(stdout: str) -> tuple[dict | None, list[str]]:
    result, samples = None, []
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            result = {}
            for item in line.split()[1:]:
                key, _, value = item.partition("=")
                try:
                    result[key] = int(value)
                except ValueError:
                    try:
                        result[key] = float(value)
                    except ValueError:
                        result[key] = value
        elif line.startswith("RESULT_ERROR_SAMPLE "):
            samples.append(line[len("RESULT_ERROR_SAMPLE "):])
    return result, samples


def run_wrk(wrk: str, scenario: str, server: Server, queue_url: str, *, threads: int,
            connections: int, duration: int, timeout: str, verbose: bool) -> dict:
    script = WRK_DIR / f"{scenario}.lua"
    cmd = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
           "--timeout", timeout, "-s", str(script), server.base_url + "/", "--", queue_url]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60,
                              env={**os.environ, "OFFCLOUD_QUEUE_URL": queue_url},
                              preexec_fn=_die_with_parent)
    except subprocess.TimeoutExpired as e:
        raise BenchError(f"wrk {scenario} did not finish within {duration + 60} s") from e
    if verbose:
        sys.stderr.write(proc.stdout)
        sys.stderr.write(proc.stderr)
    result, samples = parse_result(proc.stdout)
    if proc.returncode != 0 or result is None:
        raise BenchError(f"wrk {scenario} exited {proc.returncode} without a RESULT line\n"
                         f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    if samples:
        result["error_samples"] = samples
    return result


# ---------------------------------------------------------------- report

def fmt_int(v) -> str:
    return "-" if v is None else f"{v:,.0f}"


def fmt_ms(v) -> str:
    return "-" if v is None else f"{v:.2f}"


def fmt_mb(kb) -> str:
    return "-" if kb is None else f"{kb / 1024:.1f}"


def verdict(ok: bool | None) -> str:
    return {True: "ok", False: "MISS", None: "-"}[ok]


def msgs_per_sec(name: str, r: dict) -> float | None:
    return r.get("msgs_per_sec")


def compare(prev: dict | None, name: str, rps: float | None) -> str:
    if not prev or rps is None:
        return ""
    try:
        old = prev["scenarios"][name]["requests_per_sec"]
    except (KeyError, TypeError):
        return ""
    if not old:
        return ""
    return f"{(rps - old) / old * 100:+.0f}%"


def print_report(rep: dict, prev: dict | None) -> None:
    cfg = rep["config"]
    print()
    print(f"Offcloud SQS benchmark — wrk -t{cfg['threads']} -c{cfg['connections']} -d{cfg['duration_s']}s, "
          f"{cfg['body_bytes']}-byte bodies, durable SQLite on {cfg['data_fs']} "
          f"({rep['machine']['cpus']} CPUs, wrk on the same machine)")
    print(f"binary: {rep['binary']}")
    print()
    head = f"{'scenario':<20} {'req/s':>9} {'msgs/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7}  {'vs last':>7}  target"
    print(head)
    print("-" * len(head))
    for name, r in rep["scenarios"].items():
        if "error" in r:
            print(f"{name:<20} FAILED: {r['error'].splitlines()[0]}")
            continue
        target = "-"
        t = rep["targets"].get(name)
        if t:
            target = f"≥ {TARGET_SEND_RPS:,} req/s, p99 < {TARGET_SEND_P99_MS:g} ms  {verdict(t['met'])}"
        print(f"{name:<20} {fmt_int(r.get('requests_per_sec')):>9} {fmt_int(msgs_per_sec(name, r)):>9} "
              f"{fmt_ms(r.get('p50_ms')):>7} {fmt_ms(r.get('p99_ms')):>7} {fmt_int(r.get('errors')):>7}  "
              f"{compare(prev, name, r.get('requests_per_sec')):>7}  {target}")
    rd = rep["scenarios"].get("receive_delete")
    if rd and "error" not in rd:
        print(f"  receive_delete: received {fmt_int(rd.get('received_per_sec'))}/s, "
              f"deleted {fmt_int(rd.get('deleted_per_sec'))}/s, "
              f"{fmt_int(rd.get('empty_receives'))} empty receives"
              + (f", queue depth before {fmt_int(rd.get('queue_depth_before'))}" if rd.get('queue_depth_before') is not None else ""))
    for name, r in rep["scenarios"].items():
        for s in r.get("error_samples", [])[:1]:
            print(f"  {name} first error: {s}")
    print()
    st, rss = rep["startup_ms"], rep["rss_mb"]
    t = rep["targets"]
    print(f"{'figure':<28} {'value':>10}  target")
    print("-" * 60)
    samples = ", ".join(f"{x:.0f}" for x in st["samples"])
    print(f"{'start-up ms (best of ' + str(len(st['samples'])) + ')':<28} {fmt_ms(st['best']):>10}  "
          f"well under {TARGET_STARTUP_MS:,.0f} ms  {verdict(t['startup']['met'])}   (all: {samples})")
    print(f"{'RSS idle MB':<28} {fmt_ms(rss['idle']):>10}  < {TARGET_RSS_IDLE_MB:g} MB  {verdict(t['rss_idle']['met'])}")
    print(f"{'RSS after load MB':<28} {fmt_ms(rss['after_load']):>10}  (peak {fmt_ms(rss['peak'])} MB)")
    if rep.get("server_stop"):
        s = rep["server_stop"]
        print(f"{'shutdown ms (SIGTERM→exit)':<28} {fmt_ms(s.get('ms')):>10}  exit code {s.get('exit_code')}"
              + ("  (needed SIGKILL)" if s.get("killed") else ""))
    for note in rep.get("notes", []):
        print(f"note: {note}")
    print()


def fs_type(path: str) -> str:
    """Filesystem type holding path, from /proc/mounts (longest matching mount point)."""
    best, kind = "", "unknown"
    try:
        real = os.path.realpath(path)
        with open("/proc/mounts") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3:
                    mnt = parts[1]
                    if (real == mnt or real.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
                        best, kind = mnt, parts[2]
    except OSError:
        pass
    return kind


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or None if out.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=parse_duration,
                    default=parse_duration(env_default("BENCH_DURATION", "10")),
                    help="seconds per scenario (env BENCH_DURATION, default 10)")
    ap.add_argument("--connections", type=int, default=int(env_default("BENCH_CONNECTIONS", "64")),
                    help="wrk connections (env BENCH_CONNECTIONS, default 64)")
    ap.add_argument("--threads", type=int, default=int(env_default("BENCH_THREADS", "2")),
                    help="wrk threads (env BENCH_THREADS, default 2)")
    ap.add_argument("--timeout", default=env_default("BENCH_TIMEOUT", "5s"),
                    help="wrk per-request timeout; slower answers count as errors (default 5s)")
    ap.add_argument("--warmup", type=int, default=int(env_default("BENCH_WARMUP", "2")),
                    help="seconds of SendMessage before measuring, not reported (default 2; 0 skips)")
    ap.add_argument("--bin", default=env_default("OFFCLOUD_BIN", str(REPO / ".build/release/offcloud")),
                    help="server binary (env OFFCLOUD_BIN, default .build/release/offcloud)")
    ap.add_argument("--scenarios", default=env_default("BENCH_SCENARIOS", ",".join(SCENARIOS)),
                    help=f"comma-separated subset of {','.join(SCENARIOS)}")
    ap.add_argument("--starts", type=int, default=3, help="server starts timed for start-up (default 3)")
    ap.add_argument("--prefill-rate", type=int, default=int(env_default("BENCH_PREFILL_RATE", "30000")),
                    help="receive_delete needs duration × this many messages queued; "
                         "SendMessageBatch tops the queue up (env BENCH_PREFILL_RATE, default 30000)")
    ap.add_argument("--prefill-max", type=int, default=int(env_default("BENCH_PREFILL_MAX", "60")),
                    help="seconds at most spent topping the queue up (default 60)")
    ap.add_argument("--data-parent", default=os.environ.get("BENCH_DATA_PARENT") or None,
                    help="where the temporary data dirs go (default: the system temp dir)")
    ap.add_argument("--json", default=str(REPO / ".offcloud/bench-latest.json"),
                    help="JSON output (default .offcloud/bench-latest.json; '' for none)")
    ap.add_argument("--keep-data", action="store_true", help="keep the data dirs and server logs")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--verbose", "-v", action="store_true", help="show wrk's own output")
    args = ap.parse_args(argv)

    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in scenarios if s not in SCENARIOS]
    if unknown:
        ap.error(f"unknown scenario(s): {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    if args.connections < args.threads or args.threads < 1:
        ap.error("need --threads ≥ 1 and --connections ≥ --threads")
    if args.starts < 1:
        ap.error("--starts must be ≥ 1")

    wrk = shutil.which("wrk")
    if not wrk:
        log("wrk not found on PATH; install it with: apt-get install -y wrk")
        return 2
    binary = Path(args.bin)
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        log(f"server binary not found or not executable: {binary}\n"
            f"        build it with `swift build -c release`, or point OFFCLOUD_BIN at one")
        return 2
    for s in scenarios:
        if not (WRK_DIR / f"{s}.lua").is_file():
            log(f"missing wrk script {WRK_DIR / (s + '.lua')}")
            return 2

    # SIGTERM/SIGHUP to the harness: unwind through the finally blocks that stop the server.
    def on_signal(signum, _frame):
        raise Interrupted(signal.Signals(signum).name)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)

    body_bytes = int(env_default("BENCH_BODY_BYTES", "100"))
    data_parent = args.data_parent or tempfile.gettempdir()
    rep: dict = {
        "timestamp": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "binary": str(binary.resolve()),
        "machine": {"cpus": os.cpu_count()},
        "config": {"threads": args.threads, "connections": args.connections,
                   "duration_s": args.duration, "body_bytes": body_bytes,
                   "wrk_timeout": args.timeout, "data_fs": fs_type(data_parent)},
        "startup_ms": {"best": None, "samples": []},
        "rss_mb": {"idle": None, "after_load": None, "peak": None},
        "scenarios": {},
        "targets": {},
        "notes": [],
    }
    if rep["config"]["data_fs"] in ("tmpfs", "ramfs"):
        rep["notes"].append(f"data dir is on {rep['config']['data_fs']}: fsync is free, "
                            "so write figures are not durable ones (use --data-parent)")

    failed = False
    server: Server | None = None
    try:
        # Start-up: spawn → first 200 from health, fresh data dir each time; best of N.
        # The last start stays up and is the one measured under load.
        for i in range(args.starts):
            server = Server(binary, data_parent, args.keep_data)
            ms = server.start()
            rep["startup_ms"]["samples"].append(round(ms, 1))
            log(f"start {i + 1}/{args.starts}: ready in {ms:.1f} ms (port {server.port})")
            if i < args.starts - 1:
                server.stop()
        rep["startup_ms"]["best"] = min(rep["startup_ms"]["samples"])

        time.sleep(SETTLE_S)
        idle_kb = server.rss_kb()
        rep["rss_mb"]["idle"] = round(idle_kb / 1024, 1) if idle_kb else None
        log(f"RSS idle: {fmt_mb(idle_kb)} MB")

        queue_url = create_queue(server)
        log(f"queue: {queue_url}")
        rep["queue_url"] = queue_url
        wrk_opts = dict(threads=args.threads, connections=args.connections,
                        timeout=args.timeout, verbose=args.verbose)
        sent_total = 1  # the probe message

        if args.warmup > 0:
            log(f"warm-up: send_message for {args.warmup} s (not reported)")
            r = run_wrk(wrk, "send_message", server, queue_url, duration=args.warmup, **wrk_opts)
            sent_total += int(r.get("msgs", 0))

        for name in scenarios:
            if not server.alive():
                raise BenchError(f"server died (exit code {server.proc.returncode})\n{server.log_tail()}")
            if name == "receive_delete":
                depth = prefill(wrk, server, queue_url, args, wrk_opts, sent_total)
                sent_total = depth if depth is not None else sent_total
            log(f"{name}: {args.duration} s at {args.connections} connections")
            try:
                r = run_wrk(wrk, name, server, queue_url, duration=args.duration, **wrk_opts)
            except BenchError as e:
                failed = True
                rep["scenarios"][name] = {"error": str(e)}
                log(f"{name} failed: {e}")
                if not server.alive():
                    raise
                continue
            if name == "receive_delete":
                r["queue_depth_before"] = sent_total
                if r.get("empty_receives", 0) > 0:
                    rep["notes"].append(
                        f"receive_delete had {r['empty_receives']:,} empty receives: the queue ran dry "
                        f"(raise BENCH_PREFILL_RATE above {args.prefill_rate:,})")
                sent_total = max(0, sent_total - int(r.get("deleted", 0)))
            else:
                sent_total += int(r.get("msgs", 0))
            rep["scenarios"][name] = r
            rss = server.rss_kb()
            r["rss_mb_after"] = round(rss / 1024, 1) if rss else None
            log(f"{name}: {r.get('requests_per_sec', 0):,.0f} req/s, {r.get('msgs_per_sec', 0):,.0f} msgs/s, "
                f"p99 {r.get('p99_ms', 0):.2f} ms, errors {r.get('errors', 0)}")
            if r.get("ok", 0) == 0:
                failed = True  # not one request succeeded: the figures mean nothing

        rss, hwm = server.rss_kb(), server.hwm_kb()
        rep["rss_mb"]["after_load"] = round(rss / 1024, 1) if rss else None
        rep["rss_mb"]["peak"] = round(hwm / 1024, 1) if hwm else None
    except BenchError as e:
        failed = True
        log(f"error: {e}")
        rep["notes"].append(f"run stopped early: {str(e).splitlines()[0]}")
    except (KeyboardInterrupt, Interrupted) as e:
        log(f"interrupted ({str(e) or 'SIGINT'}); stopping the server")
        if server is not None:
            server.stop()
        return 130
    finally:
        if server is not None:
            server.stop()
            rep["server_stop"] = {"ms": round(server.stop_ms, 1) if server.stop_ms is not None else None,
                                  "exit_code": server.exit_code, "killed": server.killed}
            if args.keep_data:
                rep["data_dir"] = server.data_dir

    # Targets.
    send = rep["scenarios"].get("send_message")
    if send and "error" not in send:
        rep["targets"]["send_message"] = {
            "requests_per_sec_min": TARGET_SEND_RPS, "p99_ms_max": TARGET_SEND_P99_MS,
            "met": send["requests_per_sec"] >= TARGET_SEND_RPS and send["p99_ms"] < TARGET_SEND_P99_MS
                   and send.get("errors", 0) == 0}
    best = rep["startup_ms"]["best"]
    rep["targets"]["startup"] = {"ms_max": TARGET_STARTUP_MS,
                                 "met": None if best is None else best < TARGET_STARTUP_MS}
    idle = rep["rss_mb"]["idle"]
    rep["targets"]["rss_idle"] = {"mb_max": TARGET_RSS_IDLE_MB,
                                  "met": None if idle is None else idle < TARGET_RSS_IDLE_MB}

    prev = None
    if args.json:
        out = Path(args.json)
        try:
            prev = json.loads(out.read_text()) if out.is_file() else None
            if prev and prev.get("config", {}).get("connections") != args.connections:
                prev = None  # only compare like with like
        except (OSError, json.JSONDecodeError):
            prev = None
    print_report(rep, prev)
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(rep, indent=2) + "\n")
        with open(out.parent / "bench-history.jsonl", "a") as f:
            f.write(json.dumps(rep, separators=(",", ":")) + "\n")
        log(f"figures written to {out}")

    if failed:
        return 1
    if args.strict and any(t.get("met") is False for t in rep["targets"].values()):
        return 1
    return 0


def prefill(wrk: str, server: Server, queue_url: str, args, wrk_opts: dict, estimate: int) -> int | None:
    """Top the queue up with SendMessageBatch until it holds duration × prefill-rate messages.

    Depth comes from GetQueueAttributes when the server has it, else from the
    count of messages sent so far. Bounded by --prefill-max seconds."""
    want = args.duration * args.prefill_rate
    depth = queue_depth(server, queue_url)
    have = depth if depth is not None else estimate
    deadline = time.monotonic() + args.prefill_max
    rounds = 0
    while have < want and time.monotonic() < deadline and rounds < 100:
        rounds += 1
        chunk = max(1, min(5, int(deadline - time.monotonic())))
        log(f"prefill: queue holds ~{have:,} of {want:,} messages; SendMessageBatch for {chunk} s")
        r = run_wrk(wrk, "send_message_batch", server, queue_url, duration=chunk, **wrk_opts)
        sent = int(r.get("msgs", 0))
        if sent == 0:
            log("prefill: SendMessageBatch sent nothing; giving up on prefill")
            break
        depth = queue_depth(server, queue_url)
        have = depth if depth is not None else have + sent
    if have < want:
        log(f"prefill: queue holds ~{have:,} messages (wanted {want:,}); receive_delete may run dry")
    return have


if __name__ == "__main__":
    sys.exit(main())
