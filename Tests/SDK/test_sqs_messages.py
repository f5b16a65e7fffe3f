"""Sending, receiving and deleting single messages through boto3: checksums, message
and system attributes, visibility, delays, long polling, limits and purging."""

import threading
import time

import pytest

from support.sqs import (
    md5_hex, md5_of_attributes, raises_aws, receive_all, receive_nothing, receive_one,
    wait_until, attribute, peek,
)

MIB = 1024 * 1024


# --- send and receive ------------------------------------------------------------

def test_send_then_receive_returns_the_same_message(sqs, queue_url):
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="hello world")

    assert sent["MD5OfMessageBody"] == md5_hex("hello world")
    assert "MD5OfMessageAttributes" not in sent
    assert "SequenceNumber" not in sent

    [message] = sqs.receive_message(QueueUrl=queue_url)["Messages"]
    assert message["MessageId"] == sent["MessageId"]
    assert message["Body"] == "hello world"
    assert message["MD5OfBody"] == md5_hex("hello world")
    assert message["ReceiptHandle"]
    assert "Attributes" not in message
    assert "MessageAttributes" not in message


def test_message_ids_are_unique(sqs, queue_url):
    ids = {sqs.send_message(QueueUrl=queue_url, MessageBody="x")["MessageId"] for _ in range(20)}

    assert len(ids) == 20


@pytest.mark.parametrize("body", [
    "héllo wörld ✓ 日本語 🚀",
    "tab\tnewline\ncarriage\rreturn",
    '{"json": ["with", "quotes"], "n": 1.50}',
    "<xml attr=\"1\">&amp; 'quoted' </xml>",
    "edge \ud7ff \ue000 \ufffd \U00010000 \U0010ffff",
    " leading and trailing spaces ",
])
def test_bodies_with_allowed_characters_round_trip_exactly(sqs, queue_url, body):
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody=body)

    message = receive_one(sqs, queue_url)
    assert message["Body"] == body
    assert sent["MD5OfMessageBody"] == md5_hex(body) == message["MD5OfBody"]


@pytest.mark.parametrize("body", ["nul \u0000 char", "bell \u0007", "unit sep \u001f",
                                  "not a char \ufffe", "not a char \uffff"])
def test_bodies_with_characters_outside_the_allowed_set_are_rejected(sqs, queue_url, body):
    with raises_aws("InvalidMessageContents", status=400):
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)

    assert peek(sqs.meta.endpoint_url, queue_url) == []


def test_send_message_without_body_is_missing_parameter(sqs_unvalidated, queue_url):
    with raises_aws("MissingParameter", status=400):
        sqs_unvalidated.send_message(QueueUrl=queue_url)


# --- message attributes ----------------------------------------------------------

ATTRIBUTES = {
    "text": {"DataType": "String", "StringValue": "héllo"},
    "count": {"DataType": "Number", "StringValue": "42"},
    "ratio": {"DataType": "Number.float", "StringValue": "-1.5e3"},
    "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xff binary"},
    "custom": {"DataType": "String.custom", "StringValue": "labelled"},
    "picture": {"DataType": "Binary.gif", "BinaryValue": b"GIF89a"},
}


def test_send_message_reports_md5_of_its_attributes(sqs, queue_url):
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="attrs",
                            MessageAttributes=ATTRIBUTES)

    assert sent["MD5OfMessageBody"] == md5_hex("attrs")
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(ATTRIBUTES)


def test_receive_returns_all_message_attributes_with_their_md5(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="attrs", MessageAttributes=ATTRIBUTES)

    [message] = sqs.receive_message(QueueUrl=queue_url,
                                    MessageAttributeNames=["All"])["Messages"]

    assert message["MessageAttributes"] == ATTRIBUTES
    assert message["MD5OfMessageAttributes"] == md5_of_attributes(ATTRIBUTES)


def test_single_attribute_md5_matches_the_value_aws_computes(sqs, queue_url):
    # The digest SQS itself returns for this attribute.
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="msg", MessageAttributes={
        "Foo": {"DataType": "String", "StringValue": "Bar"}})

    assert sent["MD5OfMessageAttributes"] == "ae7155c6026991b6d54b11589678bf9c"


FILTER_ATTRIBUTES = {
    "foo.alpha": {"DataType": "String", "StringValue": "a"},
    "foo.beta": {"DataType": "Number", "StringValue": "2"},
    "food": {"DataType": "String", "StringValue": "not foo-dot"},
    "bar": {"DataType": "String", "StringValue": "b"},
}


@pytest.mark.parametrize("names,expected", [
    (["All"], set(FILTER_ATTRIBUTES)),
    ([".*"], set(FILTER_ATTRIBUTES)),
    (["foo.*"], {"foo.alpha", "foo.beta"}),
    (["bar", "foo.beta"], {"bar", "foo.beta"}),
    (["bar", "does-not-exist"], {"bar"}),
])
def test_message_attribute_names_select_attributes(sqs, queue_url, names, expected):
    sqs.send_message(QueueUrl=queue_url, MessageBody="filters",
                     MessageAttributes=FILTER_ATTRIBUTES)

    [message] = sqs.receive_message(QueueUrl=queue_url,
                                    MessageAttributeNames=names)["Messages"]

    chosen = {name: FILTER_ATTRIBUTES[name] for name in expected}
    assert message["MessageAttributes"] == chosen
    # The digest covers exactly the attributes returned.
    assert message["MD5OfMessageAttributes"] == md5_of_attributes(chosen)


def test_message_attribute_names_matching_nothing_return_no_attributes(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="filters",
                     MessageAttributes=FILTER_ATTRIBUTES)

    [message] = sqs.receive_message(QueueUrl=queue_url,
                                    MessageAttributeNames=["nothing-like-it"])["Messages"]

    assert message.get("MessageAttributes", {}) == {}
    assert "MD5OfMessageAttributes" not in message


def test_attribute_with_empty_string_value_is_rejected(sqs, queue_url):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.send_message(QueueUrl=queue_url, MessageBody="x", MessageAttributes={
            "empty": {"DataType": "String", "StringValue": ""}})


def test_more_than_ten_message_attributes_are_rejected(sqs, queue_url):
    attributes = {f"a{i}": {"DataType": "String", "StringValue": "v"} for i in range(11)}

    with raises_aws("InvalidParameterValue", status=400):
        sqs.send_message(QueueUrl=queue_url, MessageBody="x", MessageAttributes=attributes)


def test_ten_message_attributes_are_allowed(sqs, queue_url):
    attributes = {f"a{i}": {"DataType": "String", "StringValue": "v"} for i in range(10)}

    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="x", MessageAttributes=attributes)

    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(attributes)


@pytest.mark.parametrize("name", ["AWS.reserved", "Amazon.reserved", "aws.lowercase",
                                  ".leading", "trailing.", "double..dot", "has space",
                                  "x" * 257])
def test_invalid_message_attribute_names_are_rejected(sqs, queue_url, name):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.send_message(QueueUrl=queue_url, MessageBody="x", MessageAttributes={
            name: {"DataType": "String", "StringValue": "v"}})


@pytest.mark.parametrize("value", [
    {"DataType": "Strin", "StringValue": "typo in the type"},
    {"DataType": "Number", "StringValue": "not a number"},
    {"DataType": "String"},
    {"DataType": "Binary", "StringValue": "string for a binary"},
])
def test_invalid_message_attribute_values_are_rejected(sqs, queue_url, value):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.send_message(QueueUrl=queue_url, MessageBody="x", MessageAttributes={"a": value})


def test_aws_trace_header_system_attribute_round_trips_with_its_md5(sqs, queue_url):
    trace = {"AWSTraceHeader": {
        "DataType": "String",
        "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}}

    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="traced",
                            MessageSystemAttributes=trace)

    assert sent["MD5OfMessageSystemAttributes"] == md5_of_attributes(trace)
    [message] = sqs.receive_message(QueueUrl=queue_url,
                                    MessageSystemAttributeNames=["AWSTraceHeader"])["Messages"]
    assert message["Attributes"] == {"AWSTraceHeader": trace["AWSTraceHeader"]["StringValue"]}


# --- system attributes on receive ------------------------------------------------

def test_receive_with_all_system_attributes(sqs, queue_url):
    before_ms = int(time.time() * 1000)
    sqs.send_message(QueueUrl=queue_url, MessageBody="sys")

    [message] = sqs.receive_message(QueueUrl=queue_url,
                                    MessageSystemAttributeNames=["All"])["Messages"]
    after_ms = int(time.time() * 1000)

    attributes = message["Attributes"]
    assert set(attributes) == {"SenderId", "SentTimestamp", "ApproximateReceiveCount",
                               "ApproximateFirstReceiveTimestamp"}
    assert attributes["ApproximateReceiveCount"] == "1"
    assert attributes["SenderId"]
    sent = int(attributes["SentTimestamp"])
    first = int(attributes["ApproximateFirstReceiveTimestamp"])
    assert before_ms - 1000 <= sent <= first <= after_ms + 1000


def test_legacy_attribute_names_parameter_still_selects_system_attributes(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="sys")

    [message] = sqs.receive_message(QueueUrl=queue_url,
                                    AttributeNames=["ApproximateReceiveCount"])["Messages"]

    assert message["Attributes"] == {"ApproximateReceiveCount": "1"}


def test_receive_returns_only_the_system_attributes_asked_for(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="sys")

    [message] = sqs.receive_message(
        QueueUrl=queue_url, MessageSystemAttributeNames=["SentTimestamp", "SenderId"])["Messages"]

    assert set(message["Attributes"]) == {"SentTimestamp", "SenderId"}


def test_receive_count_grows_while_first_receive_timestamp_stays(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="again")

    first = receive_one(sqs, queue_url, VisibilityTimeout=0,
                        MessageSystemAttributeNames=["All"])["Attributes"]
    second = receive_one(sqs, queue_url, VisibilityTimeout=0,
                         MessageSystemAttributeNames=["All"])["Attributes"]

    assert (first["ApproximateReceiveCount"], second["ApproximateReceiveCount"]) == ("1", "2")
    assert second["ApproximateFirstReceiveTimestamp"] == first["ApproximateFirstReceiveTimestamp"]
    assert second["SentTimestamp"] == first["SentTimestamp"]


# --- MaxNumberOfMessages ---------------------------------------------------------

def test_receive_returns_one_message_by_default(sqs, queue_url):
    for i in range(5):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"m{i}")

    assert len(sqs.receive_message(QueueUrl=queue_url)["Messages"]) == 1


def test_receive_returns_at_most_max_number_of_messages(sqs, queue_url):
    for i in range(15):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"m{i}")

    batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    assert 1 <= len(batch) <= 10
    rest = receive_all(sqs, queue_url, 15 - len(batch))
    bodies = [m["Body"] for m in batch + rest]
    assert sorted(bodies) == sorted(f"m{i}" for i in range(15))


def test_receive_visibility_timeout_beyond_twelve_hours_is_rejected(sqs, queue_url):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=43201)


@pytest.mark.parametrize("value", [0, 11])
def test_max_number_of_messages_out_of_range_is_rejected(sqs, queue_url, value):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=value)


def test_wait_time_above_twenty_seconds_is_rejected(sqs, queue_url):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=21)


def test_receive_on_empty_queue_returns_no_messages(sqs, queue_url):
    response = sqs.receive_message(QueueUrl=queue_url)

    assert response.get("Messages", []) == []


def test_concurrent_receivers_never_share_an_in_flight_message(sqs, client_factory, queue_url):
    for start in range(0, 50, 10):
        sqs.send_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "MessageBody": f"m{i}"} for i in range(start, start + 10)])
    received, lock = [], threading.Lock()

    def consume():
        client = client_factory()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with lock:
                if len(received) >= 50:
                    return
            messages = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                              WaitTimeSeconds=1).get("Messages", [])
            with lock:
                received.extend(m["MessageId"] for m in messages)

    threads = [threading.Thread(target=consume) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert len(received) == 50
    assert len(set(received)) == 50


# --- visibility ------------------------------------------------------------------

def test_received_message_is_hidden_until_the_visibility_timeout_expires(sqs, create_queue):
    url = create_queue(VisibilityTimeout=1)
    sqs.send_message(QueueUrl=url, MessageBody="hide me")

    first = receive_one(sqs, url)
    receive_nothing(sqs, url)

    again = receive_one(sqs, url, timeout=5,
                        MessageSystemAttributeNames=["ApproximateReceiveCount"])
    assert again["MessageId"] == first["MessageId"]
    assert again["Attributes"]["ApproximateReceiveCount"] == "2"
    assert again["ReceiptHandle"] != first["ReceiptHandle"]


def test_receive_visibility_timeout_overrides_the_queue_default(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="short")

    receive_one(sqs, queue_url, VisibilityTimeout=1)
    receive_nothing(sqs, queue_url)

    assert receive_one(sqs, queue_url, timeout=5)["Body"] == "short"


def test_visibility_timeout_zero_leaves_the_message_visible(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="stay")

    receive_one(sqs, queue_url, VisibilityTimeout=0)

    assert receive_one(sqs, queue_url, timeout=1)["Body"] == "stay"


def test_in_flight_message_is_reported_not_visible(sqs, endpoint, queue_url):
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="peek")
    receive_one(sqs, queue_url)

    [stored] = peek(endpoint, queue_url)

    assert stored["MessageId"] == sent["MessageId"]
    assert stored["Body"] == "peek"
    assert stored["Visible"] is False
    assert stored["ReceiveCount"] == 1


def test_change_message_visibility_to_zero_makes_the_message_visible_again(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="release")
    handle = receive_one(sqs, queue_url)["ReceiptHandle"]
    receive_nothing(sqs, queue_url)

    sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=handle, VisibilityTimeout=0)

    assert receive_one(sqs, queue_url, timeout=1)["Body"] == "release"


def test_change_message_visibility_extends_the_timeout(sqs, endpoint, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="extend")
    handle = receive_one(sqs, queue_url, VisibilityTimeout=1)["ReceiptHandle"]

    sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=handle, VisibilityTimeout=60)
    time.sleep(1.5)

    receive_nothing(sqs, queue_url)
    assert [m["Visible"] for m in peek(endpoint, queue_url)] == [False]


def test_change_message_visibility_with_garbage_handle_is_rejected(sqs, queue_url):
    with raises_aws("ReceiptHandleIsInvalid"):
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle="not-a-handle",
                                      VisibilityTimeout=10)


def test_change_message_visibility_beyond_twelve_hours_is_rejected(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="long")
    handle = receive_one(sqs, queue_url)["ReceiptHandle"]

    with raises_aws("InvalidParameterValue", status=400):
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=handle,
                                      VisibilityTimeout=43201)


# --- delete ----------------------------------------------------------------------

def test_delete_message_removes_it_for_good(sqs, endpoint, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="bye")
    handle = receive_one(sqs, queue_url, VisibilityTimeout=0)["ReceiptHandle"]

    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=handle)

    assert peek(endpoint, queue_url) == []
    receive_nothing(sqs, queue_url)
    assert attribute(sqs, queue_url, "ApproximateNumberOfMessages") == "0"
    assert attribute(sqs, queue_url, "ApproximateNumberOfMessagesNotVisible") == "0"


def test_deleting_an_already_deleted_message_succeeds(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="twice")
    handle = receive_one(sqs, queue_url)["ReceiptHandle"]
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=handle)

    response = sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=handle)

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_delete_message_with_garbage_handle_is_rejected(sqs, queue_url):
    with raises_aws("ReceiptHandleIsInvalid"):
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle="definitely-not-a-receipt-handle")


def test_receipt_handle_of_one_queue_does_not_delete_from_another(sqs, endpoint, create_queue):
    first, second = create_queue(), create_queue()
    sqs.send_message(QueueUrl=first, MessageBody="first")
    sqs.send_message(QueueUrl=second, MessageBody="second")
    handle = receive_one(sqs, first)["ReceiptHandle"]

    try:
        sqs.delete_message(QueueUrl=second, ReceiptHandle=handle)
    except sqs.exceptions.ClientError as error:
        assert error.response["Error"]["Code"] == "ReceiptHandleIsInvalid"

    assert [m["Body"] for m in peek(endpoint, second)] == ["second"]


# --- delays ----------------------------------------------------------------------

def test_per_message_delay_hides_the_message_until_it_elapses(sqs, queue_url):
    sent_at = time.monotonic()
    sqs.send_message(QueueUrl=queue_url, MessageBody="later", DelaySeconds=1)

    receive_nothing(sqs, queue_url)
    assert attribute(sqs, queue_url, "ApproximateNumberOfMessagesDelayed") == "1"

    assert receive_one(sqs, queue_url, timeout=5)["Body"] == "later"
    assert time.monotonic() - sent_at >= 0.8
    assert attribute(sqs, queue_url, "ApproximateNumberOfMessagesDelayed") == "0"


def test_queue_delay_applies_to_every_message(sqs, create_queue):
    url = create_queue(DelaySeconds=1)
    sent_at = time.monotonic()
    sqs.send_message(QueueUrl=url, MessageBody="queued late")

    receive_nothing(sqs, url)

    assert receive_one(sqs, url, timeout=5)["Body"] == "queued late"
    assert time.monotonic() - sent_at >= 0.8


def test_per_message_delay_overrides_the_queue_delay(sqs, create_queue):
    url = create_queue(DelaySeconds=60)

    sqs.send_message(QueueUrl=url, MessageBody="now", DelaySeconds=0)

    assert receive_one(sqs, url, timeout=1)["Body"] == "now"


@pytest.mark.parametrize("delay", [-1, 901])
def test_delay_out_of_range_is_rejected(sqs, queue_url, delay):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.send_message(QueueUrl=queue_url, MessageBody="x", DelaySeconds=delay)


# --- long polling ----------------------------------------------------------------

def test_long_poll_wakes_up_when_a_message_arrives(sqs, client_factory, queue_url):
    receiver = client_factory()
    outcome = {}

    def receive():
        started = time.monotonic()
        outcome["response"] = receiver.receive_message(QueueUrl=queue_url, WaitTimeSeconds=10)
        outcome["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=receive)
    thread.start()
    time.sleep(1)
    sqs.send_message(QueueUrl=queue_url, MessageBody="wake up")
    thread.join(timeout=15)

    assert not thread.is_alive()
    # Without a wake-up the poll would run its full 10 s and come back empty.
    assert [m["Body"] for m in outcome["response"]["Messages"]] == ["wake up"]


def test_each_waiting_long_poll_gets_its_own_message(sqs, client_factory, queue_url):
    results, threads = [], []

    def receive():
        response = client_factory().receive_message(QueueUrl=queue_url, WaitTimeSeconds=10)
        results.append([m["Body"] for m in response.get("Messages", [])])

    for _ in range(2):
        threads.append(threading.Thread(target=receive))
        threads[-1].start()
    time.sleep(0.5)
    sqs.send_message(QueueUrl=queue_url, MessageBody="one")
    sqs.send_message(QueueUrl=queue_url, MessageBody="two")
    for thread in threads:
        thread.join(timeout=15)

    # Each poll returns as soon as it has a message (one each: MaxNumberOfMessages=1);
    # a poll that woke up too late may come back empty only once its wait runs out.
    assert sorted(body for bodies in results for body in bodies) == ["one", "two"]


def test_long_poll_on_an_empty_queue_returns_nothing_after_waiting(sqs, queue_url):
    started = time.monotonic()

    response = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)

    assert response.get("Messages", []) == []
    assert time.monotonic() - started >= 0.8


def test_queue_receive_wait_time_makes_every_receive_a_long_poll(sqs, create_queue):
    url = create_queue(ReceiveMessageWaitTimeSeconds=1)
    started = time.monotonic()

    assert sqs.receive_message(QueueUrl=url).get("Messages", []) == []
    assert time.monotonic() - started >= 0.8


def test_long_poll_returns_a_delayed_message_once_it_becomes_visible(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="soon", DelaySeconds=1)

    response = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=5)

    assert [m["Body"] for m in response.get("Messages", [])] == ["soon"]


# --- size limits -----------------------------------------------------------------

def test_message_of_exactly_the_maximum_size_is_accepted(sqs, queue_url):
    body = "a" * MIB

    sent = sqs.send_message(QueueUrl=queue_url, MessageBody=body)

    assert sent["MD5OfMessageBody"] == md5_hex(body)
    assert receive_one(sqs, queue_url)["Body"] == body


def test_message_over_the_maximum_size_is_rejected(sqs, queue_url):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.send_message(QueueUrl=queue_url, MessageBody="a" * (MIB + 1))


def test_size_limit_counts_bytes_not_characters(sqs, create_queue):
    url = create_queue(MaximumMessageSize=1024)

    sqs.send_message(QueueUrl=url, MessageBody="é" * 512)  # 1024 bytes
    with raises_aws("InvalidParameterValue", status=400):
        sqs.send_message(QueueUrl=url, MessageBody="é" * 513)  # 1026 bytes


def test_queue_maximum_message_size_is_enforced(sqs, create_queue):
    url = create_queue(MaximumMessageSize=1024)

    sqs.send_message(QueueUrl=url, MessageBody="b" * 1024)
    with raises_aws("InvalidParameterValue", status=400):
        sqs.send_message(QueueUrl=url, MessageBody="b" * 1025)


def test_message_attributes_count_towards_the_size_limit(sqs, create_queue):
    url = create_queue(MaximumMessageSize=1024)

    with raises_aws("InvalidParameterValue", status=400):
        sqs.send_message(QueueUrl=url, MessageBody="c" * 1000, MessageAttributes={
            "attribute-name": {"DataType": "String", "StringValue": "v" * 30}})


# --- purge -----------------------------------------------------------------------

def test_purge_queue_deletes_visible_and_in_flight_messages(sqs, endpoint, queue_url):
    for i in range(3):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"m{i}")
    receive_one(sqs, queue_url)

    sqs.purge_queue(QueueUrl=queue_url)

    wait_until(lambda: peek(endpoint, queue_url) == [], timeout=5, message="purge")
    receive_nothing(sqs, queue_url)


def test_queue_accepts_messages_after_a_purge(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="old")
    sqs.purge_queue(QueueUrl=queue_url)

    sqs.send_message(QueueUrl=queue_url, MessageBody="new")

    assert [m["Body"] for m in receive_all(sqs, queue_url, 1)] == ["new"]


def test_second_purge_within_sixty_seconds_is_rejected(sqs, queue_url):
    sqs.purge_queue(QueueUrl=queue_url)

    with pytest.raises(sqs.exceptions.PurgeQueueInProgress) as info:
        sqs.purge_queue(QueueUrl=queue_url)

    assert info.value.response["Error"]["Code"] == "AWS.SimpleQueueService.PurgeQueueInProgress"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
