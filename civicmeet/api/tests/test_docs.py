"""docs/api.md describes every operation of the API, and nothing that is not one."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from civicmeet.api.urls import api

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"


def _shape(path: str) -> str:
    return re.sub(r"\{\w+\}", "{}", path)


def test_every_operation_is_documented_and_every_documented_one_exists():
    documented = {
        (method, _shape(path))
        for method, path in re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^`?\s]*)", DOC.read_text())
    }
    operations = {
        (method.upper(), _shape(path))
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method in methods
    }
    assert operations - documented == set(), "Describe these in docs/api.md"
    assert documented - operations == set(), "docs/api.md describes operations that do not exist"
