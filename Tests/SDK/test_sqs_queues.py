"""Queue lifecycle through boto3 (JSON protocol): creating, finding, listing and
deleting queues, and what happens when the queue is not there."""

import pytest

from support.sqs import DEFAULT_ACCOUNT, OTHER_ACCOUNT, queue_arn, raises_aws

NON_EXISTENT = "AWS.SimpleQueueService.NonExistentQueue"


# --- CreateQueue -----------------------------------------------------------------

def test_create_queue_returns_url_built_from_host_account_and_name(sqs, endpoint):
    response = sqs.create_queue(QueueName="orders")

    assert response["QueueUrl"] == f"{endpoint}/{DEFAULT_ACCOUNT}/orders"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert response["ResponseMetadata"]["RequestId"]


def test_queue_url_follows_the_host_the_client_used(client_factory, server, sqs):
    via_localhost = client_factory(endpoint=f"http://localhost:{server.port}")

    url = via_localhost.create_queue(QueueName="by-host")["QueueUrl"]

    assert url == f"http://localhost:{server.port}/{DEFAULT_ACCOUNT}/by-host"
    # The queue is the same queue whichever host name reaches it.
    sqs.send_message(QueueUrl=url, MessageBody="hello")
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "hello"


def test_queue_arn_names_region_account_and_queue(sqs, create_queue):
    url = create_queue(name="arn-check")

    assert queue_arn(sqs, url) == f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:arn-check"


def test_create_queue_twice_with_same_attributes_returns_the_same_url(sqs):
    first = sqs.create_queue(QueueName="twice", Attributes={"VisibilityTimeout": "45"})
    second = sqs.create_queue(QueueName="twice", Attributes={"VisibilityTimeout": "45"})

    assert first["QueueUrl"] == second["QueueUrl"]


def test_create_queue_with_different_attributes_raises_queue_already_exists(sqs):
    sqs.create_queue(QueueName="taken", Attributes={"DelaySeconds": "0"})

    with pytest.raises(sqs.exceptions.QueueNameExists) as info:
        sqs.create_queue(QueueName="taken", Attributes={"DelaySeconds": "5"})

    error = info.value.response["Error"]
    assert error["Code"] == "QueueAlreadyExists"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "DelaySeconds" in error["Message"]


@pytest.mark.parametrize("name", ["a" * 80, "Under_score-and-Dash-09", "x"])
def test_create_queue_accepts_valid_names(sqs, endpoint, name):
    assert sqs.create_queue(QueueName=name)["QueueUrl"] == f"{endpoint}/{DEFAULT_ACCOUNT}/{name}"


@pytest.mark.parametrize("name", ["a" * 81, "has space", "bad!char", "dot.name", "slash/name",
                                  "x.fifo"])
def test_create_queue_rejects_invalid_names(sqs, name):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.create_queue(QueueName=name)


def test_fifo_queue_name_must_end_with_fifo_suffix(sqs):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.create_queue(QueueName="plain-name", Attributes={"FifoQueue": "true"})


def test_fifo_queue_with_fifo_suffix_is_created(sqs, endpoint):
    url = sqs.create_queue(QueueName="jobs.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]

    assert url == f"{endpoint}/{DEFAULT_ACCOUNT}/jobs.fifo"


@pytest.mark.parametrize("attribute", ["NotAnAttribute", "ApproximateNumberOfMessages",
                                       "QueueArn"])
def test_create_queue_rejects_unknown_or_read_only_attribute_names(sqs, attribute):
    with raises_aws("InvalidAttributeName", status=400):
        sqs.create_queue(QueueName="bad-attrs", Attributes={attribute: "1"})


# --- GetQueueUrl -----------------------------------------------------------------

def test_get_queue_url_finds_queue_by_name(sqs, create_queue):
    url = create_queue(name="findme")

    assert sqs.get_queue_url(QueueName="findme")["QueueUrl"] == url


def test_get_queue_url_of_missing_queue_raises_queue_does_not_exist(sqs):
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as info:
        sqs.get_queue_url(QueueName="nowhere")

    response = info.value.response
    assert response["Error"]["Code"] == NON_EXISTENT
    assert response["Error"]["Message"] == "The specified queue does not exist."
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["RequestId"]


def test_queue_names_are_case_sensitive(sqs, create_queue):
    create_queue(name="CaseSensitive")

    with raises_aws(NON_EXISTENT):
        sqs.get_queue_url(QueueName="casesensitive")


def test_get_queue_url_with_owner_account_finds_another_accounts_queue(sqs, sqs_other_account):
    theirs = sqs_other_account.create_queue(QueueName="theirs")["QueueUrl"]

    found = sqs.get_queue_url(QueueName="theirs", QueueOwnerAWSAccountId=OTHER_ACCOUNT)

    assert found["QueueUrl"] == theirs
    assert f"/{OTHER_ACCOUNT}/theirs" in found["QueueUrl"]


# --- accounts --------------------------------------------------------------------

def test_twelve_digit_access_key_names_the_account(sqs, sqs_other_account, endpoint):
    url = sqs_other_account.create_queue(QueueName="shared-name")["QueueUrl"]

    assert url == f"{endpoint}/{OTHER_ACCOUNT}/shared-name"
    assert queue_arn(sqs_other_account, url) == \
        f"arn:aws:sqs:us-east-1:{OTHER_ACCOUNT}:shared-name"


def test_queues_of_another_account_are_invisible_to_the_default_account(
        sqs, sqs_other_account):
    sqs_other_account.create_queue(QueueName="private-queue")

    assert sqs.list_queues().get("QueueUrls", []) == []
    with raises_aws(NON_EXISTENT):
        sqs.get_queue_url(QueueName="private-queue")


def test_same_queue_name_in_two_accounts_is_two_queues(sqs, sqs_other_account):
    mine = sqs.create_queue(QueueName="same")["QueueUrl"]
    theirs = sqs_other_account.create_queue(QueueName="same")["QueueUrl"]
    assert mine != theirs
    assert f"/{DEFAULT_ACCOUNT}/same" in mine

    sqs.send_message(QueueUrl=mine, MessageBody="mine")

    assert sqs_other_account.receive_message(QueueUrl=theirs).get("Messages", []) == []
    assert sqs.receive_message(QueueUrl=mine)["Messages"][0]["Body"] == "mine"


# --- ListQueues ------------------------------------------------------------------

def test_list_queues_without_queues_returns_no_urls(sqs):
    response = sqs.list_queues()

    assert response.get("QueueUrls", []) == []
    assert "NextToken" not in response


def test_list_queues_returns_every_queue_of_the_account(sqs, create_queue):
    urls = {create_queue(name=f"all-{i}") for i in range(3)}

    response = sqs.list_queues()

    assert set(response["QueueUrls"]) == urls
    assert "NextToken" not in response


def test_list_queues_filters_by_name_prefix(sqs, create_queue):
    wanted = {create_queue(name="app-orders"), create_queue(name="app-invoices")}
    create_queue(name="other-app")
    create_queue(name="App-case")

    response = sqs.list_queues(QueueNamePrefix="app-")

    assert set(response["QueueUrls"]) == wanted


def test_list_queues_pages_with_max_results_and_next_token(sqs, create_queue):
    urls = {create_queue(name=f"page-{i}") for i in range(5)}

    seen, pages, token = [], [], None
    for _ in range(10):  # bounded: 5 queues in pages of 2 take 3 requests
        args = {"MaxResults": 2}
        if token:
            args["NextToken"] = token
        response = sqs.list_queues(**args)
        pages.append(len(response.get("QueueUrls", [])))
        seen.extend(response.get("QueueUrls", []))
        token = response.get("NextToken")
        if not token:
            break

    assert pages == [2, 2, 1]
    assert sorted(seen) == sorted(urls)


def test_list_queues_paginator_walks_all_pages(sqs, create_queue):
    urls = {create_queue(name=f"walk-{i}") for i in range(5)}

    pages = sqs.get_paginator("list_queues").paginate(PaginationConfig={"PageSize": 2})
    seen = [url for page in pages for url in page.get("QueueUrls", [])]

    assert sorted(seen) == sorted(urls)


def test_list_queues_combines_prefix_with_paging(sqs, create_queue):
    wanted = {create_queue(name=f"pre-{i}") for i in range(3)}
    for i in range(3):
        create_queue(name=f"nope-{i}")

    first = sqs.list_queues(QueueNamePrefix="pre-", MaxResults=2)
    second = sqs.list_queues(QueueNamePrefix="pre-", MaxResults=2, NextToken=first["NextToken"])

    assert set(first["QueueUrls"]) | set(second["QueueUrls"]) == wanted
    assert "NextToken" not in second


@pytest.mark.parametrize("max_results", [0, 1001])
def test_list_queues_rejects_max_results_out_of_range(sqs, max_results):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.list_queues(MaxResults=max_results)


# --- DeleteQueue -----------------------------------------------------------------

def test_delete_queue_removes_it(sqs, create_queue):
    url = create_queue(name="doomed")
    sqs.send_message(QueueUrl=url, MessageBody="left behind")

    sqs.delete_queue(QueueUrl=url)

    assert url not in sqs.list_queues().get("QueueUrls", [])
    with raises_aws(NON_EXISTENT):
        sqs.get_queue_url(QueueName="doomed")
    with raises_aws(NON_EXISTENT):
        sqs.receive_message(QueueUrl=url)


def test_delete_queue_of_missing_queue_raises_queue_does_not_exist(sqs, endpoint):
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.delete_queue(QueueUrl=f"{endpoint}/{DEFAULT_ACCOUNT}/never-was")


MISSING_QUEUE_CALLS = {
    "GetQueueAttributes": lambda c, u: c.get_queue_attributes(QueueUrl=u, AttributeNames=["All"]),
    "SetQueueAttributes": lambda c, u: c.set_queue_attributes(
        QueueUrl=u, Attributes={"VisibilityTimeout": "5"}),
    "SendMessage": lambda c, u: c.send_message(QueueUrl=u, MessageBody="x"),
    "SendMessageBatch": lambda c, u: c.send_message_batch(
        QueueUrl=u, Entries=[{"Id": "a", "MessageBody": "x"}]),
    "ReceiveMessage": lambda c, u: c.receive_message(QueueUrl=u),
    "DeleteMessage": lambda c, u: c.delete_message(QueueUrl=u, ReceiptHandle="handle"),
    "DeleteMessageBatch": lambda c, u: c.delete_message_batch(
        QueueUrl=u, Entries=[{"Id": "a", "ReceiptHandle": "handle"}]),
    "ChangeMessageVisibility": lambda c, u: c.change_message_visibility(
        QueueUrl=u, ReceiptHandle="handle", VisibilityTimeout=0),
    "ChangeMessageVisibilityBatch": lambda c, u: c.change_message_visibility_batch(
        QueueUrl=u, Entries=[{"Id": "a", "ReceiptHandle": "handle", "VisibilityTimeout": 0}]),
    "PurgeQueue": lambda c, u: c.purge_queue(QueueUrl=u),
    "DeleteQueue": lambda c, u: c.delete_queue(QueueUrl=u),
    "TagQueue": lambda c, u: c.tag_queue(QueueUrl=u, Tags={"k": "v"}),
    "UntagQueue": lambda c, u: c.untag_queue(QueueUrl=u, TagKeys=["k"]),
    "ListQueueTags": lambda c, u: c.list_queue_tags(QueueUrl=u),
    "ListDeadLetterSourceQueues": lambda c, u: c.list_dead_letter_source_queues(QueueUrl=u),
    "AddPermission": lambda c, u: c.add_permission(
        QueueUrl=u, Label="l", AWSAccountIds=[OTHER_ACCOUNT], Actions=["SendMessage"]),
    "RemovePermission": lambda c, u: c.remove_permission(QueueUrl=u, Label="l"),
}


@pytest.mark.parametrize("operation", sorted(MISSING_QUEUE_CALLS))
def test_operations_on_a_missing_queue_raise_queue_does_not_exist(sqs, endpoint, operation):
    missing = f"{endpoint}/{DEFAULT_ACCOUNT}/missing-queue"

    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as info:
        MISSING_QUEUE_CALLS[operation](sqs, missing)

    assert info.value.response["Error"]["Code"] == NON_EXISTENT
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
