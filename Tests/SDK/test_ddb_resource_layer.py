"""The boto3 resource layer over DynamoDB: Table objects, Python values (Decimal, Binary,
sets), boto3.dynamodb.conditions Key/Attr, the batch writer and the waiters — the way most
Python code talks to DynamoDB."""

from decimal import Decimal

import pytest
from botocore.exceptions import ClientError
from boto3.dynamodb.conditions import Attr, Key
from boto3.dynamodb.types import Binary

from support.dynamodb import table_args, unique_table


@pytest.fixture
def orders(ddb_resource, create_table):
    """A Table resource: customer (S) / order (N), with a few orders."""
    name = create_table(hash_key=("customer", "S"), range_key=("order", "N"))
    table = ddb_resource.Table(name)
    for order in range(1, 8):
        table.put_item(Item={"customer": "ann", "order": order, "total": Decimal(order) * 10,
                             "state": "open" if order % 3 else "shipped",
                             "tags": {"gift"} if order == 2 else {"std"}})
    table.put_item(Item={"customer": "bob", "order": 1, "total": Decimal("5.25"), "state": "open",
                         "tags": {"std"}})
    return table


def test_python_values_round_trip(ddb_resource, create_table):
    table = ddb_resource.Table(create_table())
    item = {
        "pk": "types", "text": "héllo", "int": 42, "dec": Decimal("-0.125"),
        "big": Decimal("12345678901234567890123456789012345678"), "tiny": Decimal("1E-130"),
        "bin": b"\x00\xff", "yes": True, "no": False, "nothing": None,
        "strings": {"a", "b"}, "numbers": {1, Decimal("2.5")}, "binaries": {b"\x01", b"\x02"},
        "list": [1, "two", [3], {"four": 4}], "map": {"nested": {"deeper": "x"}}, "empty": "",
    }
    table.put_item(Item=item)
    got = table.get_item(Key={"pk": "types"}, ConsistentRead=True)["Item"]
    assert got["int"] == Decimal(42) and isinstance(got["int"], Decimal)
    assert got["dec"] == Decimal("-0.125")
    assert got["big"] == Decimal("12345678901234567890123456789012345678")
    assert got["tiny"] == Decimal("1E-130")
    assert got["bin"] == Binary(b"\x00\xff")
    assert got["yes"] is True and got["no"] is False and got["nothing"] is None
    assert got["strings"] == {"a", "b"}
    assert got["numbers"] == {Decimal(1), Decimal("2.5")}
    assert got["binaries"] == {Binary(b"\x01"), Binary(b"\x02")}
    assert got["list"] == [Decimal(1), "two", [Decimal(3)], {"four": Decimal(4)}]
    assert got["map"] == {"nested": {"deeper": "x"}}
    assert got["empty"] == ""


def test_floats_are_refused_by_boto3_before_sending(ddb_resource, create_table):
    table = ddb_resource.Table(create_table())
    with pytest.raises(TypeError, match="Float types are not supported"):
        table.put_item(Item={"pk": "f", "v": 1.5})


def test_query_with_key_conditions(orders):
    items = orders.query(KeyConditionExpression=Key("customer").eq("ann")
                         & Key("order").between(2, 4))["Items"]
    assert [i["order"] for i in items] == [2, 3, 4]
    items = orders.query(KeyConditionExpression=Key("customer").eq("ann") & Key("order").gt(5),
                         ScanIndexForward=False)["Items"]
    assert [i["order"] for i in items] == [7, 6]


def test_query_with_attribute_filters(orders):
    items = orders.query(KeyConditionExpression=Key("customer").eq("ann"),
                         FilterExpression=Attr("state").eq("open") & Attr("total").gte(40))["Items"]
    assert [i["order"] for i in items] == [4, 5, 7]
    items = orders.query(KeyConditionExpression=Key("customer").eq("ann"),
                         FilterExpression=Attr("tags").contains("gift"))["Items"]
    assert [i["order"] for i in items] == [2]
    # A filter may not name a key attribute ("order" is the sort key), as on AWS.
    with pytest.raises(ClientError) as info:
        orders.query(KeyConditionExpression=Key("customer").eq("ann"),
                     FilterExpression=Attr("state").is_in(["shipped"]) | Attr("order").lt(2))
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert "Primary key attribute: order" in info.value.response["Error"]["Message"]


def test_scan_with_attribute_conditions(orders):
    items = orders.scan(FilterExpression=Attr("total").lt(10) & Attr("missing").not_exists())
    assert [(i["customer"], i["order"]) for i in items["Items"]] == [("bob", 1)]
    assert items["ScannedCount"] == 8
    sized = orders.scan(FilterExpression=Attr("state").size().eq(7))["Items"]
    assert sorted(i["order"] for i in sized) == [3, 6]


def test_conditional_put_and_update(orders):
    client = orders.meta.client
    with pytest.raises(client.exceptions.ConditionalCheckFailedException):
        orders.put_item(Item={"customer": "ann", "order": 1},
                        ConditionExpression=Attr("customer").not_exists())
    updated = orders.update_item(Key={"customer": "ann", "order": 1},
                                 UpdateExpression="SET #t = #t + :d",
                                 ConditionExpression=Attr("state").eq("open"),
                                 ExpressionAttributeNames={"#t": "total"},
                                 ExpressionAttributeValues={":d": Decimal("0.1")},
                                 ReturnValues="UPDATED_NEW")
    assert updated["Attributes"] == {"total": Decimal("10.1")}


def test_decimal_arithmetic_is_exact(ddb_resource, create_table):
    table = ddb_resource.Table(create_table())
    table.put_item(Item={"pk": "sum", "v": Decimal("0.1")})
    result = table.update_item(Key={"pk": "sum"}, UpdateExpression="ADD v :d",
                               ExpressionAttributeValues={":d": Decimal("0.2")},
                               ReturnValues="ALL_NEW")["Attributes"]
    assert result["v"] == Decimal("0.3")


def test_batch_writer_writes_in_chunks_and_dedupes(ddb_resource, create_table):
    table = ddb_resource.Table(create_table(range_key=("sk", "N")))
    with table.batch_writer() as batch:
        for i in range(60):
            batch.put_item(Item={"pk": "bulk", "sk": i, "v": i})
    table.reload()
    assert table.item_count == 60

    with table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
        batch.put_item(Item={"pk": "bulk", "sk": 0, "v": "first"})
        batch.put_item(Item={"pk": "bulk", "sk": 0, "v": "second"})
        for i in range(1, 30):
            batch.delete_item(Key={"pk": "bulk", "sk": i})
    items = table.query(KeyConditionExpression=Key("pk").eq("bulk"))["Items"]
    assert len(items) == 31
    assert items[0]["v"] == "second"


def test_batch_get_through_the_resource(ddb_resource, orders):
    response = ddb_resource.batch_get_item(RequestItems={orders.name: {"Keys": [
        {"customer": "ann", "order": 1}, {"customer": "bob", "order": 1},
        {"customer": "zed", "order": 1}]}})
    got = sorted((i["customer"], i["order"]) for i in response["Responses"][orders.name])
    assert got == [("ann", 1), ("bob", 1)]


def test_create_wait_and_delete_a_table(ddb_resource):
    name = unique_table()
    table = ddb_resource.create_table(**table_args(name, range_key=("sk", "S")))
    table.wait_until_exists(WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    assert table.table_status == "ACTIVE"
    assert table.key_schema == [{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert name in [t.name for t in ddb_resource.tables.all()]
    table.delete()
    table.wait_until_not_exists(WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    assert name not in [t.name for t in ddb_resource.tables.all()]


def test_scan_pages_through_the_resource(ddb_resource, orders):
    seen = []
    kwargs = {"Limit": 3}
    while True:
        page = orders.scan(**kwargs)
        seen.extend((i["customer"], int(i["order"])) for i in page["Items"])
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert sorted(seen) == [("ann", o) for o in range(1, 8)] + [("bob", 1)]
