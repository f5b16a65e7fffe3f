"""boto3 clients pointed at a local server, configured the way the tests need."""

from __future__ import annotations

import boto3
from botocore.config import Config

from .sqs import REGION

# No retries: a retried 500 or a dropped connection must fail the test, not hide.
CLIENT_CONFIG = Config(
    region_name=REGION,
    retries={"total_max_attempts": 1},
    connect_timeout=5,
    read_timeout=40,  # longer than the longest long poll (20 s)
)


def make_client(endpoint: str, service: str = "sqs", access_key: str = "test", **config):
    return boto3.session.Session().client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=access_key,
        aws_secret_access_key="test",
        config=CLIENT_CONFIG.merge(Config(**config)) if config else CLIENT_CONFIG,
    )
