"""analytics covering indexes: a deck's wrong answers, and the review id in the deck index

Revision ID: f3b7c2a9d614
Revises: e8a41c7d2f93
Create Date: 2026-12-01 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3b7c2a9d614'
down_revision = 'e8a41c7d2f93'
branch_labels = None
depends_on = None

WRONG = sa.text('correct IS false AND answer IS NOT NULL')


def upgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_deck_user_reviewed_at')
        batch_op.create_index('ix_reviews_deck_user_reviewed_at',
                              ['deck_id', 'user_id', 'reviewed_at'], unique=False,
                              postgresql_include=['card_id', 'correct', 'undone_at', 'id'])
        batch_op.create_index('ix_reviews_deck_wrong_answers', ['deck_id', 'user_id'],
                              unique=False,
                              postgresql_include=['card_id', 'answer', 'overridden',
                                                  'undone_at'],
                              postgresql_where=WRONG, sqlite_where=WRONG)


def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_deck_wrong_answers')
        batch_op.drop_index('ix_reviews_deck_user_reviewed_at')
        batch_op.create_index('ix_reviews_deck_user_reviewed_at',
                              ['deck_id', 'user_id', 'reviewed_at'], unique=False,
                              postgresql_include=['card_id', 'correct', 'undone_at'])
