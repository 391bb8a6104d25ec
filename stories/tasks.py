"""The scheduled consent check, as a background task (run it daily from the task worker or cron)."""

from django_tasks import task


@task()
def consent_enforce_task() -> int:
    from stories.services import consent_enforce

    return consent_enforce()
