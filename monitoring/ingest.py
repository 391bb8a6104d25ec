"""Stream coverage items from platform exports (tables, RSS/Atom feeds, JSON Lines), in resumable batches.

Every record carries a position (row, line or entry number); a bad record becomes a `Skipped` with its reason, and
`batches()` emits a `Checkpoint` after each batch so a re-run after a crash continues without double counting.
The export formats are registered in `monitoring.import_formats`; `media_format()` recognises a file's.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qs, unquote, urlsplit

import feedparser
from django.conf.locale import LANG_INFO

from core.imports.files import Table, UnreadableFile, open_tables
from core.imports.formats import ExportFormat, formats
from core.imports.tables import Located, locate, without_totals
from monitoring.import_formats import KIND

__all__ = [
    "DEFAULT_MAX_ITEM_BYTES",
    "Batch",
    "Checkpoint",
    "RawItem",
    "Skipped",
    "batches",
    "parse_csv",
    "parse_feed",
    "parse_gdelt_events",
    "parse_jsonl",
    "parse_path",
    "parse_table",
]

DEFAULT_MAX_ITEM_BYTES = 100 * 1024 * 1024
_READ_CHUNK = 1024 * 1024

TITLE_FIELDS = ("title", "headline")
TEXT_FIELDS = ("text", "body", "content", "description", "summary", "full_text")
URL_FIELDS = ("url", "link", "permalink")
DATE_FIELDS = ("published", "publish_date", "published_at", "publishedAt", "date", "created_at", "pubDate")
LANGUAGE_FIELDS = ("language", "lang")
SOURCE_FIELDS = ("source", "source_name", "media_name", "domain", "site")


@dataclass(frozen=True, slots=True)
class RawItem:
    """One article or post as collected, before deduplication and matching."""

    title: str
    text: str
    url: str
    published: datetime
    source: str
    language: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that was not ingested: its line (or entry) number and why."""

    position: int
    reason: str


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Resume point for one ingest: records up to `position` are done; counts are cumulative."""

    source: str
    batch: int = 0
    position: int = 0
    items: int = 0
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class Batch:
    """One batch of items and skips; store its results together with `checkpoint`, atomically."""

    number: int
    items: tuple[RawItem, ...]
    skipped: tuple[Skipped, ...]
    checkpoint: Checkpoint


Record = tuple[int, RawItem | Skipped]


def _first(row: Mapping[str, Any], names: Iterable[str]) -> Any:
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            return value
    return None


def parse_datetime(value: Any) -> datetime | None:
    """Parse ISO 8601, RFC 2822 or a Unix timestamp into an aware datetime (naive means UTC)."""
    if value is None:
        return None
    parsed: datetime | None = None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    try:
        parsed.astimezone(
            UTC
        )  # 0001-01-01T00:00+05:00 has no UTC time: storing it would fail the whole chunk
    except (OverflowError, ValueError):
        return None
    return parsed


_SPACES = re.compile(r"[^\S\n]+")  # runs of whitespace other than line breaks, no-break spaces included
_LINE_BREAKS = re.compile(r"\s*\n\s*")


def clean_text(value: Any) -> str:
    """Collapse runs of spaces to one and blank lines to one line break, so names split by spacing still match;
    drop NUL characters, which PostgreSQL cannot store in text (one would fail its whole chunk, every rerun)."""
    text = _SPACES.sub(" ", str(value or "").replace("\x00", ""))
    return _LINE_BREAKS.sub("\n", text).strip()


def _url_problem(url: str) -> str:
    """Why a URL cannot identify an item (deduplication parses it), or "" when it can."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (parsing the port is the check: "http://x:99999/" raises)
    except ValueError as error:
        return f"unreadable URL {url[:80]!r}: {error}"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "\x00" in url:
        return f"not a web address {url[:80]!r}"
    return ""


def language_code(value: Any) -> str:
    """A language as stored: a code as given ("en", "pt-br"), a name in English mapped to its code ("Spanish" →
    "es"); "" for anything else, so the source's language applies (the column holds ten characters)."""
    text = clean_text(value).lower()
    if not text:
        return ""
    if code := LANGUAGE_NAMES.get(text):
        return code
    return text if LANGUAGE_CODE.fullmatch(text) else ""


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{2,4})?")
LANGUAGE_NAMES = {info["name"].lower(): code for code, info in LANG_INFO.items() if "name" in info}


def _item(
    *, url: str, published: datetime, title: Any, text: Any, source: Any, language: Any
) -> RawItem | str:
    """A RawItem once its URL is known good, or the reason it is not."""
    if problem := _url_problem(url):
        return problem
    return RawItem(
        title=clean_text(title),
        text=clean_text(text),
        url=url,
        published=published,
        source=clean_text(source),
        language=language_code(language),
    )


def item_from_mapping(row: Mapping[str, Any], *, source: str = "", language: str = "") -> RawItem | str:
    """Build a `RawItem` from a news-API-shaped mapping, or return the reason it cannot be one."""
    url = _first(row, URL_FIELDS)
    if not url or not str(url).strip():
        return "no URL"
    if problem := _url_problem(str(url).strip()):
        return problem
    raw_date = _first(row, DATE_FIELDS)
    if raw_date is None:
        return "no publication date"
    published = parse_datetime(raw_date)
    if published is None:
        return f"unreadable publication date {str(raw_date)[:40]!r}"
    item_source = _first(row, SOURCE_FIELDS)
    if isinstance(item_source, Mapping):  # NewsAPI: {"id": ..., "name": ...}
        item_source = item_source.get("name") or item_source.get("id")
    return _item(
        url=str(url).strip(),
        published=published,
        title=_first(row, TITLE_FIELDS),
        text=_first(row, TEXT_FIELDS),
        source=item_source or source,
        language=_first(row, LANGUAGE_FIELDS) or language,
    )


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, str | Skipped]]:
    """Yield (line number, decoded line or Skipped); an oversized line is drained in chunks, never held whole."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes:
            size = len(line)
            while not line.endswith(b"\n"):
                line = stream.readline(_READ_CHUNK)
                if not line:
                    break
                size += len(line)
            yield number, Skipped(number, f"item larger than the {max_bytes:,}-byte limit ({size:,} bytes)")
            continue
        try:
            yield number, line.decode("utf-8")
        except UnicodeDecodeError as error:
            yield number, Skipped(number, f"invalid UTF-8 at byte {error.start}: {error.reason}")


def parse_jsonl(
    stream: BinaryIO, *, source: str = "", language: str = "", max_bytes: int = DEFAULT_MAX_ITEM_BYTES
) -> Iterator[Record]:
    """Yield (line number, RawItem or Skipped) for each non-blank line of a JSON Lines dump."""
    for number, line in _lines(stream, max_bytes):
        if isinstance(line, Skipped):
            yield number, line
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, Skipped(number, f"not valid JSON: {error.msg} at column {error.colno}")
            continue
        if not isinstance(row, dict):
            yield number, Skipped(number, "not a JSON object")
            continue
        result = item_from_mapping(row, source=source, language=language)
        yield number, (Skipped(number, result) if isinstance(result, str) else result)


def parse_csv(
    stream: BinaryIO, *, source: str = "", language: str = "", max_bytes: int = DEFAULT_MAX_ITEM_BYTES
) -> Iterator[Record]:
    """Yield (row number, RawItem or Skipped) for each row of a generic CSV dump with a header row."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield 1, Skipped(1, f"file larger than the {max_bytes:,}-byte limit")
        return
    try:
        tables = open_tables("dump.csv", data)
    except UnreadableFile as error:
        yield 1, Skipped(1, str(error))
        return
    yield from parse_table(tables, formats.get("csv", kind=KIND), source=source, language=language)


def parse_feed(
    stream: BinaryIO,
    *,
    source: str = "",
    language: str = "",
    max_bytes: int = DEFAULT_MAX_ITEM_BYTES,
    google_alerts: bool = False,
) -> Iterator[Record]:
    """Yield (entry number, RawItem or Skipped) for each entry of an RSS or Atom feed.

    A Google Alerts feed has its markup stripped from titles and snippets and its redirect links resolved."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield 1, Skipped(1, f"feed larger than the {max_bytes:,}-byte limit")
        return
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        yield 1, Skipped(1, f"malformed feed: {feed.get('bozo_exception', 'unreadable')}")
        return
    feed_source = source or feed.feed.get("title", "")
    feed_language = (language or feed.feed.get("language", "") or "").split("-")[0]
    for number, entry in enumerate(feed.entries, start=1):
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        content = entry.get("content") or []
        title = entry.get("title", "")
        text = (content[0].get("value") if content else None) or entry.get("summary", "")
        url = entry.get("link", "")
        if google_alerts:
            title, text, url = strip_markup(title), strip_markup(text), redirect_target(url)
        row = {
            "title": title,
            "text": text,
            "url": url,
            "published": datetime(*parsed[:6], tzinfo=UTC).isoformat() if parsed else None,
            "language": entry.get("language") or feed_language,
        }
        result = item_from_mapping(row, source=feed_source, language=feed_language)
        yield number, (Skipped(number, result) if isinstance(result, str) else result)


_TAG = re.compile(r"<[^>]*>")


def strip_markup(value: str) -> str:
    """Text without HTML tags and entities: Google Alerts writes "<b>ECPAT</b> International &amp; partners",
    and a name split by tags never matches."""
    return html.unescape(_TAG.sub("", value or ""))


def redirect_target(url: str) -> str:
    """The article behind a Google redirect (``https://www.google.com/url?...&url=<article>&...``), read from its
    query (no request is made); any other URL as it is."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    if (host == "google.com" or host.endswith(".google.com")) and parts.path == "/url":
        query = parse_qs(parts.query)
        for key in ("url", "q"):
            if query.get(key):
                return query[key][0]
    return url


# Reading tables ------------------------------------------------------------------------------------------------


def _describe_formats(date_formats: Iterable[str]) -> str:
    examples = []
    for pattern in date_formats:
        if pattern == "iso":
            examples.append("2023-08-15T10:00:00Z")
        elif pattern == "epoch-ms":
            examples.append("1692093600000 (milliseconds since 1970)")
        else:
            examples.append(EXAMPLE_TIME.strftime(pattern))
    return " or ".join(examples)


# How each date format writes a time, in the message for a cell it cannot read (not a reporting date).
EXAMPLE_TIME = datetime(2023, 8, 15, 10, 0, tzinfo=UTC)


def parse_when(text: str, date_formats: Iterable[str]) -> datetime | None:
    """A cell's time read with the first of the format's date formats that fits; naive times are UTC."""
    text = text.strip()
    for pattern in date_formats:
        found: datetime | None = None
        if pattern == "iso":
            found = parse_datetime(text)
        elif pattern == "epoch-ms":
            if text.isdigit() and len(text) >= 11:  # shorter numbers are seconds or years, not milliseconds
                try:
                    found = datetime.fromtimestamp(int(text) / 1000, tz=UTC)
                except (OverflowError, OSError, ValueError):
                    found = None
        else:
            try:
                found = datetime.strptime(text, pattern)
            except ValueError:
                found = None
        if found is not None:
            return found if found.tzinfo else found.replace(tzinfo=UTC)
    return None


TIME_FORMATS = ("%I:%M %p", "%I:%M%p", "%H:%M", "%H:%M:%S")


def _with_time(day: datetime, text: str) -> datetime:
    """A date-only cell completed with a separate time column (Meltwater's "Time": "10:00 AM")."""
    for pattern in TIME_FORMATS:
        try:
            clock = datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
        return day.replace(hour=clock.hour, minute=clock.minute, second=clock.second)
    return day


def _cells_item(
    cells: list[str], located: Located, export_format: ExportFormat, *, source: str, language: str
) -> RawItem | str:
    """The RawItem of one data row of a table format, or the reason (naming the column) it is not one."""
    positions = located.positions
    values = {key: cells[index].strip() for key, index in positions.items() if index < len(cells)}
    names = {key: located.header[index] for key, index in positions.items()}
    options = export_format.options
    for key, fallback in options.get("fallbacks", {}).items():
        if not values.get(key) and values.get(fallback):
            values[key] = values[fallback]
    url = values.get("url", "")
    if not url:
        return f"no URL (column {names['url']} is empty)"
    if "published" not in positions:
        return "no publication date (the file has no date column)"
    raw_date = values.get("published", "")
    if not raw_date:
        return f"no publication date (column {names['published']} is empty)"
    published = parse_when(raw_date, export_format.date_formats)
    if published is None:
        return (
            f"unreadable publication date {raw_date[:40]!r} in column {names['published']}: expected "
            f"{_describe_formats(export_format.date_formats)}"
        )
    time_key = options.get("time_column")
    if time_key and values.get(time_key) and ":" not in raw_date:
        published = _with_time(published, values[time_key])
    try:
        published.astimezone(UTC)
    except (OverflowError, ValueError):
        return f"unreadable publication date {raw_date[:40]!r} in column {names['published']}: out of range"
    text = values.get("text", "")
    for key in options.get("append_text", ()):
        extra = values.get(key, "")
        if extra and extra not in text:
            text = f"{text}\n{extra}" if text else extra
    return _item(
        url=url,
        published=published,
        title=values.get("title", ""),
        text=text,
        source=values.get("source") or source,
        language=values.get("language") or language,
    )


def parse_table(
    tables: list[Table], export_format: ExportFormat, *, source: str = "", language: str = ""
) -> Iterator[Record]:
    """Yield (position, RawItem or Skipped) for the data rows of every table of the file that has the format's
    columns. The position is the row number; rows of a second table of a zip continue after the first's."""
    offset = 0
    found = False
    problem: UnreadableFile | None = None
    for table in tables:
        try:
            located = locate(table, export_format.columns)
        except UnreadableFile as error:
            problem = problem or error
            continue
        found = True
        width = len(located.header)
        last = located.row
        try:
            for number, cells in without_totals(located):
                last = number
                position = offset + number
                if len(cells) > width and any(c.strip() for c in cells[width:]):
                    result: RawItem | str = f"{len(cells)} cells but {width} header columns"
                else:
                    result = _cells_item(cells, located, export_format, source=source, language=language)
                if isinstance(result, str):
                    # Positions of a second table continue after the first's: name the table and its row.
                    where = f" ({table.name} row {number})" if len(tables) > 1 else ""
                    yield position, Skipped(position, result + where)
                else:
                    yield position, result
        except UnreadableFile as error:
            yield offset + last + 1, Skipped(offset + last + 1, str(error))
        offset += last
    if not found and problem is not None:
        yield 1, Skipped(1, f"This is not a {export_format.label} file: {problem}")


def url_words(url: str) -> str:
    """The words of an article's address, for formats without titles (GDELT events): the longest path segment's
    words (the headline slug: "ecpat-international-warns-4321" → "ecpat international warns"), or, when it has
    fewer than three, every word of the host and path, numbers included, so that items without a slug differ."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    segments = [_EXTENSION.sub("", unquote(s)) for s in parts.path.split("/") if s]
    slugs = [[w for w in _NON_WORD.split(s) if w and not w.isdigit()] for s in segments]
    best = max(slugs, key=len, default=[])
    if len(best) >= 3:
        return " ".join(best)
    host = (parts.hostname or "").removeprefix("www.")
    return " ".join(w for w in _NON_WORD.split(" ".join([host, *segments])) if w)


_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|cms|jsp|cfm)$", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+")


def parse_gdelt_events(
    tables: list[Table], export_format: ExportFormat, *, source: str = "", language: str = ""
) -> Iterator[Record]:
    """Yield (row number, RawItem or Skipped) for each row of a GDELT 2.0 events export (no header).

    An event row has no title or text: the item's title is the words of its SOURCEURL (``url_words``), which is
    what the names are matched on. Its time is DATEADDED (when GDELT saw the article, UTC), or SQLDATE (the day
    of the event) when DATEADDED is unreadable. An article with several events gives several rows with one URL:
    the first is stored and the others count as duplicates merged."""
    options = export_format.options
    width = options["width"]
    offset = 0
    for table in tables:
        last = 0
        try:
            for number, cells in table.rows:
                last = number
                position = offset + number
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != width:
                    reason = f"{len(cells)} columns; a GDELT 2.0 event row has {width} (tab-separated)"
                    yield position, Skipped(position, reason)
                    continue
                url = cells[options["sourceurl"]].strip()
                if not url:
                    yield position, Skipped(position, f"no URL (column {width}, SOURCEURL, is empty)")
                    continue
                added, day = cells[options["dateadded"]].strip(), cells[options["sqldate"]].strip()
                published = parse_when(added, ("%Y%m%d%H%M%S",)) or parse_when(day, ("%Y%m%d",))
                if published is None:
                    reason = (
                        f"unreadable date: DATEADDED (column {options['dateadded'] + 1}) {added[:20]!r} and "
                        f"SQLDATE (column {options['sqldate'] + 1}) {day[:20]!r}; expected 20230815120000 "
                        "and 20230815"
                    )
                    yield position, Skipped(position, reason)
                    continue
                result = _item(
                    url=url,
                    published=published,
                    title=url_words(url),
                    text="",
                    source=source,
                    language=language,
                )
                yield position, (Skipped(position, result) if isinstance(result, str) else result)
        except UnreadableFile as error:
            yield offset + last + 1, Skipped(offset + last + 1, str(error))
        offset += last


# Choosing the format -------------------------------------------------------------------------------------------

FEED_SUFFIXES = (".xml", ".rss", ".atom")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".zip", ".xls", ".xlsx")


def _head(path: Path, size: int = 4096) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def _feed_format(head: bytes) -> ExportFormat:
    google = b"google.com" in head and (b"/alerts" in head or b"Google Alert" in head)
    return formats.get("google-alerts" if google else "feed", kind=KIND)


def _is_gdelt_events(tables: list[Table], export_format: ExportFormat) -> bool:
    """Whether the first row of the file reads as a GDELT event: 61 cells, SQLDATE a day, SOURCEURL a link."""
    options = export_format.options
    for _number, cells in tables[0].rows:
        if not any(c.strip() for c in cells):
            continue
        return (
            len(cells) == options["width"]
            and re.fullmatch(r"\d{8}", cells[options["sqldate"]].strip()) is not None
            and cells[options["sourceurl"]].strip().lower().startswith(("http://", "https://"))
        )
    return False


def media_format(path: Path, name: str = "") -> ExportFormat:
    """The export format of a file: the one named, or the one recognised from its first bytes and its columns.

    Raises UnknownFormat (no format reads it, or the name is not one) or UnreadableFile (not a file we read)."""
    if name:
        return formats.get(name, kind=KIND)
    suffix = path.suffix.lower()
    head = _head(path)
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if suffix in JSONL_SUFFIXES:
        return formats.get("jsonl", kind=KIND)
    if suffix in FEED_SUFFIXES or (suffix not in TABLE_SUFFIXES and start.startswith(b"<")):
        return _feed_format(head)
    if suffix not in TABLE_SUFFIXES and start.startswith(b"{"):
        return formats.get("jsonl", kind=KIND)
    if not head:
        raise UnreadableFile(f"{path.name} is empty.")
    events = formats.get("gdelt-events", kind=KIND)
    if _is_gdelt_events(open_tables(path.name, path), events):
        return events
    among = [f for f in formats.of_kind(KIND) if f.columns]
    export_format, _located = formats.recognise(open_tables(path.name, path), kind=KIND, among=among)
    return export_format


def media_file_notes(path: Path, export_format: ExportFormat) -> list[str]:
    """How the file was read (encoding, where the header is), for the person importing; raises UnreadableFile
    when the file does not have the format's columns."""
    reader = export_format.options.get("reader", "table")
    if reader in ("jsonl", "feed"):
        return []
    tables = open_tables(path.name, path)
    if reader == "gdelt-events":
        return [f"{t.name} read as {t.encoding}, without a header row" for t in tables]
    return export_format.locate(tables).notes()


def parse_path(path: Path, *, export_format: ExportFormat | None = None, **options: Any) -> Iterator[Record]:
    """Parse a file in its export format (recognised when not given)."""
    export_format = export_format or media_format(path)
    reader = export_format.options.get("reader", "table")
    if reader in ("jsonl", "feed"):
        parser = parse_jsonl if reader == "jsonl" else parse_feed
        if export_format.options.get("google_alerts"):
            options = {**options, "google_alerts": True}
        with path.open("rb") as stream:
            yield from parser(stream, **options)
        return
    options.pop("max_bytes", None)  # tables limit their cells themselves (core.imports.files)
    tables = open_tables(path.name, path)
    parser = parse_gdelt_events if reader == "gdelt-events" else parse_table
    yield from parser(tables, export_format, **options)


def batches(records: Iterable[Record], *, batch_size: int, checkpoint: Checkpoint) -> Iterator[Batch]:
    """Group records into batches after `checkpoint.position`; each batch carries the checkpoint after it."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    items: list[RawItem] = []
    skipped: list[Skipped] = []
    position = checkpoint.position
    for record_position, record in records:
        if record_position <= checkpoint.position:
            continue
        position = record_position
        (skipped if isinstance(record, Skipped) else items).append(record)  # type: ignore[arg-type]
        if len(items) + len(skipped) >= batch_size:
            checkpoint = replace(
                checkpoint,
                batch=checkpoint.batch + 1,
                position=position,
                items=checkpoint.items + len(items),
                skipped=checkpoint.skipped + len(skipped),
            )
            yield Batch(checkpoint.batch, tuple(items), tuple(skipped), checkpoint)
            items, skipped = [], []
    if items or skipped:
        checkpoint = replace(
            checkpoint,
            batch=checkpoint.batch + 1,
            position=position,
            items=checkpoint.items + len(items),
            skipped=checkpoint.skipped + len(skipped),
        )
        yield Batch(checkpoint.batch, tuple(items), tuple(skipped), checkpoint)


def jsonl_bytes(rows: Iterable[Mapping[str, Any]]) -> io.BytesIO:
    """Encode mappings as a JSON Lines stream (for tests, demos and benchmarks)."""
    return io.BytesIO(b"".join(json.dumps(row).encode() + b"\n" for row in rows))
