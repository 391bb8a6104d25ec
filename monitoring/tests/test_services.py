import json

import pytest

from monitoring import services
from monitoring.factories import SourceFactory
from monitoring.models import BatchStatus, IngestBatch, Item, Match
from monitoring.services import ingest_batch_create, ingest_batch_run
from network.factories import OrganisationFactory
from network.models import OrganisationAlias

pytestmark = pytest.mark.django_db

TEXTS = [
    "ECPAT International published a report on online safety today, with partners in {place}.",
    "Weather and markets in {place}: nothing about child protection at all, just prices and rain {n}.",
    "The ecpatstyle spelling ECPATS must not count, but Défense des Enfants {place} was quoted {n}.",
]


def corpus_lines(count: int) -> list[str]:
    """Items with mentions, plain items, syndicated copies, URL duplicates and bad records, in one file."""
    lines = []
    for n in range(count):
        place = f"city{n}"
        text = TEXTS[n % 3].format(place=place, n=n) + f" Story number {n} with its own words {n * 7}."
        row = {
            "title": f"Story {n}",
            "text": text,
            "url": f"https://news.example/{n}?utm_source=x",
            "published": f"2023-0{1 + n % 9}-1{n % 10}T10:00:00Z",
        }
        lines.append(json.dumps(row))
        if n % 10 == 0:  # the same story again under a tracking parameter
            lines.append(json.dumps({**row, "url": f"https://www.news.example/{n}?fbclid=1"}))
        if n % 10 == 5:  # a syndicated copy: same text, another URL
            lines.append(json.dumps({**row, "url": f"https://copy.example/{n}"}))
        if n % 17 == 0:
            lines.append(json.dumps({"title": "undated", "url": f"https://news.example/u{n}"}))
        if n % 23 == 0:
            lines.append("{not json")
    return lines


@pytest.fixture
def network():
    ecpat = OrganisationFactory(name="ECPAT International", short_name="ECPAT")
    dci = OrganisationFactory(name="Défense des Enfants International", short_name="DEI")
    OrganisationAlias.objects.create(organisation=dci, name="Défense des Enfants")
    return ecpat, dci


@pytest.fixture
def feed_file(tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(corpus_lines(60)) + "\n", encoding="utf-8")
    return path


def counts(batch: IngestBatch) -> tuple:
    batch.refresh_from_db()
    return (
        batch.read_count,
        batch.stored_count,
        batch.duplicate_count,
        batch.skipped_count,
        batch.match_count,
        Item.objects.count(),
        Item.objects.originals().count(),
        Match.objects.count(),
        sorted(Match.objects.values_list("item__canonical_url", "organisation__name", "start")),
    )


def test_ingest_stores_items_merges_duplicates_skips_bad_records_and_matches(network, feed_file):
    batch = ingest_batch_run(
        batch=ingest_batch_create(source=SourceFactory(), origin=feed_file), chunk_size=7
    )
    assert batch.status == BatchStatus.DONE
    assert batch.stored_count == 60
    assert batch.duplicate_count == 6 + 6  # six URL duplicates dropped, six syndicated copies kept as copies
    assert batch.skipped_count == 4 + 3
    assert {r["reason"] for r in batch.skipped_reasons} >= {"no publication date"}
    assert Item.objects.exclude(duplicate_of=None).count() == 6
    # "ECPATS" is another word: only the 20 "ECPAT International" stories and 20 DEI stories match
    assert Match.objects.filter(organisation=network[0]).count() == 20
    assert Match.objects.filter(organisation=network[1]).count() == 20


def test_crash_mid_batch_then_rerun_gives_exactly_the_counts_of_an_uninterrupted_run(
    network, feed_file, monkeypatch, django_db_blocker
):
    uninterrupted = ingest_batch_run(
        batch=ingest_batch_create(source=SourceFactory(), origin=feed_file), chunk_size=7
    )
    expected = counts(uninterrupted)
    Item.objects.all().delete()

    calls = {"n": 0}
    real_simhash = services.simhash

    def crashing_simhash(text):
        calls["n"] += 1
        if calls["n"] == 30:  # inside the fifth chunk, after some of its items were built
            raise RuntimeError("worker killed")
        return real_simhash(text)

    monkeypatch.setattr(services, "simhash", crashing_simhash)
    batch = ingest_batch_create(source=uninterrupted.source, origin=feed_file)
    with pytest.raises(RuntimeError, match="worker killed"):
        ingest_batch_run(batch=batch, chunk_size=7)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert 0 < batch.position < 80 and "worker killed" in batch.error
    stored_before_rerun = Item.objects.count()
    assert 0 < stored_before_rerun < expected[5]

    monkeypatch.setattr(services, "simhash", real_simhash)
    ingest_batch_run(batch=batch, chunk_size=7)
    assert counts(batch) == expected


def test_rerun_of_a_finished_batch_changes_nothing(network, feed_file):
    batch = ingest_batch_run(
        batch=ingest_batch_create(source=SourceFactory(), origin=feed_file), chunk_size=9
    )
    before = counts(batch)
    ingest_batch_run(batch=batch, chunk_size=9)
    assert counts(batch) == before


def test_a_second_file_with_the_same_stories_stores_nothing_new(network, feed_file):
    source = SourceFactory()
    ingest_batch_run(batch=ingest_batch_create(source=source, origin=feed_file))
    again = ingest_batch_run(batch=ingest_batch_create(source=source, origin=feed_file))
    assert again.stored_count == 0 and again.duplicate_count == 72
    assert Item.objects.originals().count() == 60


def test_bad_input_is_skipped_with_reasons_and_counted(network, tmp_path):
    path = tmp_path / "bad.jsonl"
    huge = (
        b'{"title": "big", "url": "https://x.example/big", "published": "2023-01-01", "text": "'
        + b"a" * 2_000
    )
    path.write_bytes(
        b'{"title": "ok", "url": "https://x.example/1", "published": "2023-01-01", "text": "ECPAT"}\n'
        + b'{"title": "\xff\xfe broken", "url": "https://x.example/2", "published": "2023-01-01"}\n'
        + b'{"title": "no url", "published": "2023-01-01"}\n'
        + huge
        + b'"}\n'
        + b"[1, 2]\n"
    )
    batch = ingest_batch_run(
        batch=ingest_batch_create(source=SourceFactory(), origin=path), max_item_bytes=1_000
    )
    assert (batch.read_count, batch.stored_count, batch.skipped_count) == (5, 1, 4)
    reasons = " | ".join(r["reason"] for r in batch.skipped_reasons)
    assert "invalid UTF-8" in reasons and "no URL" in reasons
    assert "larger than the 1,000-byte limit" in reasons and "not a JSON object" in reasons
    assert batch.status == BatchStatus.DONE


def test_malformed_feed_is_one_skip_not_a_crash(network, tmp_path):
    path = tmp_path / "feed.xml"
    path.write_bytes(b"this is not a feed \x00")
    batch = ingest_batch_run(batch=ingest_batch_create(source=SourceFactory(), origin=path))
    assert batch.status == BatchStatus.DONE
    assert batch.skipped_count == 1 and "malformed feed" in batch.skipped_reasons[0]["reason"]


def test_records_with_a_broken_url_or_an_unrepresentable_time_are_skipped_and_the_rest_stored(
    network, tmp_path
):
    good = [{"url": f"https://ok.example/{n}", "date": "2023-01-02", "title": f"Story {n}"} for n in range(5)]
    bad = [
        {"url": "http://[bad/x", "date": "2023-01-02", "title": "Broken URL"},
        {"url": "mailto:desk@example.org", "date": "2023-01-02", "title": "Not a web page"},
        {
            "url": "https://ok.example/early",
            "date": "0001-01-01T00:00+05:00",
            "title": "Before year 1 in UTC",
        },
        {"url": "https://ok.example/late", "date": "9999-12-31T23:00-05:00", "title": "After 9999 in UTC"},
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [*good[:3], *bad, *good[3:]]))
    batch = ingest_batch_run(batch=ingest_batch_create(source=SourceFactory(), origin=path), chunk_size=100)
    assert batch.status == BatchStatus.DONE
    assert (batch.stored_count, batch.skipped_count) == (5, 4)
    reasons = [s["reason"] for s in batch.skipped_reasons]
    assert reasons[0].startswith("unreadable URL") and reasons[1].startswith("not a web address")
    assert all(r.startswith("unreadable publication date") for r in reasons[2:])


def test_ingest_command_refuses_a_chunk_size_below_one(network, feed_file):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--chunk-size must be at least 1, not 0"):
        call_command("ingest_items", str(feed_file), source=SourceFactory().name, chunk_size=0)
    assert not IngestBatch.objects.exists()


def test_ingest_command_reports_counts_and_resumes_the_unfinished_batch(network, feed_file):
    from io import StringIO

    from django.core.management import call_command

    source = SourceFactory()
    out = StringIO()
    call_command("ingest_items", str(feed_file), source=source.name, chunk_size=10, stdout=out, verbosity=0)
    assert "stored 60, duplicates merged 12, skipped 7" in out.getvalue()
    out = StringIO()
    call_command("match_items", stdout=out, verbosity=0)
    assert "40 matches in 60 items" in out.getvalue()


def test_ingest_command_progress_counts_records_up_to_the_batchs_position(network, feed_file, capsys):
    from io import StringIO

    from django.core.management import call_command

    call_command(
        "ingest_items", str(feed_file), source=SourceFactory().name, chunk_size=10, stdout=StringIO()
    )
    batch = IngestBatch.objects.get()
    assert batch.position > 10  # several chunks, so the bar moved more than once
    assert f"{batch.position} records" in capsys.readouterr().err
