"""A JSON 404 for any path under an API resource that no route matches (for example
an unknown transition), so that every API error has the same body."""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


@extend_schema(exclude=True)
class NotFoundView(APIView):
    permission_classes = [AllowAny]

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise NotFound

    def options(self, request, *args, **kwargs):
        raise NotFound
