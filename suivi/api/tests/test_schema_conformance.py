"""Schemathesis against the API's own OpenAPI document: no server error, no response outside the schema.

Each operation of ``/api/v1/openapi.json`` gets generated requests (valid and invalid
parameters) sent through the WSGI application over the CIEC data; every default check
must pass. The number of examples per operation is bounded (``SCHEMATHESIS_EXAMPLES``,
default 20) so the suite stays fast; raise it locally to search harder.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from suivi.api.main import api
from suivi.contributions.models import ApiToken, RoleKind
from suivi.factories import RoleFactory, UserFactory

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "20"))
OPENAPI = api.get_openapi_schema(path_prefix="/api/v1/")


def build_schema():
    schema = schemathesis.openapi.from_dict(OPENAPI)
    schema.app = get_wsgi_application()
    return schema


OPERATIONS = [result.ok().label for result in build_schema().get_all_operations()]


WRITES = [label for label in OPERATIONS if not label.startswith("GET ")]


def test_every_path_of_the_api_is_in_the_document():
    assert len(OPERATIONS) == 25
    assert "GET /api/v1/observations" in OPERATIONS
    assert "GET /api/v1/territorial-targets" in OPERATIONS
    assert sorted(WRITES) == [
        "POST /api/v1/initiatives",
        "POST /api/v1/observations",
        "POST /api/v1/observations/{value_id}/status",
        "PUT /api/v1/initiatives/{programme}/{slug}",
        "PUT /api/v1/observations/{value_id}",
    ]


@pytest.fixture
def keep_the_test_connection():
    """As Django's test client does: a request must not close the connection holding the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("label", OPERATIONS)
@pytest.mark.usefixtures("ciec_for_module")  # the CIEC, loaded once for the module (conftest.py)
def test_the_operation_answers_within_its_schema(db, keep_the_test_connection, label):
    operation = build_schema().find_operation_by_label(label)
    headers, excluded = {}, []
    if label in WRITES:
        # Writes run as an administrator. Generated bodies name indicators, measures and
        # territories that do not exist, which the API rightly refuses with a 400: the
        # "schema-valid data accepted" check cannot hold for them.
        admin = UserFactory()
        RoleFactory(user=admin, kind=RoleKind.ADMINISTRATOR, programme=None)
        headers = {"Authorization": f"Bearer {ApiToken.issue(admin, 'schemathesis')[1]}"}
        excluded = [positive_data_acceptance]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case):
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    check()
