"""Strict mode: `--verify-signatures` checks real SigV4 signatures.

A server started with known credentials accepts requests that boto3, the AWS CLI and a
signed query request produce, and rejects a wrong secret, an unknown key, a tampered
body and an unsigned request with AWS's error codes.
"""

from __future__ import annotations

import os
import subprocess
import urllib.parse

import pytest
import requests
from botocore.exceptions import ClientError

from support.signing import signed_headers

pytestmark = pytest.mark.own_server

ACCESS_KEY = "AKIAOFFCLOUDSTRICT01"
SECRET = "strict-secret/with+chars"


@pytest.fixture
def strict(offcloud_factory):
    return offcloud_factory(name="strict", extra_args=[
        "--verify-signatures", "--credentials", f"{ACCESS_KEY}:{SECRET}"])


def client(endpoint, access_key=ACCESS_KEY, secret=SECRET):
    import boto3
    from support.clients import CLIENT_CONFIG
    return boto3.session.Session().client(
        "sqs", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=access_key,
        aws_secret_access_key=secret, config=CLIENT_CONFIG)


def test_boto3_requests_signed_with_the_right_secret_are_served(strict):
    sqs = client(strict.endpoint)
    url = sqs.create_queue(QueueName="signed")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="body with spaces & symbols +/=")
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"]
    assert messages[0]["Body"] == "body with spaces & symbols +/="


def test_a_wrong_secret_is_signature_does_not_match(strict):
    sqs = client(strict.endpoint, secret="not-the-secret")
    with pytest.raises(ClientError) as info:
        sqs.list_queues()
    assert info.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_an_unknown_access_key_is_invalid_client_token_id(strict):
    sqs = client(strict.endpoint, access_key="AKIAUNKNOWNKEY000000")
    with pytest.raises(ClientError) as info:
        sqs.list_queues()
    assert info.value.response["Error"]["Code"] == "InvalidClientTokenId"


def test_an_unsigned_request_is_missing_authentication_token(strict):
    response = requests.post(strict.endpoint + "/", data="{}", timeout=10, headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues"})
    assert response.status_code == 403
    assert response.json()["__type"].endswith("MissingAuthenticationToken")


def test_a_body_changed_after_signing_is_rejected(strict):
    url = strict.endpoint + "/"
    body = b'{"QueueName":"original"}'
    headers = signed_headers("POST", url, body, {
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.CreateQueue"},
        access_key=ACCESS_KEY, secret_key=SECRET)
    ok = requests.post(url, data=body, headers=headers, timeout=10)
    assert ok.status_code == 200, ok.text
    tampered = requests.post(url, data=b'{"QueueName":"tampered"}', headers=headers, timeout=10)
    assert tampered.status_code == 403
    assert tampered.json()["__type"].endswith("SignatureDoesNotMatch")


def test_signed_query_protocol_requests_are_served(strict):
    url = strict.endpoint + "/"
    body = urllib.parse.urlencode({"Action": "CreateQueue", "Version": "2012-11-05",
                                   "QueueName": "via-query"}).encode()
    headers = signed_headers("POST", url, body, {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        access_key=ACCESS_KEY, secret_key=SECRET)
    response = requests.post(url, data=body, headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    assert "<QueueUrl>" in response.text


def test_the_aws_cli_signs_requests_the_server_accepts(strict):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET,
               AWS_DEFAULT_REGION="us-east-1")
    env.pop("AWS_PROFILE", None)
    out = subprocess.run(["aws", "--endpoint-url", strict.endpoint, "sqs", "create-queue",
                          "--queue-name", "from-cli"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert "from-cli" in out.stdout
