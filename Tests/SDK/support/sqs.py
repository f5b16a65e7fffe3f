"""SQS helpers shared by the test files: checksums, polling, error assertions, the
server's inspection endpoint and raw JSON-protocol calls."""

from __future__ import annotations

import contextlib
import hashlib
import json
import struct
import time
import uuid
from typing import Any, Callable, Iterator

import pytest
import requests
from botocore.exceptions import ClientError

from .signing import signed_headers

REGION = "us-east-1"
DEFAULT_ACCOUNT = "000000000000"
OTHER_ACCOUNT = "111111111111"
JSON_CONTENT_TYPE = "application/x-amz-json-1.0"


def unique_name(prefix: str = "q") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


# --- checksums -------------------------------------------------------------------

def md5_hex(data: str | bytes) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.md5(data).hexdigest()


def _length_prefixed(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def md5_of_attributes(attributes: dict[str, dict[str, Any]]) -> str:
    """The MD5 SQS reports as MD5OfMessageAttributes (and MD5OfMessageSystemAttributes):
    for each attribute, sorted by name, the length-prefixed name, the length-prefixed
    data type, a transport byte (1 = string, 2 = binary) and the length-prefixed value."""
    buffer = bytearray()
    for name in sorted(attributes):
        value = attributes[name]
        buffer += _length_prefixed(name.encode("utf-8"))
        buffer += _length_prefixed(value["DataType"].encode("utf-8"))
        if value.get("StringValue") is not None:
            buffer += b"\x01" + _length_prefixed(value["StringValue"].encode("utf-8"))
        else:
            binary = value["BinaryValue"]
            if isinstance(binary, str):
                binary = binary.encode("utf-8")
            buffer += b"\x02" + _length_prefixed(bytes(binary))
    return hashlib.md5(bytes(buffer)).hexdigest()


# --- polling ---------------------------------------------------------------------

def wait_until(condition: Callable[[], Any], timeout: float = 5.0, interval: float = 0.1,
               message: str = "condition") -> Any:
    """Call `condition` until it returns something truthy; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def receive_all(sqs, queue_url: str, expected: int, timeout: float = 5.0,
                delete: bool = False, **receive_args) -> list[dict]:
    """Receive until `expected` messages arrived (bounded); returns them in arrival order."""
    collected: list[dict] = []
    deadline = time.monotonic() + timeout
    while len(collected) < expected:
        if time.monotonic() >= deadline:
            pytest.fail(f"received {len(collected)} of {expected} messages within {timeout}s")
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                       **receive_args)
        messages = response.get("Messages", [])
        collected.extend(messages)
        if delete and messages:
            sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                for i, m in enumerate(messages)])
        if not messages:
            time.sleep(0.1)
    return collected


def receive_one(sqs, queue_url: str, timeout: float = 5.0, **receive_args) -> dict:
    return receive_all(sqs, queue_url, 1, timeout=timeout, **receive_args)[0]


def receive_nothing(sqs, queue_url: str, **receive_args) -> None:
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, **receive_args)
    assert response.get("Messages", []) == [], "expected no visible messages"


def attribute(sqs, queue_url: str, name: str) -> str:
    return sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=[name])["Attributes"][name]


def queue_arn(sqs, queue_url: str) -> str:
    return attribute(sqs, queue_url, "QueueArn")


# --- errors ----------------------------------------------------------------------

@contextlib.contextmanager
def raises_aws(code: str, status: int | None = None) -> Iterator[pytest.ExceptionInfo]:
    """Expect a botocore ClientError whose legacy (query) error code is `code`."""
    with pytest.raises(ClientError) as info:
        yield info
    error = info.value.response["Error"]
    assert error["Code"] == code, f"expected {code}, got {error}"
    if status is not None:
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def json_error_code(response: requests.Response) -> str:
    """The error code botocore would report for a raw JSON-protocol response."""
    query_error = response.headers.get("x-amzn-query-error")
    if query_error and ";" in query_error:
        return query_error.split(";")[0]
    code = response.json().get("__type", "")
    return code.split(":")[0].rsplit("#", 1)[-1]


# --- raw JSON protocol -----------------------------------------------------------

def json_call(endpoint: str, operation: str, body: bytes | str | dict,
              access_key: str = "test", timeout: float = 10.0,
              headers: dict[str, str] | None = None) -> requests.Response:
    """A signed awsJson1_0 request, the way the SDKs send one."""
    if isinstance(body, dict):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    base = {"Content-Type": JSON_CONTENT_TYPE, "X-Amz-Target": f"AmazonSQS.{operation}",
            "x-amzn-query-mode": "true"}
    base.update(headers or {})
    all_headers = signed_headers("POST", endpoint + "/", body, base, access_key)
    return requests.post(endpoint + "/", data=body, headers=all_headers, timeout=timeout)


# --- the server's inspection endpoints ------------------------------------------

def peek(endpoint: str, queue_url: str) -> list[dict]:
    """Every stored message of a queue, visible or not, without touching visibility."""
    response = requests.get(f"{endpoint}/_offcloud/sqs/messages",
                            params={"QueueUrl": queue_url}, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()["Messages"]


def reset(endpoint: str) -> None:
    response = requests.post(f"{endpoint}/_offcloud/reset", timeout=10)
    assert response.status_code in (200, 204), response.text
