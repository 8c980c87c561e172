"""The ORM classes, all importable from here (Alembic sees every table through this module)."""

from .analytics import StudyFocus
from .classroom import Assignment, Classroom, Membership
from .clock import Clock
from .deck import Card, Deck, Question, Visibility
from .quiz import QuizAttempt
from .reports import CardReport
from .study import CardReveal, CardState, LearnerDeckSettings, LearnerParameters, Review
from .types import UTCDateTime, utcnow
from .user import ApiToken, Invite, PasswordReset, RateCounter, Role, SignIn, User

__all__ = [
    "ApiToken",
    "Assignment",
    "Card",
    "CardReport",
    "CardReveal",
    "CardState",
    "Classroom",
    "Clock",
    "Deck",
    "Invite",
    "LearnerDeckSettings",
    "LearnerParameters",
    "Membership",
    "PasswordReset",
    "Question",
    "QuizAttempt",
    "RateCounter",
    "Review",
    "Role",
    "SignIn",
    "StudyFocus",
    "UTCDateTime",
    "User",
    "Visibility",
    "utcnow",
]
