"""members.joined: the year a member joined the cluster.

Revision ID: 0007_member_joined
Revises: 0006_contact_removed
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_member_joined"
down_revision: str | None = "0006_contact_removed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("joined", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("joined")
