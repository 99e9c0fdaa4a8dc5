"""Private submissions: list and create per challenge, read, edit (a new version),
withdraw, add and remove files (each a new version), download a file, and the receipts.

Thin: reads through `selectors_submissions` (which apply who may see what), writes
through `services.submissions`. A submission, or a file, that the caller may not read
is a 404, exactly as an id that does not exist. Uploads are multipart with the files
under `files`; they are streamed to disk and hashed on arrival, and a file over the size
limit stops the upload and answers 400 on `files`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.challenges.selectors import challenge_for_user
from marketplace.core.api.inputs import validated
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import CHALLENGE_ID, SUBMISSION_ID, errors
from marketplace.core.errors import NotAllowed
from marketplace.core.markdown import render_markdown
from marketplace.submissions import services as service
from marketplace.submissions.identity import shows_listed_solvers, shows_solver
from marketplace.submissions.models import ReviewStatus
from marketplace.submissions.permissions import can_read_all_submissions, is_author_or_staff
from marketplace.submissions.selectors import (
    challenge_submissions_for,
    entry_number,
    receipts_of,
    submission_file_for_reader,
    submission_for_reader,
)
from marketplace.submissions.views import submission_file_response

FILE_ID = OpenApiParameter(
    "file_id", int, OpenApiParameter.PATH, description=gettext_lazy("File id.")
)
CONFLICT = errors(409)[409]
WRITE_ERRORS = {
    **errors(400, 401, 403, 404),
    409: OpenApiResponse(
        CONFLICT.response,
        description=gettext_lazy(
            "“closed”: the challenge is not open or its submission deadline has passed; "
            "“withdrawn”: the submission was withdrawn."
        ),
    ),
}


class SubmitterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SubmissionFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField(help_text=gettext_lazy("Bytes."))
    sha256 = serializers.CharField()
    content_type = serializers.CharField(help_text=gettext_lazy("Found from the content."))
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, obj) -> str:
        file_id = obj["id"] if isinstance(obj, dict) else obj.pk
        return reverse("api-submission-file", args=[self.context["submission_id"], file_id])


REF = extend_schema_field(SubmitterSerializer(allow_null=True))
FILES = extend_schema_field(SubmissionFileSerializer(many=True))


class SubmissionReviewStateSerializer(serializers.Serializer):
    """What the owner side tells the solver: never a score nor a judge's private note."""

    status = serializers.ChoiceField(choices=ReviewStatus.choices, source="review_status")
    reason = serializers.CharField(
        source="review_reason", help_text=gettext_lazy("Why it is not admissible.")
    )
    note = serializers.CharField(source="review_note", help_text=gettext_lazy("To the solver."))


class SubmissionSerializer(serializers.Serializer):
    """A submission as the caller may see it. `author` and `team` are null when blind
    judging hides who submitted (`marketplace.submissions.identity`); `entry_number`
    ("Entry #n") is set for the Seeker's readers."""

    id = serializers.IntegerField()
    challenge = serializers.IntegerField(source="challenge_id")
    title = serializers.CharField()
    abstract = serializers.CharField()
    body = serializers.CharField(help_text=gettext_lazy("Markdown."))
    body_html = serializers.SerializerMethodField()
    # Not an enum in the schema: the name "state" is taken by the challenge's states.
    state = serializers.CharField(help_text=gettext_lazy("active or withdrawn."))
    version = serializers.IntegerField()
    sha256 = serializers.CharField(help_text=gettext_lazy("SHA-256 of the current version."))
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    entry_number = serializers.IntegerField(allow_null=True)
    author = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    review = SubmissionReviewStateSerializer(source="*")

    def get_body_html(self, obj) -> str:
        return render_markdown(obj.body)

    @REF
    def get_author(self, obj):
        if not self.context["reveal"]:
            return None
        return {"id": obj.author_id, "name": str(obj.author)}

    @REF
    def get_team(self, obj):
        if not self.context["reveal"] or obj.team_id is None:
            return None
        return {"id": obj.team_id, "name": obj.team.name}

    @FILES
    def get_files(self, obj):
        context = {"submission_id": obj.pk}
        return SubmissionFileSerializer(obj.current_files, many=True, context=context).data


class SubmissionReceiptSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    sha256 = serializers.CharField(help_text=gettext_lazy("SHA-256 of this version's content."))
    title = serializers.CharField()
    abstract = serializers.CharField()
    body = serializers.CharField()
    note = serializers.CharField(help_text=gettext_lazy("“withdrawn” for a withdrawal."))
    files = serializers.SerializerMethodField()

    @FILES
    def get_files(self, obj):
        context = {"submission_id": obj.submission_id}
        return SubmissionFileSerializer(obj.files, many=True, context=context).data


class SubmissionTextSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, allow_blank=True)
    abstract = serializers.CharField(max_length=5000, allow_blank=True)
    body = serializers.CharField(max_length=200_000, allow_blank=True)


class SubmissionCreateSerializer(SubmissionTextSerializer):
    team = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Submit for this team (you must be its captain)."),
    )


class SubmissionUploadCreateSerializer(SubmissionCreateSerializer):
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list
    )


class SubmissionUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, allow_blank=True, required=False)
    abstract = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    body = serializers.CharField(max_length=200_000, allow_blank=True, required=False)


class SubmissionFilesSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True))


# --- helpers -----------------------------------------------------------------------------


def _check_upload(request) -> None:
    """Parse the body now; a file over the limit stopped the upload (see
    `marketplace.core.uploads`): refuse the whole request, nothing is saved."""
    request.data  # noqa: B018  (parsing runs the upload handler)
    if getattr(request, "upload_too_large", False):
        raise ValidationError(
            {
                "files": [
                    _("A file is larger than %(limit)s, so nothing was saved.")
                    % {"limit": filesizeformat(settings.SUBMISSION_MAX_FILE_BYTES)}
                ]
            }
        )


def _uploads(request) -> list:
    return request.FILES.getlist("files")


def submission_body(request, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
    """The submission re-read as the caller may see it."""
    user = request.user
    submission = submission_for_reader(user, pk)
    if can_read_all_submissions(user, submission.challenge):
        submission.entry_number = entry_number(submission)
    context = {"reveal": shows_solver(user, submission)}
    return Response(SubmissionSerializer(submission, context=context).data, status=status_code)


class DownloadNegotiation(DefaultContentNegotiation):
    """A download is a file whatever the client accepts; errors are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


# --- views -------------------------------------------------------------------------------


class ChallengeSubmissionsView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    write_scope = "uploads"
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        summary=gettext_lazy("Submissions to a challenge that you may read"),
        description=gettext_lazy(
            "A solver gets their own (alone or with their teams), in any state, newest "
            "first. The Seeker's owners and judges, once the challenge has closed, and "
            "staff get every active submission in entry order, with `entry_number`; "
            "under blind judging `author` and `team` are null for the Seeker until the "
            "winners are chosen. Anyone else gets an empty list."
        ),
        parameters=[CHALLENGE_ID],
        responses={200: SubmissionSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request, pk):
        user = request.user
        challenge = challenge_for_user(user, pk)
        rows = challenge_submissions_for(user, challenge)
        page = self.paginate_queryset(rows)
        context = {"reveal": shows_listed_solvers(user, challenge)}
        data = SubmissionSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary=gettext_lazy("Submit a solution"),
        description=gettext_lazy(
            "Registered solvers (the challenge's agreement accepted), while the challenge "
            "is open and before its deadline (the server's clock decides, to the second), "
            "up to the challenge's limit of active submissions. As multipart/form-data "
            "with any number of `files` (by default at most 10 files of 200 MB each; the "
            "type is found from the content, not the name), or as "
            "JSON without files. A team's captain may submit for the team. The receipt "
            "(version 1) is e-mailed to every author."
        ),
        parameters=[CHALLENGE_ID],
        request={
            "multipart/form-data": SubmissionUploadCreateSerializer,
            "application/json": SubmissionCreateSerializer,
        },
        responses={201: SubmissionSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        _check_upload(request)
        data = validated(SubmissionCreateSerializer, request.data)
        submission = service.submission_create(
            challenge_id=challenge.pk,
            author=request.user,
            title=data["title"],
            abstract=data["abstract"],
            body=data["body"],
            uploads=_uploads(request),
            team_id=data.get("team"),
        )
        return submission_body(request, submission.pk, status.HTTP_201_CREATED)


class SubmissionView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=gettext_lazy("One submission"),
        description=gettext_lazy(
            "Its authors and staff; the Seeker's owners and judges once the challenge has "
            "closed (active submissions only). Anyone else gets 404."
        ),
        parameters=[SUBMISSION_ID],
        responses={200: SubmissionSerializer, **errors(401, 404)},
    )
    def get(self, request, pk):
        return submission_body(request, pk)

    @extend_schema(
        summary=gettext_lazy("Edit: a new version"),
        description=gettext_lazy(
            "Authors only, while the challenge is open and before its deadline. The fields "
            "sent replace the current ones; the others stay. Files: see /files/."
        ),
        parameters=[SUBMISSION_ID],
        request=SubmissionUpdateSerializer,
        responses={200: SubmissionSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk):
        submission = submission_for_reader(request.user, pk)
        data = validated(SubmissionUpdateSerializer, request.data)
        service.submission_update(
            submission_id=submission.pk,
            actor=request.user,
            title=data.get("title", submission.title),
            abstract=data.get("abstract", submission.abstract),
            body=data.get("body", submission.body),
        )
        return submission_body(request, submission.pk)

    @extend_schema(
        summary=gettext_lazy("Withdraw"),
        description=gettext_lazy(
            "Authors only, before the deadline. The submission is kept, with a receipt of "
            "the withdrawal, but no longer judged nor counted against the limit."
        ),
        parameters=[SUBMISSION_ID],
        request=None,
        responses={200: SubmissionSerializer, **errors(401, 403, 404), 409: WRITE_ERRORS[409]},
    )
    def delete(self, request, pk):
        submission = submission_for_reader(request.user, pk)
        service.submission_withdraw(submission_id=submission.pk, actor=request.user)
        return submission_body(request, submission.pk)


class SubmissionFilesView(APIView):
    permission_classes = [IsAuthenticated]
    write_scope = "uploads"
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary=gettext_lazy("Add files: a new version"),
        description=gettext_lazy(
            "Authors only, before the deadline: multipart/form-data with one or more "
            "`files`. Each is checked like the files of a new submission."
        ),
        parameters=[SUBMISSION_ID],
        request={"multipart/form-data": SubmissionFilesSerializer},
        responses={201: SubmissionSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        submission = submission_for_reader(request.user, pk)
        _check_upload(request)
        validated(SubmissionFilesSerializer, request.data)
        service.submission_update(
            submission_id=submission.pk,
            actor=request.user,
            title=submission.title,
            abstract=submission.abstract,
            body=submission.body,
            uploads=_uploads(request),
        )
        return submission_body(request, submission.pk, status.HTTP_201_CREATED)


class SubmissionFileView(APIView):
    permission_classes = [IsAuthenticated]
    content_negotiation_class = DownloadNegotiation

    @extend_schema(
        summary=gettext_lazy("Download a file"),
        description=gettext_lazy(
            "Whoever may read the submission. Authors and staff may fetch every file an "
            "earlier receipt lists; the Seeker only those of the current version."
        ),
        parameters=[SUBMISSION_ID, FILE_ID],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("The file, as an attachment.")
            ),
            **errors(401, 404),
        },
    )
    def get(self, request, pk, file_id):
        return submission_file_response(submission_file_for_reader(request.user, pk, file_id))

    @extend_schema(
        summary=gettext_lazy("Remove a file: a new version"),
        description=gettext_lazy(
            "Authors only, before the deadline. The file stays stored and listed in the "
            "receipts of earlier versions."
        ),
        parameters=[SUBMISSION_ID, FILE_ID],
        request=None,
        responses={200: SubmissionSerializer, **errors(401, 403, 404), 409: WRITE_ERRORS[409]},
    )
    def delete(self, request, pk, file_id):
        stored = submission_file_for_reader(request.user, pk, file_id)
        if stored.removed_at is not None:
            raise Http404
        submission = stored.submission
        service.submission_update(
            submission_id=submission.pk,
            actor=request.user,
            title=submission.title,
            abstract=submission.abstract,
            body=submission.body,
            remove_file_ids=[stored.pk],
        )
        return submission_body(request, submission.pk)


class SubmissionVersionsView(GenericAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=gettext_lazy("Receipts: every version, oldest first"),
        description=gettext_lazy(
            "Authors and staff. The Seeker's readers get 403: they judge the current version only."
        ),
        parameters=[SUBMISSION_ID],
        responses={200: SubmissionReceiptSerializer(many=True), **errors(401, 403, 404)},
    )
    def get(self, request, pk):
        submission = submission_for_reader(request.user, pk)
        if not is_author_or_staff(request.user, submission):
            raise NotAllowed(_("Only the authors and staff read the receipts."))
        page = self.paginate_queryset(receipts_of(submission))
        return self.get_paginated_response(SubmissionReceiptSerializer(page, many=True).data)
