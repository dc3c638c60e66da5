"""The caller's own data: download it, delete it, switch personalisation off.

Always the caller's (their account, or their session when anonymous), never anyone else's: staff
act for a shopper in the admin. A logged-in caller sends the CSRF token for DELETE and PUT.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..privacy import (
    personalisation_enabled,
    personalisation_set,
    shopper_data_delete,
    shopper_data_export,
)
from ..shoppers import shopper_key_for_request
from .parsers import BODY_PARSERS, UNSUPPORTED_MEDIA_TYPE

NO_VISIT = OpenApiResponse(
    description="No session and not signed in: a preference is kept for a visit (the shop's "
    "pages start one); or a signed-in caller without the CSRF token."
)
NO_CSRF = OpenApiResponse(description="A signed-in caller without the CSRF token.")
BAD_REQUEST = OpenApiResponse(description="The body is invalid; it names the field and why.")


class ExportedEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    product = serializers.IntegerField(allow_null=True)
    value = serializers.FloatField(allow_null=True)
    text = serializers.CharField(allow_blank=True)
    source = serializers.CharField()
    created_at = serializers.DateTimeField()


class ExportedSearchSerializer(serializers.Serializer):
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class ExportedVectorSerializer(serializers.Serializer):
    has_vector = serializers.BooleanField()
    model = serializers.CharField(allow_blank=True)
    events_used = serializers.IntegerField()
    updated_at = serializers.DateTimeField(allow_null=True)


class ExportedFactorsSerializer(serializers.Serializer):
    model_version = serializers.IntegerField()
    activated_at = serializers.DateTimeField(allow_null=True)


class ExportedAssignmentSerializer(serializers.Serializer):
    experiment = serializers.CharField()
    variant = serializers.CharField()
    first_seen = serializers.DateTimeField()


class ExportedPlacementEventSerializer(serializers.Serializer):
    placement = serializers.CharField()
    experiment = serializers.CharField(allow_null=True)
    variant = serializers.CharField(allow_null=True)
    kind = serializers.CharField()
    product = serializers.IntegerField()
    position = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class ExportedReasonSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    language = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class DataExportSerializer(serializers.Serializer):
    shopper = serializers.CharField(allow_null=True, help_text="Null: no visit, nothing held.")
    personalised = serializers.BooleanField()
    events = ExportedEventSerializer(many=True)
    searches = ExportedSearchSerializer(many=True)
    shopper_vector = ExportedVectorSerializer(
        allow_null=True, help_text="How the shopper's vector was made; never its numbers."
    )
    learned_factors = ExportedFactorsSerializer(
        many=True, help_text="Model versions that hold learned factors for the shopper."
    )
    experiment_assignments = ExportedAssignmentSerializer(many=True)
    placement_events = ExportedPlacementEventSerializer(many=True)
    reasons = ExportedReasonSerializer(many=True, help_text="Cached reasons quoting their history.")


class DeletedSerializer(serializers.Serializer):
    reasons = serializers.IntegerField()
    events = serializers.IntegerField()
    shopper_vector = serializers.IntegerField()
    learned_factors = serializers.IntegerField()
    placement_events = serializers.IntegerField()


class PersonalisationSerializer(serializers.Serializer):
    personalised = serializers.BooleanField(
        help_text="False: only non-personal strategies (popular, trending) serve the caller."
    )


class MyDataView(APIView):
    """What the engine holds about the caller."""

    @extend_schema(responses={200: DataExportSerializer})
    def get(self, request: Request) -> Response:
        """Everything the engine holds about the caller, as a JSON download; empty without a
        visit."""
        export = shopper_data_export(shopper_key_for_request(request))
        response = Response(DataExportSerializer(export).data)
        response["Content-Disposition"] = 'attachment; filename="my-recommendation-data.json"'
        return response

    @extend_schema(responses={200: DeletedSerializer, 403: NO_CSRF})
    def delete(self, request: Request) -> Response:
        """Delete the caller's events, vector, learned factors, impressions and clicks and the
        cached reasons quoting them; answers how many rows of each went."""
        shopper = shopper_key_for_request(request)
        deleted = (
            shopper_data_delete(shopper)
            if shopper
            else dict.fromkeys(DeletedSerializer().fields, 0)
        )
        return Response(DeletedSerializer(deleted).data)


class PersonalisationView(APIView):
    """Whether the caller's own behaviour shapes what they are recommended."""

    parser_classes = BODY_PARSERS

    @extend_schema(responses={200: PersonalisationSerializer})
    def get(self, request: Request) -> Response:
        """Whether the caller's behaviour shapes their recommendations."""
        enabled = personalisation_enabled(shopper_key_for_request(request))
        return Response({"personalised": enabled})

    @extend_schema(
        request=PersonalisationSerializer,
        responses={
            200: PersonalisationSerializer,
            400: BAD_REQUEST,
            403: NO_VISIT,
            415: UNSUPPORTED_MEDIA_TYPE,
        },
    )
    def put(self, request: Request) -> Response:
        """Switch personalisation on or off for the caller."""
        shopper = shopper_key_for_request(request)
        if shopper is None:
            raise PermissionDenied(NO_VISIT.description)
        choice = PersonalisationSerializer(data=request.data)
        choice.is_valid(raise_exception=True)
        personalisation_set(shopper, enabled=choice.validated_data["personalised"])
        return Response(choice.validated_data)
