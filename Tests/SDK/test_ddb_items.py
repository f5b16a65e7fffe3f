"""DynamoDB single-item operations: PutItem, GetItem, UpdateItem, DeleteItem — attribute
types and numbers, conditions, ReturnValues, consumed capacity, projections, every update
action, key and size rules.

AWS's messages come from the DynamoDB API reference and developer guide, and from the
captures of the dynamodb-conformance suite (nubo-db/dynamodb-conformance,
tests/tier3/error-messages/*.test.ts)."""

from decimal import Decimal

import pytest

from support.dynamodb import N, S, gsi, key, raises_ddb, validation

# --- attribute types -------------------------------------------------------------

EVERY_TYPE = {
    "pk": S("types"),
    "s": S("héllo ✓"),
    "empty_s": S(""),
    "n": N("-12.5"),
    "b": {"B": b"\x00\x01\xfe\xff"},
    "empty_b": {"B": b""},
    "t": {"BOOL": True},
    "f": {"BOOL": False},
    "null": {"NULL": True},
    "m": {"M": {"inner": {"M": {"deep": S("x")}}, "n": N(1)}},
    "empty_m": {"M": {}},
    "l": {"L": [S("a"), N(2), {"L": []}, {"M": {"k": {"BOOL": False}}}, {"NULL": True}]},
    "empty_l": {"L": []},
    "ss": {"SS": ["a", "b", "c"]},
    "ns": {"NS": ["1", "2.5", "-3"]},
    "bs": {"BS": [b"\x01", b"\x02"]},
}


def normalised(item: dict) -> dict:
    """Sets come back in no particular order."""
    out = {}
    for name, value in item.items():
        (kind, content), = value.items()
        out[name] = {kind: sorted(content)} if kind in ("SS", "NS", "BS") else value
    return out


def test_every_attribute_type_round_trips(ddb, ddb_hash_table):
    ddb.put_item(TableName=ddb_hash_table, Item=EVERY_TYPE)
    item = ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("types")},
                        ConsistentRead=True)["Item"]
    assert normalised(item) == normalised(EVERY_TYPE)


@pytest.mark.parametrize("written,returned", [
    ("1.50", "1.5"),
    ("100", "100"),
    ("1e2", "100"),
    ("0012", "12"),
    ("-0.0", "0"),
    ("0.000", "0"),
    ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
    ("-0.12345678901234567890123456789012345678", "-0.12345678901234567890123456789012345678"),
])
def test_numbers_are_normalised(ddb, ddb_hash_table, written, returned):
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("n"), "v": N(written)})
    item = ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("n")})["Item"]
    assert item["v"] == N(returned)


@pytest.mark.parametrize("written", [
    "9.9999999999999999999999999999999999999E+125",  # the largest magnitude
    "1E-130",                                         # the smallest
    "-9.9999999999999999999999999999999999999E+125",
    "1234567890123456789012345678901234567800000",    # 38 significant digits, then zeros
])
def test_numbers_at_the_edges_of_the_range_keep_their_value(ddb, ddb_hash_table, written):
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("edge"), "v": N(written)})
    stored = ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("edge")})["Item"]["v"]["N"]
    assert Decimal(stored) == Decimal(written)


@pytest.mark.parametrize("written,message", [
    ("1E+126", "Number overflow. Attempting to store a number with magnitude larger than "
               "supported range"),
    ("1e200", "Number overflow. Attempting to store a number with magnitude larger than "
              "supported range"),
    ("1E-131", "Number underflow. Attempting to store a number with magnitude smaller than "
               "supported range"),
    ("123456789012345678901234567890123456789",
     "Attempting to store more than 38 significant digits in a Number"),
])
def test_numbers_outside_the_range_are_rejected(ddb, ddb_hash_table, written, message):
    with validation(message):
        ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("bad"), "v": N(written)})


@pytest.mark.parametrize("written", ["abc", "1e", "--1", "1.2.3", "0x10", "NaN", "Infinity"])
def test_invalid_numbers_are_rejected(ddb, ddb_hash_table, written):
    with validation(contains="The parameter cannot be converted to a numeric value"):
        ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("bad"), "v": N(written)})


@pytest.mark.parametrize("value,message", [
    ({"SS": []}, "One or more parameter values were invalid: An string set  may not be empty"),
    ({"NS": []}, "One or more parameter values were invalid: An number set  may not be empty"),
    ({"BS": []}, "One or more parameter values were invalid: Binary sets should not be empty"),
])
def test_empty_sets_are_rejected(ddb, ddb_hash_table, value, message):
    with validation(message):
        ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("bad"), "v": value})


@pytest.mark.parametrize("value", [
    {"SS": ["a", "b", "a"]},
    {"NS": ["1", "2", "1.0"]},   # the same number written two ways
    {"BS": [b"x", b"x"]},
])
def test_duplicate_set_members_are_rejected(ddb, ddb_hash_table, value):
    with validation(contains="contains duplicates"):
        ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("bad"), "v": value})


def test_empty_string_key_is_rejected(ddb, ddb_hash_table):
    message = ("One or more parameter values are not valid. The AttributeValue for a key "
               "attribute cannot contain an empty string value. Key: pk")
    with validation(message):
        ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("")})
    with validation(message):
        ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("")})


def test_empty_binary_key_is_rejected(ddb, create_table):
    name = create_table(hash_key=("pk", "B"))
    with validation("One or more parameter values are not valid. The AttributeValue for a key "
                    "attribute cannot contain an empty binary value. Key: pk"):
        ddb.put_item(TableName=name, Item={"pk": {"B": b""}})


def test_attribute_value_with_two_types_is_rejected(ddb_unvalidated, ddb_hash_table):
    with validation("Supplied AttributeValue has more than one datatypes set, must contain exactly "
                    "one of the supported datatypes"):
        ddb_unvalidated.put_item(TableName=ddb_hash_table,
                                 Item={"pk": S("x"), "v": {"S": "a", "N": "1"}})


def test_empty_attribute_value_is_rejected(ddb_unvalidated, ddb_hash_table):
    with validation("Supplied AttributeValue is empty, must contain exactly one of the supported "
                    "datatypes"):
        ddb_unvalidated.put_item(TableName=ddb_hash_table, Item={"pk": S("x"), "v": {}})


# --- keys ------------------------------------------------------------------------

def test_item_without_its_key_is_rejected(ddb, ddb_table):
    with validation("One or more parameter values were invalid: Missing the key sk in the item"):
        ddb.put_item(TableName=ddb_table, Item={"pk": S("a"), "v": S("x")})


def test_key_of_the_wrong_type_is_rejected(ddb, ddb_hash_table):
    with validation("One or more parameter values were invalid: Type mismatch for key pk "
                    "expected: S actual: N"):
        ddb.put_item(TableName=ddb_hash_table, Item={"pk": N(1)})


@pytest.mark.parametrize("bad_key", [
    {"pk": S("a")},                                     # the sort key is missing
    {"pk": S("a"), "sk": S("1"), "extra": S("x")},      # an attribute too many
    {"pk": S("a"), "other": S("1")},                    # the wrong name
])
def test_key_must_match_the_schema(ddb, ddb_table, bad_key):
    with validation("The provided key element does not match the schema"):
        ddb.get_item(TableName=ddb_table, Key=bad_key)
    with validation("The provided key element does not match the schema"):
        ddb.delete_item(TableName=ddb_table, Key=bad_key)


def test_index_key_of_the_wrong_type_is_rejected(ddb, create_table):
    # AWS: dynamodb-conformance batchWriteItem.test.ts "wrong-typed index key"; PutItem
    # applies the same check to every write.
    name = create_table(attributes=[("g", "S")], gsis=[gsi("by_g", "g")])
    with validation("One or more parameter values were invalid: Type mismatch for Index Key g "
                    "Expected: S Actual: N IndexName: by_g"):
        ddb.put_item(TableName=name, Item={"pk": S("a"), "g": N(5)})


def test_missing_item_reads_as_no_item(ddb, ddb_table):
    response = ddb.get_item(TableName=ddb_table, Key=key("nobody", "x"))
    assert "Item" not in response


# --- conditions ------------------------------------------------------------------

def test_put_with_attribute_not_exists_only_creates(ddb, ddb_hash_table):
    args = dict(TableName=ddb_hash_table, ConditionExpression="attribute_not_exists(pk)")
    ddb.put_item(Item={"pk": S("a"), "v": S("first")}, **args)
    with raises_ddb("ConditionalCheckFailedException", "The conditional request failed"):
        ddb.put_item(Item={"pk": S("a"), "v": S("second")}, **args)
    assert ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("a")})["Item"]["v"] == S("first")


def test_condition_failure_can_return_the_old_item(ddb, ddb_hash_table):
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("a"), "v": N(1)})
    for call in (
        lambda **k: ddb.put_item(Item={"pk": S("a"), "v": N(2)}, **k),
        lambda **k: ddb.update_item(Key={"pk": S("a")}, UpdateExpression="SET v = :two", **k),
        lambda **k: ddb.delete_item(Key={"pk": S("a")}, **k),
    ):
        with raises_ddb("ConditionalCheckFailedException") as info:
            call(TableName=ddb_hash_table, ConditionExpression="v = :two",
                 ExpressionAttributeValues={":two": N(2)},
                 ReturnValuesOnConditionCheckFailure="ALL_OLD")
        assert info.value.response["Item"] == {"pk": S("a"), "v": N(1)}

    with raises_ddb("ConditionalCheckFailedException") as info:
        ddb.delete_item(TableName=ddb_hash_table, Key={"pk": S("a")},
                        ConditionExpression="v = :two", ExpressionAttributeValues={":two": N(2)})
    assert "Item" not in info.value.response


def test_condition_on_a_missing_item_sees_no_attributes(ddb, ddb_hash_table):
    with raises_ddb("ConditionalCheckFailedException"):
        ddb.update_item(TableName=ddb_hash_table, Key={"pk": S("ghost")},
                        UpdateExpression="SET v = :v", ConditionExpression="attribute_exists(pk)",
                        ExpressionAttributeValues={":v": N(1)})
    assert "Item" not in ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("ghost")})
    # No ALL_OLD item to return when there was no item.
    with raises_ddb("ConditionalCheckFailedException") as info:
        ddb.delete_item(TableName=ddb_hash_table, Key={"pk": S("ghost")},
                        ConditionExpression="attribute_exists(pk)",
                        ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert "Item" not in info.value.response


def test_optimistic_locking_with_a_version_attribute(ddb, ddb_hash_table):
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("doc"), "version": N(1), "body": S("v1")})
    update = dict(TableName=ddb_hash_table, Key={"pk": S("doc")},
                  UpdateExpression="SET body = :b, version = version + :one",
                  ConditionExpression="version = :expected")
    ddb.update_item(ExpressionAttributeValues={":b": S("v2"), ":one": N(1), ":expected": N(1)},
                    **update)
    with raises_ddb("ConditionalCheckFailedException"):
        ddb.update_item(ExpressionAttributeValues={":b": S("stale"), ":one": N(1),
                                                   ":expected": N(1)}, **update)
    item = ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("doc")})["Item"]
    assert item["version"] == N(2) and item["body"] == S("v2")


# --- ReturnValues ----------------------------------------------------------------

def test_put_return_values(ddb, ddb_hash_table):
    first = ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("a"), "v": N(1)},
                         ReturnValues="ALL_OLD")
    assert "Attributes" not in first
    second = ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("a"), "v": N(2)},
                          ReturnValues="ALL_OLD")
    assert second["Attributes"] == {"pk": S("a"), "v": N(1)}
    third = ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("a"), "v": N(3)},
                         ReturnValues="NONE")
    assert "Attributes" not in third


@pytest.mark.parametrize("value", ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"])
def test_put_and_delete_only_return_all_old(ddb, ddb_hash_table, value):
    with validation("Return values set to invalid value"):
        ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("a")}, ReturnValues=value)
    with validation("Return values set to invalid value"):
        ddb.delete_item(TableName=ddb_hash_table, Key={"pk": S("a")}, ReturnValues=value)


def test_delete_return_values(ddb, ddb_hash_table):
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("a"), "v": N(1)})
    deleted = ddb.delete_item(TableName=ddb_hash_table, Key={"pk": S("a")}, ReturnValues="ALL_OLD")
    assert deleted["Attributes"] == {"pk": S("a"), "v": N(1)}
    again = ddb.delete_item(TableName=ddb_hash_table, Key={"pk": S("a")}, ReturnValues="ALL_OLD")
    assert "Attributes" not in again


@pytest.mark.parametrize("mode,expected", [
    ("NONE", None),
    ("ALL_OLD", {"pk": S("a"), "keep": S("k"), "v": N(1), "gone": S("g")}),
    ("ALL_NEW", {"pk": S("a"), "keep": S("k"), "v": N(2), "added": S("new")}),
    ("UPDATED_OLD", {"v": N(1), "gone": S("g")}),
    ("UPDATED_NEW", {"v": N(2), "added": S("new")}),
])
def test_update_return_values(ddb, ddb_hash_table, mode, expected):
    ddb.put_item(TableName=ddb_hash_table,
                 Item={"pk": S("a"), "keep": S("k"), "v": N(1), "gone": S("g")})
    response = ddb.update_item(TableName=ddb_hash_table, Key={"pk": S("a")},
                               UpdateExpression="SET v = v + :one, added = :new REMOVE gone",
                               ExpressionAttributeValues={":one": N(1), ":new": S("new")},
                               ReturnValues=mode)
    assert response.get("Attributes") == expected


def test_updated_values_are_the_changed_fragment_of_a_nested_path(ddb, ddb_hash_table):
    # AWS returns only what the update touched: SET m.a.b returns {m: {a: {b}}}, not the
    # whole map (documented by the nubo-db/dynoxide issue #36 capture against DynamoDB).
    ddb.put_item(TableName=ddb_hash_table, Item={
        "pk": S("a"), "m": {"M": {"a": {"M": {"b": S("old"), "c": N(1)}}, "keep": S("k")}}})
    update = dict(TableName=ddb_hash_table, Key={"pk": S("a")}, UpdateExpression="SET m.a.b = :v")
    new = ddb.update_item(ExpressionAttributeValues={":v": S("new")}, ReturnValues="UPDATED_NEW",
                          **update)
    assert new["Attributes"] == {"m": {"M": {"a": {"M": {"b": S("new")}}}}}
    old = ddb.update_item(ExpressionAttributeValues={":v": S("newer")}, ReturnValues="UPDATED_OLD",
                          **update)
    assert old["Attributes"] == {"m": {"M": {"a": {"M": {"b": S("new")}}}}}


def test_updated_new_after_only_a_remove_returns_nothing(ddb, ddb_hash_table):
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("a"), "x": S("1")})
    response = ddb.update_item(TableName=ddb_hash_table, Key={"pk": S("a")},
                               UpdateExpression="REMOVE x", ReturnValues="UPDATED_NEW")
    assert "Attributes" not in response


def test_update_of_a_missing_item_creates_it(ddb, ddb_table):
    response = ddb.update_item(TableName=ddb_table, Key=key("new", "1"),
                               UpdateExpression="SET v = :v",
                               ExpressionAttributeValues={":v": N(5)}, ReturnValues="ALL_NEW")
    assert response["Attributes"] == {"pk": S("new"), "sk": S("1"), "v": N(5)}
    old = ddb.update_item(TableName=ddb_table, Key=key("new2", "1"), UpdateExpression="SET v = :v",
                          ExpressionAttributeValues={":v": N(5)}, ReturnValues="UPDATED_OLD")
    assert "Attributes" not in old


def test_update_without_an_expression_creates_just_the_key(ddb, ddb_table):
    ddb.update_item(TableName=ddb_table, Key=key("bare", "1"))
    assert ddb.get_item(TableName=ddb_table, Key=key("bare", "1"))["Item"] == key("bare", "1")


# --- consumed capacity -----------------------------------------------------------

def test_consumed_capacity_is_reported_when_asked(ddb, ddb_hash_table):
    put = ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("a"), "v": S("x" * 1500)},
                       ReturnConsumedCapacity="TOTAL")
    # 1 WCU per started KB: ~1.5 KB -> 2.
    assert put["ConsumedCapacity"] == {"TableName": ddb_hash_table, "CapacityUnits": 2.0}

    eventual = ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("a")},
                            ReturnConsumedCapacity="TOTAL")
    assert eventual["ConsumedCapacity"] == {"TableName": ddb_hash_table, "CapacityUnits": 0.5}
    strong = ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("a")}, ConsistentRead=True,
                          ReturnConsumedCapacity="TOTAL")
    assert strong["ConsumedCapacity"]["CapacityUnits"] == 1.0

    indexes = ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("a")},
                           ReturnConsumedCapacity="INDEXES")
    assert indexes["ConsumedCapacity"]["Table"] == {"CapacityUnits": 0.5}

    quiet = ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("a")},
                         ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in quiet
    assert "ConsumedCapacity" not in ddb.delete_item(TableName=ddb_hash_table, Key={"pk": S("a")})


def test_indexes_capacity_names_each_index_written(ddb, create_table):
    name = create_table(attributes=[("g", "S")], gsis=[gsi("by_g", "g")])
    response = ddb.put_item(TableName=name, Item={"pk": S("a"), "g": S("x")},
                            ReturnConsumedCapacity="INDEXES")
    capacity = response["ConsumedCapacity"]
    assert capacity["Table"] == {"CapacityUnits": 1.0}
    assert capacity["GlobalSecondaryIndexes"] == {"by_g": {"CapacityUnits": 1.0}}
    assert capacity["CapacityUnits"] == 2.0


# --- projections -----------------------------------------------------------------

DOC = {
    "pk": S("doc"),
    "title": S("t"),
    "meta": {"M": {"author": {"M": {"name": S("ann"), "age": N(40)}}, "tags": {"SS": ["x"]}}},
    "lst": {"L": [S("zero"), {"M": {"a": S("one-a"), "b": S("one-b")}}, S("two"), S("three")]},
    "status": S("live"),
}


@pytest.mark.parametrize("expression,names,expected", [
    ("title", None, {"title": S("t")}),
    ("meta.author.#n", {"#n": "name"}, {"meta": {"M": {"author": {"M": {"name": S("ann")}}}}}),
    ("lst[1].b, lst[3]", None,
     {"lst": {"L": [{"M": {"b": S("one-b")}}, S("three")]}}),
    ("lst[9], nothing, meta.nada", None, {}),
    ("#s, pk", {"#s": "status"}, {"status": S("live"), "pk": S("doc")}),
])
def test_projection_expressions(ddb, ddb_hash_table, expression, names, expected):
    ddb.put_item(TableName=ddb_hash_table, Item=DOC)
    args = dict(TableName=ddb_hash_table, Key={"pk": S("doc")}, ProjectionExpression=expression)
    if names:
        args["ExpressionAttributeNames"] = names
    assert ddb.get_item(**args).get("Item", {}) == expected


def test_attributes_to_get(ddb, ddb_hash_table):
    ddb.put_item(TableName=ddb_hash_table, Item=DOC)
    item = ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("doc")},
                        AttributesToGet=["title", "status", "absent"])["Item"]
    assert item == {"title": S("t"), "status": S("live")}


def test_projection_and_attributes_to_get_cannot_be_mixed(ddb, ddb_hash_table):
    with validation("Can not use both expression and non-expression parameters in the same "
                    "request: Non-expression parameters: {AttributesToGet} Expression parameters: "
                    "{ProjectionExpression}"):
        ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("doc")}, AttributesToGet=["title"],
                     ProjectionExpression="title")


# --- update actions --------------------------------------------------------------

def update(ddb, table, expression, values=None, names=None, item_key=None):
    args = dict(TableName=table, Key=item_key or {"pk": S("u")}, UpdateExpression=expression,
                ReturnValues="ALL_NEW")
    if values:
        args["ExpressionAttributeValues"] = values
    if names:
        args["ExpressionAttributeNames"] = names
    return ddb.update_item(**args).get("Attributes", {})


@pytest.fixture
def seeded(ddb, ddb_hash_table):
    ddb.put_item(TableName=ddb_hash_table, Item={
        "pk": S("u"), "n": N(10), "s": S("str"), "lst": {"L": [N(1), N(2), N(3)]},
        "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": [b"\x01"]},
        "m": {"M": {"x": N(1), "y": N(2)}}})
    return ddb_hash_table


def test_set_arithmetic(ddb, seeded):
    item = update(ddb, seeded, "SET a = n + :five, b = n - :half, c = :five - n",
                  {":five": N(5), ":half": N("0.5")})
    assert (item["a"], item["b"], item["c"]) == (N(15), N("9.5"), N(-5))


def test_set_arithmetic_is_exact_at_38_digits(ddb, seeded):
    item = update(ddb, seeded, "SET big = :a + :b",
                  {":a": N("9999999999999999999999999999999999999"), ":b": N(1)})
    assert item["big"] == N("10000000000000000000000000000000000000")
    item = update(ddb, seeded, "SET small = :a - :b", {":a": N("0.1"), ":b": N("0.3")})
    assert item["small"] == N("-0.2")


def test_set_arithmetic_on_a_missing_attribute_fails(ddb, seeded):
    with validation("The provided expression refers to an attribute that does not exist in the "
                    "item"):
        update(ddb, seeded, "SET a = absent + :one", {":one": N(1)})


def test_set_arithmetic_on_a_string_fails(ddb, seeded):
    with validation("An operand in the update expression has an incorrect data type"):
        update(ddb, seeded, "SET a = s + :one", {":one": N(1)})


def test_if_not_exists(ddb, seeded):
    item = update(ddb, seeded,
                  "SET n = if_not_exists(n, :zero), fresh = if_not_exists(fresh, :zero)",
                  {":zero": N(0)})
    assert item["n"] == N(10)
    assert item["fresh"] == N(0)
    item = update(ddb, seeded, "SET cnt = if_not_exists(cnt, :zero) + :one",
                  {":zero": N(0), ":one": N(1)})
    assert item["cnt"] == N(1)


def test_list_append_both_ways(ddb, seeded):
    item = update(ddb, seeded, "SET lst = list_append(lst, :tail)", {":tail": {"L": [N(4)]}})
    assert item["lst"] == {"L": [N(1), N(2), N(3), N(4)]}
    item = update(ddb, seeded, "SET lst = list_append(:head, lst)", {":head": {"L": [N(0)]}})
    assert item["lst"] == {"L": [N(0), N(1), N(2), N(3), N(4)]}
    item = update(ddb, seeded, "SET new_list = list_append(if_not_exists(new_list, :empty), :one)",
                  {":empty": {"L": []}, ":one": {"L": [S("x")]}})
    assert item["new_list"] == {"L": [S("x")]}


def test_set_list_element_and_past_the_end(ddb, seeded):
    item = update(ddb, seeded, "SET lst[1] = :v", {":v": S("two")})
    assert item["lst"] == {"L": [N(1), S("two"), N(3)]}
    item = update(ddb, seeded, "SET lst[10] = :v", {":v": S("end")})
    assert item["lst"] == {"L": [N(1), S("two"), N(3), S("end")]}


def test_set_nested_map_member(ddb, seeded):
    item = update(ddb, seeded, "SET m.z = :v, m.x = m.x + :v", {":v": N(5)})
    assert item["m"] == {"M": {"x": N(6), "y": N(2), "z": N(5)}}


def test_set_below_a_missing_map_fails(ddb, seeded):
    with validation("The document path provided in the update expression is invalid for update"):
        update(ddb, seeded, "SET nowhere.deep = :v", {":v": N(1)})


def test_remove_attributes_list_elements_and_map_members(ddb, seeded):
    item = update(ddb, seeded, "REMOVE s, lst[0], lst[2], m.x, not_there")
    assert "s" not in item
    assert item["lst"] == {"L": [N(2)]}
    assert item["m"] == {"M": {"y": N(2)}}


def test_add_numbers(ddb, seeded):
    item = update(ddb, seeded, "ADD n :d, fresh :d", {":d": N("-2.5")})
    assert item["n"] == N("7.5")
    assert item["fresh"] == N("-2.5")


def test_add_and_delete_set_members(ddb, seeded):
    item = update(ddb, seeded, "ADD ss :more, ns :nums, new_ss :more",
                  {":more": {"SS": ["b", "c"]}, ":nums": {"NS": ["3"]}})
    assert sorted(item["ss"]["SS"]) == ["a", "b", "c"]
    assert sorted(item["ns"]["NS"]) == ["1", "2", "3"]
    assert sorted(item["new_ss"]["SS"]) == ["b", "c"]

    item = update(ddb, seeded, "DELETE ss :drop, ns :nums, bs :bytes",
                  {":drop": {"SS": ["a", "zzz"]}, ":nums": {"NS": ["1", "2", "3"]},
                   ":bytes": {"BS": [b"\x01"]}})
    assert sorted(item["ss"]["SS"]) == ["b", "c"]
    # A set left empty is removed.
    assert "ns" not in item and "bs" not in item


def test_add_a_set_of_the_wrong_type_fails(ddb, seeded):
    with validation("An operand in the update expression has an incorrect data type"):
        update(ddb, seeded, "ADD ss :nums", {":nums": {"NS": ["1"]}})
    with validation("An operand in the update expression has an incorrect data type"):
        update(ddb, seeded, "ADD s :one", {":one": N(1)})


def test_add_and_delete_take_only_their_operand_types(ddb, seeded):
    with validation(contains="Incorrect operand type for operator or function; operator: ADD"):
        update(ddb, seeded, "ADD s :v", {":v": S("x")})
    with validation(contains="Incorrect operand type for operator or function; operator: DELETE"):
        update(ddb, seeded, "DELETE n :v", {":v": N(1)})


def test_all_four_clauses_in_one_update(ddb, seeded):
    item = update(ddb, seeded, "SET a = :one REMOVE s ADD n :one DELETE ss :b",
                  {":one": N(1), ":b": {"SS": ["b"]}})
    assert item["a"] == N(1) and "s" not in item and item["n"] == N(11)
    assert item["ss"] == {"SS": ["a"]}


def test_key_attributes_cannot_be_updated(ddb, ddb_table):
    ddb.put_item(TableName=ddb_table, Item=key("a", "1"))
    for expression in ("SET pk = :v", "SET sk = :v", "REMOVE sk"):
        with validation(contains="This attribute is part of the key"):
            ddb.update_item(TableName=ddb_table, Key=key("a", "1"), UpdateExpression=expression,
                            **({"ExpressionAttributeValues": {":v": S("b")}} if ":v" in expression
                               else {}))
    with validation("One or more parameter values were invalid: Cannot update attribute pk. "
                    "This attribute is part of the key"):
        ddb.update_item(TableName=ddb_table, Key=key("a", "1"), UpdateExpression="SET pk = :v",
                        ExpressionAttributeValues={":v": S("b")})


# --- item size -------------------------------------------------------------------

MAX_ITEM = 400 * 1024


def sized_item(total: int) -> dict:
    # "pk"(2) + "k"(1) + "d"(1) + the string.
    return {"pk": S("k"), "d": S("x" * (total - 4))}


def test_item_of_exactly_400_kb_is_accepted(ddb, ddb_hash_table):
    ddb.put_item(TableName=ddb_hash_table, Item=sized_item(MAX_ITEM))
    item = ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("k")})["Item"]
    assert len(item["d"]["S"]) == MAX_ITEM - 4


def test_item_one_byte_over_400_kb_is_rejected(ddb, ddb_hash_table):
    with validation("Item size has exceeded the maximum allowed size"):
        ddb.put_item(TableName=ddb_hash_table, Item=sized_item(MAX_ITEM + 1))
    assert "Item" not in ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("k")})


def test_update_that_grows_an_item_past_400_kb_is_rejected(ddb, ddb_hash_table):
    ddb.put_item(TableName=ddb_hash_table, Item=sized_item(MAX_ITEM))
    with validation("Item size to update has exceeded the maximum allowed size"):
        ddb.update_item(TableName=ddb_hash_table, Key={"pk": S("k")}, UpdateExpression="SET e = :v",
                        ExpressionAttributeValues={":v": S("y")})
    item = ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("k")})["Item"]
    assert "e" not in item


def test_item_collection_metrics_for_tables_with_local_indexes(ddb, create_table):
    from support.dynamodb import lsi
    name = create_table(range_key=("sk", "S"), attributes=[("alt", "S")], lsis=[lsi("by_alt", "pk", "alt")])
    put = ddb.put_item(TableName=name, Item={"pk": S("a"), "sk": S("1"), "alt": S("x")},
                       ReturnItemCollectionMetrics="SIZE")
    metrics = put["ItemCollectionMetrics"]
    assert metrics["ItemCollectionKey"] == {"pk": S("a")}
    assert metrics["SizeEstimateRangeGB"] == [0.0, 1.0]
    plain = create_table()
    assert "ItemCollectionMetrics" not in ddb.put_item(TableName=plain, Item={"pk": S("a")},
                                                       ReturnItemCollectionMetrics="SIZE")
