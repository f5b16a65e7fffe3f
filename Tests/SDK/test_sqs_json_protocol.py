"""The awsJson1_0 wire format itself, below boto3: headers, error shapes, routing."""

import pytest

from support.sqs import DEFAULT_ACCOUNT, JSON_CONTENT_TYPE, json_call, json_error_code


def test_success_response_is_amz_json_with_request_id(endpoint):
    response = json_call(endpoint, "CreateQueue", {"QueueName": "wire"})

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(JSON_CONTENT_TYPE)
    assert response.headers["x-amzn-RequestId"]
    assert response.json() == {"QueueUrl": f"{endpoint}/{DEFAULT_ACCOUNT}/wire"}


def test_request_ids_differ_between_requests(endpoint):
    ids = {json_call(endpoint, "ListQueues", {}).headers["x-amzn-RequestId"] for _ in range(5)}

    assert len(ids) == 5


def test_error_carries_type_message_and_query_compatible_code(endpoint):
    response = json_call(endpoint, "GetQueueUrl", {"QueueName": "absent"})

    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith(JSON_CONTENT_TYPE)
    assert response.headers["x-amzn-RequestId"]
    assert response.headers["x-amzn-query-error"] == \
        "AWS.SimpleQueueService.NonExistentQueue;Sender"
    body = response.json()
    assert body["__type"].rsplit("#", 1)[-1] == "QueueDoesNotExist"
    assert body["message"] == "The specified queue does not exist."


def test_boto3_error_exposes_request_id_and_sender_type(sqs):
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as info:
        sqs.get_queue_url(QueueName="absent")

    assert info.value.response["ResponseMetadata"]["RequestId"]
    assert info.value.response["Error"]["Type"] == "Sender"
    assert info.value.response["Error"]["QueryErrorCode"] == "QueueDoesNotExist"


def test_unknown_operation_is_unknown_operation_exception(endpoint):
    response = json_call(endpoint, "MakeCoffee", {})

    assert response.status_code == 400
    assert response.json()["__type"].rsplit("#", 1)[-1] == "UnknownOperationException"


def test_empty_json_object_is_accepted_for_operations_without_required_input(endpoint):
    response = json_call(endpoint, "ListQueues", b"{}")

    assert response.status_code == 200
    assert response.json().get("QueueUrls", []) == []


def test_missing_required_parameter_is_missing_parameter(endpoint):
    response = json_call(endpoint, "CreateQueue", {})

    assert response.status_code == 400
    assert json_error_code(response) == "MissingParameter"


def test_queue_url_may_be_used_with_a_different_host_spelling(endpoint, server, sqs):
    url = sqs.create_queue(QueueName="spelled")["QueueUrl"]
    other_spelling = url.replace("127.0.0.1", "localhost")

    response = json_call(endpoint, "SendMessage", {"QueueUrl": other_spelling,
                                                   "MessageBody": "hi"})

    assert response.status_code == 200
