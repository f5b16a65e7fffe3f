"""Fixtures for the SDK compatibility suite.

One in-memory server is shared by the whole session and wiped between tests
(`POST /_offcloud/reset`), so most tests cost a few milliseconds. Tests that need
their own server (persistence, restarts) use `offcloud_factory`.

Run from the repository root:  pytest Tests/SDK
Server binary: $OFFCLOUD_BIN, default .build/debug/offcloud.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from support.clients import make_client
from support.query import QueryClient
from support.server import OffcloudServer, ServerFailed, offcloud_binary
from support.sqs import reset as reset_server, unique_name


# --- servers ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def server(tmp_path_factory) -> OffcloudServer:
    log_path = tmp_path_factory.mktemp("offcloud-log") / "server.log"
    instance = OffcloudServer(offcloud_binary(), log_path)
    try:
        instance.start()
    except ServerFailed as error:
        pytest.fail(str(error), pytrace=False)
    yield instance
    instance.stop()


@pytest.fixture(scope="session")
def endpoint(server) -> str:
    return server.endpoint


@pytest.fixture(autouse=True)
def reset(request):
    """Wipe all state before each test; tests marked `own_server` manage their own."""
    if request.node.get_closest_marker("own_server") is None:
        server = request.getfixturevalue("server")
        if not server.is_running():
            pytest.fail(f"the shared server has died:\n{server.log_tail()}", pytrace=False)
        reset_server(server.endpoint)
    yield


@pytest.fixture
def offcloud_factory(tmp_path) -> Callable[..., OffcloudServer]:
    """Start extra servers (optionally on a data dir); all are stopped at teardown."""
    started: list[OffcloudServer] = []

    def start(data_dir: Path | None = None, name: str = "server",
              extra_args: list[str] | None = None) -> OffcloudServer:
        instance = OffcloudServer(offcloud_binary(), tmp_path / f"{name}-{len(started)}.log",
                                  data_dir=data_dir, extra_args=extra_args)
        started.append(instance)
        try:
            return instance.start()
        except ServerFailed as error:
            pytest.fail(str(error), pytrace=False)

    yield start
    for instance in started:
        instance.stop()


# --- clients ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def sqs(endpoint):
    return make_client(endpoint)


@pytest.fixture(scope="session")
def sqs_unvalidated(endpoint):
    """A client that sends whatever it is given, to reach the server's own validation."""
    return make_client(endpoint, parameter_validation=False)


@pytest.fixture(scope="session")
def sqs_other_account(endpoint):
    """Credentials whose 12-digit access key id names account 111111111111."""
    return make_client(endpoint, access_key="111111111111")


@pytest.fixture(scope="session")
def client_factory(endpoint):
    return lambda **kwargs: make_client(kwargs.pop("endpoint", endpoint), **kwargs)


@pytest.fixture(scope="session")
def query(endpoint) -> QueryClient:
    return QueryClient(endpoint)


# --- queues ----------------------------------------------------------------------

@pytest.fixture
def create_queue(sqs) -> Callable[..., str]:
    """create_queue(name=None, fifo=False, **attributes) -> queue URL."""

    def create(name: str | None = None, fifo: bool = False, tags: dict | None = None,
               **attributes) -> str:
        name = name or unique_name()
        if fifo:
            attributes.setdefault("FifoQueue", "true")
            if not name.endswith(".fifo"):
                name += ".fifo"
        args = {"QueueName": name, "Attributes": {k: str(v) for k, v in attributes.items()}}
        if tags:
            args["tags"] = tags
        return sqs.create_queue(**args)["QueueUrl"]

    return create


@pytest.fixture
def queue_url(create_queue) -> str:
    return create_queue()


@pytest.fixture
def fifo_queue_url(create_queue) -> str:
    return create_queue(fifo=True)


# --- Step Functions --------------------------------------------------------------

from support.sfn import create_activity, create_state_machine, sfn  # noqa: E402,F401  (fixtures)
from support.lambda_functions import create_function, lam  # noqa: E402,F401  (fixtures)


# --- DynamoDB --------------------------------------------------------------------

from support.dynamodb import (create_table, ddb, ddb_hash_table, ddb_resource,  # noqa: E402,F401
                              ddb_table, ddb_unvalidated, streams)
