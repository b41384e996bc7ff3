"""Initial schema: case sets, teaching sessions, participants, case openings, attempts (summary,
details, outcomes), instructor actions.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "case_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_sets")),
    )
    op.create_table(
        "case_set_items",
        sa.Column("case_set_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("case_id", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_set_id"],
            ["case_sets.id"],
            name=op.f("fk_case_set_items_case_set_id_case_sets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_set_id", "position", name=op.f("pk_case_set_items")),
        sa.UniqueConstraint(
            "case_set_id", "case_id", name=op.f("uq_case_set_items_case_set_id_case_id")
        ),
    )
    op.create_table(
        "teaching_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("case_set_id", sa.Integer(), nullable=False),
        sa.Column("time_limit_s", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'closed')", name=op.f("ck_teaching_sessions_status")
        ),
        sa.ForeignKeyConstraint(
            ["case_set_id"],
            ["case_sets.id"],
            name=op.f("fk_teaching_sessions_case_set_id_case_sets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teaching_sessions")),
        sa.UniqueConstraint("code", name=op.f("uq_teaching_sessions_code")),
    )
    op.create_table(
        "instructor_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["teaching_sessions.id"],
            name=op.f("fk_instructor_actions_session_id_teaching_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instructor_actions")),
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("name_key", sa.String(length=80), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("mode IN ('session', 'quiz')", name=op.f("ck_participants_mode")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["teaching_sessions.id"],
            name=op.f("fk_participants_session_id_teaching_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
        sa.UniqueConstraint(
            "session_id", "name_key", name=op.f("uq_participants_session_id_name_key")
        ),
        sa.UniqueConstraint("token", name=op.f("uq_participants_token")),
    )
    op.create_index(
        op.f("ix_participants_session_id"), "participants", ["session_id"], unique=False
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("case_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("box_score", sa.Float(), nullable=False),
        sa.Column("model_box_score", sa.Float(), nullable=True),
        sa.Column("box_hits", sa.Integer(), nullable=False),
        sa.Column("box_misses", sa.Integer(), nullable=False),
        sa.Column("box_side_errors", sa.Integer(), nullable=False),
        sa.Column("box_over_calls", sa.Integer(), nullable=False),
        sa.Column("flags_missing", sa.Integer(), nullable=False),
        sa.Column("flags_unsupported", sa.Integer(), nullable=False),
        sa.Column("flags_laterality", sa.Integer(), nullable=False),
        sa.Column("urgent_missed", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("over_time", sa.Boolean(), nullable=False),
        sa.CheckConstraint("mode IN ('session', 'quiz')", name=op.f("ck_attempts_mode")),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_attempts_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["teaching_sessions.id"],
            name=op.f("fk_attempts_session_id_teaching_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempts")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_attempts_submission_id")),
    )
    op.create_index(op.f("ix_attempts_case_id"), "attempts", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_attempts_participant_id"), "attempts", ["participant_id"], unique=False
    )
    op.create_index("ix_attempts_session_case", "attempts", ["session_id", "case_id"], unique=False)
    op.create_index(op.f("ix_attempts_submitted_at"), "attempts", ["submitted_at"], unique=False)
    op.create_index(
        "ux_attempts_one_per_session_case",
        "attempts",
        ["participant_id", "session_id", "case_id"],
        unique=True,
        sqlite_where=sa.text("mode = 'session'"),
        postgresql_where=sa.text("mode = 'session'"),
    )
    op.create_table(
        "case_openings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=120), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_case_openings_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["teaching_sessions.id"],
            name=op.f("fk_case_openings_session_id_teaching_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_openings")),
        sa.UniqueConstraint(
            "participant_id",
            "session_id",
            "case_id",
            name=op.f("uq_case_openings_participant_id_session_id_case_id"),
        ),
    )
    op.create_table(
        "attempt_details",
        sa.Column("attempt_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("draft", sa.Text(), nullable=False),
        sa.Column("learner_boxes", sa.JSON(), nullable=False),
        sa.Column("audit", sa.JSON(), nullable=False),
        sa.Column("reference_score", sa.JSON(), nullable=False),
        sa.Column("model_score", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_attempt_details_attempt_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attempt_id", name=op.f("pk_attempt_details")),
    )
    op.create_table(
        "attempt_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "channel IN ('draft', 'reference', 'model')", name=op.f("ck_attempt_outcomes_channel")
        ),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_attempt_outcomes_attempt_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt_outcomes")),
    )
    op.create_index(
        op.f("ix_attempt_outcomes_attempt_id"), "attempt_outcomes", ["attempt_id"], unique=False
    )
    op.create_index(
        "ix_attempt_outcomes_label_kind", "attempt_outcomes", ["label", "kind"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_attempt_outcomes_label_kind", table_name="attempt_outcomes")
    op.drop_index(op.f("ix_attempt_outcomes_attempt_id"), table_name="attempt_outcomes")
    op.drop_table("attempt_outcomes")
    op.drop_table("attempt_details")
    op.drop_table("case_openings")
    op.drop_index(
        "ux_attempts_one_per_session_case",
        table_name="attempts",
        sqlite_where=sa.text("mode = 'session'"),
        postgresql_where=sa.text("mode = 'session'"),
    )
    op.drop_index(op.f("ix_attempts_submitted_at"), table_name="attempts")
    op.drop_index("ix_attempts_session_case", table_name="attempts")
    op.drop_index(op.f("ix_attempts_participant_id"), table_name="attempts")
    op.drop_index(op.f("ix_attempts_case_id"), table_name="attempts")
    op.drop_table("attempts")
    op.drop_index(op.f("ix_participants_session_id"), table_name="participants")
    op.drop_table("participants")
    op.drop_table("instructor_actions")
    op.drop_table("teaching_sessions")
    op.drop_table("case_set_items")
    op.drop_table("case_sets")
