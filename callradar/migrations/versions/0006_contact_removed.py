"""contacts.removed: a contact left out of its member's list is kept with its history.

Revision ID: 0006_contact_removed
Revises: 0005_call_match_features
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_contact_removed"
down_revision: str | None = "0005_call_match_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(
            sa.Column("removed", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("removed")
