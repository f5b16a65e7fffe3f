"""The legacy awsQuery protocol by hand: form-encoded requests, XML responses.

Older SDKs (and the AWS Java SDK v1) speak this to SQS. Requests are SigV4-signed
like an SDK's; responses are parsed with xml.etree, with namespaces stripped after
the root namespace has been recorded.
"""

from __future__ import annotations

import base64
import urllib.parse
import xml.etree.ElementTree as ET
from typing import Any, Iterable

import requests

from .signing import signed_headers

NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/"
VERSION = "2012-11-05"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"


class QueryResponse:
    def __init__(self, response: requests.Response):
        self.http = response
        self.status = response.status_code
        self.headers = response.headers
        self.text = response.text
        raw = ET.fromstring(response.content)
        self.namespace = raw.tag[1:].split("}")[0] if raw.tag.startswith("{") else ""
        for element in raw.iter():
            if isinstance(element.tag, str) and "}" in element.tag:
                element.tag = element.tag.split("}", 1)[1]
        self.root = raw

    def __repr__(self) -> str:
        return f"<QueryResponse {self.status} {self.text[:500]!r}>"

    def find(self, path: str) -> ET.Element | None:
        return self.root.find(path)

    def findall(self, path: str) -> list[ET.Element]:
        return self.root.findall(path)

    def text_of(self, path: str) -> str | None:
        element = self.root.find(path)
        return None if element is None else (element.text or "")

    @property
    def result(self) -> ET.Element:
        """The <ActionResult> element (or the root when the action has none)."""
        for child in self.root:
            if child.tag.endswith("Result"):
                return child
        return self.root

    @property
    def request_id(self) -> str | None:
        found = self.root.find("ResponseMetadata/RequestId")
        if found is None:
            found = self.root.find("RequestId")  # <ErrorResponse> keeps it at the top
        return None if found is None else found.text

    @property
    def error_code(self) -> str | None:
        return self.text_of("Error/Code")


class QueryClient:
    def __init__(self, endpoint: str, access_key: str = "test"):
        self.endpoint = endpoint
        self.access_key = access_key

    def call(self, action: str, params: dict[str, Any] | None = None, *, path: str = "/",
             method: str = "POST", sign: bool = True, version: str | None = VERSION,
             timeout: float = 30.0) -> QueryResponse:
        fields = {"Action": action}
        if version is not None:
            fields["Version"] = version
        for key, value in (params or {}).items():
            if value is not None:
                fields[key] = str(value)
        url = self.endpoint + path
        if method == "GET":
            url = url + "?" + urllib.parse.urlencode(fields)
            body = b""
            headers: dict[str, str] = {}
        else:
            body = urllib.parse.urlencode(fields).encode("utf-8")
            headers = {"Content-Type": FORM_CONTENT_TYPE}
        if sign:
            headers = signed_headers(method, url, body, headers, self.access_key)
        response = requests.request(method, url, data=body or None, headers=headers,
                                    timeout=timeout)
        return QueryResponse(response)

    def ok(self, action: str, params: dict[str, Any] | None = None, **kwargs) -> QueryResponse:
        response = self.call(action, params, **kwargs)
        assert response.status == 200, response
        assert response.root.tag == f"{action}Response", response
        assert response.namespace == NAMESPACE, response
        return response

    def error(self, action: str, params: dict[str, Any] | None, code: str,
              status: int | None = 400, **kwargs) -> QueryResponse:
        response = self.call(action, params, **kwargs)
        assert response.root.tag == "ErrorResponse", response
        assert response.error_code == code, response
        if status is not None:
            assert response.status == status, response
        return response


# --- request parameters ----------------------------------------------------------

def attribute_params(attributes: dict[str, str], prefix: str = "Attribute") -> dict[str, str]:
    params = {}
    for i, (name, value) in enumerate(attributes.items(), start=1):
        params[f"{prefix}.{i}.Name"] = name
        params[f"{prefix}.{i}.Value"] = value
    return params


def tag_params(tags: dict[str, str], prefix: str = "Tag") -> dict[str, str]:
    params = {}
    for i, (key, value) in enumerate(tags.items(), start=1):
        params[f"{prefix}.{i}.Key"] = key
        params[f"{prefix}.{i}.Value"] = value
    return params


def list_params(prefix: str, values: Iterable[str]) -> dict[str, str]:
    return {f"{prefix}.{i}": value for i, value in enumerate(values, start=1)}


def message_attribute_params(attributes: dict[str, dict[str, Any]],
                             prefix: str = "MessageAttribute") -> dict[str, str]:
    params = {}
    for i, (name, value) in enumerate(attributes.items(), start=1):
        params[f"{prefix}.{i}.Name"] = name
        params[f"{prefix}.{i}.Value.DataType"] = value["DataType"]
        if "StringValue" in value:
            params[f"{prefix}.{i}.Value.StringValue"] = value["StringValue"]
        if "BinaryValue" in value:
            params[f"{prefix}.{i}.Value.BinaryValue"] = base64.b64encode(
                value["BinaryValue"]).decode("ascii")
    return params


def batch_params(prefix: str, entries: list[dict[str, Any]]) -> dict[str, str]:
    """Entries of SendMessageBatch / DeleteMessageBatch / ChangeMessageVisibilityBatch;
    a `MessageAttributes` key in an entry becomes its MessageAttribute.N.* fields."""
    if not entries:
        # How botocore's query serializer spelled an empty list: the bare prefix.
        return {prefix: ""}
    params = {}
    for i, entry in enumerate(entries, start=1):
        for key, value in entry.items():
            if key == "MessageAttributes":
                params.update(message_attribute_params(
                    value, prefix=f"{prefix}.{i}.MessageAttribute"))
            else:
                params[f"{prefix}.{i}.{key}"] = str(value)
    return params


# --- response parsing ------------------------------------------------------------

def name_value_map(parent: ET.Element, tag: str = "Attribute",
                   key: str = "Name", value: str = "Value") -> dict[str, str]:
    return {item.findtext(key): item.findtext(value) or "" for item in parent.findall(tag)}


def message_attributes_of(message: ET.Element) -> dict[str, dict[str, Any]]:
    result = {}
    for item in message.findall("MessageAttribute"):
        value = item.find("Value")
        parsed: dict[str, Any] = {"DataType": value.findtext("DataType")}
        if value.find("StringValue") is not None:
            parsed["StringValue"] = value.findtext("StringValue") or ""
        if value.find("BinaryValue") is not None:
            parsed["BinaryValue"] = base64.b64decode(value.findtext("BinaryValue") or "")
        result[item.findtext("Name")] = parsed
    return result
