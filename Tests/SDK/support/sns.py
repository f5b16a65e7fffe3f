"""SNS helpers shared by the test_sns_* files: clients, topics wired to queues, a
small local HTTP subscriber, and the emulator's delivery log."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

import pytest
import requests

from .clients import make_client
from .server import free_port
from .sqs import receive_all, unique_name, wait_until

NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/"
VERSION = "2010-03-31"


@pytest.fixture(scope="session")
def sns(endpoint):
    return make_client(endpoint, "sns")


@pytest.fixture(scope="session")
def sns_unvalidated(endpoint):
    return make_client(endpoint, "sns", parameter_validation=False)


def create_topic(sns, name: str | None = None, fifo: bool = False, **attributes) -> str:
    name = name or unique_name("t")
    if fifo:
        attributes.setdefault("FifoTopic", "true")
        if not name.endswith(".fifo"):
            name += ".fifo"
    return sns.create_topic(Name=name, Attributes={k: str(v) for k, v in attributes.items()})["TopicArn"]


def queue_with_arn(sqs, name: str | None = None, fifo: bool = False, **attributes) -> tuple[str, str]:
    name = name or unique_name("q")
    if fifo:
        attributes.setdefault("FifoQueue", "true")
        if not name.endswith(".fifo"):
            name += ".fifo"
    url = sqs.create_queue(QueueName=name, Attributes={k: str(v) for k, v in attributes.items()})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def subscribe_queue(sns, sqs, topic_arn: str, raw: bool = False, fifo: bool = False, **attributes) -> tuple[str, str]:
    """A new queue subscribed to the topic; returns (queue URL, subscription ARN)."""
    url, arn = queue_with_arn(sqs, fifo=fifo)
    if raw:
        attributes["RawMessageDelivery"] = "true"
    sub = sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes=attributes,
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    return url, sub


def receive_bodies(sqs, url: str, expected: int, timeout: float = 10.0, **args) -> list[dict]:
    return receive_all(sqs, url, expected, timeout=timeout, delete=True, **args)


def envelopes(sqs, url: str, expected: int, timeout: float = 10.0) -> list[dict]:
    return [json.loads(m["Body"]) for m in receive_bodies(sqs, url, expected, timeout)]


def deliveries(endpoint: str, **filters) -> list[dict]:
    response = requests.get(f"{endpoint}/_offcloud/sns/deliveries", params=filters, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["Deliveries"]


def wait_for_deliveries(endpoint: str, count: int, timeout: float = 10.0, **filters) -> list[dict]:
    return wait_until(lambda: (lambda d: d if len(d) >= count else None)(deliveries(endpoint, **filters)),
                      timeout=timeout, message=f"{count} recorded deliveries matching {filters}")


# --- a local HTTP subscriber -----------------------------------------------------

class Subscriber:
    """An HTTP server on 127.0.0.1 that records every POST (headers and body) and
    answers with `status` (a callable may decide per request)."""

    def __init__(self, port: int | None = None, status: int | Callable[[dict], int] = 200):
        self.port = port or free_port()
        self.status = status
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sns"

    def start(self) -> "Subscriber":
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode("utf-8")
                record = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                with owner.lock:
                    owner.requests.append(record)
                status = owner.status(record) if callable(owner.status) else owner.status
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def of_type(self, kind: str) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["headers"].get("x-amz-sns-message-type") == kind]

    def wait_for(self, kind: str, count: int = 1, timeout: float = 10.0) -> list[dict]:
        return wait_until(lambda: (lambda found: found if len(found) >= count else None)(self.of_type(kind)),
                          timeout=timeout, message=f"{count} {kind} POST(s)")


@pytest.fixture
def subscriber():
    started: list[Subscriber] = []

    def start(**kwargs) -> Subscriber:
        s = Subscriber(**kwargs).start()
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


def confirm_via_url(confirmation: dict) -> None:
    """Visit the SubscribeURL of a SubscriptionConfirmation POST, as a subscriber would."""
    url = json.loads(confirmation["body"])["SubscribeURL"]
    response = requests.get(url, timeout=10)
    assert response.status_code == 200, response.text


def confirmed_http_subscription(sns, topic_arn: str, subscriber: Subscriber, **attributes) -> str:
    arn = sns.subscribe(TopicArn=topic_arn, Protocol="http", Endpoint=subscriber.url, Attributes=attributes,
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    confirmation = subscriber.wait_for("SubscriptionConfirmation")[-1]
    token = json.loads(confirmation["body"])["Token"]
    sns.confirm_subscription(TopicArn=topic_arn, Token=token)
    return arn


def fast_retries(retries: int = 2, delay: int = 1) -> str:
    """A subscription DeliveryPolicy that retries quickly, for tests."""
    return json.dumps({"healthyRetryPolicy": {"minDelayTarget": delay, "maxDelayTarget": delay, "numRetries": retries,
                                              "numNoDelayRetries": 0, "numMinDelayRetries": 0, "numMaxDelayRetries": 0,
                                              "backoffFunction": "linear"}})


def query_call(endpoint: str, action: str, params: dict[str, Any] | None = None, method: str = "POST",
               sign: bool = True) -> requests.Response:
    """An SNS query-protocol request by hand (form in, XML out)."""
    from .signing import signed_headers
    fields = {"Action": action, "Version": VERSION, **{k: str(v) for k, v in (params or {}).items()}}
    url = endpoint + "/"
    body = urllib.parse.urlencode(fields).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    if sign:
        headers = signed_headers("POST", url, body, headers, service="sns")
    return requests.post(url, data=body, headers=headers, timeout=10)
