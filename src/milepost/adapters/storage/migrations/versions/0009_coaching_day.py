"""a coach's day: notes become threads (the athlete replies), and an audit of coach views and
edits; merges the two 0008 branches

Revision ID: 0009_coaching_day
Revises: 0008_acct, 0008_log
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_coaching_day"
down_revision = ("0008_acct", "0008_log")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("coach_notes") as batch:
        batch.add_column(
            sa.Column("from_athlete", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("reply_to", sa.Integer(), nullable=True))
    op.create_table(
        "coach_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_coach_audit_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_coach_audit_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_audit")),
    )
    op.create_index(op.f("ix_coach_audit_athlete_id"), "coach_audit", ["athlete_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_coach_audit_athlete_id"), table_name="coach_audit")
    op.drop_table("coach_audit")
    with op.batch_alter_table("coach_notes") as batch:
        batch.drop_column("reply_to")
        batch.drop_column("from_athlete")
