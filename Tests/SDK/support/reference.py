"""The reference architecture (template.yaml at the repository root) driven with real
clients only: plain HTTP for the HTTP API, a `websockets` client, a local http.server as
the SNS webhook, boto3 for DynamoDB, API Gateway and the execution history.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, Callable

import requests
from websockets.sync.client import connect as websocket_connect

from .clients import make_client
from .server import REPO_ROOT, offcloud_binary

TEMPLATE = REPO_ROOT / "template.yaml"
PAID_PATH = ["WebSocketIDMessage", "SaveOrder", "ProcessPayment", "UpdateOrder", "GetConnect", "Notify", "Notified",
             "PublishOutcome", "OrderOutcome", "OrderCompleted"]
DECLINED_PATH = ["WebSocketIDMessage", "SaveOrder", "ProcessPayment", "RecordPaymentFailure", "GetConnect", "Notify",
                 "Notified", "PublishOutcome", "OrderOutcome", "PaymentFailed"]
PAID_ORDER = {"customerId": "c-1", "items": [{"sku": "coffee-beans", "quantity": 2, "price": 18.5}]}
DECLINED_ORDER = {"customerId": "c-2", "items": [{"sku": "espresso-machine", "quantity": 3, "price": 500}]}


def template_support() -> str | None:
    """Why the template cannot be served yet, or None when `offcloud serve` takes --template."""
    binary = offcloud_binary()
    if not binary.exists():
        return f"no offcloud binary at {binary}"
    help_text = subprocess.run([str(binary), "serve", "--help"], capture_output=True, text=True, timeout=30).stdout
    if "--template" not in help_text:
        return "offcloud serve has no --template yet (the template engine has not landed)"
    return None


def eventually(what: str, probe: Callable[[], Any], timeout: float = 20.0, interval: float = 0.1) -> Any:
    """Calls `probe` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"no {what} within {timeout} s")


class Webhook:
    """A local HTTP server subscribed to the outcomes topic: confirms the subscription by
    visiting its SubscribeURL, and keeps every notification it receives."""

    def __init__(self):
        self.bodies: list[dict] = []
        self.lock = threading.Lock()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                try:
                    body = json.loads(raw)
                except ValueError:
                    return
                with owner.lock:
                    owner.bodies.append({"headers": dict(self.headers), "body": body})
                if body.get("Type") == "SubscriptionConfirmation" and body.get("SubscribeURL"):
                    threading.Thread(target=requests.get, args=(body["SubscribeURL"],), kwargs={"timeout": 10},
                                     daemon=True).start()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def notifications(self) -> list[dict]:
        with self.lock:
            return [entry["body"] for entry in self.bodies if entry["body"].get("Type") == "Notification"]

    def notification_for(self, message_id: str, timeout: float = 20.0) -> dict:
        def find():
            for body in self.notifications():
                if json.loads(body.get("Message") or "{}").get("messageId") == message_id:
                    return body
            return None
        return eventually(f"webhook notification for {message_id}", find, timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Stack:
    """The deployed template on one running server, reached like a user reaches it."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.apigw = make_client(endpoint, "apigatewayv2")
        self.ddb = make_client(endpoint, "dynamodb")
        self.sfn = make_client(endpoint, "stepfunctions", inject_host_prefix=False)
        # The server answers while it deploys the template (it needs its port for the
        # URLs), so wait for the APIs; the WebSocket stage comes after its API.
        def deployed():
            apis = {a["Name"]: a for a in self.apigw.get_apis()["Items"]}
            if "orders-http" not in apis or "orders-websocket" not in apis:
                return None
            stages = self.apigw.get_stages(ApiId=apis["orders-websocket"]["ApiId"])["Items"]
            machines = [m["name"] for m in self.sfn.list_state_machines()["stateMachines"]]
            return apis if any(s["StageName"] == "prod" for s in stages) and "order-workflow" in machines else None
        apis = eventually("the deployed stack", deployed, timeout=30)
        self.http_api = apis["orders-http"]["ApiEndpoint"]
        self.websocket_api = apis["orders-websocket"]["ApiEndpoint"] + "/prod"

    def place(self, order: dict) -> dict:
        response = requests.post(self.http_api + "/orders", json=order, timeout=10)
        assert response.status_code == 202, response.text
        return response.json()

    def lookup(self, message_id: str, timeout: float = 20.0) -> dict:
        def found():
            response = requests.get(f"{self.http_api}/orders/{message_id}", timeout=10)
            return response.json() if response.status_code == 200 else None
        return eventually(f"GET /orders/{message_id}", found, timeout)

    def websocket(self, execution_arn: str, url: str | None = None):
        query = urllib.parse.urlencode({"executionArn": execution_arn})
        return websocket_connect(f"{url or self.websocket_api}?{query}", open_timeout=10)

    def finished(self, execution_arn: str, timeout: float = 60.0) -> dict:
        return eventually("end of the execution", lambda: (lambda d: d if d["status"] != "RUNNING" else None)(
            self.sfn.describe_execution(executionArn=execution_arn)), timeout, interval=0.2)

    def events(self, execution_arn: str) -> list[dict]:
        events, token = [], None
        while True:
            page = self.sfn.get_execution_history(executionArn=execution_arn, maxResults=1000,
                                                  **({"nextToken": token} if token else {}))
            events += page["events"]
            token = page.get("nextToken")
            if not token:
                return events

    def states_entered(self, execution_arn: str) -> list[str]:
        return [e["stateEnteredEventDetails"]["name"] for e in self.events(execution_arn)
                if e["type"].endswith("StateEntered")]

    def order_record(self, message_id: str) -> dict:
        return self.ddb.get_item(TableName="Orders", Key={"messageId": {"S": message_id}}, ConsistentRead=True).get("Item", {})


def serve_args(webhook_url: str) -> list[str]:
    return ["--template", str(TEMPLATE), "--parameter-overrides", f"WebhookUrl={webhook_url}"]


def template_path() -> Path:
    return TEMPLATE
