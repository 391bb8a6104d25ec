"""Find every mention of organisation names and aliases in text with one hyperscan scan.

Patterns are folded literals (accent-free, lower case). ASCII text is scanned as it is (the engine ignores ASCII
case); other text is folded with one length-preserving str.translate, so offsets still point into the original.
Word boundaries and exclusions are checked per hit from a byte table.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import hyperscan

__all__ = ["Match", "NameMatcher", "Pattern", "fold", "fold_char", "sentence_around"]

CACHE_DIR = Path(os.environ.get("MATCHER_CACHE_DIR", Path(tempfile.gettempdir()) / "yearbook-matcher"))
DASHES = "-\u2010\u2011\u2012\u2013\u2014"
APOSTROPHES = "'\u2019"


def fold_char(ch: str) -> str:
    """Fold one character: compatibility-decompose, drop combining marks, lower-case."""
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold(text: str) -> str:
    """Fold a whole string the way patterns are folded (used for patterns and reference checks)."""
    return "".join(fold_char(ch) for ch in text)


def _latin_variants() -> dict[str, tuple[str, ...]]:
    """Map each ASCII letter to the precomposed Latin letters (both cases) that fold to it."""
    variants: dict[str, list[str]] = {}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        base = fold_char(ch)
        if len(base) == 1 and base.isascii() and base.isalpha():
            variants.setdefault(base, []).append(ch)
    return {base: tuple(chars) for base, chars in variants.items()}


LATIN_VARIANTS = _latin_variants()
# One-to-one translation (length-preserving): accented Latin letters and ASCII capitals to lower-case ASCII.
FOLD_TABLE = {ord(ch): base for base, chars in LATIN_VARIANTS.items() for ch in chars} | {
    ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
}


def _single_char_folds() -> dict[int, str]:
    """Every BMP character whose fold is one other character (É→e, Œ→œ, Ω→ω): str.translate keeps offsets."""
    table = {}
    for cp in range(0x80, 0x3000):
        ch = chr(cp)
        folded = fold_char(ch)
        if folded != ch and len(folded) == 1:
            table[cp] = folded
    return table | {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


TEXT_FOLD = _single_char_folds()
# Characters that fold to several (ﬁ→fi, ǅ→dž): rare, but they shift offsets, so such texts take a mapped path.
MULTI_FOLD = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp in range(0x80, 0x3000) if len(fold_char(chr(cp))) > 1) + "]"
)


NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold_run(run: re.Match) -> str:
    """Fold a run of non-ASCII characters; ASCII between runs is left alone (the engine ignores its case)."""
    return run[0].translate(TEXT_FOLD)


class Pattern(NamedTuple):
    """One name or alias to find; `key` identifies its owner (e.g. an organisation id)."""

    key: Hashable
    text: str
    exclusions: tuple[str, ...] = ()


class Match(NamedTuple):
    """One mention: character offsets `start`..`end` into the original text."""

    key: Hashable
    pattern_text: str
    start: int
    end: int


def _hex(text: str) -> str:
    return "".join(f"\\x{b:02x}" for b in text.encode("utf-8"))


def _alternation(chars: Iterable[str]) -> str:
    return "(?:" + "|".join(_hex(c) for c in chars) + ")"


def pattern_regex(text: str) -> bytes:
    """Compile a name into a byte regex over *folded* text: plain literals, so the engine runs at full speed.

    Text is folded before the scan (ASCII text needs no folding: the engine ignores ASCII case), so the pattern
    needs no per-letter accent variants; only spacing, dashes and apostrophes keep small alternations.
    """
    parts: list[str] = []
    for ch in fold(text.strip()):
        if ch.isspace():
            if not parts or parts[-1] != "WS":
                parts.append("WS")
        elif ch in DASHES:
            parts.append(_alternation(DASHES))
        elif ch in APOSTROPHES:
            parts.append(_alternation(APOSTROPHES))
        elif ch.isascii() and ch.isalnum():
            parts.append(ch)
        else:
            parts.append(_hex(ch))
    whitespace = r"(?:\s|\xc2\xa0)+"
    return "".join(whitespace if p == "WS" else p for p in parts).encode("ascii")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# 0: ASCII non-word byte (a boundary), 1: ASCII word byte (no boundary), 2: part of a multi-byte character.
_BYTE_CLASS = bytes((1 if (chr(b).isalnum() or b == 0x5F) else 0) if b < 0x80 else 2 for b in range(256))


def _word_before(data: bytes, pos: int) -> bool:
    """Whether the UTF-8 character ending at byte `pos` is a word character."""
    kind = _BYTE_CLASS[data[pos - 1]]
    if kind != 2:
        return kind == 1
    begin = pos - 1
    while begin > 0 and pos - begin < 4 and 0x80 <= data[begin] < 0xC0:
        begin -= 1
    return _is_word_char(data[begin:pos].decode("utf-8", "replace")[:1])


def _word_after(data: bytes, pos: int) -> bool:
    """Whether the UTF-8 character starting at byte `pos` is a word character."""
    kind = _BYTE_CLASS[data[pos]]
    if kind != 2:
        return kind == 1
    return _is_word_char(data[pos : pos + 4].decode("utf-8", "replace")[:1])


@dataclass(frozen=True, slots=True)
class _Compiled:
    key: Hashable
    text: str
    owner: int  # index of the pattern an exclusion belongs to, or -1 for a name pattern
    bound_left: bool
    bound_right: bool
    # The engine reports only where a match ends (start-of-match tracking costs 5x in compile time and 2x in
    # scanning). A pattern of plain literals starts `length` bytes earlier; one with spacing or dash variants
    # finds its start with a small anchored regex over the bytes just before the end.
    length: int | None
    backwards: re.Pattern | None


def _start_finder(text: str) -> tuple[int | None, re.Pattern | None]:
    """(byte length, None) for a plain literal pattern; (None, anchored regex) when its length can vary."""
    regex = pattern_regex(text)
    if b"(?:" not in regex:  # only literal bytes: the matched text is exactly the folded pattern
        return len(regex.decode("ascii").encode("latin-1").decode("unicode_escape").encode("latin-1")), None
    return None, re.compile(b"(?:" + regex + rb")\Z", re.IGNORECASE)


_START_WINDOW = 2048  # bytes looked back for the start of a variable-length match


_DATABASES: dict[str, bytes] = {}


def _compiled_database(expressions: list[bytes]) -> hyperscan.Database:
    """Compile once per set of expressions: kept serialised (hyperscan.dumpb) in the process and on disk."""
    flags = hyperscan.HS_FLAG_CASELESS
    digest = hashlib.sha256(
        b"\0".join(expressions) + hyperscan.__version__.encode() + str(flags).encode()
    ).hexdigest()
    path = CACHE_DIR / f"{digest}.hsdb"
    serialised = _DATABASES.get(digest)
    if serialised is None and path.exists():
        serialised = path.read_bytes()
    if serialised is not None:
        try:
            database = hyperscan.loadb(serialised, mode=hyperscan.HS_MODE_BLOCK)
            database.scratch = hyperscan.Scratch(database)  # a loaded database comes without one
            _DATABASES[digest] = serialised
            return database
        except hyperscan.error:  # another hyperscan build or platform: compile afresh
            pass
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=expressions,
        ids=list(range(len(expressions))),
        elements=len(expressions),
        flags=[flags] * len(expressions),
    )
    serialised = hyperscan.dumpb(database)
    _DATABASES[digest] = serialised
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(serialised)
        temporary.replace(path)  # atomic: a concurrent worker never reads half a file
    except OSError:
        pass  # a read-only disk only costs a compile per process
    return database


def _start_of(entry: _Compiled, data: bytes, end: int) -> int:
    if entry.length is not None:
        return end - entry.length
    window_start = max(0, end - _START_WINDOW)
    found = entry.backwards.search(data, window_start, end)
    return found.start() if found else end  # unreachable in practice: the engine just matched here


class NameMatcher:
    """A compiled set of names and aliases; `find(text)` returns every mention with original offsets."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        entries: list[_Compiled] = []
        expressions: list[bytes] = []
        exclusions: list[tuple[int, str]] = []
        for pattern in patterns:
            folded = fold(pattern.text.strip())
            if not folded:
                raise ValueError(f"Pattern for {pattern.key!r} is empty after normalisation.")
            index = len(entries)
            entries.append(
                _Compiled(
                    pattern.key,
                    pattern.text,
                    -1,
                    _is_word_char(folded[0]),
                    _is_word_char(folded[-1]),
                    *_start_finder(pattern.text),
                )
            )
            expressions.append(pattern_regex(pattern.text))
            exclusions.extend((index, phrase) for phrase in pattern.exclusions)
        self.pattern_count = len(entries)
        for owner, phrase in exclusions:
            folded = fold(phrase.strip())
            entries.append(
                _Compiled(
                    entries[owner].key,
                    phrase,
                    owner,
                    _is_word_char(folded[0]),
                    _is_word_char(folded[-1]),
                    *_start_finder(phrase),
                )
            )
            expressions.append(pattern_regex(phrase))
        self._entries = entries
        self._has_exclusions = bool(exclusions)
        self._database = _compiled_database(expressions)

    def scan_bytes(self, data: bytes) -> list[tuple[int, int, int]]:
        """Return (pattern index, start, end) byte-offset hits in UTF-8 `data`, boundaries and exclusions applied."""
        raw: list[tuple[int, int, int]] = []
        append = raw.append

        def on_match(ident: int, start: int, end: int, flags: int, context: object) -> None:
            append((ident, end))

        self._database.scan(data, match_event_handler=on_match)
        if not raw:
            return []
        entries = self._entries
        raw = [(ident, _start_of(entries[ident], data, end), end) for ident, end in raw]
        size = len(data)
        hits: list[tuple[int, int, int]] = []
        excluded: list[tuple[int, int, int]] = []
        for ident, start, end in raw:
            entry = entries[ident]
            if entry.bound_left and start and _word_before(data, start):
                continue
            if entry.bound_right and end < size and _word_after(data, end):
                continue
            if entry.owner < 0:
                hits.append((ident, start, end))
            else:
                excluded.append((entry.owner, start, end))
        if excluded:
            hits = [
                hit
                for hit in hits
                if not any(o == hit[0] and s <= hit[1] and hit[2] <= e for o, s, e in excluded)
            ]
        return hits

    def find(self, text: str) -> list[Match]:
        """Return every mention in `text`, sorted by position, with character offsets into `text`."""
        if text.isascii():  # most items: the engine handles case; byte offsets are character offsets
            hits = self.scan_bytes(text.encode("ascii"))
            origin = None
        elif MULTI_FOLD.search(text) is None:
            hits, origin = self._scan_folded(NON_ASCII.sub(_fold_run, text)), None
        else:  # a character folding to several shifts offsets: map folded positions back to the original
            pieces = [fold_char(ch) for ch in text]
            origin = [index for index, piece in enumerate(pieces) for _ in piece] + [len(text)]
            hits = self._scan_folded("".join(pieces))
        if not hits:
            return []
        hits.sort(key=lambda hit: (hit[1], hit[2], hit[0]))
        entries = self._entries
        if origin is None:
            return [Match(entries[i].key, entries[i].text, s, e) for i, s, e in hits]
        return [Match(entries[i].key, entries[i].text, origin[s], origin[e - 1] + 1) for i, s, e in hits]

    def _scan_folded(self, folded: str) -> list[tuple[int, int, int]]:
        """Scan folded text; return hits with character offsets into it."""
        data = folded.encode("utf-8")
        hits = self.scan_bytes(data)
        if not hits or len(data) == len(folded):
            return hits
        chars: dict[int, int] = {}
        previous = counted = 0
        for offset in sorted({b for _, s, e in hits for b in (s, e)}):
            counted += len(data[previous:offset].decode("utf-8"))
            chars[offset] = counted
            previous = offset
        return [(i, chars[s], chars[e]) for i, s, e in hits]


_SENTENCE_END = re.compile(r"[.!?\n]")


def sentence_around(text: str, match: Match, limit: int = 400) -> str:
    """Return the sentence containing `match` (at most `limit` characters either side), for reviewers."""
    window_start = max(0, match.start - limit)
    begin = window_start
    for found in _SENTENCE_END.finditer(text, window_start, match.start):
        begin = found.end()
    stop = _SENTENCE_END.search(text, match.end, min(len(text), match.end + limit))
    end = stop.end() if stop else min(len(text), match.end + limit)
    return text[begin:end].strip()
