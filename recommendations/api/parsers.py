"""Request body parsers of the API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's, but a body nested deeper than the decoder can follow (thousands of ``[``) is a 400
    like any other malformed body, not a RecursionError and a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None


# What the endpoints that take a body accept: JSON, and the form body of the widget's beacon.
BODY_PARSERS = [JSONParser, parsers.FormParser, parsers.MultiPartParser]
# Their answer to any other body, or to a body its Content-Type header does not describe.
UNSUPPORTED_MEDIA_TYPE = OpenApiResponse(
    description="The body is not JSON, a form or a multipart form, or not what its header says."
)
