"""Pre-formatted government captures: a document served as one `<pre>` block (or as
plain text) between furniture lines.

Archives of official gazettes and compilations (the Federal Register, the Weekly
Compilation of Presidential Documents, the Congressional Record, many national
gazettes' text editions) print a document as fixed-width text wrapped in furniture:

    [Federal Register Volume 65, Number 47 (Thursday, March 9, 2000)]    <- volume header
    [Presidential Documents]                                           <- section
    [Pages 12573-12574]                                                <- page span
    From the Federal Register Online via the Government Publishing Office
    [FR Doc No: 00-5957]                                               <- document number
    Federal Register / Vol. 65, No. 47 / Thursday, March 9, 2000 / ... <- running head
    [[Page 12573]]                                                     <- page break
                    Executive Order 13147 of March 7, 2000             <- the document's line
    ... body ...
                                    (Presidential Sig.)<Clinton>       <- signature
                                    THE WHITE HOUSE,
                                    March 7, 2000.                     <- signing date
    [FR Doc. 00-5957 Filed 3-8-00; 8:45 am]                            <- filing line
    Billing code 3195-01-P                                             <- billing code

`read_preformatted` takes the furniture out by its *shape* (bracketed header lines,
slashed running heads, page markers, filing and billing lines, rules), not by one
publication's wording: the title is the document's own first line, the date its
signing date (a signing line, a "Dated:" line, the date under "THE WHITE HOUSE,",
the date in the document's line "... of March 7, 2000", a dateline under the
title), and the signer (`Preformatted.signers`) is the speaker. The issue date in
the volume header is the fallback date: it is when the document was printed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from statements.scraper import clean
from statements.scraper.dates import find_date, parse_date
from statements.scraper.metadata import statement_date

# ---- furniture, by shape -----------------------------------------------------------------

#: A whole line in square brackets ("[Presidential Documents]", "[[Page 12573]]",
#: "[DOCID:wc13mr00_txt-12]") or a bracket opened on one line and closed on the next
#: ("[FR Doc. 00-5957\nFiled 3-8-00; 8:45 am]").
_BRACKET_LINE = re.compile(r"^\s*\[[^\[\]\n]{0,200}\]?\]?\s*$|^\s*\[\[[^\]\n]{0,60}\]\]\s*$")
_BRACKET_OPEN = re.compile(r"^\s*\[[^\]\n]{0,120}$")
_BRACKET_CLOSE = re.compile(r"^[^\[\n]{0,120}\]\s*$")
#: A page marker inside the text ("[[Page 12573]]", "[*12573]").
PAGE_MARK = re.compile(r"\[\[Page [^\]\n]{1,20}\]\]|\[\*\d{1,6}\]")
#: Running heads: "Federal Register / Vol. 65, No. 47 / Thursday, March 9, 2000 / Rules"
_RUNNING_HEAD = re.compile(r"^\s*\S[^/\n]{0,60}/\s*Vol\.\s*\d+[^/\n]{0,40}/[^\n]{0,120}$", re.I)
_FURNITURE = tuple(
    re.compile(rx, re.I)
    for rx in (
        r"^\s*(?:From|Online from|Retrieved from)\b.{0,80}\b(?:Online|Office|GPO|gpo\.gov|"
        r"www\.\S+)\]?\s*$",
        r"^\s*(?:Billing code|BILLING CODE)\s+[\w-]{2,20}\s*$",
        r"^\s*\[?(?:FR Doc\.?|DOCID:|DOC ID:|Document No\.?)\s*[\w:.-]{1,40}",
        r"^\s*Filed\s+\d{1,2}[-/]\d{1,2}[-/]\d{2,4};",
        r"^\s*[_=*~-]{10,}\s*$",
        r"^\s*Presidential Documents\s*$",
    )
)
_TITLE_PART = re.compile(r"^\s*Title \d+\s*--\s*$")
#: The issue date in a volume header: "[Federal Register Volume 65, Number 47 (Thursday,
#: March 9, 2000)]", "[Volume 36, Number 10 (Monday, March 13, 2000)]".
_ISSUE_DATE = re.compile(r"^\s*\[[^\]\n]{0,120}\(([^()\n]{6,40})\)\]\s*$")

# ---- signatures ----------------------------------------------------------------------------

#: "(Presidential Sig.)<Clinton>", "(Signed) Jane Doe"
_SIG_MARK = re.compile(r"\((?:Presidential )?Sig(?:ned|\.)?\)\s*<?(?P<name>[^<>\n]{2,60}?)>?\s*$")
#: "Dated: March 1, 2000.", "Signed at Washington, DC, on March 1, 2000.", "Done at ..."
_DATED = re.compile(
    r"^\s*(?:Dated|Issued|Signed|Done|Approved)\b[^\n]{0,80}?(?:[:,]|\bon|\bthis)\s+"
    r"(?P<date>[^\n]{6,40}?)\.?\s*$",
    re.I,
)
#: The place line above a signing date: "THE WHITE HOUSE,"
_PLACE_LINE = re.compile(r"^\s*(?:THE WHITE HOUSE|[A-Z][A-Z .'-]{2,40}),\s*$")
#: A signer's name line: "John Smith," (followed by the signer's office)
_NAME_LINE = re.compile(
    r"^\s*(?P<name>(?:[A-Z][\w'’.-]+\.?\s+){1,4}[A-Z][\w'’-]+(?:,\s*(?:Jr|Sr|II|III)\.?)?),\s*$"
)


@dataclass
class Preformatted:
    """What a pre-formatted capture holds, furniture taken out."""

    title: str = ""
    text: str = ""
    date: dt.date | None = None
    #: the people who signed the document (an order's President, a rule's official):
    #: the speakers of the record (`extract.finish` merges them with the other evidence)
    signers: list[str] = field(default_factory=list)
    document_number: str | None = None
    issue_date: dt.date | None = None
    #: the issuing body a gazette notice names above its title ("DEPARTMENT OF COMMERCE")
    agency: str | None = None


def furniture_lines(lines: list[str]) -> set[int]:
    """Indexes of the furniture lines (headers, page marks, filing and billing lines)."""
    out: set[int] = set()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if _BRACKET_LINE.match(line) or _RUNNING_HEAD.match(line):
            out.add(i)
        elif _TITLE_PART.match(line):
            # "Title 3--" / "The President": the code title the document is filed under
            out.add(i)
            nxt = _next_filled(lines, i)
            if nxt is not None and len(lines[nxt].strip()) <= 40:
                out.add(nxt)
                i = nxt
        elif any(p.match(line) for p in _FURNITURE):
            out.add(i)
            # a filing bracket spans two lines: "[FR Doc. 00-5957" / "Filed 3-8-00; ...]"
            if line.lstrip().startswith("[") and "]" not in line:
                j = i + 1
                while j < len(lines) and j - i <= 3:
                    out.add(j)
                    if "]" in lines[j]:
                        break
                    j += 1
                i = j
        elif (
            _BRACKET_OPEN.match(line) and i + 1 < len(lines) and _BRACKET_CLOSE.match(lines[i + 1])
        ):
            out.update((i, i + 1))
            i += 1
        i += 1
    return out


def looks_preformatted(text: str) -> bool:
    """A capture with at least two furniture lines among its first 40 lines, or page marks."""
    head = text.lstrip("\n").split("\n", 60)[:40]
    return len(furniture_lines(head)) >= 2 or len(PAGE_MARK.findall(text[:200_000])) >= 2


def read_preformatted(text: str) -> Preformatted:
    """Body without furniture, the document's own title line, signing date and signers."""
    text = text.replace("\t", "    ")
    lines = text.split("\n")
    furniture = furniture_lines(lines)
    out = Preformatted()
    for i in sorted(furniture):
        m = _ISSUE_DATE.match(lines[i])
        if m and out.issue_date is None:
            out.issue_date = parse_date(m.group(1)) or find_date(m.group(1))
        num = re.search(r"(?:FR Doc\.?(?: No:)?|DOCID:)\s*([\w.-]{2,40})", lines[i])
        if num and out.document_number is None:
            out.document_number = num.group(1).rstrip(".")
    kept = [PAGE_MARK.sub("", line) for i, line in enumerate(lines) if i not in furniture]

    # signature block: signer names and the signing date, taken out of the body
    signing: dt.date | None = None
    body: list[str] = []
    skip: set[int] = set()
    for k, line in enumerate(kept):
        sig = _SIG_MARK.search(line)
        if sig:
            out.signers.append(sig.group("name").strip())
            continue
        if k in skip:
            continue
        dated = _DATED.match(line)
        if dated and (d := parse_date(dated.group("date")) or find_date(dated.group("date"))):
            # "Dated: March 1, 2000." / "John Smith," / "Acting Director, ..."
            signing = signing or d
            nxt = _next_filled(kept, k)
            if nxt is not None and (name := _NAME_LINE.match(kept[nxt])):
                out.signers.append(name.group("name"))
                skip.add(nxt)
                # the signer's office, to the end of the block (wrapped over a few lines)
                for j in range(nxt + 1, min(len(kept), nxt + 4)):
                    if not kept[j].strip():
                        break
                    skip.add(j)
            continue
        if _PLACE_LINE.match(line):
            # "THE WHITE HOUSE," / "March 7, 2000."
            nxt = _next_filled(kept, k)
            if nxt is not None and (d := parse_date(kept[nxt].strip().rstrip("."))):
                signing = signing or d
                skip.add(nxt)
                continue
        body.append(line)

    paragraphs = _paragraphs(body)
    start = _title_index(paragraphs)
    if paragraphs:
        header = paragraphs[:start]
        caps = next((p for p in header if _is_caps(p)), None)
        out.agency = _title_case(caps) if caps else None
        out.title = paragraphs[start]
        rest = paragraphs[start + 1 :]
        # a dateline under the title ("March 7, 2000"): the date, not body text
        dateline = parse_date(rest[0].rstrip(".")) if rest else None
        if dateline:
            rest = rest[1:]
        out.date = signing or statement_date("", out.title) or dateline or out.issue_date
        out.text = "\n\n".join(rest)
    out.text = clean.tidy(out.text)
    return out


#: The labelled preamble of a gazette notice or rule ("AGENCY: ...", "ACTION: ...").
_PREAMBLE = re.compile(r"^(?:AGENCY|ACTION|SUMMARY|DATES?|ADDRESSES):\s")


def _title_index(paragraphs: list[str]) -> int:
    """Which paragraph is the document's own title line. Gazette notices and rules put
    the issuing agency's names (in capitals, then its sub-agency and identifiers) above
    the title and a labelled preamble ("AGENCY:") right under it: there the title is the
    paragraph before the preamble. Otherwise the first paragraph not in capitals."""
    for k, para in enumerate(paragraphs[:12]):
        if _PREAMBLE.match(para):
            return max(k - 1, 0)
    for k, para in enumerate(paragraphs[:3]):
        if not _is_caps(para):
            return k
    return 0


_SMALL_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "to", "a", "an", "de", "la"})


def _title_case(text: str) -> str:
    """ "DEPARTMENT OF COMMERCE" -> "Department of Commerce"."""
    words = text.lower().split()
    return " ".join(
        w if (k and w in _SMALL_WORDS) else w[:1].upper() + w[1:] for k, w in enumerate(words)
    )


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.9


def _next_filled(lines: list[str], k: int) -> int | None:
    for j in range(k + 1, min(len(lines), k + 4)):
        if lines[j].strip():
            return j
    return None


def _paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs of fixed-width text: blank lines and indented first lines start one,
    wrapped lines are joined with a space, a hyphen at a line's end joins the word."""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            joined = ""
            for part in current:
                if joined.endswith("-") and not joined.endswith(" -") and part[:1].islower():
                    joined = joined[:-1] + part
                else:
                    joined = f"{joined} {part}" if joined else part
            paragraphs.append(" ".join(joined.split()))
            current.clear()

    for line in lines:
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        indent = len(line) - len(line.lstrip(" "))
        # an indented line after a full one opens a new paragraph ("    Sec. 2. ...")
        if current and 2 <= indent <= 8 and not current[-1].endswith("-"):
            flush()
        current.append(stripped)
    flush()
    return paragraphs
