"""The floor: a trivial DRF view, through the same middleware as the API, doing no work of ours.

Every latency and throughput row is printed beside it, so what Django and DRF cost on this
machine is not mistaken for what the recommendations cost.
"""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class FloorView(APIView):
    def get(self, request: Request) -> Response:
        return Response({"count": 0, "results": []})
