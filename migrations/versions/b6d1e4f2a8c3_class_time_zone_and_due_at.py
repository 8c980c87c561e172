"""classes: a time zone; assignments: the moment their due date ends (UTC)

Revision ID: b6d1e4f2a8c3
Revises: f3b7c2a9d614
Create Date: 2026-12-01 22:00:00.000000

Existing classes keep UTC (their dates and windows were entered in UTC); existing due dates end
at 23:59 UTC of their day.
"""
from datetime import UTC, date, datetime, time

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b6d1e4f2a8c3'
down_revision = 'f3b7c2a9d614'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('classrooms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), server_default='UTC', nullable=False))
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))

    bind = op.get_bind()
    assignments = sa.table(
        'assignments',
        sa.column('id', sa.Integer),
        sa.column('target_date', sa.Date),
        sa.column('due_at', sa.DateTime(timezone=True)),
    )
    rows = bind.execute(
        sa.select(assignments.c.id, assignments.c.target_date).where(assignments.c.target_date.is_not(None))
    ).all()
    for row_id, target in rows:
        if isinstance(target, str):  # SQLite hands dates back as text here
            target = date.fromisoformat(target)
        due = datetime.combine(target, time(23, 59), tzinfo=UTC)
        if bind.dialect.name == 'sqlite':
            due = due.replace(tzinfo=None)
        bind.execute(assignments.update().where(assignments.c.id == row_id).values(due_at=due))


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('due_at')
    with op.batch_alter_table('classrooms', schema=None) as batch_op:
        batch_op.drop_column('timezone')
