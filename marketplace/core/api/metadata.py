"""What OPTIONS answers. DRF's default describes the body of a POST or PUT by building
the view's serializer and, for PUT, loading the object: views that read their serializer
and object from the URL cannot do that, and it would describe an object the caller may
not see. Here OPTIONS first answers as GET would (the same 401 or 404 for an object the
caller may not see; the body is discarded) and then names the endpoint and the media
types it reads and writes. The request bodies are described by the OpenAPI schema. A
page that renders only HTML (the API docs) has nothing to describe: 405."""

from django.http import FileResponse
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.metadata import BaseMetadata
from rest_framework.request import clone_request


def _as_get(request, view) -> None:
    """Run the view's GET handler for its refusals, if it has one; the answer is dropped."""
    handler = getattr(view, "get", None)
    if handler is None:
        return
    original = view.request
    view.request = clone_request(request, "GET")
    try:
        answer = handler(view.request, *view.args, **view.kwargs)
    finally:
        view.request = original
    # Only a download's file is closed: closing the answer would signal that the request
    # has ended (and let Django close the database connection in the middle of it).
    if isinstance(answer, FileResponse) and answer.file_to_stream is not None:
        answer.file_to_stream.close()


class EndpointMetadata(BaseMetadata):
    def determine_metadata(self, request, view):
        if all(renderer.media_type == "text/html" for renderer in view.renderer_classes):
            raise MethodNotAllowed(request.method)
        _as_get(request, view)
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }
