"""History and phrasebook on real SQLite files: search, persistence, damage, CSV and Anki."""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
import zipfile
from pathlib import Path

import pytest

from terjman_desktop.core import paths
from terjman_desktop.core.errors import HistoryError, InputError, TerjmanError
from terjman_desktop.core.history import History, ImportReport, Phrasebook
from terjman_desktop.core.history import database as history_db
from terjman_desktop.core.translate.transliterate import to_arabizi

PAIRS = [
    ("I drink tea", "كانشرب أتاي"),
    ("Where is the station?", "فين كاينة لاڭار؟"),
    ("100% sure_thing", "متأكد مية فالمية"),
    ('He said "hello"', "ڭال سلام"),
]


@pytest.fixture
def history() -> History:
    return History()


def fill(history: History) -> list[int]:
    return [history.add(s, t, "en", "ary", "tiny") for s, t in PAIRS]


def test_nothing_is_opened_until_used(terjman_home: Path) -> None:
    history, phrasebook = History(), Phrasebook()
    assert history.path == paths.data_dir() / "history.sqlite3"
    assert not terjman_home.exists()
    assert history.count() == 0 and phrasebook.count() == 0
    assert history.path.is_file()


def test_add_search_delete_clear(history: History) -> None:
    ids = fill(history)
    assert len(set(ids)) == 4 and all(i > 0 for i in ids)
    assert history.count() == 4
    entries = history.search()
    assert [e.id for e in entries] == ids[::-1]  # newest first
    first = entries[-1]
    assert (first.source_text, first.translation, first.model_id) == (*PAIRS[0], "tiny")
    assert (first.source_language, first.target_language) == ("en", "ary")
    assert first.created.tzinfo is not None and first.created <= first.updated
    assert history.delete(ids[0]) and not history.delete(ids[0])
    assert history.count() == 3
    history.clear()
    assert history.count() == 0 and history.search() == []


def test_empty_texts_are_skipped(history: History) -> None:
    assert history.add("", "x", "en", "ary", "m") == 0
    assert history.add("hello", "  \n", "en", "ary", "m") == 0
    assert history.count() == 0


def test_identical_consecutive_entry_is_refreshed_not_duplicated(history: History) -> None:
    first = history.add("tea", "أتاي", "en", "ary", "m")
    before = history.search()[0].updated
    assert history.add("tea", "أتاي", "en", "ary", "m") == first
    assert history.count() == 1 and history.search()[0].updated >= before
    history.add("coffee", "قهوة", "en", "ary", "m")
    assert history.add("tea", "أتاي", "en", "ary", "m") != first  # not consecutive any more
    assert history.add("tea", "أتاي", "en", "ary", "other-model") > 0
    assert history.count() == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("TEA", [0]),  # case-insensitive
        ("drink", [0]),
        ("أتاي", [0]),  # Arabic substring of the translation
        ("فين", [1]),
        ("station?", [1]),
        ("100%", [2]),  # LIKE wildcards are literal
        ("%", [2]),
        ("_", [2]),
        ("e_t", [2]),
        ('"hello"', [3]),  # FTS syntax is literal too
        ("he", [3, 1]),  # short queries scan; newest first
        ("nothing like this", []),
        ("  ", [3, 2, 1, 0]),
    ],
)
def test_search(history: History, query: str, expected: list[int]) -> None:
    ids = fill(history)
    assert [e.id for e in history.search(query)] == [ids[i] for i in expected]


def test_search_limit_and_offset(history: History) -> None:
    ids = [history.add(f"sentence {i}", f"جملة {i}", "en", "ary", "m") for i in range(30)]
    assert [e.id for e in history.search("sentence", limit=5)] == ids[::-1][:5]
    assert [e.id for e in history.search("sentence", limit=5, offset=25)] == ids[::-1][25:]
    assert history.search(limit=0) == []


def test_uses_fts_wal_and_a_schema_version(history: History) -> None:
    fill(history)
    assert history._db.fts  # this SQLite has FTS5 trigram
    with sqlite3.connect(history.path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == history_db.SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    history.close()


def test_without_fts_search_scans_and_index_is_rebuilt_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fill(History())
    with monkeypatch.context() as patch:
        patch.setattr(history_db, "fts_available", lambda conn: False)
        plain = History()
        assert [e.source_text for e in plain.search("station")] == [PAIRS[1][0]]
        assert not plain._db.fts
        plain.add("a brand new sentence", "جملة جديدة", "en", "ary", "m")  # not indexed
        plain.close()
    again = History()
    assert [e.source_text for e in again.search("brand new")] == ["a brand new sentence"]
    assert again._db.fts


def test_persists_across_instances() -> None:
    ids = fill(History())
    reopened = History()
    assert [e.id for e in reopened.search()] == ids[::-1]
    reopened.close()


def test_one_object_from_several_threads(history: History) -> None:
    def work(n: int) -> None:
        for i in range(20):
            history.add(f"thread {n} line {i}", "سطر", "en", "ary", "m")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert history.count() == 80


def test_damaged_file_is_moved_aside_with_a_clear_error(terjman_home: Path) -> None:
    path = paths.data_dir() / "history.sqlite3"
    path.parent.mkdir(parents=True)
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    history = History()
    with pytest.raises(HistoryError, match="damaged") as info:
        history.count()
    assert isinstance(info.value, TerjmanError) and info.value.hint
    kept = list(path.parent.glob("history.sqlite3.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == garbage
    assert str(kept[0]) in info.value.message
    # The next call starts a new, empty history.
    assert history.add("tea", "أتاي", "en", "ary", "m") > 0
    assert history.count() == 1


def test_damaged_pages_are_detected(terjman_home: Path) -> None:
    history = History()
    for i in range(300):
        history.add(f"sentence number {i} " * 5, "جملة " * 10, "en", "ary", "m")
    history.close()
    with sqlite3.connect(history.path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(history.path.read_bytes())
    raw[4096 * 2 : 4096 * 2 + 2000] = b"\xff" * 2000  # smash a b-tree page
    history.path.write_bytes(bytes(raw))
    with pytest.raises(HistoryError, match="damaged"):
        History().search("sentence")
    assert list(history.path.parent.glob("history.sqlite3.corrupt-*"))


def test_newer_schema_is_refused_and_left_alone(terjman_home: Path) -> None:
    path = paths.data_dir() / "history.sqlite3"
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(HistoryError, match="newer version"):
        History().count()
    assert path.exists() and not list(path.parent.glob("*.corrupt-*"))


def test_unwritable_location_is_a_history_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(HistoryError, match="is a file"):
        History(blocker / "sub" / "history.sqlite3").count()


def test_terjman_home_that_is_a_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home-file"
    home.write_text("x", encoding="utf-8")
    monkeypatch.setenv("TERJMAN_HOME", str(home))
    with pytest.raises(HistoryError, match="TERJMAN_HOME is set to") as caught:
        History().count()
    assert caught.value.hint and "turn the history off" in caught.value.hint


# ----------------------------------------------------------------------------- phrasebook


def test_phrasebook_add_find_list_remove() -> None:
    book = Phrasebook()
    first = book.add("tea", "أتاي", "en", "ary")
    assert book.add("tea", "أتاي", "en", "ary") == first  # a pair is saved once
    assert book.add("tea", "أتاي", "en", "ary", note="with mint") == first
    second = book.add("أتاي", "tea", "ary", "en")
    assert second != first
    assert book.find("tea", "أتاي", "en", "ary") == first
    assert book.find("tea", "something else", "en", "ary") is None
    entries = book.list()
    assert [e.id for e in entries] == [second, first]
    assert entries[1].note == "with mint"
    assert [e.id for e in book.list("MINT")] == [first]
    assert [e.id for e in book.list("أتاي")] == [second, first]
    assert book.remove(first) and not book.remove(first)
    assert book.count() == 1
    with pytest.raises(InputError):
        book.add(" ", "x", "en", "ary")


def test_phrasebook_and_history_share_the_file_but_not_the_table() -> None:
    history, book = History(), Phrasebook()
    history.add("tea", "أتاي", "en", "ary", "m")
    book.add("tea", "أتاي", "en", "ary")
    assert history.path == book.path
    history.clear()
    assert book.count() == 1
    assert Phrasebook().list()[0].translation == "أتاي"  # persists across restarts


def test_export_csv_is_excel_friendly_and_round_trips(tmp_path: Path) -> None:
    book = Phrasebook()
    book.add("tea, please", "أتاي، عافاك", "en", "ary", note='say "please"')
    book.add("Multi\nline", "سطر\nسطر", "en", "ary")
    out = tmp_path / "phrases.csv"
    assert book.export_csv(out) == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    assert rows[0] == [
        "source",
        "translation",
        "source_language",
        "target_language",
        "note",
        "created",
        "own",
    ]
    assert rows[2][:5] == ["tea, please", "أتاي، عافاك", "en", "ary", 'say "please"']
    assert rows[2][6] == ""
    other = Phrasebook(tmp_path / "other.sqlite3")
    report = other.import_csv(out)
    assert report == ImportReport(added=2, skipped_duplicates=0, errors=[])
    assert {(e.source_text, e.translation, e.note) for e in other.list()} == {
        ("tea, please", "أتاي، عافاك", 'say "please"'),
        ("Multi\nline", "سطر\nسطر", ""),
    }
    again = other.import_csv(out)
    assert (again.added, again.skipped_duplicates) == (0, 2)


def test_import_simple_two_column_csv_with_problems(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "English;Darija\n"
        "good morning;صباح الخير\n"
        "\n"
        "only one column\n"
        "no translation;\n"
        "thank you;شكرا;extra cell\n"
        "good morning;صباح الخير\n",
        encoding="utf-8",
    )
    book = Phrasebook()
    report = book.import_csv(path)
    assert (report.added, report.skipped_duplicates) == (2, 1)
    assert len(report.errors) == 2
    assert report.errors[0].startswith("line 4:") and "two columns" in report.errors[0]
    assert report.errors[1].startswith("line 5:") and "empty" in report.errors[1]
    assert {e.source_text for e in book.list()} == {"good morning", "thank you"}
    assert all((e.source_language, e.target_language) == ("en", "ary") for e in book.list())


def test_import_headerless_reverse_direction_and_bad_language(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("سلام,hello\n", encoding="utf-8")
    book = Phrasebook()
    assert book.import_csv(path, "ary", "en").added == 1
    assert book.list()[0].source_language == "ary"
    full = tmp_path / "full.csv"
    full.write_text(
        "source,translation,source_language,target_language\n"
        "hi,سلام,en,ary\nhi,سلام,English!,ary\nhi,hi,en,en\n",
        encoding="utf-8",
    )
    report = book.import_csv(full)
    assert report.added == 1 and len(report.errors) == 2
    assert "language code" in report.errors[0] and "both" in report.errors[1]


def test_import_utf16_and_refuse_other_encodings(tmp_path: Path) -> None:
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("source,translation\nbread,خبز\n".encode("utf-16"))
    assert Phrasebook().import_csv(utf16).added == 1
    legacy = tmp_path / "cp1256.csv"
    legacy.write_bytes("bread,خبز\n".encode("cp1256"))
    with pytest.raises(InputError, match="not a UTF-8 CSV") as info:
        Phrasebook().import_csv(legacy)
    assert "UTF-8" in (info.value.hint or "")
    with pytest.raises(InputError, match="does not exist"):
        Phrasebook().import_csv(tmp_path / "missing.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"a,b\n\x00\x01\x02")
    with pytest.raises(InputError, match="binary"):
        Phrasebook().import_csv(binary)


def test_import_malformed_quoting_is_reported_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text('fine,مزيان\n"open quote,never closed\n', encoding="utf-8")
    report = Phrasebook().import_csv(path)
    assert report.added >= 1
    assert Phrasebook().find("fine", "مزيان", "en", "ary") is not None


def _anki_collection(package: Path, folder: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(package) as archive:
        (folder / f"{package.stem}.anki2").write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(folder / f"{package.stem}.anki2")


def test_export_anki_deck_has_cards_both_ways_with_the_reading(tmp_path: Path) -> None:
    book = Phrasebook()
    book.add("I drink tea", "كانشرب أتاي", "en", "ary", note="<b>not html</b>")
    book.add("شكرا", "thank you", "ary", "en")
    book.add("See you", "نتلاقاو", "en", "ary", own=True)
    out = tmp_path / "deck.apkg"
    assert book.export_anki(out, deck_name="Darija A1") == 3
    with _anki_collection(out, tmp_path) as conn:
        rows = conn.execute("SELECT id, guid, flds FROM notes").fetchall()
        notes = {guid: flds.split("\x1f") for _, guid, flds in rows}
        decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
        models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
        cards = conn.execute("SELECT nid, ord FROM cards").fetchall()
    assert "Darija A1" in {d["name"] for d in decks.values()}
    # Every note gives two cards: English → Darija (ord 0) and Darija → English (ord 1).
    assert sorted(cards) == sorted((nid, o) for nid, _, _ in rows for o in (0, 1))
    (model,) = models.values()
    templates = {t["name"]: t for t in model["tmpls"]}
    assert set(templates) == {"English → Darija", "Darija → English"}
    assert templates["English → Darija"]["qfmt"].count("{{English}}") == 1
    assert "{{Darija}}" in templates["Darija → English"]["qfmt"]
    assert "{{Arabizi}}" in templates["Darija → English"]["qfmt"]
    assert "{{Arabizi}}" in templates["English → Darija"]["afmt"]
    assert [f["name"] for f in model["flds"]] == ["English", "Darija", "Arabizi", "Note", "Own"]
    fields = sorted(notes.values())
    # Darija → English pairs put their English and Darija in the same fields as the others.
    assert [
        "I drink tea",
        "كانشرب أتاي",
        to_arabizi("كانشرب أتاي"),
        "&lt;b&gt;not html&lt;/b&gt;",
        "",
    ] in fields
    assert ["thank you", "شكرا", to_arabizi("شكرا"), "", ""] in fields
    own = next(f for f in fields if f[0] == "See you")
    assert own[4] and own[2] == to_arabizi("نتلاقاو")
    # Stable ids: exporting again gives the same notes, so Anki updates instead of duplicating.
    book.export_anki(tmp_path / "again.apkg", deck_name="Darija A1")
    with _anki_collection(tmp_path / "again.apkg", tmp_path) as conn:
        assert {row[0] for row in conn.execute("SELECT guid FROM notes")} == set(notes)


def test_revising_a_translation_updates_its_entry_not_a_near_duplicate(
    history: History,
) -> None:
    first = history.add("I drink tea", "كانشرب أتاي", "en", "ary", "m")
    history.add("Other text", "شي حاجة", "en", "ary", "m")
    # An alternative picked for the first text: its entry changes, nothing is added.
    assert (
        history.add("I drink tea", "كنشرب أتاي", "en", "ary", "m", revises="كانشرب أتاي") == first
    )
    assert history.count() == 2
    entry = history.search("tea")[0]
    assert (entry.id, entry.translation, entry.own) == (first, "كنشرب أتاي", False)
    assert history.search()[0].id == first  # the revised entry is the newest
    # The person's correction: the same entry, marked as theirs.
    assert (
        history.add(
            "I drink tea", "أنا كنشرب أتاي", "en", "ary", "m", own=True, revises="كنشرب أتاي"
        )
        == first
    )
    entry = history.search("tea")[0]
    assert (entry.translation, entry.own) == ("أنا كنشرب أتاي", True)
    # Revising something that is not in the history adds it.
    added = history.add("New", "جديد", "en", "ary", "m", revises="not there")
    assert added not in (0, first) and history.count() == 3
    # Another direction's entry with that text is not touched.
    history.add("I drink tea", "x", "ary", "en", "m", revises="أنا كنشرب أتاي")
    assert history.count() == 4


def test_phrasebook_keeps_the_persons_own_translations_apart() -> None:
    book = Phrasebook()
    machine = book.add("Good night", "تصبح على خير", "en", "ary", note="evening")
    assert not book.list()[0].own
    # The person corrects the saved pair: the same entry, its note kept, marked as theirs.
    assert book.revise("Good night", "تصبح على خير", "تصبحي على خير", "en", "ary") == machine
    (entry,) = book.list()
    assert (entry.translation, entry.note, entry.own) == ("تصبحي على خير", "evening", True)
    # A correction of a pair never saved is added as the person's own.
    other = book.revise("Hello", "سلام", "السلام عليكم", "en", "ary")
    assert other != machine and book.list("عليكم")[0].own
    # Correcting into a pair already saved merges the two.
    book.add("Hi", "سلام", "en", "ary")
    kept = book.add("Hi", "أهلا", "en", "ary")
    assert book.revise("Hi", "سلام", "أهلا", "en", "ary") == kept
    assert [e.translation for e in book.list("Hi")] == ["أهلا"]
    with pytest.raises(InputError):
        book.revise("Hi", "أهلا", "  ", "en", "ary")
    assert [e.translation for e in book.list("Hi")] == ["أهلا"]


def test_own_survives_the_csv_round_trip(tmp_path: Path) -> None:
    book = Phrasebook()
    book.add("mine", "ديالي", "en", "ary", own=True)
    book.add("theirs", "ديالهم", "en", "ary")
    out = tmp_path / "phrases.csv"
    book.export_csv(out)
    other = Phrasebook(tmp_path / "other.sqlite3")
    other.import_csv(out)
    assert {e.source_text: e.own for e in other.list()} == {"mine": True, "theirs": False}


def test_a_schema_1_history_gains_the_own_column(terjman_home: Path) -> None:
    path = paths.data_dir() / "history.sqlite3"
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "CREATE TABLE history (id INTEGER PRIMARY KEY, source_text TEXT NOT NULL, "
            "translation TEXT NOT NULL, source_language TEXT NOT NULL, "
            "target_language TEXT NOT NULL, model_id TEXT NOT NULL DEFAULT '', "
            "created REAL NOT NULL, updated REAL NOT NULL);"
            "CREATE TABLE phrasebook (id INTEGER PRIMARY KEY, source_text TEXT NOT NULL, "
            "translation TEXT NOT NULL, source_language TEXT NOT NULL, "
            "target_language TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', "
            "created REAL NOT NULL, UNIQUE (source_text, translation, source_language, "
            "target_language));"
            "INSERT INTO history VALUES (1, 'old', 'قديم', 'en', 'ary', 'm', 1.0, 1.0);"
            "INSERT INTO phrasebook VALUES (1, 'old', 'قديم', 'en', 'ary', '', 1.0);"
            "PRAGMA user_version = 1;"
        )
    history, book = History(), Phrasebook()
    assert [(e.source_text, e.own) for e in history.search()] == [("old", False)]
    assert [(e.source_text, e.own) for e in book.list()] == [("old", False)]
    history.add("new", "جديد", "en", "ary", "m", own=True)
    assert history.search("new")[0].own
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == history_db.SCHEMA_VERSION


def test_export_anki_of_empty_phrasebook_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        Phrasebook().export_anki(tmp_path / "deck.apkg")
    assert not (tmp_path / "deck.apkg").exists()


def _open_and_add(path: str, index: int) -> int:
    from terjman_desktop.core.history import History

    with History(Path(path)) as history:
        return history.add(f"sentence {index}", f"jomla {index}", "en", "ary", "m")


def test_switching_a_new_history_to_wal_waits_for_the_other_process(tmp_path: Path) -> None:
    """SQLite refuses the switch at once while another process has the new file, whatever
    the busy timeout: it is retried for as long as a call would wait, and then it holds."""
    import sqlite3
    import threading

    path = tmp_path / "history.sqlite3"
    other = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE t (x)")
    other.execute("BEGIN EXCLUSIVE")
    ours = sqlite3.connect(path, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        ours.execute("PRAGMA journal_mode=WAL")  # what two app instances starting met
    threading.Timer(0.3, lambda: other.execute("COMMIT")).start()
    assert history_db._switch_to_wal(ours, patience=10) == "wal"
    ours.close()
    other.close()
    # Past its patience, the switch gives the error up to the caller (a HistoryError there).
    other = sqlite3.connect(tmp_path / "b.sqlite3", timeout=0, isolation_level=None)
    other.execute("CREATE TABLE t (x)")
    other.execute("BEGIN EXCLUSIVE")
    ours = sqlite3.connect(tmp_path / "b.sqlite3", timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        history_db._switch_to_wal(ours, patience=0.05)
    ours.close()
    other.close()


def test_processes_opening_a_new_history_at_once(tmp_path: Path) -> None:
    """Two app instances starting together must not fail on "table already exists"."""
    import multiprocessing

    path = tmp_path / "shared" / "history.sqlite3"
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        ids = pool.starmap(_open_and_add, [(str(path), i) for i in range(8)])
    assert all(ids)
    from terjman_desktop.core.history import History

    with History(path) as history:
        assert history.count() == 8
        assert [e.source_text for e in history.search("sentence 3")] == ["sentence 3"]
