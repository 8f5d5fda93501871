"""sessions live in the store: draft history links, chat messages, turn leases, hold owners

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 05:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('draft_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False,
                                      server_default='turn'))
        batch_op.add_column(sa.Column('target', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('undo_to', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('redo_to', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('label', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('operations', sa.Text(), nullable=True))
    # Versions stored before this revision: each was made from the one before it, and an
    # undo steps back to it (the old in-memory history did the same after a restart).
    op.execute("UPDATE draft_versions SET parent = version - 1, undo_to = version - 1 "
               "WHERE version > 1")
    op.execute("UPDATE draft_versions SET kind = 'export' WHERE source = 'export'")

    op.create_table('chat_messages',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('session_id', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('chat_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_messages_session_id'), ['session_id'],
                              unique=False)

    op.create_table('session_leases',
    sa.Column('session_id', sa.String(length=40), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('session_id')
    )

    op.create_table('credit_holds',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed', sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('credit_holds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_holds_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_holds_expires_at'), ['expires_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_credit_holds_closed'), ['closed'], unique=False)


def downgrade() -> None:
    op.drop_table('credit_holds')
    op.drop_table('session_leases')
    op.drop_table('chat_messages')
    with op.batch_alter_table('draft_versions', schema=None) as batch_op:
        for column in ('operations', 'label', 'redo_to', 'undo_to', 'target', 'kind', 'parent'):
            batch_op.drop_column(column)
