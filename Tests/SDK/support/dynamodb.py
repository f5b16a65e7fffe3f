"""DynamoDB helpers and fixtures: boto3 `dynamodb` and `dynamodbstreams` clients (and the
resource layer) whose every response has its `x-amz-crc32` header checked, a table
factory, error assertions with AWS's messages, stream reading and raw awsJson1_0 calls.

The fixtures are registered in conftest.py (imported there by name).
"""

from __future__ import annotations

import binascii
import contextlib
import json
import uuid
from typing import Any, Callable, Iterator

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from .clients import CLIENT_CONFIG, make_client
from .signing import signed_headers
from .sqs import DEFAULT_ACCOUNT, REGION, wait_until

DDB_CONTENT_TYPE = "application/x-amz-json-1.0"
DDB_TARGET = "DynamoDB_20120810"
STREAMS_TARGET = "DynamoDBStreams_20120810"


def unique_table(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def table_arn(name: str, account: str = DEFAULT_ACCOUNT, region: str = REGION) -> str:
    return f"arn:aws:dynamodb:{region}:{account}:table/{name}"


# --- the x-amz-crc32 check --------------------------------------------------------

def check_crc32(headers, body: bytes, required: bool = True) -> None:
    """DynamoDB signs every response body with `x-amz-crc32`: the unsigned CRC32 of the
    bytes, in decimal (botocore's retry handler checks the same)."""
    header = headers.get("x-amz-crc32")
    if header is None:
        assert not required, "response has no x-amz-crc32 header"
        return
    assert int(header) == binascii.crc32(body) & 0xFFFFFFFF, \
        f"x-amz-crc32 {header} does not match the body ({binascii.crc32(body) & 0xFFFFFFFF})"


class Crc32Log:
    """Checks each response before botocore parses it; counts what it checked."""

    def __init__(self, required: bool):
        self.required = required
        self.checked = 0

    def __call__(self, response_dict=None, **_):
        check_crc32(response_dict["headers"], response_dict["body"], self.required)
        self.checked += 1


def with_crc32_check(client, required: bool = True):
    log = Crc32Log(required)
    client.meta.events.register(f"before-parse.{client.meta.service_model.service_id.hyphenize()}",
                                log)
    client.crc32_log = log  # type: ignore[attr-defined]
    return client


def make_ddb_client(endpoint: str, access_key: str = "test", region: str = REGION, **config):
    if region == REGION:
        return with_crc32_check(make_client(endpoint, "dynamodb", access_key=access_key, **config))
    client = boto3.session.Session().client(
        "dynamodb", endpoint_url=endpoint, region_name=region, aws_access_key_id=access_key,
        aws_secret_access_key="test", config=CLIENT_CONFIG.merge(Config(**config)))
    return with_crc32_check(client)


def make_streams_client(endpoint: str, **config):
    # AWS documents x-amz-crc32 for DynamoDB; for Streams the header is checked when present.
    return with_crc32_check(make_client(endpoint, "dynamodbstreams", **config), required=False)


def make_ddb_resource(endpoint: str):
    resource = boto3.session.Session().resource(
        "dynamodb", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="test",
        aws_secret_access_key="test", config=CLIENT_CONFIG)
    with_crc32_check(resource.meta.client)
    return resource


# --- fixtures ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def ddb(endpoint):
    return make_ddb_client(endpoint)


@pytest.fixture(scope="session")
def ddb_unvalidated(endpoint):
    """Sends whatever it is given, to reach the server's own validation."""
    return make_ddb_client(endpoint, parameter_validation=False)


@pytest.fixture(scope="session")
def ddb_resource(endpoint):
    return make_ddb_resource(endpoint)


@pytest.fixture(scope="session")
def streams(endpoint):
    return make_streams_client(endpoint)


def table_args(name: str, hash_key=("pk", "S"), range_key=None, attributes=None,
               gsis=None, lsis=None, billing: str = "PAY_PER_REQUEST", stream: str | None = None,
               **extra) -> dict:
    """CreateTable arguments. `attributes` adds (name, type) definitions for index keys;
    `gsis`/`lsis` are lists of full index descriptions."""
    definitions = {hash_key[0]: hash_key[1]}
    schema = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
    if range_key:
        definitions[range_key[0]] = range_key[1]
        schema.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
    for attribute_name, attribute_type in attributes or []:
        definitions[attribute_name] = attribute_type
    args: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t}
                                 for n, t in definitions.items()],
        "KeySchema": schema,
        "BillingMode": billing,
    }
    if billing == "PROVISIONED":
        args["ProvisionedThroughput"] = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    if gsis:
        args["GlobalSecondaryIndexes"] = gsis
    if lsis:
        args["LocalSecondaryIndexes"] = lsis
    if stream:
        args["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream}
    args.update(extra)
    return args


def gsi(name: str, hash_key: str, range_key: str | None = None, projection: str = "ALL",
        non_key: list[str] | None = None, throughput: bool = False) -> dict:
    index: dict[str, Any] = {"IndexName": name, "KeySchema": [{"AttributeName": hash_key,
                                                               "KeyType": "HASH"}]}
    if range_key:
        index["KeySchema"].append({"AttributeName": range_key, "KeyType": "RANGE"})
    index["Projection"] = {"ProjectionType": projection}
    if non_key:
        index["Projection"]["NonKeyAttributes"] = non_key
    if throughput:
        index["ProvisionedThroughput"] = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
    return index


def lsi(name: str, hash_key: str, range_key: str, projection: str = "ALL",
        non_key: list[str] | None = None) -> dict:
    index = gsi(name, hash_key, range_key, projection, non_key)
    return index


@pytest.fixture
def create_table(ddb) -> Callable[..., str]:
    """create_table(name=None, hash_key=("pk","S"), range_key=None, attributes=None,
    gsis=None, lsis=None, billing="PAY_PER_REQUEST", stream=None, **extra) -> table name."""

    def create(name: str | None = None, client=None, **kwargs) -> str:
        name = name or unique_table()
        (client or ddb).create_table(**table_args(name, **kwargs))
        return name

    return create


@pytest.fixture
def ddb_table(create_table) -> str:
    """A pay-per-request table keyed by pk (S) and sk (S)."""
    return create_table(hash_key=("pk", "S"), range_key=("sk", "S"))


@pytest.fixture
def ddb_hash_table(create_table) -> str:
    """A pay-per-request table keyed by pk (S) alone."""
    return create_table()


# --- errors -----------------------------------------------------------------------

@contextlib.contextmanager
def raises_ddb(code: str, message: str | None = None, contains: str | None = None,
               status: int = 400) -> Iterator[pytest.ExceptionInfo]:
    """Expect a DynamoDB error: its code, HTTP status and (exact or partial) message."""
    with pytest.raises(ClientError) as info:
        yield info
    error = info.value.response["Error"]
    assert error["Code"] == code, f"expected {code}, got {error}"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == status, \
        info.value.response["ResponseMetadata"]
    if message is not None:
        assert error["Message"] == message, f"message: {error['Message']!r}"
    if contains is not None:
        assert contains in error["Message"], f"message: {error['Message']!r}"


def validation(message: str | None = None, contains: str | None = None):
    return raises_ddb("ValidationException", message=message, contains=contains)


# --- items ------------------------------------------------------------------------

def S(value: str) -> dict:
    return {"S": value}


def N(value) -> dict:
    return {"N": str(value)}


def key(pk: str, sk: str | None = None) -> dict:
    out = {"pk": S(pk)}
    if sk is not None:
        out["sk"] = S(sk)
    return out


def put_items(ddb, table: str, items: list[dict]) -> None:
    for item in items:
        ddb.put_item(TableName=table, Item=item)


def query_all(ddb, **args) -> list[dict]:
    """Every item of a Query or Scan (`Scan=True` in args), following LastEvaluatedKey."""
    operation = ddb.scan if args.pop("Scan", False) else ddb.query
    items: list[dict] = []
    pages = 0
    while True:
        response = operation(**args)
        items.extend(response.get("Items", []))
        pages += 1
        assert pages < 10_000
        if "LastEvaluatedKey" not in response:
            return items
        args["ExclusiveStartKey"] = response["LastEvaluatedKey"]


# --- streams ----------------------------------------------------------------------

def stream_arn(ddb, table: str) -> str:
    return ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]


def shard_id(streams, arn: str) -> str:
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    assert len(shards) >= 1
    return shards[0]["ShardId"]


def read_records(streams, arn: str, iterator_type: str = "TRIM_HORIZON",
                 sequence: str | None = None) -> list[dict]:
    """Every record currently in the stream's shard from the given position."""
    args = {"StreamArn": arn, "ShardId": shard_id(streams, arn), "ShardIteratorType": iterator_type}
    if sequence:
        args["SequenceNumber"] = sequence
    iterator = streams.get_shard_iterator(**args)["ShardIterator"]
    records: list[dict] = []
    for _ in range(100):
        response = streams.get_records(ShardIterator=iterator)
        records.extend(response["Records"])
        if not response["Records"] or "NextShardIterator" not in response:
            return records
        iterator = response["NextShardIterator"]
    return records


def wait_for_records(streams, arn: str, count: int, timeout: float = 5.0) -> list[dict]:
    return wait_until(lambda: (r := read_records(streams, arn)) and len(r) >= count and r,
                      timeout=timeout, message=f"{count} stream records")


# --- raw awsJson1_0 -----------------------------------------------------------------

def ddb_call(endpoint: str, operation: str, body: bytes | str | dict, target: str = DDB_TARGET,
             timeout: float = 30.0, headers: dict[str, str] | None = None) -> requests.Response:
    """A signed DynamoDB request with exactly these body bytes."""
    if isinstance(body, dict):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    base = {"Content-Type": DDB_CONTENT_TYPE, "X-Amz-Target": f"{target}.{operation}"}
    base.update(headers or {})
    all_headers = signed_headers("POST", endpoint + "/", body, base, service="dynamodb")
    return requests.post(endpoint + "/", data=body, headers=all_headers, timeout=timeout)


def error_type(response: requests.Response) -> str:
    """The short error code of a raw JSON error response (`…#ValidationException`)."""
    return response.json().get("__type", "").rsplit("#", 1)[-1]
