"""Write the platform export samples (and the demo's LinkedIn exports) as the platforms write them.

Run from the project root: ``.tools/bin/uv run --locked python comms/tests/data/make_samples.py``. The files are
committed; this script documents how each was built from the platform's documentation, and rebuilds them."""

import codecs
import csv
import io
import os
import random
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import django
import xlwt
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yearbook.settings.dev")
django.setup()

from comms.demo import FOLLOWERS, generated_observations  # noqa: E402 (after django.setup)

DATA = Path(__file__).resolve().parent
DEMO_DATA = ROOT / "comms" / "demo_data"
RNG = random.Random(30)  # noqa: S311 (sample data)
FOLLOWER_HEADER = [
    "Date",
    "Sponsored followers",
    "Organic followers",
    "Auto-invited followers",
    "Total followers",
]
# LinkedIn's follower workbook has demographic sheets after the daily one; "Total followers" appears in each.
DEMOGRAPHIC_SHEETS = {
    "Location": [("Bangkok, Thailand", 1210), ("Nairobi, Kenya", 650), ("Ouagadougou, Burkina Faso", 240)],
    "Job function": [("Community and Social Services", 2300), ("Research", 1100)],
    "Seniority": [("Senior", 3100), ("Entry", 2400)],
    "Industry": [("Non-profit Organizations", 5200), ("Government Administration", 900)],
    "Company size": [("11-50", 2600), ("51-200", 1900)],
}


def linkedin_daily_new_followers() -> list[tuple[date, int]]:
    """The demo's LinkedIn followers as LinkedIn exports them: each day's new followers."""
    previous = FOLLOWERS["linkedin"][0]
    days = []
    for slug, measure, day, value in generated_observations():
        if slug == "linkedin" and measure == "followers":
            days.append((day, value - previous))
            previous = value
    return days


def follower_rows(days):
    for day, total in days:
        sponsored = min(total, RNG.randint(0, 2))
        yield [day.strftime("%m/%d/%Y"), sponsored, total - sponsored, 0, total]


def write_xls(path: Path, sheets: dict[str, list[list]]) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    book.save(str(path))


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> None:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def follower_workbook(days) -> dict[str, list[list]]:
    sheets = {"New followers": [FOLLOWER_HEADER, *follower_rows(days)]}
    for name, rows in DEMOGRAPHIC_SHEETS.items():
        sheets[name] = [[name, "Total followers"], *[[label, n] for label, n in rows]]
    return sheets


def csv_text(rows, *, delimiter=",", quote_all=False) -> str:
    out = io.StringIO()
    writer = csv.writer(
        out,
        delimiter=delimiter,
        lineterminator="\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows(rows)
    return out.getvalue()


def utf16(text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def meta_metric(metric: str, start: date, values: list[int]) -> bytes:
    """Meta Business Suite: UTF-16 LE, Excel's sep line, the metric's name, then Date and Primary."""
    rows = [[(start + timedelta(days=n)).isoformat() + "T00:00:00", v] for n, v in enumerate(values)]
    return utf16('sep=,\n"' + metric + '"\n' + csv_text([["Date", "Primary"], *rows], quote_all=True))


def main() -> None:
    DEMO_DATA.mkdir(exist_ok=True)
    days = linkedin_daily_new_followers()
    years = {}
    for day, total in days:
        end_year = day.year + (day.month > 7)
        years.setdefault(end_year, []).append((day, total))
    for end_year, year_days in years.items():
        write_xls(
            DEMO_DATA / f"linkedin-followers-{end_year - 1}-{end_year}.xls", follower_workbook(year_days)
        )
    one_year = follower_workbook(years[2023])
    write_xlsx(DATA / "linkedin_followers.xlsx", one_year)
    write_xls(DATA / "linkedin_followers.xls", one_year)

    august = [date(2023, 8, 1) + timedelta(days=n) for n in range(14)]
    visitor_header = [
        "Date",
        "Overview page views (desktop)",
        "Overview page views (mobile)",
        "Overview page views (total)",
        "Overview unique visitors (desktop)",
        "Overview unique visitors (mobile)",
        "Overview unique visitors (total)",
        "Total page views (desktop)",
        "Total page views (mobile)",
        "Total page views (total)",
        "Total unique visitors (desktop)",
        "Total unique visitors (mobile)",
        "Total unique visitors (total)",
    ]
    visitor_rows = []
    for day in august:
        desk, mob = RNG.randint(40, 90), RNG.randint(20, 60)
        udesk, umob = desk // 2, mob // 2
        visitor_rows.append(
            [
                day.strftime("%m/%d/%Y"),
                desk // 2,
                mob // 2,
                desk // 2 + mob // 2,
                udesk // 2,
                umob // 2,
                udesk // 2 + umob // 2,
                desk,
                mob,
                desk + mob,
                udesk,
                umob,
                udesk + umob,
            ]
        )
    write_xls(
        DATA / "linkedin_visitors.xls",
        {
            "Visitor metrics": [visitor_header, *visitor_rows],
            "Location": [["Location", "Total views"], ["Bangkok, Thailand", 120]],
        },
    )
    update_header = [
        "Date",
        "Impressions (organic)",
        "Impressions (sponsored)",
        "Impressions (total)",
        "Unique impressions (organic)",
        "Clicks (organic)",
        "Clicks (sponsored)",
        "Clicks (total)",
        "Reactions (organic)",
        "Reactions (sponsored)",
        "Reactions (total)",
        "Comments (organic)",
        "Comments (sponsored)",
        "Comments (total)",
        "Reposts (organic)",
        "Reposts (sponsored)",
        "Reposts (total)",
        "Engagement rate (organic)",
        "Engagement rate (sponsored)",
        "Engagement rate (total)",
    ]
    update_rows = []
    for day in august:
        organic = RNG.randint(800, 4000)
        update_rows.append(
            [
                day.strftime("%m/%d/%Y"),
                organic,
                0,
                organic,
                organic * 2 // 3,
                40,
                0,
                40,
                25,
                0,
                25,
                3,
                0,
                3,
                2,
                0,
                2,
                0.0875,
                0,
                0.0875,
            ]
        )
    write_xls(
        DATA / "linkedin_updates.xls",
        {
            "Metrics": [
                ["Aggregated metrics for the updates posted from the page in the selected period."],
                update_header,
                *update_rows,
            ],
            "All posts": [["Update title", "Impressions"], ["Summit opens in Bangkok", 5400]],
        },
    )
    (DATA / "meta_facebook_follows.csv").write_bytes(
        meta_metric("Facebook follows", date(2023, 8, 1), [RNG.randint(0, 6) for _ in range(14)])
    )
    with zipfile.ZipFile(DATA / "meta_instagram.zip", "w") as archive:
        archive.writestr(
            "Follows.csv",
            meta_metric("Instagram follows", date(2023, 8, 1), [RNG.randint(0, 9) for _ in range(14)]),
        )
        archive.writestr(
            "Profile visits.csv",
            meta_metric(
                "Instagram profile visits", date(2023, 8, 1), [RNG.randint(20, 80) for _ in range(14)]
            ),
        )
    sessions = [(day, RNG.randint(1800, 3200)) for day in august]
    ga4_rows = [[d.strftime("%Y%m%d"), s, s * 2 + 17, s * 3 // 4] for d, s in sessions]
    ga4_comments = (
        "# ----------------------------------------\n# Reports snapshot\n# Account: ECPAT International\n"
        "# Property: ecpat.org - GA4\n# ----------------------------------------\n#\n"
        "# Start date: 20230801\n# End date: 20230814\n"
    )
    (DATA / "ga4_sessions.csv").write_text(
        ga4_comments + csv_text([["Date", "Sessions", "Views", "Active users"], *ga4_rows]), encoding="utf-8"
    )
    totals = [
        "Grand total",
        sum(r[1] for r in ga4_rows),
        sum(r[2] for r in ga4_rows),
        sum(r[3] for r in ga4_rows),
    ]
    (DATA / "ga4_explore.csv").write_text(
        "# ----------------------------------------\n# Free form 1\n# ----------------------------------------\n\n"
        + csv_text([["Date", "Sessions", "Views"], totals[:3], *[r[:3] for r in ga4_rows]]),
        encoding="utf-8",
    )
    matomo_header = [
        "label",
        "nb_uniq_visitors",
        "nb_users",
        "nb_visits",
        "nb_actions",
        "nb_visits_converted",
        "bounce_count",
        "sum_visit_length",
        "max_actions",
        "bounce_rate",
        "nb_actions_per_visit",
        "avg_time_on_site",
        "nb_pageviews",
    ]
    matomo_rows = []
    for day, s in sessions:
        matomo_rows.append(
            [day.isoformat(), s - 300, 0, s, s * 2, 0, s // 2, s * 95, 40, "50%", 2, 95, s * 2 - 40]
        )
    (DATA / "matomo_visits.tsv").write_bytes(utf16(csv_text([matomo_header, *matomo_rows], delimiter="\t")))
    with zipfile.ZipFile(DATA / "plausible_export.zip", "w") as archive:
        archive.writestr(
            "visitors.csv",
            csv_text(
                [["date", "visitors", "pageviews", "bounce_rate", "visit_duration", "visits"]]
                + [[d.isoformat(), s - 400, s * 2, 52, 88, s] for d, s in sessions]
            ),
        )
        archive.writestr(
            "sources.csv",
            csv_text([["name", "visitors", "bounce_rate", "visit_duration"], ["Google", 9000, 50, 80]]),
        )
        archive.writestr(
            "pages.csv",
            csv_text(
                [["name", "visitors", "pageviews", "bounce_rate", "time_on_page"], ["/", 8000, 9100, 45, 60]]
            ),
        )
        archive.writestr("countries.csv", csv_text([["name", "visitors"], ["TH", 3000]]))
    x_header = [
        "Date",
        "Impressions",
        "Likes",
        "Engagements",
        "Bookmarks",
        "Shares",
        "New follows",
        "Unfollows",
        "Replies",
        "Reposts",
        "Profile visits",
        "Create Post",
        "Video views",
        "Media views",
    ]
    x_rows = []
    for day in august:
        x_rows.append(
            [
                day.strftime("%a, %b %d, %Y"),
                RNG.randint(900, 3000),
                20,
                60,
                2,
                1,
                RNG.randint(3, 12),
                RNG.randint(0, 4),
                3,
                5,
                RNG.randint(10, 40),
                1,
                30,
                50,
            ]
        )
    (DATA / "x_account_overview.csv").write_text(csv_text([x_header, *reversed(x_rows)]), encoding="utf-8")


if __name__ == "__main__":
    main()
