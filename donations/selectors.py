"""Read-side lookups of the donations app."""

from core.request_memo import memoised_until_edited


def live_donation_page():
    """The site's public donation page (or None), looked up once until pages change, not by every block and footer."""
    from donations.models import DonationPage

    return memoised_until_edited(
        "live_donation_page", lambda: DonationPage.objects.live().public().defer_streamfields().first()
    )
