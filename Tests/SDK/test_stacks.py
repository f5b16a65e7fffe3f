"""Stack templates deployed by `offcloud serve --template`: every resource type,
intrinsic functions and parameters, Outputs printed at start-up, idempotent and
changed redeploys across restarts, and template errors that stop start-up with a
message naming the resource and property. Each test starts its own server (a
template is deployed at start-up) and checks the result with boto3.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
import time
import uuid
from pathlib import Path

import pytest
import requests

from support.clients import make_client
from support.lambda_functions import python_handler
from support.server import offcloud_binary

pytestmark = pytest.mark.own_server

HTTP_TIMEOUT = 10

ECHO_HANDLER = "exec:cat"

FULL_TEMPLATE = """
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: every resource type Offcloud deploys
Parameters:
  Stage:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  RetentionSeconds:
    Type: Number
    Default: 600
  Owners:
    Type: CommaDelimitedList
    Default: "ana, bo"
Mappings:
  Sizes:
    dev: {Memory: 256}
    prod: {Memory: 1024}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
Globals:
  Function:
    Timeout: 5
Resources:
  DeadLetters:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${AWS::StackName}-dlq"
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Join ["-", [!Ref "AWS::StackName", orders, !Ref Stage]]
      VisibilityTimeout: 45
      MessageRetentionPeriod: !Ref RetentionSeconds
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt DeadLetters.Arn
        maxReceiveCount: 3
      Tags:
        - {Key: team, Value: !Select [0, !Ref Owners]}
  OrdersFifo:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
      ContentBasedDeduplication: true
  OrdersPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Orders]
      PolicyDocument:
        Version: '2012-10-17'
        Statement: [{Effect: Allow, Principal: '*', Action: 'sqs:SendMessage', Resource: !GetAtt Orders.Arn}]
  OnlyInProd:
    Type: AWS::SQS::Queue
    Condition: IsProd
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "${AWS::StackName}-orders"
      AttributeDefinitions:
        - {AttributeName: id, AttributeType: S}
        - {AttributeName: status, AttributeType: S}
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      BillingMode: PAY_PER_REQUEST
      GlobalSecondaryIndexes:
        - IndexName: by-status
          KeySchema: [{AttributeName: status, KeyType: HASH}]
          Projection: {ProjectionType: ALL}
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
      TimeToLiveSpecification: {AttributeName: expires, Enabled: true}
  Simple:
    Type: AWS::Serverless::SimpleTable
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Echo:
    Type: AWS::Lambda::Function
    Properties:
      Handler: exec:cat
      Runtime: provided.al2023
      Role: !GetAtt Role.Arn
      MemorySize: !FindInMap [Sizes, !Ref Stage, Memory]
      Environment:
        Variables:
          TABLE: !Ref Table
          MODE: !If [IsProd, production, development]
          UNUSED: !If [IsDev, !Ref "AWS::NoValue", never]
  EchoPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Echo
      Action: lambda:InvokeFunction
      Principal: sns.amazonaws.com
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: exec:cat
      Events:
        FromQueue:
          Type: SQS
          Properties: {Queue: !GetAtt Orders.Arn, BatchSize: 5}
        FromStream:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Table.StreamArn, StartingPosition: LATEST}
        Get:
          Type: HttpApi
          Properties: {Path: '/items/{id}', Method: get}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt DeadLetters.Arn
      FunctionName: !Ref Echo
      BatchSize: 2
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineName: !Sub "${AWS::StackName}-machine"
      RoleArn: !GetAtt Role.Arn
      DefinitionString: !Sub |
        {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "${Echo.Arn}", "End": true}}}
  SamMachine:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: machine.asl.json
      DefinitionSubstitutions:
        Greeting: hello
  WebSocket:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: ws
      ProtocolType: WEBSOCKET
      RouteSelectionExpression: $request.body.action
  WebSocketIntegration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref WebSocket
      IntegrationType: AWS_PROXY
      IntegrationUri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Echo.Arn}/invocations"
  WebSocketRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref WebSocket
      RouteKey: echo
      RouteResponseSelectionExpression: $default
      Target: !Join ["/", [integrations, !Ref WebSocketIntegration]]
  WebSocketRouteResponse:
    Type: AWS::ApiGatewayV2::RouteResponse
    Properties:
      ApiId: !Ref WebSocket
      RouteId: !Ref WebSocketRoute
      RouteResponseKey: $default
  WebSocketAuthorizer:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties:
      ApiId: !Ref WebSocket
      Name: auth
      AuthorizerType: REQUEST
      AuthorizerUri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Echo.Arn}/invocations"
      IdentitySource: [route.request.querystring.token]
  WebSocketStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref WebSocket
      StageName: !Ref Stage
  WebSocketDeployment:
    Type: AWS::ApiGatewayV2::Deployment
    DependsOn: [WebSocketRoute]
    Properties:
      ApiId: !Ref WebSocket
  LogGroup:
    Type: AWS::Logs::LogGroup
Outputs:
  OrdersUrl:
    Value: !Ref Orders
    Description: the orders queue
  HttpApiUrl:
    Value: !Sub "${ServerlessHttpApi.ApiEndpoint}"
  WebSocketUrl:
    Value: !Join ["", [!GetAtt WebSocket.ApiEndpoint, "/", !Ref Stage]]
  ProdOnly:
    Condition: IsProd
    Value: !Ref OnlyInProd
  Azs:
    Value: !Join [",", !GetAZs ""]
  Encoded:
    Value: !Base64 offcloud
"""

MACHINE = {"StartAt": "Greet", "States": {"Greet": {"Type": "Pass", "Result": "${Greeting}", "End": True}}}


@pytest.fixture
def project(tmp_path):
    """A folder with a template (and the definition it points to); returns a writer."""
    (tmp_path / "machine.asl.json").write_text(json.dumps(MACHINE))

    def write(text: str, name: str = "template.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path
    return write


def deployed_log(server, marker: str = " deployed: ") -> str:
    """The server's log once it shows `marker` (bounded wait)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        text = server.log_path.read_text()
        if marker in text:
            return text
        time.sleep(0.02)
    pytest.fail(f"the server never logged {marker!r}:\n{server.log_tail()}")


def outputs_of(server) -> dict:
    """Outputs as printed at start-up (`  Name = value`)."""
    deployed_log(server, "Outputs of stack")
    found = {}
    for line in server.log_path.read_text().splitlines():
        if line.startswith("  ") and " = " in line:
            name, value = line.strip().split(" = ", 1)
            found[name] = value.split("  (")[0]
    return found


def start(offcloud_factory, template: Path, data_dir: Path | None = None, extra=()) -> object:
    args = ["--template", str(template), "--log-level", "info", *extra]
    if data_dir is None:
        args.append("--in-memory")
    else:
        data_dir.mkdir(exist_ok=True)
    return offcloud_factory(data_dir=data_dir, extra_args=args)


def deploy_error(template: Path, *extra: str) -> str:
    """Starts a server that must refuse the template; returns what it printed."""
    result = subprocess.run([str(offcloud_binary()), "serve", "--port", "0", "--in-memory", "--template", str(template), *extra],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    return result.stdout + result.stderr


def test_every_resource_type_and_intrinsic(offcloud_factory, project):
    server = start(offcloud_factory, project(FULL_TEMPLATE))
    endpoint = server.endpoint
    sqs, ddb, lam = make_client(endpoint, "sqs"), make_client(endpoint, "dynamodb"), make_client(endpoint, "lambda")
    sfn, apigw = make_client(endpoint, "stepfunctions"), make_client(endpoint, "apigatewayv2")
    out = outputs_of(server)

    orders_url = out["OrdersUrl"]
    assert orders_url.endswith("/offcloud-orders-dev")
    attributes = sqs.get_queue_attributes(QueueUrl=orders_url, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "45"
    assert attributes["MessageRetentionPeriod"] == "600"
    assert json.loads(attributes["RedrivePolicy"])["deadLetterTargetArn"].endswith(":offcloud-dlq")
    assert json.loads(attributes["Policy"])["Statement"][0]["Action"] == "sqs:SendMessage"
    assert sqs.list_queue_tags(QueueUrl=orders_url)["Tags"] == {"team": "ana"}
    names = [url.rsplit("/", 1)[1] for url in sqs.list_queues()["QueueUrls"]]
    assert any(n.startswith("offcloud-OrdersFifo-") and n.endswith(".fifo") for n in names)
    assert not any("OnlyInProd" in n for n in names)          # its condition is false
    assert "ProdOnly" not in out

    table = ddb.describe_table(TableName="offcloud-orders")["Table"]
    assert table["GlobalSecondaryIndexes"][0]["IndexName"] == "by-status"
    assert table["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert ddb.describe_time_to_live(TableName="offcloud-orders")["TimeToLiveDescription"]["AttributeName"] == "expires"
    assert any(t.startswith("offcloud-Simple-") for t in ddb.list_tables()["TableNames"])

    functions = {f["FunctionName"]: f for f in lam.list_functions()["Functions"]}
    echo = next(f for n, f in functions.items() if n.startswith("offcloud-Echo-"))
    assert echo["MemorySize"] == 256
    assert echo["Environment"]["Variables"] == {"TABLE": "offcloud-orders", "MODE": "development"}
    assert echo["Role"].startswith("arn:aws:iam::000000000000:role/offcloud-Role-")
    worker = next(f for n, f in functions.items() if n.startswith("offcloud-Worker-"))
    assert worker["Timeout"] == 5                               # from Globals
    policy = json.loads(lam.get_policy(FunctionName=echo["FunctionName"])["Policy"])
    assert policy["Statement"][0]["Sid"] == "EchoPermission"
    mappings = lam.list_event_source_mappings()["EventSourceMappings"]
    assert {(m["EventSourceArn"].split(":")[2], m["BatchSize"]) for m in mappings} == {("sqs", 5), ("dynamodb", 100), ("sqs", 2)}

    machines = {m["name"]: m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]}
    definition = json.loads(sfn.describe_state_machine(stateMachineArn=machines["offcloud-machine"])["definition"])
    assert definition["States"]["Call"]["Resource"] == echo["FunctionArn"]
    sam_arn = next(arn for name, arn in machines.items() if name.startswith("offcloud-SamMachine-"))
    assert json.loads(sfn.describe_state_machine(stateMachineArn=sam_arn)["definition"])["States"]["Greet"]["Result"] == "hello"

    apis = {a["Name"]: a for a in apigw.get_apis()["Items"]}
    ws = apis["ws"]
    assert out["WebSocketUrl"] == f"{ws['ApiEndpoint']}/dev"
    routes = apigw.get_routes(ApiId=ws["ApiId"])["Items"]
    assert routes[0]["RouteKey"] == "echo"
    assert apigw.get_route_responses(ApiId=ws["ApiId"], RouteId=routes[0]["RouteId"])["Items"][0]["RouteResponseKey"] == "$default"
    assert apigw.get_authorizers(ApiId=ws["ApiId"])["Items"][0]["IdentitySource"] == ["route.request.querystring.token"]
    assert [s["StageName"] for s in apigw.get_stages(ApiId=ws["ApiId"])["Items"]] == ["dev"]
    assert len(apigw.get_deployments(ApiId=ws["ApiId"])["Items"]) == 1

    # The implicit HTTP API of the SAM function's HttpApi event serves its route.
    http_api = apis["offcloud"]
    assert out["HttpApiUrl"] == http_api["ApiEndpoint"]
    response = requests.get(f"{http_api['ApiEndpoint']}/items/42", timeout=HTTP_TIMEOUT)
    assert response.status_code == 200
    assert response.json()["pathParameters"] == {"id": "42"}

    assert out["Azs"] == "us-east-1a,us-east-1b,us-east-1c"
    assert out["Encoded"] == "b2ZmY2xvdWQ="


def test_parameter_overrides_and_conditions(offcloud_factory, project):
    server = start(offcloud_factory, project(FULL_TEMPLATE), extra=["--parameter-overrides", "Stage=prod", "RetentionSeconds=900"])
    out = outputs_of(server)
    assert out["OrdersUrl"].endswith("/offcloud-orders-prod")
    assert "OnlyInProd" in out["ProdOnly"]
    lam = make_client(server.endpoint, "lambda")
    echo = next(f for f in lam.list_functions()["Functions"] if f["FunctionName"].startswith("offcloud-Echo-"))
    assert echo["MemorySize"] == 1024
    assert echo["Environment"]["Variables"]["MODE"] == "production"
    assert echo["Environment"]["Variables"]["UNUSED"] == "never"


def test_json_template_and_stack_name(offcloud_factory, project):
    template = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
                "Outputs": {"Url": {"Value": {"Ref": "Queue"}}, "Name": {"Value": {"Fn::GetAtt": ["Queue", "QueueName"]}}}}
    server = start(offcloud_factory, project(json.dumps(template), "template.json"), extra=["--stack-name", "shop"])
    out = outputs_of(server)
    assert out["Name"].startswith("shop-Queue-")
    assert out["Url"].endswith("/" + out["Name"])


def test_redeploy_with_the_same_template_changes_nothing(offcloud_factory, project, tmp_path):
    template = project("""
        Resources:
          Queue:
            Type: AWS::SQS::Queue
          Table:
            Type: AWS::DynamoDB::Table
            Properties:
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
          Fn:
            Type: AWS::Lambda::Function
            Properties: {Handler: "exec:cat", Timeout: 3}
          Mapping:
            Type: AWS::Lambda::EventSourceMapping
            Properties: {EventSourceArn: !GetAtt Queue.Arn, FunctionName: !Ref Fn, Enabled: false}
        Outputs:
          Url: {Value: !Ref Queue}
          Table: {Value: !Ref Table}
          Mapping: {Value: !Ref Mapping}
        """)
    data = tmp_path / "data"
    first = start(offcloud_factory, template, data_dir=data)
    out = outputs_of(first)
    sqs, ddb = make_client(first.endpoint, "sqs"), make_client(first.endpoint, "dynamodb")
    sqs.send_message(QueueUrl=out["Url"], MessageBody="kept")
    ddb.put_item(TableName=out["Table"], Item={"id": {"S": "kept"}})
    first.stop()

    second = start(offcloud_factory, template, data_dir=data)
    assert outputs_of(second) == out
    log = deployed_log(second)
    assert "deployed: 4 resources, no changes" in log
    assert "created" not in log and "updated" not in log and "deleted" not in log
    sqs, ddb = make_client(second.endpoint, "sqs"), make_client(second.endpoint, "dynamodb")
    url = out["Url"].replace(f":{first.port}", f":{second.port}")
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "kept"
    assert ddb.get_item(TableName=out["Table"], Key={"id": {"S": "kept"}})["Item"]
    assert len(make_client(second.endpoint, "lambda").list_event_source_mappings()["EventSourceMappings"]) == 1


def test_changed_template_updates_what_changed(offcloud_factory, project, tmp_path):
    original = """
        Resources:
          Queue:
            Type: AWS::SQS::Queue
            Properties: {QueueName: jobs, VisibilityTimeout: 30}
          Gone:
            Type: AWS::SQS::Queue
            Properties: {QueueName: gone}
          Fn:
            Type: AWS::Lambda::Function
            Properties: {Handler: "exec:cat", FunctionName: worker, Timeout: 3}
        """
    data = tmp_path / "data"
    first = start(offcloud_factory, project(original), data_dir=data)
    sqs = make_client(first.endpoint, "sqs")
    url = sqs.get_queue_url(QueueName="jobs")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="survives the update")
    first.stop()

    changed = original.replace("VisibilityTimeout: 30", "VisibilityTimeout: 90").replace("Timeout: 3", "Timeout: 9")
    changed = changed.replace("""          Gone:
            Type: AWS::SQS::Queue
            Properties: {QueueName: gone}
""", """          Added:
            Type: AWS::SQS::Queue
            Properties: {QueueName: added}
""")
    second = start(offcloud_factory, project(changed), data_dir=data)
    log = deployed_log(second)
    assert "updated Queue" in log and "updated Fn" in log and "created Added" in log and "deleted Gone" in log
    sqs = make_client(second.endpoint, "sqs")
    url = sqs.get_queue_url(QueueName="jobs")["QueueUrl"]
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])["Attributes"]["VisibilityTimeout"] == "90"
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "survives the update"
    names = [u.rsplit("/", 1)[1] for u in sqs.list_queues()["QueueUrls"]]
    assert "added" in names and "gone" not in names
    assert make_client(second.endpoint, "lambda").get_function_configuration(FunctionName="worker")["Timeout"] == 9


def test_template_in_the_working_folder_is_deployed_by_default(tmp_path):
    (tmp_path / "template.yaml").write_text("Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: found}\n")
    process = subprocess.Popen([str(offcloud_binary()), "serve", "--port", "0", "--in-memory"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        lines = []
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "offcloud listening" in line:
                break
        assert any("created Queue" in line for line in lines), lines
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("template, expected", [
    ("Resources:\n  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !Ref Missing}}\n",
     "Resource A: Unresolved reference Missing"),
    ("Resources:\n  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt B.QueueName}}\n"
     "  B: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt A.QueueName}}\n",
     "Circular dependency between resources: [A, B]"),
    ("Resources:\n  A: {Type: AWS::SQS::Queue}\n  B: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt A.Nope}}\n",
     "Resource B, property QueueName: Fn::GetAtt: A has no attribute Nope"),
    ("Resources:\n  T: {Type: AWS::DynamoDB::Table, Properties: {BillingMode: PAY_PER_REQUEST}}\n",
     "Resource T, property KeySchema"),
    ("Resources:\n  F: {Type: AWS::Lambda::Function, Properties: {Runtime: provided.al2023}}\n",
     "Resource F, property Handler"),
    ("Resources:\n  A: {Properties: {}}\n", "Resource A: the resource has no Type"),
    ("Resources: {}\n", "The template has no Resources"),
    ("Parameters:\n  P: {Type: String}\nResources:\n  A: {Type: AWS::SQS::Queue}\n", "Parameter P has no Default"),
    ("Resources:\n  A: {Type: AWS::SQS::Queue, Properties: {VisibilityTimeout: 99999}}\n", "Resource A:"),
    ("Resources:\n  A: {Type: AWS::SQS::Queue, DependsOn: Nowhere}\n", "Resource A, property DependsOn: Nowhere"),
    ("Resources:\n  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !Bogus x}}\n", "Unknown YAML tag !Bogus"),
    ("Resources:\n  A: [unclosed\n", "not valid YAML"),
    ("Resources:\n  A: {Type: AWS::SQS::Queue, Condition: Nope}\n", "Resource A, property Condition: the condition Nope"),
])
def test_template_errors_stop_start_up_naming_the_resource(project, template, expected):
    output = deploy_error(project(template))
    assert expected in output, output


def test_unknown_parameter_override_and_disallowed_value_are_refused(project):
    template = project("Parameters:\n  Stage: {Type: String, Default: dev, AllowedValues: [dev, prod]}\n"
                       "Resources:\n  A: {Type: AWS::SQS::Queue}\n")
    assert "Parameter Nope is not declared" in deploy_error(template, "--parameter-overrides", "Nope=1")
    assert "Parameter Stage must be one of dev, prod" in deploy_error(template, "--parameter-overrides", "Stage=qa")


def test_reset_redeploys_the_template(offcloud_factory, project):
    server = start(offcloud_factory, project("Resources:\n  A: {Type: AWS::SQS::Queue, Properties: {QueueName: stays}}\n"))
    requests.post(f"{server.endpoint}/_offcloud/reset", timeout=HTTP_TIMEOUT)
    sqs = make_client(server.endpoint, "sqs")
    assert sqs.get_queue_url(QueueName="stays")["QueueUrl"].endswith("/stays")


def test_sns_topics_and_subscriptions(offcloud_factory, project):
    server = start(offcloud_factory, project("""
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName: orders
              Subscription:
                - {Protocol: sqs, Endpoint: !GetAtt Inbox.Arn}
          Fifo:
            Type: AWS::SNS::Topic
            Properties: {FifoTopic: true, ContentBasedDeduplication: true}
          Inbox:
            Type: AWS::SQS::Queue
          Paid:
            Type: AWS::SQS::Queue
          PaidOnly:
            Type: AWS::SNS::Subscription
            Properties:
              TopicArn: !Ref Topic
              Protocol: sqs
              Endpoint: !GetAtt Paid.Arn
              RawMessageDelivery: true
              FilterPolicy: {kind: [paid]}
        Outputs:
          Topic: {Value: !Ref Topic}
          TopicName: {Value: !GetAtt Topic.TopicName}
          Fifo: {Value: !Ref Fifo}
          Inbox: {Value: !Ref Inbox}
          Paid: {Value: !Ref Paid}
        """))
    out = outputs_of(server)
    sns, sqs = make_client(server.endpoint, "sns"), make_client(server.endpoint, "sqs")
    assert out["Topic"].endswith(":" + out["TopicName"])
    assert out["Fifo"].endswith(".fifo")
    assert sns.get_topic_attributes(TopicArn=out["Topic"])["Attributes"]["DisplayName"] == "orders"
    sns.publish(TopicArn=out["Topic"], Message="unpaid", MessageAttributes={"kind": {"DataType": "String", "StringValue": "open"}})
    sns.publish(TopicArn=out["Topic"], Message="paid", MessageAttributes={"kind": {"DataType": "String", "StringValue": "paid"}})

    def bodies(url, count):
        found = []
        deadline = time.monotonic() + 10
        while len(found) < count and time.monotonic() < deadline:
            found += [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])]
        return found

    assert sorted(json.loads(b)["Message"] for b in bodies(out["Inbox"], 2)) == ["paid", "unpaid"]
    assert bodies(out["Paid"], 1) == ["paid"]


def test_sam_http_api_rest_api_and_sns_events(offcloud_factory, project, tmp_path):
    # Payload format 1.0 needs a statusCode in the answer, so the REST-style route gets its own handler.
    legacy_handler = python_handler(tmp_path, "print(json.dumps({'statusCode': 200, 'body': json.dumps({'version': event['version']})}))\n")
    server = start(offcloud_factory, project(f"""
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Shop:
            Type: AWS::Serverless::HttpApi
            Properties:
              StageName: v1
              CorsConfiguration: {{AllowOrigins: ['https://shop.example'], AllowMethods: [GET]}}
          Alerts:
            Type: AWS::SNS::Topic
          Handler:
            Type: AWS::Serverless::Function
            Properties:
              Handler: exec:cat
              Events:
                List: {{Type: HttpApi, Properties: {{ApiId: !Ref Shop, Path: /items, Method: GET}}}}
                Alert: {{Type: SNS, Properties: {{Topic: !Ref Alerts, FilterPolicy: {{level: [high]}}}}}}
          Legacy:
            Type: AWS::Serverless::Function
            Properties:
              Handler: "{legacy_handler}"
              Events:
                Post: {{Type: Api, Properties: {{Path: /legacy, Method: post}}}}
          Ws:
            Type: AWS::ApiGatewayV2::Api
            Properties: {{Name: ws, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}}
          WsMock:
            Type: AWS::ApiGatewayV2::Integration
            Properties: {{ApiId: !Ref Ws, IntegrationType: MOCK}}
          WsMockResponse:
            Type: AWS::ApiGatewayV2::IntegrationResponse
            Properties: {{ApiId: !Ref Ws, IntegrationId: !Ref WsMock, IntegrationResponseKey: $default}}
        Outputs:
          ShopUrl: {{Value: !Sub "${{Shop.ApiEndpoint}}/v1"}}
          RestUrl: {{Value: !Sub "${{ServerlessRestApi.ApiEndpoint}}/Prod"}}
          Topic: {{Value: !Ref Alerts}}
          Ws: {{Value: !Ref Ws}}
          WsMock: {{Value: !Ref WsMock}}
        """))
    out = outputs_of(server)
    response = requests.get(f"{out['ShopUrl']}/items", headers={"Origin": "https://shop.example"}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200
    assert response.json()["routeKey"] == "GET /items"
    assert response.headers["access-control-allow-origin"] == "https://shop.example"
    legacy = requests.post(f"{out['RestUrl']}/legacy", data="{}", timeout=HTTP_TIMEOUT)
    assert legacy.status_code == 200
    assert legacy.json() == {"version": "1.0"}                    # Api events are payload format 1.0
    sns = make_client(server.endpoint, "sns")
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=out["Topic"])["Subscriptions"]
    assert [s["Protocol"] for s in subscriptions] == ["lambda"]
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscriptions[0]["SubscriptionArn"])["Attributes"]
    assert json.loads(attributes["FilterPolicy"]) == {"level": ["high"]}
    apigw = make_client(server.endpoint, "apigatewayv2")
    responses = apigw.get_integration_responses(ApiId=out["Ws"], IntegrationId=out["WsMock"])["Items"]
    assert [r["IntegrationResponseKey"] for r in responses] == ["$default"]
