"""Lambda versions and aliases through boto3 against the real server: PublishVersion
(a snapshot of $LATEST, returned again while nothing changed; CodeSha256 and RevisionId
preconditions), ListVersionsByFunction, qualified Invoke and GetFunction (by number,
by alias, by ARN, `name:qualifier`), aliases with routing weights, and the errors
AWS answers for unknown versions and aliases, conflicts and bad names."""

from __future__ import annotations

import json

import botocore.exceptions
import pytest

from support.lambda_functions import error_code, python_handler

ANSWER = "print(json.dumps({'answer': os.environ.get('ANSWER')}))\n"


@pytest.fixture
def versioned(lam, create_function, tmp_path):
    """A function published as version 1 with ANSWER=one, and $LATEST with ANSWER=two."""
    name = create_function(python_handler(tmp_path, ANSWER), Environment={"Variables": {"ANSWER": "one"}})["FunctionName"]
    first = lam.publish_version(FunctionName=name, Description="first")
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"ANSWER": "two"}})
    return name, first


def invoke(lam, name, **kwargs):
    response = lam.invoke(FunctionName=name, **kwargs)
    return json.loads(response["Payload"].read())["answer"], response["ExecutedVersion"]


def test_publish_version_snapshots_latest(lam, versioned):
    name, first = versioned
    assert first["Version"] == "1"
    assert first["FunctionArn"].endswith(f":function:{name}:1")
    assert first["Description"] == "first"
    assert first["Environment"]["Variables"] == {"ANSWER": "one"}
    assert invoke(lam, name, Qualifier="1") == ("one", "1")
    assert invoke(lam, name) == ("two", "$LATEST")
    assert invoke(lam, f"{name}:1") == ("one", "1")
    assert invoke(lam, first["FunctionArn"]) == ("one", "1")
    assert lam.get_function(FunctionName=name, Qualifier="1")["Configuration"]["Version"] == "1"
    assert lam.get_function_configuration(FunctionName=name)["Version"] == "$LATEST"


def test_publishing_again_without_changes_returns_the_same_version(lam, versioned):
    name, _ = versioned
    second = lam.publish_version(FunctionName=name)
    assert second["Version"] == "2"
    assert lam.publish_version(FunctionName=name)["Version"] == "2"
    versions = [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]]
    assert versions == ["$LATEST", "1", "2"]
    page = lam.list_versions_by_function(FunctionName=name, MaxItems=2)
    assert [v["Version"] for v in page["Versions"]] == ["$LATEST", "1"]
    rest = lam.list_versions_by_function(FunctionName=name, Marker=page["NextMarker"])
    assert [v["Version"] for v in rest["Versions"]] == ["2"]


def test_publish_preconditions(lam, versioned):
    name, _ = versioned
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.publish_version(FunctionName=name, RevisionId="stale")
    assert error_code(excinfo) == "PreconditionFailedException"
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.publish_version(FunctionName=name, CodeSha256="not-the-code")
    assert error_code(excinfo) == "InvalidParameterValueException"


def test_aliases_point_at_versions(lam, versioned):
    name, first = versioned
    alias = lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1", Description="production")
    assert alias["AliasArn"].endswith(f":function:{name}:live")
    assert invoke(lam, name, Qualifier="live") == ("one", "1")
    assert invoke(lam, f"{name}:live") == ("one", "1")
    assert lam.get_function(FunctionName=name, Qualifier="live")["Configuration"]["FunctionArn"] == alias["AliasArn"]
    lam.publish_version(FunctionName=name)
    updated = lam.update_alias(FunctionName=name, Name="live", FunctionVersion="2")
    assert updated["FunctionVersion"] == "2"
    assert invoke(lam, name, Qualifier="live") == ("two", "2")
    lam.create_alias(FunctionName=name, Name="edge", FunctionVersion="$LATEST")
    assert [a["Name"] for a in lam.list_aliases(FunctionName=name)["Aliases"]] == ["edge", "live"]
    assert [a["Name"] for a in lam.list_aliases(FunctionName=name, FunctionVersion="2")["Aliases"]] == ["live"]
    assert lam.get_alias(FunctionName=name, Name="edge")["FunctionVersion"] == "$LATEST"
    lam.delete_alias(FunctionName=name, Name="edge")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.get_alias(FunctionName=name, Name="edge")
    assert error_code(excinfo) == "ResourceNotFoundException"


def test_routing_weights_split_invocations(lam, versioned):
    name, _ = versioned
    lam.publish_version(FunctionName=name)
    lam.create_alias(FunctionName=name, Name="canary", FunctionVersion="1",
                     RoutingConfig={"AdditionalVersionWeights": {"2": 0.5}})
    seen = {invoke(lam, name, Qualifier="canary")[1] for _ in range(40)}
    assert seen == {"1", "2"}               # (1 - 2**-39 chance of seeing both)
    lam.update_alias(FunctionName=name, Name="canary", RoutingConfig={"AdditionalVersionWeights": {}})
    assert {invoke(lam, name, Qualifier="canary")[1] for _ in range(5)} == {"1"}


@pytest.mark.parametrize("call, code", [
    (lambda lam, n: lam.invoke(FunctionName=n, Qualifier="9"), "ResourceNotFoundException"),
    (lambda lam, n: lam.invoke(FunctionName=n, Qualifier="nope"), "ResourceNotFoundException"),
    (lambda lam, n: lam.get_function(FunctionName=f"{n}:1", Qualifier="2"), "InvalidParameterValueException"),
    (lambda lam, n: lam.create_alias(FunctionName=n, Name="7", FunctionVersion="1"), "ValidationException"),
    (lambda lam, n: lam.create_alias(FunctionName=n, Name="x", FunctionVersion="9"), "ResourceNotFoundException"),
    (lambda lam, n: lam.create_alias(FunctionName=n, Name="x", FunctionVersion="1",
                                     RoutingConfig={"AdditionalVersionWeights": {"1": 0.5}}), "InvalidParameterValueException"),
    (lambda lam, n: lam.update_alias(FunctionName=n, Name="missing", FunctionVersion="1"), "ResourceNotFoundException"),
])
def test_unknown_targets_and_bad_input(lam, versioned, call, code):
    name, _ = versioned
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        call(lam, name)
    assert error_code(excinfo) == code


def test_duplicate_alias_conflicts(lam, versioned):
    name, _ = versioned
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    assert error_code(excinfo) == "ResourceConflictException"


def test_deleting_versions_and_the_function(lam, versioned):
    name, _ = versioned
    lam.publish_version(FunctionName=name)
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="2")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.delete_function(FunctionName=name, Qualifier="2")        # the alias still points at it
    assert error_code(excinfo) == "ResourceConflictException"
    lam.delete_function(FunctionName=name, Qualifier="1")
    assert [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]] == ["$LATEST", "2"]
    lam.delete_function(FunctionName=name)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        lam.get_function(FunctionName=name)
    assert error_code(excinfo) == "ResourceNotFoundException"
    # A function of the same name starts with no versions or aliases.
    lam.create_function(FunctionName=name, Runtime="provided.al2023", Role="arn:aws:iam::000000000000:role/x",
                        Handler="exec:cat", Code={"ZipFile": b"x"})
    assert [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]] == ["$LATEST"]
    assert lam.list_aliases(FunctionName=name)["Aliases"] == []


def test_event_invocation_of_a_version_runs_that_version(lam, create_function, tmp_path):
    marker = tmp_path / "ran.txt"
    handler = python_handler(tmp_path, f"open({str(marker)!r}, 'a').write(os.environ['ANSWER'] + '\\n')\nprint('{{}}')\n")
    name = create_function(handler, Environment={"Variables": {"ANSWER": "one"}})["FunctionName"]
    lam.publish_version(FunctionName=name)
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"ANSWER": "two"}})
    assert lam.invoke(FunctionName=name, Qualifier="1", InvocationType="Event")["StatusCode"] == 202
    from support.lambda_functions import wait_until
    wait_until(lambda: marker.exists() and marker.read_text().strip(), "the queued event")
    assert marker.read_text().split() == ["one"]
