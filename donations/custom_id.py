"""What a gift sends to PayPal as ``custom_id`` and PayPal hands back (captures, sales, the transaction search's
``custom_field``): enough to rebuild the gift's intent when the database lost it, e.g. after a restore from a backup
taken before the gift (docs/backup.md).

``yb1.<public id, 32 hex digits>.<frequency o|m>.<dedication n|h|m>.<page of origin's ID or empty>``, at most 60
characters: letters, digits and dots, inside every pattern PayPal publishes for it (Orders' 127 characters of
``[A-Za-z0-9-_.,]``, Subscriptions' printable ASCII, the search's ``custom_field``). Nothing in it is personal data
PayPal lacks: the donor's name, email and country come back in the search's ``payer_info``; the honoree's name,
the message, the e-card address and the consent to news are never sent (a rebuilt gift has none of them, and a
lost consent reads as "no").

Gifts begun before this format carry the bare public ID; it is still read, but only finds an intent that exists:
another integration on the same PayPal account may use UUIDs too, so a bare one never rebuilds anything.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from donations.models import Dedication, Frequency

VERSION = "yb1"
FREQUENCY_CODES = {Frequency.ONE_OFF: "o", Frequency.MONTHLY: "m"}
DEDICATION_CODES = {Dedication.NONE: "n", Dedication.HONOUR: "h", Dedication.MEMORY: "m"}
PATTERN = re.compile(
    r"^yb1\.(?P<id>[0-9a-f]{32})\.(?P<frequency>[om])\.(?P<dedication>[nhm])\.(?P<page>[0-9]{0,19})$"
)
MAX_LENGTH = 127  # PayPal's limit on custom_id (Orders v2, Subscriptions v1)


@dataclass(frozen=True)
class GiftTag:
    """An intent's public ID and what PayPal does not otherwise know about the gift."""

    public_id: uuid.UUID
    frequency: str = ""  # "" when read from the old bare-UUID form
    dedication: str = ""
    origin_page_id: int | None = None

    @property
    def rebuildable(self) -> bool:
        """Only the versioned form says for certain that the gift is ours and what kind it was."""
        return bool(self.frequency)

    def encode(self) -> str:
        page = "" if self.origin_page_id is None else str(self.origin_page_id)
        value = (
            f"{VERSION}.{self.public_id.hex}.{FREQUENCY_CODES[self.frequency]}."
            f"{DEDICATION_CODES[self.dedication]}.{page}"
        )
        if len(value) > MAX_LENGTH:  # impossible with 19-digit page IDs; kept as the contract's guard
            raise ValueError(f"custom_id would be {len(value)} characters, PayPal takes {MAX_LENGTH}.")
        return value


def gift_tag_for(intent) -> str:
    """The custom_id of an intent's PayPal order or subscription."""
    return GiftTag(
        public_id=intent.public_id,
        frequency=intent.frequency,
        dedication=intent.dedication,
        origin_page_id=intent.origin_page_id,
    ).encode()


def gift_tag_parse(value: str | None) -> GiftTag | None:
    """The tag in a custom_id: the versioned form, or a bare UUID (older gifts); None for anything else."""
    value = (value or "").strip()
    match = PATTERN.match(value)
    if match:
        frequencies = {code: frequency for frequency, code in FREQUENCY_CODES.items()}
        dedications = {code: dedication for dedication, code in DEDICATION_CODES.items()}
        return GiftTag(
            public_id=uuid.UUID(hex=match["id"]),
            frequency=frequencies[match["frequency"]],
            dedication=dedications[match["dedication"]],
            origin_page_id=int(match["page"]) if match["page"] else None,
        )
    try:
        return GiftTag(public_id=uuid.UUID(value))
    except ValueError:
        return None
