"""Step Functions versions and aliases: publishing (CreateStateMachine and
UpdateStateMachine with `publish`, PublishStateMachineVersion and its revision check),
ListStateMachineVersions, DescribeStateMachine of a version, executions of a version or
an alias, Create/Describe/Update/Delete/ListStateMachineAliases, weighted routing
between two versions, DeleteStateMachineVersion, and DeleteStateMachine taking its
versions and aliases with it."""

import datetime
import json

import pytest

from support.sfn import (ROLE_ARN, output_shape_problems, pass_definition, run_execution,
                         sfn_json_call, state_machine_arn, unique, wait_for_execution)
from support.sqs import DEFAULT_ACCOUNT, raises_aws

OTHER_ROLE = f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/another-role"


def route(version_arn: str, weight: int = 100) -> dict:
    return {"stateMachineVersionArn": version_arn, "weight": weight}


@pytest.fixture
def two_versions(sfn, create_state_machine) -> tuple[str, str, str]:
    """(state machine ARN, version 1 ARN, version 2 ARN); version 1 outputs "one",
    version 2 and the current revision output "two"."""
    arn = create_state_machine(pass_definition("one"))
    v1 = sfn.publish_state_machine_version(stateMachineArn=arn, description="first")[
        "stateMachineVersionArn"]
    v2 = sfn.update_state_machine(stateMachineArn=arn, definition=pass_definition("two"),
                                  publish=True, versionDescription="second")[
        "stateMachineVersionArn"]
    return arn, v1, v2


def version_arns(sfn, machine_arn: str, **kwargs) -> list[str]:
    page = sfn.list_state_machine_versions(stateMachineArn=machine_arn, **kwargs)
    return [v["stateMachineVersionArn"] for v in page["stateMachineVersions"]]


# --- publishing --------------------------------------------------------------------

def test_create_with_publish_returns_version_1(sfn):
    name = unique()

    created = sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=ROLE_ARN,
                                       publish=True, versionDescription="first release")

    assert created["stateMachineArn"] == state_machine_arn(name)
    assert created["stateMachineVersionArn"] == state_machine_arn(name) + ":1"
    assert version_arns(sfn, created["stateMachineArn"]) == [created["stateMachineVersionArn"]]


def test_create_without_publish_makes_no_version(sfn, create_state_machine):
    name = unique()

    created = sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=ROLE_ARN)

    assert "stateMachineVersionArn" not in created
    assert version_arns(sfn, created["stateMachineArn"]) == []


def test_create_version_description_without_publish_is_a_validation_error(sfn):
    with raises_aws("ValidationException", 400):
        sfn.create_state_machine(name=unique(), definition=pass_definition(), roleArn=ROLE_ARN,
                                 versionDescription="never published")


def test_update_version_description_without_publish_is_a_validation_error(
        sfn, create_state_machine):
    # AWS (UpdateStateMachine, versionDescription): "You can only specify the
    # versionDescription parameter if you've set publish to true."
    arn = create_state_machine(pass_definition(1))

    with raises_aws("ValidationException", 400):
        sfn.update_state_machine(stateMachineArn=arn, definition=pass_definition(2),
                                 versionDescription="never published")


def test_update_with_publish_and_a_new_definition_publishes_the_next_version(sfn):
    name = unique()
    created = sfn.create_state_machine(name=name, definition=pass_definition(1),
                                       roleArn=ROLE_ARN, publish=True)
    arn = created["stateMachineArn"]
    before = sfn.describe_state_machine(stateMachineArn=arn)["revisionId"]

    updated = sfn.update_state_machine(stateMachineArn=arn, definition=pass_definition(2),
                                       publish=True)

    assert updated["stateMachineVersionArn"] == arn + ":2"
    assert updated["revisionId"] != before
    assert version_arns(sfn, arn) == [arn + ":2", arn + ":1"]


def test_update_with_publish_and_a_new_role_publishes_the_next_version(sfn):
    created = sfn.create_state_machine(name=unique(), definition=pass_definition(),
                                       roleArn=ROLE_ARN, publish=True)
    arn = created["stateMachineArn"]

    updated = sfn.update_state_machine(stateMachineArn=arn, roleArn=OTHER_ROLE, publish=True)

    assert updated["stateMachineVersionArn"] == arn + ":2"
    assert sfn.describe_state_machine(stateMachineArn=arn + ":2")["roleArn"] == OTHER_ROLE
    assert sfn.describe_state_machine(stateMachineArn=arn + ":1")["roleArn"] == ROLE_ARN


def test_update_with_publish_but_the_same_definition_makes_no_new_version(sfn):
    text = pass_definition("same")
    created = sfn.create_state_machine(name=unique(), definition=text, roleArn=ROLE_ARN,
                                       publish=True)
    arn, v1 = created["stateMachineArn"], created["stateMachineVersionArn"]
    revision = sfn.describe_state_machine(stateMachineArn=arn)["revisionId"]

    updated = sfn.update_state_machine(stateMachineArn=arn, definition=text, publish=True)

    assert updated["revisionId"] == revision
    assert updated.get("stateMachineVersionArn", v1) == v1
    assert version_arns(sfn, arn) == [v1]
    # The revision is already published: PublishStateMachineVersion is idempotent.
    assert sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"] == v1


def test_publish_twice_without_a_change_returns_the_same_version(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    first = sfn.publish_state_machine_version(stateMachineArn=arn, description="d")
    second = sfn.publish_state_machine_version(stateMachineArn=arn, description="d")

    assert first["stateMachineVersionArn"] == arn + ":1"
    assert second["stateMachineVersionArn"] == first["stateMachineVersionArn"]
    assert second["creationDate"] == first["creationDate"]
    assert version_arns(sfn, arn) == [arn + ":1"]


def test_publish_with_the_current_revision_id_publishes(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())
    revision = sfn.describe_state_machine(stateMachineArn=arn)["revisionId"]

    published = sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=revision)

    assert published["stateMachineVersionArn"] == arn + ":1"
    assert isinstance(published["creationDate"], datetime.datetime)


def test_publish_with_a_stale_revision_id_is_conflict(sfn, create_state_machine):
    arn = create_state_machine(pass_definition(1))
    stale = sfn.describe_state_machine(stateMachineArn=arn)["revisionId"]
    sfn.update_state_machine(stateMachineArn=arn, definition=pass_definition(2))

    with raises_aws("ConflictException", 400):
        sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=stale)

    assert version_arns(sfn, arn) == []


def test_publish_on_a_missing_state_machine_is_state_machine_does_not_exist(sfn):
    with raises_aws("StateMachineDoesNotExist", 400):
        sfn.publish_state_machine_version(stateMachineArn=state_machine_arn(unique("absent")))


def test_version_numbers_are_not_reused_after_a_delete(sfn, two_versions):
    arn, v1, v2 = two_versions
    sfn.delete_state_machine_version(stateMachineVersionArn=v2)
    sfn.update_state_machine(stateMachineArn=arn, definition=pass_definition("three"))

    published = sfn.publish_state_machine_version(stateMachineArn=arn)

    assert published["stateMachineVersionArn"] == arn + ":3"


# --- ListStateMachineVersions ------------------------------------------------------

def test_list_versions_newest_first(sfn, two_versions):
    arn, v1, v2 = two_versions

    listed = sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]

    assert [v["stateMachineVersionArn"] for v in listed] == [v2, v1]
    assert all(isinstance(v["creationDate"], datetime.datetime) for v in listed)
    assert listed[0]["creationDate"] >= listed[1]["creationDate"]


def test_list_versions_pages_with_max_results(sfn, create_state_machine):
    arn = create_state_machine(pass_definition(0))
    for i in range(1, 5):
        sfn.update_state_machine(stateMachineArn=arn, definition=pass_definition(i), publish=True)

    seen: list[str] = []
    token = None
    for _ in range(10):
        args = {"maxResults": 2, **({"nextToken": token} if token else {})}
        page = sfn.list_state_machine_versions(stateMachineArn=arn, **args)
        assert len(page["stateMachineVersions"]) <= 2
        seen += [v["stateMachineVersionArn"] for v in page["stateMachineVersions"]]
        token = page.get("nextToken")
        if not token:
            break

    assert seen == [f"{arn}:{n}" for n in (4, 3, 2, 1)]


def test_list_versions_raw_response_matches_the_model(endpoint, two_versions):
    arn, _, _ = two_versions

    response = sfn_json_call(endpoint, "ListStateMachineVersions", {"stateMachineArn": arn})

    assert response.status_code == 200, response.text
    assert output_shape_problems("ListStateMachineVersions", response.json()) == []


# --- DescribeStateMachine of a version ---------------------------------------------

def test_describe_a_version_shows_its_own_definition_and_description(sfn, two_versions):
    arn, v1, v2 = two_versions

    first = sfn.describe_state_machine(stateMachineArn=v1)
    second = sfn.describe_state_machine(stateMachineArn=v2)
    current = sfn.describe_state_machine(stateMachineArn=arn)

    # AWS: "If you specified a state machine version ARN in your request, the API returns
    # the version ARN."
    assert first["stateMachineArn"] == v1
    assert first["definition"] == pass_definition("one")
    assert first["description"] == "first"
    assert second["stateMachineArn"] == v2
    assert second["definition"] == pass_definition("two")
    assert second["description"] == "second"
    assert current["stateMachineArn"] == arn
    assert current["definition"] == pass_definition("two")
    assert first["name"] == second["name"] == current["name"]
    assert first["revisionId"] != second["revisionId"]
    assert second["revisionId"] == current["revisionId"]


def test_describe_a_missing_version_is_state_machine_does_not_exist(sfn, two_versions):
    arn, _, _ = two_versions

    with raises_aws("StateMachineDoesNotExist", 400):
        sfn.describe_state_machine(stateMachineArn=arn + ":99")


def test_describe_version_raw_response_matches_the_model(endpoint, two_versions):
    _, v1, _ = two_versions

    response = sfn_json_call(endpoint, "DescribeStateMachine", {"stateMachineArn": v1})

    assert response.status_code == 200, response.text
    assert output_shape_problems("DescribeStateMachine", response.json()) == []


# --- executions of versions and aliases --------------------------------------------

def test_execution_of_a_version_runs_that_versions_definition(sfn, two_versions):
    arn, v1, _ = two_versions

    described = run_execution(sfn, v1, name="on-v1")

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == "one"
    assert described["stateMachineVersionArn"] == v1
    assert "stateMachineAliasArn" not in described
    # The execution belongs to the state machine: an unqualified ARN, named by the machine.
    assert described["stateMachineArn"] == arn
    assert described["executionArn"].endswith(f":execution:{arn.rsplit(':', 1)[1]}:on-v1")


def test_execution_of_the_unqualified_arn_has_no_version(sfn, two_versions):
    arn, _, _ = two_versions

    described = run_execution(sfn, arn)

    assert json.loads(described["output"]) == "two"
    assert "stateMachineVersionArn" not in described
    assert "stateMachineAliasArn" not in described


def test_execution_of_a_version_ignores_later_updates(sfn, two_versions):
    arn, v1, _ = two_versions
    sfn.update_state_machine(stateMachineArn=arn, definition=pass_definition("three"))

    assert json.loads(run_execution(sfn, v1)["output"]) == "one"
    assert json.loads(run_execution(sfn, arn)["output"]) == "three"


def test_describe_state_machine_for_a_version_execution_shows_the_version_definition(
        sfn, two_versions):
    _, v1, _ = two_versions
    execution = run_execution(sfn, v1)["executionArn"]

    described = sfn.describe_state_machine_for_execution(executionArn=execution)

    assert described["definition"] == pass_definition("one")


def test_execution_of_an_alias_runs_its_version_and_reports_both(sfn, two_versions):
    arn, v1, _ = two_versions
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[route(v1)])[
        "stateMachineAliasArn"]

    described = run_execution(sfn, alias)

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == "one"
    assert described["stateMachineAliasArn"] == alias
    assert described["stateMachineVersionArn"] == v1
    assert described["stateMachineArn"] == arn


def test_start_on_a_missing_version_is_state_machine_does_not_exist(sfn, two_versions):
    # StartExecution's modelled errors have no ResourceNotFound; a version ARN that names
    # nothing is a state machine that does not exist.
    arn, _, _ = two_versions

    with raises_aws("StateMachineDoesNotExist", 400):
        sfn.start_execution(stateMachineArn=arn + ":42")


def test_list_executions_of_a_version_or_alias_lists_only_theirs(sfn, two_versions):
    # AWS (ListExecutions): "You can also provide a state machine alias ARN or version
    # ARN to list the executions associated with a specific alias or version."
    arn, v1, v2 = two_versions
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[route(v2)])[
        "stateMachineAliasArn"]
    for target, name in ((arn, "plain"), (v1, "on-v1"), (v2, "on-v2"), (alias, "on-alias")):
        wait_for_execution(sfn, sfn.start_execution(stateMachineArn=target,
                                                    name=name)["executionArn"])

    def names(target):
        return sorted(e["name"] for e in sfn.list_executions(stateMachineArn=target)["executions"])

    assert names(arn) == ["on-alias", "on-v1", "on-v2", "plain"]
    assert names(v1) == ["on-v1"]
    assert names(alias) == ["on-alias"]
    assert "on-v1" not in names(v2) and "plain" not in names(v2)


def test_list_executions_items_carry_version_and_alias(sfn, two_versions):
    # ExecutionListItem: stateMachineVersionArn / stateMachineAliasArn "If the state
    # machine execution was started with an unqualified ARN, it returns null."
    arn, v1, _ = two_versions
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[route(v1)])[
        "stateMachineAliasArn"]
    run_execution(sfn, v1, name="on-v1")
    run_execution(sfn, alias, name="on-alias")
    run_execution(sfn, arn, name="plain")

    items = {e["name"]: e for e in sfn.list_executions(stateMachineArn=arn)["executions"]}

    assert items["on-v1"].get("stateMachineVersionArn") == v1
    assert "stateMachineAliasArn" not in items["on-v1"]
    assert items["on-alias"].get("stateMachineVersionArn") == v1
    assert items["on-alias"].get("stateMachineAliasArn") == alias
    assert "stateMachineVersionArn" not in items["plain"]


# --- aliases -----------------------------------------------------------------------

def test_create_and_describe_an_alias(sfn, two_versions):
    arn, v1, _ = two_versions

    created = sfn.create_state_machine_alias(name="prod", description="production",
                                             routingConfiguration=[route(v1)])
    alias = created["stateMachineAliasArn"]
    described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)

    assert created["stateMachineAliasArn"] == arn + ":prod"
    assert isinstance(created["creationDate"], datetime.datetime)
    assert described["stateMachineAliasArn"] == arn + ":prod"
    assert described["name"] == "prod"
    assert described["description"] == "production"
    assert described["routingConfiguration"] == [route(v1)]
    assert described["creationDate"] == created["creationDate"]
    assert isinstance(described["updateDate"], datetime.datetime)


def test_create_alias_again_with_the_same_arguments_is_idempotent(sfn, two_versions):
    _, v1, _ = two_versions
    args = {"name": "prod", "routingConfiguration": [route(v1)]}

    first = sfn.create_state_machine_alias(**args)
    second = sfn.create_state_machine_alias(**args)

    assert second["stateMachineAliasArn"] == first["stateMachineAliasArn"]
    assert second["creationDate"] == first["creationDate"]


def test_create_alias_again_with_other_routing_is_conflict(sfn, two_versions):
    _, v1, v2 = two_versions
    sfn.create_state_machine_alias(name="prod", routingConfiguration=[route(v1)])

    with raises_aws("ConflictException", 400):
        sfn.create_state_machine_alias(name="prod", routingConfiguration=[route(v2)])


def test_create_alias_to_a_missing_version_is_resource_not_found(sfn, two_versions):
    arn, _, _ = two_versions

    with raises_aws("ResourceNotFound", 400):
        sfn.create_state_machine_alias(name="ghost", routingConfiguration=[route(arn + ":99")])


def test_alias_routing_weights_must_sum_to_100(sfn, two_versions):
    _, v1, v2 = two_versions

    with raises_aws("ValidationException", 400):
        sfn.create_state_machine_alias(name="split",
                                       routingConfiguration=[route(v1, 50), route(v2, 40)])
    with raises_aws("ValidationException", 400):
        sfn.create_state_machine_alias(name="half", routingConfiguration=[route(v1, 50)])


def test_alias_routing_with_versions_of_two_state_machines_is_a_validation_error(
        sfn, two_versions):
    _, v1, _ = two_versions
    other = sfn.create_state_machine(name=unique(), definition=pass_definition(), roleArn=ROLE_ARN,
                                     publish=True)["stateMachineVersionArn"]

    with raises_aws("ValidationException", 400):
        sfn.create_state_machine_alias(name="mixed",
                                       routingConfiguration=[route(v1, 50), route(other, 50)])


def test_alias_routes_between_two_versions_by_weight(sfn, two_versions):
    _, v1, v2 = two_versions
    alias = sfn.create_state_machine_alias(
        name="canary", routingConfiguration=[route(v1, 50), route(v2, 50)])["stateMachineAliasArn"]

    started = [sfn.start_execution(stateMachineArn=alias)["executionArn"] for _ in range(40)]
    described = [wait_for_execution(sfn, arn) for arn in started]

    # 40 draws at 50/50: both versions appear (the chance that one never does is 2^-39).
    versions = {d["stateMachineVersionArn"] for d in described}
    assert versions == {v1, v2}
    for d in described:
        assert d["stateMachineAliasArn"] == alias
        assert json.loads(d["output"]) == ("one" if d["stateMachineVersionArn"] == v1 else "two")


def test_alias_with_all_weight_on_one_version_always_runs_it(sfn, two_versions):
    _, v1, v2 = two_versions
    alias = sfn.create_state_machine_alias(
        name="all-v2", routingConfiguration=[route(v1, 0), route(v2, 100)])["stateMachineAliasArn"]

    described = [run_execution(sfn, alias) for _ in range(10)]

    assert {d["stateMachineVersionArn"] for d in described} == {v2}


def test_update_alias_changes_routing_and_description(sfn, two_versions):
    _, v1, v2 = two_versions
    alias = sfn.create_state_machine_alias(name="prod", routingConfiguration=[route(v1)])[
        "stateMachineAliasArn"]
    created = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)

    updated = sfn.update_state_machine_alias(stateMachineAliasArn=alias, description="moved",
                                             routingConfiguration=[route(v2)])

    described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert described["routingConfiguration"] == [route(v2)]
    assert described["description"] == "moved"
    assert described["creationDate"] == created["creationDate"]
    assert described["updateDate"] == updated["updateDate"]
    assert described["updateDate"] >= created["updateDate"]
    assert json.loads(run_execution(sfn, alias)["output"]) == "two"


def test_update_alias_with_nothing_to_change_is_a_validation_error(sfn, two_versions):
    _, v1, _ = two_versions
    alias = sfn.create_state_machine_alias(name="prod", routingConfiguration=[route(v1)])[
        "stateMachineAliasArn"]

    with raises_aws("ValidationException", 400):
        sfn.update_state_machine_alias(stateMachineAliasArn=alias)


def test_update_alias_weights_must_sum_to_100(sfn, two_versions):
    _, v1, v2 = two_versions
    alias = sfn.create_state_machine_alias(name="prod", routingConfiguration=[route(v1)])[
        "stateMachineAliasArn"]

    with raises_aws("ValidationException", 400):
        sfn.update_state_machine_alias(stateMachineAliasArn=alias,
                                       routingConfiguration=[route(v1, 70), route(v2, 70)])

    described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert described["routingConfiguration"] == [route(v1)]


def test_describe_or_update_a_missing_alias_is_resource_not_found(sfn, two_versions):
    arn, _, _ = two_versions

    with raises_aws("ResourceNotFound", 400):
        sfn.describe_state_machine_alias(stateMachineAliasArn=arn + ":nosuch")
    with raises_aws("ResourceNotFound", 400):
        sfn.update_state_machine_alias(stateMachineAliasArn=arn + ":nosuch", description="x")


def test_list_aliases_and_page_through_them(sfn, two_versions):
    arn, v1, v2 = two_versions
    created = [sfn.create_state_machine_alias(name=name, routingConfiguration=[route(v)])[
        "stateMachineAliasArn"] for name, v in (("blue", v1), ("green", v2), ("prod", v1))]

    everything = sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"]
    seen: list[str] = []
    token = None
    for _ in range(10):
        page = sfn.list_state_machine_aliases(stateMachineArn=arn, maxResults=2,
                                              **({"nextToken": token} if token else {}))
        assert len(page["stateMachineAliases"]) <= 2
        seen += [a["stateMachineAliasArn"] for a in page["stateMachineAliases"]]
        token = page.get("nextToken")
        if not token:
            break

    assert sorted(a["stateMachineAliasArn"] for a in everything) == sorted(created)
    assert all(isinstance(a["creationDate"], datetime.datetime) for a in everything)
    assert sorted(seen) == sorted(created)


def test_delete_alias(sfn, two_versions):
    arn, v1, _ = two_versions
    alias = sfn.create_state_machine_alias(name="prod", routingConfiguration=[route(v1)])[
        "stateMachineAliasArn"]

    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)

    assert sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"] == []
    with raises_aws("ResourceNotFound", 400):
        sfn.describe_state_machine_alias(stateMachineAliasArn=alias)


def test_describe_alias_raw_response_matches_the_model(endpoint, sfn, two_versions):
    _, v1, v2 = two_versions
    alias = sfn.create_state_machine_alias(name="prod", description="d",
                                           routingConfiguration=[route(v1, 90), route(v2, 10)])[
        "stateMachineAliasArn"]

    response = sfn_json_call(endpoint, "DescribeStateMachineAlias", {"stateMachineAliasArn": alias})

    assert response.status_code == 200, response.text
    assert output_shape_problems("DescribeStateMachineAlias", response.json()) == []


# --- deleting versions and state machines -------------------------------------------

def test_delete_a_version_referenced_by_an_alias_is_conflict(sfn, two_versions):
    arn, v1, _ = two_versions
    sfn.create_state_machine_alias(name="prod", routingConfiguration=[route(v1)])

    with raises_aws("ConflictException", 400):
        sfn.delete_state_machine_version(stateMachineVersionArn=v1)

    assert v1 in version_arns(sfn, arn)


def test_delete_a_version_once_no_alias_points_at_it(sfn, two_versions):
    arn, v1, v2 = two_versions
    alias = sfn.create_state_machine_alias(name="prod", routingConfiguration=[route(v1)])[
        "stateMachineAliasArn"]
    sfn.update_state_machine_alias(stateMachineAliasArn=alias, routingConfiguration=[route(v2)])

    sfn.delete_state_machine_version(stateMachineVersionArn=v1)

    assert version_arns(sfn, arn) == [v2]
    with raises_aws("StateMachineDoesNotExist", 400):
        sfn.describe_state_machine(stateMachineArn=v1)


def test_delete_version_with_an_unqualified_arn_is_invalid_arn(sfn, two_versions):
    arn, _, _ = two_versions

    with raises_aws("InvalidArn", 400):
        sfn.delete_state_machine_version(stateMachineVersionArn=arn)


def test_delete_state_machine_removes_its_versions_and_aliases(sfn, two_versions):
    arn, v1, v2 = two_versions
    alias = sfn.create_state_machine_alias(name="prod", routingConfiguration=[route(v1)])[
        "stateMachineAliasArn"]

    sfn.delete_state_machine(stateMachineArn=arn)

    for version in (v1, v2):
        with raises_aws("StateMachineDoesNotExist", 400):
            sfn.describe_state_machine(stateMachineArn=version)
    with raises_aws("ResourceNotFound", 400):
        sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    with raises_aws("StateMachineDoesNotExist", 400):
        sfn.start_execution(stateMachineArn=alias)

    # A new machine with the same name starts over: no versions, no aliases.
    name = arn.rsplit(":", 1)[1]
    sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=ROLE_ARN)
    assert version_arns(sfn, arn) == []
    assert sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"] == []
