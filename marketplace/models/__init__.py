from marketplace.models.awards import Award, AwardRecipient, AwardState, award_id_of
from marketplace.models.challenges import (
    Attachment,
    Challenge,
    ChallengeKind,
    ChallengeState,
    IPModel,
    PlannedAward,
    Requirement,
)
from marketplace.models.clarifications import Clarification
from marketplace.models.events import ChallengeEvent
from marketplace.models.judging import Conflict, Evaluation, JudgeAssignment
from marketplace.models.notifications import Notification, NotificationKind, OrganizationFollow
from marketplace.models.registrations import Registration
from marketplace.models.submissions import (
    Submission,
    SubmissionFile,
    SubmissionState,
    SubmissionVersion,
)
from marketplace.models.users import User

__all__ = [
    "Attachment",
    "Award",
    "AwardRecipient",
    "AwardState",
    "Challenge",
    "ChallengeEvent",
    "ChallengeKind",
    "ChallengeState",
    "Clarification",
    "Conflict",
    "Evaluation",
    "IPModel",
    "JudgeAssignment",
    "Notification",
    "NotificationKind",
    "OrganizationFollow",
    "PlannedAward",
    "Registration",
    "Requirement",
    "Submission",
    "SubmissionFile",
    "SubmissionState",
    "SubmissionVersion",
    "User",
    "award_id_of",
]
