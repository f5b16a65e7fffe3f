"""Task states reaching DynamoDB and the other emulated services through the real
server: the optimized `dynamodb:getItem/putItem/updateItem/deleteItem` integrations
with AWS's `DynamoDB.*` error names caught by Catch, AWS SDK integrations for any
service (`aws-sdk:dynamodb:query`, `aws-sdk:lambda:invoke`, …) with their
`<Service>.<Code>Exception` names, and an unsupported resource failing clearly."""

import json
import uuid

import pytest

from support.sfn import definition, run_execution

PUT = "arn:aws:states:::dynamodb:putItem"
GET = "arn:aws:states:::dynamodb:getItem"
UPDATE = "arn:aws:states:::dynamodb:updateItem"
DELETE = "arn:aws:states:::dynamodb:deleteItem"


@pytest.fixture
def table(endpoint):
    from support.clients import make_client
    ddb = make_client(endpoint, "dynamodb")
    name = f"orders-{uuid.uuid4().hex[:8]}"
    ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    return name


def test_put_get_update_and_delete_item(sfn, create_state_machine, table):
    arn = create_state_machine(definition({
        "Save": {"Type": "Task", "Resource": PUT, "Next": "Pay", "ResultPath": None,
                 "Parameters": {"TableName": table, "Item": {"id": {"S.$": "$.id"}, "total": {"N": "12"}}}},
        "Pay": {"Type": "Task", "Resource": UPDATE, "Next": "Read", "ResultPath": "$.updated",
                "Parameters": {"TableName": table, "Key": {"id": {"S.$": "$.id"}},
                               "UpdateExpression": "SET #s = :s", "ExpressionAttributeNames": {"#s": "status"},
                               "ExpressionAttributeValues": {":s": {"S": "PAID"}}, "ReturnValues": "ALL_NEW"}},
        "Read": {"Type": "Task", "Resource": GET, "Next": "Remove", "ResultPath": "$.read",
                 "Parameters": {"TableName": table, "Key": {"id": {"S.$": "$.id"}}}},
        "Remove": {"Type": "Task", "Resource": DELETE, "End": True, "ResultPath": "$.deleted",
                   "Parameters": {"TableName": table, "Key": {"id": {"S.$": "$.id"}}, "ReturnValues": "ALL_OLD"}},
    }))
    described = run_execution(sfn, arn, input={"id": "o-1"})
    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["updated"]["Attributes"]["status"] == {"S": "PAID"}
    assert output["read"]["Item"] == {"id": {"S": "o-1"}, "total": {"N": "12"}, "status": {"S": "PAID"}}
    assert output["deleted"]["Attributes"]["id"] == {"S": "o-1"}


def test_conditional_check_failure_is_caught_by_its_dynamodb_name(sfn, create_state_machine, table):
    arn = create_state_machine(definition({
        "Save": {"Type": "Task", "Resource": PUT, "End": True,
                 "Parameters": {"TableName": table, "Item": {"id": {"S": "x"}}, "ConditionExpression": "attribute_exists(id)"},
                 "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "Exists", "ResultPath": "$.error"}]},
        "Exists": {"Type": "Pass", "End": True},
    }))
    described = run_execution(sfn, arn, input={})
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"])["error"]["Error"] == "DynamoDB.ConditionalCheckFailedException"


def test_missing_table_fails_with_resource_not_found(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "Read": {"Type": "Task", "Resource": GET, "End": True,
                 "Parameters": {"TableName": "no-such-table", "Key": {"id": {"S": "x"}}}}}))
    described = run_execution(sfn, arn, input={})
    assert described["status"] == "FAILED"
    assert described["error"] == "DynamoDB.ResourceNotFoundException"


def test_aws_sdk_integrations_reach_any_service(sfn, create_state_machine, table, create_function):
    function = create_function("exec:cat")["FunctionName"]
    arn = create_state_machine(definition({
        "Put": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:putItem", "Next": "Query", "ResultPath": None,
                "Parameters": {"TableName": table, "Item": {"id": {"S": "q"}}}},
        "Query": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:query", "Next": "Invoke", "ResultPath": "$.query",
                  "Parameters": {"TableName": table, "KeyConditionExpression": "id = :id",
                                 "ExpressionAttributeValues": {":id": {"S": "q"}}}},
        "Invoke": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:lambda:getFunction", "End": True, "ResultPath": "$.function",
                   "ResultSelector": {"name.$": "$.Configuration.FunctionName"}, "Parameters": {"FunctionName": function}},
    }))
    described = run_execution(sfn, arn, input={})
    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    assert output["query"]["Count"] == 1
    assert output["function"] == {"name": function}


def test_aws_sdk_error_names_use_the_sdk_service_name(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "Describe": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:describeTable", "End": True,
                     "Parameters": {"TableName": "missing"},
                     "Catch": [{"ErrorEquals": ["DynamoDb.ResourceNotFoundException"], "Next": "Missing"}]},
        "Missing": {"Type": "Pass", "End": True},
    }))
    assert run_execution(sfn, arn, input={})["status"] == "SUCCEEDED"


def test_unknown_sdk_operation_fails_the_task(sfn, create_state_machine):
    arn = create_state_machine(definition({
        "Nope": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:frobnicate", "End": True, "Parameters": {}}}))
    described = run_execution(sfn, arn, input={})
    assert described["status"] == "FAILED"
    assert described["error"] == "States.TaskFailed"
    assert "frobnicate" in described["cause"].lower()
