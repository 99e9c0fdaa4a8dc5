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
    "User",
]
