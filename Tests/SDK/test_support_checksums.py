"""The suite's own MD5 oracle, checked against digests SQS itself returned.

If this helper were wrong, every attribute-checksum test would be meaningless.
"""

import pytest

from support.sqs import md5_of_attributes

pytestmark = pytest.mark.own_server  # no server needed


def string(value):
    return {"DataType": "String", "StringValue": value}


@pytest.mark.parametrize("attributes,expected", [
    ({"Foo": string("Bar")}, "ae7155c6026991b6d54b11589678bf9c"),
    ({"General": string("Kenobi"), "Hello": string("There"), "Help.Me": string("Me")},
     "4c360f3fdafd970e05fae2f149d997f5"),
    ({"Hello": string("There"), "Help.Me": string("Me")}, "83fee93c1bcd8b9a5a923ffacdc636c7"),
    ({"attr1": {"DataType": "Binary", "BinaryValue":
                b"traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01"}},
     "8cbe4db156db8a94db8b801b7addb984"),
])
def test_md5_of_attributes_matches_digests_returned_by_sqs(attributes, expected):
    assert md5_of_attributes(attributes) == expected


def test_md5_of_attributes_does_not_depend_on_insertion_order():
    forward = {"a": string("1"), "b": string("2")}
    backward = {"b": string("2"), "a": string("1")}

    assert md5_of_attributes(forward) == md5_of_attributes(backward)
