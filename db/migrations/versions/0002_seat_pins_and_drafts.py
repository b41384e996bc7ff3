"""Seats that survive a reload: a salted PIN hash and a wrong-PIN counter per participant, and the
``seat_drafts`` table (a learner's unsubmitted draft and boxes per session case).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("pin_hash", sa.String(length=200), nullable=True))
        batch.add_column(
            sa.Column("pin_failures", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
    op.create_table(
        "seat_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=120), nullable=False),
        sa.Column("draft", sa.Text(), nullable=False),
        sa.Column("boxes", sa.JSON(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_seat_drafts_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["teaching_sessions.id"],
            name=op.f("fk_seat_drafts_session_id_teaching_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seat_drafts")),
        sa.UniqueConstraint(
            "participant_id", "case_id", name=op.f("uq_seat_drafts_participant_id_case_id")
        ),
    )
    op.create_index(op.f("ix_seat_drafts_session_id"), "seat_drafts", ["session_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_seat_drafts_session_id"), table_name="seat_drafts")
    op.drop_table("seat_drafts")
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("pin_failures")
        batch.drop_column("pin_hash")
