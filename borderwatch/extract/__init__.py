"""Document -> facts: the extraction stage, one entry point over its parts.

The spaCy pipeline and the gazetteer are loaded once per process by ``Extractor`` and
shared by every document; the parts (events, statistics, quotes, flows) each read the
same parsed text, so their evidence spans agree. A document that names no goods and no
seizure (``gate``) is not parsed at all: its Facts are empty and marked ``gated``; with the
``relevance_gate`` setting "off", every document is.
"""

from __future__ import annotations

from pathlib import Path

from borderwatch.config import Settings
from borderwatch.errors import ConfigError, Rejected
from borderwatch.extract.attach import Chooser, attach_provinces, load_model
from borderwatch.extract.events import extract_events
from borderwatch.extract.flows import extract_flows
from borderwatch.extract.gate import load_gate
from borderwatch.extract.nlp import load_nlp
from borderwatch.extract.quotes import extract_quotes
from borderwatch.extract.stats import extract_aggregates
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import language_for
from borderwatch.model import Document, Facts

PROVINCE_MODEL_CHOICES = ("auto", "on", "off")


def _shipped_chooser(setting: str) -> Chooser | None:
    """The shipped attachment model if ``setting`` asks for it ("auto": as its training found)."""
    if setting not in PROVINCE_MODEL_CHOICES:
        raise ConfigError(f"unknown province_model '{setting}' (expected: {', '.join(PROVINCE_MODEL_CHOICES)})")
    if setting == "off":
        return None
    model = load_model()
    return model if setting == "on" or model.enabled else None


class Extractor:
    """Holds the loaded language pipeline and gazetteer; turns one Document into Facts."""

    def __init__(self, settings: Settings, chooser: Chooser | None = None) -> None:
        self.nlp = load_nlp(settings.spacy_model, settings.max_document_chars)
        self.gazetteer = Gazetteer.load()
        self.gate = load_gate() if settings.relevance_gate != "off" else None
        self.chooser = chooser if chooser is not None else _shipped_chooser(settings.province_model)
        """Decides each event's province among the rules' candidates (``attach``); None keeps the rules'."""

    def extract(self, doc: Document) -> Facts:
        """All facts of one document, with the candidates it rejected and why."""
        if self.gate is not None and not self.gate.passes(doc.text):
            return Facts(document=doc, gated=True)
        parser = language_for(doc.language).parser
        if parser and len(doc.text) > self.nlp.max_length:
            raise Rejected("too-large", "extract", doc.source,
                           f"{Path(doc.source).name} has {len(doc.text):,} characters of text, more than the "
                           f"{self.nlp.max_length:,} the language pipeline reads at once (split the report)")
        parsed = self.nlp(doc.text) if parser else None
        events, rejections = extract_events(doc, parsed, self.gazetteer)
        if self.chooser is not None:
            events = attach_provinces(doc, parsed, self.gazetteer, events, self.chooser)
        aggregates = extract_aggregates(doc, parsed, self.gazetteer)
        quotes = extract_quotes(doc, parsed)
        flows = extract_flows(doc, parsed, quotes)
        return Facts(document=doc, events=events, aggregates=aggregates, quotes=quotes,
                     flows=flows, rejections=rejections)
