"""SNS fan-out: SQS with and without raw delivery, FIFO order and deduplication,
filter policies end to end, Lambda events, PublishBatch, message structure."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from support.lambda_functions import ROLE_ARN, lam, wait_until  # noqa: F401  (fixtures)
from support.sns import (create_topic, envelopes, receive_bodies, sns, subscribe_queue,  # noqa: F401  (fixtures)
                         sns_unvalidated)
from support.sqs import DEFAULT_ACCOUNT, REGION, raises_aws, receive_nothing

ENVELOPE_KEYS = ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature",
                 "SigningCertURL", "UnsubscribeURL", "MessageAttributes"]


def test_sqs_fan_out_with_the_aws_envelope(sns, sqs):
    topic = create_topic(sns)
    queues = [subscribe_queue(sns, sqs, topic)[0] for _ in range(3)]
    message_id = sns.publish(TopicArn=topic, Message="order placed", Subject="Orders",
                             MessageAttributes={"color": {"DataType": "String", "StringValue": "red"},
                                                "count": {"DataType": "Number", "StringValue": "3"},
                                                "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})["MessageId"]
    for url in queues:
        [envelope] = envelopes(sqs, url, 1)
        assert list(envelope) == ENVELOPE_KEYS
        assert envelope["Type"] == "Notification"
        assert envelope["MessageId"] == message_id
        assert envelope["TopicArn"] == topic
        assert envelope["Subject"] == "Orders"
        assert envelope["Message"] == "order placed"
        assert envelope["Timestamp"].endswith("Z") and len(envelope["Timestamp"]) == 24
        assert envelope["SignatureVersion"] == "1"
        assert envelope["UnsubscribeURL"].startswith("http://")
        assert envelope["MessageAttributes"] == {
            "color": {"Type": "String", "Value": "red"},
            "count": {"Type": "Number", "Value": "3"},
            "blob": {"Type": "Binary", "Value": base64.b64encode(b"\x00\x01").decode()},
        }


def test_envelope_layout_matches_aws(sns, sqs):
    topic = create_topic(sns)
    url, _ = subscribe_queue(sns, sqs, topic)
    sns.publish(TopicArn=topic, Message="x")
    body = receive_bodies(sqs, url, 1)[0]["Body"]
    assert body.startswith('{\n  "Type" : "Notification",\n  "MessageId" : "')
    assert "Subject" not in json.loads(body) and "MessageAttributes" not in json.loads(body)


def test_raw_delivery_carries_attributes_as_sqs_attributes(sns, sqs):
    topic = create_topic(sns)
    url, _ = subscribe_queue(sns, sqs, topic, raw=True)
    sns.publish(TopicArn=topic, Message='{"id": 1}',
                MessageAttributes={"color": {"DataType": "String", "StringValue": "red"},
                                   "sizes": {"DataType": "String.Array", "StringValue": '["S", "M"]'},
                                   "blob": {"DataType": "Binary", "BinaryValue": b"\xff"}})
    [message] = receive_bodies(sqs, url, 1, MessageAttributeNames=["All"])
    assert message["Body"] == '{"id": 1}'
    attributes = message["MessageAttributes"]
    assert attributes["color"] == {"DataType": "String", "StringValue": "red"}
    assert attributes["sizes"] == {"DataType": "String.Array", "StringValue": '["S", "M"]'}
    assert attributes["blob"] == {"DataType": "Binary", "BinaryValue": b"\xff"}


def test_message_structure_json_picks_the_protocols_message(sns, sqs):
    topic = create_topic(sns)
    url, _ = subscribe_queue(sns, sqs, topic, raw=True)
    sns.publish(TopicArn=topic, MessageStructure="json", Message=json.dumps({"default": "d", "sqs": "for sqs"}))
    sns.publish(TopicArn=topic, MessageStructure="json", Message=json.dumps({"default": "only default"}))
    assert [m["Body"] for m in receive_bodies(sqs, url, 2)] == ["for sqs", "only default"]
    with raises_aws("InvalidParameter"):
        sns.publish(TopicArn=topic, MessageStructure="json", Message=json.dumps({"sqs": "no default"}))
    with raises_aws("InvalidParameter"):
        sns.publish(TopicArn=topic, MessageStructure="json", Message="not json")


def test_fifo_topic_to_fifo_queue_keeps_group_order_and_deduplicates(sns, sqs):
    topic = create_topic(sns, fifo=True)
    url, _ = subscribe_queue(sns, sqs, topic, fifo=True, raw=True)
    sequence_numbers = []
    for i in range(20):
        response = sns.publish(TopicArn=topic, Message=f"m{i}", MessageGroupId="g", MessageDeduplicationId=f"d{i}")
        sequence_numbers.append(int(response["SequenceNumber"]))
    assert sequence_numbers == sorted(sequence_numbers)
    duplicate = sns.publish(TopicArn=topic, Message="m0 again", MessageGroupId="g", MessageDeduplicationId="d0")
    assert int(duplicate["SequenceNumber"]) == sequence_numbers[0]
    bodies = []
    while len(bodies) < 20:
        for m in receive_bodies(sqs, url, 1, AttributeNames=["MessageGroupId"]):
            assert m["Attributes"]["MessageGroupId"] == "g"
            bodies.append(m["Body"])
    assert bodies == [f"m{i}" for i in range(20)]
    receive_nothing(sqs, url)


def test_fifo_envelope_carries_the_sequence_number(sns, sqs):
    topic = create_topic(sns, fifo=True, ContentBasedDeduplication="true")
    url, _ = subscribe_queue(sns, sqs, topic, fifo=True)
    published = sns.publish(TopicArn=topic, Message="one", MessageGroupId="g")
    [envelope] = envelopes(sqs, url, 1)
    assert envelope["SequenceNumber"] == published["SequenceNumber"]
    # Content-based deduplication: the same body within five minutes is the same message.
    assert sns.publish(TopicArn=topic, Message="one", MessageGroupId="g")["MessageId"] == published["MessageId"]


def test_fifo_publish_rules(sns):
    topic = create_topic(sns, fifo=True)
    with raises_aws("InvalidParameter") as info:
        sns.publish(TopicArn=topic, Message="x", MessageDeduplicationId="d")
    assert "MessageGroupId" in info.value.response["Error"]["Message"]
    with raises_aws("InvalidParameter") as info:
        sns.publish(TopicArn=topic, Message="x", MessageGroupId="g")
    assert "ContentBasedDeduplication" in info.value.response["Error"]["Message"]
    standard = create_topic(sns)
    with raises_aws("InvalidParameter"):
        sns.publish(TopicArn=standard, Message="x", MessageDeduplicationId="d")


# --- filter policies ---------------------------------------------------------------

def test_filter_policy_on_attributes(sns, sqs):
    topic = create_topic(sns)
    red, _ = subscribe_queue(sns, sqs, topic, raw=True, FilterPolicy=json.dumps({"color": ["red"]}))
    big, _ = subscribe_queue(sns, sqs, topic, raw=True, FilterPolicy=json.dumps({"size": [{"numeric": [">", 10]}]}))
    everything, _ = subscribe_queue(sns, sqs, topic, raw=True)
    sns.publish(TopicArn=topic, Message="red small",
                MessageAttributes={"color": {"DataType": "String", "StringValue": "red"},
                                   "size": {"DataType": "Number", "StringValue": "1"}})
    sns.publish(TopicArn=topic, Message="blue big",
                MessageAttributes={"color": {"DataType": "String", "StringValue": "blue"},
                                   "size": {"DataType": "Number", "StringValue": "100"}})
    sns.publish(TopicArn=topic, Message="no attributes")
    assert [m["Body"] for m in receive_bodies(sqs, everything, 3)] == ["red small", "blue big", "no attributes"]
    assert [m["Body"] for m in receive_bodies(sqs, red, 1)] == ["red small"]
    assert [m["Body"] for m in receive_bodies(sqs, big, 1)] == ["blue big"]
    receive_nothing(sqs, red)
    receive_nothing(sqs, big)


def test_filter_policy_on_the_message_body(sns, sqs):
    topic = create_topic(sns)
    url, _ = subscribe_queue(sns, sqs, topic, raw=True, FilterPolicyScope="MessageBody",
                             FilterPolicy=json.dumps({"order": {"status": ["paid"]}}))
    sns.publish(TopicArn=topic, Message=json.dumps({"order": {"status": "paid", "id": 1}}))
    sns.publish(TopicArn=topic, Message=json.dumps({"order": {"status": "open", "id": 2}}))
    sns.publish(TopicArn=topic, Message="not json at all")
    assert [json.loads(m["Body"])["order"]["id"] for m in receive_bodies(sqs, url, 1)] == [1]
    everything, _ = subscribe_queue(sns, sqs, topic, raw=True)
    sns.publish(TopicArn=topic, Message="marker")
    receive_bodies(sqs, everything, 1)
    receive_nothing(sqs, url)


def test_changing_a_filter_policy_applies_to_later_messages(sns, sqs):
    topic = create_topic(sns)
    url, sub = subscribe_queue(sns, sqs, topic, raw=True, FilterPolicy=json.dumps({"color": ["red"]}))
    attrs = {"color": {"DataType": "String", "StringValue": "blue"}}
    sns.publish(TopicArn=topic, Message="blue before", MessageAttributes=attrs)
    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue=json.dumps({"color": ["blue"]}))
    sns.publish(TopicArn=topic, Message="blue after", MessageAttributes=attrs)
    assert [m["Body"] for m in receive_bodies(sqs, url, 1)] == ["blue after"]
    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue="")
    sns.publish(TopicArn=topic, Message="unfiltered")
    assert [m["Body"] for m in receive_bodies(sqs, url, 1)] == ["unfiltered"]


@pytest.mark.parametrize("policy", ["not json", "[]", '{"color": "red"}'])
def test_malformed_filter_policies_are_refused(sns, policy):
    topic = create_topic(sns)
    with raises_aws("InvalidParameter") as info:
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:{REGION}:{DEFAULT_ACCOUNT}:q",
                      Attributes={"FilterPolicy": policy})
    assert info.value.response["Error"]["Message"].startswith("Invalid parameter: FilterPolicy: ")


# --- Lambda ------------------------------------------------------------------------

def test_lambda_receives_the_sns_event(sns, lam, tmp_path):
    marker = tmp_path / "event.json"
    function = lam.create_function(FunctionName="sns-target", Runtime="provided.al2023", Role=ROLE_ARN,
                                   Handler=f"exec:cat > {marker}", Code={"ZipFile": b"x"})["FunctionArn"]
    topic = create_topic(sns)
    sub = sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function)["SubscriptionArn"]
    message_id = sns.publish(TopicArn=topic, Message="to lambda", Subject="S",
                             MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})["MessageId"]
    wait_until(lambda: marker.exists() and marker.read_text(), "the function to be invoked")
    [record] = json.loads(marker.read_text())["Records"]
    assert record["EventSource"] == "aws:sns"
    assert record["EventVersion"] == "1.0"
    assert record["EventSubscriptionArn"] == sub
    event = record["Sns"]
    assert event["Type"] == "Notification"
    assert event["MessageId"] == message_id
    assert event["TopicArn"] == topic
    assert event["Subject"] == "S"
    assert event["Message"] == "to lambda"
    assert event["MessageAttributes"] == {"k": {"Type": "String", "Value": "v"}}
    for key in ["Timestamp", "SignatureVersion", "Signature", "SigningCertUrl", "UnsubscribeUrl"]:
        assert key in event


# --- PublishBatch --------------------------------------------------------------------

def test_publish_batch_delivers_and_reports_per_entry(sns, sqs):
    topic = create_topic(sns)
    url, _ = subscribe_queue(sns, sqs, topic, raw=True)
    result = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "a", "Message": "first"},
        {"Id": "b", "Message": "second", "Subject": "S"},
        {"Id": "c", "Message": json.dumps({"sqs": "no default"}), "MessageStructure": "json"},
    ])
    assert sorted(s["Id"] for s in result["Successful"]) == ["a", "b"]
    [failed] = result["Failed"]
    assert failed["Id"] == "c" and failed["Code"] == "InvalidParameter" and failed["SenderFault"] is True
    assert sorted(m["Body"] for m in receive_bodies(sqs, url, 2)) == ["first", "second"]


def test_publish_batch_whole_request_errors(sns, sns_unvalidated):
    topic = create_topic(sns)
    with raises_aws("EmptyBatchRequest"):
        sns_unvalidated.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[])
    with raises_aws("TooManyEntriesInBatchRequest"):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": str(i), "Message": "m"} for i in range(11)])
    with raises_aws("BatchEntryIdsNotDistinct"):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": "x", "Message": "m"}, {"Id": "x", "Message": "n"}])
    with raises_aws("InvalidBatchEntryId"):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": "bad id!", "Message": "m"}])
    with raises_aws("BatchRequestTooLong"):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
            {"Id": str(i), "Message": "x" * 100_000} for i in range(3)])
    with raises_aws("ParameterValueInvalid"):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
            {"Id": "ok", "Message": "m"},
            {"Id": "bad", "Message": "m", "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "abc"}}}])


def test_publish_batch_fifo_numbers_every_entry(sns, sqs):
    topic = create_topic(sns, fifo=True, ContentBasedDeduplication="true")
    url, _ = subscribe_queue(sns, sqs, topic, fifo=True, raw=True)
    result = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": str(i), "Message": f"m{i}", "MessageGroupId": "g"} for i in range(5)] + [{"Id": "nogroup", "Message": "x"}])
    assert [s["Id"] for s in result["Successful"]] == ["0", "1", "2", "3", "4"]
    assert [f["Id"] for f in result["Failed"]] == ["nogroup"]
    numbers = [int(s["SequenceNumber"]) for s in result["Successful"]]
    assert numbers == sorted(numbers) and len(set(numbers)) == 5
    bodies = []
    while len(bodies) < 5:
        bodies += [m["Body"] for m in receive_bodies(sqs, url, 1)]
    assert bodies == [f"m{i}" for i in range(5)]


def test_unsubscribed_queue_gets_nothing_more(sns, sqs):
    topic = create_topic(sns)
    url, sub = subscribe_queue(sns, sqs, topic, raw=True)
    sns.publish(TopicArn=topic, Message="before")
    receive_bodies(sqs, url, 1)
    sns.unsubscribe(SubscriptionArn=sub)
    other, _ = subscribe_queue(sns, sqs, topic, raw=True)
    sns.publish(TopicArn=topic, Message="after")
    receive_bodies(sqs, other, 1)
    receive_nothing(sqs, url)


# --- signatures ------------------------------------------------------------------------

def _string_to_sign(envelope: dict) -> bytes:
    if envelope["Type"] == "Notification":
        keys = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
    else:
        keys = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
    return "".join(f"{k}\n{envelope[k]}\n" for k in keys if k in envelope).encode()


@pytest.mark.parametrize("version", ["1", "2"])
def test_envelopes_verify_against_the_served_certificate(sns, sqs, version):
    import requests
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    topic = create_topic(sns, SignatureVersion=version) if version == "2" else create_topic(sns)
    url, _ = subscribe_queue(sns, sqs, topic)
    sns.publish(TopicArn=topic, Message="signed", Subject="S")
    [envelope] = envelopes(sqs, url, 1)
    assert envelope["SignatureVersion"] == version
    pem = requests.get(envelope["SigningCertURL"], timeout=10)
    assert pem.status_code == 200
    certificate = x509.load_pem_x509_certificate(pem.content)
    digest = hashes.SHA256() if version == "2" else hashes.SHA1()
    certificate.public_key().verify(base64.b64decode(envelope["Signature"]), _string_to_sign(envelope),
                                    padding.PKCS1v15(), digest)
