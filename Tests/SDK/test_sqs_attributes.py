"""Queue attributes, tags and permissions through boto3."""

import json
import time

import pytest

from support.sqs import DEFAULT_ACCOUNT, OTHER_ACCOUNT, attribute, queue_arn, raises_aws

STANDARD_ALL = {
    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed",
    "ApproximateNumberOfMessagesNotVisible", "CreatedTimestamp", "DelaySeconds",
    "LastModifiedTimestamp", "MaximumMessageSize", "MessageRetentionPeriod", "QueueArn",
    "ReceiveMessageWaitTimeSeconds", "SqsManagedSseEnabled", "VisibilityTimeout",
}
FIFO_ALL = STANDARD_ALL | {"FifoQueue", "ContentBasedDeduplication", "DeduplicationScope",
                           "FifoThroughputLimit"}


def all_attributes(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]


# --- defaults --------------------------------------------------------------------

def test_standard_queue_reports_documented_defaults(sqs, create_queue):
    before = int(time.time())
    url = create_queue(name="defaults")

    attributes = all_attributes(sqs, url)

    assert set(attributes) == STANDARD_ALL
    assert attributes["VisibilityTimeout"] == "30"
    assert attributes["MaximumMessageSize"] == "1048576"
    assert attributes["MessageRetentionPeriod"] == "345600"
    assert attributes["DelaySeconds"] == "0"
    assert attributes["ReceiveMessageWaitTimeSeconds"] == "0"
    assert attributes["SqsManagedSseEnabled"] == "true"
    assert attributes["ApproximateNumberOfMessages"] == "0"
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "0"
    assert attributes["ApproximateNumberOfMessagesDelayed"] == "0"
    assert attributes["QueueArn"] == f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:defaults"
    # Queue timestamps are epoch seconds.
    created = int(attributes["CreatedTimestamp"])
    assert before - 5 <= created <= time.time() + 5
    assert int(attributes["LastModifiedTimestamp"]) >= created


def test_fifo_queue_reports_fifo_defaults(sqs, create_queue):
    url = create_queue(name="defaults.fifo", fifo=True)

    attributes = all_attributes(sqs, url)

    assert set(attributes) == FIFO_ALL
    assert attributes["FifoQueue"] == "true"
    assert attributes["ContentBasedDeduplication"] == "false"
    assert attributes["DeduplicationScope"] == "queue"
    assert attributes["FifoThroughputLimit"] == "perQueue"


def test_get_queue_attributes_returns_only_the_names_asked_for(sqs, queue_url):
    response = sqs.get_queue_attributes(QueueUrl=queue_url,
                                        AttributeNames=["VisibilityTimeout", "QueueArn"])

    assert set(response["Attributes"]) == {"VisibilityTimeout", "QueueArn"}


def test_get_queue_attributes_without_names_returns_no_attributes(sqs, queue_url):
    response = sqs.get_queue_attributes(QueueUrl=queue_url)

    assert response.get("Attributes", {}) == {}


def test_get_queue_attributes_rejects_unknown_names(sqs, queue_url):
    with raises_aws("InvalidAttributeName", status=400):
        sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["NoSuchAttribute"])


# --- create and set --------------------------------------------------------------

SETTABLE = {
    "VisibilityTimeout": "45",
    "MaximumMessageSize": "2048",
    "MessageRetentionPeriod": "86400",
    "DelaySeconds": "7",
    "ReceiveMessageWaitTimeSeconds": "3",
}


def test_create_queue_stores_the_attributes_given(sqs, create_queue):
    url = create_queue(**SETTABLE)

    attributes = all_attributes(sqs, url)

    assert {name: attributes[name] for name in SETTABLE} == SETTABLE


def test_set_queue_attributes_changes_them(sqs, queue_url):
    created = int(attribute(sqs, queue_url, "CreatedTimestamp"))

    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=SETTABLE)

    attributes = all_attributes(sqs, queue_url)
    assert {name: attributes[name] for name in SETTABLE} == SETTABLE
    assert int(attributes["CreatedTimestamp"]) == created
    assert int(attributes["LastModifiedTimestamp"]) >= created


def test_set_queue_attributes_leaves_other_attributes_alone(sqs, create_queue):
    url = create_queue(VisibilityTimeout=10, DelaySeconds=3)

    sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "4"})

    assert attribute(sqs, url, "VisibilityTimeout") == "10"
    assert attribute(sqs, url, "DelaySeconds") == "4"


OUT_OF_RANGE = [
    ("VisibilityTimeout", "43201"), ("VisibilityTimeout", "-1"), ("VisibilityTimeout", "abc"),
    ("DelaySeconds", "901"), ("MaximumMessageSize", "1023"), ("MaximumMessageSize", "1048577"),
    ("MessageRetentionPeriod", "59"), ("MessageRetentionPeriod", "1209601"),
    ("ReceiveMessageWaitTimeSeconds", "21"),
]


@pytest.mark.parametrize("name,value", OUT_OF_RANGE)
def test_create_queue_rejects_attribute_values_out_of_range(sqs, name, value):
    with raises_aws("InvalidAttributeValue", status=400):
        sqs.create_queue(QueueName="out-of-range", Attributes={name: value})


@pytest.mark.parametrize("name,value", OUT_OF_RANGE)
def test_set_queue_attributes_rejects_values_out_of_range(sqs, queue_url, name, value):
    with raises_aws("InvalidAttributeValue", status=400):
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={name: value})

    assert attribute(sqs, queue_url, name) == {
        "VisibilityTimeout": "30", "DelaySeconds": "0", "MaximumMessageSize": "1048576",
        "MessageRetentionPeriod": "345600", "ReceiveMessageWaitTimeSeconds": "0"}[name]


@pytest.mark.parametrize("name", ["NoSuchAttribute", "QueueArn", "CreatedTimestamp"])
def test_set_queue_attributes_rejects_unknown_or_read_only_names(sqs, queue_url, name):
    with raises_aws("InvalidAttributeName", status=400):
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={name: "1"})


def test_fifo_queue_attribute_cannot_be_set_on_a_standard_queue(sqs, queue_url):
    with raises_aws("InvalidAttributeName", status=400):
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"FifoQueue": "true"})


def test_queue_type_of_a_fifo_queue_cannot_be_changed(sqs, fifo_queue_url):
    with raises_aws("InvalidAttributeValue", status=400):
        sqs.set_queue_attributes(QueueUrl=fifo_queue_url, Attributes={"FifoQueue": "false"})


def test_content_based_deduplication_can_be_switched_on_a_fifo_queue(sqs, fifo_queue_url):
    sqs.set_queue_attributes(QueueUrl=fifo_queue_url,
                             Attributes={"ContentBasedDeduplication": "true"})

    assert attribute(sqs, fifo_queue_url, "ContentBasedDeduplication") == "true"


# --- approximate counts ----------------------------------------------------------

def test_approximate_counts_track_visible_in_flight_and_delayed_messages(sqs, queue_url):
    for body in ("one", "two", "three"):
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    sqs.send_message(QueueUrl=queue_url, MessageBody="later", DelaySeconds=120)
    sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1)

    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed"])["Attributes"]

    assert attributes == {"ApproximateNumberOfMessages": "2",
                          "ApproximateNumberOfMessagesNotVisible": "1",
                          "ApproximateNumberOfMessagesDelayed": "1"}


# --- policies and encryption -----------------------------------------------------

def test_policy_attribute_round_trips(sqs, queue_url):
    arn = queue_arn(sqs, queue_url)
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "AllowTopic", "Effect": "Allow", "Principal": {"AWS": "*"},
                       "Action": "sqs:SendMessage", "Resource": arn,
                       "Condition": {"ArnEquals": {"aws:SourceArn":
                                                   "arn:aws:sns:us-east-1:000000000000:t"}}}],
    }

    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy)})

    assert json.loads(attribute(sqs, queue_url, "Policy")) == policy


def test_empty_policy_removes_the_policy(sqs, queue_url):
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "*"}]}
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy)})

    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": ""})

    response = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"])
    assert response.get("Attributes", {}).get("Policy", "") == ""


def test_kms_attributes_round_trip(sqs, create_queue):
    url = create_queue(KmsMasterKeyId="alias/aws/sqs", KmsDataKeyReusePeriodSeconds=600)

    attributes = all_attributes(sqs, url)

    assert attributes["KmsMasterKeyId"] == "alias/aws/sqs"
    assert attributes["KmsDataKeyReusePeriodSeconds"] == "600"
    assert attributes["SqsManagedSseEnabled"] == "false"


def test_kms_key_alone_implies_the_default_data_key_reuse_period(sqs, create_queue):
    url = create_queue(KmsMasterKeyId="alias/aws/sqs")

    attributes = all_attributes(sqs, url)

    assert attributes["KmsDataKeyReusePeriodSeconds"] == "300"
    assert attributes["SqsManagedSseEnabled"] == "false"


def test_kms_and_sqs_managed_encryption_are_mutually_exclusive(sqs, queue_url):
    with raises_aws("InvalidAttributeName", status=400):
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={
            "KmsMasterKeyId": "alias/aws/sqs", "SqsManagedSseEnabled": "true"})


def test_sqs_managed_encryption_can_be_switched_off(sqs, queue_url):
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"SqsManagedSseEnabled": "false"})

    assert attribute(sqs, queue_url, "SqsManagedSseEnabled") == "false"


# --- tags ------------------------------------------------------------------------

def test_create_queue_with_tags(sqs, create_queue):
    url = create_queue(tags={"team": "payments", "env": "test"})

    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "payments", "env": "test"}


def test_untagged_queue_lists_no_tags(sqs, queue_url):
    assert sqs.list_queue_tags(QueueUrl=queue_url).get("Tags", {}) == {}


def test_tag_queue_adds_and_overwrites_tags(sqs, create_queue):
    url = create_queue(tags={"team": "payments"})

    sqs.tag_queue(QueueUrl=url, Tags={"team": "billing", "cost-center": "42", "empty": ""})

    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {
        "team": "billing", "cost-center": "42", "empty": ""}


def test_untag_queue_removes_only_the_keys_given(sqs, create_queue):
    url = create_queue(tags={"a": "1", "b": "2", "c": "3"})

    sqs.untag_queue(QueueUrl=url, TagKeys=["a", "c", "not-there"])

    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"b": "2"}
    sqs.untag_queue(QueueUrl=url, TagKeys=["b"])
    assert sqs.list_queue_tags(QueueUrl=url).get("Tags", {}) == {}


# --- permissions -----------------------------------------------------------------

def policy_of(sqs, url):
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])
    raw = attributes.get("Attributes", {}).get("Policy")
    return json.loads(raw) if raw else None


def as_list(value):
    return value if isinstance(value, list) else [value]


def test_add_permission_creates_the_default_policy_document(sqs, create_queue):
    url = create_queue(name="default-policy")
    arn = queue_arn(sqs, url)

    sqs.add_permission(QueueUrl=url, Label="PartnerSend", AWSAccountIds=["111122223333"],
                       Actions=["SendMessage"])

    policy = policy_of(sqs, url)
    assert policy["Id"] == f"{arn}/SQSDefaultPolicy"
    assert policy["Version"] == "2008-10-17"  # what SQS writes, not 2012-10-17


def test_add_permission_writes_a_statement_into_the_policy(sqs, create_queue):
    url = create_queue(name="shared-with-partner")
    arn = queue_arn(sqs, url)

    sqs.add_permission(QueueUrl=url, Label="PartnerSend", AWSAccountIds=["111122223333"],
                       Actions=["SendMessage"])

    assert policy_of(sqs, url)["Statement"] == [{
        "Sid": "PartnerSend",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "SQS:SendMessage",
        "Resource": arn,
    }]


def test_add_permission_with_several_accounts_and_actions(sqs, queue_url):
    sqs.add_permission(QueueUrl=queue_url, Label="Many",
                       AWSAccountIds=["111122223333", OTHER_ACCOUNT],
                       Actions=["SendMessage", "ReceiveMessage"])

    [statement] = policy_of(sqs, queue_url)["Statement"]
    assert sorted(as_list(statement["Principal"]["AWS"])) == [
        f"arn:aws:iam::{OTHER_ACCOUNT}:root", "arn:aws:iam::111122223333:root"]
    assert sorted(as_list(statement["Action"])) == ["SQS:ReceiveMessage", "SQS:SendMessage"]


def test_add_permission_with_an_existing_label_is_rejected(sqs, queue_url):
    sqs.add_permission(QueueUrl=queue_url, Label="Once", AWSAccountIds=[OTHER_ACCOUNT],
                       Actions=["ReceiveMessage"])

    with raises_aws("InvalidParameterValue", status=400):
        sqs.add_permission(QueueUrl=queue_url, Label="Once", AWSAccountIds=["111122223333"],
                           Actions=["ReceiveMessage"])


def test_remove_permission_deletes_only_that_statement(sqs, queue_url):
    for label in ("First", "Second"):
        sqs.add_permission(QueueUrl=queue_url, Label=label, AWSAccountIds=[OTHER_ACCOUNT],
                           Actions=["ReceiveMessage"])

    sqs.remove_permission(QueueUrl=queue_url, Label="First")

    assert [s["Sid"] for s in policy_of(sqs, queue_url)["Statement"]] == ["Second"]


def test_removing_the_last_permission_removes_the_policy(sqs, queue_url):
    sqs.add_permission(QueueUrl=queue_url, Label="Only", AWSAccountIds=[OTHER_ACCOUNT],
                       Actions=["SendMessage"])

    sqs.remove_permission(QueueUrl=queue_url, Label="Only")

    assert policy_of(sqs, queue_url) is None


def test_remove_permission_with_unknown_label_is_rejected(sqs, queue_url):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.remove_permission(QueueUrl=queue_url, Label="NeverAdded")
