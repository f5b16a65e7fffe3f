"""SigV4 signing for raw requests, so hand-built requests look like an SDK's."""

from __future__ import annotations

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REGION = "us-east-1"


def signed_headers(method: str, url: str, body: bytes, headers: dict[str, str],
                   access_key: str = "test", secret_key: str = "test",
                   service: str = "sqs") -> dict[str, str]:
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers))
    SigV4Auth(Credentials(access_key, secret_key), service, REGION).add_auth(request)
    return dict(request.headers.items())
