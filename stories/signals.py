"""What stories announces to the apps built on it, which it must not import (the report keeps PDF copies)."""

from django.dispatch import Signal

# Sent once the transaction commits, when consent_enforce has taken quotes or stories down: every copy made
# outside the live pages (the report's stored PDFs) must be made again without them.
content_taken_down = Signal()
