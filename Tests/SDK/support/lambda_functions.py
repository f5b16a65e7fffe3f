"""Lambda helpers and fixtures: a boto3 `lambda` client, a function factory, `exec:`
handlers written as Python snippets, and a bounded wait.

The fixtures are registered in conftest.py (imported there by name).
"""

from __future__ import annotations

import sys
import time
import uuid
from pathlib import Path

import pytest

from .clients import make_client
from .sfn import ROLE_ARN

POLL_TIMEOUT = 10.0
ECHO = "exec:cat"


@pytest.fixture(scope="session")
def lam(endpoint):
    """A boto3 `lambda` client on the shared server."""
    return make_client(endpoint, "lambda")


@pytest.fixture
def create_function(lam):
    """create_function(handler=ECHO, name=None, **CreateFunction arguments) -> its configuration."""
    def create(handler: str = ECHO, name: str | None = None, **extra) -> dict:
        return lam.create_function(
            FunctionName=name or f"fn-{uuid.uuid4().hex[:10]}", Runtime="provided.al2023",
            Role=ROLE_ARN, Handler=handler, Code={"ZipFile": b"offcloud"}, **extra)
    return create


def python_handler(tmp_path: Path, body: str) -> str:
    """An `exec:` handler running a Python script that sees the event as `event`."""
    script = tmp_path / f"handler_{uuid.uuid4().hex[:8]}.py"
    script.write_text("import json, os, sys\nevent = json.load(sys.stdin)\n" + body)
    return f"exec:{sys.executable} {script}"


def error_code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def wait_until(predicate, message: str, timeout: float = POLL_TIMEOUT):
    """Calls `predicate` every 50 ms until it returns something truthy (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {message}")
