"""The coverage exports monitoring ingests, as the platforms write them (kind "media").

Table formats name their columns by the ``RawItem`` field they fill (url, title, text, published, language,
source); ``options["reader"]`` says how the file is read when it is not a table with a header: "jsonl", "feed"
(RSS/Atom) or "gdelt-events" (tab-separated, no header). Dates are read with ``date_formats``: strptime patterns,
"iso" (ISO 8601, RFC 2822 or Unix seconds) or "epoch-ms". The generic formats are registered last, so that a
platform's own export wins when it has the same columns and more.
"""

from core.imports.formats import ExportFormat, formats
from core.imports.tables import Column, optional

KIND = "media"


MEDIA_CLOUD = formats.register(
    ExportFormat(
        name="media-cloud",
        label="Media Cloud story list (CSV download from search.mediacloud.org)",
        kind=KIND,
        columns=(
            Column("url", ("url",)),
            Column("published", ("publish_date",)),
            Column("title", ("title",)),
            optional("id", "id"),
            optional("indexed", "indexed_date"),
            optional("language", "language"),
            optional("source", "media_name"),
            optional("media_url", "media_url"),
        ),
        date_formats=("iso",),
        documentation="https://www.mediacloud.org/",
        options={"reader": "table"},
    )
)

GDELT_DOC = formats.register(
    ExportFormat(
        name="gdelt-doc",
        label="GDELT DOC 2.0 API article list (mode=ArtList&format=csv)",
        kind=KIND,
        columns=(
            Column("url", ("URL",)),
            Column("published", ("Date", "seendate")),
            Column("title", ("Title",)),
            optional("mobile_url", "MobileURL", "Mobile URL", "url_mobile"),
            optional("image", "Image", "socialimage"),
            optional("source", "Domain"),
            optional("language", "Language"),
            optional("country", "SourceCountry", "Source Country"),
        ),
        # The CSV writes "2023-08-15 12:00:00"; the JSON output and its converters "20230815T120000Z".
        date_formats=("%Y%m%dT%H%M%SZ", "%Y-%m-%d %H:%M:%S", "%Y%m%d%H%M%S", "iso"),
        documentation="https://blog.gdeltproject.org/gdelt-doc-2-0-api-debuts/",
        options={"reader": "table"},
    )
)

GDELT_EVENTS = formats.register(
    ExportFormat(
        name="gdelt-events",
        label="GDELT 2.0 Events export (tab-separated, no header; the .export.CSV file or its zip)",
        kind=KIND,
        columns=(),
        date_formats=("%Y%m%d%H%M%S", "%Y%m%d"),
        documentation="http://data.gdeltproject.org/documentation/GDELT-Event_Codebook-V2.0.pdf",
        options={"reader": "gdelt-events", "width": 61, "sqldate": 1, "dateadded": 59, "sourceurl": 60},
    )
)

GOOGLE_ALERTS = formats.register(
    ExportFormat(
        name="google-alerts",
        label="Google Alerts feed (Atom, “Deliver to: RSS feed”)",
        kind=KIND,
        columns=(),
        documentation="https://support.google.com/websearch/answer/4815696",
        options={"reader": "feed", "google_alerts": True},
    )
)

TALKWALKER = formats.register(
    ExportFormat(
        name="talkwalker",
        label="Talkwalker results export (CSV)",
        kind=KIND,
        columns=(
            Column("url", ("url",)),
            Column("published", ("published",)),
            optional("title", "title"),
            optional("text", "content"),
            optional("title_snippet", "title_snippet"),
            optional("content_snippet", "content_snippet"),
            optional("language", "lang"),
            optional("source_type", "source_type"),
            optional("source", "extra_source_attributes.name"),
            optional("indexed", "indexed"),
            optional("reach", "reach"),
        ),
        date_formats=("epoch-ms", "iso"),
        documentation="https://www.talkwalker.com/",
        options={"reader": "table", "fallbacks": {"title": "title_snippet", "text": "content_snippet"}},
    )
)

MELTWATER = formats.register(
    ExportFormat(
        name="meltwater",
        label="Meltwater Explore export (CSV, UTF-16 tab-separated as downloaded)",
        kind=KIND,
        columns=(
            Column("published", ("Date",)),
            Column("title", ("Headline",)),
            Column("url", ("URL",)),
            optional("text", "Opening Text"),
            optional("hit_sentence", "Hit Sentence"),
            optional("source", "Source"),
            optional("country", "Country"),
            optional("language", "Language"),
            optional("reach", "Reach"),
            optional("time", "Time"),
            optional("sentiment", "Sentiment"),
        ),
        date_formats=("%d-%b-%Y %I:%M%p", "%d-%b-%Y %I:%M %p", "%d-%b-%Y", "%b %d, %Y", "iso"),
        documentation="https://help.meltwater.com/",
        # The sentence where the search hit: it may lie beyond the opening text, so it is matched on too.
        options={"reader": "table", "append_text": ("hit_sentence",), "time_column": "time"},
    )
)

# The generic formats: what ingest_items read before there were presets.
CSV = formats.register(
    ExportFormat(
        name="csv",
        label="Generic CSV dump (url/link, title/headline, text/body, published/date, language, source)",
        kind=KIND,
        columns=(
            Column("url", ("url", "link", "permalink")),
            optional("title", "title", "headline"),
            optional("text", "text", "body", "content", "description", "summary", "full_text"),
            optional(
                "published",
                "published",
                "publish_date",
                "published_at",
                "publishedAt",
                "date",
                "created_at",
                "pubDate",
            ),
            optional("language", "language", "lang"),
            optional("source", "source", "source_name", "media_name", "domain", "site"),
        ),
        date_formats=("iso",),
        options={"reader": "table"},
    )
)

JSONL = formats.register(
    ExportFormat(
        name="jsonl",
        label="JSON Lines dump (one news-API object per line)",
        kind=KIND,
        columns=(),
        date_formats=("iso",),
        options={"reader": "jsonl"},
    )
)

FEED = formats.register(
    ExportFormat(
        name="feed",
        label="RSS or Atom feed",
        kind=KIND,
        columns=(),
        date_formats=("iso",),
        options={"reader": "feed"},
    )
)
