"""DynamoDB's expression language: how conditions evaluate, and how DynamoDB rejects bad
expressions (unused or undefined placeholders, reserved words, syntax, overlapping paths,
repeated sections, limits), with AWS's messages.

Messages are those the dynamodb-conformance suite captured from DynamoDB
(nubo-db/dynamodb-conformance, tests/tier3/error-messages/) and the DynamoDB developer
guide's expression chapters."""

import pytest

from support.dynamodb import N, S, raises_ddb, validation


@pytest.fixture
def doc(ddb, ddb_hash_table):
    ddb.put_item(TableName=ddb_hash_table, Item={
        "pk": S("doc"), "n": N(5), "s": S("hello"), "b": {"B": b"\x01\x02"},
        "l": {"L": [S("x"), N(1), {"M": {"deep": S("d")}}]},
        "m": {"M": {"kid": {"M": {"v": N(7)}}, "flag": {"BOOL": True}}},
        "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2", "3"]}, "nul": {"NULL": True},
        "a.b": S("dotted"),
    })
    return ddb_hash_table


def holds(ddb, table, expression, values=None, names=None) -> bool:
    """Whether a condition holds for the item "doc": a conditional DeleteItem either fails
    the check or deletes the item (each test has its own fresh item)."""
    args = dict(TableName=table, Key={"pk": S("doc")}, ConditionExpression=expression)
    if values:
        args["ExpressionAttributeValues"] = values
    if names:
        args["ExpressionAttributeNames"] = names
    try:
        ddb.delete_item(**args)
    except ddb.exceptions.ConditionalCheckFailedException:
        return False
    return True


@pytest.mark.parametrize("expression,values,names,expected", [
    ("n = :v", {":v": N("5.0")}, None, True),
    ("n = :v", {":v": S("5")}, None, False),        # different types never compare equal
    ("n <> :v", {":v": S("5")}, None, True),
    ("n < :v", {":v": S("9")}, None, False),
    ("s > :v", {":v": S("hell")}, None, True),
    ("b < :v", {":v": {"B": b"\x02"}}, None, True),
    ("n BETWEEN :a AND :b", {":a": N(5), ":b": N(5)}, None, True),
    ("n IN (:a, :b, :c)", {":a": N(1), ":b": N(5), ":c": S("x")}, None, True),
    ("m.kid.v = :v", {":v": N(7)}, None, True),
    ("l[2].deep = :v", {":v": S("d")}, None, True),
    ("l[5] = :v", {":v": S("x")}, None, False),
    ("#dotted = :v", {":v": S("dotted")}, {"#dotted": "a.b"}, True),
    ("a.b = :v", {":v": S("dotted")}, None, False),  # a path, not the attribute "a.b"
    ("attribute_exists(m.flag) AND attribute_not_exists(m.nope)", None, None, True),
    ("attribute_type(nul, :t)", {":t": S("NULL")}, None, True),
    ("attribute_type(ns, :t)", {":t": S("NS")}, None, True),
    ("attribute_type(ns, :t)", {":t": S("SS")}, None, False),
    ("begins_with(s, :p)", {":p": S("he")}, None, True),
    ("begins_with(b, :p)", {":p": {"B": b"\x01"}}, None, True),
    ("contains(s, :p)", {":p": S("ell")}, None, True),
    ("contains(ss, :p)", {":p": S("b")}, None, True),
    ("contains(ns, :p)", {":p": N(3)}, None, True),
    ("contains(l, :p)", {":p": N(1)}, None, True),
    ("contains(ns, :p)", {":p": S("3")}, None, False),
    ("size(s) = :v", {":v": N(5)}, None, True),
    ("size(b) = :v", {":v": N(2)}, None, True),
    ("size(l) = :v AND size(m) = :w AND size(ns) = :x",
     {":v": N(3), ":w": N(2), ":x": N(3)}, None, True),
    ("size(n) = :v", {":v": N(1)}, None, False),  # numbers have no size
    ("NOT n = :v", {":v": N(5)}, None, False),
    ("n = :one OR n = :five AND s = :no", {":one": N(1), ":five": N(5), ":no": S("no")},
     None, False),  # AND binds tighter than OR
    ("(n = :one OR n = :five) AND s = :hi", {":one": N(1), ":five": N(5), ":hi": S("hello")},
     None, True),
    ("NOT (n = :one OR n = :two)", {":one": N(1), ":two": N(2)}, None, True),
])
def test_condition_evaluation(ddb, doc, expression, values, names, expected):
    assert holds(ddb, doc, expression, values, names) is expected


# --- placeholders ----------------------------------------------------------------

def test_unused_attribute_name(ddb, doc):
    with validation("Value provided in ExpressionAttributeNames unused in expressions: "
                    "keys: {#unused}"):
        ddb.get_item(TableName=doc, Key={"pk": S("doc")}, ProjectionExpression="n",
                     ExpressionAttributeNames={"#unused": "x"})


def test_unused_attribute_value(ddb, doc):
    with validation("Value provided in ExpressionAttributeValues unused in expressions: "
                    "keys: {:unused}"):
        ddb.update_item(TableName=doc, Key={"pk": S("doc")}, UpdateExpression="SET n = :v",
                        ExpressionAttributeValues={":v": N(1), ":unused": N(2)})


def test_values_are_shared_by_every_expression_of_a_request(ddb, doc):
    ddb.update_item(TableName=doc, Key={"pk": S("doc")}, UpdateExpression="SET n = :v",
                    ConditionExpression="n < :v", ExpressionAttributeValues={":v": N(6)})
    with raises_ddb("ConditionalCheckFailedException"):
        ddb.update_item(TableName=doc, Key={"pk": S("doc")}, UpdateExpression="SET n = :v",
                        ConditionExpression="n < :v", ExpressionAttributeValues={":v": N(6)})


def test_values_without_any_expression(ddb, doc):
    # AWS: dynamodb-conformance putItem.test.ts "ExpressionAttributeValues without expression".
    with validation(contains="ExpressionAttributeValues can only be specified when using "
                             "expressions"):
        ddb.put_item(TableName=doc, Item={"pk": S("x")},
                     ExpressionAttributeValues={":v": S("unused")})
    with validation(contains="ExpressionAttributeNames can only be specified when using "
                             "expressions"):
        ddb.put_item(TableName=doc, Item={"pk": S("x")}, ExpressionAttributeNames={"#n": "n"})


def test_undefined_value(ddb, doc):
    with validation("Invalid ConditionExpression: An expression attribute value used in expression "
                    "is not defined; attribute value: :missing"):
        ddb.delete_item(TableName=doc, Key={"pk": S("doc")}, ConditionExpression="n = :missing")


def test_undefined_name(ddb, doc):
    with validation("Invalid FilterExpression: An expression attribute name used in the document "
                    "path is not defined; attribute name: #missing"):
        ddb.scan(TableName=doc, FilterExpression="#missing = :v",
                 ExpressionAttributeValues={":v": N(1)})


@pytest.mark.parametrize("names,values,message", [
    ({"name": "n"}, None,
     'ExpressionAttributeNames contains invalid key: Syntax error; key: "name"'),
    (None, {"v": N(1)}, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"'),
    ({}, None, "ExpressionAttributeNames must not be empty"),
    (None, {}, "ExpressionAttributeValues must not be empty"),
    ({"#n": ""}, None, "ExpressionAttributeNames contains invalid value: Empty attribute name for "
                       "key #n"),
])
def test_placeholder_maps_are_validated(ddb, doc, names, values, message):
    if names is not None:
        args = dict(ProjectionExpression="n", ExpressionAttributeNames=names)
    else:
        args = dict(FilterExpression="n = :v", ExpressionAttributeValues=values)
    with validation(message):
        ddb.scan(TableName=doc, **args)


def test_invalid_attribute_value_in_the_values_map(ddb, doc):
    with validation(contains="ExpressionAttributeValues contains invalid value: "):
        ddb.delete_item(TableName=doc, Key={"pk": S("doc")}, ConditionExpression="n = :v",
                        ExpressionAttributeValues={":v": {"N": "not-a-number"}})


# --- reserved words and syntax ----------------------------------------------------

@pytest.mark.parametrize("call,message", [
    (lambda ddb, t: ddb.update_item(TableName=t, Key={"pk": S("doc")},
                                    UpdateExpression="SET status = :v",
                                    ExpressionAttributeValues={":v": S("x")}),
     "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status"),
    (lambda ddb, t: ddb.get_item(TableName=t, Key={"pk": S("doc")},
                                 ProjectionExpression="n, Name"),
     "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Name"),
    (lambda ddb, t: ddb.scan(TableName=t, FilterExpression="size(data) > :v",
                             ExpressionAttributeValues={":v": N(1)}),
     "Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: data"),
])
def test_reserved_words_need_a_placeholder(ddb, doc, call, message):
    with validation(message):
        call(ddb, doc)


def test_reserved_word_through_a_placeholder_is_fine(ddb, doc):
    ddb.update_item(TableName=doc, Key={"pk": S("doc")}, UpdateExpression="SET #s = :v",
                    ExpressionAttributeNames={"#s": "status"},
                    ExpressionAttributeValues={":v": S("ok")})
    item = ddb.get_item(TableName=doc, Key={"pk": S("doc")}, ProjectionExpression="#s",
                        ExpressionAttributeNames={"#s": "status"})["Item"]
    assert item == {"status": S("ok")}


def test_syntax_error_names_the_token(ddb, doc):
    with validation('Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'):
        ddb.get_item(TableName=doc, Key={"pk": S("doc")}, ProjectionExpression="!!! INVALID !!!")
    with validation(contains="Invalid ConditionExpression: Syntax error; token: "):
        ddb.delete_item(TableName=doc, Key={"pk": S("doc")}, ConditionExpression="n = = :v",
                        ExpressionAttributeValues={":v": N(1)})
    with validation(contains="Invalid UpdateExpression: Syntax error; token: "):
        ddb.update_item(TableName=doc, Key={"pk": S("doc")}, UpdateExpression="SET n :v",
                        ExpressionAttributeValues={":v": N(1)})


@pytest.mark.parametrize("kind", ["ConditionExpression", "ProjectionExpression"])
def test_empty_expressions(ddb, doc, kind):
    with validation(f"Invalid {kind}: The expression can not be empty;"):
        if kind == "ConditionExpression":
            ddb.delete_item(TableName=doc, Key={"pk": S("doc")}, ConditionExpression="")
        else:
            ddb.get_item(TableName=doc, Key={"pk": S("doc")}, ProjectionExpression="")


def test_redundant_parentheses(ddb, doc):
    with validation(contains="Invalid ConditionExpression: The expression has redundant "
                             "parentheses;"):
        ddb.put_item(TableName=doc, Item={"pk": S("new")},
                     ConditionExpression="((attribute_not_exists(pk)))")


def test_unknown_and_misplaced_functions(ddb, doc):
    with validation("Invalid ConditionExpression: Invalid function name; function: nope"):
        ddb.delete_item(TableName=doc, Key={"pk": S("doc")}, ConditionExpression="nope(n)")
    with validation(contains="function: if_not_exists"):
        ddb.delete_item(TableName=doc, Key={"pk": S("doc")},
                        ConditionExpression="if_not_exists(n, :v) = :v",
                        ExpressionAttributeValues={":v": N(1)})
    with validation(contains="function: attribute_exists"):
        ddb.update_item(TableName=doc, Key={"pk": S("doc")},
                        UpdateExpression="SET n = attribute_exists(n)")


def test_first_operand_must_differ(ddb, doc):
    with validation(contains="Invalid ConditionExpression: The first operand must be distinct from "
                             "the remaining operands for this operator or function; operator: "
                             "contains, first operand: [s]"):
        ddb.put_item(TableName=doc, Item={"pk": S("x")}, ConditionExpression="contains(#a, #a)",
                     ExpressionAttributeNames={"#a": "s"})


def test_between_bounds_must_be_ordered(ddb, doc):
    with validation(contains="The BETWEEN operator requires upper bound to be greater than or "
                             "equal to lower bound"):
        ddb.delete_item(TableName=doc, Key={"pk": S("doc")},
                        ConditionExpression="n BETWEEN :hi AND :lo",
                        ExpressionAttributeValues={":hi": N(9), ":lo": N(1)})


# --- update expression structure --------------------------------------------------

@pytest.mark.parametrize("expression,values,message", [
    ("SET m = :v, m.kid = :v", {":v": N(1)},
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [m], path two: [m, kid]"),
    ("SET n = :v REMOVE n", {":v": N(1)},
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [n], path two: [n]"),
    ("SET l[0] = :v, l.x = :v", {":v": N(1)},
     "Invalid UpdateExpression: Two document paths conflict with each other; must remove or "
     "rewrite one of these paths; path one: [l, [0]], path two: [l, x]"),
    ("SET n = :v SET s = :v", {":v": N(1)},
     'Invalid UpdateExpression: The "SET" section can only be used once in an update '
     'expression;'),
    ("REMOVE n REMOVE s", None,
     'Invalid UpdateExpression: The "REMOVE" section can only be used once in an update '
     'expression;'),
])
def test_update_structure_errors(ddb, doc, expression, values, message):
    args = dict(TableName=doc, Key={"pk": S("doc")}, UpdateExpression=expression)
    if values:
        args["ExpressionAttributeValues"] = values
    with validation(message):
        ddb.update_item(**args)


def test_projection_paths_may_not_overlap(ddb, doc):
    with validation("Invalid ProjectionExpression: Two document paths overlap with each other; "
                    "must remove or rewrite one of these paths; path one: [m], path two: [m, kid]"):
        ddb.get_item(TableName=doc, Key={"pk": S("doc")}, ProjectionExpression="m, m.kid")
    with validation(contains="path one: [n], path two: [n]"):
        ddb.get_item(TableName=doc, Key={"pk": S("doc")}, ProjectionExpression="#a, #b",
                     ExpressionAttributeNames={"#a": "n", "#b": "n"})


# --- limits ----------------------------------------------------------------------

def test_expression_over_4_kb_is_rejected(ddb, doc):
    expression = " OR ".join(["n = :v"] * 700)  # ~7 KB
    with validation(contains="Invalid ConditionExpression: Expression size has exceeded the "
                             "maximum allowed size"):
        ddb.delete_item(TableName=doc, Key={"pk": S("doc")}, ConditionExpression=expression,
                        ExpressionAttributeValues={":v": N(1)})


def test_path_deeper_than_32_levels_is_rejected(ddb, doc):
    path = ".".join(["m"] * 33)
    with validation(contains="The document path has too many nesting levels; nesting levels: 33"):
        ddb.get_item(TableName=doc, Key={"pk": S("doc")}, ProjectionExpression=path)


def test_in_takes_at_most_100_operands(ddb, doc):
    values = {f":v{i}": N(i) for i in range(101)}
    with validation(contains="The IN operator is provided with too many operands; number of "
                             "operands: 101"):
        ddb.delete_item(TableName=doc, Key={"pk": S("doc")},
                        ConditionExpression=f"n IN ({', '.join(values)})",
                        ExpressionAttributeValues=values)
