"""proposal packs: the members each pack version was made for

Revision ID: 0002_proposals
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_proposals"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proposal_pack_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_proposal_pack_members_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pack_id"],
            ["proposal_packs.id"],
            name=op.f("fk_proposal_pack_members_pack_id_proposal_packs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_pack_members")),
        sa.UniqueConstraint("pack_id", "member_id", "role", name="uq_proposal_pack_members_role"),
    )
    with op.batch_alter_table("proposal_pack_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_pack_members_member_id"), ["member_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("proposal_pack_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_pack_members_member_id"))
    op.drop_table("proposal_pack_members")
