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
from borderwatch.errors import Rejected
from borderwatch.extract.events import extract_events
from borderwatch.extract.flows import extract_flows
from borderwatch.extract.gate import load_gate
from borderwatch.extract.nlp import load_nlp
from borderwatch.extract.quotes import extract_quotes
from borderwatch.extract.stats import extract_aggregates
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import language_for
from borderwatch.model import Document, Facts


class Extractor:
    """Holds the loaded language pipeline and gazetteer; turns one Document into Facts."""

    def __init__(self, settings: Settings) -> None:
        self.nlp = load_nlp(settings.spacy_model, settings.max_document_chars)
        self.gazetteer = Gazetteer.load()
        self.gate = load_gate() if settings.relevance_gate != "off" else None

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
        aggregates = extract_aggregates(doc, parsed, self.gazetteer)
        quotes = extract_quotes(doc, parsed)
        flows = extract_flows(doc, parsed, quotes)
        return Facts(document=doc, events=events, aggregates=aggregates, quotes=quotes,
                     flows=flows, rejections=rejections)
