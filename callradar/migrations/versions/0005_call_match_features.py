"""call_match_features: what matching reads from a call's text, kept per call.

Revision ID: 0005_call_match_features
Revises: 0004_session_epoch
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_call_match_features"
down_revision: str | None = "0004_session_epoch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "call_match_features",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("stem_hashes", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_call_match_features_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_call_match_features")),
    )


def downgrade() -> None:
    op.drop_table("call_match_features")
