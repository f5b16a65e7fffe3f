"""Step Functions state machines: Create/Describe/Update/Delete/List, definition
validation (InvalidDefinition and ValidateStateMachineDefinition), and tags."""

import datetime

import boto3
import pytest

from support.sfn import (ROLE_ARN, definition, output_shape_problems, pass_definition,
                         run_execution, sfn_json_call, state_machine_arn, unique)
from support.sqs import DEFAULT_ACCOUNT, OTHER_ACCOUNT, raises_aws

OTHER_ROLE = f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/another-role"
BAD_NEXT = definition({"P": {"Type": "Pass", "Next": "Nowhere"}, "E": {"Type": "Succeed"}})


# --- CreateStateMachine -----------------------------------------------------------

def test_create_returns_the_arn_for_account_region_and_name(sfn):
    name = unique()
    before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=5)

    created = sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=ROLE_ARN)

    assert created["stateMachineArn"] == state_machine_arn(name)
    assert created["creationDate"] >= before


def test_create_with_identical_arguments_is_idempotent(sfn):
    name = unique()
    args = {"name": name, "definition": pass_definition({"a": 1}), "roleArn": ROLE_ARN}

    first = sfn.create_state_machine(**args)
    second = sfn.create_state_machine(**args)

    assert second["stateMachineArn"] == first["stateMachineArn"]
    assert second["creationDate"] == first["creationDate"]
    names = [m["name"] for m in sfn.list_state_machines()["stateMachines"]]
    assert names.count(name) == 1


def test_create_with_only_a_different_role_is_idempotent_and_keeps_the_first_role(sfn):
    # AWS (CreateStateMachine docs): "If a following request has a different roleArn or
    # tags, Step Functions will ignore these differences and treat it as an idempotent
    # request of the previous. In this case, roleArn and tags will not be updated."
    name = unique()
    first = sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=ROLE_ARN)

    second = sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=OTHER_ROLE)

    assert second["stateMachineArn"] == first["stateMachineArn"]
    described = sfn.describe_state_machine(stateMachineArn=first["stateMachineArn"])
    assert described["roleArn"] == ROLE_ARN


def test_create_with_a_different_definition_is_state_machine_already_exists(sfn):
    name = unique()
    sfn.create_state_machine(name=name, definition=pass_definition(1), roleArn=ROLE_ARN)

    with raises_aws("StateMachineAlreadyExists", 400) as info:
        sfn.create_state_machine(name=name, definition=pass_definition(2), roleArn=ROLE_ARN)

    assert state_machine_arn(name) in info.value.response["Error"]["Message"]


def test_create_with_a_different_type_is_state_machine_already_exists(sfn):
    name = unique()
    sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=ROLE_ARN)

    with raises_aws("StateMachineAlreadyExists", 400):
        sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=ROLE_ARN,
                                 type="EXPRESS")


def test_invalid_definition_message_names_the_code_and_json_pointer(sfn):
    with raises_aws("InvalidDefinition", 400) as info:
        sfn.create_state_machine(name=unique(), definition=BAD_NEXT, roleArn=ROLE_ARN)

    message = info.value.response["Error"]["Message"]
    assert message.startswith("Invalid State Machine Definition: ")
    assert "MISSING_TRANSITION_TARGET" in message
    assert "/States/P/Next" in message


def test_invalid_definition_points_into_a_retrier(sfn):
    text = definition({"T": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": True,
        "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 0.5}]}})

    with raises_aws("InvalidDefinition", 400) as info:
        sfn.create_state_machine(name=unique(), definition=text, roleArn=ROLE_ARN)

    message = info.value.response["Error"]["Message"]
    assert "SCHEMA_VALIDATION_FAILED" in message
    assert "/States/T/Retry/0/BackoffRate" in message


@pytest.mark.parametrize("text", ["not json", "{\"StartAt\": ", "[]", "{}"],
                         ids=["text", "truncated", "array", "empty-object"])
def test_definition_that_is_not_a_state_machine_is_invalid_definition(sfn, text):
    with raises_aws("InvalidDefinition", 400):
        sfn.create_state_machine(name=unique(), definition=text, roleArn=ROLE_ARN)


def test_nothing_is_created_by_a_rejected_definition(sfn):
    name = unique()
    with raises_aws("InvalidDefinition"):
        sfn.create_state_machine(name=name, definition=BAD_NEXT, roleArn=ROLE_ARN)

    with raises_aws("StateMachineDoesNotExist"):
        sfn.describe_state_machine(stateMachineArn=state_machine_arn(name))


@pytest.mark.parametrize("name", ["has space", "slash/name", "colon:name", "star*", "x" * 81,
                                  "tab\tname", "brace{"],
                         ids=["space", "slash", "colon", "wildcard", "81-chars", "control",
                              "bracket"])
def test_invalid_state_machine_name_is_invalid_name(sfn, name):
    with raises_aws("InvalidName", 400):
        sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=ROLE_ARN)


def test_eighty_character_name_with_dashes_and_underscores_is_accepted(sfn):
    name = ("a-b_c" * 16)[:80]

    created = sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=ROLE_ARN)

    assert created["stateMachineArn"] == state_machine_arn(name)


@pytest.mark.parametrize("role", ["not-an-arn", "arn:aws:s3:::bucket/key"],
                         ids=["text", "s3-arn"])
def test_role_that_is_not_an_iam_arn_is_invalid_arn(sfn, role):
    with raises_aws("InvalidArn", 400):
        sfn.create_state_machine(name=unique(), definition=pass_definition(), roleArn=role)


def test_unknown_type_is_a_validation_error(client_factory):
    sfn = client_factory(service="stepfunctions", parameter_validation=False,
                         inject_host_prefix=False)

    with raises_aws("ValidationException", 400):
        sfn.create_state_machine(name=unique(), definition=pass_definition(), roleArn=ROLE_ARN,
                                 type="LAZY")


# --- DescribeStateMachine ----------------------------------------------------------

def test_describe_returns_the_definition_exactly_as_sent(sfn):
    name = unique()
    # Whitespace and key order are the caller's: AWS hands the text back verbatim.
    text = ('{\n  "Comment": "kept as written",\n  "StartAt": "P",\n'
            '  "States": {"P": {"Type": "Pass", "End": true}}\n}')
    arn = sfn.create_state_machine(name=name, definition=text, roleArn=ROLE_ARN,
                                   type="EXPRESS")["stateMachineArn"]

    described = sfn.describe_state_machine(stateMachineArn=arn)

    assert described["stateMachineArn"] == arn
    assert described["name"] == name
    assert described["status"] == "ACTIVE"
    assert described["definition"] == text
    assert described["roleArn"] == ROLE_ARN
    assert described["type"] == "EXPRESS"
    assert isinstance(described["creationDate"], datetime.datetime)


def test_describe_defaults_logging_off_and_tracing_disabled(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    described = sfn.describe_state_machine(stateMachineArn=arn)

    assert described["type"] == "STANDARD"
    assert described["loggingConfiguration"]["level"] == "OFF"
    assert described["tracingConfiguration"] == {"enabled": False}


def test_describe_raw_response_matches_the_model(endpoint, create_state_machine):
    arn = create_state_machine(pass_definition())

    response = sfn_json_call(endpoint, "DescribeStateMachine", {"stateMachineArn": arn})

    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/x-amz-json-1.0")
    assert output_shape_problems("DescribeStateMachine", response.json()) == []


def test_describe_missing_state_machine_is_state_machine_does_not_exist(sfn):
    arn = state_machine_arn(unique("absent"))

    with raises_aws("StateMachineDoesNotExist", 400) as info:
        sfn.describe_state_machine(stateMachineArn=arn)

    assert arn in info.value.response["Error"]["Message"]


@pytest.mark.parametrize("arn", ["nope", "arn:aws:sqs:us-east-1:000000000000:queue",
                                 "arn:aws:states:us-east-1:000000000000:activity:x"],
                         ids=["text", "other-service", "activity"])
def test_describe_with_an_arn_that_is_not_a_state_machine_is_invalid_arn(sfn, arn):
    with raises_aws("InvalidArn", 400):
        sfn.describe_state_machine(stateMachineArn=arn)


def test_an_operation_that_does_not_exist_is_unknown_operation(endpoint):
    response = sfn_json_call(endpoint, "Frobnicate", {})

    assert response.status_code == 400
    assert response.json()["__type"].rsplit("#", 1)[-1] == "UnknownOperationException"


def test_json_error_type_is_namespaced_like_aws(endpoint):
    response = sfn_json_call(endpoint, "DescribeStateMachine",
                             {"stateMachineArn": state_machine_arn(unique("absent"))})

    assert response.status_code == 400
    body = response.json()
    assert body["__type"].rsplit("#", 1)[-1] == "StateMachineDoesNotExist"
    assert body["message"]


# --- UpdateStateMachine ------------------------------------------------------------

def test_update_replaces_definition_and_role(sfn, create_state_machine):
    arn = create_state_machine(pass_definition("old"))
    new_text = pass_definition("new")

    updated = sfn.update_state_machine(stateMachineArn=arn, definition=new_text, roleArn=OTHER_ROLE)

    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert described["definition"] == new_text
    assert described["roleArn"] == OTHER_ROLE
    assert isinstance(updated["updateDate"], datetime.datetime)
    assert updated["revisionId"] == described["revisionId"]


def test_each_update_gives_a_new_revision_id(sfn, create_state_machine):
    arn = create_state_machine(pass_definition(0))

    revisions = [sfn.update_state_machine(stateMachineArn=arn, definition=pass_definition(i))[
        "revisionId"] for i in (1, 2)]

    assert revisions[0] != revisions[1]


def test_executions_after_an_update_run_the_new_definition(sfn, create_state_machine):
    arn = create_state_machine(pass_definition("old"))
    sfn.update_state_machine(stateMachineArn=arn, definition=pass_definition("new"))

    assert run_execution(sfn, arn)["output"] == '"new"'


def test_update_with_nothing_to_change_is_missing_required_parameter(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    with raises_aws("MissingRequiredParameter", 400):
        sfn.update_state_machine(stateMachineArn=arn)


def test_update_with_an_invalid_definition_is_invalid_definition_and_changes_nothing(
        sfn, create_state_machine):
    arn = create_state_machine(pass_definition("kept"))

    with raises_aws("InvalidDefinition", 400) as info:
        sfn.update_state_machine(stateMachineArn=arn, definition=BAD_NEXT)

    assert "/States/P/Next" in info.value.response["Error"]["Message"]
    assert sfn.describe_state_machine(stateMachineArn=arn)["definition"] == pass_definition("kept")


def test_update_with_a_role_that_is_not_an_arn_is_invalid_arn(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    with raises_aws("InvalidArn", 400):
        sfn.update_state_machine(stateMachineArn=arn, roleArn="role")


def test_update_missing_state_machine_is_state_machine_does_not_exist(sfn):
    with raises_aws("StateMachineDoesNotExist", 400):
        sfn.update_state_machine(stateMachineArn=state_machine_arn(unique("absent")),
                                 definition=pass_definition())


# --- DeleteStateMachine ------------------------------------------------------------

def test_delete_removes_the_state_machine(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    sfn.delete_state_machine(stateMachineArn=arn)

    assert arn not in [m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]]
    with raises_aws("StateMachineDoesNotExist"):
        sfn.describe_state_machine(stateMachineArn=arn)


def test_deleting_twice_succeeds(sfn, create_state_machine):
    # DeleteStateMachine's model lists no StateMachineDoesNotExist: deletion is idempotent.
    arn = create_state_machine(pass_definition())
    sfn.delete_state_machine(stateMachineArn=arn)

    sfn.delete_state_machine(stateMachineArn=arn)


def test_name_is_free_again_after_delete(sfn, create_state_machine):
    name = unique()
    arn = create_state_machine(pass_definition(1), name=name)
    sfn.delete_state_machine(stateMachineArn=arn)

    recreated = sfn.create_state_machine(name=name, definition=pass_definition(2),
                                         roleArn=ROLE_ARN)["stateMachineArn"]

    assert recreated == arn
    assert sfn.describe_state_machine(stateMachineArn=arn)["definition"] == pass_definition(2)


def test_delete_with_an_invalid_arn_is_invalid_arn(sfn):
    with raises_aws("InvalidArn", 400):
        sfn.delete_state_machine(stateMachineArn="not-an-arn")


# --- ListStateMachines -------------------------------------------------------------

def test_list_items_carry_arn_name_type_and_creation_date(sfn, create_state_machine):
    standard = create_state_machine(pass_definition())
    express = create_state_machine(pass_definition(), type="EXPRESS")

    items = {m["stateMachineArn"]: m for m in sfn.list_state_machines()["stateMachines"]}

    assert items[standard]["type"] == "STANDARD"
    assert items[express]["type"] == "EXPRESS"
    assert items[standard]["name"] == standard.rsplit(":", 1)[1]
    assert isinstance(items[standard]["creationDate"], datetime.datetime)


def test_list_pages_with_max_results_and_next_token(sfn, create_state_machine):
    created = {create_state_machine(pass_definition(i)) for i in range(5)}

    seen, pages, token = [], 0, None
    while True:
        args = {"maxResults": 2}
        if token:
            args["nextToken"] = token
        page = sfn.list_state_machines(**args)
        assert len(page["stateMachines"]) <= 2
        seen += [m["stateMachineArn"] for m in page["stateMachines"]]
        pages += 1
        token = page.get("nextToken")
        if not token:
            break
        assert pages < 10

    assert pages == 3
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == created


def test_boto3_paginator_walks_every_state_machine(sfn, create_state_machine):
    created = {create_state_machine(pass_definition(i)) for i in range(3)}

    paginator = sfn.get_paginator("list_state_machines")
    seen = [m["stateMachineArn"] for page in paginator.paginate(PaginationConfig={"PageSize": 1})
            for m in page["stateMachines"]]

    assert sorted(seen) == sorted(created)


def test_list_without_max_results_has_no_next_token_for_few_items(sfn, create_state_machine):
    create_state_machine(pass_definition())

    page = sfn.list_state_machines()

    assert "nextToken" not in page


def test_list_with_a_made_up_next_token_is_invalid_token(sfn):
    with raises_aws("InvalidToken", 400):
        sfn.list_state_machines(nextToken="made-up")


def test_list_max_results_over_1000_is_a_validation_error(client_factory):
    sfn = client_factory(service="stepfunctions", parameter_validation=False,
                         inject_host_prefix=False)

    with raises_aws("ValidationException", 400):
        sfn.list_state_machines(maxResults=1001)


def test_state_machines_are_per_account_and_region(sfn, endpoint, client_factory,
                                                  create_state_machine):
    arn = create_state_machine(pass_definition())
    other_account = client_factory(service="stepfunctions", access_key=OTHER_ACCOUNT,
                                   inject_host_prefix=False)
    other_region = boto3.session.Session().client(
        "stepfunctions", endpoint_url=endpoint, region_name="eu-west-1",
        aws_access_key_id="test", aws_secret_access_key="test")

    assert other_account.list_state_machines()["stateMachines"] == []
    assert other_region.list_state_machines()["stateMachines"] == []
    assert [m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]] == [arn]


def test_other_account_arns_name_that_account(client_factory):
    other = client_factory(service="stepfunctions", access_key=OTHER_ACCOUNT,
                           inject_host_prefix=False)
    name = unique()

    arn = other.create_state_machine(name=name, definition=pass_definition(),
                                     roleArn=ROLE_ARN)["stateMachineArn"]

    assert arn == state_machine_arn(name, account=OTHER_ACCOUNT)


# --- ValidateStateMachineDefinition ------------------------------------------------

def test_validate_a_good_definition_is_ok_without_diagnostics(sfn):
    result = sfn.validate_state_machine_definition(definition=pass_definition())

    assert result["result"] == "OK"
    assert result["diagnostics"] == []
    assert result.get("truncated", False) is False


def test_validate_reports_codes_and_json_pointer_locations(sfn):
    text = definition({
        "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "Missing",
              "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 0.5}]},
        "E": {"Type": "Succeed"}})

    result = sfn.validate_state_machine_definition(definition=text)

    assert result["result"] == "FAIL"
    found = {(d["code"], d["location"]) for d in result["diagnostics"]}
    assert ("MISSING_TRANSITION_TARGET", "/States/T/Next") in found
    assert ("SCHEMA_VALIDATION_FAILED", "/States/T/Retry/0/BackoffRate") in found
    for diagnostic in result["diagnostics"]:
        assert diagnostic["severity"] == "ERROR"
        assert diagnostic["message"]


def test_validate_json_syntax_error_is_invalid_json_description(sfn):
    result = sfn.validate_state_machine_definition(definition="{\"StartAt\": ")

    assert result["result"] == "FAIL"
    assert [d["code"] for d in result["diagnostics"]] == ["INVALID_JSON_DESCRIPTION"]


def test_validate_max_results_truncates_the_diagnostics(sfn):
    text = definition({"A": {"Type": "Pass", "Next": "X"}, "B": {"Type": "Pass", "Next": "Y"},
                       "E": {"Type": "Succeed"}})

    full = sfn.validate_state_machine_definition(definition=text)
    cut = sfn.validate_state_machine_definition(definition=text, maxResults=1)

    assert len(full["diagnostics"]) >= 2
    assert len(cut["diagnostics"]) == 1
    assert cut["truncated"] is True
    assert cut["result"] == "FAIL"


def test_validate_creates_nothing(sfn):
    sfn.validate_state_machine_definition(definition=pass_definition())

    assert sfn.list_state_machines()["stateMachines"] == []


def test_validate_raw_response_matches_the_model(endpoint):
    response = sfn_json_call(endpoint, "ValidateStateMachineDefinition", {"definition": BAD_NEXT})

    assert response.status_code == 200, response.text
    assert output_shape_problems("ValidateStateMachineDefinition", response.json()) == []


# --- tags --------------------------------------------------------------------------

def test_tags_given_at_creation_are_listed(sfn, create_state_machine):
    arn = create_state_machine(pass_definition(), tags=[{"key": "team", "value": "core"}])

    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "team", "value": "core"}]


def test_tag_resource_adds_and_overwrites_and_untag_removes(sfn, create_state_machine):
    arn = create_state_machine(pass_definition(), tags=[{"key": "a", "value": "1"}])

    sfn.tag_resource(resourceArn=arn, tags=[{"key": "a", "value": "2"}, {"key": "b", "value": "3"}])
    tagged = {t["key"]: t["value"] for t in sfn.list_tags_for_resource(resourceArn=arn)["tags"]}
    sfn.untag_resource(resourceArn=arn, tagKeys=["a", "not-there"])
    untagged = sfn.list_tags_for_resource(resourceArn=arn)["tags"]

    assert tagged == {"a": "2", "b": "3"}
    assert untagged == [{"key": "b", "value": "3"}]


def test_state_machine_without_tags_lists_none(sfn, create_state_machine):
    arn = create_state_machine(pass_definition())

    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == []


def test_tags_of_a_missing_state_machine_are_resource_not_found(sfn):
    arn = state_machine_arn(unique("absent"))

    with raises_aws("ResourceNotFound", 400):
        sfn.list_tags_for_resource(resourceArn=arn)
    with raises_aws("ResourceNotFound", 400):
        sfn.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}])
    with raises_aws("ResourceNotFound", 400):
        sfn.untag_resource(resourceArn=arn, tagKeys=["k"])


def test_tagging_a_malformed_arn_is_invalid_arn(sfn):
    with raises_aws("InvalidArn", 400):
        sfn.tag_resource(resourceArn="not-an-arn", tags=[{"key": "k", "value": "v"}])


def test_more_than_fifty_tags_is_too_many_tags(sfn, create_state_machine):
    arn = create_state_machine(pass_definition(),
                               tags=[{"key": f"k{i}", "value": "v"} for i in range(45)])

    with raises_aws("TooManyTags", 400):
        sfn.tag_resource(resourceArn=arn, tags=[{"key": f"n{i}", "value": "v"} for i in range(6)])

    assert len(sfn.list_tags_for_resource(resourceArn=arn)["tags"]) == 45


def test_recreating_with_other_tags_keeps_the_first_tags(sfn):
    # AWS: on an idempotent CreateStateMachine "roleArn and tags will not be updated".
    name = unique()
    args = {"name": name, "definition": pass_definition(), "roleArn": ROLE_ARN}
    arn = sfn.create_state_machine(**args, tags=[{"key": "first", "value": "1"}])["stateMachineArn"]

    sfn.create_state_machine(**args, tags=[{"key": "second", "value": "2"}])

    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "first", "value": "1"}]

