"""One clock for the whole emulator: a server started with `--virtual-clock` moves
time only through `POST /_offcloud/clock`, and every service follows — Step
Functions Wait states and Retry intervals, SQS visibility timeouts, delays and
retention, DynamoDB TTL, WebSocket idle limits. Nothing here sleeps for the durations
it tests; waits are bounded polls for the server to act after the clock moves."""

from __future__ import annotations

import datetime
import json
import time

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as ws_connect

from support.clients import make_client
from support.sfn import definition

pytestmark = pytest.mark.own_server

HTTP_TIMEOUT = 10
START = "2030-01-01T00:00:00Z"
START_MS = 1_893_456_000_000


@pytest.fixture
def virtual(offcloud_factory):
    return offcloud_factory(extra_args=["--virtual-clock-start", START])


def clock(server, body=None):
    if body is None:
        return requests.get(f"{server.endpoint}/_offcloud/clock", timeout=HTTP_TIMEOUT)
    return requests.post(f"{server.endpoint}/_offcloud/clock", data=json.dumps(body), timeout=HTTP_TIMEOUT)


def advance(server, duration: str) -> dict:
    response = clock(server, {"advance": duration})
    assert response.status_code == 200, response.text
    return response.json()


def eventually(predicate, message: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {message}")


def test_clock_reads_advances_and_sets(virtual):
    now = clock(virtual).json()
    assert now == {"now": "2030-01-01T00:00:00.000Z", "epochMillis": START_MS, "virtual": True}
    assert advance(virtual, "PT1H30M")["epochMillis"] == START_MS + 5_400_000
    assert advance(virtual, "P1W")["epochMillis"] == START_MS + 5_400_000 + 604_800_000
    assert advance(virtual, "PT0.5S")["epochMillis"] == START_MS + 5_400_000 + 604_800_000 + 500
    moved = clock(virtual, {"set": "2031-06-01T12:00:00Z"})
    assert moved.status_code == 200
    assert moved.json()["now"] == "2031-06-01T12:00:00.000Z"


@pytest.mark.parametrize("body, fragment", [
    ({"advance": "1 hour"}, "ISO 8601 duration"),
    ({"advance": "P1M"}, "ISO 8601 duration"),        # months have no fixed length
    ({"set": "yesterday"}, "ISO 8601 timestamp"),
    ({"set": "2020-01-01T00:00:00Z"}, "only moves forward"),
    ({}, "Give \"advance\""),
])
def test_bad_clock_requests_are_refused(virtual, body, fragment):
    response = clock(virtual, body)
    assert response.status_code == 400
    assert fragment in response.json()["message"]
    assert clock(virtual).json()["epochMillis"] == START_MS


def test_a_real_clock_cannot_be_moved(offcloud_factory):
    server = offcloud_factory()
    assert clock(server).json()["virtual"] is False
    response = clock(server, {"advance": "PT1H"})
    assert response.status_code == 400
    assert "--virtual-clock" in response.json()["message"]


def test_wait_of_a_week_and_retry_intervals_follow_the_clock(virtual):
    sfn = make_client(virtual.endpoint, "stepfunctions")
    arn = sfn.create_state_machine(name="week", roleArn="arn:aws:iam::000000000000:role/x", definition=definition({
        "Week": {"Type": "Wait", "Seconds": 604800, "Next": "Send"},
        "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": True,
                 "Parameters": {"QueueUrl": "http://localhost/000000000000/missing", "MessageBody": "x"},
                 "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3600, "MaxAttempts": 1}]},
    }))["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]

    def status():
        return sfn.describe_execution(executionArn=execution)["status"]

    eventually(lambda: any(e["type"] == "WaitStateEntered" for e in sfn.get_execution_history(executionArn=execution)["events"]),
               "the Wait state")
    assert status() == "RUNNING"
    advance(virtual, "P6D")
    time.sleep(0.2)
    assert status() == "RUNNING"
    advance(virtual, "P1D")
    eventually(lambda: any(e["type"] == "TaskFailed" for e in sfn.get_execution_history(executionArn=execution)["events"]),
               "the first attempt")
    assert status() == "RUNNING"                       # waiting an hour to retry
    advance(virtual, "PT1H")
    eventually(lambda: status() == "FAILED", "the retry")
    events = sfn.get_execution_history(executionArn=execution)["events"]
    started = events[0]["timestamp"]
    failures = [e["timestamp"] for e in events if e["type"] == "TaskFailed"]
    assert len(failures) == 2
    assert failures[1] - failures[0] == datetime.timedelta(hours=1)
    assert failures[0] - started >= datetime.timedelta(days=7)


def test_sqs_visibility_delay_and_retention_follow_the_clock(virtual):
    sqs = make_client(virtual.endpoint, "sqs")
    url = sqs.create_queue(QueueName="timed", Attributes={"MessageRetentionPeriod": "3600"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="visible")
    sqs.send_message(QueueUrl=url, MessageBody="delayed", DelaySeconds=900)
    first = sqs.receive_message(QueueUrl=url, VisibilityTimeout=600, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in first] == ["visible"]
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    advance(virtual, "PT10M1S")
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)["Messages"]] == ["visible"]
    advance(virtual, "PT5M")
    bodies = sorted(m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)["Messages"])
    assert bodies == ["delayed", "visible"]
    advance(virtual, "PT2H")
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)


def test_dynamodb_ttl_follows_the_clock(virtual):
    ddb = make_client(virtual.endpoint, "dynamodb")
    ddb.create_table(TableName="sessions", AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    ddb.update_time_to_live(TableName="sessions", TimeToLiveSpecification={"AttributeName": "expires", "Enabled": True})
    expires = START_MS // 1000 + 3600
    ddb.put_item(TableName="sessions", Item={"id": {"S": "s1"}, "expires": {"N": str(expires)}})
    advance(virtual, "PT30M")
    time.sleep(0.2)
    assert "Item" in ddb.get_item(TableName="sessions", Key={"id": {"S": "s1"}})
    advance(virtual, "PT31M")
    eventually(lambda: "Item" not in ddb.get_item(TableName="sessions", Key={"id": {"S": "s1"}}), "TTL expiry")


def test_websocket_idle_limit_follows_the_clock(virtual):
    apigw = make_client(virtual.endpoint, "apigatewayv2")
    api = apigw.create_api(Name="idle", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    apigw.create_stage(ApiId=api["ApiId"], StageName="dev")
    with ws_connect(api["ApiEndpoint"] + "/dev") as ws:
        advance(virtual, "PT9M")
        with pytest.raises(TimeoutError):
            ws.recv(timeout=0.5)                         # still open after 9 idle minutes
        advance(virtual, "PT2M")
        with pytest.raises(ConnectionClosed) as excinfo:
            ws.recv(timeout=10)
    assert excinfo.value.rcvd.code == 1001
