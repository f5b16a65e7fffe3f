"""Starting and stopping a real `offcloud serve` process for the SDK tests.

Only processes started here are ever signalled, and only by their own pid.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_BINARY = REPO_ROOT / ".build" / "debug" / "offcloud"

READY_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0


def offcloud_binary() -> Path:
    """The server binary: `OFFCLOUD_BIN`, else the debug build. Relative paths are
    taken from the repository root."""
    configured = os.environ.get("OFFCLOUD_BIN")
    path = Path(configured) if configured else DEFAULT_BINARY
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerFailed(RuntimeError):
    pass


class OffcloudServer:
    """One `offcloud serve` child process on a free loopback port."""

    def __init__(self, binary: Path, log_path: Path, data_dir: Path | None = None,
                 extra_args: list[str] | None = None):
        self.binary = binary
        self.extra_args = list(extra_args or [])
        self.log_path = log_path
        self.data_dir = data_dir
        self.port: int | None = None
        self.process: subprocess.Popen | None = None
        self._log_file = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self, port: int) -> list[str]:
        storage = ["--data-dir", str(self.data_dir)] if self.data_dir else ["--in-memory"]
        # The repository's own template.yaml is for `make run`; a test deploys one only when it asks.
        template = [] if "--template" in self.extra_args else ["--no-template"]
        # Nor are the repository's definitions/: a test's server starts empty.
        definitions = [] if "--definitions" in self.extra_args else ["--definitions", str(self.log_path.parent / "no-definitions")]
        return [str(self.binary), "serve", "--host", "127.0.0.1", "--port", str(port),
                *storage, "--log-level", "warning", *template, *definitions, *self.extra_args]

    def start(self) -> "OffcloudServer":
        if not self.binary.exists():
            raise ServerFailed(
                f"offcloud binary not found at {self.binary}; build it or set OFFCLOUD_BIN")
        # Another process can grab the free port between our probe and the server's
        # bind; a couple of attempts make that race harmless.
        last_error: Exception | None = None
        for _ in range(3):
            try:
                self._spawn(free_port())
                self._wait_ready()
                return self
            except ServerFailed as error:
                last_error = error
                self.stop()
        raise last_error  # type: ignore[misc]

    def _spawn(self, port: int) -> None:
        self.port = port
        self._log_file = open(self.log_path, "ab")
        self._log_file.write(f"\n--- starting: {' '.join(self.command(port))}\n".encode())
        self._log_file.flush()
        self.process = subprocess.Popen(
            self.command(port), stdout=self._log_file, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, cwd=str(self.data_dir or REPO_ROOT))

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(
                    f"offcloud exited with status {self.process.returncode} before it was "
                    f"ready:\n{self.log_tail()}")
            try:
                if self.health()[0] == 200:
                    return
            except (OSError, urllib.error.URLError, ValueError):
                pass
            time.sleep(0.05)
        raise ServerFailed(f"offcloud not ready within {READY_TIMEOUT}s:\n{self.log_tail()}")

    def health(self, timeout: float = 2.0) -> tuple[int, dict]:
        """(status, JSON body) of GET /_offcloud/health."""
        request = urllib.request.Request(f"{self.endpoint}/_offcloud/health")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, {}

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT) -> int | None:
        """SIGTERM, wait, then SIGKILL. Returns the exit status."""
        process, self.process = self.process, None
        status = None
        if process is not None:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=timeout)
            status = process.returncode
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        return status

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])
