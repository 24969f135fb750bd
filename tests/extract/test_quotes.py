"""Quotes: passages, speakers resolved to full names, roles, reported speech, and the dev set."""

from __future__ import annotations

import hashlib
import json

import pytest
from spacy.language import Language

from borderwatch.extract.nlp import load_nlp
from borderwatch.extract.quote_passages import find_passages
from borderwatch.extract.quotes import extract_quotes
from borderwatch.lang.identify import identify_language
from borderwatch.model import Document, Quote, Span
from tests.shared_sets import (
    DEV,
    needs_dev,
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def _document(text: str, furniture: tuple[Span, ...] = ()) -> Document:
    return Document(id="t", text=text, content_hash=hashlib.sha1(text.encode()).hexdigest(),
                    source="test", language=identify_language(text), furniture=furniture)


def _quotes(nlp: Language, text: str, furniture: tuple[Span, ...] = ()) -> list[Quote]:
    doc = _document(text, furniture)
    quotes = extract_quotes(doc, nlp(text))
    for quote in quotes:
        for span in quote.evidence:
            assert doc.text[span.start:span.end] == span.text
    return quotes


def _direct(quotes: list[Quote]) -> list[Quote]:
    return [q for q in quotes if q.kind == "direct"]


def test_passages_pair_each_kind_of_mark_and_skip_apostrophes() -> None:
    text = "“One two three four,” she said of Dara’s case. 'Not a pair. \"Five six seven eight\" and «neuf dix onze douze»."
    assert [text[s:e] for s, e in find_passages(text)] == [
        "One two three four,", "Five six seven eight", "neuf dix onze douze"]


def test_said_after_the_quote_names_speaker_and_role(nlp: Language) -> None:
    quotes = _direct(_quotes(nlp, "“We found the drugs hidden under sacks of rice,” said provincial police chief Kim Sokha."))
    assert len(quotes) == 1
    assert quotes[0].speaker == "Kim Sokha"
    assert quotes[0].role == "provincial police chief"
    assert quotes[0].text == "We found the drugs hidden under sacks of rice"
    fields = {s.field: s.text for s in quotes[0].evidence}
    assert fields["speaker"] == "Kim Sokha"


def test_fragments_under_four_words_are_not_quotes(nlp: Language) -> None:
    text = "Governor Pich Sophea promised “zero tolerance” for smugglers and “no mercy here”."
    assert _direct(_quotes(nlp, text)) == []


def test_surname_and_title_map_to_the_full_name(nlp: Language) -> None:
    text = ("Border police chief Chea Dara said the truck was stopped at dawn.\n\n"
            "“The driver ran into the forest before we could stop him,” Dara said.\n\n"
            "Mr. Dara said the owner was known to police. “We will find the owner of this truck soon,” Mr. Dara told reporters.")
    speakers = {q.speaker for q in _direct(_quotes(nlp, text))}
    assert speakers == {"Chea Dara"}


def test_pronoun_and_continuation_paragraph_keep_the_last_speaker(nlp: Language) -> None:
    text = ("Deputy governor Lim Bora spoke at the meeting on Monday.\n\n"
            "“Smugglers cross the river every night in small boats,” he said.\n\n"
            "“We need more boats and more officers on the river.”")
    quotes = _direct(_quotes(nlp, text))
    assert [q.speaker for q in quotes] == ["Lim Bora", "Lim Bora"]
    assert quotes[1].text.startswith("We need more boats")


def test_two_passages_under_one_attribution_are_two_quotes(nlp: Language) -> None:
    text = "“The border is long and hard to watch,” Colonel Sok Vanna said. “Our officers patrol it every single night.”"
    quotes = _direct(_quotes(nlp, text))
    assert [q.text for q in quotes] == ["The border is long and hard to watch",
                                        "Our officers patrol it every single night."]
    assert {q.speaker for q in quotes} == {"Sok Vanna"}


def test_long_fragment_inside_a_sentence_is_a_direct_quote(nlp: Language) -> None:
    text = ("Minister Heng Rith spoke on Friday.\n\n"
            "He said the trade had been “growing faster than anyone expected” in rural areas.")
    quotes = _direct(_quotes(nlp, text))
    assert [(q.speaker, q.text) for q in quotes] == [("Heng Rith", "growing faster than anyone expected")]


def test_a_body_described_later_resolves_to_the_body_named_before(nlp: Language) -> None:
    text = ("Officers found the ivory on Monday, according to Tin Tuc, the official newspaper of the Vietnam Police.\n\n"
            "“The tusks were hidden inside crates of frozen fish,” the police newspaper wrote.")
    quotes = _direct(_quotes(nlp, text))
    assert [q.speaker for q in quotes] == ["Tin Tuc"]


def test_reported_speech_keeps_the_content_clause(nlp: Language) -> None:
    text = "Governor Pich Sophea said that smugglers had used the river crossing for many years."
    reported = [q for q in _quotes(nlp, text) if q.kind == "reported"]
    assert [(q.speaker, q.text) for q in reported] == [
        ("Pich Sophea", "smugglers had used the river crossing for many years")]


def test_quotes_in_page_furniture_are_ignored(nlp: Language) -> None:
    caption = "Photo: “Police stand beside the seized timber logs,” the caption says."
    text = f"{caption}\n\nNothing else happened here."
    furniture = (Span("t", 0, len(caption), caption, "caption"),)
    assert _quotes(nlp, text, furniture) == []


def test_quote_ids_count_in_document_order(nlp: Language) -> None:
    text = "“Alpha bravo charlie delta,” he said. Sok Dara said so. “Echo foxtrot golf hotel,” Sok Dara said."
    quotes = _quotes(nlp, text)
    assert [q.id for q in quotes] == [f"t#q{n}" for n in range(1, len(quotes) + 1)]


def _dev_text(stem: str) -> str:
    txt = DEV / f"{stem}.txt"
    if txt.exists():
        return txt.read_text(encoding="utf-8")
    import trafilatura
    return trafilatura.extract((DEV / f"{stem}.html").read_text(encoding="utf-8"), include_comments=False) or ""


def _gold_direct_found(nlp: Language, stem: str) -> tuple[int, int, int]:
    """(gold direct quotes, found with the right opening, of those with the right speaker)."""
    gold = json.loads((DEV / f"{stem}.json").read_text(encoding="utf-8"))
    text = _dev_text(stem)
    predicted = _direct(_quotes(nlp, text))
    wanted = [q for q in gold["quotes"] if q["kind"] == "direct"]
    found = right = 0
    for g in wanted:
        hit = next((p for p in predicted if p.text.startswith(g["starts_with"])), None)
        if hit is not None:
            found += 1
            right += bool(hit.speaker) and g["speaker"].split()[-1] in (hit.speaker or "").split()
    return len(wanted), found, right


@needs_dev
def test_seed_document_quotes_have_the_right_speakers(nlp: Language) -> None:
    text = (DEV / "s00-seed-laos-drugs.txt").read_text(encoding="utf-8")
    quotes = _quotes(nlp, text)
    direct = _direct(quotes)
    by_start = {q.text[:30]: q.speaker for q in direct}
    assert by_start["When I held an annual meeting w"[:30]] == "Sar Kheng"
    assert by_start["If you look at the real practi"] == "Meas Vyrith"
    assert by_start["We have no specific proof of c"] == "Jeremy Douglas"
    assert not any(q.text in ("really accelerated", "zero tolerance") for q in direct)
    reported = {q.speaker for q in quotes if q.kind == "reported"}
    assert {"Sar Kheng", "Meas Vyrith", "Jeremy Douglas"} <= reported


@pytest.mark.skipif(not DEV.exists(), reason="dev gold set not found at ../shared/eval/dev")
def test_dev_set_direct_quotes_meet_the_floor(nlp: Language) -> None:
    totals = [0, 0, 0]
    predicted = 0
    for gold_file in sorted(DEV.glob("*.json")):
        counts = _gold_direct_found(nlp, gold_file.stem)
        totals = [a + b for a, b in zip(totals, counts)]
        predicted += len(_direct(_quotes(nlp, _dev_text(gold_file.stem))))
    gold, found, right = totals
    recall, precision = found / gold, found / predicted
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.9
    assert right / found >= 0.95


def test_a_name_the_parser_misses_after_an_inverted_said(nlp: Language) -> None:
    text = ("Officials said the stock was old.\n\n"
            "“Drugs harm the future of our youth and the peace of our nation,” said Maj-Gen Tun Lwin Oo.\n")
    quotes = _direct(_quotes(nlp, text))
    assert [(q.speaker, q.text[:10]) for q in quotes] == [("Tun Lwin Oo", "Drugs harm")]


def test_an_unnamed_officer_keeps_what_he_is_in_charge_of(nlp: Language) -> None:
    text = ("“The ketamine was to be sent across the Mekong by boat,” a police officer in charge of the case "
            "told the agency.\n")
    quotes = _direct(_quotes(nlp, text))
    assert [q.speaker for q in quotes] == ["police officer in charge of the case"]


def test_the_official_added_points_back_at_the_last_speaker(nlp: Language) -> None:
    text = ("Lt. Col. Bounthanh Keomany, head of the provincial anti-drug unit, said the boat was empty.\n\n"
            "Two more couriers were caught on the road, the official added.\n\n"
            "“We will keep the checkpoints open at night,” he said.")
    quotes = _quotes(nlp, text)
    assert {q.speaker for q in quotes} == {"Bounthanh Keomany"}


def test_an_unnamed_speaker_keeps_where_he_is_from(nlp: Language) -> None:
    text = ("An officer in Houayxay district, who asked not to be named, said the traders had been warned.\n\n"
            "A resident of the market, who also declined to be named, said the stalls had reopened.\n\n"
            "“Nothing has changed for the sellers here,” the resident said.\n\n"
            "The officer said more patrols were planned.")
    quotes = _quotes(nlp, text)
    assert [(q.kind, q.speaker) for q in quotes] == [
        ("reported", "officer in Houayxay district"), ("reported", "resident of the market"),
        ("direct", "resident of the market"), ("reported", "officer in Houayxay district")]


def test_ranks_before_a_name_are_not_the_name(nlp: Language) -> None:
    text = ("“The drugs were meant for the coast,” said Senior Lieutenant Colonel Tran Van Phuc, head of "
            "the border post.\n\n"
            "“The seizure will not be the last,” said Pol. Col. Somphet Vongsa.")
    assert [q.speaker for q in _direct(_quotes(nlp, text))] == ["Tran Van Phuc", "Somphet Vongsa"]


def test_a_full_name_first_met_as_a_speaker_resolves_later_short_mentions(nlp: Language) -> None:
    text = ("“The warehouse held more than we expected,” Police Major General Wichai Sombat told reporters. "
            "“We are still looking for the financier,” Wichai said.")
    assert [q.speaker for q in _direct(_quotes(nlp, text))] == ["Wichai Sombat", "Wichai Sombat"]


def test_an_organisation_speaks_under_its_whole_name(nlp: Language) -> None:
    text = "“Three trucks were stopped at the bridge,” the Office of the Narcotics Control Board said on Monday."
    assert [q.speaker for q in _direct(_quotes(nlp, text))] == ["Office of the Narcotics Control Board"]


def test_he_after_a_newly_named_subject_is_that_person(nlp: Language) -> None:
    text = ('"Hundreds of addictive substances have been seized recently," Virith said.\n\n'
            "Choub Sok Chamroeun, executive director of the HIV-prevention NGO Khana, welcomed the good results "
            "the authorities had achieved.\n\n"
            '"We should praise the authorities for their crackdown on drugs," he said.\n')
    first, second = _direct(_quotes(nlp, text))
    assert (first.speaker, second.speaker) == ("Virith", "Choub Sok Chamroeun")


def test_he_after_a_name_in_the_speakers_own_attribution_stays_the_speaker(nlp: Language) -> None:
    text = ('"We had stopped a car loaded with fragrant rice when we noticed the rosewood car," said Malai '
            'district police chief Sao Bun.\n\n'
            '"The wood was brought over from Thailand and left there for Cambodian dealers," he said.\n')
    first, second = _direct(_quotes(nlp, text))
    assert (first.speaker, second.speaker) == ("Sao Bun", "Sao Bun")


def test_a_report_speaks_for_the_body_that_released_it(nlp: Language) -> None:
    text = ("A report released by the National Authority for Combating Drugs (NACD) on Sunday said the number "
            "of drug crimes fell in the first half.\n")
    quote, = _quotes(nlp, text)
    assert (quote.speaker, quote.kind) == ("National Authority for Combating Drugs", "reported")


def test_negated_speech_and_counted_people_make_no_claim(nlp: Language) -> None:
    text = ("The police chief did not say how the operation against the gang began last month.\n\n"
            "Two suspects told police that they had been paid 10 million kip for the trip.\n")
    assert _quotes(nlp, text) == []


@pytest.mark.parametrize("rank", ["Pol. Lt. Col.", "Lt. Col.", "Maj. Gen."])
def test_a_dotted_rank_after_a_quote_does_not_end_the_attribution(nlp: Language, rank: str) -> None:
    text = ("Customs chief Keo Ratha praised the team.\n\n"
            f"\"The boats cross after midnight when the water is low,\" {rank} Chan Sopheak told reporters.\n")
    assert [(q.speaker, q.kind) for q in _direct(_quotes(nlp, text))] == [("Chan Sopheak", "direct")]


def test_he_after_a_plural_reported_speaker_is_the_last_single_speaker(nlp: Language) -> None:
    text = ("Colonel Heng Vibol, who led the raid, said the haul was bound for the coast.\n\n"
            "According to Colonel Vibol, the four detained loggers told police they had been paid in cash.\n\n"
            "\"We freed the loggers that evening because they were only hired hands,\" he said.\n")
    assert [q.speaker for q in _direct(_quotes(nlp, text))] == ["Heng Vibol"]


def test_a_name_set_off_by_commas_before_a_final_told_is_the_speaker(nlp: Language) -> None:
    text = ("Soldiers raided a shed on Sunday afternoon and found 12 large drums of the oily chemical, known as "
            "\"safrole oil\" when sold abroad, Keo Rithy, spokesman of the provincial military police, told RFA Khmer.\n\n"
            "\"We are working to find the people who own this shed,\" he said.")
    assert [q.speaker for q in _direct(_quotes(nlp, text))] == ["Keo Rithy"]


def test_the_rank_alone_refers_to_the_officer_named_before(nlp: Language) -> None:
    text = ("Brig Gen Sok Vanna, the provincial police chief, said officers had searched the boat. Police also "
            "seized two phones.\n\n\"We have been tracking this network since January,\" the general said.")
    assert [q.speaker for q in _direct(_quotes(nlp, text))] == ["Sok Vanna"]


def test_many_people_described_are_not_the_one_official_sharing_a_word(nlp: Language) -> None:
    text = ("Sim Vuthy, director of the provincial police, said the house was empty when officers arrived.\n\n"
            "Provincial forces said the haul had been bound for the coast.")
    assert [q.speaker for q in _quotes(nlp, text)] == ["Sim Vuthy", "Provincial forces"]


def test_a_first_name_the_parser_reads_as_a_verb_stays_in_the_name(nlp: Language) -> None:
    text = ("Am Chan Dara, a director at a local rights group, said the raids came too late for the village. "
            '"The smugglers have been crossing here every night for a year," he said.')
    quotes = _direct(_quotes(nlp, text))
    assert [q.speaker for q in quotes] == ["Am Chan Dara"]


def test_a_quote_running_on_over_paragraphs_ends_with_each_paragraph() -> None:
    text = ('Chito said the campaign would go on.\n\n"We have raided more drug sites than in previous years. '
            'Traffickers had difficulty selling.\n\n"Consequently, our officers seized large quantities on site."\n')
    assert [text[s:e] for s, e in find_passages(text)] == [
        "We have raided more drug sites than in previous years. Traffickers had difficulty selling.",
        "Consequently, our officers seized large quantities on site.",
    ]
