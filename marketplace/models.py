from marketplace.accounts.models import User
from marketplace.awards.models import Award, AwardRecipient, AwardState, award_id_of
from marketplace.billing.models import BillingDocument, DocumentCounter, DocumentKind
from marketplace.challenges.models import (
    Attachment,
    Challenge,
    ChallengeEvent,
    ChallengeKind,
    ChallengeState,
    IPModel,
    PlannedAward,
    Requirement,
)
from marketplace.ideation.models import Comment, Idea, Report, Support
from marketplace.judging.models import Conflict, Evaluation, JudgeAssignment, JudgeInvitation
from marketplace.lifecycle.models import EarlyCloseRequest, EarlyCloseState
from marketplace.notifications.models import (
    Notification,
    NotificationKind,
    NotificationPreference,
    OrganizationFollow,
)
from marketplace.organisations.models import Invitation, Membership, Organization
from marketplace.participation.models import Clarification, Registration
from marketplace.privacy.models import PrivacyRequest, PrivacyRequestKind, PrivacyRequestState
from marketplace.submissions.models import (
    EntryArrivals,
    ReviewStatus,
    Submission,
    SubmissionFile,
    SubmissionReview,
    SubmissionState,
    SubmissionVersion,
)
from marketplace.teams.models import Team, TeamMember

__all__ = [
    "Attachment",
    "Award",
    "AwardRecipient",
    "AwardState",
    "BillingDocument",
    "Challenge",
    "ChallengeEvent",
    "ChallengeKind",
    "ChallengeState",
    "Clarification",
    "Comment",
    "Conflict",
    "DocumentCounter",
    "DocumentKind",
    "EarlyCloseRequest",
    "EarlyCloseState",
    "EntryArrivals",
    "Evaluation",
    "IPModel",
    "Idea",
    "Invitation",
    "JudgeAssignment",
    "JudgeInvitation",
    "Membership",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "Organization",
    "OrganizationFollow",
    "PlannedAward",
    "PrivacyRequest",
    "PrivacyRequestKind",
    "PrivacyRequestState",
    "Registration",
    "Report",
    "Requirement",
    "ReviewStatus",
    "Submission",
    "SubmissionFile",
    "SubmissionReview",
    "SubmissionState",
    "SubmissionVersion",
    "Support",
    "Team",
    "TeamMember",
    "User",
    "award_id_of",
]
