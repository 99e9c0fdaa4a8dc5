"""Request bodies and query strings checked by a serializer: a 400 with the messages per
field when invalid, else the validated data."""

from rest_framework.request import Request


def validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def query_params(serializer_class, request: Request) -> dict:
    return validated(serializer_class, request.query_params)
