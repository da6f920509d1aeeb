"""Whoosh's own pickles, loaded so that a crafted file cannot run code.

Whoosh keeps the schema and the segment list (the TOC), stored fields and some
posting data as pickles. A pickle names callables by module and name, and
unpickling calls them: a copied data home with a crafted TOC would run the
sender's code on `search`. `install()` points every place Whoosh unpickles at a
restricted unpickler whose `find_class` allows only the classes a statements
index holds (the Python docs' "Restricting Globals"); anything else fails as
"not a statements index" before any of it runs.

The list below is what a statements index holds: the schema's fields, formats,
analysers and their parts, the segment class, and the few builtins pickle itself
names (recorded from real indexes: built, reindexed with worker processes,
searched). Each is a class, or a builtin whose call only builds a value; a
tokenizer's pattern is compiled, never executed. The tests build, reindex (with
workers) and search through it, so a class missing here fails them.
"""

from __future__ import annotations

import io
import pickle
from typing import Any

from statements.scraper.errors import StatementsError

ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        # what pickle itself names for builtin values (protocol 2 bytes, Python 2 names)
        ("builtins", "frozenset"),
        ("builtins", "set"),
        ("builtins", "int"),
        ("__builtin__", "frozenset"),
        ("__builtin__", "set"),
        ("__builtin__", "long"),
        ("__builtin__", "int"),
        ("_codecs", "encode"),
        ("collections", "defaultdict"),
        ("datetime", "datetime"),  # the date field, in the writer workers' job files
        ("re", "_compile"),  # a tokenizer's pattern (compiled, never run as code)
        # the schema: fields, formats, analysers (index/schema.py, index/analyzers.py)
        ("whoosh.fields", "Schema"),
        ("whoosh.fields", "TEXT"),
        ("whoosh.fields", "ID"),
        ("whoosh.fields", "KEYWORD"),
        ("whoosh.fields", "STORED"),
        ("whoosh.fields", "DATETIME"),
        ("whoosh.fields", "NUMERIC"),
        ("whoosh.fields", "COLUMN"),
        ("whoosh.formats", "Existence"),
        ("whoosh.formats", "Frequency"),
        ("whoosh.formats", "Positions"),
        ("whoosh.columns", "NumericColumn"),
        ("whoosh.columns", "VarBytesColumn"),
        ("whoosh.analysis.analyzers", "CompositeAnalyzer"),
        ("whoosh.analysis.filters", "LowercaseFilter"),
        ("whoosh.analysis.filters", "StripFilter"),
        ("whoosh.analysis.tokenizers", "IDTokenizer"),
        ("whoosh.analysis.tokenizers", "RegexTokenizer"),
        ("statements.index.analyzers", "FastAnalyzer"),
        ("statements.index.analyzers", "FastPositions"),
        # the segment list
        ("whoosh.codec.whoosh3", "W3Codec"),
        ("whoosh.codec.whoosh3", "W3Segment"),
    }
)


class NotAnIndexError(StatementsError):
    """A file in the index names code that a statements index never holds."""


# Indexes built before the packages moved under `statements` name the analysers by
# their old module; they load as the same classes.
RENAMED = {"index.analyzers": "statements.index.analyzers"}


class _Restricted(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        module = RENAMED.get(module, module)
        if (module, name) in ALLOWED:
            return super().find_class(module, name)
        raise NotAnIndexError(
            f"not a statements index: a file in it names {module}.{name}, which a "
            "statements index never holds (it may have been crafted to run code; nothing "
            "of it was run)",
            "if you trust where the folder came from, `statements reindex` rebuilds the "
            "index from its captures (read as data only); otherwise delete the folder",
        )


def loads(data: bytes, *args: Any, **kwargs: Any) -> Any:
    """`pickle.loads` that refuses every global outside the allow-list."""
    return _Restricted(io.BytesIO(data)).load()


def load(file: Any, *args: Any, **kwargs: Any) -> Any:
    """`pickle.load` that refuses every global outside the allow-list."""
    return _Restricted(file).load()


class _PickleModule:
    """Stands in for the `pickle` module inside Whoosh's modules: loading restricted."""

    loads = staticmethod(loads)
    load = staticmethod(load)
    Unpickler = _Restricted

    def __getattr__(self, name: str) -> Any:
        return getattr(pickle, name)


_installed = False


def install() -> None:
    """Route Whoosh's unpickling through `loads`/`load` (idempotent, cheap).

    whoosh.multiproc is patched when Whoosh imports it for a writer with worker
    processes, not imported here: a search never needs it (index/lazy.py)."""
    global _installed
    if _installed:
        return
    from statements.index.lazy import after_import, defer_morph_en

    defer_morph_en()  # before anything imports whoosh.query
    import whoosh.codec.whoosh3
    import whoosh.columns
    import whoosh.filedb.filetables
    import whoosh.filedb.structfile
    import whoosh.formats
    import whoosh.index

    shim = _PickleModule()
    whoosh.index.pickle = shim  # type: ignore[assignment]  # the TOC's schema
    after_import("whoosh.multiproc", lambda module: setattr(module, "pickle", shim))  # job files
    whoosh.filedb.structfile.load = load  # type: ignore[assignment]  # TOC segments
    whoosh.codec.whoosh3.loads = loads  # type: ignore[assignment]  # postings
    whoosh.columns.loads = loads  # type: ignore[assignment]  # stored fields
    whoosh.formats.loads = loads  # type: ignore[assignment]
    try:
        import whoosh.filedb.fileindex

        whoosh.filedb.fileindex.pickle = shim  # type: ignore[assignment]
    except ImportError:  # an old module this Whoosh no longer loads
        pass
    _installed = True
