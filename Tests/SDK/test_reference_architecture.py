"""The reference architecture end to end (issue 7): `template.yaml` deployed by
`offcloud serve --template`, driven with real clients only — an HTTP POST, polling GET
/orders/{messageId}, a real WebSocket client, a local http.server subscribed to the
outcomes topic, and boto3 for the order record and the execution history. Covers the
paid order, the payment failure path, and a server restart while GetConnect is retrying.
"""

from __future__ import annotations

import json

import pytest

from support.reference import (DECLINED_ORDER, DECLINED_PATH, PAID_ORDER, PAID_PATH, Stack, Webhook, eventually,
                               serve_args, template_support)

REASON = template_support()
pytestmark = [pytest.mark.own_server, pytest.mark.skipif(REASON is not None, reason=REASON or "")]


@pytest.fixture
def webhook():
    hook = Webhook()
    yield hook
    hook.close()


@pytest.fixture
def stack(offcloud_factory, webhook) -> Stack:
    server = offcloud_factory(name="reference", extra_args=serve_args(webhook.url))
    return Stack(server.endpoint)


def follow(stack: Stack, order: dict) -> tuple[str, str, str]:
    """POST /orders, then GET /orders/{messageId}: (message id, execution ARN, WebSocket URL)."""
    placed = stack.place(order)
    message_id = placed["messageId"]
    assert placed["status"] == "ACCEPTED"
    found = stack.lookup(message_id)
    assert found["messageId"] == message_id
    assert found["executionArn"].endswith(":execution:order-workflow:" + message_id)
    assert found["webSocketUrl"] == placed["webSocketUrl"] == stack.websocket_api
    return message_id, found["executionArn"], found["webSocketUrl"]


def test_paid_order_is_notified_over_the_websocket_and_the_webhook(stack, webhook):
    message_id, execution_arn, websocket_url = follow(stack, PAID_ORDER)
    with stack.websocket(execution_arn, websocket_url) as ws:
        notification = json.loads(ws.recv(timeout=30))
    assert notification["messageId"] == message_id
    assert notification["status"] == "PAID"
    assert notification["amount"] == 37
    assert notification["transactionId"].startswith("txn-")

    described = stack.finished(execution_arn)
    assert described["status"] == "SUCCEEDED"
    assert stack.states_entered(execution_arn) == PAID_PATH
    output = json.loads(described["output"])
    assert output["notified"] is True and "publishError" not in output

    record = stack.order_record(message_id)
    assert record["status"] == {"S": "PAID"}
    assert record["total"] == {"N": "37"}
    assert record["payment"]["M"]["status"] == {"S": "APPROVED"}
    assert record["order"]["M"]["customerId"] == {"S": "c-1"}
    assert record["requestId"]["S"]

    delivered = webhook.notification_for(message_id)
    assert delivered["Subject"] == "Order PAID"
    message = json.loads(delivered["Message"])
    assert message == notification
    assert message["executionArn"] == execution_arn
    assert delivered["TopicArn"].endswith(":order-outcomes")
    assert delivered["MessageAttributes"]["status"] == {"Type": "String", "Value": "PAID"}
    assert delivered["MessageAttributes"]["notified"] == {"Type": "String", "Value": "true"}


def test_order_over_the_limit_takes_the_failure_path(stack, webhook):
    message_id, execution_arn, websocket_url = follow(stack, DECLINED_ORDER)
    with stack.websocket(execution_arn, websocket_url) as ws:
        notification = json.loads(ws.recv(timeout=30))
    assert notification == {"messageId": message_id, "executionArn": execution_arn, "status": "PAYMENT_FAILED",
                            "error": "PaymentDeclined", "message": "Order total 1500 is over the limit of 1000", "total": 1500}

    described = stack.finished(execution_arn)
    assert described["status"] == "FAILED"
    assert described["error"] == "PaymentDeclined"
    assert stack.states_entered(execution_arn) == DECLINED_PATH

    record = stack.order_record(message_id)
    assert record["status"] == {"S": "PAYMENT_FAILED"}
    assert record["paymentError"]["M"]["error"] == {"S": "PaymentDeclined"}
    assert "payment" not in record

    delivered = webhook.notification_for(message_id)
    assert delivered["Subject"] == "Order PAYMENT_FAILED"
    assert json.loads(delivered["Message"])["error"] == "PaymentDeclined"


def test_order_completes_after_a_restart_while_get_connect_retries(offcloud_factory, webhook, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    first = offcloud_factory(data_dir=data, name="before", extra_args=serve_args(webhook.url))
    stack = Stack(first.endpoint)
    message_id, execution_arn, _ = follow(stack, PAID_ORDER)

    # No client yet: GetConnect fails with ConnectionNotFound and waits for its retry
    # (the first attempt runs at once; the retries come 1, 1.5, 2.25 … s later).
    def failed_attempts():
        return [e for e in stack.events(execution_arn)
                if e["type"] == "TaskFailed" and e["taskFailedEventDetails"]["error"] == "ConnectionNotFound"]
    eventually("a second failed GetConnect attempt", lambda: len(failed_attempts()) >= 2, timeout=20)
    assert stack.sfn.describe_execution(executionArn=execution_arn)["status"] == "RUNNING"
    assert stack.states_entered(execution_arn)[-1] == "GetConnect"
    first.stop()

    second = offcloud_factory(data_dir=data, name="after", extra_args=serve_args(webhook.url))
    stack = Stack(second.endpoint)
    assert stack.sfn.describe_execution(executionArn=execution_arn)["status"] == "RUNNING"
    found = stack.lookup(message_id)
    assert found["executionArn"] == execution_arn
    with stack.websocket(execution_arn) as ws:
        notification = json.loads(ws.recv(timeout=40))
    assert notification["messageId"] == message_id and notification["status"] == "PAID"

    described = stack.finished(execution_arn)
    assert described["status"] == "SUCCEEDED"
    assert stack.states_entered(execution_arn) == PAID_PATH
    assert stack.order_record(message_id)["status"] == {"S": "PAID"}
    assert json.loads(webhook.notification_for(message_id)["Message"])["status"] == "PAID"
