"""Background tasks of monitoring (in-process by default, the django_tasks_db queue and db_worker in production)."""

from django_tasks import task


@task()
def ingest_batch_process(*, batch_id: int, chunk_size: int = 500, export_format: str = "") -> int:
    """Ingest (or resume) one batch in its format ("" recognises it); returns the items stored so far.
    Re-enqueue a failed batch to resume it."""
    from monitoring.models import IngestBatch
    from monitoring.services import ingest_batch_run

    batch = ingest_batch_run(
        batch=IngestBatch.objects.get(pk=batch_id), export_format=export_format, chunk_size=chunk_size
    )
    return batch.stored_count


@task()
def items_match(*, item_ids: list[int] | None = None) -> int:
    """Match items again with the current names, aliases and exclusions; returns the matches stored."""
    from monitoring.models import Item
    from monitoring.services import items_rematch

    items = Item.objects.originals()
    return items_rematch(items=items.filter(pk__in=item_ids) if item_ids is not None else items)


@task()
def mentions_publish() -> int:
    """Turn matched-item counts into the comms mention observations; returns the observations written."""
    from monitoring.attention import comms_mentions_update

    return comms_mentions_update()
