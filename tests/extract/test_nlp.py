"""The shared spaCy pipeline: loaded once, knows our place names, ends sentences at line breaks."""

from __future__ import annotations

from spacy.tokens import Doc

from borderwatch.extract.nlp import PLACES, load_nlp, subtree


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


def test_subtree_lists_what_spacy_yields_in_the_same_order() -> None:
    nlp = load_nlp()
    text = ("A customs officer at the Bavet checkpoint, who asked not to be named, said on Tuesday that the two\n"
            "trucks carrying 900 kg of dried pangolin scales had been stopped before they reached the river crossing.")
    doc = nlp(text)
    for token in doc:
        assert [t.i for t in subtree(token)] == [t.i for t in token.subtree]
    assert [t.i for t in subtree(nlp("The boat was seized.")[0])] == [0]


def test_subtree_follows_heads_that_cross_over_each_other() -> None:
    # a non-projective tree set by hand: "b" hangs on "d" across "c", whose head is "a"
    doc = Doc(load_nlp().vocab, words=["a", "b", "c", "d", "e"], heads=[0, 3, 0, 0, 3], deps=["ROOT", "dep", "dep", "dep", "dep"])
    for token in doc:
        assert [t.i for t in subtree(token)] == [t.i for t in token.subtree]
    other = Doc(load_nlp().vocab, words=["x", "y"], heads=[1, 1], deps=["dep", "ROOT"])
    assert [t.i for t in subtree(other[1])] == [t.i for t in other[1].subtree]
