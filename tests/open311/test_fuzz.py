"""The API fuzzed from its own OpenAPI description (schemathesis): for any
input the description allows, and much it does not, no 5xx and every answer
matches the description (status, content type, body). Not checked: that
every request the description allows is accepted, as it cannot say that a
window spans at most 90 days or that a year is after 1900.

The operations are walked by hand with hypothesis, as schemathesis' pytest
plugin does not run on this pytest."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

EXAMPLES = 40


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/open311/v2/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_the_description_lists_every_endpoint_in_both_formats(app):
    assert len(operations(app)) == 14


@pytest.mark.heavy
@pytest.mark.parametrize("index", range(14))
def test_every_answer_matches_the_description(app, api_key, index):
    operation = operations(app)[index]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        if case.method == "POST" and isinstance(case.body, dict) and len(case.body) % 2:
            case.body = {**case.body, "api_key": api_key}    # half the filings get to the intake
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()
