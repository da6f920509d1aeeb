"""A data home from someone else: its files are read as data, never run as code.

A crafted file in a copied home (the project's old facet pickle, Whoosh's TOC
with a pickled schema or segment list) must be refused, or ignored, without
running anything: each crafted pickle here would write a marker file if loaded
with `pickle.load`. A home owned by another user or writable by others is
refused in one line naming --trust-home / STATEMENTS_TRUST_HOME.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
from pathlib import Path

import pytest
from reliability_helpers import RECORDS, cli

TOC_REFUSED = re.compile(
    r"Error: not a statements index: a file in it names (__builtin__|builtins)\.exec, "
)


class _Evil:
    """Pickles to a call of exec(code): what a crafted file would hold."""

    def __init__(self, marker: Path) -> None:
        self.code = f"open({str(marker)!r}, 'w').write('ran')"

    def __reduce__(self) -> tuple:
        return (exec, (self.code,))


def crafted(marker: Path, protocol: int = 2) -> bytes:
    data = pickle.dumps(_Evil(marker), protocol=protocol)
    assert b"exec" in data
    return data


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real home with 20 records, searched once (so its facet table exists)."""
    folder = tmp_path_factory.mktemp("built")
    jsonl = folder / "records.jsonl"
    jsonl.write_text("\n".join(RECORDS.read_text().splitlines()[:20]) + "\n")
    home = folder / "home"
    assert cli("add", str(jsonl), "--home", str(home)).exit_code == 0  # type: ignore[attr-defined]
    return home


def copy_home(built: Path, tmp_path: Path) -> tuple[Path, Path]:
    home = tmp_path / "copied"
    shutil.copytree(built, home)
    generation = home / (home / "CURRENT").read_text().strip()
    return home, generation


def whoosh_generation(generation: Path) -> int:
    tocs = sorted((generation / "whoosh").glob("_MAIN_*.toc"))
    return int(tocs[-1].stem.rsplit("_", 1)[-1])


def search_ids(home: Path, *extra: str) -> tuple[int, list[str], str]:
    result = cli(*extra, "search", "security", "--format", "json", "--home", str(home))
    out = result.stdout  # type: ignore[attr-defined]
    ids = [h["id"] for h in json.loads(out)["hits"]] if result.exit_code == 0 else []  # type: ignore[attr-defined]
    return result.exit_code, ids, result.stderr  # type: ignore[attr-defined]


def test_a_crafted_facet_pickle_is_never_loaded(built: Path, tmp_path: Path) -> None:
    """The old cache name (facets-v3-N.pickle, N the live Whoosh generation) with a
    crafted pickle: search ignores it, runs nothing and answers as usual."""
    home, generation = copy_home(built, tmp_path)
    marker = tmp_path / "ran"
    gen = whoosh_generation(generation)
    for old in generation.glob("facets-*"):
        old.unlink()
    (generation / f"facets-v3-{gen}.pickle").write_bytes(crafted(marker))
    code, ids, err = search_ids(home)
    assert code == 0, err
    assert ids and not marker.exists()
    assert code == search_ids(built)[0] and ids == search_ids(built)[1]


def test_a_damaged_facet_json_is_rebuilt(built: Path, tmp_path: Path) -> None:
    home, generation = copy_home(built, tmp_path)
    for cache in generation.glob("facets-*"):  # the cache file, whatever its format
        cache.write_text('{"version": 4, "generation": 1, "ids": [')
    code, ids, err = search_ids(home)
    assert code == 0 and ids == search_ids(built)[1], err


def _toc_parts(toc: Path) -> tuple[bytes, bytes, bytes]:
    """(header, schema pickle, rest) of a Whoosh TOC file, split where Whoosh reads."""
    from whoosh.filedb.structfile import StructFile

    with open(toc, "rb") as fh:
        stream = StructFile(fh)
        for _ in range(3):
            stream.read_varint()  # int, long, float sizes
        stream.read_int()  # -12345
        stream.read_int()  # version
        for _ in range(3):
            stream.read_varint()  # release
        header_end = fh.tell()
        schema = stream.read_string()
        rest_start = fh.tell()
    data = toc.read_bytes()
    return data[:header_end], schema, data[rest_start:]


def test_a_crafted_toc_schema_is_refused_without_running(built: Path, tmp_path: Path) -> None:
    from whoosh.util.varints import varint

    home, generation = copy_home(built, tmp_path)
    marker = tmp_path / "ran"
    toc = sorted((generation / "whoosh").glob("_MAIN_*.toc"))[-1]
    header, _schema, rest = _toc_parts(toc)
    evil = crafted(marker)
    toc.write_bytes(header + varint(len(evil)) + evil + rest)
    code, _ids, err = search_ids(home)
    assert code == 1 and not marker.exists()
    assert TOC_REFUSED.match(err), err
    assert len(err.splitlines()) == 1


def test_a_crafted_toc_segment_list_is_refused_without_running(built: Path, tmp_path: Path) -> None:
    home, generation = copy_home(built, tmp_path)
    marker = tmp_path / "ran"
    toc = sorted((generation / "whoosh").glob("_MAIN_*.toc"))[-1]
    header, schema, rest = _toc_parts(toc)
    from whoosh.util.varints import varint

    # the rest is: generation (int), an unused int, then the pickled segment list
    toc.write_bytes(header + varint(len(schema)) + schema + rest[:8] + crafted(marker, 4))
    code, _ids, err = search_ids(home)
    assert code == 1 and not marker.exists()
    assert TOC_REFUSED.match(err), err


def test_the_real_index_loads_through_the_restricted_unpickler(built: Path) -> None:
    """Every pickle of a real index (schema, segments, stored fields, postings) loads."""
    from statements.index import unpickle

    assert unpickle._installed  # the CLI installed it when it opened the index
    code, ids, err = search_ids(built)
    assert code == 0 and ids, err
    result = cli("show", ids[0], "--format", "json", "--home", str(built))
    assert result.exit_code == 0  # type: ignore[attr-defined]


def test_a_home_writable_by_others_is_refused_in_one_line(built: Path, tmp_path: Path) -> None:
    home, _generation = copy_home(built, tmp_path)
    os.chmod(home, 0o777)
    code, _ids, err = search_ids(home)
    assert code == 1
    assert err.splitlines() == [
        f"Error: the data folder {home} is writable by everyone; refused, since anyone who "
        "can write there chooses what this program reads (run `chmod go-w "
        f"{home}`, or if you trust whoever can write there, pass --trust-home "
        "(statements --trust-home COMMAND ...) or set STATEMENTS_TRUST_HOME=1)"
    ]
    os.chmod(home, 0o775)
    assert "writable by its group" in search_ids(home)[2]
    assert search_ids(home, "--trust-home")[0] == 0
    result = cli("search", "security", "--home", str(home))  # the flag held one run only
    assert result.exit_code == 1  # type: ignore[attr-defined]
    os.environ["STATEMENTS_TRUST_HOME"] = str(home)
    try:
        assert search_ids(home)[0] == 0
    finally:
        del os.environ["STATEMENTS_TRUST_HOME"]


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
def test_a_home_of_another_user_is_refused(built: Path, tmp_path: Path) -> None:
    home, _generation = copy_home(built, tmp_path)
    os.chown(home, 12345, 12345)
    code, _ids, err = search_ids(home)
    assert code == 1 and "belongs to another user (uid 12345)" in err
    assert "--trust-home" in err and "STATEMENTS_TRUST_HOME" in err


def test_a_home_that_is_a_file_or_a_dangling_link_says_so(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    for args in (("search", "x"), ("add", str(RECORDS)), ("stats",), ("sources", "list")):
        result = cli(*args, "--home", str(afile))
        assert result.exit_code == 1  # type: ignore[attr-defined]
        assert result.stderr.splitlines() == [  # type: ignore[attr-defined]
            f"Error: the data folder {afile} is a file, not a folder (point --home / "
            "STATEMENTS_HOME at a folder (a new one is created when missing))"
        ]
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "missing")
    result = cli("add", str(RECORDS), "--home", str(link))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "is a link to" in result.stderr and "which does not exist" in result.stderr  # type: ignore[attr-defined]
