"""DynamoDB batches and transactions: BatchGetItem, BatchWriteItem, TransactWriteItems
and TransactGetItems — limits, duplicates, all-or-nothing, cancellation reasons and
idempotency tokens.

Messages: dynamodb-conformance (nubo-db/dynamodb-conformance) tests/tier3/error-messages/
batchGetItem.test.ts, batchWriteItem.test.ts, conditionalCheck.test.ts."""

from support.dynamodb import N, S, key, raises_ddb, validation


def put(table, item):
    return {"PutRequest": {"Item": item}}


def delete(table_key):
    return {"DeleteRequest": {"Key": table_key}}


# --- BatchGetItem ----------------------------------------------------------------

def test_batch_get_across_tables(ddb, ddb_hash_table, ddb_table):
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("a"), "v": N(1), "w": N(2)})
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("b"), "v": N(3)})
    ddb.put_item(TableName=ddb_table, Item={**key("x", "1"), "v": S("x1")})

    response = ddb.batch_get_item(RequestItems={
        ddb_hash_table: {"Keys": [{"pk": S("a")}, {"pk": S("b")}, {"pk": S("missing")}],
                         "ProjectionExpression": "pk, #v", "ExpressionAttributeNames": {"#v": "v"}},
        ddb_table: {"Keys": [key("x", "1")], "ConsistentRead": True},
    })
    assert response["UnprocessedKeys"] == {}
    assert sorted(response["Responses"][ddb_hash_table], key=lambda i: i["pk"]["S"]) == [
        {"pk": S("a"), "v": N(1)}, {"pk": S("b"), "v": N(3)}]
    assert response["Responses"][ddb_table] == [{**key("x", "1"), "v": S("x1")}]


def test_batch_get_of_100_keys(ddb, ddb_hash_table):
    for j in range(100):
        ddb.put_item(TableName=ddb_hash_table, Item={"pk": S(f"k{j}")})
    response = ddb.batch_get_item(RequestItems={ddb_hash_table: {
        "Keys": [{"pk": S(f"k{j}")} for j in range(100)]}})
    assert len(response["Responses"][ddb_hash_table]) == 100


def test_batch_get_of_more_than_100_keys_is_rejected(ddb, ddb_hash_table, ddb_table):
    with validation(contains="Member must have length less than or equal to 100"):
        ddb.batch_get_item(RequestItems={ddb_hash_table: {
            "Keys": [{"pk": S(f"k{j}")} for j in range(101)]}})
    with validation("Too many items requested for the BatchGetItem call"):
        ddb.batch_get_item(RequestItems={
            ddb_hash_table: {"Keys": [{"pk": S(f"k{j}")} for j in range(51)]},
            ddb_table: {"Keys": [key("k", str(j)) for j in range(51)]}})


def test_batch_get_rejects_duplicate_keys(ddb, ddb_hash_table):
    with validation("Provided list of item keys contains duplicates"):
        ddb.batch_get_item(RequestItems={ddb_hash_table: {
            "Keys": [{"pk": S("a")}, {"pk": S("a")}]}})


def test_batch_get_on_a_missing_table(ddb):
    with raises_ddb("ResourceNotFoundException", "Requested resource not found"):
        ddb.batch_get_item(RequestItems={"no-such-table": {"Keys": [{"pk": S("a")}]}})


def test_batch_get_rejects_an_empty_request(ddb_unvalidated):
    with validation():
        ddb_unvalidated.batch_get_item(RequestItems={})


def test_batch_get_consumed_capacity_is_listed_per_table(ddb, ddb_hash_table):
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("a")})
    response = ddb.batch_get_item(RequestItems={ddb_hash_table: {"Keys": [{"pk": S("a")}]}},
                                 ReturnConsumedCapacity="TOTAL")
    [capacity] = response["ConsumedCapacity"]
    assert capacity["TableName"] == ddb_hash_table
    assert capacity["CapacityUnits"] > 0


# --- BatchWriteItem --------------------------------------------------------------

def test_batch_write_puts_and_deletes_across_tables(ddb, ddb_hash_table, ddb_table):
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("old")})
    response = ddb.batch_write_item(RequestItems={
        ddb_hash_table: [put(ddb_hash_table, {"pk": S("new"), "v": N(1)}), delete({"pk": S("old")}),
                         delete({"pk": S("never-existed")})],
        ddb_table: [put(ddb_table, {**key("a", "1"), "v": S("x")})],
    })
    assert response["UnprocessedItems"] == {}
    assert ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("new")})["Item"]["v"] == N(1)
    assert "Item" not in ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("old")})
    assert ddb.get_item(TableName=ddb_table, Key=key("a", "1"))["Item"]["v"] == S("x")


def test_batch_write_limit_is_25(ddb, ddb_hash_table):
    ddb.batch_write_item(RequestItems={ddb_hash_table: [
        put(ddb_hash_table, {"pk": S(f"k{i}")}) for i in range(25)]})
    assert ddb.describe_table(TableName=ddb_hash_table)["Table"]["ItemCount"] == 25
    with validation(contains="Member must have length less than or equal to 25"):
        ddb.batch_write_item(RequestItems={ddb_hash_table: [
            put(ddb_hash_table, {"pk": S(f"j{i}")}) for i in range(26)]})
    assert "Item" not in ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("j0")})


def test_batch_write_rejects_two_writes_to_one_key(ddb, ddb_hash_table):
    with validation("Provided list of item keys contains duplicates"):
        ddb.batch_write_item(RequestItems={ddb_hash_table: [
            put(ddb_hash_table, {"pk": S("dup")}), delete({"pk": S("dup")})]})
    with validation("Provided list of item keys contains duplicates"):
        ddb.batch_write_item(RequestItems={ddb_hash_table: [
            put(ddb_hash_table, {"pk": S("dup"), "v": N(1)}),
            put(ddb_hash_table, {"pk": S("dup"), "v": N(2)})]})
    assert "Item" not in ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("dup")})


def test_batch_write_is_validated_before_anything_is_written(ddb, ddb_hash_table):
    with validation():
        ddb.batch_write_item(RequestItems={ddb_hash_table: [
            put(ddb_hash_table, {"pk": S("good")}), put(ddb_hash_table, {"pk": N(1)})]})
    assert "Item" not in ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("good")})


def test_batch_write_on_a_missing_table(ddb, ddb_hash_table):
    with raises_ddb("ResourceNotFoundException", "Requested resource not found"):
        ddb.batch_write_item(RequestItems={
            ddb_hash_table: [put(ddb_hash_table, {"pk": S("first")})],
            "no-such-table": [put("no-such-table", {"pk": S("a")})]})
    assert "Item" not in ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("first")})


def test_batch_write_rejects_an_empty_request(ddb_unvalidated):
    with validation():
        ddb_unvalidated.batch_write_item(RequestItems={})


def test_batch_write_item_too_large(ddb, ddb_hash_table):
    with validation("Item size has exceeded the maximum allowed size"):
        ddb.batch_write_item(RequestItems={ddb_hash_table: [
            put(ddb_hash_table, {"pk": S("big"), "d": S("x" * (400 * 1024))})]})


# --- TransactWriteItems ----------------------------------------------------------

def test_transaction_applies_every_action(ddb, ddb_hash_table, ddb_table):
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("upd"), "n": N(1)})
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("del")})
    ddb.put_item(TableName=ddb_table, Item={**key("chk", "1"), "ok": {"BOOL": True}})

    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": ddb_hash_table, "Item": {"pk": S("new"), "v": S("x")},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {"TableName": ddb_hash_table, "Key": {"pk": S("upd")},
                    "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": N(1)}}},
        {"Delete": {"TableName": ddb_hash_table, "Key": {"pk": S("del")}}},
        {"ConditionCheck": {"TableName": ddb_table, "Key": key("chk", "1"),
                            "ConditionExpression": "ok = :t",
                            "ExpressionAttributeValues": {":t": {"BOOL": True}}}},
    ])
    assert ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("new")})["Item"]["v"] == S("x")
    assert ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("upd")})["Item"]["n"] == N(2)
    assert "Item" not in ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("del")})


def test_a_failed_condition_cancels_everything(ddb, ddb_hash_table):
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("a"), "n": N(1)})
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("b"), "n": N(1)})

    with raises_ddb("TransactionCanceledException") as info:
        ddb.transact_write_items(TransactItems=[
            {"Update": {"TableName": ddb_hash_table, "Key": {"pk": S("a")},
                        "UpdateExpression": "SET n = :two",
                        "ExpressionAttributeValues": {":two": N(2)}}},
            {"ConditionCheck": {"TableName": ddb_hash_table, "Key": {"pk": S("b")},
                                "ConditionExpression": "n = :five",
                                "ExpressionAttributeValues": {":five": N(5)},
                                "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
            {"Put": {"TableName": ddb_hash_table, "Item": {"pk": S("c")}}},
            {"Delete": {"TableName": ddb_hash_table, "Key": {"pk": S("missing")},
                        "ConditionExpression": "attribute_exists(pk)"}},
        ])
    error = info.value.response
    assert error["Error"]["Message"] == (
        "Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[None, ConditionalCheckFailed, None, ConditionalCheckFailed]")
    reasons = error["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "ConditionalCheckFailed", "None",
                                            "ConditionalCheckFailed"]
    assert reasons[1]["Message"] == "The conditional request failed"
    assert reasons[1]["Item"] == {"pk": S("b"), "n": N(1)}
    assert "Item" not in reasons[3]  # no item to return, and ALL_OLD was not asked for

    assert ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("a")})["Item"]["n"] == N(1)
    assert "Item" not in ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("c")})


def test_client_request_token_makes_a_transaction_idempotent(ddb, ddb_hash_table):
    request = dict(ClientRequestToken="token-1", TransactItems=[
        {"Update": {"TableName": ddb_hash_table, "Key": {"pk": S("counter")},
                    "UpdateExpression": "ADD n :one",
                    "ExpressionAttributeValues": {":one": N(1)}}}])
    ddb.transact_write_items(**request)
    ddb.transact_write_items(**request)
    assert ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("counter")})["Item"]["n"] == N(1)

    changed = dict(request)
    changed["TransactItems"] = [{"Update": {
        "TableName": ddb_hash_table, "Key": {"pk": S("counter")},
        "UpdateExpression": "ADD n :two", "ExpressionAttributeValues": {":two": N(2)}}}]
    with raises_ddb("IdempotentParameterMismatchException"):
        ddb.transact_write_items(**changed)
    assert ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("counter")})["Item"]["n"] == N(1)

    # Another token is another transaction.
    ddb.transact_write_items(**{**request, "ClientRequestToken": "token-2"})
    assert ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("counter")})["Item"]["n"] == N(2)


def test_boto3_fills_in_a_client_request_token(ddb, ddb_hash_table):
    # botocore marks ClientRequestToken idempotencyToken: each call gets its own.
    item = {"Update": {"TableName": ddb_hash_table, "Key": {"pk": S("c")},
                       "UpdateExpression": "ADD n :one",
                       "ExpressionAttributeValues": {":one": N(1)}}}
    ddb.transact_write_items(TransactItems=[item])
    ddb.transact_write_items(TransactItems=[item])
    assert ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("c")})["Item"]["n"] == N(2)


def test_one_item_may_appear_only_once(ddb, ddb_hash_table):
    with validation("Transaction request cannot include multiple operations on one item"):
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": ddb_hash_table, "Item": {"pk": S("same"), "v": N(1)}}},
            {"ConditionCheck": {"TableName": ddb_hash_table, "Key": {"pk": S("same")},
                                "ConditionExpression": "attribute_not_exists(pk)"}},
        ])
    assert "Item" not in ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("same")})


def test_transaction_limit_is_100_actions(ddb, ddb_hash_table):
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": ddb_hash_table, "Item": {"pk": S(f"k{i}")}}} for i in range(100)])
    assert ddb.describe_table(TableName=ddb_hash_table)["Table"]["ItemCount"] == 100
    with validation(contains="Member must have length less than or equal to 100"):
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": ddb_hash_table, "Item": {"pk": S(f"j{i}")}}} for i in range(101)])


def test_transaction_on_a_missing_table(ddb, ddb_hash_table):
    with raises_ddb("ResourceNotFoundException"):
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": ddb_hash_table, "Item": {"pk": S("a")}}},
            {"Put": {"TableName": "no-such-table", "Item": {"pk": S("a")}}}])
    assert "Item" not in ddb.get_item(TableName=ddb_hash_table, Key={"pk": S("a")})


def test_condition_check_needs_a_condition(ddb_unvalidated, ddb_hash_table):
    with validation():
        ddb_unvalidated.transact_write_items(TransactItems=[
            {"ConditionCheck": {"TableName": ddb_hash_table, "Key": {"pk": S("a")}}}])


# --- TransactGetItems ------------------------------------------------------------

def test_transact_get_returns_items_in_request_order(ddb, ddb_hash_table, ddb_table):
    ddb.put_item(TableName=ddb_hash_table, Item={"pk": S("a"), "v": N(1), "w": N(2)})
    ddb.put_item(TableName=ddb_table, Item={**key("b", "1"), "v": S("x")})
    response = ddb.transact_get_items(TransactItems=[
        {"Get": {"TableName": ddb_table, "Key": key("b", "1")}},
        {"Get": {"TableName": ddb_hash_table, "Key": {"pk": S("missing")}}},
        {"Get": {"TableName": ddb_hash_table, "Key": {"pk": S("a")}, "ProjectionExpression": "w"}},
    ])
    assert response["Responses"] == [
        {"Item": {**key("b", "1"), "v": S("x")}}, {}, {"Item": {"w": N(2)}}]


def test_transact_get_rejects_one_item_twice(ddb, ddb_hash_table):
    with validation("Transaction request cannot include multiple operations on one item"):
        ddb.transact_get_items(TransactItems=[
            {"Get": {"TableName": ddb_hash_table, "Key": {"pk": S("a")}}},
            {"Get": {"TableName": ddb_hash_table, "Key": {"pk": S("a")}}}])


def test_transact_get_on_a_missing_table(ddb):
    with raises_ddb("ResourceNotFoundException"):
        ddb.transact_get_items(TransactItems=[
            {"Get": {"TableName": "no-such-table", "Key": {"pk": S("a")}}}])
