"""SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch: results per
entry, partial failures, and the rules every batch must follow."""

import pytest

from support.sqs import (
    md5_hex, md5_of_attributes, peek, raises_aws, receive_all, receive_nothing, receive_one,
)

MIB = 1024 * 1024


def received_handles(sqs, url, count, **args):
    return [m["ReceiptHandle"] for m in receive_all(sqs, url, count, **args)]


# --- SendMessageBatch ------------------------------------------------------------

def test_send_message_batch_reports_each_entry(sqs, queue_url):
    entries = [{"Id": f"entry-{i}", "MessageBody": f"body {i}"} for i in range(10)]

    response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)

    assert response.get("Failed", []) == []
    successful = {entry["Id"]: entry for entry in response["Successful"]}
    assert set(successful) == {e["Id"] for e in entries}
    for entry in entries:
        assert successful[entry["Id"]]["MD5OfMessageBody"] == md5_hex(entry["MessageBody"])
        assert successful[entry["Id"]]["MessageId"]
    received = receive_all(sqs, queue_url, 10)
    assert sorted(m["Body"] for m in received) == sorted(e["MessageBody"] for e in entries)
    assert {m["MessageId"] for m in received} == {s["MessageId"] for s in successful.values()}


def test_send_message_batch_reports_md5_of_each_entrys_attributes(sqs, queue_url):
    attributes = {"kind": {"DataType": "String", "StringValue": "batch"},
                  "raw": {"DataType": "Binary", "BinaryValue": b"\x01\x02"}}

    response = sqs.send_message_batch(QueueUrl=queue_url, Entries=[
        {"Id": "with", "MessageBody": "a", "MessageAttributes": attributes},
        {"Id": "without", "MessageBody": "b"},
    ])

    results = {entry["Id"]: entry for entry in response["Successful"]}
    assert results["with"]["MD5OfMessageAttributes"] == md5_of_attributes(attributes)
    assert "MD5OfMessageAttributes" not in results["without"]


def test_send_message_batch_applies_per_entry_delay(sqs, queue_url):
    sqs.send_message_batch(QueueUrl=queue_url, Entries=[
        {"Id": "now", "MessageBody": "now"},
        {"Id": "later", "MessageBody": "later", "DelaySeconds": 120},
    ])

    assert [m["Body"] for m in receive_all(sqs, queue_url, 1)] == ["now"]
    receive_nothing(sqs, queue_url)


def test_send_message_batch_fails_only_the_bad_entries(sqs, endpoint, queue_url):
    response = sqs.send_message_batch(QueueUrl=queue_url, Entries=[
        {"Id": "good", "MessageBody": "fine"},
        {"Id": "bad", "MessageBody": "nul \u0000 inside"},
    ])

    assert [entry["Id"] for entry in response["Successful"]] == ["good"]
    [failed] = response["Failed"]
    assert failed["Id"] == "bad"
    assert failed["Code"] == "InvalidMessageContents"
    assert failed["SenderFault"] is True
    assert [m["Body"] for m in peek(endpoint, queue_url)] == ["fine"]


def test_batch_whose_total_size_exceeds_the_limit_is_rejected(sqs, endpoint, queue_url):
    entries = [{"Id": f"e{i}", "MessageBody": "x" * 110_000} for i in range(10)]  # 1.1 MB

    with raises_aws("AWS.SimpleQueueService.BatchRequestTooLong", status=400):
        sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)

    assert peek(endpoint, queue_url) == []


def test_batch_of_exactly_the_size_limit_is_accepted(sqs, queue_url):
    entries = [{"Id": f"e{i}", "MessageBody": "x" * (MIB // 4)} for i in range(4)]

    response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)

    assert len(response["Successful"]) == 4


# --- rules shared by all batch operations ---------------------------------------

def send_batch(sqs, url, ids):
    return sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": i, "MessageBody": "body"} for i in ids])


def delete_batch(sqs, url, ids):
    return sqs.delete_message_batch(QueueUrl=url, Entries=[
        {"Id": i, "ReceiptHandle": "handle"} for i in ids])


def change_batch(sqs, url, ids):
    return sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
        {"Id": i, "ReceiptHandle": "handle", "VisibilityTimeout": 0} for i in ids])


BATCH_OPERATIONS = {"SendMessageBatch": send_batch, "DeleteMessageBatch": delete_batch,
                    "ChangeMessageVisibilityBatch": change_batch}


@pytest.fixture(params=sorted(BATCH_OPERATIONS))
def batch(request):
    return BATCH_OPERATIONS[request.param]


def test_batch_with_more_than_ten_entries_is_rejected(sqs, queue_url, batch):
    with raises_aws("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", status=400):
        batch(sqs, queue_url, [f"id{i}" for i in range(11)])


def test_batch_without_entries_is_rejected(sqs, queue_url, batch):
    with raises_aws("AWS.SimpleQueueService.EmptyBatchRequest", status=400):
        batch(sqs, queue_url, [])


def test_batch_with_repeated_entry_ids_is_rejected(sqs, queue_url, batch):
    with raises_aws("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", status=400):
        batch(sqs, queue_url, ["same", "other", "same"])


@pytest.mark.parametrize("bad_id", ["has space", "invalid:id", "dot.id", "x" * 81, ""])
def test_batch_with_invalid_entry_id_is_rejected(sqs, queue_url, batch, bad_id):
    with raises_aws("AWS.SimpleQueueService.InvalidBatchEntryId", status=400):
        batch(sqs, queue_url, ["fine", bad_id])


def test_entry_ids_may_use_letters_digits_hyphens_and_underscores(sqs, queue_url):
    ids = ["a", "Z-9_z", "x" * 80]

    response = send_batch(sqs, queue_url, ids)

    assert sorted(entry["Id"] for entry in response["Successful"]) == sorted(ids)


# --- DeleteMessageBatch ----------------------------------------------------------

def test_delete_message_batch_deletes_every_entry(sqs, endpoint, queue_url):
    for i in range(3):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"m{i}")
    handles = received_handles(sqs, queue_url, 3)

    response = sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
        {"Id": f"d{i}", "ReceiptHandle": handle} for i, handle in enumerate(handles)])

    assert sorted(entry["Id"] for entry in response["Successful"]) == ["d0", "d1", "d2"]
    assert response.get("Failed", []) == []
    assert peek(endpoint, queue_url) == []


def test_delete_message_batch_reports_invalid_handles_per_entry(sqs, endpoint, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="real")
    [handle] = received_handles(sqs, queue_url, 1)

    response = sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
        {"Id": "real", "ReceiptHandle": handle},
        {"Id": "fake", "ReceiptHandle": "garbage-handle"},
    ])

    assert [entry["Id"] for entry in response["Successful"]] == ["real"]
    [failed] = response["Failed"]
    assert failed["Id"] == "fake"
    assert failed["Code"] == "ReceiptHandleIsInvalid"
    assert failed["SenderFault"] is True
    assert peek(endpoint, queue_url) == []


# --- ChangeMessageVisibilityBatch ------------------------------------------------

def test_change_message_visibility_batch_releases_messages(sqs, queue_url):
    for i in range(2):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"m{i}")
    handles = received_handles(sqs, queue_url, 2)
    receive_nothing(sqs, queue_url)

    response = sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=[
        {"Id": f"c{i}", "ReceiptHandle": handle, "VisibilityTimeout": 0}
        for i, handle in enumerate(handles)])

    assert sorted(entry["Id"] for entry in response["Successful"]) == ["c0", "c1"]
    assert sorted(m["Body"] for m in receive_all(sqs, queue_url, 2)) == ["m0", "m1"]


def test_change_message_visibility_batch_reports_invalid_handles_per_entry(sqs, queue_url):
    sqs.send_message(QueueUrl=queue_url, MessageBody="real")
    [handle] = received_handles(sqs, queue_url, 1)

    response = sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=[
        {"Id": "real", "ReceiptHandle": handle, "VisibilityTimeout": 0},
        {"Id": "fake", "ReceiptHandle": "garbage-handle", "VisibilityTimeout": 0},
    ])

    assert [entry["Id"] for entry in response["Successful"]] == ["real"]
    [failed] = response["Failed"]
    assert (failed["Id"], failed["Code"], failed["SenderFault"]) == (
        "fake", "ReceiptHandleIsInvalid", True)
    assert receive_one(sqs, queue_url, timeout=1)["Body"] == "real"
