"""DynamoDB's legacy (pre-expression) parameters: KeyConditions and QueryFilter, ScanFilter
with every ComparisonOperator, ConditionalOperator, Expected on PutItem / UpdateItem /
DeleteItem, AttributeUpdates, AttributesToGet — and the rules that keep them apart from
the expression parameters.

AWS's behaviour and messages come from the DynamoDB API reference (Condition,
ExpectedAttributeValue, AttributeValueUpdate, "Legacy conditional parameters") and from
suites checked against AWS: dynalite's validation tests (mhart/dynalite), the dual-target
legacy tests of extenddb (ConditionalOperator and parameter mixing), dynamodb-conformance
(nubo-db/dynamodb-conformance), and the validation messages DynamoDB Local ships."""

import pytest

from support.dynamodb import N, S, gsi, query_all, raises_ddb, validation

INVALID = "One or more parameter values were invalid: "
MIXING = "Can not use both expression and non-expression parameters in the same request: "
NAMES = ["apple", "apricot", "banana", "blueberry", "cherry", "avocado"]


def cond(op: str, *values) -> dict:
    """One legacy Condition."""
    out = {"ComparisonOperator": op}
    if values:
        out["AttributeValueList"] = list(values)
    return out


def sks(items) -> list[int]:
    return [int(item["sk"]["N"]) for item in items]


def keys(items) -> set[tuple[str, int]]:
    return {(item["pk"]["S"], int(item["sk"]["N"])) for item in items}


@pytest.fixture
def fruit(ddb, create_table) -> str:
    """pk "p" with sk 1..6 (N): n = 10*sk, name from NAMES, tags {"all", "t<sk>"}, kind
    odd/even (a GSI by_kind on kind, sk), opt only on the odd ones; plus pk "q" sk 1."""
    name = create_table(range_key=("sk", "N"), attributes=[("kind", "S")],
                        gsis=[gsi("by_kind", "kind", "sk")])
    for i in range(1, 7):
        item = {"pk": S("p"), "sk": N(i), "n": N(10 * i), "name": S(NAMES[i - 1]),
                "tags": {"SS": ["all", f"t{i}"]}, "kind": S("odd" if i % 2 else "even")}
        if i % 2:
            item["opt"] = S("yes")
        ddb.put_item(TableName=name, Item=item)
    ddb.put_item(TableName=name, Item={"pk": S("q"), "sk": N(1), "n": N(100),
                                       "name": S("zucchini"), "tags": {"SS": ["all"]}})
    return name


def p_key(sk: int) -> dict:
    return {"pk": S("p"), "sk": N(sk)}


def get(ddb, table: str, sk: int, pk: str = "p") -> dict | None:
    return ddb.get_item(TableName=table, Key={"pk": S(pk), "sk": N(sk)},
                        ConsistentRead=True).get("Item")


# --- Query: KeyConditions and QueryFilter ------------------------------------------

PARTITION = {"pk": cond("EQ", S("p"))}


@pytest.mark.parametrize("sort_condition,expected", [
    (None, [1, 2, 3, 4, 5, 6]),
    (cond("EQ", N(3)), [3]),
    (cond("LT", N(3)), [1, 2]),
    (cond("LE", N(3)), [1, 2, 3]),
    (cond("GT", N(4)), [5, 6]),
    (cond("GE", N(4)), [4, 5, 6]),
    (cond("BETWEEN", N(2), N(4)), [2, 3, 4]),
    (cond("BETWEEN", N(6), N(60)), [6]),
])
def test_key_conditions(ddb, fruit, sort_condition, expected):
    conditions = dict(PARTITION)
    if sort_condition:
        conditions["sk"] = sort_condition
    response = ddb.query(TableName=fruit, KeyConditions=conditions)
    assert sks(response["Items"]) == expected
    assert response["Count"] == len(expected)


def test_key_condition_begins_with_on_a_string_sort_key(ddb, ddb_table):
    for sk in ("2024-01-01", "2024-01-31", "2024-02-01", "2023-12-31"):
        ddb.put_item(TableName=ddb_table, Item={"pk": S("d"), "sk": S(sk)})
    items = ddb.query(TableName=ddb_table, KeyConditions={
        "pk": cond("EQ", S("d")), "sk": cond("BEGINS_WITH", S("2024-01"))})["Items"]
    assert [i["sk"]["S"] for i in items] == ["2024-01-01", "2024-01-31"]


def test_key_conditions_run_backwards_and_page(ddb, fruit):
    items = ddb.query(TableName=fruit, KeyConditions=PARTITION, ScanIndexForward=False)["Items"]
    assert sks(items) == [6, 5, 4, 3, 2, 1]
    assert sks(query_all(ddb, TableName=fruit, KeyConditions=PARTITION, Limit=2)) \
        == [1, 2, 3, 4, 5, 6]


def test_key_conditions_on_a_global_index(ddb, fruit):
    items = ddb.query(TableName=fruit, IndexName="by_kind",
                      KeyConditions={"kind": cond("EQ", S("even"))})["Items"]
    assert sks(items) == [2, 4, 6]
    items = ddb.query(TableName=fruit, IndexName="by_kind", KeyConditions={
        "kind": cond("EQ", S("even")), "sk": cond("GT", N(2))})["Items"]
    assert sks(items) == [4, 6]


@pytest.mark.parametrize("conditional_operator,expected", [
    (None, [3, 5]),
    ("AND", [3, 5]),
    ("OR", [1, 3, 4, 5, 6]),
])
def test_query_filter(ddb, fruit, conditional_operator, expected):
    args = {"TableName": fruit, "KeyConditions": PARTITION,
            "QueryFilter": {"n": cond("GT", N(20)), "opt": cond("NOT_NULL")}}
    if conditional_operator:
        args["ConditionalOperator"] = conditional_operator
    response = ddb.query(**args)
    assert sks(response["Items"]) == expected
    assert response["ScannedCount"] == 6


def test_query_filter_cannot_name_a_key_attribute(ddb, fruit):
    with validation("QueryFilter can only contain non-primary key attributes: "
                    "Primary key attribute: sk"):
        ddb.query(TableName=fruit, KeyConditions=PARTITION,
                  QueryFilter={"sk": cond("GT", N(1))})


@pytest.mark.parametrize("conditions,message", [
    ({"pk": cond("GT", S("p"))}, "Query key condition not supported"),
    ({"pk": cond("BEGINS_WITH", S("p"))}, "Query key condition not supported"),
    ({"pk": cond("NE", S("p"))}, "Attempted conditional constraint is not an indexable operation"),
    ({"pk": cond("IN", S("p"))}, "Attempted conditional constraint is not an indexable operation"),
    ({"pk": cond("NULL")}, "Attempted conditional constraint is not an indexable operation"),
    ({**PARTITION, "sk": cond("CONTAINS", N(1))},
     "Attempted conditional constraint is not an indexable operation"),
    ({**PARTITION, "sk": cond("NOT_CONTAINS", N(1))},
     "Attempted conditional constraint is not an indexable operation"),
    ({**PARTITION, "sk": cond("IN", N(1), N(2))},
     "Attempted conditional constraint is not an indexable operation"),
    ({**PARTITION, "sk": cond("NULL")},
     "Attempted conditional constraint is not an indexable operation"),
    ({**PARTITION, "sk": cond("NOT_NULL")},
     "Attempted conditional constraint is not an indexable operation"),
    ({"sk": cond("EQ", N(1))}, "Query condition missed key schema element: pk"),
    ({"pk": cond("EQ", N(1))}, INVALID + "Condition parameter type does not match schema type"),
])
def test_key_conditions_a_query_cannot_use(ddb, fruit, conditions, message):
    with validation(message):
        ddb.query(TableName=fruit, KeyConditions=conditions)


def test_key_condition_ne_on_the_sort_key_is_refused(ddb, fruit):
    with validation():
        ddb.query(TableName=fruit, KeyConditions={**PARTITION, "sk": cond("NE", N(1))})


@pytest.mark.parametrize("conditions,op", [
    ({"pk": cond("EQ", S("p"), S("q"))}, "EQ"),
    ({"pk": cond("EQ")}, "EQ"),
    ({**PARTITION, "sk": cond("BETWEEN", N(1))}, "BETWEEN"),
    ({**PARTITION, "sk": cond("LT", N(1), N(2))}, "LT"),
])
def test_key_condition_argument_counts(ddb, fruit, conditions, op):
    with validation(f"{INVALID}Invalid number of argument(s) for the {op} ComparisonOperator"):
        ddb.query(TableName=fruit, KeyConditions=conditions)


# --- Scan: ScanFilter ----------------------------------------------------------------

ALL_KEYS = {("p", i) for i in range(1, 7)} | {("q", 1)}


@pytest.mark.parametrize("attribute,condition,expected", [
    ("n", cond("EQ", N(30)), {("p", 3)}),
    ("name", cond("EQ", S("banana")), {("p", 3)}),
    ("n", cond("NE", N(30)), ALL_KEYS - {("p", 3)}),
    ("n", cond("LE", N(30)), {("p", 1), ("p", 2), ("p", 3)}),
    ("n", cond("LT", N(30)), {("p", 1), ("p", 2)}),
    ("n", cond("GE", N(50)), {("p", 5), ("p", 6), ("q", 1)}),
    ("n", cond("GT", N(50)), {("p", 6), ("q", 1)}),
    ("name", cond("GT", S("b")), {("p", 3), ("p", 4), ("p", 5), ("q", 1)}),
    ("n", cond("IN", N(10), N(40), N(999)), {("p", 1), ("p", 4)}),
    ("name", cond("IN", S("cherry")), {("p", 5)}),
    ("n", cond("BETWEEN", N(20), N(40)), {("p", 2), ("p", 3), ("p", 4)}),
    ("opt", cond("NULL"), {("p", 2), ("p", 4), ("p", 6), ("q", 1)}),
    ("opt", cond("NOT_NULL"), {("p", 1), ("p", 3), ("p", 5)}),
    ("tags", cond("CONTAINS", S("t2")), {("p", 2)}),
    ("name", cond("CONTAINS", S("an")), {("p", 3)}),
    ("tags", cond("NOT_CONTAINS", S("t2")), ALL_KEYS - {("p", 2)}),
    ("name", cond("NOT_CONTAINS", S("an")), ALL_KEYS - {("p", 3)}),
    ("name", cond("BEGINS_WITH", S("a")), {("p", 1), ("p", 2), ("p", 6)}),
])
def test_scan_filter_operators(ddb, fruit, attribute, condition, expected):
    response = ddb.scan(TableName=fruit, ScanFilter={attribute: condition})
    assert keys(response["Items"]) == expected
    assert response["Count"] == len(expected)
    assert response["ScannedCount"] == 7


@pytest.mark.parametrize("conditional_operator,expected", [
    ("AND", {("p", 3), ("p", 5)}),
    ("OR", ALL_KEYS),  # every item meets one of the three
])
def test_scan_filter_conditional_operator(ddb, fruit, conditional_operator, expected):
    items = ddb.scan(TableName=fruit, ConditionalOperator=conditional_operator, ScanFilter={
        "opt": cond("NOT_NULL"), "n": cond("GE", N(30)), "name": cond("LT", S("d"))})["Items"]
    assert keys(items) == expected


def test_scan_filter_or_of_two_conditions(ddb, fruit):
    items = ddb.scan(TableName=fruit, ConditionalOperator="OR", ScanFilter={
        "name": cond("EQ", S("zucchini")), "n": cond("LT", N(20))})["Items"]
    assert keys(items) == {("p", 1), ("q", 1)}


@pytest.mark.parametrize("condition", [
    cond("EQ"),
    cond("EQ", N(1), N(2)),
    cond("NE"),
    cond("LE", N(1), N(2)),
    cond("BETWEEN", N(1)),
    cond("BETWEEN", N(1), N(2), N(3)),
    cond("NULL", N(1)),
    cond("NOT_NULL", N(1)),
    cond("IN"),
    cond("CONTAINS"),
    cond("NOT_CONTAINS", S("a"), S("b")),
    cond("BEGINS_WITH", S("a"), S("b")),
])
def test_scan_filter_argument_counts(ddb, fruit, condition):
    op = condition["ComparisonOperator"]
    with validation(f"{INVALID}Invalid number of argument(s) for the {op} ComparisonOperator"):
        ddb.scan(TableName=fruit, ScanFilter={"n": condition})


def test_unknown_comparison_operator(ddb_unvalidated, fruit):
    with validation(contains="Member must satisfy enum value set"):
        ddb_unvalidated.scan(TableName=fruit, ScanFilter={"n": cond("ABOUT", N(1))})


def test_unknown_conditional_operator(ddb_unvalidated, fruit):
    with validation("1 validation error detected: Value 'XOR' at 'conditionalOperator' failed "
                    "to satisfy constraint: Member must satisfy enum value set: [AND, OR]"):
        ddb_unvalidated.scan(TableName=fruit, ConditionalOperator="XOR", ScanFilter={
            "n": cond("GT", N(1)), "opt": cond("NULL")})


@pytest.mark.parametrize("call", ["scan", "put_item", "delete_item"])
def test_conditional_operator_needs_conditions(ddb, fruit, call):
    # AWS: extenddb's dual-target legacy tests; DynamoDB Local's
    # COND_OP_WITHOUT_FILTER_OR_EXPECTED.
    args = {"scan": {}, "put_item": {"Item": p_key(9)}, "delete_item": {"Key": p_key(1)}}[call]
    with validation("ConditionalOperator cannot be used without Filter or Expected"):
        getattr(ddb, call)(TableName=fruit, ConditionalOperator="AND", **args)


@pytest.mark.parametrize("call", ["scan", "query", "put_item"])
def test_conditional_operator_needs_two_conditions(ddb, fruit, call):
    one = {"n": cond("GT", N(1))}
    args = {"scan": {"ScanFilter": one},
            "query": {"KeyConditions": PARTITION, "QueryFilter": one},
            "put_item": {"Item": p_key(9), "Expected": one}}[call]
    with validation("ConditionalOperator can only be used when Filter or Expected has two or "
                    "more elements"):
        getattr(ddb, call)(TableName=fruit, ConditionalOperator="OR", **args)


# --- Expected ----------------------------------------------------------------------------

def test_expected_value_form(ddb, fruit):
    with raises_ddb("ConditionalCheckFailedException", "The conditional request failed"):
        ddb.put_item(TableName=fruit, Item={**p_key(1), "v": S("new")},
                     Expected={"n": {"Value": N(99)}})
    assert get(ddb, fruit, 1)["n"] == N(10)
    ddb.put_item(TableName=fruit, Item={**p_key(1), "v": S("new")},
                 Expected={"n": {"Value": N(10)}, "name": {"Value": S("apple"), "Exists": True}})
    assert get(ddb, fruit, 1) == {**p_key(1), "v": S("new")}


def test_expected_value_on_a_missing_item_fails(ddb, fruit):
    with raises_ddb("ConditionalCheckFailedException", "The conditional request failed"):
        ddb.put_item(TableName=fruit, Item=p_key(9), Expected={"n": {"Value": N(10)}})
    assert get(ddb, fruit, 9) is None


def test_expected_exists_false(ddb, fruit):
    create_only = {"pk": {"Exists": False}}
    ddb.put_item(TableName=fruit, Item={**p_key(9), "v": S("first")}, Expected=create_only)
    with raises_ddb("ConditionalCheckFailedException", "The conditional request failed"):
        ddb.put_item(TableName=fruit, Item={**p_key(9), "v": S("second")}, Expected=create_only)
    assert get(ddb, fruit, 9)["v"] == S("first")

    ddb.put_item(TableName=fruit, Item={**p_key(2), "opt": S("now")},
                 Expected={"opt": {"Exists": False}})  # sk 2 has no opt
    with raises_ddb("ConditionalCheckFailedException"):
        ddb.put_item(TableName=fruit, Item=p_key(2), Expected={"opt": {"Exists": False}})


@pytest.mark.parametrize("attribute,condition,met", [
    ("n", cond("EQ", N(10)), True),
    ("n", cond("EQ", N(11)), False),
    ("n", cond("NE", N(10)), False),
    ("n", cond("NE", N(11)), True),
    ("n", cond("LT", N(11)), True),
    ("n", cond("LE", N(10)), True),
    ("n", cond("GT", N(10)), False),
    ("n", cond("GE", N(10)), True),
    ("n", cond("BETWEEN", N(5), N(15)), True),
    ("n", cond("BETWEEN", N(11), N(15)), False),
    ("n", cond("IN", N(1), N(10)), True),
    ("n", cond("IN", N(1), N(2)), False),
    ("absent", cond("NULL"), True),
    ("n", cond("NULL"), False),
    ("n", cond("NOT_NULL"), True),
    ("absent", cond("NOT_NULL"), False),
    ("name", cond("BEGINS_WITH", S("ap")), True),
    ("name", cond("BEGINS_WITH", S("ba")), False),
    ("tags", cond("CONTAINS", S("all")), True),
    ("tags", cond("NOT_CONTAINS", S("all")), False),
    ("name", cond("CONTAINS", S("ppl")), True),
])
def test_expected_comparison_operator_form(ddb, fruit, attribute, condition, met):
    put = lambda: ddb.put_item(TableName=fruit, Item={**p_key(1), "v": S("new")},  # noqa: E731
                               Expected={attribute: condition})
    if met:
        put()
        assert get(ddb, fruit, 1) == {**p_key(1), "v": S("new")}
    else:
        with raises_ddb("ConditionalCheckFailedException", "The conditional request failed"):
            put()
        assert get(ddb, fruit, 1)["name"] == S("apple")


def test_expected_comparison_operator_with_value(ddb, fruit):
    # ExpectedAttributeValue: with a ComparisonOperator, Value stands for a one-element
    # AttributeValueList (dynalite and DynamoDB Local count it as one argument).
    ddb.put_item(TableName=fruit, Item={**p_key(1), "v": S("new")},
                 Expected={"n": {"ComparisonOperator": "GT", "Value": N(5)}})
    assert get(ddb, fruit, 1)["v"] == S("new")


@pytest.mark.parametrize("conditional_operator,second,met", [
    ("AND", {"Value": S("apple")}, True),
    ("AND", {"Value": S("pear")}, False),
    ("OR", {"Value": S("pear")}, True),
])
def test_expected_conditional_operator(ddb, fruit, conditional_operator, second, met):
    args = dict(TableName=fruit, Item={**p_key(1), "v": S("new")},
                ConditionalOperator=conditional_operator,
                Expected={"n": cond("EQ", N(10)), "name": second})
    if met:
        ddb.put_item(**args)
        assert get(ddb, fruit, 1)["v"] == S("new")
    else:
        with raises_ddb("ConditionalCheckFailedException"):
            ddb.put_item(**args)


def test_expected_or_with_neither_condition_met(ddb, fruit):
    with raises_ddb("ConditionalCheckFailedException", "The conditional request failed"):
        ddb.put_item(TableName=fruit, Item=p_key(1), ConditionalOperator="OR",
                     Expected={"n": cond("GT", N(100)), "name": cond("EQ", S("pear"))})


def test_expected_on_delete_item(ddb, fruit):
    with raises_ddb("ConditionalCheckFailedException", "The conditional request failed"):
        ddb.delete_item(TableName=fruit, Key=p_key(2), Expected={"n": cond("GT", N(100))})
    assert get(ddb, fruit, 2) is not None
    old = get(ddb, fruit, 2)
    response = ddb.delete_item(TableName=fruit, Key=p_key(2), ReturnValues="ALL_OLD",
                               Expected={"n": cond("BETWEEN", N(10), N(30)),
                                         "opt": {"Exists": False}})
    assert response["Attributes"] == old
    assert get(ddb, fruit, 2) is None


def test_expected_on_update_item(ddb, fruit):
    update = {"v": {"Action": "PUT", "Value": S("new")}}
    with raises_ddb("ConditionalCheckFailedException", "The conditional request failed"):
        ddb.update_item(TableName=fruit, Key=p_key(1), AttributeUpdates=update,
                        Expected={"name": {"Value": S("pear")}})
    assert "v" not in get(ddb, fruit, 1)
    ddb.update_item(TableName=fruit, Key=p_key(1), AttributeUpdates=update,
                    Expected={"name": {"Value": S("apple")}})
    assert get(ddb, fruit, 1)["v"] == S("new")


@pytest.mark.parametrize("entry,message", [
    ({"Exists": False, "Value": N(1)},
     "Value cannot be used when Exists is false for Attribute: n"),
    ({"Exists": True}, "Value must be provided when Exists is true for Attribute: n"),
    ({}, "Value must be provided when Exists is null for Attribute: n"),
    ({"ComparisonOperator": "EQ"},
     "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: n"),
    ({"Exists": True, "ComparisonOperator": "EQ", "AttributeValueList": [N(10)]},
     "Exists and ComparisonOperator cannot be used together for Attribute: n"),
    (cond("BETWEEN", N(1)), "Invalid number of argument(s) for the BETWEEN ComparisonOperator"),
    (cond("NULL", N(1)), "Invalid number of argument(s) for the NULL ComparisonOperator"),
    (cond("IN"), "Invalid number of argument(s) for the IN ComparisonOperator"),
])
def test_malformed_expected(ddb, fruit, entry, message):
    with validation(INVALID + message):
        ddb.put_item(TableName=fruit, Item=p_key(1), Expected={"n": entry})


# --- AttributeUpdates -----------------------------------------------------------------

def test_attribute_updates_put_add_and_delete(ddb, fruit):
    response = ddb.update_item(TableName=fruit, Key=p_key(1), ReturnValues="ALL_NEW",
                               AttributeUpdates={
        "name": {"Action": "PUT", "Value": S("apricot")},
        "colour": {"Value": S("red")},                      # PUT is the default action
        "n": {"Action": "ADD", "Value": N(5)},              # adds to a number
        "count": {"Action": "ADD", "Value": N(-2)},         # creates the number
        "tags": {"Action": "ADD", "Value": {"SS": ["new", "all"]}},
        "nums": {"Action": "ADD", "Value": {"NS": ["1", "2"]}},
        "opt": {"Action": "DELETE"},                        # no value: removes the attribute
    })
    item = response["Attributes"]
    assert item["name"] == S("apricot")
    assert item["colour"] == S("red")
    assert item["n"] == N(15)
    assert item["count"] == N(-2)
    assert sorted(item["tags"]["SS"]) == ["all", "new", "t1"]
    assert sorted(item["nums"]["NS"]) == ["1", "2"]
    assert "opt" not in item
    assert get(ddb, fruit, 1) == item


def test_attribute_updates_delete_from_a_set(ddb, fruit):
    response = ddb.update_item(TableName=fruit, Key=p_key(1), ReturnValues="UPDATED_NEW",
                               AttributeUpdates={"tags": {"Action": "DELETE",
                                                          "Value": {"SS": ["t1", "absent"]}}})
    assert response["Attributes"] == {"tags": {"SS": ["all"]}}
    # Deleting the last members removes the attribute.
    ddb.update_item(TableName=fruit, Key=p_key(1),
                    AttributeUpdates={"tags": {"Action": "DELETE", "Value": {"SS": ["all"]}}})
    assert "tags" not in get(ddb, fruit, 1)


def test_attribute_updates_create_a_missing_item(ddb, fruit):
    ddb.update_item(TableName=fruit, Key=p_key(9), AttributeUpdates={
        "n": {"Action": "ADD", "Value": N(3)}, "s": {"Action": "PUT", "Value": S("x")},
        "set": {"Action": "ADD", "Value": {"SS": ["a"]}}})
    assert get(ddb, fruit, 9) == {**p_key(9), "n": N(3), "s": S("x"), "set": {"SS": ["a"]}}


def test_attribute_update_put_needs_a_value(ddb, fruit):
    with validation(INVALID + "Only DELETE action is allowed when no attribute value is "
                              "specified"):
        ddb.update_item(TableName=fruit, Key=p_key(1), AttributeUpdates={"n": {"Action": "PUT"}})


@pytest.mark.parametrize("action", ["ADD", "DELETE"])
def test_attribute_update_of_an_unsupported_type(ddb, fruit, action):
    # ADD takes a number or a set, DELETE-with-value a set; the message is the legacy
    # parameter's, not the update expression's it may become.
    with validation(contains=INVALID) as info:
        ddb.update_item(TableName=fruit, Key=p_key(1),
                        AttributeUpdates={"name": {"Action": action, "Value": S("x")}})
    assert "not supported for the type" in info.value.response["Error"]["Message"]


def test_attribute_updates_cannot_change_the_key(ddb, fruit):
    with validation(INVALID + "Cannot update attribute pk. This attribute is part of the key"):
        ddb.update_item(TableName=fruit, Key=p_key(1),
                        AttributeUpdates={"pk": {"Action": "PUT", "Value": S("other")}})


# --- AttributesToGet ----------------------------------------------------------------

def test_attributes_to_get_on_get_item(ddb, fruit):
    item = ddb.get_item(TableName=fruit, Key=p_key(1),
                        AttributesToGet=["n", "name", "absent"])["Item"]
    assert item == {"n": N(10), "name": S("apple")}


def test_attributes_to_get_on_query_and_scan(ddb, fruit):
    items = ddb.query(TableName=fruit, KeyConditions=PARTITION,
                      AttributesToGet=["sk", "name"])["Items"]
    assert items == [{"sk": N(i), "name": S(NAMES[i - 1])} for i in range(1, 7)]
    items = ddb.query(TableName=fruit, KeyConditions=PARTITION, Select="SPECIFIC_ATTRIBUTES",
                      AttributesToGet=["opt"])["Items"]
    assert items == [{"opt": S("yes")}, {}, {"opt": S("yes")}, {}, {"opt": S("yes")}, {}]
    items = ddb.scan(TableName=fruit, AttributesToGet=["pk", "n"],
                     ScanFilter={"n": cond("GE", N(60))})["Items"]
    assert sorted((i["pk"]["S"], int(i["n"]["N"])) for i in items) == [("p", 60), ("q", 100)]
    assert all(set(i) == {"pk", "n"} for i in items)


def test_attributes_to_get_may_not_repeat_a_name(ddb, fruit):
    with validation(INVALID + "Duplicate value in attribute name: n"):
        ddb.get_item(TableName=fruit, Key=p_key(1), AttributesToGet=["n", "n"])


# --- legacy and expression parameters do not mix ----------------------------------

VALUE = {":v": N(1)}


@pytest.mark.parametrize("call,args,legacy,expressions", [
    ("query", {"KeyConditionExpression": "pk = :v", "ExpressionAttributeValues": {":v": S("p")},
               "QueryFilter": {"n": cond("GT", N(1))}},
     "QueryFilter", "KeyConditionExpression"),
    ("query", {"KeyConditionExpression": "pk = :v", "ExpressionAttributeValues": {":v": S("p")},
               "KeyConditions": PARTITION},
     "KeyConditions", "KeyConditionExpression"),
    ("scan", {"ScanFilter": {"n": cond("GT", N(1))}, "FilterExpression": "n > :v",
              "ExpressionAttributeValues": VALUE},
     "ScanFilter", "FilterExpression"),
    ("scan", {"ScanFilter": {"n": cond("GT", N(1))}, "ProjectionExpression": "n"},
     "ScanFilter", "ProjectionExpression"),
    ("scan", {"AttributesToGet": ["n"], "FilterExpression": "n > :v",
              "ExpressionAttributeValues": VALUE},
     "AttributesToGet", "FilterExpression"),
    ("get_item", {"Key": p_key(1), "AttributesToGet": ["n"], "ProjectionExpression": "n"},
     "AttributesToGet", "ProjectionExpression"),
    ("put_item", {"Item": p_key(1), "Expected": {"n": {"Exists": False}},
                  "ConditionExpression": "attribute_exists(pk)"},
     "Expected", "ConditionExpression"),
    ("put_item", {"Item": p_key(1), "ConditionalOperator": "AND",
                  "ConditionExpression": "attribute_exists(pk)"},
     "ConditionalOperator", "ConditionExpression"),
    ("delete_item", {"Key": p_key(1), "Expected": {"n": {"Value": N(10)}},
                     "ConditionExpression": "attribute_exists(pk)"},
     "Expected", "ConditionExpression"),
    ("update_item", {"Key": p_key(1), "AttributeUpdates": {"n": {"Value": N(1)}},
                     "UpdateExpression": "SET n = :v", "ExpressionAttributeValues": VALUE},
     "AttributeUpdates", "UpdateExpression"),
    ("update_item", {"Key": p_key(1), "AttributeUpdates": {"n": {"Value": N(1)}},
                     "ConditionExpression": "attribute_exists(pk)"},
     "AttributeUpdates", "ConditionExpression"),
    ("update_item", {"Key": p_key(1), "Expected": {"n": {"Value": N(10)}},
                     "UpdateExpression": "SET n = :v", "ExpressionAttributeValues": VALUE},
     "Expected", "UpdateExpression"),
])
def test_legacy_and_expression_parameters_do_not_mix(ddb, fruit, call, args, legacy,
                                                     expressions):
    # The message names the parameters on each side; ExpressionAttributeNames and
    # ExpressionAttributeValues are not among them (AWS's, as captured by extenddb's
    # dual-target tests and the conformance notes).
    with validation(f"{MIXING}Non-expression parameters: {{{legacy}}} "
                    f"Expression parameters: {{{expressions}}}"):
        getattr(ddb, call)(TableName=fruit, **args)
    assert get(ddb, fruit, 1)["n"] == N(10)


def test_key_conditions_may_be_combined_with_filter_and_projection_expressions(ddb, fruit):
    # KeyConditions only clashes with KeyConditionExpression (extenddb's dual-target tests
    # against DynamoDB; dynalite exempts it the same way).
    items = ddb.query(TableName=fruit, KeyConditions=PARTITION, FilterExpression="n > :v",
                      ExpressionAttributeValues={":v": N(40)})["Items"]
    assert sks(items) == [5, 6]
    items = ddb.query(TableName=fruit, KeyConditions=PARTITION, ProjectionExpression="sk")["Items"]
    assert sks(items) == [1, 2, 3, 4, 5, 6]
