"""schemathesis against /api/v1/openapi.json, inside pytest, on the real app and database: for every operation,
as a centre user (the dispatcher) and as a department user (东湖区城管执法局's staff), generated requests — ones that
fit the description and ones that break it — must get no server error, and every answer must be documented: its
status, its content type and its body's schema. Deterministic: derandomized, a fixed number of examples each.

(schemathesis's own pytest loader, `from_fixture`, does not run under pytest 9, so the operations are
parametrized here from the description and each one's strategy is driven with hypothesis's @given.)"""
from __future__ import annotations

import hashlib

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hotline.web.api.openapi import document
from tests.api_helpers import Api, token_for
from tests.helpers import act, dispatch
from tests.integration.petition_helpers import new_petition

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 15  # per operation, user and mode: the whole run stays within a few minutes on 2 cores
USERS = ("dispatcher", "dh-cgj-staff")  # the centre sees every case; a department only its own
OPERATIONS = [(path, method.upper()) for path, item in document()["paths"].items() for method in item]


@pytest.fixture(scope="module")
def openapi_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def real_cases(app) -> list[str]:
    """Cases for the generated requests to find: a work order dispatched to 东湖区城管执法局 and signed, one that is
    another department's, one still to be dispatched, and a petition."""
    from hotline.clock import now

    operator = Api.as_user(app, "operator")
    ours = operator.file()
    dispatch(app, ours, "dh-cgj", "dh-xhj")
    act(app, ours, "dh-cgj-staff", "sign")
    theirs = operator.file(description="小区门口的路灯坏了一个多月，晚上很黑，请尽快修复。",
                           category="city.street-vending")
    if operator.get(f"/cases/{theirs}").get_json()["state"] == "registered":  # unless the catalogue dispatched it
        dispatch(app, theirs, "dh-xhj")
    waiting = operator.file(name="赵六")
    return [ours, theirs, waiting, new_petition(app, now())]


def _real(generated: str, numbers: list[str]) -> str:
    """Most generated case numbers name a real case (so actions meet the procedure), one in five stays as made
    (so unknown ones are tried too); chosen from the generated value, so the run is the same every time."""
    pick = int(hashlib.sha256(generated.encode("utf-8", "surrogatepass")).hexdigest(), 16) % (len(numbers) + 1)
    return numbers[pick] if pick < len(numbers) else generated


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_the_api_keeps_to_its_description(app, openapi_schema, real_cases, path, method, username, mode):
    operation = openapi_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        if isinstance(case.path_parameters, dict) and isinstance(case.path_parameters.get("number"), str):
            case.path_parameters["number"] = _real(case.path_parameters["number"], real_cases)
        # a fresh token each time: DELETE /tokens/{id} may revoke the one just used
        case.call_and_validate(headers={"Authorization": f"Bearer {token_for(app, username)}"}, checks=CHECKS)

    run()


def test_the_checks_catch_a_description_that_is_not_true(app, real_cases):
    """The run above can fail: against a description that promises a field the cases do not have, and leaves out
    the 404, reading a case is reported."""
    doc = document()
    doc["components"]["schemas"]["Case"]["required"].append("no_such_field")
    del doc["paths"]["/cases/{number}"]["get"]["responses"]["404"]
    schema = schemathesis.openapi.from_dict(doc)
    schema.app = app
    operation = schema["/cases/{number}"]["GET"]
    auth = {"Authorization": f"Bearer {token_for(app, 'dispatcher')}"}
    for number, failure in ((real_cases[0], "Response violates schema"), ("no-such-case", "Undocumented status code")):
        case = operation.Case(path_parameters={"number": number})
        with pytest.raises(FailureGroup) as found:
            case.call_and_validate(headers=auth, checks=CHECKS)
        assert [e.title for e in found.value.exceptions] == [failure]
