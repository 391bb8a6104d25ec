"""restore DIR [--force] [--check]: verify a backup, then put its database and files back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Verify the backup in DIR (manifest, checksums, the database's own check), then replace the database with "
        "it in one transaction and put its files back. Refuses a database that holds tables unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="A directory made by manage.py backup")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already holds tables."
        )
        parser.add_argument("--check", action="store_true", help="Only verify the backup; change nothing.")

    def handle(self, *args, directory, database, force, check, **options):
        try:
            if check:
                manifest = backup_verify(directory=directory, progress=self.stdout.write)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"The backup of {manifest.created_at} is whole: {len(manifest.tables)} tables, "
                        f"{manifest.file_count} files."
                    )
                )
                return
            report = backup_restore(
                directory=directory, using=database, force=force, progress=self.stdout.write
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = report.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest.created_at}: {len(manifest.tables)} tables, "
                f"{manifest.file_count} files."
            )
        )
        if not manifest.media_included:
            self.stdout.write(
                "The backup holds no media files (made with --no-media): roll the media storage back to "
                f"{manifest.created_at} with its own versioning."
            )
        if report.unapplied:
            self.stdout.write(
                f"This code has {len(report.unapplied)} migrations the backup predates: run manage.py migrate."
            )
        self.stdout.write(
            "Gifts made at PayPal after the backup: run manage.py reconcile_donations --since "
            f"{manifest.created_at[:10]} --repair."
        )
