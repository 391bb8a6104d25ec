"""iCalendar (RFC 5545) output for one event or the feed of upcoming events."""

from django.utils import timezone
from icalendar import Calendar, Event


def calendar_for(events, request, *, upcoming_only: bool = False) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Yearbook//Events//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Network events")
    now = timezone.now()
    for page in events:
        if upcoming_only and page.end < now:
            continue
        entry = Event()
        entry.add("uid", f"event-{page.pk}@{request.get_host()}")
        entry.add("dtstamp", page.last_published_at or now)
        entry.add("dtstart", page.start)
        entry.add("dtend", page.end)
        entry.add("summary", page.title)
        if page.summary:
            entry.add("description", page.summary)
        location = ", ".join(
            str(x) for x in (page.venue, page.city, page.country.name if page.country else "") if x
        )
        if location or page.online:
            entry.add("location", location or "Online")
        entry.add("url", request.build_absolute_uri(page.url))
        cal.add_component(entry)
    return cal.to_ical()
