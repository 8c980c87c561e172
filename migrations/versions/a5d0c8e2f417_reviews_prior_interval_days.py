"""reviews.prior_interval_days: the interval of a review-state card when answered, stored with
the answer; the learner index covers what the statistics page reads

Revision ID: a5d0c8e2f417
Revises: b6d1e4f2a8c3
Create Date: 2026-12-01 22:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a5d0c8e2f417"
down_revision = "b6d1e4f2a8c3"
branch_labels = None
depends_on = None

COVERED = ["undone_at", "deck_id", "rating", "duration_ms", "prior_interval_days"]

# The interval (days) of each stored previous state in the review state (2); 0 when a time is
# missing, as the statistics read it from the JSON before (models.study.prior_interval_days).
BACKFILL = {
    "postgresql": """
        UPDATE reviews SET prior_interval_days = COALESCE(
            (EXTRACT(EPOCH FROM CAST(previous_state ->> 'due' AS TIMESTAMP WITH TIME ZONE))
             - EXTRACT(EPOCH FROM CAST(previous_state ->> 'last_review'
                                       AS TIMESTAMP WITH TIME ZONE))) / 86400.0, 0)
        WHERE previous_state IS NOT NULL
          AND CAST(previous_state ->> 'state' AS INTEGER) = 2
    """,
    "sqlite": """
        UPDATE reviews SET prior_interval_days = COALESCE(
            julianday(json_extract(previous_state, '$.due'))
            - julianday(json_extract(previous_state, '$.last_review')), 0)
        WHERE previous_state IS NOT NULL
          AND CAST(json_extract(previous_state, '$.state') AS INTEGER) = 2
    """,
}


def upgrade():
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prior_interval_days", sa.Float(), nullable=True))
    op.execute(BACKFILL[op.get_bind().dialect.name])
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_user_reviewed_at")
        batch_op.create_index(
            "ix_reviews_user_reviewed_at",
            ["user_id", "reviewed_at"],
            unique=False,
            postgresql_include=COVERED,
        )


def downgrade():
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_user_reviewed_at")
        batch_op.create_index(
            "ix_reviews_user_reviewed_at", ["user_id", "reviewed_at"], unique=False
        )
        batch_op.drop_column("prior_interval_days")
