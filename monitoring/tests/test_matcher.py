import random
import re
from array import array

import pytest
import textfold

from monitoring.matcher import (
    _FOLDED_BOUNDARY,
    _NEEDS_CHARACTER_FOLD,
    BYTE_FOLD_TABLE,
    DASHES,
    Match,
    NameMatcher,
    Pattern,
    byte_fold,
    fold_char,
    sentence_around,
)

NAMES = [
    Pattern("ecpat", "ECPAT"),
    Pattern("ecpat", "ECPAT International"),
    Pattern("abel", "Communauté Abel"),
    Pattern("abel-short", "Abel", exclusions=("Abel Tasman",)),
    Pattern("acrides", "ACRIDES"),
    Pattern("dci", "Defence for Children – ECPAT the Netherlands"),
]
# A name outside Latin-1 (Œ) makes a matcher fold every text character by character.
NAMES_BEYOND_LATIN1 = [*NAMES, Pattern("sos", "Œuvre Sœur Açaí")]


@pytest.fixture(scope="module", params=["byte fold", "character fold"])
def matcher(request) -> NameMatcher:
    built = NameMatcher(NAMES if request.param == "byte fold" else NAMES_BEYOND_LATIN1)
    assert built.byte_fold_ready == (request.param == "byte fold")
    return built


def found(matcher: NameMatcher, text: str) -> list[tuple[str, str]]:
    return [(m.key, text[m.start : m.end]) for m in matcher.find(text)]


def test_match_is_case_insensitive(matcher):
    assert found(matcher, "ecpat and Ecpat") == [("ecpat", "ecpat"), ("ecpat", "Ecpat")]


def test_match_ignores_diacritics_in_either_direction(matcher):
    assert found(matcher, "la communaute abel") == [("abel", "communaute abel"), ("abel-short", "abel")]
    assert found(matcher, "ÉCPAT") == [("ecpat", "ÉCPAT")]
    assert found(matcher, "ÀCRIDÈS") == [("acrides", "ÀCRIDÈS")]


def test_match_respects_word_boundaries(matcher):
    assert found(matcher, "ECPATS xECPAT éECPAT ECPATé ECPAT_1 ECPAT2") == []


def test_punctuation_and_hyphens_are_boundaries(matcher):
    text = "(ECPAT), ECPAT-led, «ECPAT» and “ECPAT”."
    assert [hit for _, hit in found(matcher, text)] == ["ECPAT"] * 4


def test_every_overlapping_alias_is_reported(matcher):
    assert found(matcher, "ECPAT International") == [
        ("ecpat", "ECPAT"),
        ("ecpat", "ECPAT International"),
    ]


def test_dash_and_spacing_variants_match_a_multiword_alias(matcher):
    text = "Defence for\u00a0Children — ecpat the\nNetherlands"
    assert ("dci", text) in found(matcher, text)


def test_exclusion_phrase_suppresses_a_known_false_positive(matcher):
    assert found(matcher, "Abel Tasman park") == []
    assert found(matcher, "Abel said, then Abel Tasman") == [("abel-short", "Abel")]


def test_offsets_point_into_the_original_text_after_multibyte_characters(matcher):
    text = "Ça s’est passé à Genève: ÉCPAT a parlé. Puis ACRIDES."
    matches = matcher.find(text)
    assert [text[m.start : m.end] for m in matches] == ["ÉCPAT", "ACRIDES"]
    assert matches[0] == Match("ecpat", "ECPAT", 25, 30)


def test_sentence_around_returns_the_reviewable_sentence(matcher):
    text = "Nothing here. Yesterday ECPAT spoke in Nairobi! Then more."
    (match,) = matcher.find(text)
    assert sentence_around(text, match) == "Yesterday ECPAT spoke in Nairobi!"


def test_empty_pattern_is_rejected():
    with pytest.raises(ValueError, match="empty"):
        NameMatcher([Pattern(1, "  ")])


# --- equivalence with a slow reference implementation -------------------------------------------------------


def reference_find(patterns: list[Pattern], text: str) -> set[tuple[object, str, int, int]]:
    """Python `re` with \\b on NFKD-folded text, mapped back to original character offsets."""
    folded_chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for piece in fold_char(ch):
            folded_chars.append(piece)
            origin.append(index)
    folded = "".join(folded_chars)

    def to_regex(phrase: str) -> str:
        body = ""
        for ch in "".join(fold_char(c) for c in phrase.strip()):
            if ch.isspace():
                body += r"\s" if not body.endswith(r"\s") else ""
            elif ch in DASHES:
                body += "[" + re.escape(DASHES) + "]"
            else:
                body += re.escape(ch)
        return rf"(?=(\b{body}\b))"

    result = set()
    for pattern in patterns:
        spans = set()
        for regex in [to_regex(pattern.text)]:
            for found_ in re.finditer(regex, folded):
                spans.add((origin[found_.start(1)], origin[found_.end(1) - 1] + 1))
        excluded = set()
        for phrase in pattern.exclusions:
            for found_ in re.finditer(to_regex(phrase), folded):
                excluded.add((origin[found_.start(1)], origin[found_.end(1) - 1] + 1))
        for start, end in spans:
            if not any(s <= start and end <= e for s, e in excluded):
                result.add((pattern.key, pattern.text, start, end))
    return result


def generated_text(rng: random.Random, words: int, beyond_latin1: bool) -> str:
    pieces = [
        "ECPAT", "ecpat", "ÉCPAT", "EcPaT", "ECPATS", "xECPAT", "ECPAT-led", "ECPAT’s", "Écpat International",
        "communaute abel", "Communauté Abel", "COMMUNAUTÉ ABEL", "Abel", "Abel Tasman", "Abelard", "abel",
        "ACRIDES", "Acridès", "acridesx", "Defence for Children – ECPAT the Netherlands",
        "defence for children-ecpat the netherlands", "oeuvre", "Œuvre Sœur Açaí", "Œuvre Sœur Acai",
        "Ça", "Genève", "naïve", "über", "the", "and", ",", ".", "(", ")", "\n", "—", "«", "»", "Ωmega", "日本",
        "ª", "µ", "“", "”", "’", "SÆRLIG", "Øst",
    ]  # fmt: skip
    if not beyond_latin1:
        pieces = [piece for piece in pieces if not re.search("[\u0100-\u024f]", piece)]
    out = []
    for _ in range(words):
        out.append(rng.choice(pieces))
        out.append(rng.choice([" ", " ", " ", "", "\u00a0", "-", "_"]))
    return "".join(out)


@pytest.mark.parametrize("seed", range(8))
def test_hyperscan_matches_equal_the_reference_implementation(matcher, seed):
    """Even seeds write only Latin-1 text (the byte fold's own ground), odd ones add Œ, which needs the other fold."""
    text = generated_text(random.Random(seed), 400, beyond_latin1=bool(seed % 2))  # noqa: S311
    names = NAMES if matcher.byte_fold_ready else NAMES_BEYOND_LATIN1
    ours = {(m.key, m.pattern_text, m.start, m.end) for m in matcher.find(text)}
    assert ours == reference_find(names, text)
    assert ours  # the generated text must contain real mentions, or the comparison proves nothing
    if matcher.byte_fold_ready:  # the fast path served exactly the texts it can read
        assert (matcher._scan_byte_folded(text.encode()) is None) == bool(seed % 2)


def test_byte_offsets_from_scan_utf8_agree_with_character_offsets(matcher):
    text = "« Écpat » à Genève, puis la Communauté Abel."
    data = text.encode()
    spans = {(data[s:e].decode(), i) for i, s, e in matcher.scan_utf8(data)}
    assert spans == {(text[m.start : m.end], i) for m, i in zip(matcher.find(text), [0, 2, 3], strict=True)}


def test_text_with_letters_beyond_latin1_falls_back_to_the_character_fold():
    latin1 = NameMatcher(NAMES)
    text = "Łódź: ÉCPAT i Communauté Abel, Şişli."
    assert latin1._scan_byte_folded(text.encode()) is None
    assert found(latin1, text) == [("ecpat", "ÉCPAT"), ("abel", "Communauté Abel"), ("abel-short", "Abel")]


def test_a_second_matcher_for_the_same_names_loads_the_cached_database(tmp_path, monkeypatch):
    import monitoring.matcher as module

    monkeypatch.setattr(module, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(module, "_DATABASES", {})
    first = NameMatcher(NAMES)
    cached = sorted(tmp_path.glob("*.hsdb"))
    assert len(cached) == 1  # the names
    module._DATABASES.clear()  # a new process: only the files are left
    second = NameMatcher(NAMES)
    assert sorted(tmp_path.glob("*.hsdb")) == cached
    text = "ÉCPAT and the Communauté Abel met Abel Tasman."
    assert second.find(text) == first.find(text) != []


# --- the byte fold's offsets, boundaries and fast paths ----------------------------------------------------------


def byte_offset_hits(matcher: NameMatcher, text: str) -> set[tuple[object, str, int, int]]:
    """scan_utf8's hits on the UTF-8 text, as (key, pattern text, character start, character end)."""
    data = text.encode()
    entries = matcher._entries
    return {
        (entries[i].key, entries[i].text, len(data[:s].decode()), len(data[:e].decode()))
        for i, s, e in matcher.scan_utf8(data)
    }


@pytest.mark.parametrize(
    "text",
    [
        "é" * 5000 + " ÉCPAT " + "àç" * 3000 + " Communauté Abel ÿÿ ACRIDÈS",  # thousands of bytes deleted
        "ÉCPAT at the start, ECPAT at the end: ÉCPAT",
        "ÉCPAT",
        "Abel",
        "«ECPAT» l’ECPAT ECPAT’s (ÉCPAT) ECPAT× ECPAT÷ ¿ECPAT? —ECPAT— ECPAT\u00a0International é ECPAT é",
        "ΩECPAT ECPATΩ ECPATß ßECPAT ECPATé éECPAT ÆECPAT ECPATø ªECPAT ECPATµ",  # letters: no boundary
        "Ça: ÉCPAT International, ECPAT International et Écpat Internationale; éé Communauté Abel Tasman éé",
        "Defence for Children – ÉCPAT the Netherlands é Defence for Children-ecpat the Netherlands",
    ],
)
def test_byte_fold_offsets_equal_the_reference_next_to_accents_and_other_scripts(text):
    matcher = NameMatcher(NAMES)
    assert byte_offset_hits(matcher, text) == reference_find(NAMES, text)


def test_text_without_latin1_letters_is_folded_without_deleting_bytes():
    matcher = NameMatcher(NAMES)
    for text in ["ECPAT and the Communaute Abel", "“ECPAT” — l’ECPAT, «ECPAT» Ωmega ECPATΩ ACRIDES"]:
        assert b"\xc3" not in text.encode()
        assert byte_offset_hits(matcher, text) == reference_find(NAMES, text) != set()


@pytest.mark.parametrize("seed", range(6))
def test_byte_fold_offsets_equal_the_reference_on_dense_accents(seed):
    """Names at both ends and every few words, between runs of accented letters, other scripts and punctuation."""
    rng = random.Random(seed)  # noqa: S311
    filler = ["été", "ÇÀ", "naïve", "Øst", "ß", "«", "»", "’", "—", "Ωmega", "×", "the", ",", "\u00a0", "ÿ"]
    names = ["ECPAT", "Écpat", "ÉCPAT", "Communauté Abel", "COMMUNAUTE ABEL", "Abel Tasman", "AcrIdès"]
    words = [rng.choice(names)]
    for _ in range(300):
        words.append(rng.choice(filler) if rng.random() < 0.7 else rng.choice(names))
    words.append(rng.choice(names))
    separators = [" ", " ", "", "-", "\u00a0", "é"]
    text = "".join(word + rng.choice(separators) for word in words).rstrip("é -\u00a0")
    matcher = NameMatcher(NAMES)
    assert byte_offset_hits(matcher, text) == reference_find(NAMES, text)
    assert len(byte_offset_hits(matcher, text)) > 20


def random_text(rng: random.Random, length: int) -> str:
    """Text mixing ASCII, Latin-1, Latin Extended, typographic spaces, ligatures and other scripts."""
    alphabet = "aZ _-.,'’«»éÉçÇàÀÿßæØøµ×÷ªºąłżŐțấẞﬁＡ\u00a0\u2009\u2002ΩЖ日\U0001f600\t\n"
    return "".join(rng.choice(alphabet) for _ in range(length))


@pytest.mark.parametrize("seed", range(20))
def test_c_fold_equals_the_python_fold_and_refuses_exactly_what_needs_the_character_fold(seed):
    rng = random.Random(seed)  # noqa: S311
    texts = [random_text(rng, rng.randrange(0, 12)).encode() for _ in range(200)]
    noise = [bytes(rng.randrange(256) for _ in range(rng.randrange(0, 12))) for _ in range(200)]  # not UTF-8
    for data in texts + noise:
        expected = byte_fold(data)
        folded = textfold.fold(data, BYTE_FOLD_TABLE)
        if re.search(_NEEDS_CHARACTER_FOLD, expected):
            assert folded is None, data
        else:
            assert folded is not None and folded[0] == expected, data


def test_c_fold_records_where_it_deleted_lead_bytes_and_unfold_maps_offsets_back():
    data = "Écpat à Été".encode()  # É (C3 89), à, É, é: four lead bytes
    folded, deletions = textfold.fold(data, BYTE_FOLD_TABLE)
    assert folded == byte_fold(data)
    assert memoryview(deletions).cast("I").tolist() == [0, 6, 8, 10]
    # "Écpat" is folded 0..5 and was 0..6; "Été" is folded 8..11 and was 10..15.
    assert textfold.unfold(deletions, [("a", 0, 5), ("b", 8, 11)]) == [("a", 0, 6), ("b", 10, 15)]
    assert data[10:15].decode() == "Été"


def test_quick_hits_settles_plain_names_between_boundaries_and_leaves_the_rest():
    lengths = array("I", [5, 0, 5]).tobytes()  # "ecpat" (quick), a pattern that never is, "ab cd" (spelled)
    plains = [None, None, b"ab cd"]
    folded = b"ecpat, xecpat ab cd ab-cd"
    found = [(5, 0), (13, 0), (5, 1), (19, 2), (25, 2)]
    hits, rest = textfold.quick_hits(folded, found, lengths, plains, _FOLDED_BOUNDARY)
    assert hits == [(0, 0, 5), (2, 14, 19)]
    assert rest == [(13, 0), (5, 1), (25, 2)]  # after a word byte, no quick length, another spelling


def test_c_fold_rejects_a_table_of_the_wrong_size_and_malformed_hits():
    with pytest.raises(ValueError, match="256 bytes"):
        textfold.fold(b"abc", b"short")
    with pytest.raises(TypeError, match="ident, start, end"):
        textfold.unfold(b"", [(1, 2)])
    with pytest.raises(IndexError, match="outside the patterns"):
        textfold.quick_hits(b"ecpat", [(5, 3)], array("I", [5]).tobytes(), [None], _FOLDED_BOUNDARY)
