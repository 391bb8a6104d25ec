"""Find every mention of organisation names and aliases in text with one hyperscan scan for all names.

Two folds with one meaning (case, diacritics and spacing ignored; word boundaries respected):

* The byte fold, for text whose letters are ASCII or Latin-1 (English, French, Spanish, Portuguese, German, Dutch,
  Nordic): one C pass (`textfold.fold`, packages/textfold) lower-cases ASCII, drops the Latin-1 lead byte, turns
  the byte after it into its base letter in upper case (é → E) and records where it dropped one. The engine
  matches names case-insensitively on that, so Python never touches the text character by character. Upper case
  means "this byte was not ASCII": after another lead byte (« ’ Ω) the same byte is punctuation or another script,
  so boundaries there are settled on the original.
* The character fold, for text with Latin Extended letters (Polish, Czech, Romanian, Vietnamese), combining marks,
  or a matcher with names outside Latin-1: non-ASCII runs are folded with `str.translate`, offsets preserved.

Words of a name match across exactly one whitespace character (space, tab, line break or no-break space); the
ingest collapses runs of spaces, so stored items never hide a name behind a double space.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from array import array
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import hyperscan
import textfold

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
    """Compile a name into a byte regex over *character-folded* text: plain literals, so the engine runs at speed.

    Only spacing, dashes and apostrophes keep small alternations of their variants.
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
    whitespace = r"(?:\s|\xc2\xa0)"
    return "".join(whitespace if p == "WS" else p for p in parts).encode("ascii")


# --- the byte fold ---------------------------------------------------------------------------------------------

LATIN1_LEAD = b"\xc3"  # the UTF-8 lead byte of À..ÿ; deleted by the byte fold


def _byte_fold_table() -> bytes:
    """256-entry table: ASCII capitals to lower case, whitespace to space, Latin-1 letters' second byte to a base."""
    table = bytearray(range(256))
    for byte in range(0x41, 0x5B):
        table[byte] = byte + 0x20
    for byte in b"\t\n\r\x0b\x0c":
        table[byte] = 0x20
    for byte in range(0x80, 0xC0):
        folded = fold_char(
            chr(0xC0 + byte - 0x80)
        )  # the letter this byte encodes after the Latin-1 lead byte
        if len(folded) == 1 and folded.isascii():
            table[byte] = ord(
                folded.upper()
            )  # upper case: "was not ASCII", settled on the original if it matters
        elif len(folded) == 1 and 0xC0 <= ord(folded) <= 0xFF:
            table[byte] = 0x80 + ord(folded) - 0xC0  # Æ and æ (Ø/ø, Þ/þ) meet on one byte
    return bytes(table)


BYTE_FOLD_TABLE = _byte_fold_table()


def byte_fold(data: bytes) -> bytes:
    """Fold UTF-8 bytes; exact for ASCII and Latin-1 letters (see the module docstring). Used for names; texts go
    through `textfold.fold`, which folds the same way and also records where it deleted lead bytes."""
    return data.translate(BYTE_FOLD_TABLE, LATIN1_LEAD)


# What the byte fold cannot read, as it looks once folded: Latin Extended A/B, IPA and combining marks (lead bytes
# C4..CD), Latin Extended Additional (E1 B8..BB), fullwidth letters and ligatures (EF AC, EF BC..BD) and typographic
# spaces (E2 80 80..8A). A text containing one takes the character fold, so both folds give the same matches.
# `textfold.fold` applies this rule in C while it folds; the tests check that it refuses exactly these texts.
_NEEDS_CHARACTER_FOLD = rb"[\xc4-\xcd]|\xe1[\xb8U]|\xef[IUY]|\xe2A[ACE\xa6]"
_NOT_WORD = rb"(?:^|[^a-z0-9_])"  # after the byte fold, capitals only come from non-ASCII bytes
_FOLDED_WORD = bytes(
    1 if (chr(b).islower() or chr(b).isdigit() or b == 0x5F) and b < 0x80 else 0 for b in range(256)
)
# After the byte fold, capitals and high bytes come only from non-ASCII characters: they need a look at the original.
_FOLDED_UNSURE = bytes(1 if (0x41 <= b <= 0x5A or b >= 0x80) else 0 for b in range(256))
# A folded byte that is a word boundary whatever the original: ASCII, neither a word byte nor a capital.
_FOLDED_BOUNDARY = bytes(1 if b < 0x80 and not (chr(b).isalnum() or b == 0x5F) else 0 for b in range(256))
_BYTE_FOLDABLE = (
    set(map(chr, range(0x80))) | set(map(chr, range(0xA0, 0x100))) | set(DASHES) | set(APOSTROPHES)
)


def _byte_alternation(chars: Iterable[str]) -> bytes:
    return b"(?:" + b"|".join(sorted({_escape(byte_fold(c.encode())) for c in chars})) + b")"


def _escape(data: bytes) -> bytes:
    return b"".join(bytes([b]) if chr(b).isalnum() and b < 0x80 else b"\\x%02x" % b for b in data)


def byte_fold_regex(text: str) -> bytes | None:
    """The name as a case-insensitive byte regex over byte-folded text, or None when it is not all Latin-1."""
    folded = fold(text.strip())
    if not set(folded) <= _BYTE_FOLDABLE:
        return None
    parts: list[bytes] = []
    for ch in folded:
        if ch.isspace():
            if not parts or parts[-1] != b"WS":
                parts.append(b"WS")
        elif ch in DASHES:
            parts.append(_byte_alternation(DASHES))
        elif ch in APOSTROPHES:
            parts.append(_byte_alternation(APOSTROPHES))
        else:
            parts.append(_escape(byte_fold(ch.encode())))
    space = b"(?: |" + _escape(byte_fold("\u00a0".encode())) + b")"
    return b"".join(space if p == b"WS" else p for p in parts)


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
    # scanning). A pattern of plain literals starts `length` bytes earlier; one with spacing or dash variants finds
    # its start with a small anchored regex over the bytes just before the end.
    length: int | None
    backwards: re.Pattern | None
    # The same for byte-folded text: the folded name with single spaces (tried first), and a regex for the rest.
    folded: bytes | None
    folded_backwards: re.Pattern | None


def _start_finder(text: str) -> tuple[int | None, re.Pattern | None]:
    """(byte length, None) for a plain literal pattern; (None, anchored regex) when its length can vary."""
    regex = pattern_regex(text)
    if b"(?:" not in regex:  # only literal bytes: the matched text is exactly the folded pattern
        return len(regex.decode("ascii").encode("latin-1").decode("unicode_escape").encode("latin-1")), None
    return None, re.compile(b"(?:" + regex + rb")\Z", re.IGNORECASE)


def _byte_fold_start_finder(text: str) -> tuple[bytes | None, re.Pattern | None]:
    regex = byte_fold_regex(text)
    if regex is None:
        return None, None
    plain = byte_fold(" ".join(fold(text.strip()).split()).encode()).lower()
    return plain, re.compile(b"(?:" + regex + rb")\Z", re.IGNORECASE)


_START_WINDOW = 2048  # bytes looked back for the start of a variable-length match


_DATABASES: dict[str, bytes] = {}


def _compiled_database(expressions: list[bytes], flags: list[int]) -> hyperscan.Database:
    """Compile once per set of expressions: kept serialised (hyperscan.dumpb) in the process and on disk."""
    digest = hashlib.sha256(
        b"\0".join(expressions) + hyperscan.__version__.encode() + repr(flags).encode()
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
        expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions), flags=flags
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


def _folded_start_of(entry: _Compiled, folded: bytes, end: int) -> int:
    start = end - len(entry.folded)
    if start >= 0 and folded[start:end].lower() == entry.folded:
        return start
    found = entry.folded_backwards.search(folded, max(0, end - _START_WINDOW), end)
    return found.start() if found else end


class NameMatcher:
    """A compiled set of names and aliases; `find(text)` returns every mention with original offsets."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        entries: list[_Compiled] = []
        exclusions: list[tuple[int, str]] = []
        for pattern in patterns:
            folded = fold(pattern.text.strip())
            if not folded:
                raise ValueError(f"Pattern for {pattern.key!r} is empty after normalisation.")
            exclusions.extend((len(entries), phrase) for phrase in pattern.exclusions)
            entries.append(self._entry(pattern.key, pattern.text, -1))
        self.pattern_count = len(entries)
        entries += [self._entry(entries[owner].key, phrase, owner) for owner, phrase in exclusions]
        self._entries = entries
        self._character_database: hyperscan.Database | None = None
        # The byte fold serves only if every name is Latin-1; one name in another script makes it unsound.
        self.byte_fold_ready = all(entry.folded is not None for entry in entries)
        if self.byte_fold_ready:
            expressions = [
                (_NOT_WORD if entry.bound_left else b"") + b"(?i:" + byte_fold_regex(entry.text) + b")"
                for entry in entries
            ]
            self._byte_database = _compiled_database(expressions, [0] * len(expressions))
            # Per pattern, for the common hit: the folded length of a name of ASCII and Latin-1 letters, digits,
            # spaces, hyphens and apostrophes, with a word character at both ends (0 for any other name and for
            # exclusions) as packed uint32s for `textfold.quick_hits`, and its plain folded form when spacing
            # variants can change its length (else None).
            self._quick_lengths = array(
                "I",
                [
                    len(entry.folded)
                    if entry.owner < 0 and entry.bound_left and entry.bound_right and max(entry.folded) < 0xC0
                    else 0
                    for entry in entries
                ],
            ).tobytes()
            self._variable = [None if b"(?:" not in byte_fold_regex(e.text) else e.folded for e in entries]
        else:
            self._character_database = self._compile_character_database()

    @staticmethod
    def _entry(key: Hashable, text: str, owner: int) -> _Compiled:
        folded = fold(text.strip())
        return _Compiled(
            key,
            text,
            owner,
            _is_word_char(folded[0]),
            _is_word_char(folded[-1]),
            *_start_finder(text),
            *_byte_fold_start_finder(text),
        )

    def _compile_character_database(self) -> hyperscan.Database:
        expressions = [pattern_regex(entry.text) for entry in self._entries]
        return _compiled_database(expressions, [hyperscan.HS_FLAG_CASELESS] * len(expressions))

    def scan_utf8(self, data: bytes) -> list[tuple[int, int, int]]:
        """Return (pattern index, start, end) hits with byte offsets into UTF-8 `data`, boundaries and exclusions
        applied. Byte-folded when the text allows it; otherwise through the character fold."""
        if self.byte_fold_ready:
            hits = self._scan_byte_folded(data)
            if hits is not None:
                return hits
        text = data.decode("utf-8")
        return self._to_byte_offsets(text, self._find_character_folded(text))

    def _scan_byte_folded(self, data: bytes) -> list[tuple[int, int, int]] | None:
        """Hits in byte-folded `data`, or None when the text holds letters the byte fold cannot read."""
        # One C pass: the fold, where it deleted lead bytes, and whether the text needs the character fold.
        folded_text = textfold.fold(data, BYTE_FOLD_TABLE)
        if folded_text is None:
            return None
        folded, deletions = folded_text
        found: list[tuple[int, int]] = []
        append = found.append

        def on_match(ident: int, start: int, end: int, flags: int, context: object) -> None:
            append((end, ident))  # all the callback does: the rest is done once per text below

        self._byte_database.scan(folded, match_event_handler=on_match)
        if not found:
            return []
        # The common hit, settled in C on the folded bytes alone: a name of ASCII and Latin-1 letters in its plain
        # spelling, between plain ASCII boundaries (the engine checked that the byte before is no word byte).
        hits, others = textfold.quick_hits(
            folded, found, self._quick_lengths, self._variable, _FOLDED_BOUNDARY
        )
        entries = self._entries
        size = len(folded)
        excluded: list[tuple[int, int, int]] = []
        for end, ident in others:  # hits and exclusions are in folded offsets until the end
            entry = entries[ident]
            if entry.bound_right and end < size and _FOLDED_WORD[folded[end]]:
                continue  # the next byte is an ASCII letter, digit or underscore: no boundary
            start = _folded_start_of(entry, folded, end)
            if (
                _FOLDED_UNSURE[folded[start]]
                or (entry.bound_left and start and _FOLDED_UNSURE[folded[start - 1]])
                or (entry.bound_right and end < size and _FOLDED_UNSURE[folded[end]])
            ):
                _, original_start, original_end = textfold.unfold(deletions, [(ident, start, end)])[0]
                if not self._settled_on_original(entry, data, original_start, original_end):
                    continue
            if entry.owner < 0:
                hits.append((ident, start, end))
            else:
                excluded.append((entry.owner, start, end))
        if excluded:
            hits = _without_excluded(hits, excluded)
        return textfold.unfold(deletions, hits) if deletions else hits

    @staticmethod
    def _settled_on_original(entry: _Compiled, data: bytes, start: int, end: int) -> bool:
        """Boundaries next to a non-ASCII byte, decided on the original characters."""
        if 0x80 <= data[start] < 0xC0:
            return False  # began on the second byte of « ’ Ω...: not a letter at all
        if entry.bound_left and start and _word_before(data, start):
            return False
        return not (entry.bound_right and end < len(data) and _word_after(data, end))

    def find(self, text: str) -> list[Match]:
        """Return every mention in `text`, sorted by position, with character offsets into `text`."""
        hits = None
        if self.byte_fold_ready:
            data = text.encode("utf-8")
            hits = self._scan_byte_folded(data)
            if hits and len(data) != len(text):
                hits = self._to_character_offsets(data, hits)
        if hits is None:
            hits = self._find_character_folded(text)
        if not hits:
            return []
        hits.sort(key=lambda hit: (hit[1], hit[2], hit[0]))
        entries = self._entries
        return [Match(entries[i].key, entries[i].text, s, e) for i, s, e in hits]

    @staticmethod
    def _to_character_offsets(data: bytes, hits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        return _recounted(data, hits, lambda piece: len(piece.decode("utf-8")))

    @staticmethod
    def _to_byte_offsets(text: str, hits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        return hits if text.isascii() else _recounted(text, hits, lambda piece: len(piece.encode("utf-8")))

    # --- the character fold ----------------------------------------------------------------------------------

    def _find_character_folded(self, text: str) -> list[tuple[int, int, int]]:
        """Hits with character offsets into `text`, folding it character by character."""
        if self._character_database is None:  # compiled on first need: most texts never take this path
            self._character_database = self._compile_character_database()
        if text.isascii():
            return self._scan_character_folded(text.encode("ascii"))
        if MULTI_FOLD.search(text) is None:
            return self._scan_folded(NON_ASCII.sub(_fold_run, text))
        # A character folding to several shifts offsets: map folded positions back to the original.
        pieces = [fold_char(ch) for ch in text]
        origin = [index for index, piece in enumerate(pieces) for _ in piece] + [len(text)]
        return [(i, origin[s], origin[e - 1] + 1) for i, s, e in self._scan_folded("".join(pieces))]

    def _scan_character_folded(self, data: bytes) -> list[tuple[int, int, int]]:
        """(pattern index, start, end) byte-offset hits in character-folded UTF-8 `data`."""
        raw: list[tuple[int, int]] = []
        append = raw.append

        def on_match(ident: int, start: int, end: int, flags: int, context: object) -> None:
            append((ident, end))

        self._character_database.scan(data, match_event_handler=on_match)
        if not raw:
            return []
        entries = self._entries
        size = len(data)
        hits: list[tuple[int, int, int]] = []
        excluded: list[tuple[int, int, int]] = []
        for ident, end in raw:
            entry = entries[ident]
            start = _start_of(entry, data, end)
            if entry.bound_left and start and _word_before(data, start):
                continue
            if entry.bound_right and end < size and _word_after(data, end):
                continue
            (hits if entry.owner < 0 else excluded).append(
                (ident if entry.owner < 0 else entry.owner, start, end)
            )
        return _without_excluded(hits, excluded)

    def _scan_folded(self, folded: str) -> list[tuple[int, int, int]]:
        """Scan character-folded text; return hits with character offsets into it."""
        data = folded.encode("utf-8")
        hits = self._scan_character_folded(data)
        if not hits or len(data) == len(folded):
            return hits
        return self._to_character_offsets(data, hits)


def _recounted(source, hits: list[tuple[int, int, int]], length) -> list[tuple[int, int, int]]:
    """Offsets into `source` as offsets into its other form (bytes and characters): each gap measured once."""
    converted: dict[int, int] = {}
    previous = counted = 0
    for offset in sorted({position for _, start, end in hits for position in (start, end)}):
        counted += length(source[previous:offset])
        converted[offset] = counted
        previous = offset
    return [(i, converted[start], converted[end]) for i, start, end in hits]


def _without_excluded(hits: list[tuple[int, int, int]], excluded: list[tuple[int, int, int]]) -> list:
    """Drop hits inside an exclusion span of the same pattern (e.g. "Abel" inside "Abel Tasman")."""
    if not excluded:
        return hits
    return [
        hit for hit in hits if not any(o == hit[0] and s <= hit[1] and hit[2] <= e for o, s, e in excluded)
    ]


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
