"""Ingest a platform export, a JSONL/CSV dump or an RSS/Atom file for a source, resumable, with a progress bar."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.imports.formats import formats
from monitoring.attention import comms_mentions_update
from monitoring.import_formats import KIND
from monitoring.models import Source
from monitoring.services import (
    SKIPPED_REASONS_KEPT,
    ingest_batch_for,
    ingest_batch_run,
    media_file_check,
    skipped_groups,
)
from monitoring.tasks import ingest_batch_process


class Command(BaseCommand):
    help = (
        "Ingest items from FILE for --source and match them; re-running on the same file resumes an unfinished "
        "batch. Fails when nothing new was stored or merged."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The export as downloaded, a JSON Lines dump or a feed.")
        parser.add_argument("--source", required=True, help="The source's name.")
        names = ", ".join(name for name, _label in formats.choices(KIND))
        parser.add_argument(
            "--format",
            default="",
            help=f"The file's format; recognised from the file when not given. One of: {names}.",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=500,
            help="Items per transaction; a rerun resumes after the last one.",
        )
        parser.add_argument("--enqueue", action="store_true", help="Queue a background task instead.")

    def handle(self, *args, file: Path, source: str, chunk_size: int, enqueue: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        if chunk_size < 1:
            raise CommandError(f"--chunk-size must be at least 1, not {chunk_size}.")
        found = Source.objects.filter(name=source).first()
        if found is None:
            raise CommandError(f"There is no source {source!r}.")
        resumable = ingest_batch_for(source=found, path=file, create=False)[0]
        given = options["format"] or (resumable.export_format if resumable else "")
        try:
            export_format, notes = media_file_check(path=file, export_format=given)
        except ValueError as error:  # UnknownFormat, UnreadableFile: nothing to ingest, no batch made
            raise CommandError(str(error)) from None
        chosen = "" if given else ", recognised from the file"
        self.stdout.write(f"Format: {export_format.label} ({export_format.name}{chosen}).")
        for note in notes:
            self.stdout.write(f"  {note}")
        batch, resumed = ingest_batch_for(source=found, path=file)
        if batch.export_format != export_format.name:
            batch.export_format = export_format.name
            batch.save(update_fields=["export_format"])
        if resumed:
            self.stdout.write(f"Resuming batch {batch.pk} after record {batch.position}.")
        if enqueue:
            result = ingest_batch_process.enqueue(
                batch_id=batch.pk, chunk_size=chunk_size, export_format=export_format.name
            )
            self.stdout.write(f"Batch {batch.pk} queued as task {result.id}.")
            return
        # Records read so far (a resumed batch starts where it stopped); the total is unknown until the end.
        with tqdm(initial=batch.position, unit=" records", disable=options["verbosity"] < 1) as bar:
            bar.set_description(f"batch {batch.pk}")

            def progress(current):
                bar.set_postfix(
                    stored=current.stored_count, duplicates=current.duplicate_count, refresh=False
                )
                bar.update(current.position - bar.n)

            batch = ingest_batch_run(
                batch=batch, export_format=export_format.name, chunk_size=chunk_size, progress=progress
            )
        self.stdout.write(
            f"Batch {batch.pk}: read {batch.read_count}, stored {batch.stored_count}, duplicates merged "
            f"{batch.duplicate_count}, skipped {batch.skipped_count}, matches {batch.match_count}."
        )
        if batch.skipped_count:
            kept = (
                f" (reasons of the first {SKIPPED_REASONS_KEPT})"
                if batch.skipped_count > SKIPPED_REASONS_KEPT
                else ""
            )
            self.stdout.write(f"Skipped {batch.skipped_count} record(s){kept}:")
            for group in skipped_groups(batch):
                self.stdout.write(f"  {group}")
        else:
            self.stdout.write("Skipped 0 records.")
        if not (batch.stored_count or batch.duplicate_count):
            raise CommandError(
                f"Nothing was stored or merged from {file}: "
                + (
                    f"all {batch.skipped_count} record(s) were skipped."
                    if batch.skipped_count
                    else "the file holds no records."
                )
            )
        if batch.match_count:
            observations = comms_mentions_update()
            self.stdout.write(f"Mention observations updated: {observations}.")
