"""FIFO queues: ordering within a message group, group locking, deduplication and
sequence numbers."""

import hashlib
import time

import pytest

from support.sqs import md5_hex, raises_aws, receive_all, receive_nothing, receive_one


def send(sqs, url, body, group="g", dedup=None, **extra):
    return sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group,
                            MessageDeduplicationId=dedup or body, **extra)


def bodies(messages):
    return [m["Body"] for m in messages]


def test_messages_of_one_group_arrive_in_send_order(sqs, fifo_queue_url):
    for i in range(8):
        send(sqs, fifo_queue_url, f"m{i}")

    received = receive_all(sqs, fifo_queue_url, 8)

    assert bodies(received) == [f"m{i}" for i in range(8)]


def test_order_is_kept_after_a_message_becomes_visible_again(sqs, fifo_queue_url):
    for body in ("first", "second"):
        send(sqs, fifo_queue_url, body)

    first = sqs.receive_message(QueueUrl=fifo_queue_url, MaxNumberOfMessages=1,
                                VisibilityTimeout=0)["Messages"]
    again = sqs.receive_message(QueueUrl=fifo_queue_url, MaxNumberOfMessages=1)["Messages"]

    assert bodies(first) == ["first"]
    assert bodies(again) == ["first"]


def test_group_is_locked_while_one_of_its_messages_is_in_flight(sqs, fifo_queue_url):
    send(sqs, fifo_queue_url, "a1", group="A")
    send(sqs, fifo_queue_url, "a2", group="A")

    [a1] = sqs.receive_message(QueueUrl=fifo_queue_url, MaxNumberOfMessages=1)["Messages"]
    assert a1["Body"] == "a1"
    send(sqs, fifo_queue_url, "b1", group="B")

    # a2 waits behind a1; group B is free.
    response = sqs.receive_message(QueueUrl=fifo_queue_url, MaxNumberOfMessages=10)
    assert bodies(response["Messages"]) == ["b1"]
    receive_nothing(sqs, fifo_queue_url)

    sqs.delete_message(QueueUrl=fifo_queue_url, ReceiptHandle=a1["ReceiptHandle"])
    assert bodies(receive_all(sqs, fifo_queue_url, 1)) == ["a2"]


def test_different_groups_are_delivered_independently(sqs, fifo_queue_url):
    for i in range(3):
        send(sqs, fifo_queue_url, f"x{i}", group="X")
        send(sqs, fifo_queue_url, f"y{i}", group="Y")

    received = bodies(receive_all(sqs, fifo_queue_url, 6))

    assert [b for b in received if b.startswith("x")] == ["x0", "x1", "x2"]
    assert [b for b in received if b.startswith("y")] == ["y0", "y1", "y2"]


def test_send_returns_increasing_sequence_numbers(sqs, fifo_queue_url):
    numbers = [send(sqs, fifo_queue_url, f"s{i}")["SequenceNumber"] for i in range(3)]

    assert all(n.isdigit() for n in numbers)
    assert [int(n) for n in numbers] == sorted(int(n) for n in numbers)
    assert len(set(numbers)) == 3


def test_received_fifo_message_carries_group_dedup_and_sequence_attributes(sqs, fifo_queue_url):
    sent = send(sqs, fifo_queue_url, "attrs", group="group-1", dedup="dedup-1")

    message = receive_one(sqs, fifo_queue_url, MessageSystemAttributeNames=["All"])

    attributes = message["Attributes"]
    assert attributes["MessageGroupId"] == "group-1"
    assert attributes["MessageDeduplicationId"] == "dedup-1"
    assert attributes["SequenceNumber"] == sent["SequenceNumber"]
    assert attributes["ApproximateReceiveCount"] == "1"
    assert {"SenderId", "SentTimestamp", "ApproximateFirstReceiveTimestamp"} <= set(attributes)


def test_retried_receive_with_the_same_attempt_id_returns_the_same_messages(
        sqs, fifo_queue_url):
    for body in ("r1", "r2"):
        send(sqs, fifo_queue_url, body)

    first = sqs.receive_message(QueueUrl=fifo_queue_url, MaxNumberOfMessages=10,
                                ReceiveRequestAttemptId="attempt-1")["Messages"]
    retried = sqs.receive_message(QueueUrl=fifo_queue_url, MaxNumberOfMessages=10,
                                  ReceiveRequestAttemptId="attempt-1")["Messages"]

    assert [(m["MessageId"], m["ReceiptHandle"]) for m in retried] == \
        [(m["MessageId"], m["ReceiptHandle"]) for m in first]


def test_delete_with_an_expired_receipt_handle_is_rejected_on_fifo_queues(sqs, fifo_queue_url):
    send(sqs, fifo_queue_url, "g1-m1")
    [message] = sqs.receive_message(QueueUrl=fifo_queue_url, VisibilityTimeout=1)["Messages"]
    time.sleep(1.5)  # the visibility timeout, and with it the handle, expires

    with raises_aws("InvalidParameterValue", status=400):
        sqs.delete_message(QueueUrl=fifo_queue_url, ReceiptHandle=message["ReceiptHandle"])


def test_same_deduplication_id_is_delivered_once(sqs, fifo_queue_url):
    first = send(sqs, fifo_queue_url, "one", dedup="same-id")
    second = send(sqs, fifo_queue_url, "two", dedup="same-id")

    assert first["MD5OfMessageBody"] == md5_hex("one")
    assert second["MessageId"]
    assert bodies(receive_all(sqs, fifo_queue_url, 1)) == ["one"]
    receive_nothing(sqs, fifo_queue_url)


def test_deduplication_id_is_remembered_after_the_message_is_deleted(sqs, fifo_queue_url):
    send(sqs, fifo_queue_url, "once", dedup="kept")
    message = receive_one(sqs, fifo_queue_url)
    sqs.delete_message(QueueUrl=fifo_queue_url, ReceiptHandle=message["ReceiptHandle"])

    send(sqs, fifo_queue_url, "once", dedup="kept")

    receive_nothing(sqs, fifo_queue_url)


def test_deduplication_spans_message_groups_with_queue_scope(sqs, fifo_queue_url):
    send(sqs, fifo_queue_url, "g1", group="one", dedup="shared")
    send(sqs, fifo_queue_url, "g2", group="two", dedup="shared")

    assert bodies(receive_all(sqs, fifo_queue_url, 1)) == ["g1"]
    receive_nothing(sqs, fifo_queue_url)


def test_content_based_deduplication_uses_the_body(sqs, create_queue):
    url = create_queue(fifo=True, ContentBasedDeduplication="true")

    for body in ("same body", "same body", "other body"):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g")

    assert bodies(receive_all(sqs, url, 2)) == ["same body", "other body"]
    receive_nothing(sqs, url)


def test_content_based_deduplication_id_is_the_sha256_of_the_body(sqs, create_queue):
    url = create_queue(fifo=True, ContentBasedDeduplication="true")
    sqs.send_message(QueueUrl=url, MessageBody="hash me", MessageGroupId="g")

    message = receive_one(sqs, url, MessageSystemAttributeNames=["MessageDeduplicationId"])

    assert message["Attributes"]["MessageDeduplicationId"] == \
        hashlib.sha256(b"hash me").hexdigest()


def test_explicit_deduplication_id_wins_over_content(sqs, create_queue):
    url = create_queue(fifo=True, ContentBasedDeduplication="true")

    sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g",
                     MessageDeduplicationId="a")
    sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g",
                     MessageDeduplicationId="b")

    assert bodies(receive_all(sqs, url, 2)) == ["same", "same"]


def test_fifo_send_without_group_id_is_missing_parameter(sqs, fifo_queue_url):
    with raises_aws("MissingParameter", status=400):
        sqs.send_message(QueueUrl=fifo_queue_url, MessageBody="x", MessageDeduplicationId="d")


def test_fifo_send_without_deduplication_id_needs_content_based_deduplication(
        sqs, fifo_queue_url):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.send_message(QueueUrl=fifo_queue_url, MessageBody="x", MessageGroupId="g")


def test_per_message_delay_is_not_allowed_on_fifo_queues(sqs, fifo_queue_url):
    with raises_aws("InvalidParameterValue", status=400):
        send(sqs, fifo_queue_url, "x", DelaySeconds=2)


def test_fifo_batch_returns_sequence_numbers_and_keeps_order(sqs, fifo_queue_url):
    response = sqs.send_message_batch(QueueUrl=fifo_queue_url, Entries=[
        {"Id": f"e{i}", "MessageBody": f"b{i}", "MessageGroupId": "g",
         "MessageDeduplicationId": f"d{i}"} for i in range(5)])

    assert response.get("Failed", []) == []
    numbers = [entry["SequenceNumber"] for entry in response["Successful"]]
    assert len(numbers) == 5 and all(n.isdigit() for n in numbers)
    assert bodies(receive_all(sqs, fifo_queue_url, 5)) == [f"b{i}" for i in range(5)]


def test_fifo_batch_without_group_id_is_rejected(sqs, fifo_queue_url):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.send_message_batch(QueueUrl=fifo_queue_url, Entries=[
            {"Id": "e", "MessageBody": "b", "MessageDeduplicationId": "d"}])


def test_create_fifo_queue_with_different_deduplication_setting_already_exists(sqs):
    sqs.create_queue(QueueName="dedup.fifo", Attributes={"FifoQueue": "true"})

    with raises_aws("QueueAlreadyExists", status=400):
        sqs.create_queue(QueueName="dedup.fifo", Attributes={
            "FifoQueue": "true", "ContentBasedDeduplication": "true"})


@pytest.mark.parametrize("attributes", [
    {"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"},
    {"DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"},
])
def test_high_throughput_fifo_attributes_round_trip(sqs, create_queue, attributes):
    url = create_queue(fifo=True, **attributes)

    stored = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(attributes))

    assert stored["Attributes"] == attributes


def test_message_group_deduplication_scope_allows_same_id_in_other_groups(sqs, create_queue):
    url = create_queue(fifo=True, DeduplicationScope="messageGroup",
                       FifoThroughputLimit="perMessageGroupId")

    send(sqs, url, "g1", group="one", dedup="shared")
    send(sqs, url, "g2", group="two", dedup="shared")

    assert sorted(bodies(receive_all(sqs, url, 2))) == ["g1", "g2"]
