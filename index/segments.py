"""New Whoosh segments written as a batch streams in, in bounded memory.

Whoosh's own writer keeps every posting of a batch in one pool until commit:
a 20,000-document batch held 5.5 GB across its worker processes. Here each
builder cuts a new segment whenever its records hold `SEGMENT_CHARS`
characters, so memory is bounded by that figure whatever the batch size; the
segments are written to disk as they fill but named in no table of contents
until the batch commits, so the batch is still all or nothing (index.writer).

The pool (`TermPool`) groups postings by term instead of holding one tuple per
posting: about a quarter of the memory, and commit sorts the distinct terms,
not every posting (Whoosh's pool sorted some ten million tuples at 20,000
documents, a large part of the build).

Large batches are spread over worker processes (index.workers).

Merge policy (`bounded_merge`, applied at each commit to the segments already
committed): only segments holding fewer than `SMALL_DOCS` live documents are
merged, the smallest first and at most `MERGE_DOCS` documents' worth per
commit, so an `add` never pays for a merge larger than about one small batch;
large segments are never merged by `add`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from statements.scraper.record import Statement

SEGMENT_CHARS = 40_000_000  # characters of records a builder holds before writing a segment
SMALL_DOCS = 200
MERGE_DOCS = 1_000


class TermPool:
    """Postings of one new segment, grouped by (field, term) in docnum order.

    Stands in for Whoosh's `PostingPool` (same `add` / `iter_postings`): a
    document's postings are added in docnum order, so each term's list is
    sorted already and only the distinct terms are sorted at the end.
    """

    def __init__(self) -> None:
        self.terms: dict[tuple[str, bytes], list[Any]] = {}
        self.fieldnames: set[str] = set()
        self.postings = 0
        self._weights: dict[float, float] = {}  # one float object per distinct weight

    def add_words(self, fieldname: str, poses: dict[str, list[int]], docnum: int, fmt: Any) -> int:
        """A text field's postings from word -> positions (what `FastPositions`
        gives Whoosh, weight and value alike); returns the field's length in words."""
        from statements.index.analyzers import _SINGLE

        terms = self.terms
        weights = self._weights
        boost = fmt.field_boost
        encode = fmt.encode
        length = 0
        for word, poslist in poses.items():
            n = len(poslist)
            if n == 1:
                value = _SINGLE.get(poslist[0])
                if value is None:
                    value = _SINGLE[poslist[0]] = encode(poslist)
            else:
                value = encode(poslist)
            weight = float(n) * boost
            weight = weights.setdefault(weight, weight)
            key = (fieldname, word.encode("utf-8"))
            held = terms.get(key)
            if held is None:
                terms[key] = [docnum, weight, value]
            else:
                held += (docnum, weight, value)
            length += n
        if poses:
            self.fieldnames.add(fieldname)
            self.postings += len(poses)
        return length

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, text, docnum, weight, value = item
        weight = self._weights.setdefault(weight, weight)
        key = (fieldname, text)
        held = self.terms.get(key)
        if held is None:
            self.terms[key] = [docnum, weight, value]
            self.fieldnames.add(fieldname)
        else:
            held += (docnum, weight, value)
        self.postings += 1

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        terms = self.terms
        for key in sorted(terms):
            fieldname, text = key
            held = terms[key]
            for i in range(0, len(held), 3):
                yield fieldname, text, held[i], held[i + 1], held[i + 2]

    def write(self, fieldwriter: Any, schema: Any, lengths: dict[str, list[int | None]]) -> None:
        """Write the postings through a Whoosh field writer, term by term: what
        Whoosh's `FieldWriter.add_postings` does with one posting at a time, less
        a check of the order and a read of the document's field length per posting
        (`lengths` holds them per field, read once per document)."""
        terms = self.terms
        field = None
        flen: list[int | None] = []
        for key in sorted(terms):
            fieldname, text = key
            if fieldname != field:
                if field is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, schema[fieldname])
                field = fieldname
                flen = lengths[fieldname]
            fieldwriter.start_term(text)
            add = fieldwriter._postwriter.add_posting
            held = terms[key]
            for i in range(0, len(held), 3):
                docnum = held[i]
                value = held[i + 2]
                add(docnum, held[i + 1], b"" if value is None else value, flen[docnum])
            fieldwriter.finish_term()
        if field is not None:
            fieldwriter.finish_field()

    def save(self) -> None:
        pass

    def cleanup(self) -> None:
        self.terms = {}


def _fast_field(field: Any) -> bool:
    """A text field whose words `FastAnalyzer` gives and `FastPositions` encodes."""
    from statements.index.analyzers import FastAnalyzer, FastPositions

    return type(field.format) is FastPositions and type(field.analyzer) is FastAnalyzer


def segment_writer(ix: Any) -> Any:
    """A writer of one new segment of `ix` that takes no lock (the batch's writer
    holds it), pools its postings in a `TermPool` and writes them from it.

    Posting blocks are compressed at zlib level 1, not Whoosh's 3: compression was
    a sixth of the build, and level 1 costs little size on blocks this small."""
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.writing import SegmentWriter

    class Writer(SegmentWriter):  # type: ignore[misc]  # whoosh has no type hints
        def add_document(self, **fields: Any) -> None:
            """Whoosh's `add_document` (the same postings, lengths, stored values and
            columns), with a text field's postings put straight into the pool from
            `FastAnalyzer.word_positions`: Whoosh passed each through three
            generators and a tuple. Boosts, spelling and vectors, which no field of
            ours has, go the way Whoosh goes."""
            if any(name.startswith("_") for name in fields):
                super().add_document(**fields)
                return
            self._check_state()
            perdocwriter = self.perdocwriter
            schema = self.schema
            docnum = self.docnum
            pool = self.pool
            names = sorted(fields)
            self._check_fields(schema, names)
            perdocwriter.start_doc(docnum)
            try:
                for name in names:
                    value = fields[name]
                    if value is None:
                        continue
                    field = schema[name]
                    if field.vector or field.separate_spelling():
                        raise ValueError(f"{name}: vectors and spelling are not written here")
                    length = 0
                    if field.indexed:
                        if isinstance(value, str) and _fast_field(field):
                            poses = field.analyzer.word_positions(value)
                            length = pool.add_words(name, poses, docnum, field.format)
                        else:
                            for text, freq, weight, vbytes in field.index(value):
                                length += freq
                                pool.add((name, text, docnum, weight, vbytes))
                        if not field.scorable:
                            length = 0
                    perdocwriter.add_field(name, field, value if field.stored else None, length)
                    column = field.column_type
                    if column:
                        perdocwriter.add_column_value(name, column, field.to_column_value(value))
            except ValueError:
                perdocwriter.cancel_doc()
                raise
            perdocwriter.finish_doc()
            self._added = True
            self.docnum += 1

        def _flush_segment(self) -> None:
            self.perdocwriter.close()
            pdr = self.per_document_reader()
            try:
                lengths = {}
                for name in self.pool.fieldnames:
                    get = pdr.doc_field_length_reader(name)
                    lengths[name] = [get(d) for d in range(self.docnum)]
                self.pool.write(self.fieldwriter, self.schema, lengths)
            finally:
                pdr.close()
            self.fieldwriter.close()

    writer = Writer(ix, _lk=False, compound=False, codec=W3Codec(compression=1))
    writer.pool = TermPool()
    return writer


@dataclass
class Built:
    """What a builder wrote: the new segments of the documents index (deletions applied)."""

    main: list[Any] = field(default_factory=list)


class SegmentBuilder:
    """Documents of records -> new segments of the documents index.

    The records of the open segment wait in a dict by id, each pickled and
    compressed (`_Held`: a record as objects took several times its text, and
    the waiting records were a fifth of a worker's memory), until they hold
    `limit` characters of title and body: then they are
    indexed and written as one segment (`flushes` counts them: the tests check the
    bound by counting, not timing). A later copy of an id replaces a waiting one
    in place, so the copies of an id within one segment never reach the index (a
    deleted copy would still count in the segment's field-length statistics, and
    scores would depend on how a batch was given); only a copy in a segment
    already written is deleted from it.
    """

    def __init__(
        self,
        main: Any,
        limit: int | None = None,
        document: Callable[[Statement, str], dict[str, Any]] | None = None,
    ) -> None:
        from statements.index import documents as docs

        self.ix = main
        self.limit = SEGMENT_CHARS if limit is None else limit
        self.document = document or docs.document
        self.built = Built()
        self.flushes = 0
        self.waiting: dict[str, tuple[bytes, str]] = {}
        self.held = _Held()
        self.chars = 0  # of the waiting records
        self.most_chars = 0  # the most that waited before a flush
        # id -> (segment ordinal, docnum) of the records of this batch in segments
        # already written
        self.where: dict[str, tuple[int, int]] = {}
        self.dead: list[tuple[int, int]] = []  # copies replaced by a later one

    def add(self, record: Statement, fp: str) -> None:
        earlier = self.where.pop(record.id, None)
        if earlier is not None:
            self.dead.append(earlier)
        self.waiting[record.id] = (self.held.pack(record), fp)
        self.chars += size(record)
        if self.chars >= self.limit:
            self.flush()

    def flush(self) -> None:
        """Index the waiting records into a new segment and write it."""
        if not self.waiting:
            return
        self.most_chars = max(self.most_chars, self.chars)
        self.mw = segment_writer(self.ix)
        for rid, (packed, fp) in self.waiting.items():
            docnum = self.mw.docnum
            self.mw.add_document(**self.document(self.held.unpack(packed), fp))
            self.where[rid] = (self.flushes, docnum)
        self.waiting = {}
        self.chars = 0
        self.built.main.append(self._finish_open())
        self.flushes += 1

    def _finish_open(self) -> Any:
        if self.mw._added:
            return self.mw._finalize_segment()
        self.mw._close_segment()
        return None

    def finish(self) -> Built:
        """Write the last segment, drop the replaced copies; the new segments."""
        self.flush()
        for seg, docnum in self.dead:
            self.built.main[seg].delete_document(docnum)
        self.where.clear()
        return Built([s for s in self.built.main if s is not None])

    def cancel(self) -> None:
        writer = getattr(self, "mw", None)
        try:
            if writer is not None and not writer.is_closed:
                writer._close_segment()
        except Exception:
            pass


class _Held:
    """A waiting record as zstd-compressed pickle bytes (level 1: about 0.3 ms per
    100 KB). The bytes never leave the process that made them, so pickle is safe."""

    def __init__(self) -> None:
        import zstandard

        self._compressor = zstandard.ZstdCompressor(level=1)
        self._decompressor = zstandard.ZstdDecompressor()

    def pack(self, record: Statement) -> bytes:
        import pickle

        return bytes(self._compressor.compress(pickle.dumps(record, pickle.HIGHEST_PROTOCOL)))

    def unpack(self, data: bytes) -> Statement:
        import pickle

        record: Statement = pickle.loads(self._decompressor.decompress(data))
        return record


def size(record: Statement) -> int:
    """The characters a record gives the index: its title and body (the turns are
    ranges of the body, index.said)."""
    return len(record.title) + len(record.text)


def bounded_merge(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: merge only small segments, at most MERGE_DOCS per commit.

    Segments with fewer than SMALL_DOCS live documents (the leftovers of small
    adds, or segments mostly deleted) are merged into the commit's own segment,
    smallest first, while their documents add up to no more than MERGE_DOCS.
    Nothing is done for a single small segment. Larger segments stay as they
    are: an incremental `add` never rewrites the archive.
    """
    from whoosh.reading import SegmentReader

    small = sorted((s for s in segments if s.doc_count() < SMALL_DOCS), key=lambda s: s.doc_count())
    chosen: list[Any] = []
    total = 0
    for seg in small:
        if total + seg.doc_count() > MERGE_DOCS:
            break
        chosen.append(seg)
        total += seg.doc_count()
    if len(chosen) < 2:
        return segments
    for seg in chosen:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    picked = {id(s) for s in chosen}
    return [s for s in segments if id(s) not in picked]
