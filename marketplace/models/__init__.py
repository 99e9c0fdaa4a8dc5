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
from .registrations import Registration
from .submissions import Submission, SubmissionFile, SubmissionState, SubmissionVersion
from .users import User

__all__ = [
    "Attachment",
    "Challenge",
    "ChallengeEvent",
    "ChallengeKind",
    "ChallengeState",
    "Clarification",
    "IPModel",
    "PlannedAward",
    "Registration",
    "Requirement",
    "Submission",
    "SubmissionFile",
    "SubmissionState",
    "SubmissionVersion",
    "User",
]
