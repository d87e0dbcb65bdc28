"""source_alerts: which source problems the coordinator was alerted about, and when.

Revision ID: 0008_source_alerts
Revises: 0007_member_joined
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_source_alerts"
down_revision: str | None = "0007_member_joined"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("problem", sa.String(length=40), nullable=False),
        sa.Column("first_run_id", sa.Integer(), nullable=False),
        sa.Column("first_alerted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["source"], ["sources.name"], name=op.f("fk_source_alerts_source_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_alerts")),
    )
    op.create_index(op.f("ix_source_alerts_source"), "source_alerts", ["source"])


def downgrade() -> None:
    op.drop_index(op.f("ix_source_alerts_source"), table_name="source_alerts")
    op.drop_table("source_alerts")
