"""Each platform's export, as downloaded (samples in tests/data, built from the platforms' documentation), is
recognised, ingested with the right URL, title, time and language, and matched on the network's names."""

import codecs
import shutil
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.imports.formats import UnknownFormat
from monitoring.factories import SourceFactory
from monitoring.ingest import media_format, parse_path, redirect_target, strip_markup, url_words
from monitoring.models import IngestBatch, Item, Match
from monitoring.services import ingest_batch_create, ingest_batch_run
from network.factories import OrganisationFactory
from network.models import OrganisationAlias

DATA = Path(__file__).parent / "data"
AUG_15 = datetime(2023, 8, 15, tzinfo=UTC)


@pytest.fixture
def network(db):
    ecpat = OrganisationFactory(name="ECPAT International", short_name="")
    dei = OrganisationFactory(name="Défense des Enfants International", short_name="")
    OrganisationAlias.objects.create(organisation=dei, name="Defence for Children")
    return ecpat, dei


def ingest(name: str, export_format: str = ""):
    batch = ingest_batch_create(source=SourceFactory(language="en"), origin=DATA / name)
    return ingest_batch_run(batch=batch, export_format=export_format, chunk_size=2)


def items() -> dict[str, Item]:
    return {item.url: item for item in Item.objects.all()}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("media_cloud_stories.csv", "media-cloud"),
        ("gdelt_doc_artlist.csv", "gdelt-doc"),
        ("20230815120000.export.CSV", "gdelt-events"),
        ("google_alerts.xml", "google-alerts"),
        ("talkwalker_export.csv", "talkwalker"),
        ("meltwater_export.csv", "meltwater"),
    ],
)
def test_each_sample_is_recognised_as_its_platforms_export(name, expected):
    assert media_format(DATA / name).name == expected


def test_media_cloud_stories_keep_url_title_day_language_and_skip_the_undated(network):
    batch = ingest("media_cloud_stories.csv")
    assert (batch.stored_count, batch.skipped_count) == (2, 1)
    assert batch.skipped_reasons == [
        {"position": 4, "reason": "no publication date (column publish_date is empty)"}
    ]
    kenya = items()[
        "https://nation.africa/kenya/news/ecpat-international-warns-of-rising-online-exploitation-4321234"
    ]
    assert kenya.title == "ECPAT International warns of rising online exploitation in Kenya"
    assert kenya.published_at == AUG_15.replace(hour=10) and kenya.language == "en"
    france = Item.objects.get(language="fr")
    assert france.published_at == AUG_15  # Media Cloud gave the day only
    assert "Défense des Enfants International" in france.title
    assert set(Match.objects.values_list("organisation", flat=True)) == {n.pk for n in network}


def test_gdelt_doc_article_list_reads_capitalised_headers_and_matches_a_multiword_name(network):
    batch = ingest("gdelt_doc_artlist.csv")
    assert (batch.stored_count, batch.skipped_count) == (3, 0)
    hotline = items()["https://www.bangkokpost.com/thailand/general/2630000/hotline-reports-double"]
    assert hotline.title == "Hotline reports double, says ECPAT International"
    assert hotline.published_at == AUG_15.replace(hour=12, minute=15)
    assert Match.objects.filter(organisation=network[0], matched_name="ECPAT International").count() == 2
    assert batch.match_count == 2


def test_gdelt_doc_with_the_json_shaped_dates_and_its_domain_and_language_columns(network, tmp_path):
    path = tmp_path / "artlist.csv"
    path.write_text(
        "URL,MobileURL,Date,Title,Domain,Language,SourceCountry\n"
        "https://elpais.com/a/ecpat,,20230815T120000Z,ECPAT International en Madrid,elpais.com,Spanish,Spain\n",
        encoding="utf-8",
    )
    batch = ingest_batch_run(batch=ingest_batch_create(source=SourceFactory(), origin=path))
    item = Item.objects.get()
    assert (batch.stored_count, item.published_at, item.language) == (1, AUG_15.replace(hour=12), "es")
    assert Match.objects.get().organisation == network[0]


def test_gdelt_events_give_one_item_per_source_url_matched_on_its_slug_words(network):
    batch = ingest("20230815120000.export.CSV")
    # six event rows about three articles: the repeated URLs are merged, not stored again
    assert (batch.read_count, batch.stored_count, batch.duplicate_count, batch.skipped_count) == (6, 3, 3, 0)
    star = items()[
        "https://www.the-star.co.ke/news/2023-08-15-ecpat-international-calls-for-stronger-online-safeguards/"
    ]
    assert star.title == "ecpat international calls for stronger online safeguards" and star.text == ""
    assert star.published_at == AUG_15.replace(hour=12)  # DATEADDED, when GDELT saw the article
    assert star.language == "en"  # the source's: the export has no language
    matched = dict(Match.objects.values_list("item__url", "organisation"))
    assert matched[star.url] == network[0].pk
    assert matched[
        "https://www.capitalfm.co.ke/news/2023/08/defense-des-enfants-international-opens-nairobi-office/"
    ] == (network[1].pk)


def test_gdelt_event_rows_of_the_wrong_width_are_skipped_saying_so(network, tmp_path):
    path = tmp_path / "20230815121500.export.CSV"
    lines = (DATA / "20230815120000.export.CSV").read_text().splitlines()
    path.write_text("\n".join([lines[0], "1\t20230815\thttps://x.example/a"]) + "\n")
    batch = ingest_batch_run(
        batch=ingest_batch_create(source=SourceFactory(), origin=path), export_format="gdelt-events"
    )
    assert batch.stored_count == 1
    assert batch.skipped_reasons == [
        {"position": 2, "reason": "3 columns; a GDELT 2.0 event row has 61 (tab-separated)"}
    ]


def test_google_alerts_titles_lose_their_markup_links_lead_to_the_article_and_names_match(network):
    batch = ingest("google_alerts.xml")
    assert batch.stored_count == 2
    first = items()[
        "https://nation.africa/kenya/news/ecpat-international-warns-of-rising-online-exploitation-4321234"
    ]
    assert first.title == "ECPAT International warns of rising online exploitation"
    assert "doubled & called for safeguards 'without delay'" in first.text
    # the second link carries an encoded query; a no-break space joins the name's words
    second = Item.objects.get(canonical_url="https://bangkokpost.com/thailand/general/2630000/hotline-study")
    assert second.title == "Hotline study: partners and ECPAT International respond"
    assert Match.objects.filter(organisation=network[0]).count() == 3  # two in the first item, one here


def test_google_redirects_and_markup_are_undone_without_a_request():
    assert redirect_target("https://www.google.com/url?rct=j&sa=t&url=https://a.example/x%3Fp%3D1&ct=ga") == (
        "https://a.example/x?p=1"
    )
    assert (
        redirect_target("https://news.example/url?url=https://a.example/")
        == "https://news.example/url?url=https://a.example/"
    )
    assert strip_markup("<b>ECPAT</b> &amp; <b>partners</b>") == "ECPAT & partners"


def test_talkwalker_reads_epoch_milliseconds_snippets_and_source_names(network):
    batch = ingest("talkwalker_export.csv")
    assert (batch.stored_count, batch.skipped_count) == (2, 1)
    forum = Item.objects.get(title="Child protection forum opens in Dar es Salaam")
    assert forum.published_at == AUG_15.replace(hour=10) and forum.language == "en"
    tweet = items()["https://twitter.com/childsafe_ke/status/1691450000000000000"]
    assert tweet.text.startswith("Great to see ECPAT International")  # content empty: the snippet is used
    reason = batch.skipped_reasons[0]["reason"]
    assert reason.startswith("unreadable publication date 'not a date' in column published")
    assert "milliseconds" in reason
    assert Match.objects.filter(organisation=network[0]).count() == 2


def test_meltwater_utf16_tab_separated_export_with_its_dates_and_hit_sentences(network):
    assert (DATA / "meltwater_export.csv").read_bytes().startswith(codecs.BOM_UTF16_LE)
    batch = ingest("meltwater_export.csv")
    assert (batch.stored_count, batch.skipped_count) == (2, 1)
    uganda = Item.objects.get(title="Online abuse reports rise, charity says")
    assert uganda.published_at == AUG_15.replace(hour=10) and uganda.language == "en"
    # the name is only in the hit sentence, not in the opening text
    assert Match.objects.get(item=uganda).organisation == network[0]
    senegal = Item.objects.get(language="fr")
    assert senegal.published_at == AUG_15.replace(hour=14, minute=30)
    assert batch.skipped_reasons[0]["reason"] == "no publication date (column Date is empty)"


def test_a_zip_of_a_platform_csv_is_read_like_the_csv(network, tmp_path):
    import zipfile

    path = tmp_path / "stories.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(DATA / "media_cloud_stories.csv", "stories.csv")
    assert media_format(path).name == "media-cloud"
    assert ingest_batch_run(batch=ingest_batch_create(source=SourceFactory(), origin=path)).stored_count == 2


def test_url_words_take_the_headline_slug_or_every_word_when_there_is_none():
    assert (
        url_words("https://a.example/news/ecpat-international-warns-4321.html") == "ecpat international warns"
    )
    assert (
        url_words("https://www.b.example/thailand/general/40030000") == "b example thailand general 40030000"
    )


def test_a_file_no_format_reads_is_refused_naming_the_formats(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,amount\nx,1\n")
    with pytest.raises(UnknownFormat, match="Media Cloud"):
        media_format(path)


def test_matches_are_stored_with_their_items_in_each_chunk(network):
    batch = ingest_batch_create(source=SourceFactory(), origin=DATA / "gdelt_doc_artlist.csv")
    seen = []
    ingest_batch_run(
        batch=batch,
        chunk_size=1,
        progress=lambda b: seen.append((b.stored_count, Match.objects.count(), b.match_count)),
    )
    # after each committed chunk the matches of its items are there already
    assert seen == [(1, 1, 1), (2, 2, 2), (3, 2, 2)]


# The command ---------------------------------------------------------------------------------------------------


def test_command_names_the_format_it_recognised_and_prints_skips_grouped(network):
    source = SourceFactory()
    out = StringIO()
    call_command(
        "ingest_items", str(DATA / "talkwalker_export.csv"), source=source.name, stdout=out, verbosity=0
    )
    text = out.getvalue()
    assert "Format: Talkwalker results export (CSV) (talkwalker, recognised from the file)." in text
    assert "Skipped 1 record(s):" in text
    assert "1 × unreadable publication date 'not a date' in column published" in text
    assert "(record 4)" in text


def test_command_with_a_format_reads_the_file_in_it(network):
    out = StringIO()
    call_command(
        "ingest_items",
        str(DATA / "gdelt_doc_artlist.csv"),
        source=SourceFactory().name,
        format="gdelt-doc",
        stdout=out,
        verbosity=0,
    )
    assert "(gdelt-doc)." in out.getvalue() and "stored 3" in out.getvalue()
    assert "Skipped 0 records." in out.getvalue()


def test_command_fails_when_every_record_is_skipped(network, tmp_path):
    path = tmp_path / "artlist.csv"
    path.write_text(
        "URL,MobileURL,Date,Title\n,,2023-08-15 12:00:00,No link\nhttps://a.example/x,,soon,Bad date\n"
    )
    out = StringIO()
    with pytest.raises(CommandError, match="Nothing was stored or merged .*: all 2 record"):
        call_command("ingest_items", str(path), source=SourceFactory().name, stdout=out, verbosity=0)
    assert "Skipped 2 record(s):" in out.getvalue()
    assert "no URL (column URL is empty)" in out.getvalue()
    assert Item.objects.count() == 0


def test_command_fails_on_an_empty_file_and_on_an_unknown_format(network, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("ingest_items", str(empty), source=SourceFactory().name, stdout=StringIO(), verbosity=0)
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    with pytest.raises(CommandError, match="the file holds no records"):
        call_command("ingest_items", str(feed), source=SourceFactory().name, stdout=StringIO(), verbosity=0)
    with pytest.raises(CommandError, match="There is no media format 'nope'"):
        call_command(
            "ingest_items",
            str(feed),
            source=SourceFactory().name,
            format="nope",
            stdout=StringIO(),
            verbosity=0,
        )
    assert IngestBatch.objects.filter(origin=str(empty.resolve())).count() == 0


def test_command_reingesting_the_same_file_merges_and_succeeds(network, tmp_path):
    path = tmp_path / "alerts.xml"
    shutil.copy(DATA / "google_alerts.xml", path)
    source = SourceFactory()
    call_command("ingest_items", str(path), source=source.name, stdout=StringIO(), verbosity=0)
    out = StringIO()
    call_command("ingest_items", str(path), source=source.name, stdout=out, verbosity=0)
    assert "stored 0, duplicates merged 2" in out.getvalue()


def test_parse_path_recognises_when_no_format_is_given():
    records = list(parse_path(DATA / "meltwater_export.csv", source="", language=""))
    assert [position for position, _ in records] == [2, 3, 4]


def test_a_resumed_batch_is_read_in_the_format_its_first_run_was_given(network):
    from monitoring.models import BatchStatus, IngestBatch

    source = SourceFactory()
    path = DATA / "gdelt_doc_artlist.csv"
    IngestBatch.objects.create(
        source=source, origin=str(path.resolve()), export_format="csv", status=BatchStatus.PENDING
    )
    out = StringIO()
    call_command("ingest_items", str(path), source=source.name, stdout=out, verbosity=0)
    assert "(csv)." in out.getvalue()  # not recognised again as gdelt-doc
    assert IngestBatch.objects.get().export_format == "csv"
