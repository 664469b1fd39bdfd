"""Herkennen (learning): lessons, explainer, scenarios, quiz, spaced repetition, certificates.

Pure Python: the web layer and the CLI call this package; it never imports Django.
"""

from ketenwijs.content import ContentError
from ketenwijs.learning.certificate import VerifiedCode, issue_code, normalise_code, verify_code
from ketenwijs.learning.content import (
    PACKAGED_CONTENT,
    LearningContent,
    LearningContentError,
    check_learning_content,
    load_content_summary,
    load_learning_content,
)
from ketenwijs.learning.graph import GraphProblem, check_scenario_graph
from ketenwijs.learning.progress import Progress, evaluate_progress
from ketenwijs.learning.quiz import QuizResult, grade_quiz
from ketenwijs.learning.review import CardSchedule, ReviewRating, new_schedule, review
from ketenwijs.learning.scoring import RunError, RunResult, evaluate_run, is_wrong_choice, max_score
from ketenwijs.learning.tracks import (
    changes_since,
    evaluate_track_progress,
    track_cards,
    track_fingerprint,
    track_lessons,
    track_scenarios,
)

__all__ = [
    "PACKAGED_CONTENT",
    "CardSchedule",
    "ContentError",
    "GraphProblem",
    "LearningContent",
    "LearningContentError",
    "Progress",
    "QuizResult",
    "ReviewRating",
    "RunError",
    "RunResult",
    "VerifiedCode",
    "changes_since",
    "check_learning_content",
    "check_scenario_graph",
    "evaluate_progress",
    "evaluate_run",
    "evaluate_track_progress",
    "grade_quiz",
    "is_wrong_choice",
    "issue_code",
    "load_content_summary",
    "load_learning_content",
    "max_score",
    "new_schedule",
    "normalise_code",
    "review",
    "track_cards",
    "track_fingerprint",
    "track_lessons",
    "track_scenarios",
    "verify_code",
]
