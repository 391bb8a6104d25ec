import io
from datetime import UTC, datetime

import pytest

from monitoring.ingest import (
    Checkpoint,
    RawItem,
    Skipped,
    batches,
    item_from_mapping,
    jsonl_bytes,
    parse_csv,
    parse_feed,
    parse_jsonl,
)

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Nairobi Daily</title><language>en-gb</language>
<item><title>Hotline study</title><link>https://nairobi.example/a</link>
<description>ECPAT presented a study.</description><pubDate>Tue, 04 Oct 2022 09:00:00 GMT</pubDate></item>
<item><title>No date</title><link>https://nairobi.example/b</link><description>x</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>EU Policy</title>
<entry><title>Vote</title><link href="https://eu.example/vote"/><updated>2023-03-01T12:00:00Z</updated>
<content type="text">Members voted.</content></entry></feed>"""


def rows(count: int, start: int = 0) -> list[dict]:
    return [
        {
            "title": f"T{i}",
            "body": f"text {i}",
            "link": f"https://x.example/{i}",
            "publish_date": "2023-01-02",
        }
        for i in range(start, start + count)
    ]


def test_rss_entries_become_items_and_undated_entries_are_skipped():
    records = list(parse_feed(io.BytesIO(RSS)))
    item = records[0][1]
    assert item == RawItem(
        title="Hotline study",
        text="ECPAT presented a study.",
        url="https://nairobi.example/a",
        published=datetime(2022, 10, 4, 9, tzinfo=UTC),
        source="Nairobi Daily",
        language="en",
    )
    assert records[1] == (2, Skipped(2, "no publication date"))


def test_atom_entries_use_content_and_updated_time():
    ((_, item),) = parse_feed(io.BytesIO(ATOM))
    assert (item.text, item.url, item.published.year, item.source) == (
        "Members voted.",
        "https://eu.example/vote",
        2023,
        "EU Policy",
    )


def test_malformed_feed_is_reported_not_raised():
    ((position, skipped),) = parse_feed(io.BytesIO(b"<html><p>this is not a feed</p"))
    assert position == 1 and skipped.reason.startswith("malformed feed")


def test_jsonl_reads_news_api_columns_and_reports_bad_lines_by_number():
    stream = io.BytesIO(
        b'{"title": "A", "content": "c", "url": "https://a.example", "published": "2023-01-01T10:00:00Z",'
        b' "lang": "FR", "source": {"id": "x", "name": "Le Monde"}}\n'
        b"not json\n"
        b'{"title": "B", "url": "https://b.example"}\n'
        b'{"title": "C", "published": "2023-01-01"}\n'
        b'{"title": "\xff\xfe", "url": "https://d.example", "date": "2023-01-01"}\n'
    )
    records = list(parse_jsonl(stream))
    assert records[0][1].source == "Le Monde" and records[0][1].language == "fr"
    assert [(p, r.reason.split(":")[0]) for p, r in records[1:]] == [
        (2, "not valid JSON"),
        (3, "no publication date"),
        (4, "no URL"),
        (5, "invalid UTF-8 at byte 11"),
    ]


def test_oversized_item_is_skipped_without_reading_it_whole():
    big = b'{"title": "' + b"x" * 5000 + b'"}\n'
    stream = jsonl_bytes(rows(1))
    stream = io.BytesIO(big + stream.getvalue())
    records = list(parse_jsonl(stream, max_bytes=1000))
    assert records[0] == (1, Skipped(1, "item larger than the 1,000-byte limit (5,014 bytes)"))
    assert isinstance(records[1][1], RawItem) and records[1][0] == 2


def test_csv_rows_become_items_with_line_numbers():
    data = (
        b"title,text,url,date,language\n"
        b'Story,"Body, with comma",https://c.example/1,2023-02-03,en\n'
        b"No url,body,,2023-02-03,en\n"
    )
    records = list(parse_csv(io.BytesIO(data)))
    assert records[0][1].text == "Body, with comma" and records[0][0] == 2
    assert records[1] == (3, Skipped(3, "no URL (column url is empty)"))


def consume(
    records_factory, *, crash_after: int | None = None, checkpoint: Checkpoint
) -> tuple[list, Checkpoint]:
    """A store that commits each batch together with its checkpoint, optionally crashing mid-run."""
    stored: list = []
    for batch in batches(records_factory(), batch_size=4, checkpoint=checkpoint):
        if crash_after is not None and batch.number > crash_after:
            raise RuntimeError("worker died")
        stored.extend(batch.items)
        checkpoint = batch.checkpoint
    return stored, checkpoint


def test_resuming_after_a_crash_gives_exactly_the_counts_of_an_uninterrupted_run():
    data = jsonl_bytes(rows(10)).getvalue() + b"garbage\n" + jsonl_bytes(rows(7, start=10)).getvalue()

    def records():
        return parse_jsonl(io.BytesIO(data))

    start = Checkpoint(source="dump.jsonl")
    whole, whole_checkpoint = consume(records, checkpoint=start)

    committed: list = []
    checkpoint = start
    with pytest.raises(RuntimeError):
        for batch in batches(records(), batch_size=4, checkpoint=checkpoint):
            if batch.number == 3:
                raise RuntimeError("worker died")
            committed.extend(batch.items)
            checkpoint = batch.checkpoint
    assert checkpoint.batch == 2 and checkpoint.position == 8
    rest, resumed_checkpoint = consume(records, checkpoint=checkpoint)

    assert committed + rest == whole
    assert len(whole) == 17
    assert resumed_checkpoint == whole_checkpoint == Checkpoint("dump.jsonl", 5, 18, 17, 1)


def test_batch_size_must_be_positive():
    with pytest.raises(ValueError, match="batch_size"):
        list(batches([], batch_size=0, checkpoint=Checkpoint("x")))


def test_item_text_has_spacing_collapsed_so_a_name_split_by_spaces_still_matches():
    from monitoring.matcher import NameMatcher, Pattern

    item = item_from_mapping(
        {
            "title": "  ECPAT\u00a0 International  ",
            "text": "Para one.\n\n\n  Para\t\ttwo.",
            "url": "https://news.example/a",
            "published": "2023-03-01",
        }
    )
    assert item.title == "ECPAT International"
    assert item.text == "Para one.\nPara two."
    matcher = NameMatcher([Pattern("ecpat", "ECPAT International")])
    assert [m.key for m in matcher.find(item.title)] == ["ecpat"]


def test_nul_characters_are_dropped_from_texts_and_a_url_holding_one_is_skipped():
    item = item_from_mapping(
        {
            "url": "https://a.example/3",
            "title": "t\x00x",
            "text": "a\x00b",
            "published": "2023-01-01",
            "source": "S\x00",
        }
    )
    assert (item.title, item.text, item.source) == ("tx", "ab", "S")
    assert item_from_mapping({"url": "https://a.example/\x00", "published": "2023-01-01"}).startswith(
        "not a web address"
    )
