"""Join the branches the packages added on top of the initial schema into one head.

Revision ID: 0003_merge
Revises: 0002_flows, 0002_matching, 0002_proposals, 0002_web
"""

from collections.abc import Sequence

revision: str = "0003_merge"
down_revision: tuple[str, ...] = ("0002_flows", "0002_matching", "0002_proposals", "0002_web")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
