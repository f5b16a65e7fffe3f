"""Dead-letter queues: redrive policies, maxReceiveCount, ListDeadLetterSourceQueues
and message move tasks (redriving messages out of a DLQ)."""

import json

import pytest

from support.sqs import (
    DEFAULT_ACCOUNT, attribute, peek, queue_arn, raises_aws, receive_all, receive_nothing,
    wait_until,
)


def redrive(dlq_arn, max_receive_count=2):
    return json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})


@pytest.fixture
def dlq_pair(sqs, create_queue):
    """(source URL, DLQ URL) with maxReceiveCount 2."""
    dlq = create_queue(name="dead-letters")
    source = create_queue(name="work", RedrivePolicy=redrive(queue_arn(sqs, dlq)))
    return source, dlq


def exhaust_receives(sqs, url, times):
    """Receive (and immediately release) the queue's message `times` times."""
    for _ in range(times):
        receive_all(sqs, url, 1, VisibilityTimeout=0)


def dead_letter(sqs, endpoint, source, dlq, bodies):
    """Send `bodies` to `source`, then keep receiving them (and releasing them at once)
    until every one has gone over maxReceiveCount and sits in the DLQ."""
    already = len(peek(endpoint, dlq))
    for body in bodies:
        sqs.send_message(QueueUrl=source, MessageBody=body)

    def all_moved():
        sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10, VisibilityTimeout=0)
        return len(peek(endpoint, dlq)) == already + len(bodies)

    wait_until(all_moved, timeout=10, interval=0.05, message="messages in the DLQ")


# --- redrive policy --------------------------------------------------------------

def test_redrive_policy_round_trips_as_json(sqs, dlq_pair):
    source, dlq = dlq_pair

    policy = json.loads(attribute(sqs, source, "RedrivePolicy"))

    assert policy == {"deadLetterTargetArn": queue_arn(sqs, dlq), "maxReceiveCount": 2}


def test_redrive_policy_can_be_set_and_removed_later(sqs, create_queue):
    dlq, source = create_queue(), create_queue()

    sqs.set_queue_attributes(QueueUrl=source,
                             Attributes={"RedrivePolicy": redrive(queue_arn(sqs, dlq), 5)})
    assert json.loads(attribute(sqs, source, "RedrivePolicy"))["maxReceiveCount"] == 5

    sqs.set_queue_attributes(QueueUrl=source, Attributes={"RedrivePolicy": ""})
    response = sqs.get_queue_attributes(QueueUrl=source, AttributeNames=["RedrivePolicy"])
    assert response.get("Attributes", {}).get("RedrivePolicy", "") == ""


def test_redrive_policy_with_malformed_target_arn_is_rejected(sqs):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.create_queue(QueueName="bad-redrive", Attributes={
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": "dummy", "maxReceiveCount": 42})})


def test_redrive_allow_policy_round_trips(sqs, create_queue):
    source = create_queue(name="allowed-source")
    allow = {"redrivePermission": "byQueue", "sourceQueueArns": [queue_arn(sqs, source)]}

    dlq = create_queue(RedriveAllowPolicy=json.dumps(allow))

    assert json.loads(attribute(sqs, dlq, "RedriveAllowPolicy")) == allow


# --- maxReceiveCount -------------------------------------------------------------

def test_message_moves_to_dead_letter_queue_after_max_receive_count(sqs, endpoint, dlq_pair):
    source, dlq = dlq_pair
    sent = sqs.send_message(QueueUrl=source, MessageBody="poison")

    exhaust_receives(sqs, source, 2)
    # Third receive: the message is over the limit and goes to the DLQ instead.
    receive_nothing(sqs, source, VisibilityTimeout=0)

    assert peek(endpoint, source) == []
    [moved] = receive_all(sqs, dlq, 1)
    assert moved["Body"] == "poison"
    assert moved["MessageId"] == sent["MessageId"]


def test_message_under_max_receive_count_stays_in_the_source(sqs, endpoint, dlq_pair):
    source, dlq = dlq_pair
    sqs.send_message(QueueUrl=source, MessageBody="survivor")

    exhaust_receives(sqs, source, 1)

    assert [m["Body"] for m in peek(endpoint, source)] == ["survivor"]
    assert peek(endpoint, dlq) == []


def test_dead_lettered_message_keeps_its_attributes(sqs, dlq_pair):
    source, dlq = dlq_pair
    attributes = {"origin": {"DataType": "String", "StringValue": "source-queue"}}
    sqs.send_message(QueueUrl=source, MessageBody="with attrs", MessageAttributes=attributes)

    exhaust_receives(sqs, source, 2)
    receive_nothing(sqs, source, VisibilityTimeout=0)

    [moved] = receive_all(sqs, dlq, 1, MessageAttributeNames=["All"])
    assert moved["MessageAttributes"] == attributes


def test_list_dead_letter_source_queues_names_every_source(sqs, create_queue):
    dlq = create_queue(name="shared-dlq")
    arn = queue_arn(sqs, dlq)
    sources = {create_queue(name=f"src-{i}", RedrivePolicy=redrive(arn)) for i in range(3)}
    create_queue(name="unrelated")

    response = sqs.list_dead_letter_source_queues(QueueUrl=dlq)

    assert set(response["queueUrls"]) == sources


def test_list_dead_letter_source_queues_pages(sqs, create_queue):
    dlq = create_queue(name="paged-dlq")
    arn = queue_arn(sqs, dlq)
    sources = {create_queue(name=f"paged-src-{i}", RedrivePolicy=redrive(arn)) for i in range(3)}

    first = sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2)
    second = sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2,
                                                NextToken=first["NextToken"])

    assert len(first["queueUrls"]) == 2
    assert set(first["queueUrls"]) | set(second["queueUrls"]) == sources
    assert "NextToken" not in second


def test_queue_without_sources_lists_none(sqs, queue_url):
    assert sqs.list_dead_letter_source_queues(QueueUrl=queue_url).get("queueUrls", []) == []


# --- message move tasks ----------------------------------------------------------

def wait_for_task(sqs, source_arn, status, timeout=10):
    def check():
        results = sqs.list_message_move_tasks(SourceArn=source_arn).get("Results", [])
        return results[0] if results and results[0]["Status"] == status else None
    return wait_until(check, timeout=timeout, interval=0.2, message=f"move task {status}")


def test_move_task_redrives_dead_letters_back_to_their_source(sqs, endpoint, dlq_pair):
    source, dlq = dlq_pair
    dead_letter(sqs, endpoint, source, dlq, ["m1", "m2"])
    dlq_arn = queue_arn(sqs, dlq)

    started = sqs.start_message_move_task(SourceArn=dlq_arn)

    assert started["TaskHandle"]
    task = wait_for_task(sqs, dlq_arn, "COMPLETED")
    assert task["SourceArn"] == dlq_arn
    assert task["ApproximateNumberOfMessagesMoved"] == 2
    assert task["ApproximateNumberOfMessagesToMove"] == 2
    assert "DestinationArn" not in task
    assert "TaskHandle" not in task  # only running tasks show their handle
    assert isinstance(task["StartedTimestamp"], int)
    assert sorted(m["Body"] for m in receive_all(sqs, source, 2)) == ["m1", "m2"]
    assert peek(endpoint, dlq) == []


def test_move_task_to_an_explicit_destination(sqs, endpoint, dlq_pair, create_queue):
    source, dlq = dlq_pair
    destination = create_queue(name="elsewhere")
    dead_letter(sqs, endpoint, source, dlq, ["only"])
    dlq_arn, destination_arn = queue_arn(sqs, dlq), queue_arn(sqs, destination)

    sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=destination_arn)

    task = wait_for_task(sqs, dlq_arn, "COMPLETED")
    assert task["DestinationArn"] == destination_arn
    assert [m["Body"] for m in receive_all(sqs, destination, 1)] == ["only"]
    assert peek(endpoint, source) == []


def test_move_task_can_be_cancelled_while_running(sqs, endpoint, dlq_pair):
    source, dlq = dlq_pair
    dead_letter(sqs, endpoint, source, dlq, [f"m{i}" for i in range(6)])
    dlq_arn = queue_arn(sqs, dlq)

    handle = sqs.start_message_move_task(SourceArn=dlq_arn,
                                         MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
    [running] = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
    assert running["Status"] == "RUNNING"
    assert running["TaskHandle"] == handle
    assert running["MaxNumberOfMessagesPerSecond"] == 1

    cancelled = sqs.cancel_message_move_task(TaskHandle=handle)

    assert "ApproximateNumberOfMessagesMoved" in cancelled
    wait_for_task(sqs, dlq_arn, "CANCELLED")
    assert len(peek(endpoint, dlq)) > 0  # 6 messages at 1/s cannot all have moved


def test_only_one_move_task_may_run_per_source(sqs, endpoint, dlq_pair):
    source, dlq = dlq_pair
    dead_letter(sqs, endpoint, source, dlq, [f"m{i}" for i in range(4)])
    dlq_arn = queue_arn(sqs, dlq)
    handle = sqs.start_message_move_task(SourceArn=dlq_arn,
                                         MaxNumberOfMessagesPerSecond=1)["TaskHandle"]

    with raises_aws("InvalidParameterValue", status=400):
        sqs.start_message_move_task(SourceArn=dlq_arn)

    sqs.cancel_message_move_task(TaskHandle=handle)


def test_list_message_move_tasks_shows_the_most_recent_first(
        sqs, endpoint, dlq_pair, create_queue):
    source, dlq = dlq_pair
    destination = create_queue(name="redriven")
    dlq_arn, destination_arn = queue_arn(sqs, dlq), queue_arn(sqs, destination)
    for body in ("first", "second"):
        dead_letter(sqs, endpoint, source, dlq, [body])
        sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=destination_arn)
        wait_for_task(sqs, dlq_arn, "COMPLETED")

    results = sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=10)["Results"]

    assert len(results) == 2
    assert results[0]["StartedTimestamp"] >= results[1]["StartedTimestamp"]
    assert len(sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=1)["Results"]) == 1
    assert sorted(m["Body"] for m in receive_all(sqs, destination, 2)) == ["first", "second"]


def test_move_task_source_must_be_a_dead_letter_queue(sqs, queue_url):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.start_message_move_task(SourceArn=queue_arn(sqs, queue_url))


def test_move_task_from_a_missing_queue_is_resource_not_found(sqs):
    missing = f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:no-such-dlq"

    with pytest.raises(sqs.exceptions.ResourceNotFoundException) as info:
        sqs.start_message_move_task(SourceArn=missing)

    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_move_task_to_a_missing_destination_is_resource_not_found(sqs, dlq_pair):
    _, dlq = dlq_pair

    with raises_aws("ResourceNotFoundException", status=404):
        sqs.start_message_move_task(
            SourceArn=queue_arn(sqs, dlq),
            DestinationArn=f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:no-such-destination")


def test_list_move_tasks_of_a_missing_queue_is_resource_not_found(sqs):
    with raises_aws("ResourceNotFoundException", status=404):
        sqs.list_message_move_tasks(SourceArn=f"arn:aws:sqs:us-east-1:{DEFAULT_ACCOUNT}:gone")


def test_list_move_tasks_of_a_queue_without_tasks_is_empty(sqs, dlq_pair):
    _, dlq = dlq_pair

    assert sqs.list_message_move_tasks(SourceArn=queue_arn(sqs, dlq)).get("Results", []) == []


def test_cancel_with_a_malformed_task_handle_is_rejected(sqs):
    with raises_aws("InvalidParameterValue", status=400):
        sqs.cancel_message_move_task(TaskHandle="foobared")
