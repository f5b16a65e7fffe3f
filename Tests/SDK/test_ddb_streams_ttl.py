"""DynamoDB Streams (ListStreams, DescribeStream, GetShardIterator, GetRecords) and Time
to Live (UpdateTimeToLive, DescribeTimeToLive, the background deletion of expired items
and its stream record).

Shapes follow botocore's `dynamodbstreams` model; record semantics follow the DynamoDB
developer guide (Streams.html: "If you perform a PutItem or UpdateItem operation that does
not change any data in an item, DynamoDB Streams does not write a stream record for that
operation"; time-to-live-ttl-streams.html for the TTL service identity)."""

import datetime
import re
import time

import pytest

from support.dynamodb import (N, S, raises_ddb, read_records, shard_id, stream_arn,
                              table_arn, validation, wait_for_records)
from support.sqs import wait_until

SEQUENCE = re.compile(r"^\d{21,40}$")


@pytest.fixture
def streamed(ddb, create_table):
    """A table with a NEW_AND_OLD_IMAGES stream; returns (table, stream ARN)."""
    name = create_table(range_key=("sk", "S"), stream="NEW_AND_OLD_IMAGES")
    return name, stream_arn(ddb, name)


def write_lifecycle(ddb, table):
    """INSERT, MODIFY, REMOVE of one item."""
    item_key = {"pk": S("a"), "sk": S("1")}
    ddb.put_item(TableName=table, Item={**item_key, "v": N(1)})
    ddb.update_item(TableName=table, Key=item_key, UpdateExpression="SET v = :v",
                    ExpressionAttributeValues={":v": N(2)})
    ddb.delete_item(TableName=table, Key=item_key)


# --- ListStreams and DescribeStream ------------------------------------------------

def test_list_streams(ddb, streams, create_table):
    with_stream = [create_table(name=f"st-{c}", stream="KEYS_ONLY") for c in "abc"]
    create_table(name="st-none")
    listed = streams.list_streams()["Streams"]
    assert sorted(s["TableName"] for s in listed) == with_stream
    for s in listed:
        assert s["StreamArn"] == stream_arn(ddb, s["TableName"])
        assert s["StreamArn"].endswith("/stream/" + s["StreamLabel"])

    only = streams.list_streams(TableName="st-b")["Streams"]
    assert [s["TableName"] for s in only] == ["st-b"]

    first = streams.list_streams(Limit=2)
    assert len(first["Streams"]) == 2
    rest = streams.list_streams(Limit=2, ExclusiveStartStreamArn=first["LastEvaluatedStreamArn"])
    assert len(rest["Streams"]) == 1 and "LastEvaluatedStreamArn" not in rest
    assert {s["TableName"] for s in first["Streams"] + rest["Streams"]} == set(with_stream)


def test_describe_stream(ddb, streams, streamed):
    table, arn = streamed
    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert description["StreamArn"] == arn
    assert description["StreamLabel"] == arn.rsplit("/", 1)[1]
    assert description["StreamStatus"] == "ENABLED"
    assert description["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert description["TableName"] == table
    assert description["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                                         {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert isinstance(description["CreationRequestDateTime"], datetime.datetime)
    [shard] = description["Shards"]
    # AWS shard ids: shardId-00000001414562045508-2bac9cd2
    assert re.match(r"^shardId-\d{20}-[0-9a-f]{8}$", shard["ShardId"]), shard["ShardId"]
    assert SEQUENCE.match(shard["SequenceNumberRange"]["StartingSequenceNumber"])


def test_describe_stream_of_an_unknown_arn(streams, create_table):
    name = create_table()
    with raises_ddb("ResourceNotFoundException"):
        streams.describe_stream(StreamArn=f"{table_arn(name)}/stream/2020-01-01T00:00:00.000")


# --- records -----------------------------------------------------------------------

@pytest.mark.parametrize("view,images", [
    ("KEYS_ONLY", [set(), set(), set()]),
    ("NEW_IMAGE", [{"NewImage"}, {"NewImage"}, set()]),
    ("OLD_IMAGE", [set(), {"OldImage"}, {"OldImage"}]),
    ("NEW_AND_OLD_IMAGES", [{"NewImage"}, {"NewImage", "OldImage"}, {"OldImage"}]),
])
def test_record_shapes_for_each_view_type(ddb, streams, create_table, view, images):
    table = create_table(range_key=("sk", "S"), stream=view)
    arn = stream_arn(ddb, table)
    write_lifecycle(ddb, table)

    records = wait_for_records(streams, arn, 3)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    for record, expected_images in zip(records, images):
        body = record["dynamodb"]
        assert body["Keys"] == {"pk": S("a"), "sk": S("1")}
        assert {"NewImage", "OldImage"} & set(body) == expected_images, (view, body)
        assert body["StreamViewType"] == view
        assert SEQUENCE.match(body["SequenceNumber"])
        assert body["SizeBytes"] > 0
        assert isinstance(body["ApproximateCreationDateTime"], datetime.datetime)
        assert record["eventSource"] == "aws:dynamodb"
        assert record["eventVersion"] == "1.1"
        assert record["awsRegion"] == "us-east-1"
        assert "userIdentity" not in record
    if view == "NEW_AND_OLD_IMAGES":
        assert records[0]["dynamodb"]["NewImage"] == {"pk": S("a"), "sk": S("1"), "v": N(1)}
        assert records[1]["dynamodb"]["OldImage"]["v"] == N(1)
        assert records[1]["dynamodb"]["NewImage"]["v"] == N(2)
        assert records[2]["dynamodb"]["OldImage"]["v"] == N(2)
    sequence = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert sequence == sorted(sequence) and len(set(sequence)) == 3
    assert len({r["eventID"] for r in records}) == 3


def test_batch_writes_are_recorded(ddb, streams, streamed):
    table, arn = streamed
    ddb.put_item(TableName=table, Item={"pk": S("b"), "sk": S("0")})
    ddb.batch_write_item(RequestItems={table: [
        {"PutRequest": {"Item": {"pk": S("b"), "sk": S("1")}}},
        {"DeleteRequest": {"Key": {"pk": S("b"), "sk": S("0")}}}]})
    records = wait_for_records(streams, arn, 3)
    assert [r["eventName"] for r in records] == ["INSERT", "INSERT", "REMOVE"]


def test_transaction_writes_are_recorded(ddb, streams, streamed):
    table, arn = streamed
    ddb.put_item(TableName=table, Item={"pk": S("b"), "sk": S("0")})
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": S("t"), "sk": S("1")}}},
        {"Update": {"TableName": table, "Key": {"pk": S("t"), "sk": S("2")},
                    "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": N(1)}}},
        {"Delete": {"TableName": table, "Key": {"pk": S("b"), "sk": S("0")}}}])
    records = wait_for_records(streams, arn, 4)
    assert [r["eventName"] for r in records] == ["INSERT", "INSERT", "INSERT", "REMOVE"]


def test_writes_that_change_nothing_are_not_recorded(ddb, streams, streamed):
    table, arn = streamed
    item = {"pk": S("a"), "sk": S("1"), "v": N(1)}
    ddb.put_item(TableName=table, Item=item)
    ddb.put_item(TableName=table, Item=item)  # identical: no record
    ddb.update_item(TableName=table, Key={"pk": S("a"), "sk": S("1")},
                    UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": N("1.0")})
    ddb.delete_item(TableName=table, Key={"pk": S("nobody"), "sk": S("1")})  # nothing deleted
    ddb.put_item(TableName=table, Item={**item, "v": N(2)})
    records = wait_for_records(streams, arn, 2)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY"]
    assert records[1]["dynamodb"]["NewImage"]["v"] == N(2)


def test_failed_writes_are_not_recorded(ddb, streams, streamed):
    table, arn = streamed
    ddb.put_item(TableName=table, Item={"pk": S("a"), "sk": S("1")})
    with raises_ddb("ConditionalCheckFailedException"):
        ddb.put_item(TableName=table, Item={"pk": S("a"), "sk": S("1"), "v": N(1)},
                     ConditionExpression="attribute_not_exists(pk)")
    with raises_ddb("TransactionCanceledException"):
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": S("x"), "sk": S("1")}}},
            {"ConditionCheck": {"TableName": table, "Key": {"pk": S("a"), "sk": S("1")},
                                "ConditionExpression": "attribute_not_exists(pk)"}}])
    assert [r["eventName"] for r in read_records(streams, arn)] == ["INSERT"]


# --- shard iterators ---------------------------------------------------------------

def iterator(streams, arn, kind, sequence=None):
    args = {"StreamArn": arn, "ShardId": shard_id(streams, arn), "ShardIteratorType": kind}
    if sequence:
        args["SequenceNumber"] = sequence
    return streams.get_shard_iterator(**args)["ShardIterator"]


def test_shard_iterator_types(ddb, streams, streamed):
    table, arn = streamed
    for i in range(3):
        ddb.put_item(TableName=table, Item={"pk": S("p"), "sk": S(str(i))})
    records = wait_for_records(streams, arn, 3)
    sequences = [r["dynamodb"]["SequenceNumber"] for r in records]

    latest = iterator(streams, arn, "LATEST")
    assert streams.get_records(ShardIterator=latest)["Records"] == []
    ddb.put_item(TableName=table, Item={"pk": S("p"), "sk": S("3")})
    after_latest = streams.get_records(ShardIterator=latest)["Records"]
    assert [r["dynamodb"]["Keys"]["sk"] for r in after_latest] == [S("3")]

    at = streams.get_records(ShardIterator=iterator(streams, arn, "AT_SEQUENCE_NUMBER",
                                                    sequences[1]))["Records"]
    assert [r["dynamodb"]["SequenceNumber"] for r in at][:2] == sequences[1:]
    after = streams.get_records(ShardIterator=iterator(streams, arn, "AFTER_SEQUENCE_NUMBER",
                                                       sequences[1]))["Records"]
    assert [r["dynamodb"]["Keys"]["sk"] for r in after] == [S("2"), S("3")]


def test_get_records_limit_and_next_iterator(ddb, streams, streamed):
    table, arn = streamed
    for i in range(5):
        ddb.put_item(TableName=table, Item={"pk": S("p"), "sk": S(str(i))})
    wait_for_records(streams, arn, 5)
    position = iterator(streams, arn, "TRIM_HORIZON")
    seen = []
    for _ in range(10):
        page = streams.get_records(ShardIterator=position, Limit=2)
        assert len(page["Records"]) <= 2
        seen.extend(r["dynamodb"]["Keys"]["sk"]["S"] for r in page["Records"])
        position = page["NextShardIterator"]
        if not page["Records"]:
            break
    assert seen == ["0", "1", "2", "3", "4"]
    # An open shard always hands out a next iterator, even with nothing new.
    ddb.put_item(TableName=table, Item={"pk": S("p"), "sk": S("5")})
    assert [r["dynamodb"]["Keys"]["sk"]["S"]
            for r in streams.get_records(ShardIterator=position)["Records"]] == ["5"]


def test_iterator_errors(ddb, streams, streamed):
    _, arn = streamed
    with raises_ddb("ResourceNotFoundException"):
        streams.get_shard_iterator(StreamArn=arn, ShardId="shardId-00000000000000000000-deadbeef",
                                   ShardIteratorType="TRIM_HORIZON")
    with validation():
        streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id(streams, arn),
                                   ShardIteratorType="AT_SEQUENCE_NUMBER")
    with raises_ddb("ValidationException"):
        streams.get_records(ShardIterator="not-an-iterator")


def test_disabled_stream_stays_readable_and_a_new_one_starts_fresh(ddb, streams, streamed):
    table, arn = streamed
    ddb.put_item(TableName=table, Item={"pk": S("before"), "sk": S("1")})
    ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
    ddb.put_item(TableName=table, Item={"pk": S("while-off"), "sk": S("1")})

    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert description["StreamStatus"] in ("DISABLING", "DISABLED")
    assert [r["dynamodb"]["Keys"]["pk"] for r in read_records(streams, arn)] == [S("before")]

    time.sleep(0.01)  # stream labels are millisecond timestamps
    ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": True,
                                                           "StreamViewType": "KEYS_ONLY"})
    new_arn = stream_arn(ddb, table)
    assert new_arn != arn
    ddb.put_item(TableName=table, Item={"pk": S("after"), "sk": S("1")})
    assert [r["dynamodb"]["Keys"]["pk"] for r in wait_for_records(streams, new_arn, 1)] == \
        [S("after")]


# --- Time to Live ------------------------------------------------------------------

def test_time_to_live_settings(ddb, create_table):
    name = create_table()
    assert ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == \
        {"TimeToLiveStatus": "DISABLED"}

    response = ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "expires"})
    assert response["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expires"}
    assert ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == \
        {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}

    with validation(contains="TimeToLive is already enabled"):
        ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={
            "Enabled": True, "AttributeName": "expires"})

    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={
        "Enabled": False, "AttributeName": "expires"})
    status = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]["TimeToLiveStatus"]
    assert status in ("DISABLING", "DISABLED")


def test_time_to_live_on_a_missing_table(ddb):
    with raises_ddb("ResourceNotFoundException"):
        ddb.describe_time_to_live(TableName="missing-table")
    with raises_ddb("ResourceNotFoundException"):
        ddb.update_time_to_live(TableName="missing-table", TimeToLiveSpecification={
            "Enabled": True, "AttributeName": "expires"})


def test_expired_items_are_deleted_with_a_service_stream_record(ddb, streams, create_table):
    name = create_table(stream="NEW_AND_OLD_IMAGES")
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "expires"})
    now = int(time.time())
    ddb.put_item(TableName=name, Item={"pk": S("old"), "expires": N(now - 60)})
    ddb.put_item(TableName=name, Item={"pk": S("future"), "expires": N(now + 3600)})
    ddb.put_item(TableName=name, Item={"pk": S("text"), "expires": S(str(now - 60))})
    ddb.put_item(TableName=name, Item={"pk": S("none")})

    # The sweeper runs every 5 s; allow three rounds.
    wait_until(lambda: "Item" not in ddb.get_item(TableName=name, Key={"pk": S("old")}),
               timeout=15.0, interval=0.25, message="the expired item to be deleted")
    remaining = sorted(i["pk"]["S"] for i in ddb.scan(TableName=name)["Items"])
    assert remaining == ["future", "none", "text"]

    records = wait_for_records(streams, stream_arn(ddb, name), 5)
    removal = records[-1]
    assert removal["eventName"] == "REMOVE"
    assert removal["dynamodb"]["Keys"] == {"pk": S("old")}
    assert removal["dynamodb"]["OldImage"] == {"pk": S("old"), "expires": N(now - 60)}
    # botocore's model names the members PrincipalId and Type.
    assert removal["userIdentity"] == {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}
