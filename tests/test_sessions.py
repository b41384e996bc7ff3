"""Teaching sessions: the instructor key, join codes, names, creating, joining, closing.

Database rows run on SQLite and on a real PostgreSQL server (``teaching_db``).
"""

from __future__ import annotations

import hmac

import pytest
from sqlalchemy import text

from cxr_auditor.db.engine import reading
from cxr_auditor.db.store import actions
from cxr_auditor.ui.services import sessions
from cxr_auditor.ui.services.sessions import SessionError

pytest_plugins = ["pg_fixture"]  # postgres_cluster, postgres_url, teaching_db

KEY = "correct horse battery staple"
CASES = ["nih-00005140_001", "nih-00006751_000", "chestxdet-36216"]


@pytest.mark.parametrize(
    "configured, given, expected",
    [
        (KEY, KEY, True),
        (KEY, f"  {KEY}\n", True),  # pasted with a stray newline
        (KEY, KEY.upper(), False),
        (KEY, KEY[:-1], False),
        (KEY, "", False),
        (KEY, None, False),
        ("", KEY, False),  # nothing configured: every instructor page refuses
        (None, KEY, False),
    ],
)
def test_the_instructor_key(configured, given, expected):
    env = {} if configured is None else {sessions.KEY_ENV: configured}
    assert sessions.key_matches(given, env) is expected


def test_the_key_is_compared_in_constant_time(monkeypatch):
    calls, real = [], hmac.compare_digest

    def spy(a, b):
        calls.append((type(a), type(b)))
        return real(a, b)

    monkeypatch.setattr(sessions.hmac, "compare_digest", spy)
    assert sessions.key_matches(KEY, {sessions.KEY_ENV: KEY})
    assert calls == [(bytes, bytes)]


@pytest.mark.parametrize(
    "typed, code",
    [
        ("K7QM3P", "K7QM3P"),
        ("k7q-m3p", "K7QM3P"),
        (" K7Q M3P ", "K7QM3P"),
    ],
)
def test_a_typed_join_code_is_normalized(typed, code):
    assert sessions.normalize_code(typed) == code


@pytest.mark.parametrize("typed", ["", "K7Q", "K7QM3PX", "K0QM3P", "K1QM3P", "K7Q_M3P", None])
def test_a_malformed_join_code_is_refused_with_an_example(typed):
    with pytest.raises(SessionError, match="letters and digits, like K7Q-M3P"):
        sessions.normalize_code(typed)


def test_drawn_codes_avoid_look_alike_characters():
    codes = {sessions.new_code() for _ in range(200)}
    assert len(codes) > 190
    assert all(len(c) == 6 and not set(c) & set("01OI") for c in codes)
    assert sessions.format_code("K7QM3P") == "K7Q-M3P"


@pytest.mark.parametrize(
    "typed, shown, key",
    [
        ("Sam", "Sam", "sam"),
        ("  Sam   K. ", "Sam K.", "sam k."),
        ("ＳＡＭ", "SAM", "sam"),
    ],
)
def test_display_names_are_tidied_and_compared_without_case(typed, shown, key):
    assert sessions.clean_name(typed) == (shown, key)


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Type the name"),
        ("   ", "Type the name"),
        ("x" * 41, "at most 40"),
        ("Sam\x07", "control characters"),
    ],
)
def test_unusable_names_are_refused(typed, message):
    with pytest.raises(SessionError, match=message):
        sessions.clean_name(typed)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": "  "}, "Give the session a title"),
        ({"case_ids": []}, "at least one case"),
        ({"case_ids": [CASES[0], CASES[0]]}, "chosen twice"),
        ({"case_ids": ["nih-99999999_999"]}, "Not in the case library: nih-99999999_999"),
        ({"time_limit_s": 5}, "30 s to 60 min"),
        ({"time_limit_s": 7200}, "30 s to 60 min"),
    ],
)
def test_a_session_request_that_cannot_be_done_is_refused(teaching_db, fields, message):
    request = {
        "title": "Week 1",
        "case_ids": CASES,
        "known_case_ids": set(CASES),
        "time_limit_s": None,
    } | fields
    with pytest.raises(SessionError, match=message):
        sessions.create_session(teaching_db, **request)
    assert sessions.all_sessions(teaching_db) == []


def test_create_join_roster_close(teaching_db):
    info = sessions.create_session(
        teaching_db,
        title="Pleural disease, week 3",
        case_ids=CASES,
        known_case_ids=set(CASES),
        time_limit_s=120,
    )
    assert info.is_open and info.case_ids == tuple(CASES) and info.time_limit_s == 120
    joined, sam = sessions.join(teaching_db, sessions.format_code(info.code).lower(), "Sam", "1234")
    _, ana = sessions.join(teaching_db, info.code, "Ana", "1234")
    assert joined.id == info.id and sam.session_id == info.id and sam.token != ana.token
    with pytest.raises(SessionError, match="already uses the name 'SAM' and that PIN"):
        sessions.join(teaching_db, info.code, "SAM", "9999")
    assert [(p.display_name, n) for p, n in sessions.roster(teaching_db, info.id)] == [
        ("Sam", 0),
        ("Ana", 0),
    ]
    closed = sessions.set_open(teaching_db, info.id, False)
    assert not closed.is_open and closed.closed_at is not None
    with pytest.raises(SessionError, match="is closed"):
        sessions.join(teaching_db, info.code, "Late Lee", "1234")
    assert sessions.set_open(teaching_db, info.id, True).is_open
    with reading(teaching_db) as db:
        done = [a["action"] for a in actions(db, info.id)]
    assert done == ["create_session", "close_session", "reopen_session"]


def test_an_unknown_code_is_refused(teaching_db):
    with pytest.raises(SessionError, match="No session has the code K7Q-M3P"):
        sessions.join(teaching_db, "K7QM3P", "Sam", "1234")


def test_a_clashing_join_code_is_drawn_again(teaching_db, monkeypatch):
    first = sessions.create_session(
        teaching_db, title="A", case_ids=CASES[:1], known_case_ids=set(CASES)
    )
    drawn = iter([first.code, first.code, "ZZZZZZ"])
    monkeypatch.setattr(sessions, "new_code", lambda: next(drawn))
    second = sessions.create_session(
        teaching_db, title="B", case_ids=CASES[:1], known_case_ids=set(CASES)
    )
    assert second.code == "ZZZZZZ"
    assert [s.title for s in sessions.all_sessions(teaching_db)] == ["B", "A"]


def test_a_case_keeps_the_time_it_was_first_opened(teaching_db):
    info = sessions.create_session(
        teaching_db, title="A", case_ids=CASES, known_case_ids=set(CASES), time_limit_s=60
    )
    _, sam = sessions.join(teaching_db, info.code, "Sam", "1234")
    first = sessions.open_case(teaching_db, sam, CASES[0])
    assert sessions.open_case(teaching_db, sam, CASES[0]) == first
    assert first.tzinfo is not None
    assert (sessions.deadline(first, 60) - first).total_seconds() == 60
    assert sessions.deadline(first, None) is None
    with pytest.raises(SessionError, match="Only a session learner"):
        sessions.open_case(teaching_db, sessions.practice_participant(teaching_db), CASES[0])


def test_participants_are_found_only_by_their_token(teaching_db):
    info = sessions.create_session(
        teaching_db, title="A", case_ids=CASES[:1], known_case_ids=set(CASES)
    )
    _, sam = sessions.join(teaching_db, info.code, "Sam", "1234")
    assert sessions.participant(teaching_db, sam.token) == sam
    for token in (None, "", sam.token[:-1], "x" * 32):
        assert sessions.participant(teaching_db, token) is None


def test_the_instructor_key_is_never_stored(teaching_db, monkeypatch):
    monkeypatch.setenv(sessions.KEY_ENV, KEY)
    info = sessions.create_session(
        teaching_db, title="A", case_ids=CASES, known_case_ids=set(CASES)
    )
    sessions.join(teaching_db, info.code, "Sam", "1234")
    sessions.set_open(teaching_db, info.id, False)
    sessions.record_action(teaching_db, "export_csv", None, table="attempts")
    with reading(teaching_db) as db:
        tables = [
            "case_sets",
            "case_set_items",
            "teaching_sessions",
            "participants",
            "instructor_actions",
        ]
        dump = repr([db.execute(text(f"SELECT * FROM {t}")).all() for t in tables])
    assert "A" in dump and KEY not in dump and "battery" not in dump


# ------------------------------------------------------------------ seats: PIN, rejoin, drafts


def seat_row(engine, person_id: int):
    with reading(engine) as db:
        return db.execute(
            text("SELECT pin_hash, pin_failures FROM participants WHERE id = :id"),
            {"id": person_id},
        ).one()


def test_the_same_name_and_pin_take_the_same_seat_again(teaching_db):
    info = sessions.create_session(
        teaching_db, title="A", case_ids=CASES, known_case_ids=set(CASES), time_limit_s=60
    )
    _, sam = sessions.join(teaching_db, info.code, "Sam", "4821")
    opened = sessions.open_case(teaching_db, sam, CASES[0])
    _, again = sessions.join(teaching_db, info.code, " sam ", " 4821 ")  # another device
    assert again.id == sam.id and again.token == sam.token
    assert sessions.open_case(teaching_db, again, CASES[0]) == opened  # the timer runs on
    sessions.set_open(teaching_db, info.id, False)
    assert sessions.join(teaching_db, info.code, "Sam", "4821")[1].id == sam.id  # read answers
    assert len(sessions.roster(teaching_db, info.id)) == 1


def test_only_a_salted_hash_of_the_pin_is_stored(teaching_db):
    info = sessions.create_session(
        teaching_db, title="A", case_ids=CASES[:1], known_case_ids=set(CASES)
    )
    _, sam = sessions.join(teaching_db, info.code, "Sam", "4821")
    _, ana = sessions.join(teaching_db, info.code, "Ana", "4821")
    sam_hash, ana_hash = seat_row(teaching_db, sam.id)[0], seat_row(teaching_db, ana.id)[0]
    assert "4821" not in sam_hash and sam_hash != ana_hash  # a salt per seat
    assert sam_hash.startswith("pbkdf2_sha256$")


@pytest.mark.parametrize("pin", ["", "12", "123456789", "12a4", "١٢٣٤"])
def test_a_pin_is_four_to_eight_digits(teaching_db, pin):
    info = sessions.create_session(
        teaching_db, title="A", case_ids=CASES[:1], known_case_ids=set(CASES)
    )
    with pytest.raises(SessionError, match="PIN of 4 to 8 digits"):
        sessions.join(teaching_db, info.code, "Sam", pin)


def test_wrong_pins_lock_the_seat_until_the_instructor_frees_it(teaching_db):
    from cxr_auditor.ui.services.pins import MAX_FAILURES

    info = sessions.create_session(
        teaching_db, title="A", case_ids=CASES[:1], known_case_ids=set(CASES)
    )
    _, sam = sessions.join(teaching_db, info.code, "Sam", "4821")
    for _ in range(MAX_FAILURES):
        with pytest.raises(SessionError, match="that PIN is not theirs"):
            sessions.join(teaching_db, info.code, "Sam", "0000")
    assert seat_row(teaching_db, sam.id)[1] == MAX_FAILURES
    with pytest.raises(SessionError, match="is locked after"):
        sessions.join(teaching_db, info.code, "Sam", "4821")  # even the right PIN now
    sessions.free_seat(teaching_db, info.id, sam.id)
    assert tuple(seat_row(teaching_db, sam.id)) == (None, 0)
    _, back = sessions.join(teaching_db, info.code, "Sam", "7777")  # a new PIN takes it
    assert back.id == sam.id
    with pytest.raises(SessionError, match="that PIN is not theirs"):
        sessions.join(teaching_db, info.code, "Sam", "4821")
    with reading(teaching_db) as db:
        assert "free_seat" in [a["action"] for a in actions(db, info.id)]


def test_a_right_pin_clears_earlier_wrong_ones(teaching_db):
    info = sessions.create_session(
        teaching_db, title="A", case_ids=CASES[:1], known_case_ids=set(CASES)
    )
    _, sam = sessions.join(teaching_db, info.code, "Sam", "4821")
    with pytest.raises(SessionError):
        sessions.join(teaching_db, info.code, "Sam", "4822")
    sessions.join(teaching_db, info.code, "Sam", "4821")
    assert seat_row(teaching_db, sam.id)[1] == 0
