"""limit/offset paging shared by the list endpoints."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Far beyond any real list, and small enough for every database's integer type.
MAX_OFFSET = 1_000_000_000


class PageParams(Schema):
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page (at most 500).")
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, description="Items to skip.")
