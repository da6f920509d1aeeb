"""`make eval` (bench/eval.py) on a corpus made here: the scores it prints are the ones
counted by hand from the manifest, for the project and for trafilatura alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bench import eval as ev


def _corpus(tmp_path: Path, pages_dir: Path) -> Path:
    folder = tmp_path / "some-publisher-html"
    (folder / "pages").mkdir(parents=True)
    shutil.copy(pages_dir / "kremlin-en-38841.html", folder / "pages/a.html")
    manifest = [
        {
            "file": "pages/a.html",
            "title": "Acting President Vladimir Putin arrived in Grozny",
            "title_alt": [],
            "date": "2000-03-20",
            "speakers": ["Acting President Vladimir Putin"],
            "body_selector": ".read__internal_content p",
            "must_contain": ["At Severny Airport, Acting President told reporters"],
            "must_not_contain": ["Send by email"],
        }
    ]
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    return tmp_path


def test_publisher_set_scored_for_both(tmp_path: Path, pages_dir: Path, capsys) -> None:
    corpus = _corpus(tmp_path, pages_dir)
    assert ev.publisher_folders(corpus) == ["some-publisher-html"]
    ours, peer = ev.evaluate(ev.publisher_cases(corpus, "some-publisher-html"))
    assert peer is not None
    assert (ours.pages, ours.failed, ours.titles, ours.dates, ours.leaks) == (1, 0, 1, 1, 0)
    assert ours.must_found == ours.must_cases == 1
    assert ours.spk_cases == 1 and ours.spk_f1 == 1.0
    assert peer.pages == 1
    p, r, f1 = ours.body
    # the selector takes the <p>s only, the lead is not among them: all our words are
    # body words, and most body words are ours
    assert p == 1.0 and r is not None and 0.85 < r < 1 and f1 is not None
    assert ev.main([str(corpus)]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| some-publisher-html"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == "1"  # pages
    assert cells[8] == "100.0 / 100.0"  # title, both find the headline
    assert cells[9].startswith("100.0 / ")  # date


def test_speaker_f1() -> None:
    assert ev.speaker_f1(["Chair Jerome H. Powell"], ("Jerome H. Powell",)) == 1.0
    assert ev.speaker_f1(["A. Smith", "Bob Jones"], ("Alan Smith",)) == 2 * 1 * 0.5 / 1.5
    assert ev.speaker_f1(["Bob Jones"], ()) == 0.0
    assert ev.speaker_f1(["Bob Jones"], ("Bob Jones", "Ann Lee", "Kim Park", "Li Wei")) == 0.4


def test_han_characters_are_words() -> None:
    assert ev.words("外交部 spokesman 耿爽") == {
        "外": 1,
        "交": 1,
        "部": 1,
        "spokesman": 1,
        "耿": 1,
        "爽": 1,
    }
