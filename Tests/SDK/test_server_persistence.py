"""With `--data-dir`, queues and messages live in SQLite and survive restarts and
crashes. Each test runs its own servers on a temporary data directory."""

from pathlib import Path

import pytest

from support.clients import make_client
from support.sqs import md5_of_attributes, peek, receive_all

pytestmark = pytest.mark.own_server

ATTRIBUTES = {"origin": {"DataType": "String", "StringValue": "before restart"},
              "raw": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}}


def test_health_reports_the_data_file_inside_the_data_dir(offcloud_factory, tmp_path):
    server = offcloud_factory(data_dir=tmp_path)

    status, health = server.health()

    assert status == 200
    assert health["services"]["sqs"] == "running"
    assert health["version"]
    data_file = Path(health["dataFile"])
    assert data_file.resolve().parent == tmp_path.resolve()
    assert data_file.exists()


def test_queue_and_message_survive_a_graceful_restart(offcloud_factory, tmp_path):
    first = offcloud_factory(data_dir=tmp_path, name="first")
    sqs = make_client(first.endpoint)
    url = sqs.create_queue(QueueName="durable", Attributes={"VisibilityTimeout": "17"},
                           tags={"keep": "me"})["QueueUrl"]
    sent = sqs.send_message(QueueUrl=url, MessageBody="remember me", MessageAttributes=ATTRIBUTES)

    assert first.stop() == 0  # SIGTERM is a clean shutdown

    second = offcloud_factory(data_dir=tmp_path, name="second")
    sqs = make_client(second.endpoint)
    url = sqs.get_queue_url(QueueName="durable")["QueueUrl"]
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])[
        "Attributes"] == {"VisibilityTimeout": "17"}
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"keep": "me"}
    [message] = receive_all(sqs, url, 1, MessageAttributeNames=["All"])
    assert message["MessageId"] == sent["MessageId"]
    assert message["Body"] == "remember me"
    assert message["MessageAttributes"] == ATTRIBUTES
    assert message["MD5OfMessageAttributes"] == md5_of_attributes(ATTRIBUTES)


def test_acknowledged_message_survives_a_crash(offcloud_factory, tmp_path):
    first = offcloud_factory(data_dir=tmp_path, name="first")
    sqs = make_client(first.endpoint)
    url = sqs.create_queue(QueueName="crash")["QueueUrl"]
    sent = sqs.send_message(QueueUrl=url, MessageBody="acknowledged")

    first.process.kill()  # SIGKILL: no chance to flush anything
    first.process.wait(timeout=10)
    first.stop()

    second = offcloud_factory(data_dir=tmp_path, name="second")
    sqs = make_client(second.endpoint)
    url = sqs.get_queue_url(QueueName="crash")["QueueUrl"]
    assert [m["MessageId"] for m in receive_all(sqs, url, 1)] == [sent["MessageId"]]


def test_deleted_messages_and_queues_stay_deleted_after_restart(offcloud_factory, tmp_path):
    first = offcloud_factory(data_dir=tmp_path, name="first")
    sqs = make_client(first.endpoint)
    kept = sqs.create_queue(QueueName="kept")["QueueUrl"]
    gone = sqs.create_queue(QueueName="gone")["QueueUrl"]
    for body in ("delete me", "keep me"):
        sqs.send_message(QueueUrl=kept, MessageBody=body)
    for message in receive_all(sqs, kept, 2):
        if message["Body"] == "delete me":
            sqs.delete_message(QueueUrl=kept, ReceiptHandle=message["ReceiptHandle"])
    sqs.delete_queue(QueueUrl=gone)
    first.stop()

    second = offcloud_factory(data_dir=tmp_path, name="second")
    sqs = make_client(second.endpoint)

    assert [u.rsplit("/", 1)[1] for u in sqs.list_queues()["QueueUrls"]] == ["kept"]
    kept = sqs.get_queue_url(QueueName="kept")["QueueUrl"]
    assert [m["Body"] for m in peek(second.endpoint, kept)] == ["keep me"]


def test_in_memory_servers_share_nothing(offcloud_factory):
    one, two = offcloud_factory(name="one"), offcloud_factory(name="two")

    make_client(one.endpoint).create_queue(QueueName="only-in-one")

    assert make_client(two.endpoint).list_queues().get("QueueUrls", []) == []
