"""The ORM classes, all importable from here (Alembic sees every table through this module)."""

from .analytics import StudyFocus
from .classroom import Assignment, Classroom, Membership
from .clock import Clock
from .deck import Card, Deck, Question, Visibility
from .quiz import QuizAttempt
from .study import CardState, LearnerDeckSettings, Review
from .types import UTCDateTime, utcnow
from .user import ApiToken, Role, SignInAttempt, User

__all__ = [
    "ApiToken", "Assignment", "Card", "CardState", "Classroom", "Clock", "Deck",
    "LearnerDeckSettings", "Membership", "Question", "QuizAttempt", "Review", "Role",
    "SignInAttempt", "StudyFocus", "UTCDateTime", "User", "Visibility", "utcnow",
]
