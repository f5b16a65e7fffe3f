"""The AWS CLI against the server, as a shell user or a CI script would run it."""

import json
import os
import shutil
import subprocess

import pytest

from support.sqs import DEFAULT_ACCOUNT, md5_hex

pytestmark = pytest.mark.skipif(shutil.which("aws") is None, reason="AWS CLI not installed")


@pytest.fixture
def aws(endpoint, tmp_path):
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        # Keep the user's own profiles and settings out of it.
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "AWS_PAGER": "",
    }
    env.pop("AWS_PROFILE", None)
    env.pop("AWS_ENDPOINT_URL", None)

    def run(*args, check=True):
        completed = subprocess.run(
            ["aws", "--endpoint-url", endpoint, "--output", "json", "sqs", *args],
            env=env, capture_output=True, text=True, timeout=60)
        if check:
            assert completed.returncode == 0, completed.stderr
        return completed

    return run


def test_cli_creates_sends_receives_and_deletes(aws, endpoint):
    created = json.loads(aws("create-queue", "--queue-name", "cli-queue",
                             "--attributes", "VisibilityTimeout=40").stdout)
    url = created["QueueUrl"]
    assert url == f"{endpoint}/{DEFAULT_ACCOUNT}/cli-queue"

    sent = json.loads(aws("send-message", "--queue-url", url, "--message-body", "from the cli",
                          "--message-attributes",
                          '{"origin": {"DataType": "String", "StringValue": "shell"}}').stdout)
    assert sent["MD5OfMessageBody"] == md5_hex("from the cli")

    received = json.loads(aws("receive-message", "--queue-url", url,
                              "--attribute-names", "All",
                              "--message-attribute-names", "All").stdout)
    [message] = received["Messages"]
    assert message["Body"] == "from the cli"
    assert message["MessageId"] == sent["MessageId"]
    assert message["MessageAttributes"]["origin"]["StringValue"] == "shell"
    assert message["Attributes"]["ApproximateReceiveCount"] == "1"

    aws("delete-message", "--queue-url", url, "--receipt-handle", message["ReceiptHandle"])
    listed = json.loads(aws("list-queues").stdout)
    assert listed["QueueUrls"] == [url]


def test_cli_reports_missing_queue_with_the_legacy_error_code(aws):
    completed = aws("get-queue-url", "--queue-name", "not-there", check=False)

    assert completed.returncode != 0
    assert "AWS.SimpleQueueService.NonExistentQueue" in completed.stderr
