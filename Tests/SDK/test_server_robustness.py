"""Bad input and bad clients never take the server down or lose data.

Each test first stores a canary message, then misbehaves, then checks the server is
still healthy and the canary is still there.
"""

import json
import socket
import threading
import time
import urllib.parse

import pytest
import requests

from support.query import FORM_CONTENT_TYPE
from support.sqs import JSON_CONTENT_TYPE, json_call, json_error_code, md5_hex, peek

PLAUSIBLE_JSON_ERRORS = {"SerializationException", "InvalidParameterValue",
                         "ValidationException", "MalformedInput", "InvalidInput"}


@pytest.fixture
def canary(sqs):
    url = sqs.create_queue(QueueName="canary")["QueueUrl"]
    message_id = sqs.send_message(QueueUrl=url, MessageBody="still here")["MessageId"]
    return url, message_id


@pytest.fixture
def still_healthy(server, endpoint, canary):
    """Call at the end of a test: the server answers and the canary survived."""

    def check():
        assert server.is_running(), server.log_tail()
        status, body = server.health()
        assert status == 200
        assert body["services"]["sqs"] == "running"
        url, message_id = canary
        assert [(m["MessageId"], m["Body"]) for m in peek(endpoint, url)] == \
            [(message_id, "still here")]

    return check


def raw_exchange(port, payload: bytes, read_timeout=5.0) -> bytes:
    """Send raw bytes, then read until the server closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as sock:
        sock.sendall(payload)
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                    break
        except (socket.timeout, ConnectionResetError):
            pass
        return b"".join(chunks)


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":", 1)[1])
    return False


def status_of(raw: bytes) -> int | None:
    if not raw.startswith(b"HTTP/1."):
        return None
    return int(raw.split(b" ", 2)[1])


# --- malformed JSON-protocol requests --------------------------------------------

@pytest.mark.parametrize("body", [b"{not json", b'{"QueueName": "x"', b"", b"\xff\xfe\x00garbage",
                                  b"[1, 2, 3]", b'"just a string"', b"null"])
def test_malformed_json_body_is_a_client_error(endpoint, still_healthy, body):
    response = json_call(endpoint, "CreateQueue", body)

    assert response.status_code == 400, response.text
    assert "__type" in response.json()
    assert json_error_code(response) in PLAUSIBLE_JSON_ERRORS | {"MissingParameter"}
    still_healthy()


@pytest.mark.parametrize("operation,body", [
    ("ReceiveMessage", {"MaxNumberOfMessages": "5"}),
    ("ReceiveMessage", {"MaxNumberOfMessages": "five"}),
    ("ReceiveMessage", {"MaxNumberOfMessages": [1]}),
    ("ReceiveMessage", {"WaitTimeSeconds": {"seconds": 1}}),
    ("ReceiveMessage", {"MessageAttributeNames": "All"}),
    ("SendMessage", {"MessageBody": 12345}),
    ("SendMessage", {"MessageBody": "x", "MessageAttributes": ["not", "a", "map"]}),
    ("SendMessageBatch", {"Entries": {"Id": "not-a-list"}}),
    ("ReceiveMessage", {"MaxNumberOfMessages": 99999999999999999999999}),
])
def test_wrongly_typed_members_are_client_errors(endpoint, canary, still_healthy, operation, body):
    url, _ = canary

    response = json_call(endpoint, operation, {"QueueUrl": url, **body})

    assert response.status_code == 400, response.text
    assert "__type" in response.json()
    still_healthy()


@pytest.mark.parametrize("operation,body,missing", [
    ("CreateQueue", {}, "QueueName"),
    ("SendMessage", {"MessageBody": "x"}, "QueueUrl"),
    ("SendMessage", {"QueueUrl": "CANARY"}, "MessageBody"),
    ("ReceiveMessage", {}, "QueueUrl"),
    ("DeleteMessage", {"QueueUrl": "CANARY"}, "ReceiptHandle"),
    ("ChangeMessageVisibility", {"QueueUrl": "CANARY", "ReceiptHandle": "h"}, "VisibilityTimeout"),
    ("GetQueueUrl", {}, "QueueName"),
    ("TagQueue", {"QueueUrl": "CANARY"}, "Tags"),
    ("AddPermission", {"QueueUrl": "CANARY", "Label": "l", "Actions": ["SendMessage"]},
     "AWSAccountIds"),
    ("StartMessageMoveTask", {}, "SourceArn"),
    ("CancelMessageMoveTask", {}, "TaskHandle"),
])
def test_missing_required_members_are_missing_parameter(endpoint, canary, still_healthy,
                                                        operation, body, missing):
    url, _ = canary
    body = {k: (url if v == "CANARY" else v) for k, v in body.items()}

    response = json_call(endpoint, operation, body)

    assert response.status_code == 400, response.text
    assert json_error_code(response) == "MissingParameter"
    assert missing in response.json().get("message", "")
    still_healthy()


def test_request_with_neither_target_nor_action_is_a_client_error(endpoint, still_healthy):
    response = requests.post(endpoint + "/", data=b"{}",
                             headers={"Content-Type": JSON_CONTENT_TYPE}, timeout=5)

    assert 400 <= response.status_code < 500
    still_healthy()


def test_target_of_another_service_prefix_is_rejected(endpoint, still_healthy):
    response = json_call(endpoint, "CreateQueue", {"QueueName": "x"},
                         headers={"X-Amz-Target": "NotAmazonSQS.CreateQueue"})

    assert 400 <= response.status_code < 500
    still_healthy()


# --- the query protocol ----------------------------------------------------------

def test_xml_breaking_characters_round_trip_through_the_query_protocol(
        query, sqs, canary, still_healthy):
    url, _ = canary
    other = sqs.create_queue(QueueName="xml-chars")["QueueUrl"]
    body = "<tag attr=\"v\">&amp; & 'single' \"double\" ]]> <![CDATA[x]]> \r\n\t é 🚀 +%20"

    sent = query.ok("SendMessage", {"QueueUrl": other, "MessageBody": body})
    [message] = query.ok("ReceiveMessage", {"QueueUrl": other, "VisibilityTimeout": "0"}) \
        .findall("ReceiveMessageResult/Message")

    assert sent.result.findtext("MD5OfMessageBody") == md5_hex(body)
    assert message.findtext("Body") == body
    assert message.findtext("MD5OfBody") == md5_hex(body)
    # And the same bytes through JSON.
    assert sqs.receive_message(QueueUrl=other)["Messages"][0]["Body"] == body
    still_healthy()


def test_xml_breaking_characters_in_attribute_values_and_tags(query, sqs, still_healthy):
    nasty = "<&>\"' ]]>"
    url = sqs.create_queue(QueueName="xml-attrs", tags={"t": nasty})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="b", MessageAttributes={
        "a": {"DataType": "String", "StringValue": nasty}})

    tags = query.ok("ListQueueTags", {"QueueUrl": url}).findall("ListQueueTagsResult/Tag")
    [message] = query.ok("ReceiveMessage", {"QueueUrl": url, "MessageAttributeName.1": "All"}) \
        .findall("ReceiveMessageResult/Message")

    assert [(t.findtext("Key"), t.findtext("Value")) for t in tags] == [("t", nasty)]
    assert message.findtext("MessageAttribute/Value/StringValue") == nasty
    still_healthy()


@pytest.mark.parametrize("encoded_body", ["%ZZbad", "trailing%", "half%4", "%E9%00%", "%C3%28"])
def test_bad_percent_encoding_in_a_form_is_handled(endpoint, canary, still_healthy, encoded_body):
    url, _ = canary
    form = ("Action=SendMessage&Version=2012-11-05&QueueUrl=" + urllib.parse.quote(url, safe="")
            + "&MessageBody=" + encoded_body)

    response = requests.post(endpoint + "/", data=form.encode(),
                             headers={"Content-Type": FORM_CONTENT_TYPE}, timeout=5)

    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert b"<ErrorResponse" in response.content
    still_healthy()


def test_form_without_version_or_with_unknown_fields_is_handled(endpoint, still_healthy):
    response = requests.post(endpoint + "/", data=b"Action=ListQueues&Bogus.1.Thing=x&&=&a",
                             headers={"Content-Type": FORM_CONTENT_TYPE}, timeout=5)

    assert response.status_code < 500
    still_healthy()


# --- oversized, truncated, slow and garbage requests ----------------------------

def test_ten_megabyte_body_is_refused_cleanly(endpoint, canary, still_healthy):
    url, _ = canary
    huge = json.dumps({"QueueUrl": url, "MessageBody": "x" * (10 * 1024 * 1024)})

    try:
        response = json_call(endpoint, "SendMessage", huge, timeout=30)
    except requests.ConnectionError:
        pass  # closing the connection on an oversized body is acceptable
    else:
        assert 400 <= response.status_code < 500, response.status_code

    still_healthy()


def test_ten_megabyte_form_body_is_refused_cleanly(endpoint, canary, still_healthy):
    url, _ = canary
    form = urllib.parse.urlencode({"Action": "SendMessage", "Version": "2012-11-05",
                                   "QueueUrl": url, "MessageBody": "y" * (10 * 1024 * 1024)})
    try:
        response = requests.post(endpoint + "/", data=form.encode(),
                                 headers={"Content-Type": FORM_CONTENT_TYPE}, timeout=30)
    except requests.ConnectionError:
        pass
    else:
        assert 400 <= response.status_code < 500, response.status_code

    still_healthy()


def test_truncated_request_then_hang_up(server, canary, still_healthy):
    url, _ = canary
    body = json.dumps({"QueueUrl": url, "MessageBody": "never finished"}).encode()
    head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: {JSON_CONTENT_TYPE}\r\nX-Amz-Target: AmazonSQS.SendMessage\r\n"
            f"Content-Length: {len(body) + 1000}\r\n\r\n").encode()

    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(head + body)
        time.sleep(0.2)

    time.sleep(0.2)
    still_healthy()


def test_headers_cut_off_mid_line_then_hang_up(server, still_healthy):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")

    still_healthy()


def test_slow_client_is_served_and_does_not_block_others(server, endpoint, sqs, still_healthy):
    url = sqs.create_queue(QueueName="slow")["QueueUrl"]
    body = json.dumps({"QueueUrl": url, "MessageBody": "slowly"}).encode()
    request = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"Content-Type: {JSON_CONTENT_TYPE}\r\nX-Amz-Target: AmazonSQS.SendMessage\r\n"
               f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    others_ok = []

    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        delay = 2.0 / len(request)
        for i, byte in enumerate(request):
            sock.sendall(bytes([byte]))
            time.sleep(delay)
            if i == len(request) // 2:
                # While the slow client dribbles, others are served.
                others_ok.append(server.health()[0] == 200)
        sock.sendall(body)
        raw = b""
        while not _complete(raw):
            chunk = sock.recv(65536)
            if not chunk:
                break
            raw += chunk

    assert others_ok == [True]
    assert status_of(raw) == 200, raw[:300]
    payload = json.loads(raw.partition(b"\r\n\r\n")[2])
    assert payload["MD5OfMessageBody"] == md5_hex("slowly")
    assert [m["Body"] for m in peek(endpoint, url)] == ["slowly"]
    still_healthy()


@pytest.mark.parametrize("garbage", [
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,  # a TLS ClientHello
    b"GARBAGE GARBAGE GARBAGE\r\n\r\n",
    b"GET / HTTP/9.9\r\n\r\n",
    b"POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"POST / HTTP/1.1\r\n" + b"X-Long: " + b"a" * 200_000 + b"\r\n\r\n",
])
def test_non_http_or_broken_http_is_refused(server, still_healthy, garbage):
    raw = raw_exchange(server.port, garbage, read_timeout=1.5)

    status = status_of(raw)
    # No answer (connection closed), a 4xx, or 505 for an unsupported HTTP version.
    assert status is None or 400 <= status < 500 or status == 505, raw[:200]
    still_healthy()


def test_many_concurrent_clients_all_get_answers(sqs, client_factory, endpoint, still_healthy):
    url = sqs.create_queue(QueueName="busy")["QueueUrl"]
    errors = []

    def produce(worker):
        client = client_factory()
        try:
            for i in range(25):
                client.send_message(QueueUrl=url, MessageBody=f"{worker}-{i}")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=produce, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(peek(endpoint, url)) == 200
    still_healthy()


def test_client_disconnecting_during_a_long_poll_does_not_hurt(server, endpoint, sqs,
                                                               still_healthy):
    url = sqs.create_queue(QueueName="abandoned")["QueueUrl"]
    body = json.dumps({"QueueUrl": url, "WaitTimeSeconds": 20}).encode()
    head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: {JSON_CONTENT_TYPE}\r\nX-Amz-Target: AmazonSQS.ReceiveMessage\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(head + body)
        time.sleep(0.3)

    sqs.send_message(QueueUrl=url, MessageBody="after the hang-up")

    assert [m["Body"] for m in peek(endpoint, url)] == ["after the hang-up"]
    still_healthy()
