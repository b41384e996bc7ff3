"""Stored model reads: the ``model_reads`` table (one row per model read of a library case).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "model_reads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=120), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("model_name", sa.String(length=200), nullable=False),
        sa.Column("model_version", sa.String(length=200), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("server_url", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_reads")),
    )
    op.create_index(
        "ix_model_reads_case_read_at", "model_reads", ["case_id", "read_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_model_reads_case_read_at", table_name="model_reads")
    op.drop_table("model_reads")
