"""Match stored items again with the current names, aliases and exclusions, then update the comms mentions."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from monitoring.attention import comms_mentions_update
from monitoring.models import Item
from monitoring.services import items_rematch, network_matcher


class Command(BaseCommand):
    help = "Match all original items again (reviews of matches that still hold are kept)."

    def handle(self, *args, **options):
        items = Item.objects.originals().order_by("pk")
        ids = list(items.values_list("pk", flat=True))
        matcher = network_matcher()
        created = 0
        for start in tqdm(range(0, len(ids), 2000), disable=options["verbosity"] < 1, unit="chunk"):
            created += items_rematch(
                items=Item.objects.filter(pk__in=ids[start : start + 2000]), matcher=matcher
            )
        observations = comms_mentions_update()
        self.stdout.write(
            f"{created} matches in {len(ids)} items; {observations} daily mention observations."
        )
