"""life schedules (availability, feeds) and pinned start times

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "life_schedules",
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_life_schedules_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("athlete_id", name=op.f("pk_life_schedules")),
    )
    with op.batch_alter_table("plan_edits") as batch:
        batch.add_column(sa.Column("at", sa.String(length=5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_edits") as batch:
        batch.drop_column("at")
    op.drop_table("life_schedules")
