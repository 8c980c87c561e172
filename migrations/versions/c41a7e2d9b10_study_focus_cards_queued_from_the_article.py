"""analytics: study focus (cards queued from the article page), class-wide indexes

Revision ID: c41a7e2d9b10
Revises: 2785013e01b1
Create Date: 2026-12-01 17:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c41a7e2d9b10'
down_revision = '2785013e01b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('study_focus',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('deck_id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_study_focus_card_id_cards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deck_id'], ['decks.id'], name=op.f('fk_study_focus_deck_id_decks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_study_focus_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_focus')),
    sa.UniqueConstraint('user_id', 'card_id', name='uq_study_focus_user_card')
    )
    with op.batch_alter_table('study_focus', schema=None) as batch_op:
        batch_op.create_index('ix_study_focus_user_deck', ['user_id', 'deck_id'], unique=False)
    with op.batch_alter_table('card_states', schema=None) as batch_op:
        batch_op.create_index('ix_card_states_deck_user', ['deck_id', 'user_id'], unique=False)
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index('ix_reviews_deck_user_reviewed_at',
                              ['deck_id', 'user_id', 'reviewed_at'], unique=False,
                              postgresql_include=['card_id', 'correct', 'undone_at'])


def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_deck_user_reviewed_at')
    with op.batch_alter_table('card_states', schema=None) as batch_op:
        batch_op.drop_index('ix_card_states_deck_user')
    with op.batch_alter_table('study_focus', schema=None) as batch_op:
        batch_op.drop_index('ix_study_focus_user_deck')

    op.drop_table('study_focus')
