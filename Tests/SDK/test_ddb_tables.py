"""DynamoDB control plane: CreateTable (schema validation, indexes, billing, streams,
tags), DescribeTable, ListTables, UpdateTable, DeleteTable, tags, DescribeLimits,
DescribeEndpoints and continuous backups.

Messages are AWS's own, as captured against the service by the dynamodb-conformance
suite (nubo-db/dynamodb-conformance, tests/tier3/error-messages/createTable.test.ts)
or as the botocore model documents them."""

import datetime
import re

import pytest

from support.dynamodb import (N, S, gsi, lsi, make_ddb_client, raises_ddb, table_arn, table_args,
                              unique_table, validation)

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def definitions(*pairs):
    return [{"AttributeName": n, "AttributeType": t} for n, t in pairs]


def schema(*pairs):
    return [{"AttributeName": n, "KeyType": t} for n, t in pairs]


# --- CreateTable -----------------------------------------------------------------

def test_create_table_returns_an_active_description(ddb):
    name = unique_table()
    description = ddb.create_table(**table_args(name, range_key=("sk", "N")))["TableDescription"]

    assert description["TableName"] == name
    assert description["TableStatus"] == "ACTIVE"
    assert description["KeySchema"] == schema(("pk", "HASH"), ("sk", "RANGE"))
    assert sorted(description["AttributeDefinitions"], key=lambda d: d["AttributeName"]) == \
        definitions(("pk", "S"), ("sk", "N"))
    assert description["TableArn"] == table_arn(name)
    assert UUID.match(description["TableId"]), description["TableId"]
    assert isinstance(description["CreationDateTime"], datetime.datetime)
    assert description["ItemCount"] == 0
    assert description["TableSizeBytes"] == 0
    assert description["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert description["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert description["ProvisionedThroughput"]["WriteCapacityUnits"] == 0
    assert "StreamSpecification" not in description


def test_provisioned_table_reports_its_throughput(ddb):
    name = unique_table()
    ddb.create_table(**table_args(name, billing="PROVISIONED"))

    table = ddb.describe_table(TableName=name)["Table"]
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 5
    assert table["ProvisionedThroughput"]["NumberOfDecreasesToday"] == 0
    assert table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED") == "PROVISIONED"


def test_creating_an_existing_table_is_resource_in_use(ddb, create_table):
    name = create_table()
    with raises_ddb("ResourceInUseException", contains=name):
        ddb.create_table(**table_args(name))


def test_same_name_in_another_account_or_region_is_a_different_table(ddb, create_table,
                                                                     endpoint):
    name = create_table()
    other_account = make_ddb_client(endpoint, access_key="111111111111")
    other_region = make_ddb_client(endpoint, region="eu-west-1")

    other_account.create_table(**table_args(name))
    other_region.create_table(**table_args(name))

    assert other_account.describe_table(TableName=name)["Table"]["TableArn"] == \
        table_arn(name, account="111111111111")
    assert other_region.describe_table(TableName=name)["Table"]["TableArn"] == \
        table_arn(name, region="eu-west-1")
    ddb.put_item(TableName=name, Item={"pk": S("only-here")})
    assert other_account.scan(TableName=name)["Items"] == []


def test_table_can_be_addressed_by_its_arn(ddb, create_table):
    name = create_table()
    ddb.put_item(TableName=table_arn(name), Item={"pk": S("a")})
    assert ddb.get_item(TableName=table_arn(name), Key={"pk": S("a")})["Item"] == {"pk": S("a")}
    assert ddb.describe_table(TableName=table_arn(name))["Table"]["TableName"] == name


@pytest.mark.parametrize("args,message", [
    # A key attribute that AttributeDefinitions does not name.
    ({"AttributeDefinitions": definitions(("other", "S")),
      "KeySchema": schema(("pk", "HASH"))},
     "Some index key attributes are not defined in AttributeDefinitions"),
    # A definition no key uses.
    ({"AttributeDefinitions": definitions(("pk", "S"), ("extra", "S")),
      "KeySchema": schema(("pk", "HASH"))},
     "One or more parameter values were invalid: Number of attributes in KeySchema does not "
     "exactly match number of attributes defined in AttributeDefinitions"),
    ({"AttributeDefinitions": definitions(("a", "S"), ("b", "S")),
      "KeySchema": schema(("a", "HASH"), ("b", "HASH"))},
     "Too many hash keys specified"),
    ({"AttributeDefinitions": definitions(("a", "S"), ("b", "S")),
      "KeySchema": schema(("a", "RANGE"), ("b", "HASH"))},
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ({"AttributeDefinitions": definitions(("a", "S")),
      "KeySchema": schema(("a", "RANGE"))},
     "Invalid KeySchema"),
])
def test_key_schema_validation(ddb, args, message):
    with validation(contains=message):
        ddb.create_table(TableName=unique_table(), BillingMode="PAY_PER_REQUEST", **args)


def test_the_same_attribute_as_hash_and_range_key_is_rejected(ddb):
    # AWS: dynamodb-conformance createTable.test.ts "duplicate attribute in KeySchema".
    with validation("Invalid KeySchema: Some index key attribute have no definition"):
        ddb.create_table(TableName=unique_table(), BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=definitions(("pk", "S")),
                         KeySchema=schema(("pk", "HASH"), ("pk", "RANGE")))


def test_invalid_attribute_type_names_the_member_by_position(ddb_unvalidated):
    with validation("1 validation error detected: Value 'X' at "
                    "'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: "
                    "Member must satisfy enum value set: [B, N, S]"):
        ddb_unvalidated.create_table(TableName=unique_table(), BillingMode="PAY_PER_REQUEST",
                                     AttributeDefinitions=definitions(("pk", "X")),
                                     KeySchema=schema(("pk", "HASH")))


def test_invalid_key_type_names_the_member_by_position(ddb_unvalidated):
    with validation("1 validation error detected: Value 'INVALID' at 'keySchema.1.member.keyType' "
                    "failed to satisfy constraint: Member must satisfy enum value set: "
                    "[HASH, RANGE]"):
        ddb_unvalidated.create_table(TableName=unique_table(), BillingMode="PAY_PER_REQUEST",
                                     AttributeDefinitions=definitions(("pk", "S")),
                                     KeySchema=schema(("pk", "INVALID")))


@pytest.mark.parametrize("name,message", [
    ("ab", "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy "
           "constraint: Member must have length greater than or equal to 3"),
    ("bad name!", "1 validation error detected: Value 'bad name!' at 'tableName' failed to "
                  "satisfy constraint: Member must satisfy regular expression pattern: "
                  "[a-zA-Z0-9_.-]+"),
])
def test_table_name_constraints(ddb_unvalidated, name, message):
    with validation(message):
        ddb_unvalidated.create_table(**table_args(name))


def test_provisioned_billing_requires_throughput(ddb):
    args = table_args(unique_table(), billing="PROVISIONED")
    del args["ProvisionedThroughput"]
    with validation("One or more parameter values were invalid: ReadCapacityUnits and "
                    "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"):
        ddb.create_table(**args)


def test_billing_mode_defaults_to_provisioned(ddb):
    args = table_args(unique_table())
    del args["BillingMode"]
    with validation(contains="ReadCapacityUnits and WriteCapacityUnits must both be specified"):
        ddb.create_table(**args)


def test_pay_per_request_rejects_throughput(ddb):
    with validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                    "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"):
        ddb.create_table(**table_args(unique_table(), ProvisionedThroughput={
            "ReadCapacityUnits": 1, "WriteCapacityUnits": 1}))


def test_zero_capacity_is_rejected(ddb_unvalidated):
    with validation():
        ddb_unvalidated.create_table(**table_args(unique_table(), billing="PROVISIONED",
                                      ProvisionedThroughput={"ReadCapacityUnits": 0,
                                                             "WriteCapacityUnits": 1}))


def test_provisioned_gsi_needs_its_own_throughput(ddb):
    with validation(contains="ProvisionedThroughput must be specified for index: by_g"):
        ddb.create_table(**table_args(unique_table(), billing="PROVISIONED",
                                      attributes=[("g", "S")], gsis=[gsi("by_g", "g")]))


def test_pay_per_request_gsi_rejects_throughput(ddb):
    with validation(contains="ProvisionedThroughput should not be specified for index: by_g"):
        ddb.create_table(**table_args(unique_table(), attributes=[("g", "S")],
                                      gsis=[gsi("by_g", "g", throughput=True)]))


def test_local_index_needs_a_table_range_key(ddb):
    # AWS: dynamodb-conformance createTable.test.ts "LSI without range key on base table".
    with validation("One or more parameter values were invalid: Table KeySchema does not have a "
                    "range key, which is required when specifying a LocalSecondaryIndex"):
        ddb.create_table(**table_args(unique_table(), attributes=[("l", "S")],
                                      lsis=[lsi("by_l", "pk", "l")]))


def test_duplicate_index_names_are_rejected(ddb):
    with validation("One or more parameter values were invalid: Duplicate index name: same"):
        ddb.create_table(**table_args(unique_table(), range_key=("sk", "S"),
                                      attributes=[("g1", "S"), ("g2", "S")],
                                      gsis=[gsi("same", "g1"), gsi("same", "g2")]))


@pytest.mark.parametrize("projection", [
    {"ProjectionType": "INCLUDE"},
    {"ProjectionType": "KEYS_ONLY", "NonKeyAttributes": ["x"]},
    {"ProjectionType": "ALL", "NonKeyAttributes": ["x"]},
])
def test_inconsistent_projections_are_rejected(ddb, projection):
    index = gsi("by_g", "g")
    index["Projection"] = projection
    with validation():
        ddb.create_table(**table_args(unique_table(), attributes=[("g", "S")], gsis=[index]))


def test_disabled_stream_with_a_view_type_is_rejected(ddb):
    # AWS: dynamodb-conformance tests/tier1/createTable/specValidation.test.ts.
    with validation():
        ddb.create_table(**table_args(unique_table(), StreamSpecification={
            "StreamEnabled": False, "StreamViewType": "NEW_IMAGE"}))


def test_enabled_stream_needs_a_view_type(ddb):
    with validation(contains="StreamViewType"):
        ddb.create_table(**table_args(unique_table(), StreamSpecification={"StreamEnabled": True}))


def test_indexes_are_described_with_their_projections(ddb):
    name = unique_table()
    ddb.create_table(**table_args(
        name, range_key=("sk", "S"), attributes=[("g", "S"), ("gs", "N"), ("l", "N")],
        gsis=[gsi("by_g", "g", "gs", projection="INCLUDE", non_key=["x", "y"]),
              gsi("keys_g", "g", projection="KEYS_ONLY")],
        lsis=[lsi("by_l", "pk", "l", projection="ALL")]))

    table = ddb.describe_table(TableName=name)["Table"]
    gsis = {g["IndexName"]: g for g in table["GlobalSecondaryIndexes"]}
    assert set(gsis) == {"by_g", "keys_g"}
    assert gsis["by_g"]["KeySchema"] == schema(("g", "HASH"), ("gs", "RANGE"))
    assert gsis["by_g"]["Projection"] == {"ProjectionType": "INCLUDE",
                                          "NonKeyAttributes": ["x", "y"]}
    assert gsis["keys_g"]["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    for index in gsis.values():
        assert index["IndexStatus"] == "ACTIVE"
        assert index["IndexArn"] == f"{table_arn(name)}/index/{index['IndexName']}"
    [local] = table["LocalSecondaryIndexes"]
    assert local["IndexName"] == "by_l"
    assert local["KeySchema"] == schema(("pk", "HASH"), ("l", "RANGE"))
    assert local["Projection"] == {"ProjectionType": "ALL"}
    assert local["IndexArn"] == f"{table_arn(name)}/index/by_l"
    assert "IndexStatus" not in local


def test_stream_fields_are_described(ddb):
    name = unique_table()
    ddb.create_table(**table_args(name, stream="NEW_AND_OLD_IMAGES"))

    table = ddb.describe_table(TableName=name)["Table"]
    assert table["StreamSpecification"] == {"StreamEnabled": True,
                                            "StreamViewType": "NEW_AND_OLD_IMAGES"}
    label = table["LatestStreamLabel"]
    # AWS labels are the creation time to the millisecond: 2015-05-11T21:21:33.291
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$", label), label
    assert table["LatestStreamArn"] == f"{table_arn(name)}/stream/{label}"


def test_tags_given_at_creation_are_listed(ddb):
    name = unique_table()
    ddb.create_table(**table_args(name, Tags=[{"Key": "team", "Value": "core"},
                                              {"Key": "env", "Value": "dev"}]))
    tags = ddb.list_tags_of_resource(ResourceArn=table_arn(name))["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("env", "dev"), ("team", "core")]


def test_deletion_protection_and_table_class_are_described(ddb):
    name = unique_table()
    ddb.create_table(**table_args(name, DeletionProtectionEnabled=True,
                                  TableClass="STANDARD_INFREQUENT_ACCESS"))
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["DeletionProtectionEnabled"] is True
    assert table["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"


# --- DescribeTable ---------------------------------------------------------------

def test_item_count_and_size_follow_writes(ddb, create_table):
    name = create_table()
    # Size: attribute names plus values — "pk" (2) + "a" (1); "pk" + "bb" + "n" (1) + 1 (two
    # significant digits + exponent byte: 2).
    ddb.put_item(TableName=name, Item={"pk": S("a")})
    ddb.put_item(TableName=name, Item={"pk": S("bb"), "n": N(12)})
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["ItemCount"] == 2
    assert table["TableSizeBytes"] == 3 + (2 + 2 + 1 + 2)

    ddb.delete_item(TableName=name, Key={"pk": S("a")})
    ddb.put_item(TableName=name, Item={"pk": S("bb")})  # overwrite, smaller
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["ItemCount"] == 1
    assert table["TableSizeBytes"] == 4


def test_describing_a_missing_table_is_resource_not_found(ddb):
    with raises_ddb("ResourceNotFoundException",
                    "Requested resource not found: Table: nope-table not found"):
        ddb.describe_table(TableName="nope-table")


# --- ListTables ------------------------------------------------------------------

def test_list_tables_pages_in_name_order(ddb, create_table):
    names = [create_table(name=f"list-{c}") for c in "edcba"]
    first = ddb.list_tables(Limit=2)
    assert first["TableNames"] == ["list-a", "list-b"]
    assert first["LastEvaluatedTableName"] == "list-b"
    second = ddb.list_tables(Limit=2, ExclusiveStartTableName="list-b")
    assert second["TableNames"] == ["list-c", "list-d"]
    third = ddb.list_tables(Limit=2, ExclusiveStartTableName=second["LastEvaluatedTableName"])
    assert third["TableNames"] == ["list-e"]
    assert "LastEvaluatedTableName" not in third
    assert ddb.list_tables()["TableNames"] == sorted(names)


def test_list_tables_paginator_visits_every_table(ddb, create_table):
    names = sorted(create_table(name=f"pg-{i:02d}") for i in range(7))
    pages = list(ddb.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 3}))
    assert [len(p["TableNames"]) for p in pages] == [3, 3, 1]
    assert [n for p in pages for n in p["TableNames"]] == names


@pytest.mark.parametrize("limit", [0, 101])
def test_list_tables_limit_bounds(ddb_unvalidated, limit):
    with validation(contains="failed to satisfy constraint: Member must have value"):
        ddb_unvalidated.list_tables(Limit=limit)


# --- UpdateTable -----------------------------------------------------------------

def test_update_billing_mode_both_ways(ddb, create_table):
    name = create_table()
    described = ddb.update_table(TableName=name, BillingMode="PROVISIONED", ProvisionedThroughput={
        "ReadCapacityUnits": 7, "WriteCapacityUnits": 3})["TableDescription"]
    assert described["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    assert described["ProvisionedThroughput"]["WriteCapacityUnits"] == 3

    ddb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_throughput_cannot_be_set_on_pay_per_request(ddb, create_table):
    name = create_table()
    with validation(contains="BillingMode is PAY_PER_REQUEST"):
        ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 1,
                                                                "WriteCapacityUnits": 1})


def test_added_global_index_is_backfilled_and_queryable(ddb, create_table):
    name = create_table()
    for i in range(5):
        colour = "red" if i % 2 else "blue"
        ddb.put_item(TableName=name, Item={"pk": S(f"p{i}"), "colour": S(colour), "n": N(i)})
    ddb.put_item(TableName=name, Item={"pk": S("no-colour")})

    described = ddb.update_table(
        TableName=name, AttributeDefinitions=definitions(("colour", "S"), ("n", "N")),
        GlobalSecondaryIndexUpdates=[{"Create": gsi("by_colour", "colour", "n")}],
    )["TableDescription"]
    assert [g["IndexName"] for g in described["GlobalSecondaryIndexes"]] == ["by_colour"]
    assert {"AttributeName": "colour", "AttributeType": "S"} in described["AttributeDefinitions"]

    items = ddb.query(TableName=name, IndexName="by_colour", KeyConditionExpression="colour = :c",
                      ExpressionAttributeValues={":c": S("blue")})["Items"]
    assert [i["pk"]["S"] for i in items] == ["p0", "p2", "p4"]

    # New writes reach the index too.
    ddb.put_item(TableName=name, Item={"pk": S("p9"), "colour": S("blue"), "n": N(9)})
    items = ddb.query(TableName=name, IndexName="by_colour", KeyConditionExpression="colour = :c",
                      ExpressionAttributeValues={":c": S("blue")})["Items"]
    assert [i["pk"]["S"] for i in items] == ["p0", "p2", "p4", "p9"]


def test_deleted_global_index_cannot_be_queried(ddb, create_table):
    name = create_table(attributes=[("g", "S")], gsis=[gsi("by_g", "g")])
    ddb.put_item(TableName=name, Item={"pk": S("a"), "g": S("x")})

    ddb.update_table(TableName=name,
                     GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_g"}}])
    assert "GlobalSecondaryIndexes" not in ddb.describe_table(TableName=name)["Table"]
    with validation("The table does not have the specified index: by_g"):
        ddb.query(TableName=name, IndexName="by_g", KeyConditionExpression="g = :g",
                  ExpressionAttributeValues={":g": S("x")})


def test_deleting_a_missing_index_is_resource_not_found(ddb, create_table):
    name = create_table()
    with raises_ddb("ResourceNotFoundException"):
        ddb.update_table(TableName=name,
                         GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "nope"}}])


def test_adding_an_existing_index_name_is_rejected(ddb, create_table):
    name = create_table(attributes=[("g", "S")], gsis=[gsi("by_g", "g")])
    with validation(contains="by_g"):
        ddb.update_table(TableName=name, AttributeDefinitions=definitions(("g", "S")),
                         GlobalSecondaryIndexUpdates=[{"Create": gsi("by_g", "g")}])


def test_streams_can_be_turned_on_and_off(ddb, create_table):
    name = create_table()
    described = ddb.update_table(TableName=name, StreamSpecification={
        "StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})["TableDescription"]
    assert described["StreamSpecification"] == {"StreamEnabled": True,
                                                "StreamViewType": "KEYS_ONLY"}
    arn = described["LatestStreamArn"]
    assert arn.startswith(f"{table_arn(name)}/stream/")

    with validation(contains="already has an enabled stream"):
        ddb.update_table(TableName=name, StreamSpecification={
            "StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})

    ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    table = ddb.describe_table(TableName=name)["Table"]
    assert table.get("StreamSpecification", {}).get("StreamEnabled", False) is False


def test_deletion_protection_blocks_delete_until_disabled(ddb, create_table):
    name = create_table()
    ddb.update_table(TableName=name, DeletionProtectionEnabled=True)
    assert ddb.describe_table(TableName=name)["Table"]["DeletionProtectionEnabled"] is True

    with validation("Resource cannot be deleted as it is currently protected against deletion. "
                    "Disable deletion protection first."):
        ddb.delete_table(TableName=name)

    ddb.update_table(TableName=name, DeletionProtectionEnabled=False)
    ddb.delete_table(TableName=name)


def test_updating_a_missing_table_is_resource_not_found(ddb):
    with raises_ddb("ResourceNotFoundException"):
        ddb.update_table(TableName="missing-table", BillingMode="PAY_PER_REQUEST")


# --- DeleteTable -----------------------------------------------------------------

def test_deleted_table_is_gone_with_its_items(ddb, create_table):
    name = create_table()
    ddb.put_item(TableName=name, Item={"pk": S("a")})

    described = ddb.delete_table(TableName=name)["TableDescription"]
    assert described["TableName"] == name
    assert described["TableStatus"] == "DELETING"

    with raises_ddb("ResourceNotFoundException"):
        ddb.describe_table(TableName=name)
    with raises_ddb("ResourceNotFoundException"):
        ddb.get_item(TableName=name, Key={"pk": S("a")})
    with raises_ddb("ResourceNotFoundException"):
        ddb.delete_table(TableName=name)
    assert name not in ddb.list_tables()["TableNames"]

    ddb.create_table(**table_args(name))
    assert ddb.scan(TableName=name)["Items"] == []
    assert ddb.describe_table(TableName=name)["Table"]["ItemCount"] == 0


def test_data_plane_calls_on_a_missing_table_say_requested_resource_not_found(ddb):
    # AWS: dynamodb-conformance getItem.test.ts / batchWriteItem.test.ts — the data plane
    # does not name the table.
    with raises_ddb("ResourceNotFoundException", "Requested resource not found"):
        ddb.get_item(TableName="no-such-table", Key={"pk": S("a")})
    with raises_ddb("ResourceNotFoundException", "Requested resource not found"):
        ddb.put_item(TableName="no-such-table", Item={"pk": S("a")})


# --- tags ------------------------------------------------------------------------

def test_tag_untag_and_list(ddb, create_table):
    name = create_table()
    arn = table_arn(name)
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == []

    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "changed"}])
    tags = ddb.list_tags_of_resource(ResourceArn=arn)["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("a", "changed"), ("b", "2")]

    ddb.untag_resource(ResourceArn=arn, TagKeys=["a", "not-there"])
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]


def test_tagging_a_missing_table_is_resource_not_found(ddb):
    with raises_ddb("ResourceNotFoundException"):
        ddb.tag_resource(ResourceArn=table_arn("gone-table"), Tags=[{"Key": "a", "Value": "b"}])
    with raises_ddb("ResourceNotFoundException"):
        ddb.list_tags_of_resource(ResourceArn=table_arn("gone-table"))


def test_tagging_needs_a_table_arn(ddb, create_table):
    name = create_table()
    with validation(contains="Invalid"):
        ddb.tag_resource(ResourceArn=name, Tags=[{"Key": "a", "Value": "b"}])


# --- account-level operations ------------------------------------------------------

def test_describe_limits(ddb):
    limits = ddb.describe_limits()
    for field in ("AccountMaxReadCapacityUnits", "AccountMaxWriteCapacityUnits",
                  "TableMaxReadCapacityUnits", "TableMaxWriteCapacityUnits"):
        assert isinstance(limits[field], int) and limits[field] > 0
    assert limits["TableMaxReadCapacityUnits"] <= limits["AccountMaxReadCapacityUnits"]


def test_describe_endpoints(ddb):
    [endpoint] = ddb.describe_endpoints()["Endpoints"]
    assert endpoint["Address"]
    assert endpoint["CachePeriodInMinutes"] == 1440


def test_continuous_backups_default_off_and_can_be_enabled(ddb, create_table):
    name = create_table()
    described = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert described["ContinuousBackupsStatus"] == "ENABLED"
    assert described["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"

    updated = ddb.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    recovery = updated["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert recovery["PointInTimeRecoveryStatus"] == "ENABLED"
    recovery = ddb.describe_continuous_backups(
        TableName=name)["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert recovery["PointInTimeRecoveryStatus"] == "ENABLED"


def test_continuous_backups_of_a_missing_table_is_table_not_found(ddb):
    # botocore's model: DescribeContinuousBackups and UpdateContinuousBackups raise
    # TableNotFoundException (not ResourceNotFoundException).
    with raises_ddb("TableNotFoundException"):
        ddb.describe_continuous_backups(TableName="missing-table")
    with raises_ddb("TableNotFoundException"):
        ddb.update_continuous_backups(
            TableName="missing-table",
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})



def test_describe_table_counts_the_items_of_each_index(ddb, create_table):
    from support.dynamodb import S, gsi
    name = create_table(attributes=[("g", "S")], gsis=[gsi("by_g", "g")])
    ddb.put_item(TableName=name, Item={"pk": S("a"), "g": S("x")})
    ddb.put_item(TableName=name, Item={"pk": S("b")})  # sparse: not in the index
    [index] = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
    assert index["ItemCount"] == 1
    assert index["IndexSizeBytes"] > 0
