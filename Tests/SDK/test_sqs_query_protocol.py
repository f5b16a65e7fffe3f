"""The legacy awsQuery protocol (form-encoded `Action=…&Version=2012-11-05`, XML
responses), which older SDKs still send. Every operation is exercised by hand, and
results are cross-checked through boto3's JSON protocol where that proves more."""

import base64
import json

import pytest

from support.query import (
    NAMESPACE, QueryClient, attribute_params, batch_params, list_params,
    message_attribute_params, message_attributes_of, name_value_map, tag_params,
)
from support.sqs import DEFAULT_ACCOUNT, OTHER_ACCOUNT, md5_hex, md5_of_attributes, peek, \
    queue_arn, wait_until

NON_EXISTENT = "AWS.SimpleQueueService.NonExistentQueue"


@pytest.fixture
def url(query):
    return query.ok("CreateQueue", {"QueueName": "legacy"}).text_of("CreateQueueResult/QueueUrl")


def messages_of(response):
    return response.findall("ReceiveMessageResult/Message")


# --- response envelope -----------------------------------------------------------

def test_create_queue_answers_with_namespaced_xml_and_request_id(query, endpoint):
    response = query.call("CreateQueue", {"QueueName": "envelope"})

    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    assert response.namespace == NAMESPACE
    assert response.root.tag == "CreateQueueResponse"
    assert response.text_of("CreateQueueResult/QueueUrl") == \
        f"{endpoint}/{DEFAULT_ACCOUNT}/envelope"
    assert response.request_id
    assert response.headers["x-amzn-RequestId"] == response.request_id


def test_actions_without_result_still_carry_response_metadata(query, url):
    response = query.ok("SetQueueAttributes", {"QueueUrl": url,
                                               **attribute_params({"DelaySeconds": "1"})})

    assert [child.tag for child in response.root] == ["ResponseMetadata"]
    assert response.request_id


def test_error_response_has_type_code_message_detail_and_request_id(query, endpoint):
    response = query.call("GetQueueUrl", {"QueueName": "nowhere"})

    assert response.status == 400
    assert response.headers["Content-Type"].startswith("text/xml")
    assert response.root.tag == "ErrorResponse"
    error = response.find("Error")
    assert error.findtext("Type") == "Sender"
    assert error.findtext("Code") == NON_EXISTENT
    assert error.findtext("Message")
    assert error.find("Detail") is not None
    assert response.text_of("RequestId")
    assert response.headers["x-amzn-RequestId"] == response.text_of("RequestId")


def test_unknown_action_is_invalid_action(query):
    response = query.error("MakeCoffee", {}, "InvalidAction", status=400)

    assert response.find("Error").findtext("Type") == "Sender"


def test_missing_required_parameter_is_missing_parameter(query):
    query.error("CreateQueue", {}, "MissingParameter", status=400)


def test_get_request_with_query_string_works_too(query, url):
    response = query.ok("GetQueueUrl", {"QueueName": "legacy"}, method="GET")

    assert response.text_of("GetQueueUrlResult/QueueUrl") == url


def test_request_sent_to_the_queue_url_path_targets_that_queue(query, url, endpoint, sqs):
    # The AWS Java SDK v1 posts to the queue URL itself, without a QueueUrl field.
    path = url[len(endpoint):]

    query.ok("SendMessage", {"MessageBody": "via path"}, path=path)

    assert [m["Body"] for m in peek(endpoint, url)] == ["via path"]


def test_twelve_digit_access_key_names_the_account(endpoint):
    other = QueryClient(endpoint, access_key=OTHER_ACCOUNT)

    response = other.ok("CreateQueue", {"QueueName": "theirs"})

    assert response.text_of("CreateQueueResult/QueueUrl") == f"{endpoint}/{OTHER_ACCOUNT}/theirs"


# --- queues ----------------------------------------------------------------------

def test_create_queue_with_attributes_and_tags(query, sqs):
    response = query.ok("CreateQueue", {
        "QueueName": "configured",
        **attribute_params({"VisibilityTimeout": "45", "DelaySeconds": "2"}),
        **tag_params({"team": "payments", "env": "test"}),
    })
    url = response.text_of("CreateQueueResult/QueueUrl")

    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (attributes["VisibilityTimeout"], attributes["DelaySeconds"]) == ("45", "2")
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "payments", "env": "test"}


def test_create_queue_with_different_attributes_is_queue_already_exists(query):
    query.ok("CreateQueue", {"QueueName": "dup", **attribute_params({"DelaySeconds": "1"})})

    query.error("CreateQueue", {"QueueName": "dup", **attribute_params({"DelaySeconds": "2"})},
                "QueueAlreadyExists", status=400)


def test_get_queue_url_and_owner_account(query, endpoint):
    QueryClient(endpoint, access_key=OTHER_ACCOUNT).ok("CreateQueue", {"QueueName": "owned"})

    response = query.ok("GetQueueUrl", {"QueueName": "owned",
                                        "QueueOwnerAWSAccountId": OTHER_ACCOUNT})

    assert response.text_of("GetQueueUrlResult/QueueUrl") == f"{endpoint}/{OTHER_ACCOUNT}/owned"
    query.error("GetQueueUrl", {"QueueName": "owned"}, NON_EXISTENT, status=400)


def test_list_queues_with_prefix_and_pages(query):
    urls = {query.ok("CreateQueue", {"QueueName": f"listed-{i}"})
            .text_of("CreateQueueResult/QueueUrl") for i in range(3)}
    query.ok("CreateQueue", {"QueueName": "other"})

    first = query.ok("ListQueues", {"QueueNamePrefix": "listed-", "MaxResults": "2"})
    token = first.text_of("ListQueuesResult/NextToken")
    second = query.ok("ListQueues", {"QueueNamePrefix": "listed-", "MaxResults": "2",
                                     "NextToken": token})

    first_urls = [e.text for e in first.findall("ListQueuesResult/QueueUrl")]
    second_urls = [e.text for e in second.findall("ListQueuesResult/QueueUrl")]
    assert len(first_urls) == 2 and token
    assert set(first_urls) | set(second_urls) == urls
    assert not second.text_of("ListQueuesResult/NextToken")


def test_get_queue_attributes_all_and_by_name(query, url):
    everything = name_value_map(query.ok("GetQueueAttributes", {
        "QueueUrl": url, **list_params("AttributeName", ["All"])}).result)
    selected = name_value_map(query.ok("GetQueueAttributes", {
        "QueueUrl": url,
        **list_params("AttributeName", ["VisibilityTimeout", "QueueArn"])}).result)

    assert everything["QueueArn"] == f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:legacy"
    assert everything["VisibilityTimeout"] == "30"
    assert "ApproximateNumberOfMessages" in everything
    assert selected == {"VisibilityTimeout": "30", "QueueArn": everything["QueueArn"]}


def test_set_queue_attributes_with_several_attributes(query, url):
    query.ok("SetQueueAttributes", {"QueueUrl": url, **attribute_params(
        {"VisibilityTimeout": "60", "MaximumMessageSize": "4096"})})

    stored = name_value_map(query.ok("GetQueueAttributes", {
        "QueueUrl": url,
        **list_params("AttributeName", ["VisibilityTimeout", "MaximumMessageSize"])}).result)
    assert stored == {"VisibilityTimeout": "60", "MaximumMessageSize": "4096"}


def test_invalid_attribute_name_error(query, url):
    query.error("GetQueueAttributes", {"QueueUrl": url,
                                       **list_params("AttributeName", ["Bogus"])},
                "InvalidAttributeName", status=400)


def test_delete_queue(query, url):
    query.ok("DeleteQueue", {"QueueUrl": url})

    query.error("GetQueueUrl", {"QueueName": "legacy"}, NON_EXISTENT, status=400)
    query.error("SendMessage", {"QueueUrl": url, "MessageBody": "x"}, NON_EXISTENT, status=400)


# --- messages --------------------------------------------------------------------

ATTRIBUTES = {
    "text": {"DataType": "String", "StringValue": "héllo & <goodbye>"},
    "count": {"DataType": "Number", "StringValue": "12.5"},
    "blob": {"DataType": "Binary", "BinaryValue": b"\x00\xffbinary\n"},
    "custom": {"DataType": "String.custom", "StringValue": "x"},
}


def test_send_message_with_attributes_reports_both_md5s(query, url):
    response = query.ok("SendMessage", {"QueueUrl": url, "MessageBody": "with attributes",
                                        **message_attribute_params(ATTRIBUTES)})

    result = response.result
    assert result.findtext("MessageId")
    assert result.findtext("MD5OfMessageBody") == md5_hex("with attributes")
    assert result.findtext("MD5OfMessageAttributes") == md5_of_attributes(ATTRIBUTES)


def test_receive_message_returns_attributes_and_system_attributes(query, url):
    sent = query.ok("SendMessage", {"QueueUrl": url, "MessageBody": "full",
                                    **message_attribute_params(ATTRIBUTES)})

    response = query.ok("ReceiveMessage", {
        "QueueUrl": url, **list_params("AttributeName", ["All"]),
        **list_params("MessageAttributeName", ["All"])})

    [message] = messages_of(response)
    assert message.findtext("MessageId") == sent.result.findtext("MessageId")
    assert message.findtext("Body") == "full"
    assert message.findtext("MD5OfBody") == md5_hex("full")
    assert message.findtext("ReceiptHandle")
    system = name_value_map(message)
    assert {"SenderId", "SentTimestamp", "ApproximateReceiveCount",
            "ApproximateFirstReceiveTimestamp"} <= set(system)
    assert system["ApproximateReceiveCount"] == "1"
    assert message_attributes_of(message) == ATTRIBUTES
    assert message.findtext("MD5OfMessageAttributes") == md5_of_attributes(ATTRIBUTES)


def test_receive_with_message_system_attribute_names_and_prefix_filter(query, url):
    query.ok("SendMessage", {"QueueUrl": url, "MessageBody": "filtered",
                             **message_attribute_params({
                                 "foo.a": {"DataType": "String", "StringValue": "1"},
                                 "bar": {"DataType": "String", "StringValue": "2"}})})

    response = query.ok("ReceiveMessage", {
        "QueueUrl": url, **list_params("MessageSystemAttributeName", ["SentTimestamp"]),
        **list_params("MessageAttributeName", ["foo.*"])})

    [message] = messages_of(response)
    assert set(name_value_map(message)) == {"SentTimestamp"}
    assert set(message_attributes_of(message)) == {"foo.a"}


def test_receive_options_max_number_visibility_and_wait(query, url):
    for i in range(3):
        query.ok("SendMessage", {"QueueUrl": url, "MessageBody": f"m{i}"})

    response = query.ok("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": "2",
                                           "VisibilityTimeout": "0", "WaitTimeSeconds": "1"})

    assert 1 <= len(messages_of(response)) <= 2


def test_empty_receive_has_an_empty_result_element(query, url):
    response = query.ok("ReceiveMessage", {"QueueUrl": url})

    assert response.find("ReceiveMessageResult") is not None
    assert messages_of(response) == []


def test_aws_trace_header_as_message_system_attribute(query, url):
    trace = {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-abc;Sampled=1"}}

    response = query.ok("SendMessage", {
        "QueueUrl": url, "MessageBody": "traced",
        **message_attribute_params(trace, prefix="MessageSystemAttribute")})

    assert response.result.findtext("MD5OfMessageSystemAttributes") == md5_of_attributes(trace)


def test_fifo_send_returns_sequence_number(query):
    url = query.ok("CreateQueue", {"QueueName": "legacy.fifo", **attribute_params(
        {"FifoQueue": "true"})}).text_of("CreateQueueResult/QueueUrl")

    response = query.ok("SendMessage", {"QueueUrl": url, "MessageBody": "ordered",
                                        "MessageGroupId": "g", "MessageDeduplicationId": "d"})

    assert response.result.findtext("SequenceNumber").isdigit()


def test_invalid_message_contents_error(query, url):
    query.error("SendMessage", {"QueueUrl": url, "MessageBody": "bad \u0001"},
                "InvalidMessageContents", status=400)


def test_delete_message_and_invalid_receipt_handle(query, url, endpoint):
    query.ok("SendMessage", {"QueueUrl": url, "MessageBody": "delete me"})
    [message] = messages_of(query.ok("ReceiveMessage", {"QueueUrl": url}))

    query.ok("DeleteMessage", {"QueueUrl": url,
                               "ReceiptHandle": message.findtext("ReceiptHandle")})

    assert peek(endpoint, url) == []
    query.error("DeleteMessage", {"QueueUrl": url, "ReceiptHandle": "garbage"},
                "ReceiptHandleIsInvalid", status=None)


def test_change_message_visibility(query, url):
    query.ok("SendMessage", {"QueueUrl": url, "MessageBody": "again"})
    [message] = messages_of(query.ok("ReceiveMessage", {"QueueUrl": url}))

    query.ok("ChangeMessageVisibility", {"QueueUrl": url, "VisibilityTimeout": "0",
                                         "ReceiptHandle": message.findtext("ReceiptHandle")})

    [again] = messages_of(query.ok("ReceiveMessage", {"QueueUrl": url}))
    assert again.findtext("Body") == "again"


def test_purge_queue(query, url, endpoint):
    query.ok("SendMessage", {"QueueUrl": url, "MessageBody": "purged"})

    query.ok("PurgeQueue", {"QueueUrl": url})

    wait_until(lambda: peek(endpoint, url) == [], message="purge")
    query.error("PurgeQueue", {"QueueUrl": url},
                "AWS.SimpleQueueService.PurgeQueueInProgress", status=403)


# --- batches ---------------------------------------------------------------------

def test_send_message_batch_with_attributes_and_a_failed_entry(query, url, endpoint):
    attributes = {"k": {"DataType": "String", "StringValue": "v"}}
    response = query.ok("SendMessageBatch", {"QueueUrl": url, **batch_params(
        "SendMessageBatchRequestEntry", [
            {"Id": "one", "MessageBody": "first", "MessageAttributes": attributes},
            {"Id": "two", "MessageBody": "second", "DelaySeconds": "0"},
            {"Id": "bad", "MessageBody": "nul \u0000"},
        ])})

    ok = {e.findtext("Id"): e for e in response.findall(
        "SendMessageBatchResult/SendMessageBatchResultEntry")}
    assert set(ok) == {"one", "two"}
    assert ok["one"].findtext("MD5OfMessageBody") == md5_hex("first")
    assert ok["one"].findtext("MD5OfMessageAttributes") == md5_of_attributes(attributes)
    assert ok["two"].findtext("MessageId")
    [failed] = response.findall("SendMessageBatchResult/BatchResultErrorEntry")
    assert failed.findtext("Id") == "bad"
    assert failed.findtext("Code") == "InvalidMessageContents"
    assert failed.findtext("SenderFault") == "true"
    assert sorted(m["Body"] for m in peek(endpoint, url)) == ["first", "second"]


def test_delete_and_change_visibility_batches(query, url, endpoint):
    for i in range(2):
        query.ok("SendMessage", {"QueueUrl": url, "MessageBody": f"m{i}"})
    handles = []
    for _ in range(10):
        response = query.ok("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": "10"})
        handles += [m.findtext("ReceiptHandle") for m in messages_of(response)]
        if len(handles) == 2:
            break

    changed = query.ok("ChangeMessageVisibilityBatch", {"QueueUrl": url, **batch_params(
        "ChangeMessageVisibilityBatchRequestEntry", [
            {"Id": "c0", "ReceiptHandle": handles[0], "VisibilityTimeout": "60"},
            {"Id": "bad", "ReceiptHandle": "garbage", "VisibilityTimeout": "60"},
        ])})
    assert [e.findtext("Id") for e in changed.findall(
        "ChangeMessageVisibilityBatchResult/ChangeMessageVisibilityBatchResultEntry")] == ["c0"]
    assert [e.findtext("Code") for e in changed.findall(
        "ChangeMessageVisibilityBatchResult/BatchResultErrorEntry")] == ["ReceiptHandleIsInvalid"]

    deleted = query.ok("DeleteMessageBatch", {"QueueUrl": url, **batch_params(
        "DeleteMessageBatchRequestEntry",
        [{"Id": f"d{i}", "ReceiptHandle": h} for i, h in enumerate(handles)])})
    assert sorted(e.findtext("Id") for e in deleted.findall(
        "DeleteMessageBatchResult/DeleteMessageBatchResultEntry")) == ["d0", "d1"]
    assert peek(endpoint, url) == []


@pytest.mark.parametrize("entries,code", [
    ([], "AWS.SimpleQueueService.EmptyBatchRequest"),
    ([{"Id": f"e{i}", "MessageBody": "b"} for i in range(11)],
     "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"),
    ([{"Id": "same", "MessageBody": "b"}, {"Id": "same", "MessageBody": "c"}],
     "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"),
    ([{"Id": "not valid!", "MessageBody": "b"}], "AWS.SimpleQueueService.InvalidBatchEntryId"),
    ([{"Id": f"e{i}", "MessageBody": "x" * 110_000} for i in range(10)],
     "AWS.SimpleQueueService.BatchRequestTooLong"),
])
def test_batch_errors(query, url, entries, code):
    query.error("SendMessageBatch", {"QueueUrl": url,
                                     **batch_params("SendMessageBatchRequestEntry", entries)},
                code, status=400)


# --- tags, permissions, dead letters, move tasks ---------------------------------

def test_tag_list_and_untag_queue(query, url):
    query.ok("TagQueue", {"QueueUrl": url, **tag_params({"a": "1", "b": "2", "c": "3"})})
    query.ok("UntagQueue", {"QueueUrl": url, **list_params("TagKey", ["b"])})

    response = query.ok("ListQueueTags", {"QueueUrl": url})

    assert name_value_map(response.result, tag="Tag", key="Key") == {"a": "1", "c": "3"}


def test_add_and_remove_permission(query, url, sqs):
    query.ok("AddPermission", {"QueueUrl": url, "Label": "Partner",
                               **list_params("AWSAccountId", [OTHER_ACCOUNT]),
                               **list_params("ActionName", ["SendMessage", "ReceiveMessage"])})

    policy = json.loads(sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["Policy"])["Attributes"]["Policy"])
    [statement] = policy["Statement"]
    assert statement["Sid"] == "Partner"
    assert sorted(statement["Action"]) == ["SQS:ReceiveMessage", "SQS:SendMessage"]

    query.ok("RemovePermission", {"QueueUrl": url, "Label": "Partner"})
    query.error("RemovePermission", {"QueueUrl": url, "Label": "Partner"},
                "InvalidParameterValue", status=400)


def test_dead_letter_sources_and_move_task(query, sqs, endpoint):
    dlq = query.ok("CreateQueue", {"QueueName": "legacy-dlq"}).text_of(
        "CreateQueueResult/QueueUrl")
    dlq_arn = queue_arn(sqs, dlq)
    source = query.ok("CreateQueue", {"QueueName": "legacy-source", **attribute_params({
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})})
    }).text_of("CreateQueueResult/QueueUrl")

    sources = query.ok("ListDeadLetterSourceQueues", {"QueueUrl": dlq})
    assert [e.text for e in sources.findall("ListDeadLetterSourceQueuesResult/QueueUrl")] == \
        [source]

    query.ok("SendMessage", {"QueueUrl": source, "MessageBody": "poison"})

    def moved():
        query.ok("ReceiveMessage", {"QueueUrl": source, "VisibilityTimeout": "0"})
        return len(peek(endpoint, dlq)) == 1
    wait_until(moved, timeout=5, message="message in the DLQ")

    handle = query.ok("StartMessageMoveTask", {"SourceArn": dlq_arn}).text_of(
        "StartMessageMoveTaskResult/TaskHandle")
    assert handle

    def completed():
        listed = query.ok("ListMessageMoveTasks", {"SourceArn": dlq_arn, "MaxResults": "10"})
        entries = listed.findall("ListMessageMoveTasksResult/ListMessageMoveTasksResultEntry")
        return entries and entries[0].findtext("Status") == "COMPLETED" and entries[0]
    entry = wait_until(completed, timeout=10, message="move task completion")
    assert entry.findtext("SourceArn") == dlq_arn
    assert entry.findtext("ApproximateNumberOfMessagesMoved") == "1"
    assert [m["Body"] for m in peek(endpoint, source)] == ["poison"]


def test_move_task_errors(query):
    query.error("ListMessageMoveTasks",
                {"SourceArn": f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:missing"},
                "ResourceNotFoundException", status=404)
    query.error("StartMessageMoveTask",
                {"SourceArn": f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:missing"},
                "ResourceNotFoundException", status=404)
    query.error("CancelMessageMoveTask", {"TaskHandle": "foobared"}, "InvalidParameterValue",
                status=400)


def test_cancel_message_move_task(query, sqs, endpoint):
    dlq = query.ok("CreateQueue", {"QueueName": "cancel-dlq"}).text_of(
        "CreateQueueResult/QueueUrl")
    dlq_arn = queue_arn(sqs, dlq)
    source = sqs.create_queue(QueueName="cancel-source", Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})})["QueueUrl"]
    for i in range(5):
        sqs.send_message(QueueUrl=source, MessageBody=f"m{i}")

    def moved():
        sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10, VisibilityTimeout=0)
        return len(peek(endpoint, dlq)) == 5
    wait_until(moved, timeout=10, message="messages in the DLQ")

    handle = query.ok("StartMessageMoveTask", {
        "SourceArn": dlq_arn, "MaxNumberOfMessagesPerSecond": "1"}).text_of(
        "StartMessageMoveTaskResult/TaskHandle")
    response = query.ok("CancelMessageMoveTask", {"TaskHandle": handle})

    assert response.text_of("CancelMessageMoveTaskResult/ApproximateNumberOfMessagesMoved") \
        .isdigit()


def test_binary_attribute_sent_by_query_reads_back_through_json(query, url, sqs):
    payload = bytes(range(256))
    query.ok("SendMessage", {"QueueUrl": url, "MessageBody": "binary", **message_attribute_params(
        {"bytes": {"DataType": "Binary", "BinaryValue": payload}})})

    [message] = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"]

    assert message["MessageAttributes"]["bytes"] == {"DataType": "Binary", "BinaryValue": payload}


def test_message_sent_by_json_reads_back_through_query(query, url, sqs):
    sqs.send_message(QueueUrl=url, MessageBody="from json", MessageAttributes={
        "b": {"DataType": "Binary", "BinaryValue": b"\x01\x02"}})

    [message] = messages_of(query.ok("ReceiveMessage", {
        "QueueUrl": url, **list_params("MessageAttributeName", ["All"])}))

    assert message.findtext("Body") == "from json"
    value = message.find("MessageAttribute/Value/BinaryValue").text
    assert base64.b64decode(value) == b"\x01\x02"
