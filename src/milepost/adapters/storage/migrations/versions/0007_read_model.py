"""the read model: an inputs version per athlete, the derivation key of each revision, and
breastfeeding as a profile setting

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("athletes") as batch:
        batch.add_column(
            sa.Column("inputs_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("breastfeeding", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("plan_revisions") as batch:
        batch.add_column(sa.Column("derived_key", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_revisions") as batch:
        batch.drop_column("derived_key")
    with op.batch_alter_table("athletes") as batch:
        batch.drop_column("breastfeeding")
        batch.drop_column("inputs_version")
