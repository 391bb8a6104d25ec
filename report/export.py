"""Write a published report as static HTML + assets that open from disk and can be hosted anywhere."""

from __future__ import annotations

import os
import posixpath
import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from wagtail.models import Site

from core.params import year_param
from report.models import AnnualReportPage


def find_report(year: str) -> AnnualReportPage:
    """The live report whose label is YEAR (2022-2023) or whose period starts or ends in YEAR (2023)."""
    reports = AnnualReportPage.objects.live()
    match = reports.filter(year_label=year).first()
    if match is None and (number := year_param(year)):
        match = (reports.filter(end_date__year=number) | reports.filter(start_date__year=number)).first()
    if match is None:
        labels = ", ".join(reports.values_list("year_label", flat=True)) or "none published"
        raise ValueError(f"No published report for {year!r} (available: {labels}).")
    return match


def _relative(from_file: str, to_file: str) -> str:
    return posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")


def export_report(*, report: AnnualReportPage, directory: Path, progress=lambda message: None) -> list[Path]:
    """Render the report and its chapters, rewrite links to relative files, copy the assets they use; returns
    every file written (pages, assets and the PDF)."""
    site = Site.objects.get(is_default_site=True)
    client = Client(HTTP_HOST=site.hostname)
    pages = [report, *report.chapters]
    # URL path of each exported page → file inside the export directory
    files = {
        page.get_url(): ("index.html" if page.pk == report.pk else f"{page.slug}/index.html")
        for page in pages
    }
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    written: list[Path] = []
    for number, page in enumerate(pages, start=1):
        url = page.get_url()
        progress(f"[{number}/{len(pages)}] {url}")
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}; is it published?")
        target = files[url]
        soup = BeautifulSoup(response.content, "html.parser")
        for element, attribute in [(e, a) for a in ("href", "src") for e in soup.find_all(attrs={a: True})]:
            value = element[attribute]
            path, _, fragment = value.partition("#")
            if path in files:
                element[attribute] = _relative(target, files[path]) + (f"#{fragment}" if fragment else "")
            elif path.startswith(settings.STATIC_URL):
                asset = path.removeprefix(settings.STATIC_URL)
                source = finders.find(asset)
                if source:
                    destination = directory / "static" / asset
                    if destination not in written:  # each page links the same stylesheets
                        destination.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(source, destination)
                        written.append(destination)
                    element[attribute] = _relative(target, f"static/{asset}")
            elif path.startswith("/"):
                element[attribute] = base_url + value  # pages outside the report stay on the live site
        output = directory / target
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(str(soup), encoding="utf-8")
        written.append(output)
    edition = report.latest_edition
    if edition and edition.pdf:
        pdf_target = directory / os.path.basename(edition.pdf.name)
        with edition.pdf.open("rb") as source, open(pdf_target, "wb") as destination:
            shutil.copyfileobj(source, destination)
        written.append(pdf_target)
    return written
