"""The template globals and filters of the quiz pages (scores, times, saved answers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quizapp.domain import quiz as rules
from quizapp.services import quiz as service

from . import bp


@bp.app_template_global("quiz_percent")
def quiz_percent(attempt) -> int | None:
    return service.percent(attempt)


@bp.app_template_filter("quiz_time")
def quiz_time(at: datetime | None) -> str:
    return rules.format_time(at) if at else ""


@bp.app_template_filter("quiz_duration")
def quiz_duration(seconds: float | None) -> str:
    return "" if seconds is None else rules.format_duration(seconds)


@bp.app_template_global("quiz_time_taken")
def quiz_time_taken(attempt) -> float | None:
    return service.time_taken_s(attempt)


@bp.app_template_global("quiz_seconds_left")
def quiz_seconds_left(attempt, at: datetime) -> int:
    return max(0, int((attempt.expires_at - at).total_seconds()))


@bp.app_template_global("quiz_is_timed")
def quiz_is_timed(attempt) -> bool:
    """True when the attempt ends sooner than the resume window: a limit or a closing time."""
    return bool(attempt.settings.get("time_limit_s")) or (
        attempt.expires_at - attempt.started_at < rules.RESUME_WINDOW
    )


@bp.app_template_global("quiz_chosen")
def quiz_chosen(saved: Any) -> list[str]:
    chosen = saved.get("choices") if isinstance(saved, dict) else None
    return [c for c in chosen if isinstance(c, str)] if isinstance(chosen, list) else []


@bp.app_template_global("quiz_typed")
def quiz_typed(saved: Any) -> list[str]:
    text = saved.get("text") if isinstance(saved, dict) else None
    if isinstance(text, str):
        return [text]
    return [t for t in text if isinstance(t, str)] if isinstance(text, list) else []


@bp.app_template_global("quiz_steps")
def quiz_steps(item: service.ItemView, saved: Any) -> list[dict[str, Any]]:
    """An ordering item's steps in the learner's saved order, else in the shuffled order."""
    steps = item.shown["steps"]
    order = saved.get("order") if isinstance(saved, dict) else None
    by_id = {step["id"]: step for step in steps}
    if isinstance(order, list) and sorted(map(str, order)) == sorted(by_id):
        return [by_id[i] for i in order]
    return steps
