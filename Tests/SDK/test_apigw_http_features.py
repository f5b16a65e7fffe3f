"""HTTP API features beyond Lambda proxies, through boto3 `apigatewayv2` and raw HTTP
against the real server: AWS service integrations (SQS and Step Functions subtypes,
request parameter mapping, service errors, control-plane validation), Lambda REQUEST
authorizers (payload formats 1.0 and 2.0, simple and IAM policy responses, identity
sources, caching, failures), JWT authorizers (issuer, audience, expiry, scopes; no
signature check, offline) and CORS (preflights answered by API Gateway, headers on
actual responses).
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import botocore.exceptions
import pytest
import requests

from support.clients import make_client
from support.lambda_functions import error_code, python_handler
from support.sfn import pass_definition, wait_definition, wait_for_execution
from support.sqs import DEFAULT_ACCOUNT, REGION

HTTP_TIMEOUT = 10
UNAUTHORIZED = {"message": "Unauthorized"}
FORBIDDEN = {"message": "Forbidden"}
INTERNAL_ERROR = {"message": "Internal Server Error"}

ECHO_EVENT = ("print(json.dumps({'statusCode': 200, 'headers': {'content-type': 'application/json', "
              "'access-control-allow-origin': 'https://backend.example'}, 'body': json.dumps(event)}))")


@pytest.fixture(scope="session")
def apigw(endpoint):
    return make_client(endpoint, "apigatewayv2")


@pytest.fixture
def http_api(apigw):
    """http_api(**CreateApi arguments) -> namespace(id, url); a `$default` stage that auto-deploys."""
    def make(**extra):
        api = apigw.create_api(Name=f"api-{uuid.uuid4().hex[:8]}", ProtocolType="HTTP", **extra)
        apigw.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
        return SimpleNamespace(id=api["ApiId"], url=api["ApiEndpoint"])
    return make


@pytest.fixture
def lambda_route(apigw, create_function):
    """lambda_route(api, route_key, handler, payload_format="2.0", **CreateRoute arguments) -> route id."""
    def make(api, route_key: str, handler: str, payload_format: str = "2.0", **route_args):
        arn = create_function(handler)["FunctionArn"]
        integration = apigw.create_integration(ApiId=api.id, IntegrationType="AWS_PROXY", IntegrationUri=arn,
                                               PayloadFormatVersion=payload_format)["IntegrationId"]
        return apigw.create_route(ApiId=api.id, RouteKey=route_key, Target=f"integrations/{integration}",
                                  **route_args)["RouteId"]
    return make


@pytest.fixture
def service_route(apigw):
    """service_route(api, route_key, subtype, parameters) -> route id."""
    def make(api, route_key: str, subtype: str, parameters: dict):
        integration = apigw.create_integration(
            ApiId=api.id, IntegrationType="AWS_PROXY", IntegrationSubtype=subtype, PayloadFormatVersion="1.0",
            CredentialsArn=f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/apigw", RequestParameters=parameters)["IntegrationId"]
        return apigw.create_route(ApiId=api.id, RouteKey=route_key, Target=f"integrations/{integration}")["RouteId"]
    return make


def counting_handler(tmp_path: Path, body: str) -> tuple[str, Path]:
    """A handler that appends a line to a file on every call, then runs `body`."""
    calls = tmp_path / f"calls_{uuid.uuid4().hex[:8]}"
    calls.write_text("")
    return python_handler(tmp_path, f"open({str(calls)!r}, 'a').write('x')\n" + body), calls


def call_count(calls: Path) -> int:
    return len(calls.read_text())


# --- service integrations: SQS --------------------------------------------------------

def test_sqs_send_message_maps_body_query_and_attributes(http_api, service_route, sqs, queue_url):
    api = http_api()
    service_route(api, "POST /orders", "SQS-SendMessage", {
        "QueueUrl": queue_url, "MessageBody": "$request.body.message", "DelaySeconds": "$request.querystring.delay",
        "MessageAttributes": "$request.body.attributes"})
    body = {"message": "book 7", "attributes": {"trace": {"DataType": "String", "StringValue": "t-1"}}}
    response = requests.post(f"{api.url}/orders?delay=0", json=body, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    answer = response.json()["SendMessageResponse"]
    assert list(answer) == ["ResponseMetadata", "SendMessageResult"]
    assert answer["ResponseMetadata"]["RequestId"]
    result = answer["SendMessageResult"]
    assert result["MD5OfMessageBody"] == hashlib.md5(b"book 7").hexdigest()
    assert result["MD5OfMessageAttributes"]
    assert result["SequenceNumber"] is None and result["MD5OfMessageSystemAttributes"] is None

    received = sqs.receive_message(QueueUrl=queue_url, MessageAttributeNames=["All"], WaitTimeSeconds=1)["Messages"]
    assert [m["Body"] for m in received] == ["book 7"]
    assert received[0]["MessageId"] == result["MessageId"]
    assert received[0]["MessageAttributes"]["trace"]["StringValue"] == "t-1"


def test_sqs_send_message_mixes_text_context_stage_variables_and_fifo_ids(apigw, http_api, service_route, sqs, create_queue):
    queue_url = create_queue(fifo=True)
    api = http_api()
    apigw.update_stage(ApiId=api.id, StageName="$default", StageVariables={"queue": queue_url})
    service_route(api, "PUT /orders/{id}", "SQS-SendMessage", {
        "QueueUrl": "$stageVariables.queue", "MessageBody": "order ${request.path.id} via ${context.routeKey}",
        "MessageGroupId": "$request.header.x-group", "MessageDeduplicationId": "$context.requestId"})
    response = requests.put(f"{api.url}/orders/42", headers={"X-Group": "g1"}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    assert response.json()["SendMessageResponse"]["SendMessageResult"]["SequenceNumber"]
    message = sqs.receive_message(QueueUrl=queue_url, AttributeNames=["MessageGroupId"], WaitTimeSeconds=1)["Messages"][0]
    assert message["Body"] == "order 42 via PUT /orders/{id}"
    assert message["Attributes"]["MessageGroupId"] == "g1"


def test_sqs_receive_delete_and_purge(http_api, service_route, sqs, queue_url):
    api = http_api()
    service_route(api, "GET /messages", "SQS-ReceiveMessage",
                  {"QueueUrl": queue_url, "MaxNumberOfMessages": "$request.querystring.max", "VisibilityTimeout": "30"})
    service_route(api, "DELETE /messages", "SQS-DeleteMessage",
                  {"QueueUrl": queue_url, "ReceiptHandle": "$request.header.x-receipt"})
    service_route(api, "POST /purge", "SQS-PurgeQueue", {"QueueUrl": queue_url})

    empty = requests.get(f"{api.url}/messages?max=1", timeout=HTTP_TIMEOUT)
    assert empty.status_code == 200, empty.text
    assert empty.json()["ReceiveMessageResponse"]["ReceiveMessageResult"] == {"messages": None}

    sqs.send_message(QueueUrl=queue_url, MessageBody="first")
    answer = requests.get(f"{api.url}/messages?max=1", timeout=HTTP_TIMEOUT).json()["ReceiveMessageResponse"]
    assert list(answer) == ["ReceiveMessageResult", "ResponseMetadata"]
    [message] = answer["ReceiveMessageResult"]["messages"]
    assert message["Body"] == "first" and message["MD5OfBody"] == hashlib.md5(b"first").hexdigest()
    assert set(message) == {"Attributes", "Body", "MD5OfBody", "MD5OfMessageAttributes", "MessageAttributes", "MessageId",
                            "ReceiptHandle"}

    deleted = requests.delete(f"{api.url}/messages", headers={"X-Receipt": message["ReceiptHandle"]}, timeout=HTTP_TIMEOUT)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"DeleteMessageResponse": {"ResponseMetadata": {"RequestId": deleted.json()[
        "DeleteMessageResponse"]["ResponseMetadata"]["RequestId"]}}}

    sqs.send_message(QueueUrl=queue_url, MessageBody="second")
    purged = requests.post(f"{api.url}/purge", timeout=HTTP_TIMEOUT)
    assert purged.status_code == 200, purged.text
    assert list(purged.json()["PurgeQueueResponse"]) == ["ResponseMetadata"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages",
                                                                              "ApproximateNumberOfMessagesNotVisible"])
    assert attributes["Attributes"] == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}


def test_sqs_errors_pass_through_with_their_status(http_api, service_route, queue_url):
    api = http_api()
    missing = queue_url.rsplit("/", 1)[0] + "/no-such-queue"
    service_route(api, "POST /lost", "SQS-SendMessage", {"QueueUrl": missing, "MessageBody": "$request.body"})
    service_route(api, "DELETE /messages", "SQS-DeleteMessage",
                  {"QueueUrl": queue_url, "ReceiptHandle": "$request.header.x-receipt"})

    lost = requests.post(f"{api.url}/lost", data="hello", timeout=HTTP_TIMEOUT)
    assert lost.status_code == 400, lost.text
    error = lost.json()
    assert error["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    assert error["Error"]["Type"] == "Sender" and error["Error"]["Message"]
    assert error["RequestId"]

    # An unmapped required value leaves the parameter out; SQS rejects the call.
    no_receipt = requests.delete(f"{api.url}/messages", timeout=HTTP_TIMEOUT)
    assert no_receipt.status_code == 400, no_receipt.text
    assert no_receipt.json()["Error"]["Type"] == "Sender"


# --- service integrations: Step Functions ----------------------------------------------

def test_step_functions_start_execution(http_api, service_route, sfn, create_state_machine):
    machine = create_state_machine(pass_definition())
    api = http_api()
    service_route(api, "POST /runs/{name}", "StepFunctions-StartExecution",
                  {"StateMachineArn": machine, "Name": "$request.path.name", "Input": "$request.body"})
    response = requests.post(f"{api.url}/runs/run-1", json={"order": 7}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    started = response.json()
    assert set(started) == {"executionArn", "startDate"}
    assert started["executionArn"].endswith(":run-1")
    described = wait_for_execution(sfn, started["executionArn"])
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["input"]) == {"order": 7}

    again = requests.post(f"{api.url}/runs/run-1", json={"order": 8}, timeout=HTTP_TIMEOUT)
    assert again.status_code == 400, again.text
    assert again.json()["__type"].endswith("#ExecutionAlreadyExists")


def test_step_functions_start_sync_and_stop_execution(http_api, service_route, sfn, create_state_machine):
    express = create_state_machine(pass_definition({"done": True}), type="EXPRESS")
    waiting = create_state_machine(wait_definition(60))
    api = http_api()
    service_route(api, "POST /sync", "StepFunctions-StartSyncExecution",
                  {"StateMachineArn": express, "Input": "$request.body"})
    service_route(api, "POST /stop", "StepFunctions-StopExecution",
                  {"ExecutionArn": "$request.body.arn", "Cause": "$request.body.cause", "Error": "Stopped.ByApi"})

    sync = requests.post(f"{api.url}/sync", json={"n": 1}, timeout=HTTP_TIMEOUT)
    assert sync.status_code == 200, sync.text
    assert sync.json()["status"] == "SUCCEEDED"
    assert json.loads(sync.json()["output"]) == {"done": True}

    execution = sfn.start_execution(stateMachineArn=waiting)["executionArn"]
    stopped = requests.post(f"{api.url}/stop", json={"arn": execution, "cause": "user asked"}, timeout=HTTP_TIMEOUT)
    assert stopped.status_code == 200, stopped.text
    assert "stopDate" in stopped.json()
    described = wait_for_execution(sfn, execution)
    assert described["status"] == "ABORTED"
    assert described.get("cause") == "user asked" and described.get("error") == "Stopped.ByApi"


def test_step_functions_errors_pass_through(http_api, service_route):
    api = http_api()
    absent = f"arn:aws:states:{REGION}:{DEFAULT_ACCOUNT}:stateMachine:absent"
    service_route(api, "POST /runs", "StepFunctions-StartExecution", {"StateMachineArn": absent})
    response = requests.post(f"{api.url}/runs", timeout=HTTP_TIMEOUT)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["__type"] == "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist"
    assert absent in body["message"]


# --- service integrations: control plane ------------------------------------------------

def test_service_integration_defaults_to_payload_format_1_0(apigw, http_api, queue_url):
    api = http_api()
    created = apigw.create_integration(ApiId=api.id, IntegrationType="AWS_PROXY", IntegrationSubtype="SQS-SendMessage",
                                       RequestParameters={"QueueUrl": queue_url, "MessageBody": "$request.body"})
    assert created["IntegrationSubtype"] == "SQS-SendMessage"
    assert created["PayloadFormatVersion"] == "1.0"
    assert created["RequestParameters"] == {"QueueUrl": queue_url, "MessageBody": "$request.body"}


@pytest.mark.parametrize("arguments, words", [
    ({"IntegrationSubtype": "SQS-Teleport", "RequestParameters": {"QueueUrl": "q"}}, "SQS-Teleport"),
    ({"IntegrationSubtype": "SQS-SendMessage", "RequestParameters": {"MessageBody": "$request.body"}}, "QueueUrl"),
    ({"IntegrationSubtype": "StepFunctions-StartExecution", "RequestParameters": {}}, "StateMachineArn"),
    ({"IntegrationSubtype": "SQS-PurgeQueue", "RequestParameters": {"QueueUrl": "q", "Colour": "red"}}, "Colour"),
    ({"IntegrationSubtype": "SQS-PurgeQueue", "RequestParameters": {"QueueUrl": "q"}, "PayloadFormatVersion": "2.0"}, "2.0"),
], ids=["unknown-subtype", "missing-queue-url", "missing-state-machine", "unknown-parameter", "payload-2.0"])
def test_bad_service_integration_is_rejected(apigw, http_api, arguments, words):
    api = http_api()
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        apigw.create_integration(ApiId=api.id, IntegrationType="AWS_PROXY", **arguments)
    assert error_code(excinfo) == "BadRequestException"
    assert words in excinfo.value.response["Error"]["Message"]
    assert apigw.get_integrations(ApiId=api.id)["Items"] == []


# --- Lambda authorizers -------------------------------------------------------------------

SIMPLE_AUTHORIZER = """
token = event['identitySource'][0]
print(json.dumps({'isAuthorized': token == 'letmein',
                  'context': {'user': 'ana', 'level': 3, 'type': event['type'], 'routeArn': event['routeArn'],
                              'version': event['version'], 'routeKey': event['routeKey'], 'rawPath': event['rawPath']}}))
"""


def lambda_authorizer(apigw, create_function, api, handler: str, **extra) -> str:
    arn = create_function(handler)["FunctionArn"]
    uri = f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{arn}/invocations"
    args = {"AuthorizerPayloadFormatVersion": "2.0", "IdentitySource": ["$request.header.Authorization"]}
    args.update(extra)
    return apigw.create_authorizer(ApiId=api.id, AuthorizerType="REQUEST", Name=f"auth-{uuid.uuid4().hex[:6]}",
                                   AuthorizerUri=uri, **args)["AuthorizerId"]


def test_simple_response_authorizer_allows_denies_and_passes_context(apigw, http_api, lambda_route, create_function, tmp_path):
    api = http_api()
    handler, calls = counting_handler(tmp_path, SIMPLE_AUTHORIZER)
    authorizer = lambda_authorizer(apigw, create_function, api, handler, EnableSimpleResponses=True)
    lambda_route(api, "GET /orders/{id}", python_handler(tmp_path, ECHO_EVENT), AuthorizationType="CUSTOM",
                 AuthorizerId=authorizer)

    allowed = requests.get(f"{api.url}/orders/7", headers={"Authorization": "letmein"}, timeout=HTTP_TIMEOUT)
    assert allowed.status_code == 200, allowed.text
    context = allowed.json()["requestContext"]["authorizer"]["lambda"]
    assert context["user"] == "ana" and context["level"] == 3
    assert context["type"] == "REQUEST" and context["version"] == "2.0"
    assert context["routeArn"] == f"arn:aws:execute-api:{REGION}:{DEFAULT_ACCOUNT}:{api.id}/$default/GET/orders/7"
    assert context["routeKey"] == "GET /orders/{id}" and context["rawPath"] == "/orders/7"

    denied = requests.get(f"{api.url}/orders/7", headers={"Authorization": "nope"}, timeout=HTTP_TIMEOUT)
    assert denied.status_code == 403 and denied.json() == FORBIDDEN
    assert call_count(calls) == 2

    missing = requests.get(f"{api.url}/orders/7", timeout=HTTP_TIMEOUT)
    assert missing.status_code == 401 and missing.json() == UNAUTHORIZED
    assert call_count(calls) == 2, "a request without its identity source never reaches the authorizer"


def test_authorizer_2_0_event_carries_the_request(apigw, http_api, lambda_route, create_function, tmp_path):
    api = http_api()
    record = tmp_path / "authorizer-event.json"
    handler = python_handler(tmp_path, f"open({str(record)!r}, 'w').write(json.dumps(event))\n"
                                       "print(json.dumps({'isAuthorized': True}))")
    authorizer = lambda_authorizer(apigw, create_function, api, handler, EnableSimpleResponses=True,
                                   IdentitySource=["$request.header.Authorization", "$request.querystring.tenant"])
    lambda_route(api, "POST /orders", python_handler(tmp_path, ECHO_EVENT), AuthorizationType="CUSTOM",
                 AuthorizerId=authorizer)
    response = requests.post(f"{api.url}/orders?tenant=t1", data="secret body",
                             headers={"Authorization": "abc", "X-Extra": "1"}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    assert response.json()["requestContext"]["authorizer"] == {"lambda": {}}
    event = json.loads(record.read_text())
    assert list(event)[:4] == ["version", "type", "routeArn", "identitySource"]
    assert event["identitySource"] == ["abc", "t1"]
    assert event["rawQueryString"] == "tenant=t1"
    assert event["queryStringParameters"] == {"tenant": "t1"}
    assert event["headers"]["x-extra"] == "1"
    assert event["requestContext"]["http"]["method"] == "POST"
    assert "body" not in event and "isBase64Encoded" not in event

    no_tenant = requests.post(f"{api.url}/orders", headers={"Authorization": "abc"}, timeout=HTTP_TIMEOUT)
    assert no_tenant.status_code == 401 and no_tenant.json() == UNAUTHORIZED


POLICY_AUTHORIZER = """
effect = 'Allow' if event['identitySource'][0] == 'letmein' else 'Deny'
resource = event['routeArn'] if event['identitySource'][0] != 'elsewhere' else 'arn:aws:execute-api:*:*:*/*/DELETE/*'
if event['identitySource'][0] == 'elsewhere':
    effect = 'Allow'
print(json.dumps({'principalId': 'user-9', 'context': {'tier': 'gold'},
                  'policyDocument': {'Version': '2012-10-17', 'Statement': [
                      {'Action': 'execute-api:Invoke', 'Effect': effect, 'Resource': [resource]}]}}))
"""


def test_iam_policy_authorizer(apigw, http_api, lambda_route, create_function, tmp_path):
    api = http_api()
    authorizer = lambda_authorizer(apigw, create_function, api, python_handler(tmp_path, POLICY_AUTHORIZER))
    lambda_route(api, "GET /orders", python_handler(tmp_path, ECHO_EVENT), AuthorizationType="CUSTOM", AuthorizerId=authorizer)

    allowed = requests.get(f"{api.url}/orders", headers={"Authorization": "letmein"}, timeout=HTTP_TIMEOUT)
    assert allowed.status_code == 200, allowed.text
    assert allowed.json()["requestContext"]["authorizer"] == {"lambda": {"tier": "gold"}}

    for token in ("nope", "elsewhere"):
        denied = requests.get(f"{api.url}/orders", headers={"Authorization": token}, timeout=HTTP_TIMEOUT)
        assert denied.status_code == 403, token
        assert denied.json() == FORBIDDEN


def test_payload_1_0_authorizer_and_integration(apigw, http_api, lambda_route, create_function, tmp_path):
    api = http_api()
    handler = python_handler(tmp_path, """
assert event['version'] == '1.0' and event['type'] == 'REQUEST'
ok = event['authorizationToken'] == 'letmein,t1' and event['identitySource'] == 'letmein,t1'
print(json.dumps({'principalId': 'user-1', 'context': {'methodArn': event['methodArn'], 'resource': event['resource']},
                  'policyDocument': {'Version': '2012-10-17', 'Statement': [
                      {'Action': 'execute-api:*', 'Effect': 'Allow' if ok else 'Deny', 'Resource': 'arn:aws:execute-api:*'}]}}))
""")
    authorizer = lambda_authorizer(apigw, create_function, api, handler, AuthorizerPayloadFormatVersion="1.0",
                                   IdentitySource=["$request.header.Authorization", "$request.querystring.tenant"])
    lambda_route(api, "GET /items/{id}", python_handler(tmp_path, ECHO_EVENT), payload_format="1.0",
                 AuthorizationType="CUSTOM", AuthorizerId=authorizer)
    response = requests.get(f"{api.url}/items/5?tenant=t1", headers={"Authorization": "letmein"}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    assert response.json()["requestContext"]["authorizer"] == {
        "methodArn": f"arn:aws:execute-api:{REGION}:{DEFAULT_ACCOUNT}:{api.id}/$default/GET/items/5",
        "resource": "/items/{id}", "principalId": "user-1"}
    denied = requests.get(f"{api.url}/items/5?tenant=t2", headers={"Authorization": "letmein"}, timeout=HTTP_TIMEOUT)
    assert denied.status_code == 403 and denied.json() == FORBIDDEN


@pytest.mark.parametrize("body, simple", [
    ("sys.exit(1)", True),
    ("print(json.dumps({'authorized': True}))", True),
    ("print(json.dumps({'isAuthorized': True}))", False),
    ("print(json.dumps({'principalId': 'x', 'policyDocument': {'Statement': [{'Action': 'execute-api:Invoke'}]}}))", False),
], ids=["function-error", "no-isAuthorized", "simple-answer-to-policy-authorizer", "statement-without-effect"])
def test_failing_or_malformed_authorizer_is_internal_server_error(apigw, http_api, lambda_route, create_function, tmp_path,
                                                                  body, simple):
    api = http_api()
    authorizer = lambda_authorizer(apigw, create_function, api, python_handler(tmp_path, body), EnableSimpleResponses=simple)
    lambda_route(api, "GET /orders", python_handler(tmp_path, ECHO_EVENT), AuthorizationType="CUSTOM", AuthorizerId=authorizer)
    response = requests.get(f"{api.url}/orders", headers={"Authorization": "x"}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 500
    assert response.json() == INTERNAL_ERROR


def test_authorizer_results_are_cached_by_identity_source(apigw, http_api, lambda_route, create_function, tmp_path):
    api = http_api()
    handler, calls = counting_handler(tmp_path, SIMPLE_AUTHORIZER)
    authorizer = lambda_authorizer(apigw, create_function, api, handler, EnableSimpleResponses=True,
                                   AuthorizerResultTtlInSeconds=300)
    lambda_route(api, "GET /orders", python_handler(tmp_path, ECHO_EVENT), AuthorizationType="CUSTOM", AuthorizerId=authorizer)
    for _ in range(3):
        assert requests.get(f"{api.url}/orders", headers={"Authorization": "letmein"}, timeout=HTTP_TIMEOUT).status_code == 200
    assert call_count(calls) == 1
    for _ in range(2):
        assert requests.get(f"{api.url}/orders", headers={"Authorization": "nope"}, timeout=HTTP_TIMEOUT).status_code == 403
    assert call_count(calls) == 2


def test_uncached_authorizer_runs_every_time(apigw, http_api, lambda_route, create_function, tmp_path):
    api = http_api()
    handler, calls = counting_handler(tmp_path, SIMPLE_AUTHORIZER)
    authorizer = lambda_authorizer(apigw, create_function, api, handler, EnableSimpleResponses=True,
                                   AuthorizerResultTtlInSeconds=0)
    lambda_route(api, "GET /orders", python_handler(tmp_path, ECHO_EVENT), AuthorizationType="CUSTOM", AuthorizerId=authorizer)
    for _ in range(2):
        assert requests.get(f"{api.url}/orders", headers={"Authorization": "letmein"}, timeout=HTTP_TIMEOUT).status_code == 200
    assert call_count(calls) == 2


def test_authorizer_guards_service_integrations_and_feeds_their_mappings(apigw, http_api, service_route, create_function,
                                                                          tmp_path, sqs, queue_url):
    api = http_api()
    authorizer = lambda_authorizer(apigw, create_function, api, python_handler(tmp_path, SIMPLE_AUTHORIZER),
                                   EnableSimpleResponses=True)
    route = service_route(api, "POST /orders", "SQS-SendMessage",
                          {"QueueUrl": queue_url, "MessageBody": "${context.authorizer.user}: ${request.body}"})
    apigw.update_route(ApiId=api.id, RouteId=route, AuthorizationType="CUSTOM", AuthorizerId=authorizer)
    assert requests.post(f"{api.url}/orders", data="hi", timeout=HTTP_TIMEOUT).status_code == 401
    response = requests.post(f"{api.url}/orders", data="hi", headers={"Authorization": "letmein"}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    assert sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)["Messages"][0]["Body"] == "ana: hi"


# --- JWT authorizers ------------------------------------------------------------------------

ISSUER = "https://issuer.example.com/pool"


def b64url(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def jwt(**claims) -> str:
    """An RS256-shaped token with a dummy signature: Offcloud does not verify signatures."""
    body = {"iss": ISSUER, "aud": "app-1", "sub": "user-1", "exp": int(time.time()) + 600}
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    return f"{b64url({'alg': 'RS256', 'kid': 'k1', 'typ': 'JWT'})}.{b64url(body)}.c2lnbmF0dXJl"


@pytest.fixture
def jwt_api(apigw, http_api, lambda_route, tmp_path):
    """An API whose `GET /me` needs a JWT (audience app-1) and `GET /admin` also the scope `admin`."""
    api = http_api()
    authorizer = apigw.create_authorizer(ApiId=api.id, AuthorizerType="JWT", Name="jwt",
                                         IdentitySource=["$request.header.Authorization"],
                                         JwtConfiguration={"Issuer": ISSUER, "Audience": ["app-1", "app-2"]})["AuthorizerId"]
    lambda_route(api, "GET /me", python_handler(tmp_path, ECHO_EVENT), AuthorizationType="JWT", AuthorizerId=authorizer)
    admin = lambda_route(api, "GET /admin", python_handler(tmp_path, ECHO_EVENT), AuthorizationType="JWT",
                         AuthorizerId=authorizer)
    apigw.update_route(ApiId=api.id, RouteId=admin, AuthorizationScopes=["admin", "root"])
    return api


def test_jwt_claims_reach_the_integration(jwt_api):
    token = jwt(groups=["a", "b"], email_verified=True)
    response = requests.get(f"{jwt_api.url}/me", headers={"Authorization": f"Bearer {token}"}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    authorizer = response.json()["requestContext"]["authorizer"]["jwt"]
    claims = authorizer["claims"]
    assert claims["sub"] == "user-1" and claims["iss"] == ISSUER and claims["aud"] == "app-1"
    assert claims["groups"] == "[a b]" and claims["email_verified"] == "true"
    assert claims["exp"].isdigit()
    assert authorizer["scopes"] is None

    # The bare token works too, and `client_id` stands in for a missing `aud`.
    bare = requests.get(f"{jwt_api.url}/me", headers={"Authorization": jwt(aud=None, client_id="app-2")}, timeout=HTTP_TIMEOUT)
    assert bare.status_code == 200, bare.text


def test_jwt_scopes(jwt_api):
    granted = requests.get(f"{jwt_api.url}/admin", headers={"Authorization": f"Bearer {jwt(scope='read admin')}"},
                           timeout=HTTP_TIMEOUT)
    assert granted.status_code == 200, granted.text
    assert granted.json()["requestContext"]["authorizer"]["jwt"]["scopes"] == ["read", "admin"]
    scp = requests.get(f"{jwt_api.url}/admin", headers={"Authorization": f"Bearer {jwt(scp=['root'])}"}, timeout=HTTP_TIMEOUT)
    assert scp.status_code == 200, scp.text

    refused = requests.get(f"{jwt_api.url}/admin", headers={"Authorization": f"Bearer {jwt(scope='read')}"},
                           timeout=HTTP_TIMEOUT)
    assert refused.status_code == 403
    assert refused.json() == FORBIDDEN
    assert refused.headers["www-authenticate"].startswith('Bearer scope="admin root" error="insufficient_scope"')


@pytest.mark.parametrize("token, description", [
    (jwt(aud="someone-else"), "the token does not have a valid audience"),
    (jwt(iss="https://evil.example.com"), "the token does not have a valid issuer"),
    (jwt(exp=int(time.time()) - 60), "the token has expired"),
    (jwt(nbf=int(time.time()) + 3600), "the token is not valid yet"),
    ("not-a-jwt", "the token is malformed"),
    ("a.b.c", "the token is malformed"),
], ids=["audience", "issuer", "expired", "not-yet-valid", "no-dots", "not-json"])
def test_invalid_jwt_is_unauthorized_with_the_reason(jwt_api, token, description):
    response = requests.get(f"{jwt_api.url}/me", headers={"Authorization": f"Bearer {token}"}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert response.headers["www-authenticate"] == f'Bearer scope="" error="invalid_token" error_description="{description}"'


def test_missing_jwt_is_unauthorized(jwt_api):
    response = requests.get(f"{jwt_api.url}/me", timeout=HTTP_TIMEOUT)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_route_with_unknown_authorizer_is_internal_server_error(apigw, http_api, lambda_route, tmp_path):
    api = http_api()
    lambda_route(api, "GET /me", python_handler(tmp_path, ECHO_EVENT), AuthorizationType="JWT", AuthorizerId="gone123456")
    response = requests.get(f"{api.url}/me", headers={"Authorization": jwt()}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 500
    assert response.json() == INTERNAL_ERROR


# --- CORS ------------------------------------------------------------------------------------

CORS = {"AllowOrigins": ["https://app.example"], "AllowMethods": ["GET", "POST"], "AllowHeaders": ["authorization", "content-type"],
        "ExposeHeaders": ["x-order"], "MaxAge": 300, "AllowCredentials": True}


def preflight(url: str, origin: str, method: str = "POST", headers: str | None = "Content-Type") -> requests.Response:
    sent = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        sent["Access-Control-Request-Headers"] = headers
    return requests.options(url, headers=sent, timeout=HTTP_TIMEOUT)


def test_preflight_is_answered_by_api_gateway(http_api, lambda_route, tmp_path):
    api = http_api(CorsConfiguration=CORS)
    handler, calls = counting_handler(tmp_path, ECHO_EVENT)
    lambda_route(api, "POST /orders", handler)
    response = preflight(f"{api.url}/orders", "https://app.example")
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["access-control-allow-origin"] == "https://app.example"
    assert response.headers["access-control-allow-methods"] == "GET,POST"
    assert response.headers["access-control-allow-headers"] == "authorization,content-type"
    assert response.headers["access-control-max-age"] == "300"
    assert response.headers["access-control-allow-credentials"] == "true"
    assert "access-control-expose-headers" not in response.headers
    assert call_count(calls) == 0


@pytest.mark.parametrize("origin, method, headers", [
    ("https://evil.example", "POST", "Content-Type"),
    ("https://app.example", "DELETE", None),
    ("https://app.example", "POST", "X-Secret"),
], ids=["origin", "method", "header"])
def test_preflight_that_is_not_allowed_gets_no_cors_headers(http_api, lambda_route, tmp_path, origin, method, headers):
    api = http_api(CorsConfiguration=CORS)
    lambda_route(api, "POST /orders", python_handler(tmp_path, ECHO_EVENT))
    response = preflight(f"{api.url}/orders", origin, method, headers)
    assert response.status_code == 204
    assert not [name for name in response.headers if name.lower().startswith("access-control-")]


def test_actual_request_gets_configured_headers_and_loses_the_backends(http_api, lambda_route, tmp_path):
    api = http_api(CorsConfiguration=CORS)
    lambda_route(api, "GET /orders", python_handler(tmp_path, ECHO_EVENT))
    allowed = requests.get(f"{api.url}/orders", headers={"Origin": "https://app.example"}, timeout=HTTP_TIMEOUT)
    assert allowed.status_code == 200, allowed.text
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert allowed.headers["access-control-expose-headers"] == "x-order"
    assert allowed.headers["access-control-allow-credentials"] == "true"
    assert "access-control-allow-methods" not in allowed.headers

    other = requests.get(f"{api.url}/orders", headers={"Origin": "https://evil.example"}, timeout=HTTP_TIMEOUT)
    assert other.status_code == 200
    assert not [name for name in other.headers if name.lower().startswith("access-control-")]


def test_any_origin_and_errors_carry_cors_headers(http_api, lambda_route, tmp_path):
    api = http_api(CorsConfiguration={"AllowOrigins": ["*"], "AllowMethods": ["*"], "AllowHeaders": ["*"]})
    lambda_route(api, "GET /orders", python_handler(tmp_path, ECHO_EVENT))
    response = preflight(f"{api.url}/orders", "https://anyone.example", "PATCH", "X-Anything")
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-methods"] == "*"
    assert "access-control-max-age" not in response.headers
    missing = requests.get(f"{api.url}/nothing", headers={"Origin": "https://anyone.example"}, timeout=HTTP_TIMEOUT)
    assert missing.status_code == 404
    assert missing.headers["access-control-allow-origin"] == "*"


def test_preflight_matching_a_route_goes_to_its_integration(http_api, lambda_route, tmp_path):
    """As AWS documents for `$default` (and any route that takes OPTIONS): the route gets
    the preflight, and API Gateway still sets the CORS headers."""
    api = http_api(CorsConfiguration=CORS)
    lambda_route(api, "$default", python_handler(tmp_path, ECHO_EVENT))
    response = preflight(f"{api.url}/orders", "https://app.example")
    assert response.status_code == 200, response.text
    assert response.json()["requestContext"]["http"]["method"] == "OPTIONS"
    assert response.headers["access-control-allow-origin"] == "https://app.example"
    assert response.headers["access-control-allow-methods"] == "GET,POST"


def test_without_cors_configuration_options_is_routed_normally(http_api, lambda_route, tmp_path):
    api = http_api()
    lambda_route(api, "GET /orders", python_handler(tmp_path, ECHO_EVENT))
    response = preflight(f"{api.url}/orders", "https://app.example")
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}
    plain = requests.get(f"{api.url}/orders", headers={"Origin": "https://app.example"}, timeout=HTTP_TIMEOUT)
    assert plain.headers["access-control-allow-origin"] == "https://backend.example"
