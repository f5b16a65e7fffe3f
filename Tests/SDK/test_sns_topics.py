"""SNS topics and subscriptions with boto3, raw query-protocol HTTP and the AWS CLI:
lifecycle, attributes, tags, permissions, pagination, and AWS's errors."""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET

import pytest

from support.sns import (NAMESPACE, create_topic, query_call, queue_with_arn, sns,  # noqa: F401  (fixtures)
                         sns_unvalidated)
from support.sqs import DEFAULT_ACCOUNT, REGION, raises_aws, unique_name


def test_create_topic_is_idempotent_and_listed(sns):
    arn = sns.create_topic(Name="orders")["TopicArn"]
    assert arn == f"arn:aws:sns:{REGION}:{DEFAULT_ACCOUNT}:orders"
    assert sns.create_topic(Name="orders")["TopicArn"] == arn
    assert {"TopicArn": arn} in sns.list_topics()["Topics"]
    sns.delete_topic(TopicArn=arn)
    assert {"TopicArn": arn} not in sns.list_topics()["Topics"]
    sns.delete_topic(TopicArn=arn)  # deleting again is not an error on AWS


def test_create_topic_with_different_attributes_is_refused(sns):
    sns.create_topic(Name="attrs", Attributes={"DisplayName": "one"})
    assert sns.create_topic(Name="attrs", Attributes={"DisplayName": "one"})["TopicArn"].endswith(":attrs")
    with raises_aws("InvalidParameter", 400) as info:
        sns.create_topic(Name="attrs", Attributes={"DisplayName": "two"})
    assert "Topic already exists with different attributes" in info.value.response["Error"]["Message"]


def test_topic_names_are_validated(sns):
    with raises_aws("InvalidParameter"):
        sns.create_topic(Name="bad name!")
    with raises_aws("InvalidParameter"):
        sns.create_topic(Name="x" * 257)
    with raises_aws("InvalidParameter"):
        sns.create_topic(Name="not-fifo", Attributes={"FifoTopic": "true"})
    with raises_aws("InvalidParameter"):
        sns.create_topic(Name="plain.fifo")


def test_topic_attributes_defaults_and_updates(sns):
    arn = create_topic(sns)
    attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attributes["TopicArn"] == arn
    assert attributes["Owner"] == DEFAULT_ACCOUNT
    assert attributes["SubscriptionsConfirmed"] == "0"
    assert attributes["DisplayName"] == ""
    policy = json.loads(attributes["Policy"])
    assert policy["Statement"][0]["Resource"] == arn
    effective = json.loads(attributes["EffectiveDeliveryPolicy"])
    assert effective["http"]["defaultHealthyRetryPolicy"]["numRetries"] == 3
    sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="Orders")
    sns.set_topic_attributes(TopicArn=arn, AttributeName="SignatureVersion", AttributeValue="2")
    sns.set_topic_attributes(TopicArn=arn, AttributeName="KmsMasterKeyId", AttributeValue="alias/aws/sns")
    attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attributes["DisplayName"] == "Orders"
    assert attributes["SignatureVersion"] == "2"
    assert attributes["KmsMasterKeyId"] == "alias/aws/sns"
    with raises_aws("InvalidParameter"):
        sns.set_topic_attributes(TopicArn=arn, AttributeName="NoSuchAttribute", AttributeValue="x")
    with raises_aws("InvalidParameter"):
        sns.set_topic_attributes(TopicArn=arn, AttributeName="ContentBasedDeduplication", AttributeValue="true")
    with raises_aws("InvalidParameter"):
        sns.set_topic_attributes(TopicArn=arn, AttributeName="SignatureVersion", AttributeValue="3")


def test_fifo_topic_attributes(sns):
    arn = create_topic(sns, fifo=True, ContentBasedDeduplication="true")
    attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attributes["FifoTopic"] == "true"
    assert attributes["ContentBasedDeduplication"] == "true"
    sns.set_topic_attributes(TopicArn=arn, AttributeName="ContentBasedDeduplication", AttributeValue="false")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["ContentBasedDeduplication"] == "false"


def test_missing_topic_is_not_found(sns):
    missing = f"arn:aws:sns:{REGION}:{DEFAULT_ACCOUNT}:missing"
    with raises_aws("NotFound", 404):
        sns.get_topic_attributes(TopicArn=missing)
    with raises_aws("NotFound", 404):
        sns.publish(TopicArn=missing, Message="x")
    with raises_aws("NotFound", 404):
        sns.subscribe(TopicArn=missing, Protocol="email", Endpoint="a@example.com")
    with raises_aws("InvalidParameter", 400):
        sns.get_topic_attributes(TopicArn="not-an-arn")


def test_list_topics_pages_by_100(sns):
    arns = {create_topic(sns, name=f"page-{i:03d}") for i in range(105)}
    first = sns.list_topics()
    assert len(first["Topics"]) == 100 and "NextToken" in first
    second = sns.list_topics(NextToken=first["NextToken"])
    assert "NextToken" not in second
    assert {t["TopicArn"] for t in first["Topics"] + second["Topics"]} == arns
    paginated = [t for page in sns.get_paginator("list_topics").paginate() for t in page["Topics"]]
    assert len(paginated) == 105


def test_tags(sns):
    arn = sns.create_topic(Name=unique_name("t"), Tags=[{"Key": "team", "Value": "orders"}])["TopicArn"]
    sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "payments"}])
    tags = {t["Key"]: t["Value"] for t in sns.list_tags_for_resource(ResourceArn=arn)["Tags"]}
    assert tags == {"team": "payments", "env": "dev"}
    sns.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "dev"}]
    with raises_aws("ResourceNotFound", 404):
        sns.list_tags_for_resource(ResourceArn=f"arn:aws:sns:{REGION}:{DEFAULT_ACCOUNT}:nope")


def test_add_and_remove_permission(sns):
    arn = create_topic(sns)
    sns.add_permission(TopicArn=arn, Label="publishers", AWSAccountId=["111111111111"], ActionName=["Publish"])
    statements = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])["Statement"]
    added = next(s for s in statements if s["Sid"] == "publishers")
    assert added["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"}
    assert added["Action"] == "SNS:Publish"
    with raises_aws("InvalidParameter"):
        sns.add_permission(TopicArn=arn, Label="publishers", AWSAccountId=["111111111111"], ActionName=["Publish"])
    sns.remove_permission(TopicArn=arn, Label="publishers")
    statements = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])["Statement"]
    assert all(s["Sid"] != "publishers" for s in statements)


def test_subscription_lifecycle(sns, sqs):
    arn = create_topic(sns)
    _, queue_arn = queue_with_arn(sqs)
    sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
    assert sub.startswith(arn + ":")
    assert sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"] == sub
    email = sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="ops@example.com")["SubscriptionArn"]
    assert email == "pending confirmation"
    listed = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    assert {(s["Protocol"], s["SubscriptionArn"]) for s in listed} == {("sqs", sub), ("email", "PendingConfirmation")}
    assert any(s["SubscriptionArn"] == sub for s in sns.list_subscriptions()["Subscriptions"])
    attributes = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
    assert attributes["Protocol"] == "sqs" and attributes["Endpoint"] == queue_arn
    assert attributes["RawMessageDelivery"] == "false" and attributes["PendingConfirmation"] == "false"
    topic_attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert topic_attributes["SubscriptionsConfirmed"] == "1" and topic_attributes["SubscriptionsPending"] == "1"
    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="RawMessageDelivery", AttributeValue="true")
    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue='{"color": ["red"]}')
    attributes = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
    assert attributes["RawMessageDelivery"] == "true"
    assert json.loads(attributes["FilterPolicy"]) == {"color": ["red"]}
    assert attributes["FilterPolicyScope"] == "MessageAttributes"
    sns.unsubscribe(SubscriptionArn=sub)
    with raises_aws("NotFound", 404):
        sns.get_subscription_attributes(SubscriptionArn=sub)
    with raises_aws("NotFound", 404):
        sns.unsubscribe(SubscriptionArn=sub)


def test_subscribe_validates_protocol_endpoint_and_attributes(sns):
    arn = create_topic(sns)
    with raises_aws("InvalidParameter") as info:
        sns.subscribe(TopicArn=arn, Protocol="carrier-pigeon", Endpoint="x")
    assert "does not support this protocol string" in info.value.response["Error"]["Message"]
    with raises_aws("InvalidParameter"):
        sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint="not-an-arn")
    with raises_aws("InvalidParameter"):
        sns.subscribe(TopicArn=arn, Protocol="http", Endpoint="ftp://example.com")
    with raises_aws("InvalidParameter"):
        sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="nobody")
    with raises_aws("InvalidParameter"):
        sns.subscribe(TopicArn=arn, Protocol="lambda", Endpoint=f"arn:aws:lambda:{REGION}:{DEFAULT_ACCOUNT}:function:f",
                      Attributes={"RawMessageDelivery": "true"})
    with raises_aws("InvalidParameter"):
        sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=f"arn:aws:sqs:{REGION}:{DEFAULT_ACCOUNT}:q",
                      Attributes={"Unknown": "x"})
    fifo = create_topic(sns, fifo=True)
    with raises_aws("InvalidParameter"):
        sns.subscribe(TopicArn=fifo, Protocol="email", Endpoint="ops@example.com")


def test_subscription_attributes_at_subscribe_time(sns):
    arn = create_topic(sns)
    sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=f"arn:aws:sqs:{REGION}:{DEFAULT_ACCOUNT}:anything",
                        Attributes={"RawMessageDelivery": "true", "FilterPolicyScope": "MessageBody",
                                    "FilterPolicy": '{"kind": ["order"]}',
                                    "RedrivePolicy": json.dumps({"deadLetterTargetArn": f"arn:aws:sqs:{REGION}:{DEFAULT_ACCOUNT}:dlq"})},
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    attributes = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
    assert attributes["RawMessageDelivery"] == "true"
    assert attributes["FilterPolicyScope"] == "MessageBody"
    assert json.loads(attributes["RedrivePolicy"])["deadLetterTargetArn"].endswith(":dlq")


def test_email_confirmation_is_recorded_and_confirmable(sns, endpoint):
    from support.sns import wait_for_deliveries
    arn = create_topic(sns)
    assert sns.subscribe(TopicArn=arn, Protocol="email-json", Endpoint="ops@example.com")["SubscriptionArn"] == "pending confirmation"
    confirmation = wait_for_deliveries(endpoint, 1, Endpoint="ops@example.com")[0]
    body = json.loads(confirmation["Body"])
    assert body["Type"] == "SubscriptionConfirmation"
    with raises_aws("InvalidParameter"):
        sns.confirm_subscription(TopicArn=arn, Token="wrong")
    sub = sns.confirm_subscription(TopicArn=arn, Token=body["Token"])["SubscriptionArn"]
    assert sub.startswith(arn + ":")
    message_id = sns.publish(TopicArn=arn, Message="hello", Subject="Hi")["MessageId"]
    notification = wait_for_deliveries(endpoint, 2, Endpoint="ops@example.com")[1]
    envelope = json.loads(notification["Body"])
    assert envelope["Type"] == "Notification" and envelope["MessageId"] == message_id
    assert envelope["Message"] == "hello" and envelope["Subject"] == "Hi"


def test_sms_and_platform_publishes_are_recorded(sns, endpoint):
    from support.sns import wait_for_deliveries
    sns.publish(PhoneNumber="+15555550100", Message="code 1234")
    assert wait_for_deliveries(endpoint, 1, Protocol="sms")[0]["Body"] == "code 1234"
    app = sns.create_platform_application(Name="app", Platform="GCM", Attributes={"PlatformCredential": "key"})["PlatformApplicationArn"]
    device = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="device-token")["EndpointArn"]
    assert sns.create_platform_endpoint(PlatformApplicationArn=app, Token="device-token")["EndpointArn"] == device
    assert sns.get_endpoint_attributes(EndpointArn=device)["Attributes"]["Token"] == "device-token"
    sns.publish(TargetArn=device, Message=json.dumps({"default": "d", "GCM": "g"}), MessageStructure="json")
    assert wait_for_deliveries(endpoint, 1, Protocol="application")[0]["Body"] == "g"
    assert [e["EndpointArn"] for e in sns.list_endpoints_by_platform_application(PlatformApplicationArn=app)["Endpoints"]] == [device]
    sns.delete_endpoint(EndpointArn=device)
    with raises_aws("NotFound", 404):
        sns.get_endpoint_attributes(EndpointArn=device)
    sns.set_sms_attributes(attributes={"DefaultSMSType": "Transactional"})
    assert sns.get_sms_attributes()["attributes"] == {"DefaultSMSType": "Transactional"}
    assert sns.check_if_phone_number_is_opted_out(phoneNumber="+15555550100")["isOptedOut"] is False
    assert sns.get_sms_sandbox_account_status()["IsInSandbox"] is True


def test_data_protection_policy_is_stored(sns):
    arn = create_topic(sns)
    policy = json.dumps({"Name": "p", "Version": "2021-06-01", "Statement": []})
    sns.put_data_protection_policy(ResourceArn=arn, DataProtectionPolicy=policy)
    assert sns.get_data_protection_policy(ResourceArn=arn)["DataProtectionPolicy"] == policy


# --- the query protocol by hand, and the AWS CLI ----------------------------------

def test_raw_query_protocol_create_publish_and_errors(endpoint):
    created = query_call(endpoint, "CreateTopic", {"Name": "raw-topic", "Attributes.entry.1.key": "DisplayName",
                                                   "Attributes.entry.1.value": "Raw", "Tags.member.1.Key": "k",
                                                   "Tags.member.1.Value": "v"})
    assert created.status_code == 200, created.text
    root = ET.fromstring(created.content)
    assert root.tag == f"{{{NAMESPACE}}}CreateTopicResponse"
    arn = root.find(f"{{{NAMESPACE}}}CreateTopicResult/{{{NAMESPACE}}}TopicArn").text
    attributes = query_call(endpoint, "GetTopicAttributes", {"TopicArn": arn})
    assert "<key>DisplayName</key><value>Raw</value>" in attributes.text
    published = query_call(endpoint, "Publish", {"TopicArn": arn, "Message": "<hi & bye>",
                                                 "MessageAttributes.entry.1.Name": "n",
                                                 "MessageAttributes.entry.1.Value.DataType": "Number",
                                                 "MessageAttributes.entry.1.Value.StringValue": "12"})
    assert published.status_code == 200 and "<MessageId>" in published.text
    missing = query_call(endpoint, "GetTopicAttributes", {"TopicArn": arn + "-missing"})
    assert missing.status_code == 404
    error = ET.fromstring(missing.content)
    assert error.tag == f"{{{NAMESPACE}}}ErrorResponse"
    assert error.find(f"{{{NAMESPACE}}}Error/{{{NAMESPACE}}}Code").text == "NotFound"
    assert error.find(f"{{{NAMESPACE}}}Error/{{{NAMESPACE}}}Type").text == "Sender"
    unknown = query_call(endpoint, "NoSuchAction")
    assert unknown.status_code == 400 and "InvalidAction" in unknown.text


def test_aws_cli_creates_and_lists(endpoint, tmp_path):
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": REGION,
           "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}

    def aws(*args: str) -> dict:
        out = subprocess.run(["aws", "--endpoint-url", endpoint, "--output", "json", "sns", *args], env=env,
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout) if out.stdout.strip() else {}

    arn = aws("create-topic", "--name", "cli-topic")["TopicArn"]
    assert arn.endswith(":cli-topic")
    assert {"TopicArn": arn} in aws("list-topics")["Topics"]
    assert "MessageId" in aws("publish", "--topic-arn", arn, "--message", "from the cli")
