"""Media ingest (GDELT DOC CSV, Meltwater UTF-16 export) and the CiviCRM organisations import at about 5 and 50 MB:
records per second and the peak memory (RSS) of a forked child per import, which should not grow with the file."""

from __future__ import annotations

import json
import os
import random
import resource
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

SIZES_MB = tuple(int(s) for s in os.environ.get("BENCH_IMPORTS_MB", "5,50").split(","))
FIRST_DAY = datetime(2023, 1, 1)
DAYS = 730
SEED = 2024

# The network organisations the matcher looks for; every fifth headline names one (by name or short name).
ORGANISATIONS = [
    ("ECPAT International", "ECPAT", "FR"),
    ("Défense des Enfants International", "DEI", "SN"),
    ("Fundacja Dajemy Dzieciom Siłę", "FDDS", "PL"),
    ("Çocuk Hakları Derneği", "", "TR"),
    ("Фонд защиты детей", "", "KZ"),
    ("جمعية حماية الطفل", "", "JO"),
    ("Trung tâm Bảo vệ Trẻ em", "", "VN"),
    ("Mtoto Salama Foundation", "Mtoto Salama", "TZ"),
]
# Words of headlines and text in several scripts, as worldwide coverage comes.
WORDS = [
    "children",
    "online",
    "safety",
    "report",
    "hotline",
    "abuse",
    "rises",
    "police",
    "court",
    "ruling",
    "law",
    "parliament",
    "school",
    "teachers",
    "protection",
    "charity",
    "warns",
    "survey",
    "figures",
    "trafficking",
    "border",
    "rescue",
    "campaign",
    "minister",
    "budget",
    "enfants",
    "protection",
    "loi",
    "rapport",
    "sécurité",
    "écoles",
    "associations",
    "réseau",
    "éducation",
    "témoignages",
    "dzieci",
    "ochrona",
    "przemoc",
    "raport",
    "szkoła",
    "prawo",
    "rzecznik",
    "pomoc",
    "ośrodek",
    "çocuklar",
    "koruma",
    "şiddet",
    "rapor",
    "okul",
    "yasa",
    "güvenliği",
    "ağ",
    "derneği",
    "дети",
    "защита",
    "насилие",
    "доклад",
    "школа",
    "закон",
    "права",
    "помощь",
    "полиция",
    "الأطفال",
    "حماية",
    "العنف",
    "تقرير",
    "المدرسة",
    "القانون",
    "حقوق",
    "الشرطة",
    "trẻ",
    "em",
    "bảo",
    "vệ",
    "bạo",
    "lực",
    "báo",
    "cáo",
    "trường",
    "học",
    "luật",
    "quyền",
    "儿童",
    "保护",
    "暴力",
    "报告",
    "学校",
    "法律",
    "权利",
    "警察",
    "子ども",
    "保護",
    "報告書",
]
DOMAINS = (
    "www.theeastafrican.co.ke",
    "www.bangkokpost.com",
    "www.lesoleil.sn",
    "www.monitor.co.ug",
    "wyborcza.pl",
    "www.hurriyet.com.tr",
    "ria.ru",
    "новости-детям.рф",
    "www.aljazeera.net",
    "vnexpress.net",
    "www.xinhuanet.com",
    "www3.nhk.or.jp",
    "www.lemonde.fr",
    "www.reuters.com",
    "g1.globo.com",
)
LANGUAGES = ("English", "French", "Polish", "Turkish", "Russian", "Arabic", "Vietnamese", "Chinese")
COUNTRIES = (
    "Kenya",
    "Thailand",
    "Senegal",
    "Uganda",
    "Poland",
    "Turkey",
    "Russia",
    "Jordan",
    "Vietnam",
    "China",
)
MELTWATER_HEADER = (
    "Date\tHeadline\tURL\tOpening Text\tHit Sentence\tSource\tInfluencer\tCountry\tSubregion\tLanguage\tReach\t"
    "Desktop Reach\tMobile Reach\tTwitter Social Echo\tFacebook Social Echo\tReddit Social Echo\t"
    "National Viewership\tEngagement\tAVE\tSentiment\tKey Phrases\tInput Name\tKeywords\tTwitter Authority\t"
    "Tweet Id\tTwitter Id\tTwitter Client\tTwitter Screen Name\tUser Profile Url\tTwitter Bio\t"
    "Twitter Followers\tTwitter Following\tAlternate Date Format\tTime\tState\tCity\tDocument Tags\r\n"
)
CIVICRM_HEADER = (
    "Contact ID,Contact Type,Contact Subtype,Do Not Email,Do Not Phone,Do Not Mail,Do Not Sms,Do Not Trade,"
    "No Bulk Emails (User Opt Out),Legal Identifier,External Identifier,Sort Name,Display Name,Nick Name,"
    "Legal Name,Image Url,Preferred Communication Method,Preferred Language,Preferred Mail Format,Contact Hash,"
    "Contact Source,Organization Name,SIC Code,Contact is in Trash,Created Date,Modified Date,Location Type,"
    "Street Address,Supplemental Address 1,City,Postal Code,State,Country,Phone,Phone Type,Email,On Hold,"
    "Website,Group(s),Tag(s),Note(s)\r\n"
)
# (first word, last word, city, CiviCRM's country name): organisation names as members register them.
CIVICRM_PLACES = (
    ("Association", "Keoogo", "Ouagadougou", "Burkina Faso"),
    ("Lumière pour", "l'Enfance", "Dakar", "Senegal"),
    ("Communauté", "Abel", "Grand-Bassam", "Côte d’Ivoire"),
    ("Mtoto Salama", "Foundation", "Dodoma", "Tanzania, United Republic of"),
    ("Fundacja", "Dziecięca Przystań", "Łódź", "Poland"),
    ("Çocuk Hakları", "Derneği", "İzmir", "Turkey"),
    ("Фонд", "«Дети Алматы»", "Алматы", "Kazakhstan"),
    ("Центр", "помощи детям", "Київ", "Ukraine"),
    ("جمعية", "رعاية الطفولة", "عمّان", "Jordan"),
    ("مؤسسة", "أمل الأطفال", "الدار البيضاء", "Morocco"),
    ("Trung tâm", "Bảo vệ Trẻ em", "Hà Nội", "Viet Nam"),
    ("儿童权利", "中心", "上海", "China"),
    ("子どもの権利", "ネットワーク", "大阪", "Japan"),
    ("Associação", "Criança Feliz", "São Paulo", "Brazil"),
)


def _say(text: str) -> None:
    print(f"   {text}", flush=True)  # noqa: T201


def _sql(statement: str, params: list | None = None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


# Writing the files ----------------------------------------------------------------------------------------------


def _when(rng: random.Random) -> datetime:
    return FIRST_DAY + timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(24 * 60))


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _headline(rng: random.Random, n: int) -> str:
    """Eight to twelve words; every fifth names a network organisation, by name or short name."""
    words = _sentence(rng, rng.randrange(8, 13))
    if n % 5 == 0:
        name, short, _country = ORGANISATIONS[n // 5 % len(ORGANISATIONS)]
        mentioned = short if short and n % 2 else name
        return f"{mentioned}: {words}" if n % 3 else f"{words}, says {mentioned}"
    return words


def _url(rng: random.Random, n: int) -> str:
    domain = DOMAINS[n % len(DOMAINS)]
    slug = "-".join(rng.choice(WORDS[:60]) for _ in range(rng.randrange(3, 7)))
    if n % 11 == 0:  # a path in its own script, percent-encoded as sites publish it
        from urllib.parse import quote

        slug = quote("-".join(rng.choice(WORDS[60:]) for _ in range(4)))
    return f"https://{domain}/{rng.choice(('news', 'world', 'society', 'region'))}/{slug}-{n}"


class _Articles:
    """Articles with their reruns: every 50th repeats an earlier URL with tracking added (a URL duplicate), every
    70th reprints an earlier headline and text on another site (a syndicated copy)."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.n = 0
        self.recent: list[tuple[str, str, str]] = []

    def next(self, text_words: int = 0) -> tuple[str, str, str, datetime]:
        rng, n = self.rng, self.n
        self.n += 1
        if n % 50 == 49 and self.recent:
            url, title, text = rng.choice(self.recent)
            return f"{url}?utm_source=newsletter&utm_medium=email", title, text, _when(rng)
        if n % 70 == 69 and self.recent:
            _url_before, title, text = rng.choice(self.recent)
            return _url(rng, n), title, text, _when(rng)
        title = _headline(rng, n)
        text = _sentence(rng, text_words) if text_words else ""
        url = _url(rng, n)
        self.recent = [*self.recent[-99:], (url, title, text)]
        return url, title, text, _when(rng)


def _csv_cell(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\r\n') else text


def write_gdelt(path: Path, size_mb: int) -> None:
    """GDELT DOC 2.0 ArtList as ``format=csv`` returns it: UTF-8 with a BOM, CRLF, "2023-08-15 12:00:00" dates."""
    articles = _Articles()
    target = size_mb * 1_000_000
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("URL,MobileURL,Date,Title\r\n")
        written = 0
        while written < target:
            url, title, _text, when = articles.next()
            mobile = f"{url}?view=htmlamp" if articles.n % 3 == 0 else ""
            line = f"{url},{mobile},{when:%Y-%m-%d %H:%M:%S},{_csv_cell(title)}\r\n"
            out.write(line)
            written += len(line.encode())


def write_meltwater(path: Path, size_mb: int) -> None:
    """A Meltwater Explore export as downloaded: UTF-16 LE with a BOM, tab-separated, CRLF, 37 columns,
    "15-Aug-2023 10:00AM" dates and "1,250,000" reach."""
    articles = _Articles(SEED + 1)
    rng = random.Random(SEED + 2)
    target = size_mb * 1_000_000
    with path.open("w", encoding="utf-16", newline="") as out:  # "utf-16" writes the BOM (little-endian here)
        out.write(MELTWATER_HEADER)
        written = len(MELTWATER_HEADER) * 2
        while written < target:
            url, title, text, when = articles.next(text_words=rng.randrange(25, 50))
            hit = f"…{_sentence(rng, 6)} {title.split(':')[0]}…" if articles.n % 4 == 0 else ""
            country = rng.choice(COUNTRIES)
            reach = f"{rng.randrange(1_000, 3_000_000):,}"
            cells = [
                f"{when:%d-%b-%Y %I:%M%p}",
                title,
                url,
                text,
                hit,
                url.split("/")[2],
                "",
                country,
                "",
                rng.choice(LANGUAGES),
                reach,
                *[""] * 8,
                rng.choice(("Neutral", "Positive", "Negative")),
                "",
                "ECPAT coverage",
                "ECPAT",
                *[""] * 9,
                f"{when:%b %d, %Y}",
                f"{when:%I:%M %p}",
                "",
                "",
                "",
            ]
            line = "\t".join(cells) + "\r\n"
            out.write(line)
            written += len(line) * 2


def write_civicrm(path: Path, size_mb: int) -> int:
    """CiviCRM's contact export of Organization contacts ("Export PRIMARY fields"): UTF-8, CRLF, every field's
    title as header; one contact in 200 is a Household (the importer skips it). Returns the data rows."""
    rng = random.Random(SEED + 3)
    target = size_mb * 1_000_000
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(CIVICRM_HEADER)
        written = len(CIVICRM_HEADER)
        while written < target:
            rows += 1
            first, last, city, country = CIVICRM_PLACES[rows % len(CIVICRM_PLACES)]
            name = f"{first} {rng.choice(WORDS)} {last} {rows}"  # the number keeps names (and slugs) apart
            legal = f"{name} pour la protection des enfants" if rows % 4 == 0 else ""
            nick = f"{first[:20]} {rows}" if rows % 3 == 0 else ""
            contact_type = "Household" if rows % 200 == 0 else "Organization"
            website = (
                f"https://{'детям.рф' if rows % 9 == 0 else f'org{rows}.example.org'}/{rng.choice(WORDS[:60])}"
                if rows % 2
                else ""
            )
            created = _when(rng)
            cells = [
                str(1000 + rows),
                contact_type,
                "",
                *["0"] * 6,
                "",
                "",
                name,
                name,
                nick,
                legal,
                "",
                "",
                "en_GB",
                "Both",
                f"{rng.getrandbits(128):032x}",
                "",
                name,
                "",
                "0",
                f"{created:%Y-%m-%d %H:%M:%S}",
                f"{created + timedelta(days=rng.randrange(400)):%Y-%m-%d %H:%M:%S}",
                "Work",
                f"{rng.randrange(1, 300)}, {rng.choice(WORDS)} {rng.choice(('rue', 'ul.', 'Cad.', 'ул.', 'Đường'))}",
                "",
                city,
                f"{rng.randrange(10_000, 99_999)}",
                "",
                country,
                f"+{rng.randrange(20, 999)} {rng.randrange(10**7, 10**8)}",
                "Phone",
                f"contact{rows}@org{rows % 500}.example.org",
                "0",
                website,
                "Network members",
                "",
                "",
            ]
            line = ",".join(_csv_cell(c) for c in cells) + "\r\n"
            out.write(line)
            written += len(line.encode())
    return rows


# Importing in a child -------------------------------------------------------------------------------------------


def _in_child(work) -> dict:
    """What ``work()`` returns (a dict), with its seconds, the child's RSS when it started and its peak, from a
    forked child process, so each import's peak memory is its own."""
    from django.db import connection

    connection.close()  # the child opens its own
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        code = 0
        try:
            start_rss = _maxrss_mb()
            started = time.perf_counter()
            result = work()
            result |= {"seconds": time.perf_counter() - started, "start_rss": start_rss, "peak": _maxrss_mb()}
        except BaseException as error:  # reported by the parent; the child must not return into its caller
            result, code = {"error": f"{type(error).__name__}: {error}"}, 1
        os.write(write_end, json.dumps(result).encode())
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        data = answer.read()
    os.waitpid(pid, 0)
    result = json.loads(data) if data else {"error": "the child process died without an answer"}
    if "error" in result:
        raise RuntimeError(result["error"])
    return result


def _ingest(path: Path) -> dict:
    """The path ingest_items takes: recognise the format, make a batch, run it (matching included)."""
    from monitoring.models import Source
    from monitoring.services import ingest_batch_create, ingest_batch_run, media_file_check

    export_format, _notes = media_file_check(path=path)
    source = Source.objects.get(name="bench-imports")
    batch = ingest_batch_create(source=source, origin=path.resolve())
    batch = ingest_batch_run(batch=batch, export_format=export_format.name)
    return {
        "format": export_format.name,
        "read": batch.read_count,
        "stored": batch.stored_count,
        "duplicates": batch.duplicate_count,
        "skipped": batch.skipped_count,
        "matches": batch.match_count,
    }


def _media_clear() -> None:
    from monitoring.models import IngestBatch, Item, Match

    for model in (Match, Item, IngestBatch):
        _sql(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 (table names from the models)


def _media_setup() -> None:
    from django.utils.text import slugify

    from monitoring.models import Source, SourceKind
    from network.models import Organisation, OrganisationKind

    Source.objects.get_or_create(
        name="bench-imports", defaults={"kind": SourceKind.TRADITIONAL_NEWS, "language": "en"}
    )
    for n, (name, short, country) in enumerate(ORGANISATIONS):
        Organisation.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "slug": slugify(name) or f"bench-organisation-{n}",
                "kind": OrganisationKind.MEMBER,
                "country": country,
            },
        )


def _ratio_line(peaks: dict[int, float], what: str) -> None:
    if len(peaks) > 1:
        small, large = min(peaks), max(peaks)
        ratio = peaks[large] / peaks[small]
        verdict = "flat" if ratio < 1.2 else "NOT flat: memory grows with the file"
        _say(
            f"   {what}: peak RSS {large} MB file / {small} MB file = {ratio:.2f}x "
            f"(goal: flat as the file grows, about 1.0x; {verdict})"
        )


def bench_media(workdir: Path) -> None:
    _media_setup()
    for label, suffix, write in (
        ("GDELT DOC ArtList CSV (UTF-8, BOM)", "gdelt-artlist.csv", write_gdelt),
        ("Meltwater export (UTF-16 LE, tab-separated)", "meltwater.csv", write_meltwater),
    ):
        peaks = {}
        for size_mb in SIZES_MB:
            _media_clear()
            path = workdir / f"{size_mb}mb-{suffix}"
            started = time.perf_counter()
            write(path, size_mb)
            wrote = time.perf_counter() - started
            result = _in_child(lambda path=path: _ingest(path))
            peaks[size_mb] = result["peak"]
            _say(
                f"{label}, {path.stat().st_size / 1e6:.1f} MB (written in {wrote:.1f}s), read as "
                f"{result['format']}: {result['read']:,} records in {result['seconds']:.1f}s = "
                f"{result['read'] / result['seconds']:,.0f} items/s; stored {result['stored']:,}, duplicates "
                f"{result['duplicates']:,}, skipped {result['skipped']:,}, matches {result['matches']:,}; "
                f"peak RSS {result['peak']:.0f} MB (child started at {result['start_rss']:.0f} MB, grew "
                f"{result['peak'] - result['start_rss']:.0f} MB)"
            )
            path.unlink()
        _ratio_line(peaks, label)
    _media_clear()


def _contacts(path: Path) -> dict:
    from network.imports import organisations_import

    report = organisations_import(filename=path.name, content=path, write=True, kind="member")
    if report.errors:
        raise RuntimeError(f"{len(report.errors)} errors, e.g. {report.errors[:3]}")
    return {
        "format": report.format_label,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "skipped": report.skipped_count,
    }


def _contacts_clear(after_id: int) -> None:
    """Remove the organisations an import made (and their aliases), so each size starts from the same network."""
    from network.models import Organisation, OrganisationAlias

    table = Organisation._meta.db_table
    made = f"SELECT id FROM {table} WHERE id > %s"  # noqa: S608 (table names from the models)
    for through in (Organisation.focus_areas.through, Organisation.editors.through):
        _sql(f"DELETE FROM {through._meta.db_table} WHERE organisation_id IN ({made})", [after_id])  # noqa: S608
    _sql(f"DELETE FROM {OrganisationAlias._meta.db_table} WHERE organisation_id IN ({made})", [after_id])  # noqa: S608
    _sql(f"DELETE FROM {table} WHERE id > %s", [after_id])  # noqa: S608


def bench_contacts(workdir: Path) -> None:
    from django.db.models import Max

    from network.models import Organisation

    before = Organisation.objects.aggregate(last=Max("id"))["last"] or 0
    peaks = {}
    rate = 0.0
    for size_mb in SIZES_MB:
        path = workdir / f"{size_mb}mb-civicrm-organisations.csv"
        started = time.perf_counter()
        written = write_civicrm(path, size_mb)
        wrote = time.perf_counter() - started
        if rate and written / rate > 60:
            _say(f"(the {size_mb} MB file will take about {written / rate / 60:.0f} min at the rate above)")
        result = _in_child(lambda path=path: _contacts(path))
        rate = result["rows"] / result["seconds"]
        peaks[size_mb] = result["peak"]
        _say(
            f"CiviCRM organisations export, {path.stat().st_size / 1e6:.1f} MB ({written:,} rows, written in "
            f"{wrote:.1f}s), kind=member, write=True: {result['rows']:,} rows in {result['seconds']:.1f}s = "
            f"{result['rows'] / result['seconds']:,.0f} rows/s; created {result['created']:,}, updated "
            f"{result['updated']:,}, skipped {result['skipped']:,}; peak RSS {result['peak']:.0f} MB (child "
            f"started at {result['start_rss']:.0f} MB, grew {result['peak'] - result['start_rss']:.0f} MB)"
        )
        path.unlink()
        _contacts_clear(before)
    _ratio_line(peaks, "CiviCRM organisations (rows written as they pass, one transaction)")


def run() -> None:
    """Call from benchmarks/__main__.py (it sets up the throwaway database): prints each size and the ratios."""
    workdir = Path(os.environ.get("BENCH_WORKDIR") or tempfile.gettempdir())
    bench_media(workdir)
    bench_contacts(workdir)
