"""SNS to HTTP subscribers: the SubscriptionConfirmation handshake, Notification POSTs
with AWS's headers, retries by the DeliveryPolicy, the DLQ after the last failure, and
one unreachable webhook not holding up anyone else."""

from __future__ import annotations

import json

import requests

from support.sns import (confirm_via_url, confirmed_http_subscription, create_topic, deliveries,  # noqa: F401
                         fast_retries, queue_with_arn, receive_bodies, sns, subscribe_queue, subscriber)
from support.sqs import raises_aws


def test_http_subscription_confirms_by_visiting_the_subscribe_url(sns, subscriber):
    hook = subscriber()
    topic = create_topic(sns)
    assert sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=hook.url)["SubscriptionArn"] == "pending confirmation"
    [confirmation] = hook.wait_for("SubscriptionConfirmation")
    headers = confirmation["headers"]
    assert headers["x-amz-sns-message-type"] == "SubscriptionConfirmation"
    assert headers["x-amz-sns-topic-arn"] == topic
    assert headers["content-type"] == "text/plain; charset=UTF-8"
    body = json.loads(confirmation["body"])
    assert body["Type"] == "SubscriptionConfirmation"
    assert body["TopicArn"] == topic
    assert body["MessageId"] == headers["x-amz-sns-message-id"]
    assert body["Token"] and body["SubscribeURL"] and body["SigningCertURL"]
    assert [s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]] == ["PendingConfirmation"]
    confirm_via_url(confirmation)
    [listed] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert listed["SubscriptionArn"].startswith(topic + ":")
    attributes = sns.get_subscription_attributes(SubscriptionArn=listed["SubscriptionArn"])["Attributes"]
    assert attributes["PendingConfirmation"] == "false"
    assert json.loads(attributes["EffectiveDeliveryPolicy"])["healthyRetryPolicy"]["numRetries"] == 3


def test_notifications_carry_aws_headers_and_envelope(sns, subscriber):
    hook = subscriber()
    topic = create_topic(sns)
    sub = confirmed_http_subscription(sns, topic, hook)
    message_id = sns.publish(TopicArn=topic, Message="hello hook", Subject="Greeting",
                             MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})["MessageId"]
    [notification] = hook.wait_for("Notification")
    headers = notification["headers"]
    assert headers["x-amz-sns-message-id"] == message_id
    assert headers["x-amz-sns-topic-arn"] == topic
    assert headers["x-amz-sns-subscription-arn"] == sub
    assert headers["content-type"] == "text/plain; charset=UTF-8"
    body = json.loads(notification["body"])
    assert body["Type"] == "Notification" and body["Message"] == "hello hook" and body["Subject"] == "Greeting"
    assert body["MessageAttributes"] == {"k": {"Type": "String", "Value": "v"}}
    assert body["UnsubscribeURL"].startswith("http://")


def test_raw_http_delivery_posts_the_bare_message(sns, subscriber):
    hook = subscriber()
    topic = create_topic(sns)
    confirmed_http_subscription(sns, topic, hook, RawMessageDelivery="true")
    sns.publish(TopicArn=topic, Message='{"raw": true}')
    [notification] = hook.wait_for("Notification")
    assert notification["body"] == '{"raw": true}'


def test_unsubscribe_url_unsubscribes(sns, subscriber):
    hook = subscriber()
    topic = create_topic(sns)
    sub = confirmed_http_subscription(sns, topic, hook)
    sns.publish(TopicArn=topic, Message="one")
    [notification] = hook.wait_for("Notification")
    assert requests.get(json.loads(notification["body"])["UnsubscribeURL"], timeout=10).status_code == 200
    with raises_aws("NotFound"):
        sns.get_subscription_attributes(SubscriptionArn=sub)


def test_failed_posts_are_retried_by_the_delivery_policy(sns, subscriber):
    answers = iter([500, 503])
    hook = subscriber(status=lambda r: next(answers, 200) if r["headers"].get("x-amz-sns-message-type") == "Notification" else 200)
    topic = create_topic(sns)
    confirmed_http_subscription(sns, topic, hook, DeliveryPolicy=fast_retries(retries=3, delay=1))
    message_id = sns.publish(TopicArn=topic, Message="eventually")["MessageId"]
    attempts = hook.wait_for("Notification", 3, timeout=15)
    assert [a["headers"]["x-amz-sns-message-id"] for a in attempts] == [message_id] * 3


def test_after_the_last_retry_the_message_goes_to_the_dlq(sns, sqs, subscriber):
    hook = subscriber(status=lambda r: 500 if r["headers"].get("x-amz-sns-message-type") == "Notification" else 200)
    dlq_url, dlq_arn = queue_with_arn(sqs)
    topic = create_topic(sns)
    confirmed_http_subscription(sns, topic, hook, DeliveryPolicy=fast_retries(retries=1, delay=1),
                                RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn}))
    message_id = sns.publish(TopicArn=topic, Message="undeliverable")["MessageId"]
    [dead] = receive_bodies(sqs, dlq_url, 1, timeout=15, MessageAttributeNames=["All"])
    envelope = json.loads(dead["Body"])
    assert envelope["MessageId"] == message_id and envelope["Message"] == "undeliverable"
    assert {"RequestID", "ErrorCode", "ErrorMessage"} <= set(dead["MessageAttributes"])
    assert len(hook.of_type("Notification")) == 2


def test_an_unreachable_webhook_does_not_stall_other_subscribers(sns, sqs, subscriber):
    from support.server import free_port
    topic = create_topic(sns)
    dead_port = free_port()
    hook = subscriber()
    confirmed_http_subscription(sns, topic, hook)
    # Subscribe a webhook, confirm it by token from the log-free path: nothing listens there.
    unreachable = subscriber(port=dead_port)
    confirmed_http_subscription(sns, topic, unreachable, DeliveryPolicy=fast_retries(retries=5, delay=5))
    unreachable.stop()
    url, _ = subscribe_queue(sns, sqs, topic, raw=True)
    for i in range(20):
        sns.publish(TopicArn=topic, Message=f"m{i}")
    assert sorted(m["Body"] for m in receive_bodies(sqs, url, 20)) == sorted(f"m{i}" for i in range(20))
    assert len(hook.wait_for("Notification", 20)) == 20
    failures = [d for d in deliveries(sns.meta.endpoint_url, Endpoint=unreachable.url) if d["Status"].startswith("failed")]
    assert failures, "the unreachable webhook's attempts are logged"


def test_topic_delivery_policy_sets_the_content_type(sns, subscriber):
    hook = subscriber()
    topic = create_topic(sns, DeliveryPolicy=json.dumps({"http": {"defaultRequestPolicy": {"headerContentType": "application/json"}}}))
    confirmed_http_subscription(sns, topic, hook)
    sns.publish(TopicArn=topic, Message="typed")
    assert hook.wait_for("Notification")[0]["headers"]["content-type"] == "application/json"


def test_invalid_delivery_policies_are_refused(sns, subscriber):
    hook = subscriber()
    topic = create_topic(sns)
    with raises_aws("InvalidParameter"):
        sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=hook.url,
                      Attributes={"DeliveryPolicy": json.dumps({"healthyRetryPolicy": {"numRetries": 1000}})})
    with raises_aws("InvalidParameter"):
        sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=hook.url, Attributes={"DeliveryPolicy": "nope"})
