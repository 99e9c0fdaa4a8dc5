from .awards import Award, AwardRecipient, AwardState, award_id_of
from .challenges import (
    Attachment,
    Challenge,
    ChallengeKind,
    ChallengeState,
    IPModel,
    PlannedAward,
    Requirement,
)
from .clarifications import Clarification
from .events import ChallengeEvent
from .judging import Conflict, Evaluation, JudgeAssignment
from .notifications import Notification, NotificationKind, OrganizationFollow
from .registrations import Registration
from .submissions import Submission, SubmissionFile, SubmissionState, SubmissionVersion
from .users import User

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
