from types import SimpleNamespace

from monitoring.dedup import Deduplicator, canonical_url, hamming, near_duplicate, simhash

ARTICLE = (
    "Child protection groups in Nairobi met on Tuesday to agree a joint plan against online exploitation, "
    "with ECPAT members from twelve countries presenting findings from a two-year study of reporting hotlines "
    "and the response of platforms to takedown requests across the region. Delegates from Uganda, Kenya and "
    "Tanzania described how reports reach the police, how long victims wait for support, and which services "
    "are missing outside the capitals. The study found that fewer than half of the reports led to action "
    "within a month, and that children in rural districts were least likely to be reached. Researchers asked "
    "governments to fund social workers, to train magistrates, and to require platforms to publish response "
    "times. A regional coordinator said the plan would be reviewed next year, once the first hotline data "
    "from the new reporting portal had been analysed by the secretariat and shared with member organisations, "
    "and promised that survivors would be consulted on every recommendation before it was adopted."
)


def test_canonical_url_normalises_scheme_host_port_and_trailing_slash():
    assert canonical_url("HTTPS://WWW.Example.ORG:443/News/Story/") == "https://example.org/News/Story"
    assert canonical_url("http://example.org:8080/a") == "http://example.org:8080/a"


def test_canonical_url_drops_tracking_parameters_and_fragment_and_sorts_the_rest():
    url = "https://example.org/a?utm_source=x&b=2&fbclid=1&a=1&gclid=z&mc_cid=c&mc_eid=e&ref=tw#top"
    assert canonical_url(url) == "https://example.org/a?a=1&b=2"


def test_simhash_is_deterministic_and_64_bit():
    assert simhash(ARTICLE) == simhash(ARTICLE)
    assert 0 < simhash(ARTICLE) < 2**64


def test_syndicated_copy_with_a_changed_word_is_a_near_duplicate():
    copy = ARTICLE.replace("Tuesday", "Wednesday") + " (AFP)"
    assert near_duplicate(ARTICLE, copy)


def test_unrelated_text_is_not_a_near_duplicate():
    other = "The football season opened with a surprising away win as the visiting side scored twice late on."
    assert not near_duplicate(ARTICLE, other)
    assert hamming(simhash(ARTICLE), simhash(other)) > 3


def test_deduplicator_reports_kept_and_merged_counts():
    items = [
        SimpleNamespace(url="https://example.org/a", text=ARTICLE),
        SimpleNamespace(url="https://www.example.org/a/?utm_medium=email", text=ARTICLE),
        SimpleNamespace(url="https://mirror.example.net/b", text=ARTICLE.replace("Tuesday", "Monday")),
        SimpleNamespace(
            url="https://example.org/c", text="A completely different story about rainfall and crops."
        ),
    ]
    dedup = Deduplicator()
    kept = list(dedup.unique(items))
    assert [item.url for item in kept] == ["https://example.org/a", "https://example.org/c"]
    assert (dedup.kept, dedup.merged_by_url, dedup.merged_by_content, dedup.merged) == (2, 1, 1, 2)
