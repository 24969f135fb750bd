"""Country names, adjectives and demonyms, in English and the region's languages."""

import pytest

from borderwatch.geo.countries import country_code, country_name, find_countries


@pytest.mark.parametrize(("name", "code"), [
    ("Laos", "LA"), ("Lao", "LA"), ("Laotian", "LA"), ("Lao PDR", "LA"), ("Cambodian", "KH"),
    ("Khmer", "KH"), ("Viet Nam", "VN"), ("Vietnamese", "VN"), ("Burma", "MM"), ("Myanmar", "MM"),
    ("Thai", "TH"), ("Nigerian", "NG"), ("Chinese", "CN"), ("France", "FR"), ("ラオス", "LA"),
    ("Campuchia", "KH"), ("กัมพูชา", "KH"), ("Germany", "DE"),
])
def test_country_code(name: str, code: str) -> None:
    assert country_code(name) == code


def test_unknown_names_have_no_code() -> None:
    assert country_code("Golden Triangle") is None
    assert country_code("Africa") is None


def test_find_countries_tells_names_from_adjectives() -> None:
    text = "A Lao citizen and a Vietnamese national smuggled drugs from Laos into Cambodia for Thai buyers."
    found = [(m.text, m.code, m.adjective) for m in find_countries(text)]
    assert found == [("Lao", "LA", True), ("Vietnamese", "VN", True), ("Laos", "LA", False),
                     ("Cambodia", "KH", False), ("Thai", "TH", True)]
    for m in find_countries(text):
        assert text[m.start:m.end] == m.text


def test_lower_case_words_and_shouted_short_forms_are_not_countries() -> None:
    assert find_countries("the lao people and ice cream") == []
    assert [m.code for m in find_countries("ICE seized, say US officials")] == ["US"]


def test_longest_name_wins() -> None:
    (mention,) = find_countries("the Lao People's Democratic Republic")
    assert mention.code == "LA" and mention.text == "Lao People's Democratic Republic"


def test_country_name() -> None:
    assert country_name("KH") == "Cambodia"
    assert country_name("la") == "Laos"
    assert country_name("DE") == "Germany"


def test_a_text_asked_again_gives_the_same_mentions_in_a_list_of_its_own() -> None:
    text = "Two Laotian drivers crossed from Thailand into Cambodia with a Vietnamese guide."
    first = find_countries(text)
    first.append(first[0])
    again = find_countries(text)
    assert [(c.text, c.code, c.adjective) for c in again] == [
        ("Laotian", "LA", True), ("Thailand", "TH", False), ("Cambodia", "KH", False), ("Vietnamese", "VN", True)]
    assert again is not first
