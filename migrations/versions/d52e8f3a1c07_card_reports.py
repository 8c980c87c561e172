"""card_reports: learners report bad cards to the deck's owner

Revision ID: d52e8f3a1c07
Revises: c41a7e2d9b10
Create Date: 2026-12-01 18:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd52e8f3a1c07'
down_revision = "c41a7e2d9b10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('card_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deck_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_card_reports_card_id_cards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_card_reports_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deck_id'], ['decks.id'], name=op.f('fk_card_reports_deck_id_decks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_card_reports_question_id_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_card_reports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_reports'))
    )
    with op.batch_alter_table('card_reports', schema=None) as batch_op:
        batch_op.create_index('ix_card_reports_deck_status', ['deck_id', 'status'], unique=False)
        batch_op.create_index('ix_card_reports_user_question', ['user_id', 'question_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('card_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_card_reports_user_question')
        batch_op.drop_index('ix_card_reports_deck_status')
    op.drop_table('card_reports')
