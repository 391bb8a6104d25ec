"""RSS and Atom feeds of the newest publications, served as routes of the library page."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from publications.models import PublicationPage


class LatestPublicationsRss(Feed):
    feed_type = Rss201rev2Feed
    limit = 30

    def __init__(self, index):
        super().__init__()
        self.index = index

    def title(self):
        return f"{self.index.title}: latest"

    def link(self):
        return self.index.url

    def description(self):
        return self.index.introduction or "New reports, studies and overviews."

    def items(self):
        return (
            PublicationPage.objects.child_of(self.index)
            .live()
            .public()
            .order_by("-publication_date", "-pk")[: self.limit]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return item.full_url  # page URLs are stable, so they double as permanent ids

    def item_pubdate(self, item):
        from datetime import datetime, time

        from django.utils import timezone

        return timezone.make_aware(datetime.combine(item.publication_date, time(9)))

    def item_categories(self, item):
        return [item.get_kind_display(), *(t.name for t in item.themes.all())]


class LatestPublicationsAtom(LatestPublicationsRss):
    feed_type = Atom1Feed
    subtitle = LatestPublicationsRss.description
