"""Ingest a JSONL/CSV dump or an RSS/Atom file for a source, resumable, with a progress bar."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from monitoring.models import BatchStatus, IngestBatch, Source
from monitoring.services import ingest_batch_create, ingest_batch_run
from monitoring.tasks import ingest_batch_process


class Command(BaseCommand):
    help = "Ingest items from FILE for --source; re-running on the same file resumes an unfinished batch."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A JSON Lines or CSV dump, or an RSS/Atom file.")
        parser.add_argument("--source", required=True, help="The source's name.")
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
        origin = str(file.resolve())
        batch = (
            IngestBatch.objects.filter(source=found, origin=origin)
            .exclude(status=BatchStatus.DONE)
            .order_by("-created_at")
            .first()
        ) or ingest_batch_create(source=found, origin=origin)
        if enqueue:
            result = ingest_batch_process.enqueue(batch_id=batch.pk, chunk_size=chunk_size)
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

            batch = ingest_batch_run(batch=batch, chunk_size=chunk_size, progress=progress)
        self.stdout.write(
            f"Batch {batch.pk}: read {batch.read_count}, stored {batch.stored_count}, duplicates merged "
            f"{batch.duplicate_count}, skipped {batch.skipped_count}, matches {batch.match_count}."
        )
        for skip in batch.skipped_reasons[:20]:
            self.stdout.write(f"  skipped record {skip['position']}: {skip['reason']}")
