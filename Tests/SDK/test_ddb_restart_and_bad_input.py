"""DynamoDB data survives restarts (SIGTERM and SIGKILL) with `--data-dir`, and bad input —
deep nesting, huge expressions, out-of-range numbers, mistyped or malformed JSON — gets
AWS's error and never takes the server down. Raw responses carry a correct x-amz-crc32."""

import json
import threading

import pytest

from support.dynamodb import (N, S, check_crc32, ddb_call, error_type, gsi, make_ddb_client,
                              make_streams_client, read_records, stream_arn, table_arn,
                              table_args, unique_table)

# --- restarts ----------------------------------------------------------------------


def populate(ddb) -> str:
    name = unique_table()
    ddb.create_table(**table_args(name, range_key=("sk", "N"), attributes=[("g", "S")],
                                  gsis=[gsi("by_g", "g")], stream="NEW_IMAGE",
                                  Tags=[{"Key": "team", "Value": "core"}]))
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "expires"})
    for i in range(20):
        ddb.put_item(TableName=name, Item={
            "pk": S("p"), "sk": N(i), "g": S("even" if i % 2 == 0 else "odd"),
            "doc": {"M": {"list": {"L": [N("1.5"), {"BOOL": True}, {"NULL": True}]},
                          "set": {"SS": ["a", "b"]}, "bin": {"B": b"\x00\x01"}}}})
    ddb.update_item(TableName=name, Key={"pk": S("p"), "sk": N(0)}, UpdateExpression="ADD n :one",
                    ExpressionAttributeValues={":one": N(1)})
    ddb.delete_item(TableName=name, Key={"pk": S("p"), "sk": N(19)})
    return name


def assert_populated(ddb, streams, name, arn_before):
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["ItemCount"] == 19
    assert [g["IndexName"] for g in table["GlobalSecondaryIndexes"]] == ["by_g"]
    assert table["LatestStreamArn"] == arn_before
    assert ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}
    assert ddb.list_tags_of_resource(ResourceArn=table_arn(name))["Tags"] == [
        {"Key": "team", "Value": "core"}]

    first = ddb.get_item(TableName=name, Key={"pk": S("p"), "sk": N(0)})["Item"]
    assert first["n"] == N(1)
    assert first["doc"]["M"]["list"] == {"L": [N("1.5"), {"BOOL": True}, {"NULL": True}]}
    assert first["doc"]["M"]["bin"] == {"B": b"\x00\x01"}
    assert "Item" not in ddb.get_item(TableName=name, Key={"pk": S("p"), "sk": N(19)})

    odd = ddb.query(TableName=name, IndexName="by_g", KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": S("odd")})["Items"]
    assert sorted(int(i["sk"]["N"]) for i in odd) == list(range(1, 19, 2))

    records = read_records(streams, arn_before)
    assert [r["eventName"] for r in records] == ["INSERT"] * 20 + ["MODIFY", "REMOVE"]

    # And it keeps working: new writes, a new table.
    ddb.put_item(TableName=name, Item={"pk": S("p"), "sk": N(100), "g": S("odd")})
    assert ddb.describe_table(TableName=name)["Table"]["ItemCount"] == 20
    ddb.create_table(**table_args(unique_table()))


@pytest.mark.own_server
def test_tables_items_and_streams_survive_a_graceful_restart(offcloud_factory, tmp_path):
    first = offcloud_factory(data_dir=tmp_path, name="first")
    ddb = make_ddb_client(first.endpoint)
    name = populate(ddb)
    arn = stream_arn(ddb, name)
    assert first.stop() == 0

    second = offcloud_factory(data_dir=tmp_path, name="second")
    assert_populated(make_ddb_client(second.endpoint), make_streams_client(second.endpoint),
                     name, arn)


@pytest.mark.own_server
def test_acknowledged_writes_survive_a_crash(offcloud_factory, tmp_path):
    first = offcloud_factory(data_dir=tmp_path, name="first")
    ddb = make_ddb_client(first.endpoint)
    name = populate(ddb)
    arn = stream_arn(ddb, name)
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": name, "Item": {"pk": S("t"), "sk": N(1)}}},
        {"Update": {"TableName": name, "Key": {"pk": S("p"), "sk": N(0)},
                    "UpdateExpression": "ADD n :one",
                    "ExpressionAttributeValues": {":one": N(1)}}}])

    first.process.kill()  # SIGKILL right after the acknowledgement
    first.process.wait(timeout=10)
    first.stop()

    second = offcloud_factory(data_dir=tmp_path, name="second")
    ddb = make_ddb_client(second.endpoint)
    assert ddb.get_item(TableName=name, Key={"pk": S("t"), "sk": N(1)})["Item"] == \
        {"pk": S("t"), "sk": N(1)}
    assert ddb.get_item(TableName=name, Key={"pk": S("p"), "sk": N(0)})["Item"]["n"] == N(2)
    assert ddb.describe_table(TableName=name)["Table"]["ItemCount"] == 20
    records = read_records(make_streams_client(second.endpoint), arn)
    assert [r["eventName"] for r in records][-2:] == ["INSERT", "MODIFY"]


# --- bad input ---------------------------------------------------------------------

@pytest.fixture
def canary(ddb, create_table):
    name = create_table()
    ddb.put_item(TableName=name, Item={"pk": S("canary"), "v": S("still here")})
    return name


@pytest.fixture
def still_healthy(server, ddb, canary):
    def check():
        assert server.is_running(), server.log_tail()
        status, body = server.health()
        assert status == 200
        assert body["services"]["dynamodb"] == "running"
        assert ddb.get_item(TableName=canary, Key={"pk": S("canary")})["Item"]["v"] == \
            S("still here")
    return check


def raw(endpoint, operation, body, expected_status=400):
    response = ddb_call(endpoint, operation, body)
    assert response.status_code == expected_status, response.text[:500]
    check_crc32(response.headers, response.content)
    assert response.headers["Content-Type"].startswith("application/x-amz-json-1.0")
    return response


def nested(levels: int) -> dict:
    value = {"S": "bottom"}
    for _ in range(levels):
        value = {"M": {"k": value}}
    return value


def test_nesting_up_to_32_levels_is_accepted_and_deeper_is_refused(ddb, canary, still_healthy):
    ddb.put_item(TableName=canary, Item={"pk": S("deep"), "v": nested(31)})
    got = ddb.get_item(TableName=canary, Key={"pk": S("deep")})["Item"]["v"]
    assert got == nested(31)
    with pytest.raises(ddb.exceptions.ClientError) as info:
        ddb.put_item(TableName=canary, Item={"pk": S("deeper"), "v": nested(40)})
    assert info.value.response["Error"]["Code"] == "ValidationException"
    message = info.value.response["Error"]["Message"]
    assert "Nesting Levels have exceeded supported limits" in message
    still_healthy()


@pytest.mark.parametrize("levels", [1_000, 100_000])
def test_absurd_nesting_is_refused_without_crashing(endpoint, canary, still_healthy, levels):
    body = ('{"TableName": "%s", "Item": {"pk": {"S": "x"}, "v": ' % canary
            + '{"M": {"k": ' * levels + '{"S": "x"}' + "}}" * levels + "}}")
    response = raw(endpoint, "PutItem", body)
    assert error_type(response) in ("ValidationException", "SerializationException")
    still_healthy()


def test_deeply_nested_json_arrays_do_not_crash(endpoint, canary, still_healthy):
    body = '{"TableName": "%s", "Key": ' % canary + "[" * 200_000 + "]" * 200_000 + "}"
    response = raw(endpoint, "GetItem", body)
    assert error_type(response) in ("ValidationException", "SerializationException")
    still_healthy()


def test_a_one_megabyte_expression_is_refused(ddb, canary, still_healthy):
    expression = "attribute_exists(pk) AND " * 40_000 + "attribute_exists(pk)"
    assert len(expression) > 1_000_000
    with pytest.raises(ddb.exceptions.ClientError) as info:
        ddb.delete_item(TableName=canary, Key={"pk": S("canary")}, ConditionExpression=expression)
    error = info.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert error["Message"].startswith("Invalid ConditionExpression: Expression size has exceeded "
                                       "the maximum allowed size")
    still_healthy()


def test_a_deeply_parenthesised_expression_is_refused(ddb, canary, still_healthy):
    expression = "(" * 3000 + "attribute_exists(pk)" + ")" * 3000
    with pytest.raises(ddb.exceptions.ClientError) as info:
        ddb.delete_item(TableName=canary, Key={"pk": S("canary")}, ConditionExpression=expression)
    assert info.value.response["Error"]["Code"] == "ValidationException"
    still_healthy()


@pytest.mark.parametrize("number", ["1e200", "-1e200", "1e-200", "1" * 39, "1e9999999999999999999"])
def test_out_of_range_numbers_are_validation_errors(endpoint, canary, still_healthy, number):
    response = raw(endpoint, "PutItem", {"TableName": canary,
                                         "Item": {"pk": {"S": "n"}, "v": {"N": number}}})
    assert error_type(response) == "ValidationException"
    still_healthy()


@pytest.mark.parametrize("operation,body", [
    ("PutItem", '{"TableName": 5, "Item": {"pk": {"S": "x"}}}'),
    ("PutItem", '{"TableName": "%s", "Item": []}'),
    ("PutItem", '{"TableName": "%s", "Item": {"pk": {"S": 5}}}'),
    ("PutItem", '{"TableName": "%s", "Item": {"pk": {"S": "x"}, "v": {"N": 5}}}'),
    ("PutItem", '{"TableName": "%s", "Item": {"pk": {"S": "x"}, "v": {"BOOL": "yes"}}}'),
    ("PutItem", '{"TableName": "%s", "Item": {"pk": {"S": "x"}, "v": {"L": {}}}}'),
    ("PutItem", '{"TableName": "%s", "Item": {"pk": {"S": "x"}, "v": {"SS": "a"}}}'),
    ("GetItem", '{"TableName": "%s", "Key": "pk"}'),
    ("Query", '{"TableName": "%s", "KeyConditionExpression": 7}'),
    ("Scan", '{"TableName": "%s", "Limit": "ten"}'),
    ("CreateTable", '{"TableName": "x-table", "BillingMode": "PAY_PER_REQUEST", '
                    '"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], '
                    '"KeySchema": {"AttributeName": "pk", "KeyType": "HASH"}}'),
    ("BatchWriteItem", '{"RequestItems": ["a"]}'),
])
def test_wrong_json_types_are_serialization_errors(endpoint, canary, still_healthy, operation,
                                                   body):
    response = raw(endpoint, operation, body.replace("%s", canary))
    assert error_type(response) == "SerializationException", response.text
    still_healthy()


@pytest.mark.parametrize("body", [
    b'{"TableName": ',
    b'{"TableName": "t"',
    b"not json at all",
    b'{"TableName": "t", "Item": {"pk": {"S": "\\ud800"}}',
    b"\xff\xfe\x00garbage",
    b"[]",
    b'"just a string"',
])
def test_malformed_json_is_a_serialization_error(endpoint, still_healthy, body):
    response = raw(endpoint, "PutItem", body)
    assert error_type(response) == "SerializationException", response.text
    still_healthy()


def test_unknown_operation(endpoint, still_healthy):
    response = raw(endpoint, "Frobnicate", "{}")
    assert error_type(response) == "UnknownOperationException"
    still_healthy()


def test_concurrent_writers_lose_nothing(endpoint, ddb, canary, still_healthy):
    errors = []

    def writer(n):
        client = make_ddb_client(endpoint)
        try:
            for i in range(25):
                client.update_item(TableName=canary, Key={"pk": S("counter")},
                                   UpdateExpression="ADD n :one",
                                   ExpressionAttributeValues={":one": N(1)})
                client.put_item(TableName=canary, Item={"pk": S(f"w{n}-{i}")})
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors[:3]
    assert ddb.get_item(TableName=canary, Key={"pk": S("counter")})["Item"]["n"] == N(200)
    assert ddb.describe_table(TableName=canary)["Table"]["ItemCount"] == 1 + 1 + 200
    still_healthy()


# --- x-amz-crc32 -------------------------------------------------------------------

def test_every_response_carries_a_matching_crc32(endpoint, ddb, canary):
    ok = ddb_call(endpoint, "GetItem", {"TableName": canary, "Key": {"pk": {"S": "canary"}}})
    assert ok.status_code == 200
    check_crc32(ok.headers, ok.content)
    empty = ddb_call(endpoint, "GetItem", {"TableName": canary, "Key": {"pk": {"S": "none"}}})
    assert empty.status_code == 200 and json.loads(empty.content) == {}
    check_crc32(empty.headers, empty.content)
    missing = ddb_call(endpoint, "DescribeTable", {"TableName": "missing-table"})
    assert missing.status_code == 400
    check_crc32(missing.headers, missing.content)
    big = ddb_call(endpoint, "Scan", {"TableName": canary})
    check_crc32(big.headers, big.content)
    # Every boto3 call in this session went through the same check.
    assert ddb.crc32_log.checked > 0


def test_request_ids_are_unique(endpoint, canary):
    ids = {ddb_call(endpoint, "DescribeTable", {"TableName": canary}).headers["x-amzn-RequestId"]
           for _ in range(5)}
    assert len(ids) == 5


def test_server_is_responsive_after_a_burst_of_bad_requests(endpoint, still_healthy):
    for body in (b"{", b"[" * 10_000, b"{}" * 1000, b'{"TableName": null}'):
        for operation in ("PutItem", "Query", "TransactWriteItems", "CreateTable"):
            response = ddb_call(endpoint, operation, body)
            assert 400 <= response.status_code < 500, (operation, body[:20], response.text[:200])
    still_healthy()
