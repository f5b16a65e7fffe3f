"""Lambda through boto3 against the real server: function CRUD and its errors,
Invoke (RequestResponse, Event, DryRun, LogType Tail, function errors, timeouts),
SQS event source mappings with AWS's event shape, and Step Functions Task states
calling functions. Handlers here are `exec:` commands: the event on stdin, the
result on stdout, so the suite needs no handler compiled into the server.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from pathlib import Path

import botocore.exceptions
import pytest

from support.clients import make_client
from support.lambda_functions import ECHO, python_handler, error_code, wait_until
from support.sfn import ROLE_ARN, run_execution
from support.sqs import DEFAULT_ACCOUNT, REGION


# Functions

def test_create_function_returns_its_configuration(create_function):
    created = create_function(name="orders-handler", Timeout=7, MemorySize=256,
                              Environment={"Variables": {"STAGE": "test"}}, Description="d")
    assert created["FunctionName"] == "orders-handler"
    assert created["FunctionArn"] == f"arn:aws:lambda:{REGION}:{DEFAULT_ACCOUNT}:function:orders-handler"
    assert created["Timeout"] == 7 and created["MemorySize"] == 256
    assert created["Environment"]["Variables"] == {"STAGE": "test"}
    assert created["State"] == "Active"
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201


def test_get_list_update_and_delete(lam, create_function):
    name = create_function()["FunctionName"]
    got = lam.get_function(FunctionName=name)
    assert got["Configuration"]["FunctionName"] == name
    assert lam.get_function_configuration(FunctionName=name)["Handler"] == ECHO
    updated = lam.update_function_configuration(FunctionName=name, Timeout=30, Description="new")
    assert updated["Timeout"] == 30 and updated["Description"] == "new"
    assert lam.get_function_configuration(FunctionName=name)["Timeout"] == 30
    assert name in [f["FunctionName"] for f in lam.list_functions()["Functions"]]
    lam.delete_function(FunctionName=name)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.get_function(FunctionName=name)
    assert error_code(excinfo) == "ResourceNotFoundException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_function_can_be_addressed_by_arn(lam, create_function):
    arn = create_function()["FunctionArn"]
    assert lam.get_function_configuration(FunctionName=arn)["FunctionArn"] == arn


def test_list_functions_pages_with_marker(lam, create_function):
    names = sorted(create_function(name=f"page-{i}")["FunctionName"] for i in range(5))
    seen, marker = [], None
    for _ in range(10):
        page = lam.list_functions(MaxItems=2, **({"Marker": marker} if marker else {}))
        seen += [f["FunctionName"] for f in page["Functions"]]
        marker = page.get("NextMarker")
        if not marker:
            break
    assert seen == names
    assert [f["FunctionName"] for f in lam.get_paginator("list_functions").paginate().build_full_result()["Functions"]] == names


def test_duplicate_function_is_a_conflict(create_function):
    create_function(name="twice")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        create_function(name="twice")
    assert error_code(excinfo) == "ResourceConflictException"


@pytest.mark.parametrize("name", ["has space", "x" * 65, "semi;colon"])
def test_invalid_function_name_is_rejected(create_function, name):
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        create_function(name=name)
    assert error_code(excinfo) == "ValidationException"


@pytest.mark.parametrize("arguments, fragment", [
    ({"Timeout": 0}, "'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1"),
    ({"Timeout": 901}, "'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"),
    ({"MemorySize": 64}, "'memorySize' failed to satisfy constraint"),
])
def test_timeout_and_memory_are_validated(endpoint, arguments, fragment):
    lam = make_client(endpoint, "lambda", parameter_validation=False)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.create_function(FunctionName="limits", Runtime="provided.al2023", Role=ROLE_ARN, Handler=ECHO,
                            Code={"ZipFile": b"x"}, **arguments)
    assert error_code(excinfo) == "ValidationException"
    assert fragment in excinfo.value.response["Error"]["Message"]


def test_delete_missing_function_is_not_found(lam):
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.delete_function(FunctionName="never-created")
    assert error_code(excinfo) == "ResourceNotFoundException"


def test_permissions_build_the_resource_policy(lam, create_function):
    created = create_function()
    name, arn = created["FunctionName"], created["FunctionArn"]
    topic = f"arn:aws:sns:{REGION}:{DEFAULT_ACCOUNT}:orders"
    added = lam.add_permission(FunctionName=name, StatementId="sns-invoke", Action="lambda:InvokeFunction",
                               Principal="sns.amazonaws.com", SourceArn=topic)
    assert added["ResponseMetadata"]["HTTPStatusCode"] == 201
    statement = json.loads(added["Statement"])
    assert statement == {"Sid": "sns-invoke", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                         "Action": "lambda:InvokeFunction", "Resource": arn,
                         "Condition": {"ArnLike": {"AWS:SourceArn": topic}}}
    lam.add_permission(FunctionName=name, StatementId="account", Action="lambda:*", Principal=DEFAULT_ACCOUNT)
    policy = json.loads(lam.get_policy(FunctionName=name)["Policy"])
    assert policy["Version"] == "2012-10-17"
    assert [s["Sid"] for s in policy["Statement"]] == ["sns-invoke", "account"]
    assert policy["Statement"][1]["Principal"] == {"AWS": f"arn:aws:iam::{DEFAULT_ACCOUNT}:root"}
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.add_permission(FunctionName=name, StatementId="account", Action="lambda:*", Principal="*")
    assert error_code(excinfo) == "ResourceConflictException"
    lam.remove_permission(FunctionName=name, StatementId="sns-invoke")
    lam.remove_permission(FunctionName=name, StatementId="account")
    for call in (lambda: lam.get_policy(FunctionName=name),
                 lambda: lam.remove_permission(FunctionName=name, StatementId="account")):
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            call()
        assert error_code(excinfo) == "ResourceNotFoundException"


def test_invalid_permission_action_is_rejected(lam, create_function):
    name = create_function()["FunctionName"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.add_permission(FunctionName=name, StatementId="s", Action="s3:GetObject", Principal="*")
    assert error_code(excinfo) == "ValidationException"


def test_tags_on_create_and_through_the_tagging_api(lam, create_function):
    arn = create_function(Tags={"team": "orders", "stage": "dev"})["FunctionArn"]
    assert lam.list_tags(Resource=arn)["Tags"] == {"team": "orders", "stage": "dev"}
    lam.tag_resource(Resource=arn, Tags={"stage": "prod", "owner": "ci"})
    lam.untag_resource(Resource=arn, TagKeys=["team", "owner"])
    assert lam.list_tags(Resource=arn)["Tags"] == {"stage": "prod"}
    assert lam.get_function(FunctionName=arn)["Tags"] == {"stage": "prod"}
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.list_tags(Resource=arn.replace(arn.rsplit(":", 1)[1], "absent"))
    assert error_code(excinfo) == "ResourceNotFoundException"


def test_update_function_code_changes_size_and_hash(lam, create_function):
    import base64 as b64
    import hashlib
    created = create_function()
    updated = lam.update_function_code(FunctionName=created["FunctionName"], ZipFile=b"new code package")
    assert updated["CodeSize"] == len(b"new code package")
    assert updated["CodeSha256"] == b64.b64encode(hashlib.sha256(b"new code package").digest()).decode()
    assert updated["RevisionId"] != created["RevisionId"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.update_function_code(FunctionName=created["FunctionName"], S3Bucket="code-bucket", S3Key="fn.zip")
    assert error_code(excinfo) == "InvalidParameterValueException"


def test_account_settings_count_functions(lam, create_function):
    create_function(name="counted")
    settings = lam.get_account_settings()
    assert settings["AccountUsage"]["FunctionCount"] == 1
    assert settings["AccountLimit"]["ConcurrentExecutions"] == 1000


# Invoke

def test_invoke_returns_the_handler_result(lam, create_function):
    name = create_function()["FunctionName"]
    answer = lam.invoke(FunctionName=name, Payload=json.dumps({"order": 42}).encode())
    assert answer["StatusCode"] == 200
    assert "FunctionError" not in answer
    assert answer["ExecutedVersion"] == "$LATEST"
    assert json.loads(answer["Payload"].read()) == {"order": 42}


def test_invoke_passes_environment_variables(lam, create_function, tmp_path):
    handler = python_handler(tmp_path, "print(json.dumps({'stage': os.environ['STAGE'], 'got': event}))")
    name = create_function(handler, Environment={"Variables": {"STAGE": "ci"}})["FunctionName"]
    answer = lam.invoke(FunctionName=name, Payload=b'{"a": [1, 2]}')
    assert json.loads(answer["Payload"].read()) == {"stage": "ci", "got": {"a": [1, 2]}}


def test_log_type_tail_returns_the_log(lam, create_function, tmp_path):
    handler = python_handler(tmp_path, "print('working on it', file=sys.stderr)\nprint('{}')")
    name = create_function(handler)["FunctionName"]
    answer = lam.invoke(FunctionName=name, Payload=b"{}", LogType="Tail")
    log = base64.b64decode(answer["LogResult"]).decode()
    lines = log.strip().split("\n")
    assert lines[0].startswith("START RequestId: ") and lines[0].endswith("Version: $LATEST")
    assert "working on it" in lines
    assert lines[-2].startswith("END RequestId: ")
    assert lines[-1].startswith("REPORT RequestId: ") and "Billed Duration:" in lines[-1]


def test_function_error_is_unhandled_with_the_error_document(lam, create_function):
    name = create_function("exec:exit 3")["FunctionName"]
    answer = lam.invoke(FunctionName=name, Payload=b"{}")
    assert answer["StatusCode"] == 200
    assert answer["FunctionError"] == "Unhandled"
    document = json.loads(answer["Payload"].read())
    assert document["errorType"] == "Runtime.ExitError"
    assert "exit status 3" in document["errorMessage"]
    assert set(document) >= {"errorMessage", "errorType"}


def test_function_timeout_is_reported(lam, create_function):
    name = create_function("exec:sleep 5", Timeout=1)["FunctionName"]
    answer = lam.invoke(FunctionName=name, Payload=b"{}")
    assert answer["FunctionError"] == "Unhandled"
    document = json.loads(answer["Payload"].read())
    assert document["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in document["errorMessage"]


def test_missing_swift_handler_is_a_function_error(lam, create_function):
    name = create_function("NoSuchHandler")["FunctionName"]
    answer = lam.invoke(FunctionName=name, Payload=b"{}")
    assert answer["FunctionError"] == "Unhandled"
    assert json.loads(answer["Payload"].read())["errorType"] == "Runtime.HandlerNotFound"


def test_event_invocation_is_accepted_and_runs(lam, create_function, tmp_path):
    marker = tmp_path / "ran.json"
    handler = python_handler(tmp_path, f"open({str(marker)!r}, 'w').write(json.dumps(event))")
    name = create_function(handler)["FunctionName"]
    answer = lam.invoke(FunctionName=name, InvocationType="Event", Payload=b'{"async": true}')
    assert answer["StatusCode"] == 202
    wait_until(lambda: marker.exists() and marker.read_text(), "the Event invocation")
    assert json.loads(marker.read_text()) == {"async": True}


def test_dry_run_checks_without_running(lam, create_function, tmp_path):
    marker = tmp_path / "ran"
    name = create_function(f"exec:touch {marker}")["FunctionName"]
    assert lam.invoke(FunctionName=name, InvocationType="DryRun")["StatusCode"] == 204
    assert not marker.exists()


def test_invoke_missing_function_is_not_found(lam):
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.invoke(FunctionName="nope", Payload=b"{}")
    assert error_code(excinfo) == "ResourceNotFoundException"


def test_invoke_with_malformed_json_is_invalid_request_content(lam, create_function):
    name = create_function()["FunctionName"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.invoke(FunctionName=name, Payload=b"{not json")
    assert error_code(excinfo) == "InvalidRequestContentException"
    # The server is still answering.
    assert lam.invoke(FunctionName=name, Payload=b"[]")["StatusCode"] == 200


def test_payload_over_six_megabytes_is_too_large(lam, create_function):
    name = create_function()["FunctionName"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.invoke(FunctionName=name, Payload=json.dumps({"blob": "x" * (6 * 1024 * 1024 + 10)}).encode())
    assert error_code(excinfo) == "RequestTooLargeException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413


def test_aws_cli_invokes_a_function(endpoint, create_function, tmp_path):
    import shutil
    import subprocess
    aws = shutil.which("aws")
    if aws is None:
        pytest.skip("the AWS CLI is not installed")
    name = create_function()["FunctionName"]
    out = tmp_path / "out.json"
    import os
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
           "AWS_DEFAULT_REGION": REGION, "AWS_CONFIG_FILE": str(tmp_path / "config"),
           "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials")}
    answer = subprocess.run([aws, "--endpoint-url", endpoint, "lambda", "invoke", "--function-name", name,
                             "--payload", '{"from": "cli"}', str(out)],
                            capture_output=True, text=True, timeout=60, env=env)
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["StatusCode"] == 200
    assert json.loads(out.read_text()) == {"from": "cli"}


# SQS event source mappings

def queue_with_arn(sqs, name: str) -> tuple[str, str]:
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "1"})["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def test_sqs_mapping_delivers_aws_shaped_records_and_deletes_them(lam, sqs, create_function, tmp_path):
    url, arn = queue_with_arn(sqs, "esm-in")
    events = tmp_path / "events"
    events.mkdir()
    handler = python_handler(tmp_path, f"open(os.path.join({str(events)!r}, str(os.getpid())), 'w').write(json.dumps(event))")
    name = create_function(handler)["FunctionName"]
    mapping = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=name, BatchSize=10)
    assert mapping["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert mapping["EventSourceArn"] == arn and mapping["BatchSize"] == 10
    sqs.send_message(QueueUrl=url, MessageBody="hello",
                     MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"}})
    wait_until(lambda: list(events.iterdir()), "the mapping to invoke the function")
    record = json.loads(next(events.iterdir()).read_text())["Records"][0]
    assert record["body"] == "hello"
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == arn
    assert record["awsRegion"] == REGION
    assert record["md5OfBody"] == "5d41402abc4b2a76b9719d911017c592"
    assert set(record["attributes"]) >= {"ApproximateReceiveCount", "SentTimestamp", "SenderId",
                                         "ApproximateFirstReceiveTimestamp"}
    assert record["messageAttributes"]["kind"]["stringValue"] == "order"
    assert record["messageAttributes"]["kind"]["dataType"] == "String"
    # A successful batch is deleted from the queue.
    wait_until(lambda: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
               ["ApproximateNumberOfMessagesNotVisible"] == "0", "the batch to be deleted")
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages") is None


def test_mapping_crud_and_disable(lam, sqs, create_function):
    _, arn = queue_with_arn(sqs, "esm-crud")
    name = create_function()["FunctionName"]
    uid = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=name)["UUID"]
    assert lam.get_event_source_mapping(UUID=uid)["UUID"] == uid
    assert [m["UUID"] for m in lam.list_event_source_mappings(FunctionName=name)["EventSourceMappings"]] == [uid]
    assert [m["UUID"] for m in lam.list_event_source_mappings(EventSourceArn=arn)["EventSourceMappings"]] == [uid]
    updated = lam.update_event_source_mapping(UUID=uid, Enabled=False, BatchSize=3)
    assert updated["BatchSize"] == 3
    wait_until(lambda: lam.get_event_source_mapping(UUID=uid)["State"] == "Disabled", "the mapping to disable")
    lam.delete_event_source_mapping(UUID=uid)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.get_event_source_mapping(UUID=uid)
    assert error_code(excinfo) == "ResourceNotFoundException"


def test_mapping_to_missing_function_is_rejected(lam, sqs):
    _, arn = queue_with_arn(sqs, "esm-nofn")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="absent")
    assert error_code(excinfo) == "ResourceNotFoundException"


def test_report_batch_item_failures_keeps_only_the_failed_message(lam, sqs, create_function, tmp_path):
    url, arn = queue_with_arn(sqs, "esm-partial")
    handler = python_handler(tmp_path, (
        "print(json.dumps({'batchItemFailures': [{'itemIdentifier': r['messageId']} "
        "for r in event['Records'] if r['body'] == 'bad']}))"))
    name = create_function(handler)["FunctionName"]
    for body in ("good", "bad"):
        sqs.send_message(QueueUrl=url, MessageBody=body)
    uid = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=name, BatchSize=10,
                                          FunctionResponseTypes=["ReportBatchItemFailures"])["UUID"]

    def only_bad_left():
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        total = int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])
        return total == 1
    wait_until(only_bad_left, "the good message to be deleted")
    lam.update_event_source_mapping(UUID=uid, Enabled=False)
    wait_until(lambda: lam.get_event_source_mapping(UUID=uid)["State"] == "Disabled", "the mapping to disable")
    message = wait_until(lambda: sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages"), "the failed message")
    assert message[0]["Body"] == "bad"


# Step Functions

def test_state_machine_invokes_functions_and_catches_their_errors(lam, sfn, create_function):
    echo = create_function()["FunctionName"]
    failing_arn = create_function("exec:exit 1")["FunctionArn"]
    definition = {
        "StartAt": "Echo",
        "States": {
            "Echo": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                     "Parameters": {"FunctionName": echo, "Payload.$": "$"},
                     "ResultSelector": {"echoed.$": "$.Payload", "status.$": "$.StatusCode"}, "Next": "Fail"},
            "Fail": {"Type": "Task", "Resource": failing_arn, "End": True,
                     "Catch": [{"ErrorEquals": ["Runtime.ExitError"], "ResultPath": "$.error", "Next": "Done"}]},
            "Done": {"Type": "Pass", "End": True},
        },
    }
    machine = sfn.create_state_machine(name=f"lam-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition),
                                       roleArn=ROLE_ARN)["stateMachineArn"]
    result = run_execution(sfn, machine, input={"order": 7})
    assert result["status"] == "SUCCEEDED"
    output = json.loads(result["output"])
    assert output["echoed"] == {"order": 7} and output["status"] == 200
    assert output["error"]["Error"] == "Runtime.ExitError"
    assert json.loads(output["error"]["Cause"])["errorType"] == "Runtime.ExitError"


def test_state_machine_task_on_missing_function_fails(sfn):
    definition = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": f"arn:aws:lambda:{REGION}:{DEFAULT_ACCOUNT}:function:absent", "End": True}}}
    machine = sfn.create_state_machine(name=f"lam-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition),
                                       roleArn=ROLE_ARN)["stateMachineArn"]
    result = run_execution(sfn, machine, input={})
    assert result["status"] == "FAILED"
    assert result["error"] == "Lambda.ResourceNotFoundException"


def test_batching_window_gathers_more_than_ten_messages(lam, sqs, create_function, tmp_path):
    url, arn = queue_with_arn(sqs, "esm-window")
    sizes = tmp_path / "sizes"
    sizes.mkdir()
    handler = python_handler(tmp_path, (
        f"open(os.path.join({str(sizes)!r}, str(os.getpid())), 'w').write(str(len(event['Records'])))"))
    name = create_function(handler)["FunctionName"]
    for start in range(0, 25, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f"m{i}"}
                                                      for i in range(start, min(25, start + 10))])
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=name, BatchSize=100,
                                    MaximumBatchingWindowInSeconds=1, ScalingConfig={"MaximumConcurrency": 2})

    def total():
        return sum(int(p.read_text() or 0) for p in sizes.iterdir())
    wait_until(lambda: total() >= 25, "all 25 messages to be delivered")
    assert max(int(p.read_text()) for p in sizes.iterdir()) > 10


@pytest.mark.parametrize("arguments, fragment", [
    ({"BatchSize": 11}, "Maximum batch window"),
    ({"BatchSize": 0}, "batchSize"),
    ({"MaximumBatchingWindowInSeconds": 301}, "maximumBatchingWindowInSeconds"),
    ({"FunctionResponseTypes": ["Everything"]}, "functionResponseTypes"),
    ({"ScalingConfig": {"MaximumConcurrency": 1}}, "maximumConcurrency"),
])
def test_mapping_parameters_are_validated(endpoint, sqs, create_function, arguments, fragment):
    _, arn = queue_with_arn(sqs, "esm-validate")
    name = create_function()["FunctionName"]
    lam = make_client(endpoint, "lambda", parameter_validation=False)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=name, **arguments)
    assert error_code(excinfo) == "InvalidParameterValueException"
    assert fragment in excinfo.value.response["Error"]["Message"]


def test_mapping_to_missing_queue_is_rejected(lam, create_function):
    name = create_function()["FunctionName"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.create_event_source_mapping(EventSourceArn=f"arn:aws:sqs:{REGION}:{DEFAULT_ACCOUNT}:no-such-queue",
                                        FunctionName=name)
    assert error_code(excinfo) == "InvalidParameterValueException"
    assert "NonExistentQueue" in excinfo.value.response["Error"]["Message"]


def test_failing_function_sends_messages_to_the_dead_letter_queue(lam, sqs, create_function):
    dlq_url, dlq_arn = queue_with_arn(sqs, "esm-dlq")
    url = sqs.create_queue(QueueName="esm-redrive", Attributes={
        "VisibilityTimeout": "1",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"})})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    name = create_function("exec:exit 1")["FunctionName"]
    sqs.send_message(QueueUrl=url, MessageBody="poison")
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=name, BatchSize=1)
    moved = wait_until(lambda: sqs.receive_message(QueueUrl=dlq_url, WaitTimeSeconds=1).get("Messages"),
                       "the message to reach the dead-letter queue", timeout=20)
    assert moved[0]["Body"] == "poison"


@pytest.mark.own_server
def test_functions_and_mappings_survive_a_restart(offcloud_factory, tmp_path):
    (tmp_path / "data").mkdir()
    first = offcloud_factory(data_dir=tmp_path / "data", name="first")
    lam, sqs = make_client(first.endpoint, "lambda"), make_client(first.endpoint, "sqs")
    marker = tmp_path / "delivered"
    lam.create_function(FunctionName="durable", Runtime="provided.al2023", Role=ROLE_ARN,
                        Handler=f"exec:cat > {marker}", Code={"ZipFile": b"x"}, Timeout=9)
    url, arn = queue_with_arn(sqs, "esm-durable")
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="durable")
    first.stop()
    second = offcloud_factory(data_dir=tmp_path / "data", name="second")
    lam, sqs = make_client(second.endpoint, "lambda"), make_client(second.endpoint, "sqs")
    assert lam.get_function_configuration(FunctionName="durable")["Timeout"] == 9
    sqs.send_message(QueueUrl=sqs.get_queue_url(QueueName="esm-durable")["QueueUrl"], MessageBody="after restart")
    wait_until(lambda: marker.exists() and marker.read_text(), "the resumed mapping to deliver")
    assert json.loads(marker.read_text())["Records"][0]["body"] == "after restart"


# DynamoDB stream event sources

def stream_table(endpoint, name: str) -> str:
    ddb = make_client(endpoint, "dynamodb")
    return ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]["LatestStreamArn"]


def recording_function(create_function, tmp_path, **extra) -> tuple[str, Path]:
    events = tmp_path / "events"
    events.mkdir()
    handler = python_handler(tmp_path, (
        "import time\n"
        f"open(os.path.join({str(events)!r}, '%.6f-%d' % (time.time(), os.getpid())), 'w').write(json.dumps(event))"))
    return create_function(handler, **extra)["FunctionName"], events


def delivered_records(events: Path) -> list[dict]:
    return [r for p in sorted(events.iterdir()) for r in json.loads(p.read_text())["Records"]]


def test_stream_mapping_delivers_dynamodb_records_in_order(endpoint, lam, create_function, tmp_path):
    stream_arn = stream_table(endpoint, "stream-orders")
    name, events = recording_function(create_function, tmp_path)
    mapping = lam.create_event_source_mapping(EventSourceArn=stream_arn, FunctionName=name,
                                              StartingPosition="TRIM_HORIZON", BatchSize=50)
    assert mapping["StartingPosition"] == "TRIM_HORIZON" and mapping["BatchSize"] == 50
    assert mapping["MaximumRetryAttempts"] == -1
    assert mapping["LastProcessingResult"] == "No records processed"
    ddb = make_client(endpoint, "dynamodb")
    ddb.put_item(TableName="stream-orders", Item={"id": {"S": "o-1"}, "status": {"S": "NEW"}})
    ddb.update_item(TableName="stream-orders", Key={"id": {"S": "o-1"}}, UpdateExpression="SET #s = :s",
                    ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": {"S": "PAID"}})
    ddb.delete_item(TableName="stream-orders", Key={"id": {"S": "o-1"}})
    wait_until(lambda: len(delivered_records(events)) >= 3, "three stream records")
    records = delivered_records(events)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    first = records[0]
    assert first["eventSource"] == "aws:dynamodb" and first["eventVersion"] == "1.1"
    assert first["eventSourceARN"] == stream_arn and first["awsRegion"] == REGION
    assert first["dynamodb"]["Keys"] == {"id": {"S": "o-1"}}
    assert first["dynamodb"]["NewImage"]["status"] == {"S": "NEW"}
    assert first["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert records[1]["dynamodb"]["OldImage"]["status"] == {"S": "NEW"}
    assert records[1]["dynamodb"]["NewImage"]["status"] == {"S": "PAID"}
    sequences = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert sequences == sorted(sequences)


def test_stream_mapping_gives_up_after_maximum_retry_attempts(endpoint, lam, create_function, tmp_path):
    stream_arn = stream_table(endpoint, "stream-retries")
    attempts = tmp_path / "attempts"
    attempts.mkdir()
    handler = python_handler(tmp_path, (
        f"open(os.path.join({str(attempts)!r}, str(os.getpid())), 'w').write(json.dumps(event))\n"
        "if any(r['dynamodb']['Keys']['id']['S'] == 'bad' for r in event['Records']): sys.exit(1)"))
    name = create_function(handler)["FunctionName"]
    lam.create_event_source_mapping(EventSourceArn=stream_arn, FunctionName=name, StartingPosition="TRIM_HORIZON",
                                    BatchSize=1, MaximumRetryAttempts=1)
    ddb = make_client(endpoint, "dynamodb")
    ddb.put_item(TableName="stream-retries", Item={"id": {"S": "bad"}})
    ddb.put_item(TableName="stream-retries", Item={"id": {"S": "good"}})

    def keys():
        return [json.loads(p.read_text())["Records"][0]["dynamodb"]["Keys"]["id"]["S"] for p in attempts.iterdir()]
    wait_until(lambda: "good" in keys(), "the record after the failing one")
    assert keys().count("bad") == 2  # the first attempt and one retry


def test_stream_mapping_bisects_a_failing_batch(endpoint, lam, create_function, tmp_path):
    stream_arn = stream_table(endpoint, "stream-bisect")
    ddb = make_client(endpoint, "dynamodb")
    for key in ["a", "b", "bad", "c", "d"]:            # written first: one batch of five
        ddb.put_item(TableName="stream-bisect", Item={"id": {"S": key}})
    calls = tmp_path / "calls"
    calls.mkdir()
    handler = python_handler(tmp_path, (
        "import time\n"
        "keys = [r['dynamodb']['Keys']['id']['S'] for r in event['Records']]\n"
        "failed = 'bad' in keys\n"
        f"open(os.path.join({str(calls)!r}, '%.6f-%d' % (time.time(), os.getpid())), 'w').write(json.dumps([keys, failed]))\n"
        "if failed: sys.exit(1)"))
    name = create_function(handler)["FunctionName"]
    mapping = lam.create_event_source_mapping(EventSourceArn=stream_arn, FunctionName=name, StartingPosition="TRIM_HORIZON",
                                              BatchSize=10, MaximumRetryAttempts=0, BisectBatchOnFunctionError=True)
    assert mapping["BisectBatchOnFunctionError"] is True

    def invocations():
        return [json.loads(p.read_text()) for p in sorted(calls.iterdir())]
    wait_until(lambda: sorted(k for keys, failed in invocations() if not failed for k in keys) == ["a", "b", "c", "d"],
               "every good record delivered in a successful half")
    batches = [keys for keys, _ in invocations()]
    assert batches[0] == ["a", "b", "bad", "c", "d"]
    assert ["bad"] in batches                            # split down to the one failing record
    assert ["a", "b"] in batches


def test_stream_mapping_needs_a_starting_position_and_an_existing_stream(endpoint, lam, create_function):
    stream_arn = stream_table(endpoint, "stream-validate")
    name = create_function()["FunctionName"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.create_event_source_mapping(EventSourceArn=stream_arn, FunctionName=name)
    assert error_code(excinfo) == "InvalidParameterValueException"
    assert "StartingPosition" in excinfo.value.response["Error"]["Message"]
    missing = stream_arn.replace("stream-validate", "no-such-table")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.create_event_source_mapping(EventSourceArn=missing, FunctionName=name, StartingPosition="LATEST")
    assert error_code(excinfo) == "InvalidParameterValueException"


@pytest.mark.own_server
def test_stream_mapping_resumes_from_its_checkpoint_after_a_restart(offcloud_factory, tmp_path):
    (tmp_path / "data").mkdir()
    first = offcloud_factory(data_dir=tmp_path / "data", name="first")
    lam = make_client(first.endpoint, "lambda")
    stream_arn = stream_table(first.endpoint, "stream-durable")
    events = tmp_path / "events"
    events.mkdir()
    handler = python_handler(tmp_path, (
        "import time\n"
        f"open(os.path.join({str(events)!r}, '%.6f-%d' % (time.time(), os.getpid())), 'w').write(json.dumps(event))"))
    lam.create_function(FunctionName="durable-stream", Runtime="provided.al2023", Role=ROLE_ARN, Handler=handler,
                        Code={"ZipFile": b"x"})
    uid = lam.create_event_source_mapping(EventSourceArn=stream_arn, FunctionName="durable-stream",
                                          StartingPosition="TRIM_HORIZON")["UUID"]
    make_client(first.endpoint, "dynamodb").put_item(TableName="stream-durable", Item={"id": {"S": "before"}})
    wait_until(lambda: len(delivered_records(events)) == 1, "the record before the restart")
    # The checkpoint is written after the function returns; LastProcessingResult follows it.
    wait_until(lambda: lam.get_event_source_mapping(UUID=uid)["LastProcessingResult"] == "OK", "the checkpoint")
    first.stop()
    second = offcloud_factory(data_dir=tmp_path / "data", name="second")
    make_client(second.endpoint, "dynamodb").put_item(TableName="stream-durable", Item={"id": {"S": "after"}})
    wait_until(lambda: len(delivered_records(events)) >= 2, "the record after the restart")
    time.sleep(0.5)  # a re-delivery of "before" would show up within the poll interval
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in delivered_records(events)] == ["before", "after"]


def test_stream_partial_failure_retries_from_the_first_failed_record(endpoint, lam, create_function, tmp_path):
    stream_arn = stream_table(endpoint, "stream-partial")
    ddb = make_client(endpoint, "dynamodb")
    for key in ("a", "bad", "c"):
        ddb.put_item(TableName="stream-partial", Item={"id": {"S": key}})
    batches = tmp_path / "batches"
    batches.mkdir()
    handler = python_handler(tmp_path, (
        "import time\n"
        f"open(os.path.join({str(batches)!r}, '%.6f-%d' % (time.time(), os.getpid())), 'w').write(json.dumps(event))\n"
        "print(json.dumps({'batchItemFailures': [{'itemIdentifier': r['dynamodb']['SequenceNumber']} "
        "for r in event['Records'] if r['dynamodb']['Keys']['id']['S'] == 'bad']}))"))
    name = create_function(handler)["FunctionName"]
    lam.create_event_source_mapping(EventSourceArn=stream_arn, FunctionName=name, StartingPosition="TRIM_HORIZON",
                                    BatchSize=10, MaximumRetryAttempts=1, FunctionResponseTypes=["ReportBatchItemFailures"])

    def seen():
        return [[r["dynamodb"]["Keys"]["id"]["S"] for r in json.loads(p.read_text())["Records"]]
                for p in sorted(batches.iterdir())]
    wait_until(lambda: len(seen()) >= 2, "the retry of the failed records")
    ddb.put_item(TableName="stream-partial", Item={"id": {"S": "d"}})
    wait_until(lambda: ["d"] in seen(), "the next record after giving up")
    assert seen() == [["a", "bad", "c"], ["bad", "c"], ["d"]]


# Bad input over raw HTTP

@pytest.mark.parametrize("body, fragment", [
    (b"{not json", "Could not parse request body into json"),
    (b"[1, 2]", "Could not parse request body into json"),
    (json.dumps({"FunctionName": "typed", "Role": ROLE_ARN, "Handler": "h", "Code": {}, "Timeout": "abc"}).encode(),
     "Timeout"),
])
def test_malformed_requests_are_invalid_request_content(endpoint, lam, body, fragment):
    import requests
    answer = requests.post(f"{endpoint}/2015-03-31/functions", data=body,
                           headers={"Content-Type": "application/json"}, timeout=10)
    assert answer.status_code == 400
    assert answer.headers["x-amzn-ErrorType"] == "InvalidRequestContentException"
    assert fragment in answer.json()["message"]
    assert lam.list_functions()["Functions"] == []
