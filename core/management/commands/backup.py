"""backup DIR: the database (one consistent moment, taken while the site runs), media and private files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and every uploaded file into DIR (new or empty), with a manifest of checksums and "
        "row counts. The recovery point is the moment it starts; see docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", type=Path, help="A new or empty directory, e.g. backups/2026-12-03T10"
        )
        parser.add_argument("--database", default="default", help="The database alias (default: default).")
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="Leave the media storage's files out (S3 with versioning keeps their history); private files "
            "are still copied.",
        )

    def handle(self, *args, directory, database, no_media, **options):
        try:
            manifest = backup_create(
                directory=directory, using=database, media=not no_media, progress=self.stdout.write
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {len(manifest.tables)} tables and {manifest.file_count} files as of "
                f"{manifest.created_at} into {directory}."
            )
        )
