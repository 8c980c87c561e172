"""Named stamps that only move forward, shared by every app process through the database."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db


class Clock(db.Model):
    """The last stamp handed out under ``name`` (seconds since the epoch)."""

    __tablename__ = "clocks"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[float] = mapped_column(sa.Float)
