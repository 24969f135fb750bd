"""The shared spaCy pipeline: loaded once, knows our place names, ends sentences at line breaks."""

from __future__ import annotations

from borderwatch.extract.nlp import PLACES, load_nlp


def test_pipeline_is_cached_and_has_the_place_matcher() -> None:
    nlp = load_nlp()
    assert load_nlp() is nlp
    assert nlp.pipe_names.index(PLACES) < nlp.pipe_names.index("ner")


def test_places_are_entities_longest_first_and_a_bare_needs_noun_name_is_not() -> None:
    nlp = load_nlp()
    text = "Officers at Cau Treo border gate handed the case to Nghe An police. Chin State met Chin traders."
    doc = nlp.get_pipe(PLACES)(nlp.make_doc(text))
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Cau Treo border gate", "LOC"), ("Nghe An", "GPE"), ("Chin State", "GPE")]


def test_multiword_province_is_one_place_entity() -> None:
    doc = load_nlp()("Police in Stung Treng province detained a Lao man.")
    assert ("Stung Treng", "GPE") in {(e.text, e.label_) for e in doc.ents} or any(
        e.text.startswith("Stung Treng") for e in doc.ents)


def test_a_line_break_ends_a_sentence() -> None:
    text = "Meth haul seized at border\nPhnom Penh Post | 3 May 2024\nPolice seized 5 kg of heroin."
    sentences = [s.text.strip() for s in load_nlp()(text).sents]
    assert sentences[0] == "Meth haul seized at border"
    assert sentences[-1] == "Police seized 5 kg of heroin."
    assert not any("\n" in s for s in sentences)
