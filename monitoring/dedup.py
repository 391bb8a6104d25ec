"""Drop duplicate coverage: the same URL in disguise, or a syndicated copy of the same text.

Canonical URLs remove tracking noise; a 64-bit SimHash over word shingles catches copies whose text differs by a
few words, looked up through four 16-bit bands (pigeonhole: ≤ 3 differing bits leave one band identical).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["Deduplicator", "canonical_url", "hamming", "near_duplicate", "simhash"]

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ref", "ref_src", "igshid", "yclid", "_ga"}
)
DEFAULT_PORTS = {"http": 80, "https": 443}
_WORD = re.compile(r"\w+")


def canonical_url(url: str) -> str:
    """Normalise a URL so that tracking, case, `www.`, default ports and fragments no longer distinguish it."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS
    )
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def simhash(text: str, shingle: int = 3) -> int:
    """64-bit SimHash of `text` over lower-cased word shingles of `shingle` words."""
    words = _WORD.findall(text.lower())
    if len(words) < shingle:
        words = words + [""] * (shingle - len(words))
    blake = hashlib.blake2b
    digests = b"".join(
        blake(" ".join(words[i : i + shingle]).encode(), digest_size=8).digest()
        for i in range(len(words) - shingle + 1)
    )
    total = len(digests) // 8
    fingerprint = 0
    for position in range(8):  # byte histograms per position: counting in C, not per bit in Python
        ones = [0] * 8
        for byte, count in Counter(digests[position::8]).items():
            for bit in range(8):
                if byte >> bit & 1:
                    ones[bit] += count
        for bit in range(8):
            if 2 * ones[bit] > total:
                fingerprint |= 1 << ((7 - position) * 8 + bit)
    return fingerprint


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two fingerprints."""
    return (a ^ b).bit_count()


def near_duplicate(a: str, b: str, max_hamming: int = 3) -> bool:
    """Whether two texts are near-duplicates (SimHash fingerprints within `max_hamming` bits)."""
    return hamming(simhash(a), simhash(b)) <= max_hamming


class HasUrlAndText(Protocol):
    url: str
    text: str


@dataclass
class Deduplicator:
    """Keep the first copy of each item; count items merged by canonical URL and by content fingerprint."""

    max_hamming: int = 3
    kept: int = 0
    merged_by_url: int = 0
    merged_by_content: int = 0
    _urls: set[str] = field(default_factory=set, repr=False)
    _bands: list[dict[int, list[int]]] = field(default_factory=lambda: [{} for _ in range(4)], repr=False)

    @property
    def merged(self) -> int:
        return self.merged_by_url + self.merged_by_content

    def _similar_seen(self, fingerprint: int) -> bool:
        for band, index in enumerate(self._bands):
            for other in index.get(fingerprint >> (16 * band) & 0xFFFF, ()):
                if hamming(fingerprint, other) <= self.max_hamming:
                    return True
        return False

    def add(self, item: HasUrlAndText) -> bool:
        """Record `item`; return True if it is new (keep it), False if it duplicates an earlier one."""
        url = canonical_url(item.url)
        if url in self._urls:
            self.merged_by_url += 1
            return False
        self._urls.add(url)
        fingerprint = simhash(item.text)
        if self._similar_seen(fingerprint):
            self.merged_by_content += 1
            return False
        for band, index in enumerate(self._bands):
            index.setdefault(fingerprint >> (16 * band) & 0xFFFF, []).append(fingerprint)
        self.kept += 1
        return True

    def unique(self, items: Iterable[HasUrlAndText]) -> Iterator[HasUrlAndText]:
        """Yield only the items that are not duplicates of an earlier one."""
        for item in items:
            if self.add(item):
                yield item


class FingerprintIndex:
    """Fingerprints of kept items with their keys (e.g. item ids), looked up through four 16-bit bands."""

    def __init__(self, max_hamming: int = 3) -> None:
        self.max_hamming = max_hamming
        self._bands: list[dict[int, list[tuple[int, object]]]] = [{} for _ in range(4)]

    def add(self, fingerprint: int, key: object) -> None:
        for band, index in enumerate(self._bands):
            index.setdefault(fingerprint >> (16 * band) & 0xFFFF, []).append((fingerprint, key))

    def find(self, fingerprint: int) -> object | None:
        """The key of a kept fingerprint within `max_hamming` bits, or None."""
        for band, index in enumerate(self._bands):
            for other, key in index.get(fingerprint >> (16 * band) & 0xFFFF, ()):
                if hamming(fingerprint, other) <= self.max_hamming:
                    return key
        return None
