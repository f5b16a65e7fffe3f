"""DynamoDB Query and Scan: key conditions, ordering, paging by Limit and by the 1 MB
page size, filters after Limit, Select, global and local secondary indexes, parallel
scan segments, and the boto3 paginators."""

import pytest

from support.dynamodb import N, S, gsi, lsi, query_all, raises_ddb, validation


def sks(items, name="sk"):
    return [next(iter(i[name].values())) for i in items]


@pytest.fixture
def numbers(ddb, create_table):
    """pk "p" with sk 1..10 (N); odd items carry tag "odd"; plus a second partition."""
    name = create_table(range_key=("sk", "N"))
    for i in range(1, 11):
        ddb.put_item(TableName=name, Item={"pk": S("p"), "sk": N(i), "n": N(i),
                                           "tag": S("odd" if i % 2 else "even")})
    ddb.put_item(TableName=name, Item={"pk": S("other"), "sk": N(1)})
    return name


def q(ddb, table, condition, values, **extra):
    return ddb.query(TableName=table, KeyConditionExpression=condition,
                     ExpressionAttributeValues=values, **extra)


# --- key conditions --------------------------------------------------------------

@pytest.mark.parametrize("condition,values,expected", [
    ("pk = :p", {}, list(range(1, 11))),
    ("pk = :p AND sk = :a", {":a": N(4)}, [4]),
    ("pk = :p AND sk < :a", {":a": N(4)}, [1, 2, 3]),
    ("pk = :p AND sk <= :a", {":a": N(4)}, [1, 2, 3, 4]),
    ("pk = :p AND sk > :a", {":a": N(7)}, [8, 9, 10]),
    ("pk = :p AND sk >= :a", {":a": N(7)}, [7, 8, 9, 10]),
    ("pk = :p AND sk BETWEEN :a AND :b", {":a": N(3), ":b": N(5)}, [3, 4, 5]),
    ("sk BETWEEN :a AND :b AND pk = :p", {":a": N(9), ":b": N(20)}, [9, 10]),
    ("(pk = :p) AND (sk < :a)", {":a": N(2)}, [1]),
])
def test_key_condition_operators(ddb, numbers, condition, values, expected):
    items = q(ddb, numbers, condition, {":p": S("p"), **values})["Items"]
    assert [int(v) for v in sks(items)] == expected


def test_begins_with_on_a_string_sort_key(ddb, ddb_table):
    for sk in ("2024-01-01", "2024-01-31", "2024-02-01", "2023-12-31", "2024", "a"):
        ddb.put_item(TableName=ddb_table, Item={"pk": S("d"), "sk": S(sk)})
    items = q(ddb, ddb_table, "pk = :p AND begins_with(sk, :prefix)",
              {":p": S("d"), ":prefix": S("2024-01")})["Items"]
    assert sks(items) == ["2024-01-01", "2024-01-31"]
    items = q(ddb, ddb_table, "pk = :p AND begins_with(sk, :prefix)",
              {":p": S("d"), ":prefix": S("2024")})["Items"]
    assert sks(items) == ["2024", "2024-01-01", "2024-01-31", "2024-02-01"]


def test_numbers_sort_numerically(ddb, create_table):
    name = create_table(range_key=("sk", "N"))
    values = ["-100", "-1.5", "-1", "-0.001", "0", "0.001", "1", "1.5", "2", "10", "1e10",
              "99999999999999999999999999999999999999"]
    for v in reversed(values):
        ddb.put_item(TableName=name, Item={"pk": S("n"), "sk": N(v)})
    items = q(ddb, name, "pk = :p", {":p": S("n")})["Items"]
    assert sks(items) == ["-100", "-1.5", "-1", "-0.001", "0", "0.001", "1", "1.5", "2", "10",
                          "10000000000",
                          "99999999999999999999999999999999999999"]


def test_strings_and_binaries_sort_by_unsigned_bytes(ddb, create_table, ddb_table):
    for s in ("b", "B", "a", "é", "ab", "~"):
        ddb.put_item(TableName=ddb_table, Item={"pk": S("s"), "sk": S(s)})
    assert sks(q(ddb, ddb_table, "pk = :p", {":p": S("s")})["Items"]) == \
        ["B", "a", "ab", "b", "~", "é"]

    name = create_table(range_key=("sk", "B"))
    for b in (b"\xff", b"\x00", b"\x7f", b"\x80", b"\x00\x01"):
        ddb.put_item(TableName=name, Item={"pk": S("b"), "sk": {"B": b}})
    assert sks(q(ddb, name, "pk = :p", {":p": S("b")})["Items"]) == \
        [b"\x00", b"\x00\x01", b"\x7f", b"\x80", b"\xff"]


def test_scan_index_forward_false_reverses(ddb, numbers):
    items = q(ddb, numbers, "pk = :p AND sk > :a", {":p": S("p"), ":a": N(6)},
              ScanIndexForward=False)["Items"]
    assert [int(v) for v in sks(items)] == [10, 9, 8, 7]


@pytest.mark.parametrize("condition,values,message", [
    ("sk = :a", {":a": N(1)}, "Query condition missed key schema element: pk"),
    ("n = :a", {":a": N(1)}, "Query condition missed key schema element: pk"),
    ("pk = :p OR sk = :a", {":p": S("p"), ":a": N(1)},
     "Invalid operator used in KeyConditionExpression: OR"),
    ("pk = :a", {":a": N(1)},
     "One or more parameter values were invalid: Condition parameter type does not match "
     "schema type"),
    ("pk = :p AND sk <> :a", {":p": S("p"), ":a": N(1)}, None),
    ("pk = :p AND begins_with(sk, :a)", {":p": S("p"), ":a": N(1)}, None),
    ("pk = :p AND pk = :p", {":p": S("p")}, None),
])
def test_invalid_key_conditions(ddb, numbers, condition, values, message):
    with validation(message):
        q(ddb, numbers, condition, values)


def test_empty_key_condition(ddb, numbers):
    with validation("Invalid KeyConditionExpression: The expression can not be empty;"):
        ddb.query(TableName=numbers, KeyConditionExpression="")


def test_filter_cannot_use_key_attributes(ddb, numbers):
    with validation("Filter Expression can only contain non-primary key attributes: Primary key "
                    "attribute: sk"):
        q(ddb, numbers, "pk = :p", {":p": S("p"), ":a": N(1)}, FilterExpression="sk > :a")


def test_query_on_a_missing_table_or_index(ddb, numbers):
    with raises_ddb("ResourceNotFoundException"):
        q(ddb, "missing-table", "pk = :p", {":p": S("p")})
    with validation("The table does not have the specified index: nope"):
        q(ddb, numbers, "pk = :p", {":p": S("p")}, IndexName="nope")


# --- paging ----------------------------------------------------------------------

def test_limit_pages_until_exhausted(ddb, numbers):
    pages = []
    args = dict(TableName=numbers, KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": S("p")}, Limit=3)
    while True:
        page = ddb.query(**args)
        pages.append([int(v) for v in sks(page["Items"])])
        assert page["Count"] == len(page["Items"])
        if "LastEvaluatedKey" not in page:
            break
        assert page["LastEvaluatedKey"] == {"pk": S("p"), "sk": page["Items"][-1]["sk"]}
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        assert len(pages) < 10
    assert pages == [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]


def test_limit_that_ends_on_the_last_item_needs_one_more_empty_page(ddb, numbers):
    first = q(ddb, numbers, "pk = :p", {":p": S("p")}, Limit=5)
    second = q(ddb, numbers, "pk = :p", {":p": S("p")}, Limit=5,
               ExclusiveStartKey=first["LastEvaluatedKey"])
    assert [int(v) for v in sks(second["Items"])] == [6, 7, 8, 9, 10]
    # Limit was reached, so DynamoDB cannot know nothing follows.
    assert second["LastEvaluatedKey"] == {"pk": S("p"), "sk": N(10)}
    third = q(ddb, numbers, "pk = :p", {":p": S("p")}, Limit=5,
              ExclusiveStartKey=second["LastEvaluatedKey"])
    assert third["Items"] == [] and third["Count"] == 0
    assert "LastEvaluatedKey" not in third


def test_backwards_paging(ddb, numbers):
    items = query_all(ddb, TableName=numbers, KeyConditionExpression="pk = :p",
                      ExpressionAttributeValues={":p": S("p")}, Limit=4, ScanIndexForward=False)
    assert [int(v) for v in sks(items)] == list(range(10, 0, -1))


def test_filter_is_applied_after_limit(ddb, numbers):
    page = q(ddb, numbers, "pk = :p", {":p": S("p"), ":t": S("even")}, Limit=4,
             FilterExpression="tag = :t")
    assert page["ScannedCount"] == 4
    assert page["Count"] == 2
    assert [int(v) for v in sks(page["Items"])] == [2, 4]
    assert page["LastEvaluatedKey"] == {"pk": S("p"), "sk": N(4)}

    # A page can be empty and still not be the end.
    page = q(ddb, numbers, "pk = :p", {":p": S("p"), ":t": S("nothing")}, Limit=3,
             FilterExpression="tag = :t")
    assert page["Items"] == [] and page["Count"] == 0 and page["ScannedCount"] == 3
    assert "LastEvaluatedKey" in page


def test_pages_stop_at_one_megabyte(ddb, ddb_table):
    blob = "x" * (100 * 1024)
    for i in range(14):
        ddb.put_item(TableName=ddb_table, Item={"pk": S("big"), "sk": S(f"{i:02d}"), "d": S(blob)})
    first = q(ddb, ddb_table, "pk = :p", {":p": S("big")})
    assert "LastEvaluatedKey" in first
    assert 8 <= first["Count"] <= 11, first["Count"]
    items = query_all(ddb, TableName=ddb_table, KeyConditionExpression="pk = :p",
                      ExpressionAttributeValues={":p": S("big")})
    assert sks(items) == [f"{i:02d}" for i in range(14)]


def test_query_paginator(ddb, numbers):
    paginator = ddb.get_paginator("query")
    pages = list(paginator.paginate(TableName=numbers, KeyConditionExpression="pk = :p",
                                    ExpressionAttributeValues={":p": S("p")},
                                    PaginationConfig={"PageSize": 4}))
    assert [p["Count"] for p in pages] == [4, 4, 2]
    assert [int(v) for p in pages for v in sks(p["Items"])] == list(range(1, 11))
    result = paginator.paginate(TableName=numbers, KeyConditionExpression="pk = :p",
                                ExpressionAttributeValues={":p": S("p")},
                                PaginationConfig={"PageSize": 3}).build_full_result()
    assert result["Count"] == 10


# --- Select ----------------------------------------------------------------------

def test_select_count(ddb, numbers):
    page = q(ddb, numbers, "pk = :p", {":p": S("p")}, Select="COUNT")
    assert page["Count"] == 10 and page["ScannedCount"] == 10
    assert "Items" not in page
    page = q(ddb, numbers, "pk = :p", {":p": S("p"), ":t": S("odd")}, Select="COUNT",
             FilterExpression="tag = :t")
    assert page["Count"] == 5 and page["ScannedCount"] == 10


def test_select_specific_attributes(ddb, numbers):
    items = q(ddb, numbers, "pk = :p AND sk = :one", {":p": S("p"), ":one": N(1)},
              Select="SPECIFIC_ATTRIBUTES", ProjectionExpression="tag")["Items"]
    assert items == [{"tag": S("odd")}]
    items = q(ddb, numbers, "pk = :p AND sk = :one", {":p": S("p"), ":one": N(1)},
              ProjectionExpression="tag, sk")["Items"]
    assert items == [{"sk": N(1), "tag": S("odd")}]


@pytest.mark.parametrize("extra,message", [
    ({"Select": "SPECIFIC_ATTRIBUTES"}, None),
    ({"Select": "ALL_ATTRIBUTES", "ProjectionExpression": "tag"}, None),
    ({"Select": "COUNT", "ProjectionExpression": "tag"}, None),
    ({"Select": "ALL_PROJECTED_ATTRIBUTES"}, None),
])
def test_select_conflicts(ddb, numbers, extra, message):
    with validation(message):
        q(ddb, numbers, "pk = :p", {":p": S("p")}, **extra)


def test_invalid_select_value(ddb, numbers):
    with validation("1 validation error detected: Value 'EVERYTHING' at 'select' failed to satisfy "
                    "constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, "
                    "ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"):
        q(ddb, numbers, "pk = :p", {":p": S("p")}, Select="EVERYTHING")


# --- secondary indexes -----------------------------------------------------------

@pytest.fixture
def indexed(ddb, create_table):
    """Table pk/sk (S); GSI by_g (g, gs N, ALL), GSI keys_g (g, KEYS_ONLY), GSI inc_g (g,
    INCLUDE extra), LSI by_l (pk, l N, KEYS_ONLY). Items u0..u5 in partition "u": g = "G" for
    all but u5 (sparse), gs = 10 - i, l = i."""
    name = create_table(range_key=("sk", "S"), attributes=[("g", "S"), ("gs", "N"), ("l", "N")],
                        gsis=[gsi("by_g", "g", "gs"), gsi("keys_g", "g", projection="KEYS_ONLY"),
                              gsi("inc_g", "g", projection="INCLUDE", non_key=["extra"])],
                        lsis=[lsi("by_l", "pk", "l", projection="KEYS_ONLY")])
    for i in range(6):
        item = {"pk": S("u"), "sk": S(f"u{i}"), "gs": N(10 - i), "l": N(i), "extra": S(f"e{i}"),
                "misc": S(f"o{i}")}
        if i < 5:
            item["g"] = S("G")
        ddb.put_item(TableName=name, Item=item)
    return name


def test_global_index_query_orders_by_the_index_key(ddb, indexed):
    items = q(ddb, indexed, "g = :g", {":g": S("G")}, IndexName="by_g")["Items"]
    assert sks(items) == ["u4", "u3", "u2", "u1", "u0"]
    assert items[0] == {"pk": S("u"), "sk": S("u4"), "g": S("G"), "gs": N(6), "l": N(4),
                        "extra": S("e4"), "misc": S("o4")}
    items = q(ddb, indexed, "g = :g AND gs > :min", {":g": S("G"), ":min": N(7)},
              IndexName="by_g", ScanIndexForward=False)["Items"]
    assert sks(items) == ["u0", "u1", "u2"]


def test_global_index_last_evaluated_key_carries_index_and_table_keys(ddb, indexed):
    page = q(ddb, indexed, "g = :g", {":g": S("G")}, IndexName="by_g", Limit=2)
    assert page["LastEvaluatedKey"] == {"pk": S("u"), "sk": S("u3"), "g": S("G"), "gs": N(7)}
    items = query_all(ddb, TableName=indexed, IndexName="by_g", KeyConditionExpression="g = :g",
                      ExpressionAttributeValues={":g": S("G")}, Limit=2)
    assert sks(items) == ["u4", "u3", "u2", "u1", "u0"]


def test_hash_only_global_index_pages_through_equal_index_keys(ddb, indexed):
    page = q(ddb, indexed, "g = :g", {":g": S("G")}, IndexName="keys_g", Limit=2)
    assert set(page["LastEvaluatedKey"]) == {"pk", "sk", "g"}
    items = query_all(ddb, TableName=indexed, IndexName="keys_g", KeyConditionExpression="g = :g",
                      ExpressionAttributeValues={":g": S("G")}, Limit=2)
    assert sorted(sks(items)) == ["u0", "u1", "u2", "u3", "u4"]


def test_index_projections(ddb, indexed):
    keys_only = q(ddb, indexed, "g = :g", {":g": S("G")}, IndexName="keys_g")["Items"]
    assert {frozenset(i) for i in keys_only} == {frozenset({"pk", "sk", "g"})}
    included = q(ddb, indexed, "g = :g", {":g": S("G")}, IndexName="inc_g")["Items"]
    assert {frozenset(i) for i in included} == {frozenset({"pk", "sk", "g", "extra"})}
    projected = q(ddb, indexed, "g = :g", {":g": S("G")}, IndexName="keys_g",
                  Select="ALL_PROJECTED_ATTRIBUTES")["Items"]
    assert projected == keys_only


def test_all_attributes_from_a_partial_global_index_is_rejected(ddb, indexed):
    with validation(contains="ALL_ATTRIBUTES"):
        q(ddb, indexed, "g = :g", {":g": S("G")}, IndexName="keys_g", Select="ALL_ATTRIBUTES")


def test_consistent_read_on_a_global_index_is_rejected(ddb, indexed):
    with validation("Consistent reads are not supported on global secondary indexes"):
        q(ddb, indexed, "g = :g", {":g": S("G")}, IndexName="by_g", ConsistentRead=True)


def test_local_index_query_and_its_last_evaluated_key(ddb, indexed):
    page = q(ddb, indexed, "pk = :p AND l >= :min", {":p": S("u"), ":min": N(2)},
             IndexName="by_l", Limit=2, ConsistentRead=True)
    assert sks(page["Items"]) == ["u2", "u3"]
    assert page["Items"][0] == {"pk": S("u"), "sk": S("u2"), "l": N(2)}
    assert page["LastEvaluatedKey"] == {"pk": S("u"), "sk": S("u3"), "l": N(3)}
    rest = q(ddb, indexed, "pk = :p AND l >= :min", {":p": S("u"), ":min": N(2)},
             IndexName="by_l", ExclusiveStartKey=page["LastEvaluatedKey"])
    assert sks(rest["Items"]) == ["u4", "u5"]


def test_local_index_fetches_unprojected_attributes(ddb, indexed):
    items = q(ddb, indexed, "pk = :p AND l = :l", {":p": S("u"), ":l": N(1)}, IndexName="by_l",
              Select="ALL_ATTRIBUTES")["Items"]
    assert items == [{"pk": S("u"), "sk": S("u1"), "g": S("G"), "gs": N(9), "l": N(1),
                      "extra": S("e1"), "misc": S("o1")}]
    items = q(ddb, indexed, "pk = :p AND l = :l", {":p": S("u"), ":l": N(1)}, IndexName="by_l",
              ProjectionExpression="misc")["Items"]
    assert items == [{"misc": S("o1")}]


def test_index_entries_follow_updates_and_deletes(ddb, indexed):
    ddb.update_item(TableName=indexed, Key={"pk": S("u"), "sk": S("u0")},
                    UpdateExpression="REMOVE g")
    ddb.update_item(TableName=indexed, Key={"pk": S("u"), "sk": S("u5")},
                    UpdateExpression="SET g = :g", ExpressionAttributeValues={":g": S("G")})
    ddb.delete_item(TableName=indexed, Key={"pk": S("u"), "sk": S("u1")})
    items = q(ddb, indexed, "g = :g", {":g": S("G")}, IndexName="by_g")["Items"]
    assert sks(items) == ["u5", "u4", "u3", "u2"]


# --- Scan ------------------------------------------------------------------------

@pytest.fixture
def people(ddb, create_table):
    name = create_table()
    rows = [
        {"pk": S("ann"), "age": N(31), "tags": {"SS": ["admin", "dev"]}, "city": S("Oslo")},
        {"pk": S("bob"), "age": N(25), "tags": {"SS": ["dev"]}, "city": S("Bergen")},
        {"pk": S("cid"), "age": N(42), "nick": S(""), "city": S("Oslo")},
        {"pk": S("dee"), "age": S("unknown"), "city": S("Tromsø")},
        {"pk": S("eve"), "age": N(25), "tags": {"SS": ["ops"]}},
    ]
    for row in rows:
        ddb.put_item(TableName=name, Item=row)
    return name


@pytest.mark.parametrize("expression,values,names,expected", [
    ("age > :n", {":n": N(30)}, None, ["ann", "cid"]),
    ("age BETWEEN :a AND :b", {":a": N(25), ":b": N(31)}, None, ["ann", "bob", "eve"]),
    ("city IN (:a, :b)", {":a": S("Bergen"), ":b": S("Tromsø")}, None, ["bob", "dee"]),
    ("contains(tags, :t)", {":t": S("dev")}, None, ["ann", "bob"]),
    ("contains(city, :t)", {":t": S("sl")}, None, ["ann", "cid"]),
    ("begins_with(city, :t)", {":t": S("O")}, None, ["ann", "cid"]),
    ("attribute_exists(nick)", None, None, ["cid"]),
    ("attribute_not_exists(city)", None, None, ["eve"]),
    ("attribute_type(age, :s)", {":s": S("S")}, None, ["dee"]),
    ("size(tags) = :two", {":two": N(2)}, None, ["ann"]),
    ("size(nick) = :zero", {":zero": N(0)}, None, ["cid"]),
    ("NOT age = :n", {":n": N(25)}, None, ["ann", "cid", "dee"]),
    ("age = :n OR #c = :c", {":n": N(42), ":c": S("Bergen")}, {"#c": "city"}, ["bob", "cid"]),
    ("age <> :n AND attribute_exists(tags)", {":n": N(25)}, None, ["ann"]),
    ("age < :s", {":s": S("zzz")}, None, ["dee"]),  # comparisons only match the same type
])
def test_scan_filters(ddb, people, expression, values, names, expected):
    args = dict(TableName=people, FilterExpression=expression)
    if values:
        args["ExpressionAttributeValues"] = values
    if names:
        args["ExpressionAttributeNames"] = names
    page = ddb.scan(**args)
    assert sorted(i["pk"]["S"] for i in page["Items"]) == expected
    assert page["ScannedCount"] == 5


def test_parallel_scan_segments_cover_every_item_once(ddb, create_table):
    name = create_table(range_key=("sk", "N"))
    expected = set()
    for p in range(40):
        for s in range(2):
            ddb.put_item(TableName=name, Item={"pk": S(f"p{p}"), "sk": N(s)})
            expected.add((f"p{p}", str(s)))
    seen = []
    for segment in range(4):
        items = query_all(ddb, Scan=True, TableName=name, Segment=segment, TotalSegments=4, Limit=7)
        seen.extend((i["pk"]["S"], i["sk"]["N"]) for i in items)
    assert len(seen) == len(expected)
    assert set(seen) == expected
    # One segment of one is the whole table.
    assert len(query_all(ddb, Scan=True, TableName=name, Segment=0, TotalSegments=1)) == 80


@pytest.mark.parametrize("args", [
    {"Segment": 4, "TotalSegments": 4},
    {"Segment": 0},
    {"TotalSegments": 2},
])
def test_invalid_segments(ddb, people, args):
    with validation():
        ddb.scan(TableName=people, **args)


def test_scan_paging_with_limit(ddb, people):
    page = ddb.scan(TableName=people, Limit=2)
    assert page["Count"] == 2 and "LastEvaluatedKey" in page
    assert set(page["LastEvaluatedKey"]) == {"pk"}
    items = query_all(ddb, Scan=True, TableName=people, Limit=2)
    assert sorted(i["pk"]["S"] for i in items) == ["ann", "bob", "cid", "dee", "eve"]


def test_scan_filter_after_limit_and_select_count(ddb, people):
    page = ddb.scan(TableName=people, Select="COUNT", FilterExpression="city = :c",
                    ExpressionAttributeValues={":c": S("Oslo")})
    assert page == {**page, "Count": 2, "ScannedCount": 5}
    assert "Items" not in page


def test_scan_paginator(ddb, people):
    pages = list(ddb.get_paginator("scan").paginate(TableName=people,
                                                    PaginationConfig={"PageSize": 2}))
    assert sorted(i["pk"]["S"] for p in pages for i in p["Items"]) == \
        ["ann", "bob", "cid", "dee", "eve"]


def test_scan_of_a_sparse_global_index(ddb, indexed):
    items = query_all(ddb, Scan=True, TableName=indexed, IndexName="by_g", Limit=2)
    assert sorted(sks(items)) == ["u0", "u1", "u2", "u3", "u4"]
    page = ddb.scan(TableName=indexed, IndexName="by_g", Limit=1)
    assert set(page["LastEvaluatedKey"]) == {"pk", "sk", "g", "gs"}


def test_scan_of_a_local_index(ddb, indexed):
    items = ddb.scan(TableName=indexed, IndexName="by_l")["Items"]
    assert sks(items) == ["u0", "u1", "u2", "u3", "u4", "u5"]
    assert set(items[0]) == {"pk", "sk", "l"}


def test_scan_projection(ddb, people):
    items = ddb.scan(TableName=people, ProjectionExpression="city", FilterExpression="pk = :p",
                     ExpressionAttributeValues={":p": S("bob")})["Items"]
    assert items == [{"city": S("Bergen")}]
