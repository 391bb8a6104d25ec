import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import task_backends

from monitoring.factories import SourceFactory
from monitoring.models import BatchStatus, Item, Match
from monitoring.services import ingest_batch_create
from monitoring.tasks import ingest_batch_process, items_match
from monitoring.tests.test_services import corpus_lines
from network.factories import OrganisationFactory

PRODUCTION_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_ingest_runs_through_the_database_queue_and_its_worker(tmp_path):
    OrganisationFactory(name="ECPAT International", short_name="ECPAT")
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(corpus_lines(30)) + "\n", encoding="utf-8")
    batch = ingest_batch_create(source=SourceFactory(), origin=path)
    with override_settings(TASKS=PRODUCTION_QUEUE):
        assert type(task_backends["default"]).__name__ == "DatabaseBackend"
        result = ingest_batch_process.enqueue(batch_id=batch.pk, chunk_size=4)
        assert Item.objects.count() == 0  # queued, not run in-process
        follow_up = items_match.enqueue()
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        result.refresh()
        follow_up.refresh()
    batch.refresh_from_db()
    assert result.status.name == "SUCCESSFUL" and result.return_value == 30
    assert batch.status == BatchStatus.DONE and batch.chunks_done > 1
    assert follow_up.return_value == Match.objects.count() > 0
