"""Create or refresh the demo's administrator and print the login."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the demo administrator (password kept in var/demo-admin-password) and print the login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="The login to create (default: admin).")
        parser.add_argument(
            "--site-url",
            default="http://127.0.0.1:8000",
            help="Where the demo is served, for the printed login.",
        )

    def handle(self, *args, username, site_url, **options):
        # The password is generated once per checkout and kept out of the repository.
        secret_file = Path(settings.BASE_DIR) / "var" / "demo-admin-password"
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        if not secret_file.exists():
            secret_file.write_text(secrets.token_urlsafe(12))
            secret_file.chmod(0o600)
        password = secret_file.read_text().strip()
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"Admin login: {site_url.rstrip('/')}/admin/  user: {username}  password: {password}"
        )
