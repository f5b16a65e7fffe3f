"""DynamoDB PartiQL: ExecuteStatement (INSERT, SELECT as a key lookup, a Query or a Scan,
projections, indexes, ORDER BY, Limit and NextToken, UPDATE, DELETE, RETURNING, errors),
BatchExecuteStatement (per-statement results and errors) and ExecuteTransaction (all or
nothing, cancellation reasons, read-only transactions).

AWS's behaviour and messages come from the PartiQL chapters of the DynamoDB developer guide
and API reference, from the captures of the dynamodb-conformance suite
(nubo-db/dynamodb-conformance: tests/tier2/partiql/*.test.ts and
tests/tier3/error-messages/partiql.test.ts, pinned against AWS) and from the PartiQL
translator DynamoDB Local ships (its validation messages are AWS's own).

Where Offcloud runs a statement differently from AWS but to the same effect (an OR on the
partition key runs as a Scan here), the tests check what comes back, not the plan."""

import pytest

from support.dynamodb import N, S, gsi, raises_ddb, validation

MALFORMED = "Statement wasn't well formed, can't be processed"


def run(ddb, statement: str, *parameters, **extra) -> dict:
    """ExecuteStatement with positional `?` parameters."""
    args = {"Statement": statement, **extra}
    if parameters:
        args["Parameters"] = list(parameters)
    return ddb.execute_statement(**args)


def sks(items) -> list[int]:
    return [int(item["sk"]["N"]) for item in items]


def keys(items) -> set[tuple[str, int]]:
    return {(item["pk"]["S"], int(item["sk"]["N"])) for item in items}


def page_all(ddb, statement: str, limit: int, max_pages: int = 30) -> tuple[list, list[int]]:
    """Every item of a SELECT read `limit` at a time, following NextToken; and the page sizes."""
    items: list = []
    sizes: list[int] = []
    token = None
    for _ in range(max_pages):
        args = {"Statement": statement, "Limit": limit}
        if token:
            args["NextToken"] = token
        response = ddb.execute_statement(**args)
        items.extend(response["Items"])
        sizes.append(len(response["Items"]))
        token = response.get("NextToken")
        if not token:
            return items, sizes
    pytest.fail(f"still paging after {max_pages} pages")


@pytest.fixture
def songs(ddb, create_table) -> str:
    """pk "p" with sk 1..6 (N), n = 10*sk, tag odd/even, g = "G" on the even ones (a GSI
    by_g on g, sk); `extra` only on sk 2; plus pk "q" sk 1."""
    name = create_table(range_key=("sk", "N"), attributes=[("g", "S")],
                        gsis=[gsi("by_g", "g", "sk")])
    for i in range(1, 7):
        item = {"pk": S("p"), "sk": N(i), "n": N(10 * i), "tag": S("odd" if i % 2 else "even")}
        if i % 2 == 0:
            item["g"] = S("G")
        if i == 2:
            item["extra"] = S("here")
        ddb.put_item(TableName=name, Item=item)
    ddb.put_item(TableName=name, Item={"pk": S("q"), "sk": N(1), "n": N(100), "tag": S("odd")})
    return name


def get(ddb, table: str, pk: str, sk: str) -> dict | None:
    return ddb.get_item(TableName=table, Key={"pk": S(pk), "sk": S(sk)},
                        ConsistentRead=True).get("Item")


# --- INSERT ----------------------------------------------------------------------

def test_insert_writes_every_literal_type(ddb, ddb_table):
    response = run(ddb, f"""INSERT INTO "{ddb_table}" VALUE {{
        'pk': 'a', 'sk': '1', 's': 'text', 'n': 1.50, 'neg': -7, 't': true, 'f': false,
        'z': null, 'm': {{'x': {{'y': 'deep'}}}}, 'l': [1, 'two', [3]],
        'ss': <<'b', 'a'>>, 'ns': <<1, 2>>}}""")
    assert response.get("Items", []) == []

    item = get(ddb, ddb_table, "a", "1")
    assert item is not None
    assert {k: v for k, v in item.items() if k not in ("ss", "ns")} == {
        "pk": S("a"), "sk": S("1"), "s": S("text"), "n": N("1.5"), "neg": N(-7),
        "t": {"BOOL": True}, "f": {"BOOL": False}, "z": {"NULL": True},
        "m": {"M": {"x": {"M": {"y": S("deep")}}}},
        "l": {"L": [N(1), S("two"), {"L": [N(3)]}]},
    }
    assert sorted(item["ss"]["SS"]) == ["a", "b"]
    assert sorted(item["ns"]["NS"]) == ["1", "2"]


def test_insert_of_an_existing_key_is_a_duplicate_item(ddb, ddb_table):
    run(ddb, f"INSERT INTO \"{ddb_table}\" VALUE {{'pk': 'a', 'sk': '1', 'v': 'first'}}")
    with raises_ddb("DuplicateItemException", "Duplicate primary key exists in table"):
        run(ddb, f"INSERT INTO \"{ddb_table}\" VALUE {{'pk': 'a', 'sk': '1', 'v': 'second'}}")
    assert get(ddb, ddb_table, "a", "1")["v"] == S("first")


def test_insert_after_delete_of_the_same_key(ddb, ddb_table):
    statement = f"INSERT INTO \"{ddb_table}\" VALUE {{'pk': 'a', 'sk': '1'}}"
    run(ddb, statement)
    run(ddb, f"DELETE FROM \"{ddb_table}\" WHERE pk = 'a' AND sk = '1'")
    run(ddb, statement)
    assert get(ddb, ddb_table, "a", "1") == {"pk": S("a"), "sk": S("1")}


# --- parameters --------------------------------------------------------------------

def test_parameters_bind_in_order(ddb, ddb_table):
    run(ddb, f"INSERT INTO \"{ddb_table}\" VALUE {{'pk': ?, 'sk': ?, 'm': ?, 'n': ?, 'b': ?}}",
        S("a"), S("1"), {"M": {"k": S("v")}}, N(5), {"B": b"\x00\xff"})
    items = run(ddb, f'SELECT * FROM "{ddb_table}" WHERE pk = ? AND sk = ?',
                S("a"), S("1"))["Items"]
    assert items == [{"pk": S("a"), "sk": S("1"), "m": {"M": {"k": S("v")}}, "n": N(5),
                      "b": {"B": b"\x00\xff"}}]
    # A parameter is a value, never a name: the same statement with other values.
    assert run(ddb, f'SELECT * FROM "{ddb_table}" WHERE pk = ? AND sk = ?',
               S("a"), S("2"))["Items"] == []


@pytest.mark.parametrize("placeholders,given", [(2, 1), (1, 2), (1, 0), (0, 1)])
def test_parameter_count_must_match(ddb, ddb_table, placeholders, given):
    where = " AND ".join(["pk = ?", "sk = ?"][:placeholders]) or "pk = 'a' AND sk = '1'"
    with validation("Number of parameters in request and statement don't match."):
        run(ddb, f'SELECT * FROM "{ddb_table}" WHERE {where}', *[S("a")] * given)


# --- SELECT --------------------------------------------------------------------------

def test_select_by_the_full_key(ddb, songs):
    items = run(ddb, f'SELECT * FROM "{songs}" WHERE pk = \'p\' AND sk = 2')["Items"]
    assert items == [{"pk": S("p"), "sk": N(2), "n": N(20), "tag": S("even"), "g": S("G"),
                      "extra": S("here")}]
    assert run(ddb, f'SELECT * FROM "{songs}" WHERE pk = \'p\' AND sk = 99')["Items"] == []
    assert run(ddb, f'SELECT * FROM "{songs}" WHERE pk = \'nobody\'')["Items"] == []


@pytest.mark.parametrize("condition,expected", [
    ("", [1, 2, 3, 4, 5, 6]),
    ("AND sk = 3", [3]),
    ("AND sk > 4", [5, 6]),
    ("AND sk >= 4", [4, 5, 6]),
    ("AND sk < 3", [1, 2]),
    ("AND sk <= 3", [1, 2, 3]),
    ("AND sk BETWEEN 2 AND 4", [2, 3, 4]),
    ("AND 5 <= sk", [5, 6]),
    ("AND sk > 1 AND sk < 4", [2, 3]),
])
def test_select_by_partition_key_and_sort_key_condition(ddb, songs, condition, expected):
    items = run(ddb, f'SELECT * FROM "{songs}" WHERE pk = \'p\' {condition}')["Items"]
    assert sks(items) == expected


def test_begins_with_on_a_string_sort_key(ddb, ddb_table):
    for sk in ("2024-01-01", "2024-01-31", "2024-02-01", "2023-12-31"):
        ddb.put_item(TableName=ddb_table, Item={"pk": S("d"), "sk": S(sk)})
    items = run(ddb, f"SELECT sk FROM \"{ddb_table}\" WHERE pk = 'd' "
                     f"AND begins_with(sk, '2024-01')")["Items"]
    assert items == [{"sk": S("2024-01-01")}, {"sk": S("2024-01-31")}]


@pytest.mark.parametrize("condition,expected", [
    ("n > 30", [4, 5, 6]),
    ("tag = 'odd'", [1, 3, 5]),
    ("n <> 30", [1, 2, 4, 5, 6]),
    ("n IN [10, 60, 999]", [1, 6]),
    ("extra IS MISSING", [1, 3, 4, 5, 6]),
    ("extra IS NOT MISSING", [2]),
    ("begins_with(tag, 'ev')", [2, 4, 6]),
    ("contains(tag, 'dd')", [1, 3, 5]),
    ("(n = 10 OR n = 50)", [1, 5]),
    ("NOT tag = 'odd'", [2, 4, 6]),
    ("sk > 2 AND tag = 'even'", [4, 6]),
    ("n BETWEEN 15 AND 45", [2, 3, 4]),
])
def test_select_by_partition_key_with_a_filter(ddb, songs, condition, expected):
    items = run(ddb, f'SELECT * FROM "{songs}" WHERE pk = \'p\' AND {condition}')["Items"]
    assert sks(items) == expected


@pytest.mark.parametrize("where,expected", [
    ("", {("p", i) for i in range(1, 7)} | {("q", 1)}),
    ("WHERE tag = 'odd'", {("p", 1), ("p", 3), ("p", 5), ("q", 1)}),
    ("WHERE sk = 1", {("p", 1), ("q", 1)}),
    ("WHERE n BETWEEN 20 AND 40", {("p", 2), ("p", 3), ("p", 4)}),
    # Offcloud runs an OR or an IN on the partition key as a Scan; the items are the same.
    ("WHERE pk = 'p' OR pk = 'q'", {("p", i) for i in range(1, 7)} | {("q", 1)}),
    ("WHERE pk IN ['q', 'nobody']", {("q", 1)}),
    ("WHERE pk = 'q' OR n = 60", {("q", 1), ("p", 6)}),
])
def test_select_without_the_partition_key_scans(ddb, songs, where, expected):
    assert keys(run(ddb, f'SELECT * FROM "{songs}" {where}')["Items"]) == expected


def test_select_projects_attributes_and_nested_paths(ddb, ddb_table):
    ddb.put_item(TableName=ddb_table, Item={
        "pk": S("a"), "sk": S("1"), "n": N(1), "other": S("no"),
        "m": {"M": {"x": {"M": {"y": S("deep"), "z": S("also")}}}}})
    base = f"FROM \"{ddb_table}\" WHERE pk = 'a' AND sk = '1'"
    assert run(ddb, f"SELECT pk, n {base}")["Items"] == [{"pk": S("a"), "n": N(1)}]
    # A nested path comes back under its last name.
    assert run(ddb, f"SELECT m.x.y {base}")["Items"] == [{"y": S("deep")}]
    assert run(ddb, f"SELECT m.x {base}")["Items"] == [
        {"x": {"M": {"y": S("deep"), "z": S("also")}}}]
    # Attributes the item lacks are left out; quoted names work as paths.
    assert run(ddb, f'SELECT "n", absent, "m"."x"."z" {base}')["Items"] == [
        {"n": N(1), "z": S("also")}]


def test_select_from_a_global_secondary_index(ddb, songs):
    index = f'"{songs}"."by_g"'
    items = run(ddb, f"SELECT * FROM {index} WHERE g = 'G'")["Items"]
    assert sks(items) == [2, 4, 6]
    assert items[0] == {"pk": S("p"), "sk": N(2), "n": N(20), "tag": S("even"), "g": S("G"),
                        "extra": S("here")}
    assert sks(run(ddb, f"SELECT * FROM {index} WHERE g = 'G' AND sk > 2")["Items"]) == [4, 6]
    assert sks(run(ddb, f"SELECT * FROM {index} WHERE g = 'G' ORDER BY sk DESC")["Items"]) \
        == [6, 4, 2]
    # Without the index key: a Scan of the index, which holds only the items that have g.
    assert keys(run(ddb, f"SELECT pk, sk FROM {index}")["Items"]) == {("p", 2), ("p", 4), ("p", 6)}


def test_select_from_an_unknown_index(ddb, songs):
    # AWS: dynamodb-conformance partiql.test.ts "a qualifier naming no index".
    with validation("The table does not have the specified index"):
        run(ddb, f'SELECT * FROM "{songs}"."nope" WHERE pk = \'p\'')


def test_consistent_read_of_a_global_index_is_refused(ddb, songs):
    # AWS: dynamodb-conformance partiql.test.ts "ConsistentRead against a GSI qualifier".
    with validation("Strongly consistent read is not supported on Global Secondary Indexes"):
        run(ddb, f'SELECT * FROM "{songs}"."by_g" WHERE g = \'G\'', ConsistentRead=True)


# --- ORDER BY --------------------------------------------------------------------

@pytest.mark.parametrize("clause,expected", [
    ("WHERE pk = 'p' ORDER BY sk DESC", [6, 5, 4, 3, 2, 1]),
    ("WHERE pk = 'p' ORDER BY sk ASC", [1, 2, 3, 4, 5, 6]),
    ("WHERE pk = 'p' ORDER BY sk", [1, 2, 3, 4, 5, 6]),
    ("WHERE pk = 'p' AND sk > 3 ORDER BY sk DESC", [6, 5, 4]),
    ("WHERE pk = 'p' AND tag = 'odd' ORDER BY sk DESC", [5, 3, 1]),
])
def test_order_by_the_sort_key(ddb, songs, clause, expected):
    assert sks(run(ddb, f'SELECT * FROM "{songs}" {clause}')["Items"]) == expected


def test_order_by_desc_pages_in_descending_order(ddb, songs):
    items, sizes = page_all(ddb, f"SELECT sk FROM \"{songs}\" WHERE pk = 'p' ORDER BY sk DESC", 4)
    assert sks(items) == [6, 5, 4, 3, 2, 1]
    assert all(size <= 4 for size in sizes)


@pytest.mark.parametrize("clause,message", [
    ("ORDER BY sk", "Must have WHERE clause in the statement when using ORDER BY clause."),
    ("WHERE n > 1 ORDER BY sk",
     "Must have at least one non-optional hash key condition in WHERE clause when using "
     "ORDER BY clause."),
    ("WHERE pk = 'p' ORDER BY n",
     "Variable reference n in ORDER BY clause must be part of the primary key"),
])
def test_order_by_rules(ddb, songs, clause, message):
    with validation(message):
        run(ddb, f'SELECT * FROM "{songs}" {clause}')


# --- Limit and NextToken ---------------------------------------------------------

def test_limit_pages_a_query_until_exhausted(ddb, songs):
    first = ddb.execute_statement(Statement=f"SELECT * FROM \"{songs}\" WHERE pk = 'p'", Limit=2)
    assert sks(first["Items"]) == [1, 2]
    assert first["NextToken"]

    items, sizes = page_all(ddb, f"SELECT * FROM \"{songs}\" WHERE pk = 'p'", 2)
    assert sks(items) == [1, 2, 3, 4, 5, 6]
    assert all(size <= 2 for size in sizes)
    assert 3 <= len(sizes) <= 4  # a last, empty page may confirm the end


def test_limit_pages_a_scan_until_exhausted(ddb, songs):
    items, sizes = page_all(ddb, f'SELECT * FROM "{songs}"', 3)
    assert len(items) == 7
    assert keys(items) == {("p", i) for i in range(1, 7)} | {("q", 1)}
    assert all(size <= 3 for size in sizes)


def test_limit_counts_items_read_before_the_filter(ddb, songs):
    # As in Query and Scan, Limit bounds the items evaluated; the filter runs afterwards.
    first = ddb.execute_statement(
        Statement=f"SELECT * FROM \"{songs}\" WHERE pk = 'p' AND tag = 'even'", Limit=1)
    assert first["Items"] == []
    assert first["NextToken"]

    items, _ = page_all(ddb, f"SELECT * FROM \"{songs}\" WHERE pk = 'p' AND tag = 'even'", 2)
    assert sks(items) == [2, 4, 6]


# --- UPDATE --------------------------------------------------------------------------

@pytest.fixture
def record(ddb, ddb_table) -> str:
    ddb.put_item(TableName=ddb_table, Item={
        "pk": S("a"), "sk": S("1"), "s": S("old"), "n": N(10), "gone": S("x"),
        "l": {"L": [N(1)]}, "ss": {"SS": ["a"]}, "m": {"M": {"x": N(1)}}})
    return ddb_table


def test_update_sets_computes_and_removes(ddb, record):
    response = run(ddb, f"""UPDATE "{record}"
        SET s = 'new' SET n = n + 5 SET m.x = 2 SET l = list_append(l, [2])
        SET ss = set_add(ss, <<'b'>>) SET fresh = 'yes' REMOVE gone
        WHERE pk = 'a' AND sk = '1'""")
    assert response.get("Items", []) == []
    item = get(ddb, record, "a", "1")
    assert item["s"] == S("new")
    assert item["n"] == N(15)
    assert item["m"] == {"M": {"x": N(2)}}
    assert item["l"] == {"L": [N(1), N(2)]}
    assert sorted(item["ss"]["SS"]) == ["a", "b"]
    assert item["fresh"] == S("yes")
    assert "gone" not in item


def test_update_arithmetic_with_parameters(ddb, record):
    run(ddb, f'UPDATE "{record}" SET n = n - ? WHERE pk = ? AND sk = ?', N(3), S("a"), S("1"))
    assert get(ddb, record, "a", "1")["n"] == N(7)
    run(ddb, f"UPDATE \"{record}\" SET total = n + n WHERE pk = 'a' AND sk = '1'")
    assert get(ddb, record, "a", "1")["total"] == N(14)


def test_update_of_a_missing_item_fails_its_condition(ddb, ddb_table):
    with raises_ddb("ConditionalCheckFailedException", "The conditional request failed"):
        run(ddb, f"UPDATE \"{ddb_table}\" SET v = 1 WHERE pk = 'nobody' AND sk = '1'")
    assert get(ddb, ddb_table, "nobody", "1") is None  # UPDATE never creates an item


def test_update_with_more_conditions(ddb, record):
    with raises_ddb("ConditionalCheckFailedException", "The conditional request failed"):
        run(ddb, f"UPDATE \"{record}\" SET s = 'x' WHERE pk = 'a' AND sk = '1' AND s = 'other'")
    assert get(ddb, record, "a", "1")["s"] == S("old")
    run(ddb, f"UPDATE \"{record}\" SET s = 'x' WHERE pk = 'a' AND sk = '1' AND s = 'old' "
             f"AND n > 5")
    assert get(ddb, record, "a", "1")["s"] == S("x")


@pytest.mark.parametrize("returning,expected", [
    ("ALL NEW *", "all_new"),
    ("ALL OLD *", "all_old"),
    ("MODIFIED NEW *", {"s": S("new")}),
    ("MODIFIED OLD *", {"s": S("old")}),
])
def test_update_returning(ddb, record, returning, expected):
    old = get(ddb, record, "a", "1")
    if expected == "all_new":
        expected = {**old, "s": S("new")}
    elif expected == "all_old":
        expected = old
    items = run(ddb, f"UPDATE \"{record}\" SET s = 'new' WHERE pk = 'a' AND sk = '1' "
                     f"RETURNING {returning}")["Items"]
    assert items == [expected]


def test_update_needs_the_whole_key(ddb, record):
    with validation("Where clause does not contain a mandatory equality on all key attributes"):
        run(ddb, f"UPDATE \"{record}\" SET s = 'x' WHERE pk = 'a'")


# --- DELETE --------------------------------------------------------------------------

def test_delete_removes_the_item(ddb, record):
    response = run(ddb, f"DELETE FROM \"{record}\" WHERE pk = 'a' AND sk = '1'")
    assert response.get("Items", []) == []
    assert get(ddb, record, "a", "1") is None


def test_delete_of_a_missing_item_succeeds(ddb, ddb_table):
    assert run(ddb, f"DELETE FROM \"{ddb_table}\" WHERE pk = 'nobody' AND sk = '1'") \
        .get("Items", []) == []


def test_delete_with_more_conditions(ddb, record):
    with raises_ddb("ConditionalCheckFailedException", "The conditional request failed"):
        run(ddb, f"DELETE FROM \"{record}\" WHERE pk = 'a' AND sk = '1' AND n > 100")
    assert get(ddb, record, "a", "1") is not None
    run(ddb, f"DELETE FROM \"{record}\" WHERE pk = 'a' AND sk = '1' AND n = 10 AND s = 'old'")
    assert get(ddb, record, "a", "1") is None


def test_conditional_delete_of_a_missing_item_fails(ddb, ddb_table):
    # DynamoDB's PartiQL turns the extra conditions into the DeleteItem's
    # ConditionExpression (DynamoDB Local's DeleteStatementTranslator), and a condition on
    # an attribute of an item that does not exist is false.
    with raises_ddb("ConditionalCheckFailedException", "The conditional request failed"):
        run(ddb, f"DELETE FROM \"{ddb_table}\" WHERE pk = 'nobody' AND sk = '1' AND v = 1")


def test_delete_returning_all_old(ddb, record):
    old = get(ddb, record, "a", "1")
    items = run(ddb, f"DELETE FROM \"{record}\" WHERE pk = 'a' AND sk = '1' "
                     f"RETURNING ALL OLD *")["Items"]
    assert items == [old]


def test_delete_returning_anything_else_is_refused(ddb, record):
    # AWS: dynamodb-conformance partiql.test.ts "DELETE RETURNING ALL NEW *".
    with validation("Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * "
                    "is allowed in DELETE statements."):
        run(ddb, f"DELETE FROM \"{record}\" WHERE pk = 'a' AND sk = '1' RETURNING ALL NEW *")
    assert get(ddb, record, "a", "1") is not None


def test_delete_needs_the_whole_key(ddb, record):
    with validation("Where clause does not contain a mandatory equality on all key attributes"):
        run(ddb, f"DELETE FROM \"{record}\" WHERE pk = 'a'")


# --- errors --------------------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    "SELECT * FROM \"missing-table\" WHERE pk = 'a'",
    "INSERT INTO \"missing-table\" VALUE {'pk': 'a'}",
    "UPDATE \"missing-table\" SET v = 1 WHERE pk = 'a'",
    "DELETE FROM \"missing-table\" WHERE pk = 'a'",
])
def test_unknown_table(ddb, statement):
    with raises_ddb("ResourceNotFoundException", "Requested resource not found"):
        run(ddb, statement)


def test_misspelt_keyword_is_a_syntax_error(ddb, ddb_table):
    # AWS: dynamodb-conformance batchExecuteStatement.test.ts (the same member error).
    with validation(f"{MALFORMED}: Expected data manipulation"):
        run(ddb, f"SLECT * FROM \"{ddb_table}\" WHERE pk = 'a'")


@pytest.mark.parametrize("statement", [
    "SELECT * FROM",
    "SELECT * FROM \"{t}\" WHERE",
    "SELECT * FROM \"{t}\" WHERE pk = 'unterminated",
    "SELECT * \"{t}\"",
    "INSERT INTO \"{t}\" VALUE {{'pk': 'a', 'sk': '1'",
    "UPDATE \"{t}\" WHERE pk = 'a' AND sk = '1'",
    "DELETE \"{t}\" WHERE pk = 'a' AND sk = '1'",
    "SELECT * FROM \"{t}\" WHERE pk = 'a' extra words",
])
def test_syntax_errors(ddb, ddb_table, statement):
    with validation(contains=MALFORMED):
        run(ddb, statement.format(t=ddb_table))


# --- BatchExecuteStatement -------------------------------------------------------

def test_batch_runs_each_write_on_its_own(ddb, ddb_table):
    ddb.put_item(TableName=ddb_table, Item={"pk": S("dup"), "sk": S("1"), "v": N(1)})
    t = f'"{ddb_table}"'
    responses = ddb.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO {t} VALUE {{'pk': 'new', 'sk': '1'}}"},
        {"Statement": f"INSERT INTO {t} VALUE {{'pk': ?, 'sk': '1'}}", "Parameters": [S("dup")]},
        {"Statement": f"UPDATE {t} SET v = 9 WHERE pk = 'nobody' AND sk = '1'"},
        {"Statement": f"UPDATE {t} SET v = v + 1 WHERE pk = 'dup' AND sk = '1'"},
        {"Statement": f"DELETE FROM {t} WHERE pk = 'nobody' AND sk = '1'"},
        {"Statement": "INSERT INTO \"missing-table\" VALUE {'pk': 'a'}"},
    ])["Responses"]
    assert len(responses) == 6

    for i in (0, 3, 4):
        assert "Error" not in responses[i], responses[i]
        assert "Item" not in responses[i]
    assert responses[0]["TableName"] == ddb_table
    assert responses[1]["Error"] == {"Code": "DuplicateItem",
                                     "Message": "Duplicate primary key exists in table"}
    assert responses[1]["TableName"] == ddb_table
    assert responses[2]["Error"] == {"Code": "ConditionalCheckFailed",
                                     "Message": "The conditional request failed"}
    assert responses[2]["TableName"] == ddb_table
    assert responses[5]["Error"] == {"Code": "ResourceNotFound",
                                     "Message": "Requested resource not found"}

    assert get(ddb, ddb_table, "new", "1") == {"pk": S("new"), "sk": S("1")}
    assert get(ddb, ddb_table, "dup", "1")["v"] == N(2)
    assert get(ddb, ddb_table, "nobody", "1") is None


def test_batch_reads_return_items_in_order(ddb, ddb_table):
    for pk in ("a", "b"):
        ddb.put_item(TableName=ddb_table, Item={"pk": S(pk), "sk": S("1"), "v": S(pk * 2)})
    t = f'"{ddb_table}"'
    responses = ddb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM {t} WHERE pk = 'b' AND sk = '1'"},
        {"Statement": f"SELECT * FROM {t} WHERE pk = ? AND sk = ?",
         "Parameters": [S("nobody"), S("1")]},
        {"Statement": f"SELECT v FROM {t} WHERE pk = ? AND sk = '1'", "Parameters": [S("a")]},
    ])["Responses"]
    assert responses[0]["Item"] == {"pk": S("b"), "sk": S("1"), "v": S("bb")}
    assert "Item" not in responses[1] and "Error" not in responses[1]
    assert responses[2]["Item"] == {"v": S("aa")}
    assert all(r["TableName"] == ddb_table for r in responses)


def test_batch_reports_a_malformed_statement_as_a_validation_error(ddb, ddb_table):
    # AWS: dynamodb-conformance batchExecuteStatement.test.ts — the member's Code is
    # ValidationError (BatchStatementErrorCodeEnum), and its neighbours still run.
    ddb.put_item(TableName=ddb_table, Item={"pk": S("a"), "sk": S("1")})
    responses = ddb.batch_execute_statement(Statements=[
        {"Statement": f"SLECT * FROM \"{ddb_table}\" WHERE pk = 'a' AND sk = '1'"},
        {"Statement": f"SELECT * FROM \"{ddb_table}\" WHERE pk = 'a' AND sk = '1'"},
    ])["Responses"]
    assert responses[0]["Error"] == {"Code": "ValidationError",
                                     "Message": f"{MALFORMED}: Expected data manipulation"}
    assert responses[1]["Item"] == {"pk": S("a"), "sk": S("1")}


def test_batch_select_must_name_the_whole_key(ddb, ddb_table):
    # AWS: dynamodb-conformance batchExecuteStatement.test.ts "a batch SELECT must name the
    # table primary key" — a per-member ValidationError, the rest of the batch runs.
    ddb.put_item(TableName=ddb_table, Item={"pk": S("a"), "sk": S("1"), "v": S("x")})
    responses = ddb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{ddb_table}\" WHERE v = 'x'"},
        {"Statement": f"SELECT * FROM \"{ddb_table}\" WHERE pk = 'a'"},
        {"Statement": f"SELECT * FROM \"{ddb_table}\" WHERE pk = 'a' AND sk = '1'"},
    ])["Responses"]
    for response in responses[:2]:
        assert response.get("Error", {}).get("Code") == "ValidationError", response
        assert "must specify the primary key in the where clause" in response["Error"]["Message"]
        assert "Item" not in response
    assert responses[2]["Item"]["v"] == S("x")


def test_batch_honours_returning(ddb, record):
    # AWS: dynamodb-conformance batchExecuteStatement.test.ts "honours a RETURNING clause".
    old = get(ddb, record, "a", "1")
    responses = ddb.batch_execute_statement(Statements=[
        {"Statement": f"DELETE FROM \"{record}\" WHERE pk = 'a' AND sk = '1' RETURNING ALL OLD *"},
    ])["Responses"]
    assert responses[0].get("Item") == old
    assert get(ddb, record, "a", "1") is None


def test_batch_limit_is_25_statements(ddb, ddb_table):
    statement = f"INSERT INTO \"{ddb_table}\" VALUE {{'pk': ?, 'sk': '1'}}"
    batch = [{"Statement": statement, "Parameters": [S(f"k{i}")]} for i in range(26)]
    with validation(contains="Member must have length less than or equal to 25"):
        ddb.batch_execute_statement(Statements=batch)
    assert ddb.scan(TableName=ddb_table)["Count"] == 0

    responses = ddb.batch_execute_statement(Statements=batch[:25])["Responses"]
    assert len(responses) == 25
    assert not [r for r in responses if "Error" in r]
    assert ddb.scan(TableName=ddb_table)["Count"] == 25


# --- ExecuteTransaction ----------------------------------------------------------

def test_transaction_applies_every_write(ddb, ddb_table):
    for pk in ("upd", "del"):
        ddb.put_item(TableName=ddb_table, Item={"pk": S(pk), "sk": S("1"), "n": N(1)})
    t = f'"{ddb_table}"'
    ddb.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO {t} VALUE {{'pk': 'ins', 'sk': '1'}}"},
        {"Statement": f"UPDATE {t} SET n = n + ? WHERE pk = 'upd' AND sk = '1'",
         "Parameters": [N(4)]},
        {"Statement": f"DELETE FROM {t} WHERE pk = 'del' AND sk = '1'"},
    ])
    assert get(ddb, ddb_table, "ins", "1") == {"pk": S("ins"), "sk": S("1")}
    assert get(ddb, ddb_table, "upd", "1")["n"] == N(5)
    assert get(ddb, ddb_table, "del", "1") is None


def test_transaction_duplicate_insert_cancels_everything(ddb, ddb_table):
    for pk in ("keep", "dup"):
        ddb.put_item(TableName=ddb_table, Item={"pk": S(pk), "sk": S("1"), "v": S("before")})
    t = f'"{ddb_table}"'
    with raises_ddb("TransactionCanceledException") as info:
        ddb.execute_transaction(TransactStatements=[
            {"Statement": f"UPDATE {t} SET v = 'after' WHERE pk = 'keep' AND sk = '1'"},
            {"Statement": f"INSERT INTO {t} VALUE {{'pk': 'dup', 'sk': '1'}}"},
            {"Statement": f"INSERT INTO {t} VALUE {{'pk': 'new', 'sk': '1'}}"},
        ])
    error = info.value.response
    assert error["Error"]["Message"] == (
        "Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[None, DuplicateItem, None]")
    reasons = error["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "DuplicateItem", "None"]
    assert reasons[1]["Message"] == "Duplicate primary key exists in table"

    assert get(ddb, ddb_table, "keep", "1")["v"] == S("before")
    assert get(ddb, ddb_table, "dup", "1")["v"] == S("before")
    assert get(ddb, ddb_table, "new", "1") is None


def test_transaction_update_of_a_missing_item_cancels(ddb, ddb_table):
    t = f'"{ddb_table}"'
    with raises_ddb("TransactionCanceledException") as info:
        ddb.execute_transaction(TransactStatements=[
            {"Statement": f"INSERT INTO {t} VALUE {{'pk': 'new', 'sk': '1'}}"},
            {"Statement": f"UPDATE {t} SET v = 1 WHERE pk = 'nobody' AND sk = '1'"},
        ])
    reasons = info.value.response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "ConditionalCheckFailed"]
    assert get(ddb, ddb_table, "new", "1") is None


def test_read_transaction_returns_items_in_order(ddb, ddb_table):
    for pk in ("a", "b"):
        ddb.put_item(TableName=ddb_table, Item={"pk": S(pk), "sk": S("1"), "v": S(pk)})
    t = f'"{ddb_table}"'
    responses = ddb.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT * FROM {t} WHERE pk = 'b' AND sk = '1'"},
        {"Statement": f"SELECT * FROM {t} WHERE pk = 'nobody' AND sk = '1'"},
        {"Statement": f"SELECT v FROM {t} WHERE pk = ? AND sk = ?", "Parameters": [S("a"), S("1")]},
    ])["Responses"]
    assert len(responses) == 3
    assert responses[0] == {"Item": {"pk": S("b"), "sk": S("1"), "v": S("b")}}
    assert "Item" not in responses[1]
    assert responses[2] == {"Item": {"v": S("a")}}


def test_transaction_cannot_mix_reads_and_writes(ddb, ddb_table):
    # AWS: "The entire transaction must consist of either read statements or write
    # statements" (ExecuteTransaction API reference).
    ddb.put_item(TableName=ddb_table, Item={"pk": S("a"), "sk": S("1")})
    t = f'"{ddb_table}"'
    with validation():
        ddb.execute_transaction(TransactStatements=[
            {"Statement": f"SELECT * FROM {t} WHERE pk = 'a' AND sk = '1'"},
            {"Statement": f"INSERT INTO {t} VALUE {{'pk': 'new', 'sk': '1'}}"},
        ])
    assert get(ddb, ddb_table, "new", "1") is None


def test_transaction_refuses_returning(ddb, record):
    # AWS: dynamodb-conformance partiql.test.ts "ExecuteTransaction with a RETURNING member".
    with validation("Validation failed in TransactStatements[0]: RETURNING clause is not "
                    "supported in ExecuteTransaction."):
        ddb.execute_transaction(TransactStatements=[
            {"Statement": f"UPDATE \"{record}\" SET s = 'new' WHERE pk = 'a' AND sk = '1' "
                          f"RETURNING ALL NEW *"}])
    assert get(ddb, record, "a", "1")["s"] == S("old")


def test_transaction_refuses_index_reads(ddb, songs):
    # AWS: dynamodb-conformance partiql.test.ts "an index-qualified read inside a transaction".
    with validation("Validation failed in TransactStatements[0]: Reads on indices are not "
                    "supported within transactions."):
        ddb.execute_transaction(TransactStatements=[
            {"Statement": f'SELECT * FROM "{songs}"."by_g" WHERE g = \'G\' AND sk = 2'}])


def test_transaction_reads_must_name_the_whole_key(ddb, songs):
    # A transaction reads with TransactGetItems: DynamoDB Local's SelectStatementTranslator
    # refuses any other SELECT with this sentence.
    with validation(contains="Select statements within ExecuteTransaction must specify the "
                             "primary key in the where clause."):
        ddb.execute_transaction(TransactStatements=[
            {"Statement": f"SELECT * FROM \"{songs}\" WHERE pk = 'p'"}])
