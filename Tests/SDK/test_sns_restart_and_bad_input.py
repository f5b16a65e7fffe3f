"""SNS durability (pending deliveries survive a restart, even a kill) and bad input
(attribute types, oversized messages, malformed requests)."""

from __future__ import annotations

import json
import signal

import pytest

from support.clients import make_client
from support.sns import (Subscriber, confirmed_http_subscription, create_topic, fast_retries, query_call,  # noqa: F401
                         receive_bodies, sns, sns_unvalidated, subscribe_queue)
from support.sqs import raises_aws, wait_until

pytestmark = []


@pytest.mark.own_server
def test_pending_webhook_delivery_survives_a_restart(offcloud_factory, tmp_path):
    (tmp_path / "data").mkdir()
    first = offcloud_factory(data_dir=tmp_path / "data", name="first")
    sns = make_client(first.endpoint, "sns")
    hook = Subscriber().start()
    try:
        topic = create_topic(sns, name="durable")
        confirmed_http_subscription(sns, topic, hook, DeliveryPolicy=fast_retries(retries=50, delay=1))
        hook.stop()  # the webhook goes away: the notification stays pending, retried
        message_id = sns.publish(TopicArn=topic, Message="survives")["MessageId"]
        first.stop()
        hook = Subscriber(port=hook.port).start()
        offcloud_factory(data_dir=tmp_path / "data", name="second")
        [notification] = hook.wait_for("Notification", timeout=20)
        assert notification["headers"]["x-amz-sns-message-id"] == message_id
        assert json.loads(notification["body"])["Message"] == "survives"
    finally:
        hook.stop()


@pytest.mark.own_server
def test_published_messages_are_delivered_after_a_kill(offcloud_factory, tmp_path):
    (tmp_path / "data").mkdir()
    first = offcloud_factory(data_dir=tmp_path / "data", name="first")
    sns, sqs = make_client(first.endpoint, "sns"), make_client(first.endpoint, "sqs")
    topic = create_topic(sns, name="killed")
    url, _ = subscribe_queue(sns, sqs, topic, raw=True)
    ids = {sns.publish(TopicArn=topic, Message=f"m{i}")["MessageId"]: f"m{i}" for i in range(200)}
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(timeout=10)
    first.stop()
    second = offcloud_factory(data_dir=tmp_path / "data", name="second")
    sqs = make_client(second.endpoint, "sqs")
    url = sqs.get_queue_url(QueueName=url.rsplit("/", 1)[1])["QueueUrl"]
    received: set[str] = set()

    def all_arrived():
        response = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
        for m in response.get("Messages", []):
            received.add(m["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return received >= set(ids.values())

    wait_until(all_arrived, timeout=20, message="every acknowledged publish to arrive")


# --- bad input ------------------------------------------------------------------

@pytest.mark.parametrize("attribute, fragment", [
    ({"DataType": "Integer", "StringValue": "1"}, "invalid message attribute type"),
    ({"DataType": "Number", "StringValue": "twelve"}, "Could not cast"),
    ({"DataType": "String", "StringValue": ""}, "must contain non-empty"),
    ({"DataType": "String.Array", "StringValue": "not an array"}, "String.Array"),
])
def test_invalid_message_attributes(sns, sns_unvalidated, attribute, fragment):
    topic = create_topic(sns)
    with raises_aws("ParameterValueInvalid", 400) as info:
        sns_unvalidated.publish(TopicArn=topic, Message="x", MessageAttributes={"a": attribute})
    assert fragment in info.value.response["Error"]["Message"]


def test_reserved_and_malformed_attribute_names(sns):
    topic = create_topic(sns)
    for name in ["AWS.reserved", "bad name", ".dot", "a..b"]:
        with raises_aws("ParameterValueInvalid"):
            sns.publish(TopicArn=topic, Message="x", MessageAttributes={name: {"DataType": "String", "StringValue": "v"}})


def test_message_size_limit(sns, sqs):
    topic = create_topic(sns)
    url, _ = subscribe_queue(sns, sqs, topic, raw=True)
    sns.publish(TopicArn=topic, Message="x" * 262_144)
    with raises_aws("InvalidParameter") as info:
        sns.publish(TopicArn=topic, Message="x" * 262_145)
    assert info.value.response["Error"]["Message"] == "Invalid parameter: Message too long"
    with raises_aws("InvalidParameter"):
        sns.publish(TopicArn=topic, Message="x" * 262_140,
                    MessageAttributes={"attr": {"DataType": "String", "StringValue": "long value"}})
    [message] = receive_bodies(sqs, url, 1)
    assert len(message["Body"]) == 262_144


def test_publish_parameter_errors(sns, sns_unvalidated):
    topic = create_topic(sns)
    with raises_aws("InvalidParameter") as info:
        sns_unvalidated.publish(TopicArn=topic, Message="")
    assert info.value.response["Error"]["Message"] == "Invalid parameter: Empty message"
    with raises_aws("InvalidParameter"):
        sns_unvalidated.publish(Message="nowhere")
    with raises_aws("InvalidParameter"):
        sns.publish(TopicArn=topic, Message="x", Subject="line\nbreak")
    with raises_aws("InvalidParameter"):
        sns.publish(TopicArn=topic, Message="x", Subject="s" * 101)
    with raises_aws("InvalidParameter"):
        sns.publish(TopicArn="arn:aws:sqs:us-east-1:000000000000:not-a-topic", Message="x")


def test_form_garbage_is_a_clean_error(endpoint):
    response = query_call(endpoint, "Publish", {"TopicArn": "arn:aws:sns:us-east-1:000000000000:none", "Message": "x",
                                                "MessageAttributes.entry.1.Name": "a"})
    assert response.status_code in (400, 404)
    assert "<ErrorResponse" in response.text
