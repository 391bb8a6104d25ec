"""The site skeleton shared by every app: the abstract BasePage, the home page and site settings."""

import copy

from django.db import models
from django.db.models import Q
from django.http import Http404
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from core.blocks import BodyStreamBlock
from core.request_memo import memoised_until_edited


def private_section_paths() -> list[str]:
    """Tree paths of the pages with a view restriction; a page under one of them is private."""
    return memoised_until_edited(
        "private_section_paths",
        lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True)),
    )


class SitePageQuerySet(PageQuerySet):
    """Wagtail's page queries, with `public()` reading the private sections once per request, not per listing."""

    def private_q(self):
        q = Q()
        for path in private_section_paths():
            q |= Q(path__startswith=path)
        return q if q else Q(pk__in=[])


SitePageManager = PageManager.from_queryset(SitePageQuerySet)


def site_pages() -> SitePageQuerySet:
    """Pages of every type (Page.objects), with the once-per-request `public()`."""
    return SitePageQuerySet(Page).order_by("path")


def _answers_for(page: Page, path_components: list[str]) -> bool:
    """Whether a routable page has its own route for the path below it (as its `route()` would decide), asked of
    its class: loading the page itself only to find a child page there cost two queries per event page."""
    resolver = getattr(page.specific_class, "get_resolver", None)
    if resolver is None or not page.live:
        return False
    try:
        resolver().resolve("/" + "".join(f"{part}/" for part in path_components))
    except Http404:
        return False
    return True


class SocialMetaMixin(models.Model):
    """Open Graph image and canonical URL; title and description reuse Wagtail's SEO fields."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared; falls back to the site logo.",
    )
    canonical_url = models.URLField(blank=True, help_text="Only when this content lives primarily elsewhere.")

    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel([FieldPanel("social_image"), FieldPanel("canonical_url")], heading="Sharing"),
    ]

    class Meta:
        abstract = True

    def get_canonical_url(self, request=None) -> str:
        return self.canonical_url or self.get_full_url(request)

    def get_meta_description(self) -> str:
        return self.search_description


class BasePage(SocialMetaMixin, Page):
    """Every public page type inherits from this."""

    objects = SitePageManager()

    promote_panels = SocialMetaMixin.promote_panels

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        # Serving checks restrictions on every request with two queries (ancestors, restrictions). A site without
        # any restriction (read once per request, shared with the menus and listings) needs neither.
        if not private_section_paths():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(BasePage):  # noqa: DJ008 (Page provides __str__)
    """The site root: a welcome, the current report and whatever the editors put in the body."""

    standfirst = models.TextField(blank=True)
    body = StreamField(BodyStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("standfirst"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "report.AnnualReportPage",
        "network.NetworkIndexPage",
        "events.EventIndexPage",
        "comms.PodcastIndexPage",
        "donations.DonationPage",
        "stories.StoryIndexPage",
        "advocacy.CampaignIndexPage",
        "advocacy.DossierIndexPage",
        "publications.PublicationIndexPage",
        "publications.CountryIndexPage",
    ]
    max_count = 1

    def route(self, request, path_components):
        """Find the deepest page on the path with one query, not Wagtail's two per level.

        Routable pages answer for the paths below them, so the walk stops at the first one, as Wagtail's would.
        """
        prefixes = [
            self.url_path + "".join(f"{slug}/" for slug in path_components[:depth])
            for depth in range(1, len(path_components) + 1)
        ]
        chain = list(
            site_pages()
            .descendant_of(self)
            .filter(url_path__in=prefixes, locale_id=self.locale_id)
            .order_by("depth")
        )
        one_per_level = list(range(self.depth + 1, self.depth + 1 + len(chain)))
        if not chain or [page.depth for page in chain] != one_per_level:
            return super().route(request, path_components)  # nothing on the path (a 404), or an unusual tree
        for page in chain[:-1]:
            rest = path_components[page.depth - self.depth :]
            if _answers_for(page, rest):  # a RoutablePageMixin page with a route for the rest: let it route
                return page.specific.route(request, rest)
        deepest = chain[-1]
        return deepest.specific.route(request, path_components[deepest.depth - self.depth :])


class RememberedSiteSetting(BaseSiteSetting):
    """A site setting read once until an editor saves one, not on every request that shows it."""

    class Meta:
        abstract = True

    @classmethod
    def for_site(cls, site):
        if site is None:
            return super().for_site(site)
        read = super().for_site
        remembered = memoised_until_edited(f"setting:{cls._meta.label}:{site.pk}", lambda: read(site))
        return copy.copy(remembered)  # Wagtail's for_request sets the request on what it returns


@register_setting(icon="site")
class SiteSettings(RememberedSiteSetting):
    """Organisation identity, social links, the announcement banner and the donation call to action."""

    organisation_name = models.CharField(max_length=200, default="Yearbook")
    tagline = models.CharField(max_length=255, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    facebook_url = models.URLField("Facebook URL", blank=True)
    instagram_url = models.URLField("Instagram URL", blank=True)
    linkedin_url = models.URLField("LinkedIn URL", blank=True)
    x_url = models.URLField("X URL", blank=True)
    youtube_url = models.URLField("YouTube URL", blank=True)
    announcement_text = models.CharField(
        max_length=255, blank=True, help_text="A site-wide banner, e.g. the current campaign headline."
    )
    announcement_link_label = models.CharField(max_length=60, blank=True, default="Read the story")
    announcement_url = models.URLField(blank=True)
    donation_heading = models.CharField(max_length=120, default="Support our work")
    donation_text = RichTextField(blank=True, features=["bold", "italic", "link"])
    donation_url = models.URLField(
        "Donation URL",
        blank=True,
        help_text=(
            "Where the footer's Donate button leads. When blank, it opens the site's donation page; "
            "with no page either, the button is hidden."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("organisation_name"), FieldPanel("tagline"), FieldPanel("logo")], "Identity"
        ),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("x_url"),
                FieldPanel("youtube_url"),
            ],
            "Social links",
        ),
        MultiFieldPanel(
            [
                FieldPanel("announcement_text"),
                FieldPanel("announcement_link_label"),
                FieldPanel("announcement_url"),
            ],
            "Announcement banner",
        ),
        MultiFieldPanel(
            [FieldPanel("donation_heading"), FieldPanel("donation_text"), FieldPanel("donation_url")],
            "Donation call to action",
        ),
    ]

    class Meta:
        verbose_name = "site settings"

    @property
    def social_links(self) -> list[tuple[str, str]]:
        candidates = [
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("LinkedIn", self.linkedin_url),
            ("X", self.x_url),
            ("YouTube", self.youtube_url),
        ]
        return [(name, url) for name, url in candidates if url]
