"""Schemathesis over the app's OpenAPI document: no 5xx, no status code or content type it does not list.

A bounded run: a fixed seed, a few examples per operation, and only the explicit and generate
phases, so that it ends within a minute.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the dev extra")

from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from borderwatch.config import Settings
from borderwatch.serve import create_app

MAX_EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_the_api_keeps_to_its_openapi_document(db_path: Path) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(db=str(db_path))))
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @seed(13)
        @settings(max_examples=MAX_EXAMPLES, phases=[Phase.explicit, Phase.generate], derandomize=True,
                  deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            case.call_and_validate(checks=CHECKS)

        try:
            call()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every operation's failure, listed together
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert operations >= 10
    assert not failures, "\n\n".join(failures)
