"""API Gateway v2 HTTP APIs through boto3 and raw HTTP against the real server:
API, integration, route and stage CRUD and their errors (NotFoundException,
BadRequestException), then the runtime under `/_aws/execute-api/{apiId}`: route
matching (methods, `{id}` parameters, greedy `{proxy+}`, ANY, the `$default`
route), named stages, Lambda proxy events in AWS's payload formats 2.0 and
1.0, addressing by Host header, and the mapping of function results back to HTTP responses. Handlers are
`exec:` commands (the event on stdin, the result on stdout), so the suite needs
no handler compiled into the server.
"""

from __future__ import annotations

import base64
import datetime
import http.client
import json
import re
import time
import uuid
from types import SimpleNamespace
from urllib.parse import urlsplit

import botocore.exceptions
import pytest
import requests

from support.clients import make_client
from support.lambda_functions import python_handler, error_code, wait_until
from support.sqs import DEFAULT_ACCOUNT, REGION, reset as reset_server

HTTP_TIMEOUT = 10
NOT_FOUND = {"message": "Not Found"}
INTERNAL_ERROR = {"message": "Internal Server Error"}

# Answers with the event it received as a JSON body, so tests can inspect its shape.
ECHO_EVENT = ("print(json.dumps({'statusCode': 200, 'headers': {'content-type': 'application/json'}, "
              "'body': json.dumps(event)}))")


# --- helpers ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def apigw(endpoint):
    return make_client(endpoint, "apigatewayv2")


def http_status(excinfo) -> int:
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def deploy(apigw, create_function):
    """deploy(handler, route_keys, stage) -> namespace(api_id, api_endpoint, url, integration_id, routes).

    One HTTP API with a Lambda proxy integration (payload 2.0), one route per key,
    and an auto-deployed stage; `url` is where the stage is served.
    """

    def make(handler: str, route_keys=("$default",), stage: str = "$default", payload_format: str = "2.0", **function_args):
        function_arn = create_function(handler, **function_args)["FunctionArn"]
        api = apigw.create_api(Name=f"api-{uuid.uuid4().hex[:8]}", ProtocolType="HTTP")
        api_id = api["ApiId"]
        integration_id = apigw.create_integration(
            ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=function_arn,
            PayloadFormatVersion=payload_format)["IntegrationId"]
        routes = {key: apigw.create_route(ApiId=api_id, RouteKey=key,
                                          Target=f"integrations/{integration_id}")["RouteId"]
                  for key in route_keys}
        apigw.create_stage(ApiId=api_id, StageName=stage, AutoDeploy=True)
        base = api["ApiEndpoint"]
        url = base if stage == "$default" else f"{base}/{stage}"
        return SimpleNamespace(api_id=api_id, api_endpoint=base, url=url,
                               integration_id=integration_id, routes=routes)

    return make


# --- control plane ------------------------------------------------------------------

def test_create_and_get_http_api(apigw, endpoint):
    created = apigw.create_api(Name="orders-api", ProtocolType="HTTP")
    api_id = created["ApiId"]
    assert re.fullmatch(r"[a-z0-9]{10}", api_id)
    assert created["ApiEndpoint"] == f"{endpoint}/_aws/execute-api/{api_id}"
    assert created["Name"] == "orders-api"
    assert created["ProtocolType"] == "HTTP"
    assert created["RouteSelectionExpression"] == "$request.method $request.path"
    assert isinstance(created["CreatedDate"], datetime.datetime)

    got = apigw.get_api(ApiId=api_id)
    for field in ("ApiId", "ApiEndpoint", "Name", "ProtocolType", "RouteSelectionExpression"):
        assert got[field] == created[field]


def test_list_update_and_delete_api(apigw):
    first = apigw.create_api(Name="first", ProtocolType="HTTP")["ApiId"]
    second = apigw.create_api(Name="second", ProtocolType="HTTP")["ApiId"]
    listed = {item["ApiId"]: item["Name"] for item in apigw.get_apis()["Items"]}
    assert listed == {first: "first", second: "second"}

    updated = apigw.update_api(ApiId=first, Name="renamed")
    assert updated["Name"] == "renamed" and updated["ApiId"] == first
    assert apigw.get_api(ApiId=first)["Name"] == "renamed"

    apigw.delete_api(ApiId=first)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        apigw.get_api(ApiId=first)
    assert error_code(excinfo) == "NotFoundException"
    assert http_status(excinfo) == 404
    assert [item["ApiId"] for item in apigw.get_apis()["Items"]] == [second]


def test_missing_api_and_bad_protocol_are_rejected(apigw):
    for call in (lambda: apigw.get_api(ApiId="abcde12345"),
                 lambda: apigw.create_integration(
                     ApiId="abcde12345", IntegrationType="AWS_PROXY",
                     IntegrationUri=f"arn:aws:lambda:{REGION}:{DEFAULT_ACCOUNT}:function:absent",
                     PayloadFormatVersion="2.0"),
                 lambda: apigw.create_route(ApiId="abcde12345", RouteKey="GET /x"),
                 lambda: apigw.create_stage(ApiId="abcde12345", StageName="dev")):
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            call()
        assert error_code(excinfo) == "NotFoundException"
        assert http_status(excinfo) == 404

    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        apigw.create_api(Name="bad", ProtocolType="FOO")
    assert error_code(excinfo) == "BadRequestException"
    assert http_status(excinfo) == 400
    assert apigw.get_apis()["Items"] == []


def test_integration_route_and_stage_crud(apigw, create_function):
    function_arn = create_function("exec:cat")["FunctionArn"]
    api_id = apigw.create_api(Name="crud", ProtocolType="HTTP")["ApiId"]

    integration = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY",
                                           IntegrationUri=function_arn, PayloadFormatVersion="2.0")
    integration_id = integration["IntegrationId"]
    assert integration_id
    assert integration["IntegrationType"] == "AWS_PROXY"
    assert integration["IntegrationUri"] == function_arn
    assert integration["PayloadFormatVersion"] == "2.0"
    assert apigw.get_integration(ApiId=api_id, IntegrationId=integration_id)["IntegrationUri"] == function_arn
    assert [i["IntegrationId"] for i in apigw.get_integrations(ApiId=api_id)["Items"]] == [integration_id]

    route = apigw.create_route(ApiId=api_id, RouteKey="POST /orders", Target=f"integrations/{integration_id}")
    route_id = route["RouteId"]
    assert route_id and route["RouteKey"] == "POST /orders"
    assert route["Target"] == f"integrations/{integration_id}"
    assert apigw.get_route(ApiId=api_id, RouteId=route_id)["RouteKey"] == "POST /orders"
    updated = apigw.update_route(ApiId=api_id, RouteId=route_id, RouteKey="PUT /orders/{id}")
    assert updated["RouteKey"] == "PUT /orders/{id}" and updated["RouteId"] == route_id
    assert [r["RouteKey"] for r in apigw.get_routes(ApiId=api_id)["Items"]] == ["PUT /orders/{id}"]

    stage = apigw.create_stage(ApiId=api_id, StageName="dev", AutoDeploy=True)
    assert stage["StageName"] == "dev" and stage["AutoDeploy"] is True
    assert apigw.get_stage(ApiId=api_id, StageName="dev")["StageName"] == "dev"
    assert [s["StageName"] for s in apigw.get_stages(ApiId=api_id)["Items"]] == ["dev"]

    apigw.delete_stage(ApiId=api_id, StageName="dev")
    apigw.delete_route(ApiId=api_id, RouteId=route_id)
    apigw.delete_integration(ApiId=api_id, IntegrationId=integration_id)
    for call in (lambda: apigw.get_stage(ApiId=api_id, StageName="dev"),
                 lambda: apigw.get_route(ApiId=api_id, RouteId=route_id),
                 lambda: apigw.get_integration(ApiId=api_id, IntegrationId=integration_id)):
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            call()
        assert error_code(excinfo) == "NotFoundException"
        assert http_status(excinfo) == 404
    assert apigw.get_routes(ApiId=api_id)["Items"] == []
    assert apigw.get_stages(ApiId=api_id)["Items"] == []


@pytest.mark.parametrize("route_key", ["FETCH /x", "POST orders", "GET", "/orders"])
def test_bad_route_key_is_rejected(apigw, route_key):
    api_id = apigw.create_api(Name="keys", ProtocolType="HTTP")["ApiId"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        apigw.create_route(ApiId=api_id, RouteKey=route_key)
    assert error_code(excinfo) == "BadRequestException"
    assert http_status(excinfo) == 400
    assert apigw.get_routes(ApiId=api_id)["Items"] == []


# --- runtime: events -----------------------------------------------------------------

def test_post_event_has_the_payload_2_0_shape(deploy, tmp_path):
    api = deploy(python_handler(tmp_path, ECHO_EVENT), route_keys=("POST /orders",))
    before = int(time.time() * 1000)
    response = requests.post(
        f"{api.url}/orders?a=1&b=2", data='{"item": "book"}', timeout=HTTP_TIMEOUT,
        headers={"Content-Type": "application/json", "X-Custom-Header": "Yes",
                 "User-Agent": "offcloud-tests/1.0", "Cookie": "session=abc; theme=dark"})
    after = int(time.time() * 1000)
    assert response.status_code == 200, response.text
    event = response.json()

    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /orders"
    assert event["rawPath"] == "/orders"
    assert event["rawQueryString"] == "a=1&b=2"
    assert event["queryStringParameters"] == {"a": "1", "b": "2"}
    assert "pathParameters" not in event
    assert event["body"] == '{"item": "book"}'
    assert event["isBase64Encoded"] is False
    assert event["cookies"] == ["session=abc", "theme=dark"]

    headers = event["headers"]
    assert all(name == name.lower() for name in headers)
    assert headers["x-custom-header"] == "Yes"
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"] == "offcloud-tests/1.0"

    context = event["requestContext"]
    assert context["accountId"] == DEFAULT_ACCOUNT
    assert context["apiId"] == api.api_id
    assert context["stage"] == "$default"
    assert context["routeKey"] == "POST /orders"
    assert context["http"] == {"method": "POST", "path": "/orders", "protocol": "HTTP/1.1",
                               "sourceIp": "127.0.0.1", "userAgent": "offcloud-tests/1.0"}
    assert isinstance(context["domainName"], str) and context["domainName"]
    assert isinstance(context["domainPrefix"], str) and context["domainPrefix"]
    assert isinstance(context["requestId"], str) and context["requestId"]
    assert re.fullmatch(r"\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000", context["time"])
    assert isinstance(context["timeEpoch"], int)
    assert before - 1000 <= context["timeEpoch"] <= after + 1000


def test_get_event_omits_empty_fields_and_joins_repeated_headers(deploy, tmp_path):
    api = deploy(python_handler(tmp_path, ECHO_EVENT), route_keys=("GET /orders",))
    parts = urlsplit(api.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=HTTP_TIMEOUT)
    try:
        connection.putrequest("GET", f"{parts.path}/orders")
        connection.putheader("X-Multi", "a")
        connection.putheader("X-Multi", "b")
        connection.endheaders()
        response = connection.getresponse()
        status, body = response.status, response.read()
    finally:
        connection.close()
    assert status == 200, body
    event = json.loads(body)
    assert event["headers"]["x-multi"] == "a,b"
    assert event["rawPath"] == "/orders"
    assert event["rawQueryString"] == ""
    assert event["requestContext"]["http"]["method"] == "GET"
    for absent in ("body", "queryStringParameters", "pathParameters", "cookies"):
        assert absent not in event, absent


def test_path_parameters_and_greedy_proxy(deploy, tmp_path):
    api = deploy(python_handler(tmp_path, ECHO_EVENT),
                 route_keys=("GET /orders/{id}", "GET /files/{proxy+}"))

    order = requests.get(f"{api.url}/orders/7", timeout=HTTP_TIMEOUT)
    assert order.status_code == 200, order.text
    event = order.json()
    assert event["routeKey"] == "GET /orders/{id}"
    assert event["requestContext"]["routeKey"] == "GET /orders/{id}"
    assert event["rawPath"] == "/orders/7"
    assert event["pathParameters"] == {"id": "7"}

    files = requests.get(f"{api.url}/files/a/b/c.txt", timeout=HTTP_TIMEOUT)
    assert files.status_code == 200, files.text
    event = files.json()
    assert event["routeKey"] == "GET /files/{proxy+}"
    assert event["pathParameters"] == {"proxy": "a/b/c.txt"}
    assert event["rawPath"] == "/files/a/b/c.txt"

    # `{id}` matches exactly one segment.
    too_deep = requests.get(f"{api.url}/orders/7/lines", timeout=HTTP_TIMEOUT)
    assert too_deep.status_code == 404
    assert too_deep.json() == NOT_FOUND


def test_any_method_route_takes_every_method(deploy, tmp_path):
    api = deploy(python_handler(tmp_path, ECHO_EVENT), route_keys=("ANY /items",))
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        response = requests.request(method, f"{api.url}/items", timeout=HTTP_TIMEOUT)
        assert response.status_code == 200, (method, response.text)
        event = response.json()
        assert event["routeKey"] == "ANY /items"
        assert event["requestContext"]["http"]["method"] == method


def test_default_route_catches_unmatched_requests(deploy, tmp_path):
    api = deploy(python_handler(tmp_path, ECHO_EVENT), route_keys=("GET /orders/{id}", "$default"))
    cases = [("GET", "/orders/7", "GET /orders/{id}"),
             ("POST", "/orders/7", "$default"),
             ("GET", "/somewhere/else", "$default"),
             ("DELETE", "/", "$default")]
    for method, path, route_key in cases:
        response = requests.request(method, f"{api.url}{path}", timeout=HTTP_TIMEOUT)
        assert response.status_code == 200, (method, path, response.text)
        event = response.json()
        assert event["routeKey"] == route_key, (method, path)
        assert event["requestContext"]["routeKey"] == route_key
        assert event["rawPath"] == path


def test_named_stage_routes_without_its_prefix_but_keeps_it_in_the_paths(deploy, tmp_path):
    """As on AWS: routes match the path after the stage, while rawPath and
    requestContext.http.path still begin with the stage segment."""
    api = deploy(python_handler(tmp_path, ECHO_EVENT), route_keys=("GET /orders/{id}",), stage="dev")
    assert api.url == f"{api.api_endpoint}/dev"
    response = requests.get(f"{api.url}/orders/7?x=y", timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    event = response.json()
    assert event["rawPath"] == "/dev/orders/7"
    assert event["requestContext"]["http"]["path"] == "/dev/orders/7"
    assert event["rawQueryString"] == "x=y"
    assert event["pathParameters"] == {"id": "7"}
    assert event["routeKey"] == "GET /orders/{id}"
    assert event["requestContext"]["stage"] == "dev"

    other_stage = requests.get(f"{api.api_endpoint}/prod/orders/7", timeout=HTTP_TIMEOUT)
    assert other_stage.status_code == 404
    assert other_stage.json() == NOT_FOUND


def test_no_route_and_unknown_api_are_not_found(deploy, tmp_path, endpoint):
    api = deploy(python_handler(tmp_path, ECHO_EVENT), route_keys=("GET /orders",))
    for method, path in (("GET", "/nothing"), ("POST", "/orders"), ("GET", "/orders/7")):
        response = requests.request(method, f"{api.url}{path}", timeout=HTTP_TIMEOUT)
        assert response.status_code == 404, (method, path)
        assert response.json() == NOT_FOUND

    unknown = requests.get(f"{endpoint}/_aws/execute-api/zzzzz99999/orders", timeout=HTTP_TIMEOUT)
    assert unknown.status_code == 404
    assert unknown.json() == NOT_FOUND


def test_deleting_a_route_makes_its_path_not_found(apigw, deploy, tmp_path):
    api = deploy(python_handler(tmp_path, ECHO_EVENT), route_keys=("GET /orders", "GET /status"))
    assert requests.get(f"{api.url}/orders", timeout=HTTP_TIMEOUT).status_code == 200

    apigw.delete_route(ApiId=api.api_id, RouteId=api.routes["GET /orders"])
    wait_until(lambda: requests.get(f"{api.url}/orders", timeout=HTTP_TIMEOUT).status_code == 404,
               "the deleted route to stop matching")
    gone = requests.get(f"{api.url}/orders", timeout=HTTP_TIMEOUT)
    assert gone.status_code == 404 and gone.json() == NOT_FOUND
    assert requests.get(f"{api.url}/status", timeout=HTTP_TIMEOUT).status_code == 200


# --- runtime: responses --------------------------------------------------------------

@pytest.mark.parametrize("result", [{"ok": True}, "hello", [1, 2, 3]], ids=["object", "string", "list"])
def test_result_without_status_code_is_json_200(deploy, tmp_path, result):
    api = deploy(python_handler(tmp_path, f"print(json.dumps({result!r}))"))
    response = requests.get(f"{api.url}/anything", timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == result


def test_status_headers_and_cookies_are_mapped(deploy, tmp_path):
    result = {"statusCode": 201,
              "headers": {"content-type": "text/plain", "x-order": "7"},
              "cookies": ["session=abc; Path=/", "theme=dark"],
              "body": "created order 7"}
    api = deploy(python_handler(tmp_path, f"print(json.dumps({result!r}))"), route_keys=("POST /orders",))
    response = requests.post(f"{api.url}/orders", data="{}", timeout=HTTP_TIMEOUT)
    assert response.status_code == 201, response.text
    assert response.headers["x-order"] == "7"
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text == "created order 7"
    assert response.raw.headers.getlist("Set-Cookie") == ["session=abc; Path=/", "theme=dark"]
    assert response.cookies.get("session") == "abc"
    assert response.cookies.get("theme") == "dark"


def test_base64_body_is_decoded(deploy, tmp_path):
    payload = bytes(range(256))
    result = {"statusCode": 200,
              "headers": {"content-type": "application/octet-stream"},
              "isBase64Encoded": True,
              "body": base64.b64encode(payload).decode()}
    api = deploy(python_handler(tmp_path, f"print(json.dumps({result!r}))"), route_keys=("GET /blob",))
    response = requests.get(f"{api.url}/blob", timeout=HTTP_TIMEOUT)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.content == payload


@pytest.mark.parametrize("handler, function_args", [
    ("exec:exit 1", {}),
    ("exec:sleep 5", {"Timeout": 1}),
], ids=["error", "timeout"])
def test_function_failure_is_internal_server_error(deploy, handler, function_args):
    api = deploy(handler, route_keys=("GET /orders",), **function_args)
    response = requests.get(f"{api.url}/orders", timeout=HTTP_TIMEOUT)
    assert response.status_code == 500
    assert response.json() == INTERNAL_ERROR


def test_payload_format_1_0_event_and_response(deploy, tmp_path):
    api = deploy(python_handler(tmp_path, ECHO_EVENT), route_keys=("POST /orders/{id}",), payload_format="1.0")
    response = requests.post(f"{api.url}/orders/9?tag=a&tag=b", data='{"n": 1}',
                             headers={"Content-Type": "application/json", "X-Trace": "t1"}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    event = response.json()
    assert event["version"] == "1.0"
    assert event["resource"] == "/orders/{id}"
    assert event["path"] == "/orders/9"
    assert event["httpMethod"] == "POST"
    assert event["headers"]["X-Trace"] == "t1"
    assert event["multiValueHeaders"]["X-Trace"] == ["t1"]
    assert event["queryStringParameters"] == {"tag": "b"}
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"]}
    assert event["pathParameters"] == {"id": "9"}
    assert event["body"] == '{"n": 1}' and event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["httpMethod"] == "POST" and context["resourcePath"] == "/orders/{id}"
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["stage"] == "$default"


def test_payload_format_1_0_needs_a_status_code(deploy, tmp_path):
    api = deploy(python_handler(tmp_path, "print(json.dumps({'ok': True}))"), payload_format="1.0")
    response = requests.get(f"{api.url}/anything", timeout=HTTP_TIMEOUT)
    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error"}


def test_api_is_reachable_by_host_header(deploy, tmp_path, endpoint):
    api = deploy(python_handler(tmp_path, ECHO_EVENT), route_keys=("GET /orders",))
    response = requests.get(f"{endpoint}/orders", headers={"Host": f"{api.api_id}.execute-api.localhost"},
                            timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    event = response.json()
    assert event["requestContext"]["domainName"] == f"{api.api_id}.execute-api.localhost"
    assert event["requestContext"]["domainPrefix"] == api.api_id


def test_runtime_sees_control_plane_changes_and_resets(deploy, tmp_path, apigw, endpoint):
    api = deploy(python_handler(tmp_path, ECHO_EVENT), route_keys=("GET /orders",))
    assert requests.get(f"{api.url}/orders", timeout=HTTP_TIMEOUT).status_code == 200
    route_id = api.routes["GET /orders"]
    apigw.update_route(ApiId=api.api_id, RouteId=route_id, RouteKey="GET /invoices")
    assert requests.get(f"{api.url}/orders", timeout=HTTP_TIMEOUT).status_code == 404
    assert requests.get(f"{api.url}/invoices", timeout=HTTP_TIMEOUT).status_code == 200
    reset_server(endpoint)
    gone = requests.get(f"{api.url}/invoices", timeout=HTTP_TIMEOUT)
    assert gone.status_code == 404
    assert gone.json() == NOT_FOUND


def test_duplicate_route_key_and_stage_name_conflict(apigw):
    api_id = apigw.create_api(Name="dupes", ProtocolType="HTTP")["ApiId"]
    apigw.create_route(ApiId=api_id, RouteKey="GET /a")
    apigw.create_stage(ApiId=api_id, StageName="dev")
    for call in (lambda: apigw.create_route(ApiId=api_id, RouteKey="GET /a"),
                 lambda: apigw.create_stage(ApiId=api_id, StageName="dev")):
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            call()
        assert error_code(excinfo) == "ConflictException"
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_malformed_control_plane_body_is_bad_request(endpoint, apigw):
    answer = requests.post(f"{endpoint}/v2/apis", data=b"{oops", headers={"Content-Type": "application/json"},
                           timeout=HTTP_TIMEOUT)
    assert answer.status_code == 400
    assert answer.headers["x-amzn-ErrorType"] == "BadRequestException"
    assert apigw.get_apis()["Items"] == []
