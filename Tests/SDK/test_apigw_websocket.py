"""API Gateway WebSocket APIs against the real server, with a real WebSocket client
(Python `websockets`) and boto3's `apigatewayv2` and `apigatewaymanagementapi`:
the control plane (routes, route responses, integration responses, authorizers),
`$connect` with its query string, headers and authorizer, routing by the
RouteSelectionExpression with `$default` and AWS's `Forbidden` frame, two-way
routes, `$disconnect` from either side, the @connections API (post, get, delete,
GoneException), AWS's limits (32 KB frames, 128 KB messages, idle timeout), and bad
input (handshakes without a key, unknown APIs and stages, malformed frames,
failing, hanging and invalid handlers). Handlers are `exec:` Python snippets that
record their events in files, so the suite needs no handler compiled in.
"""

from __future__ import annotations

import base64
import json
import socket
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import botocore.exceptions
import pytest
import requests
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect as ws_connect

from support.clients import make_client
from support.lambda_functions import error_code, python_handler, wait_until

RECV_TIMEOUT = 10
HTTP_TIMEOUT = 10


# --- helpers ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def apigw(endpoint):
    return make_client(endpoint, "apigatewayv2")


def recorder(tmp_path: Path, answer: str = "{'statusCode': 200}") -> tuple[str, Path]:
    """A handler body that appends each event to a file and prints `answer`."""
    log = tmp_path / f"events-{uuid.uuid4().hex[:8]}.jsonl"
    body = (f"open({str(log)!r}, 'a').write(json.dumps(event) + '\\n')\n"
            f"print(json.dumps({answer}))\n")
    return body, log


def events(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def wait_for_events(log: Path, count: int = 1) -> list[dict]:
    return wait_until(lambda: events(log) if len(events(log)) >= count else None, f"{count} event(s) in {log.name}")


ECHO_EVENT = "{'statusCode': 200, 'body': json.dumps(event)}"


@pytest.fixture
def websocket_api(apigw, create_function, tmp_path, endpoint):
    """websocket_api(routes={key: handler body or None}, two_way={keys}, selection=..., stage=...) -> namespace.

    One WebSocket API with one Lambda proxy integration per route (None: a MOCK
    integration), route responses for the `two_way` keys, and an auto-deployed stage.
    """

    def make(routes: dict, two_way=(), selection: str = "$request.body.action", stage: str = "dev", authorizer: dict | None = None,
             **function_args):
        api = apigw.create_api(Name=f"ws-{uuid.uuid4().hex[:8]}", ProtocolType="WEBSOCKET",
                               RouteSelectionExpression=selection)
        api_id = api["ApiId"]
        route_ids = {}
        for key, body in routes.items():
            if body is None:
                integration = apigw.create_integration(ApiId=api_id, IntegrationType="MOCK")
            else:
                arn = create_function(python_handler(tmp_path, body), **function_args)["FunctionArn"]
                uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations"
                integration = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=uri)
            extra = {}
            if key in two_way:
                extra["RouteResponseSelectionExpression"] = "$default"
            if key == "$connect" and authorizer is not None:
                extra.update(AuthorizationType="CUSTOM", AuthorizerId=authorizer["AuthorizerId"])
            route = apigw.create_route(ApiId=api_id, RouteKey=key, Target=f"integrations/{integration['IntegrationId']}", **extra)
            route_ids[key] = route["RouteId"]
            if key in two_way:
                apigw.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
        apigw.create_stage(ApiId=api_id, StageName=stage, AutoDeploy=True)
        url = f"{api['ApiEndpoint']}/{stage}"
        callback = f"{endpoint}/_aws/execute-api/{api_id}/{stage}"
        return SimpleNamespace(api_id=api_id, url=url, callback=callback, routes=route_ids, stage=stage)

    return make


def management(callback: str):
    return make_client(callback, "apigatewaymanagementapi")


def connection_id_of(ws) -> str:
    """Asks a two-way echo route for the connection's id."""
    ws.send(json.dumps({"action": "whoami"}))
    return json.loads(ws.recv(timeout=RECV_TIMEOUT))["requestContext"]["connectionId"]


# --- control plane ------------------------------------------------------------------


def test_websocket_api_needs_a_selection_expression_and_has_a_ws_endpoint(apigw, endpoint):
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        apigw.create_api(Name="ws", ProtocolType="WEBSOCKET")
    assert error_code(excinfo) == "BadRequestException"
    api = apigw.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    assert api["RouteSelectionExpression"] == "$request.body.action"
    assert api["ApiEndpoint"] == f"ws://{urlsplit(endpoint).netloc}/_aws/execute-api/{api['ApiId']}"


def test_route_and_integration_responses_and_authorizers_crud(apigw):
    api_id = apigw.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    route = apigw.create_route(ApiId=api_id, RouteKey="echo", RouteResponseSelectionExpression="$default")
    response = apigw.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
    assert response["RouteResponseKey"] == "$default"
    assert [r["RouteResponseId"] for r in apigw.get_route_responses(ApiId=api_id, RouteId=route["RouteId"])["Items"]] == \
        [response["RouteResponseId"]]
    updated = apigw.update_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseId=response["RouteResponseId"],
                                          ModelSelectionExpression="$default")
    assert updated["ModelSelectionExpression"] == "$default"

    integration = apigw.create_integration(ApiId=api_id, IntegrationType="MOCK")
    ir = apigw.create_integration_response(ApiId=api_id, IntegrationId=integration["IntegrationId"],
                                           IntegrationResponseKey="/200/")
    assert apigw.get_integration_response(ApiId=api_id, IntegrationId=integration["IntegrationId"],
                                          IntegrationResponseId=ir["IntegrationResponseId"])["IntegrationResponseKey"] == "/200/"

    authorizer = apigw.create_authorizer(
        ApiId=api_id, AuthorizerType="REQUEST", Name="auth", IdentitySource=["route.request.querystring.token"],
        AuthorizerUri="arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
                      "arn:aws:lambda:us-east-1:000000000000:function:auth/invocations")
    assert apigw.get_authorizers(ApiId=api_id)["Items"][0]["AuthorizerId"] == authorizer["AuthorizerId"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        apigw.create_authorizer(ApiId=api_id, AuthorizerType="JWT", Name="jwt", IdentitySource=["$request.header.Authorization"],
                                JwtConfiguration={"Issuer": "https://issuer"})
    assert error_code(excinfo) == "BadRequestException"

    # A route's responses go with it.
    apigw.delete_route(ApiId=api_id, RouteId=route["RouteId"])
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        apigw.get_route_responses(ApiId=api_id, RouteId=route["RouteId"])
    assert error_code(excinfo) == "NotFoundException"
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        apigw.get_integration_response(ApiId=api_id, IntegrationId=integration["IntegrationId"], IntegrationResponseId="nope")
    assert error_code(excinfo) == "NotFoundException"


# --- $connect -----------------------------------------------------------------------


def test_connect_event_has_aws_shape_with_query_and_headers(websocket_api, tmp_path, endpoint):
    body, log = recorder(tmp_path)
    api = websocket_api({"$connect": body})
    with ws_connect(f"{api.url}?token=abc&tag=1&tag=2", additional_headers={"X-Custom": "yes"},
                    user_agent_header="offcloud-tests/1.0") as ws:
        event = wait_for_events(log)[0]
        assert ws.protocol.state.name == "OPEN"
    assert event["queryStringParameters"] == {"token": "abc", "tag": "2"}
    assert event["multiValueQueryStringParameters"] == {"token": ["abc"], "tag": ["1", "2"]}
    headers = {k.lower(): v for k, v in event["headers"].items()}
    assert headers["x-custom"] == "yes"
    assert "sec-websocket-key" in headers
    assert event["multiValueHeaders"]["X-Custom"] == ["yes"]
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["routeKey"] == "$connect"
    assert context["eventType"] == "CONNECT"
    assert context["messageDirection"] == "IN"
    assert context["stage"] == "dev"
    assert context["apiId"] == api.api_id
    assert context["domainName"] == urlsplit(endpoint).netloc
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["identity"]["userAgent"] == "offcloud-tests/1.0"
    assert len(context["connectionId"]) == 16
    assert isinstance(context["connectedAt"], int) and isinstance(context["requestTimeEpoch"], int)
    assert context["requestTimeEpoch"] >= context["connectedAt"]
    assert "messageId" not in context
    for key in ("requestId", "extendedRequestId", "requestTime"):
        assert context[key]


def test_connection_ids_are_distinct(websocket_api, tmp_path):
    body, log = recorder(tmp_path)
    api = websocket_api({"$connect": body})
    for _ in range(3):
        with ws_connect(api.url):
            pass
    ids = [e["requestContext"]["connectionId"] for e in wait_for_events(log, 3)]
    assert len(set(ids)) == 3


@pytest.mark.parametrize("answer, status", [
    ("{'statusCode': 403}", 403),
    ("{'statusCode': 401}", 401),
    ("{'statusCode': 500}", 500),
])
def test_non_2xx_from_connect_refuses_the_handshake(websocket_api, answer, status):
    api = websocket_api({"$connect": f"print(json.dumps({answer}))\n"})
    with pytest.raises(InvalidStatus) as excinfo:
        ws_connect(api.url)
    assert excinfo.value.response.status_code == status


@pytest.mark.parametrize("body", [
    "raise SystemExit('boom')\n",          # the handler fails
    "print('not json at all')\n",         # the handler answers invalid JSON
])
def test_failing_connect_handler_refuses_with_500(websocket_api, body):
    api = websocket_api({"$connect": body})
    with pytest.raises(InvalidStatus) as excinfo:
        ws_connect(api.url)
    assert excinfo.value.response.status_code == 500
    assert json.loads(excinfo.value.response.body) == {"message": "Internal server error"}


def test_connect_handler_past_its_timeout_refuses_with_500(websocket_api):
    api = websocket_api({"$connect": "import time\ntime.sleep(30)\n"}, Timeout=1)
    with pytest.raises(InvalidStatus) as excinfo:
        ws_connect(api.url, open_timeout=RECV_TIMEOUT)
    assert excinfo.value.response.status_code == 500


def test_api_without_connect_route_accepts_and_mock_connect_accepts(websocket_api):
    api = websocket_api({"$default": None})
    with ws_connect(api.url):
        pass
    api = websocket_api({"$connect": None})
    with ws_connect(api.url):
        pass


# --- messages -----------------------------------------------------------------------


def test_messages_route_by_selection_expression_and_two_way_routes_answer(websocket_api, tmp_path):
    send_body, send_log = recorder(tmp_path)
    api = websocket_api({"sendmessage": send_body + f"print(json.dumps({ECHO_EVENT}))\n", "whoami": f"print(json.dumps({ECHO_EVENT}))\n"},
                        two_way={"whoami"})
    with ws_connect(api.url) as ws:
        connection_id = connection_id_of(ws)
        ws.send(json.dumps({"action": "sendmessage", "data": "hello"}))
        event = wait_for_events(send_log)[0]
    context = event["requestContext"]
    assert context["routeKey"] == "sendmessage"
    assert context["eventType"] == "MESSAGE"
    assert context["connectionId"] == connection_id
    assert context["messageId"]
    assert "userAgent" not in context["identity"]
    assert json.loads(event["body"]) == {"action": "sendmessage", "data": "hello"}
    assert event["isBase64Encoded"] is False
    assert "headers" not in event


def test_one_way_route_sends_nothing_back(websocket_api, tmp_path):
    body, log = recorder(tmp_path, ECHO_EVENT)
    api = websocket_api({"fire": body, "whoami": f"print(json.dumps({ECHO_EVENT}))\n"}, two_way={"whoami"})
    with ws_connect(api.url) as ws:
        ws.send(json.dumps({"action": "fire"}))
        wait_for_events(log)
        # The next answer the client sees is the two-way route's, not the one-way route's.
        ws.send(json.dumps({"action": "whoami"}))
        assert json.loads(ws.recv(timeout=RECV_TIMEOUT))["requestContext"]["routeKey"] == "whoami"


def test_default_route_takes_unmatched_and_non_json_messages(websocket_api, tmp_path):
    body, log = recorder(tmp_path, ECHO_EVENT)
    api = websocket_api({"$default": body}, two_way={"$default"})
    with ws_connect(api.url) as ws:
        ws.send("plain text, not JSON")
        first = json.loads(ws.recv(timeout=RECV_TIMEOUT))
        ws.send(json.dumps({"action": "unknown"}))
        second = json.loads(ws.recv(timeout=RECV_TIMEOUT))
    assert first["requestContext"]["routeKey"] == "$default"
    assert first["body"] == "plain text, not JSON"
    assert second["requestContext"]["routeKey"] == "$default"


def test_templated_selection_expression(websocket_api):
    api = websocket_api({"orders/create": f"print(json.dumps({ECHO_EVENT}))\n"}, two_way={"orders/create"},
                        selection="${request.body.service}/${request.body.action}")
    with ws_connect(api.url) as ws:
        ws.send(json.dumps({"service": "orders", "action": "create"}))
        assert json.loads(ws.recv(timeout=RECV_TIMEOUT))["requestContext"]["routeKey"] == "orders/create"


def test_no_matching_route_answers_forbidden(websocket_api):
    api = websocket_api({"known": None})
    with ws_connect(api.url) as ws:
        ws.send(json.dumps({"action": "unknown"}))
        answer = json.loads(ws.recv(timeout=RECV_TIMEOUT))
    assert answer["message"] == "Forbidden"
    assert answer["connectionId"] and answer["requestId"]


@pytest.mark.parametrize("body, function_args", [
    ("raise SystemExit('boom')\n", {}),
    ("import time\ntime.sleep(30)\n", {"Timeout": 1}),
])
def test_failing_message_handler_answers_internal_server_error(websocket_api, body, function_args):
    api = websocket_api({"$default": body}, two_way={"$default"}, **function_args)
    with ws_connect(api.url) as ws:
        ws.send("hi")
        answer = json.loads(ws.recv(timeout=RECV_TIMEOUT))
        assert answer["message"] == "Internal server error"
        # The connection stays usable.
        ws.send("again")
        assert json.loads(ws.recv(timeout=RECV_TIMEOUT))["message"] == "Internal server error"


def test_binary_message_is_base64_encoded_in_the_event(websocket_api):
    api = websocket_api({"$default": f"print(json.dumps({ECHO_EVENT}))\n"}, two_way={"$default"})
    with ws_connect(api.url) as ws:
        ws.send(b"\x00\x01\xfe\xff")
        event = json.loads(ws.recv(timeout=RECV_TIMEOUT))
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x00\x01\xfe\xff"


def test_fragmented_message_up_to_128_kb_is_one_message(websocket_api):
    api = websocket_api({"$default": "print(json.dumps({'statusCode': 200, 'body': str(len(event['body']))}))\n"},
                        two_way={"$default"})
    with ws_connect(api.url, max_size=None) as ws:
        ws.send(["x" * 30_000 for _ in range(4)])   # four frames of 30 KB: one 120 KB message
        assert ws.recv(timeout=RECV_TIMEOUT) == "120000"


def test_oversized_frame_and_message_close_with_1009(websocket_api):
    api = websocket_api({"$default": None})
    # The server may close while the client is still sending: either call sees the close.
    with ws_connect(api.url, max_size=None) as ws:
        with pytest.raises(ConnectionClosed) as excinfo:
            ws.send("x" * 40_000)   # one 40 KB frame: over the 32 KB frame limit
            ws.recv(timeout=RECV_TIMEOUT)
    assert excinfo.value.rcvd.code == 1009
    with ws_connect(api.url, max_size=None) as ws:
        with pytest.raises(ConnectionClosed) as excinfo:
            ws.send(["x" * 30_000 for _ in range(5)])   # 150 KB in 30 KB frames: over the 128 KB message limit
            ws.recv(timeout=RECV_TIMEOUT)
    assert excinfo.value.rcvd.code == 1009


def test_ping_is_answered_with_pong(websocket_api):
    api = websocket_api({"$default": None})
    with ws_connect(api.url) as ws:
        pong = ws.ping(b"are you there")
        assert pong.wait(RECV_TIMEOUT)


# --- $disconnect --------------------------------------------------------------------


def test_disconnect_runs_when_the_client_closes(websocket_api, tmp_path):
    body, log = recorder(tmp_path)
    api = websocket_api({"$disconnect": body, "whoami": f"print(json.dumps({ECHO_EVENT}))\n"}, two_way={"whoami"})
    with ws_connect(api.url) as ws:
        connection_id = connection_id_of(ws)
        ws.close(code=1000, reason="bye")
    event = wait_for_events(log)[0]
    context = event["requestContext"]
    assert context["routeKey"] == "$disconnect"
    assert context["eventType"] == "DISCONNECT"
    assert context["connectionId"] == connection_id
    assert context["disconnectStatusCode"] == 1000
    assert context["disconnectReason"] == "bye"
    assert "Host" in event["headers"]


def test_disconnect_runs_when_the_socket_just_drops(websocket_api, tmp_path):
    body, log = recorder(tmp_path)
    api = websocket_api({"$disconnect": body})
    ws = ws_connect(api.url)
    ws.socket.shutdown(socket.SHUT_RDWR)
    ws.socket.close()
    event = wait_for_events(log)[0]
    assert event["requestContext"]["disconnectStatusCode"] == 1006


# --- @connections -------------------------------------------------------------------


def test_post_get_and_delete_connection_with_boto3(websocket_api, tmp_path):
    body, log = recorder(tmp_path)
    api = websocket_api({"$disconnect": body, "whoami": f"print(json.dumps({ECHO_EVENT}))\n"}, two_way={"whoami"})
    client = management(api.callback)
    with ws_connect(api.url, user_agent_header="offcloud-tests/2.0") as ws:
        connection_id = connection_id_of(ws)
        client.post_to_connection(ConnectionId=connection_id, Data=b'{"status": "paid"}')
        assert json.loads(ws.recv(timeout=RECV_TIMEOUT)) == {"status": "paid"}

        info = client.get_connection(ConnectionId=connection_id)
        assert info["Identity"] == {"SourceIp": "127.0.0.1", "UserAgent": "offcloud-tests/2.0"}
        assert info["ConnectedAt"] <= info["LastActiveAt"]

        client.delete_connection(ConnectionId=connection_id)
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=RECV_TIMEOUT)
    wait_for_events(log)
    for call in (lambda: client.post_to_connection(ConnectionId=connection_id, Data=b"late"),
                 lambda: client.get_connection(ConnectionId=connection_id),
                 lambda: client.delete_connection(ConnectionId=connection_id)):
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            call()
        assert error_code(excinfo) == "GoneException"
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410


def test_unknown_connection_and_other_apis_connection_are_gone(websocket_api):
    api = websocket_api({"whoami": f"print(json.dumps({ECHO_EVENT}))\n"}, two_way={"whoami"})
    other = websocket_api({"$default": None})
    with ws_connect(api.url) as ws:
        connection_id = connection_id_of(ws)
        for callback, cid in ((api.callback, "AAAAAAAAAAAAAAA="), (other.callback, connection_id)):
            with pytest.raises(botocore.exceptions.ClientError) as excinfo:
                management(callback).post_to_connection(ConnectionId=cid, Data=b"x")
            assert error_code(excinfo) == "GoneException"


def test_post_over_128_kb_is_payload_too_large(websocket_api):
    api = websocket_api({"whoami": f"print(json.dumps({ECHO_EVENT}))\n"}, two_way={"whoami"})
    with ws_connect(api.url) as ws:
        connection_id = connection_id_of(ws)
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            management(api.callback).post_to_connection(ConnectionId=connection_id, Data=b"x" * (128 * 1024 + 1))
        assert error_code(excinfo) == "PayloadTooLargeException"


def test_callback_url_by_host_header_and_by_domain_name(websocket_api, endpoint):
    api = websocket_api({"whoami": f"print(json.dumps({ECHO_EVENT}))\n"}, two_way={"whoami"})
    with ws_connect(api.url) as ws:
        connection_id = connection_id_of(ws)
        host = f"{api.api_id}.execute-api.localhost:{urlsplit(endpoint).port}"
        response = requests.post(f"{endpoint}/dev/@connections/{connection_id}", data=b"by host",
                                 headers={"Host": host}, timeout=HTTP_TIMEOUT)
        assert response.status_code == 200
        assert ws.recv(timeout=RECV_TIMEOUT) == "by host"
        # `https://{domainName}/{stage}` as handlers build it from their event.
        response = requests.post(f"{endpoint}/dev/@connections/{connection_id}", data=b"by domain", timeout=HTTP_TIMEOUT)
        assert response.status_code == 200
        assert ws.recv(timeout=RECV_TIMEOUT) == "by domain"
        response = requests.get(f"{endpoint}/dev/@connections/{connection_id}", timeout=HTTP_TIMEOUT)
        assert response.json()["identity"]["sourceIp"] == "127.0.0.1"


def test_handler_posts_to_its_own_connection(websocket_api, endpoint):
    # A handler that calls back through boto3, as code written for real Lambda does.
    body = ("import boto3\n"
            "ctx = event['requestContext']\n"
            f"client = boto3.client('apigatewaymanagementapi', endpoint_url='{endpoint}/' + ctx['stage'], region_name='us-east-1',"
            " aws_access_key_id='x', aws_secret_access_key='x')\n"
            "client.post_to_connection(ConnectionId=ctx['connectionId'], Data=b'pushed: ' + event['body'].encode())\n"
            "print(json.dumps({'statusCode': 200}))\n")
    api = websocket_api({"$default": body})
    with ws_connect(api.url) as ws:
        ws.send("ping")
        assert ws.recv(timeout=RECV_TIMEOUT) == "pushed: ping"


# --- authorizer ---------------------------------------------------------------------


@pytest.fixture
def with_authorizer(apigw, create_function, tmp_path, websocket_api):
    def make(policy_body: str, identity_source=("route.request.querystring.token",)):
        connect_body, connect_log = recorder(tmp_path)
        auth_body, auth_log = recorder(tmp_path, "None")
        arn = create_function(python_handler(tmp_path, auth_body.replace("print(json.dumps(None))\n", "") + policy_body))["FunctionArn"]
        # The authorizer belongs to the API, so create the API first, then the routes.
        api_id = apigw.create_api(Name="auth", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
        authorizer = apigw.create_authorizer(
            ApiId=api_id, AuthorizerType="REQUEST", Name="auth", IdentitySource=list(identity_source),
            AuthorizerUri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations")
        connect_arn = create_function(python_handler(tmp_path, connect_body))["FunctionArn"]
        integration = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=connect_arn)
        apigw.create_route(ApiId=api_id, RouteKey="$connect", Target=f"integrations/{integration['IntegrationId']}",
                           AuthorizationType="CUSTOM", AuthorizerId=authorizer["AuthorizerId"])
        echo_arn = create_function(python_handler(tmp_path, f"print(json.dumps({ECHO_EVENT}))\n"))["FunctionArn"]
        echo = apigw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=echo_arn)
        route = apigw.create_route(ApiId=api_id, RouteKey="whoami", Target=f"integrations/{echo['IntegrationId']}",
                                   RouteResponseSelectionExpression="$default")
        apigw.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
        apigw.create_stage(ApiId=api_id, StageName="dev", AutoDeploy=True)
        url = apigw.get_api(ApiId=api_id)["ApiEndpoint"] + "/dev"
        return SimpleNamespace(url=url, connect_log=connect_log, auth_log=auth_log)
    return make


def policy(effect: str) -> str:
    return ("print(json.dumps({'principalId': 'user-7', 'policyDocument': {'Version': '2012-10-17', 'Statement': "
            f"[{{'Action': 'execute-api:Invoke', 'Effect': '{effect}', 'Resource': event['methodArn']}}]}}, "
            "'context': {'tier': 'gold', 'limit': 5}}))\n")


def test_authorizer_allows_and_its_context_reaches_every_event(with_authorizer):
    api = with_authorizer(policy("Allow"))
    with ws_connect(f"{api.url}?token=secret") as ws:
        ws.send(json.dumps({"action": "whoami"}))
        message = json.loads(ws.recv(timeout=RECV_TIMEOUT))
    auth_event = wait_for_events(api.auth_log)[0]
    assert auth_event["type"] == "REQUEST"
    assert auth_event["methodArn"].endswith("/dev/$connect")
    assert auth_event["methodArn"].startswith("arn:aws:execute-api:us-east-1:")
    assert auth_event["queryStringParameters"] == {"token": "secret"}
    assert auth_event["requestContext"]["eventType"] == "CONNECT"
    connect = wait_for_events(api.connect_log)[0]
    for context in (connect["requestContext"]["authorizer"], message["requestContext"]["authorizer"]):
        assert context["principalId"] == "user-7"
        assert context["tier"] == "gold"
        assert context["limit"] == 5


def test_authorizer_deny_is_403_and_missing_identity_is_401(with_authorizer):
    api = with_authorizer(policy("Deny"))
    with pytest.raises(InvalidStatus) as excinfo:
        ws_connect(f"{api.url}?token=secret")
    assert excinfo.value.response.status_code == 403
    with pytest.raises(InvalidStatus) as excinfo:
        ws_connect(api.url)
    assert excinfo.value.response.status_code == 401
    # The authorizer never ran without its identity source; $connect never ran at all.
    assert len(events(api.auth_log)) == 1
    assert events(api.connect_log) == []


@pytest.mark.parametrize("body, status", [
    # An exec: handler reports a function error by printing it and exiting non-zero.
    ("print(json.dumps({'errorType': 'Error', 'errorMessage': 'Unauthorized'}))\nsys.exit(1)\n", 401),
    ("raise SystemExit('broken')\n", 500),
    ("print(json.dumps({'principalId': 'x'}))\n", 500),
])
def test_authorizer_errors_refuse_the_handshake(with_authorizer, body, status):
    api = with_authorizer(body)
    with pytest.raises(InvalidStatus) as excinfo:
        ws_connect(f"{api.url}?token=t")
    assert excinfo.value.response.status_code == status


# --- bad input ----------------------------------------------------------------------


def raw_request(endpoint: str, text: str) -> bytes:
    parts = urlsplit(endpoint)
    with socket.create_connection((parts.hostname, parts.port), timeout=HTTP_TIMEOUT) as s:
        s.sendall(text.encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        return data


def test_handshake_without_key_is_bad_request(websocket_api, endpoint):
    api = websocket_api({"$default": None})
    path = urlsplit(api.url).path
    answer = raw_request(endpoint, f"GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                   "Sec-WebSocket-Version: 13\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    assert requests.get(f"{endpoint}/_offcloud/health", timeout=HTTP_TIMEOUT).status_code == 200


def test_unknown_api_and_stage_are_refused(websocket_api, endpoint):
    api = websocket_api({"$default": None})
    with pytest.raises(InvalidStatus) as excinfo:
        ws_connect(api.url.replace("/dev", "/nostage"))
    assert excinfo.value.response.status_code == 403
    with pytest.raises(InvalidStatus) as excinfo:
        ws_connect(f"ws://{urlsplit(endpoint).netloc}/_aws/execute-api/nosuchapi/dev")
    assert excinfo.value.response.status_code == 404


def test_malformed_frames_close_the_connection_and_the_server_carries_on(websocket_api, endpoint):
    api = websocket_api({"$default": None})
    path = urlsplit(api.url).path
    parts = urlsplit(endpoint)
    with socket.create_connection((parts.hostname, parts.port), timeout=HTTP_TIMEOUT) as s:
        s.sendall((f"GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        handshake = b""
        while b"\r\n\r\n" not in handshake:
            handshake += s.recv(4096)
        assert handshake.startswith(b"HTTP/1.1 101")
        s.sendall(b"\x81\x05hello")            # an unmasked client frame: a protocol error
        data = b""
        deadline = time.monotonic() + RECV_TIMEOUT
        while time.monotonic() < deadline:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        assert data[:1] == b"\x88"             # a close frame, then the socket closes
        assert int.from_bytes(data[2:4], "big") == 1002
    with ws_connect(api.url):
        pass
    assert requests.get(f"{endpoint}/_offcloud/health", timeout=HTTP_TIMEOUT).status_code == 200


@pytest.mark.own_server
def test_idle_connections_are_closed_with_1001(offcloud_factory):
    server = offcloud_factory(extra_args=["--in-memory", "--websocket-idle-timeout", "1"])
    apigw = make_client(server.endpoint, "apigatewayv2")
    api = apigw.create_api(Name="idle", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    apigw.create_stage(ApiId=api["ApiId"], StageName="dev")
    with ws_connect(api["ApiEndpoint"] + "/dev") as ws:
        with pytest.raises(ConnectionClosed) as excinfo:
            ws.recv(timeout=RECV_TIMEOUT)
    assert excinfo.value.rcvd.code == 1001
