"""Which province a seizure happened in, decided by a small trained model over candidates.

The event rules pick one place per haul by a fixed precedence; on reports nobody tuned them on,
the province is one of their most frequent errors (another paragraph's province, the province the
goods came from or went to, the suspects' home). Here every province the report names is a
candidate for each event, plus the rules' own choice and "no province", each described by
language-neutral features (how far from the haul's own sentences it is named, where, after which
cue, how often, whether another haul owns that sentence). A logistic model trained on the gold sets
(``scripts/train_attachment.py``) scores them and the best one wins. Its weights ship as JSON and are
applied with plain arithmetic, so reading reports needs no learning library.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from spacy.tokens import Doc

from borderwatch.errors import ConfigError
from borderwatch.extract.context import Layout, outside_named_province, places_in, province_of, read_layout
from borderwatch.extract.routes import place_role
from borderwatch.geo.gazetteer import Gazetteer, PlaceMention
from borderwatch.model import Document, SeizureEvent, Span

MODEL_PATH = Path(__file__).parent / "models" / "attachment.json"

FEATURES = (
    "none",             # the "no province" candidate
    "rule",             # the rules' own choice
    "same_sentence",    # named in one of the haul's own sentences
    "same_paragraph",   # named in the paragraph of one of them
    "sentence_distance",  # log(1 + sentences between its nearest mention and the haul's sentences)
    "char_distance",    # log(1 + characters between them) / 10
    "before",           # its nearest mention comes before the haul's first sentence
    "dateline",         # the dateline's place lies in it
    "header",           # the headline or another header line names it
    "body_share",       # its share of the body's province mentions
    "first_named",      # the first province the body names
    "kind_admin1",      # the kind of place its nearest mention names
    "kind_district",
    "kind_place",
    "kind_checkpoint",
    "own_province",     # named as a province in one of the haul's own sentences
    "conflict",         # its nearest mention is a finer place whose sentence names another province
    "source_cue",       # its nearest mention is where goods came from
    "destination_cue",  # ... where they went
    "home_cue",         # ... where people are from
    "all_cued",         # every mention of it has one of those cues
    "other_event",      # its nearest mention lies in another haul's own sentence
    "other_rule",       # the rules gave it to another haul of the report
    "country_match",    # it lies in the haul's country
    "background_none",  # "no province" for a haul told as background
    "provinces_none",   # "no province", times log(1 + provinces the report names)
)
_KINDS = ("admin1", "district", "place", "checkpoint")


@dataclass(frozen=True)
class Candidate:
    """One answer to "which province?": a province (or None), the mention nearest the haul, features."""

    admin1: str | None
    country: str | None
    mention: PlaceMention | None
    features: tuple[float, ...]

    @property
    def rule(self) -> bool:
        """Is this the rules' own choice?"""
        return self.features[FEATURES.index("rule")] == 1.0


class Chooser(Protocol):
    """Picks one of an event's candidates (the rules' choice is always the first)."""

    def choose(self, candidates: list[Candidate]) -> int: ...


@dataclass(frozen=True)
class AttachmentModel:
    """A linear scorer over ``FEATURES``: the candidate with the highest score wins, the rules' on a tie."""

    weights: tuple[float, ...]
    bias: float
    enabled: bool = False
    """Did cross-validation show a gain? Only then does the extractor use it unasked."""

    def score(self, candidate: Candidate) -> float:
        """The model's log-odds that the candidate is the haul's province."""
        return self.bias + sum(w * x for w, x in zip(self.weights, candidate.features, strict=True))

    def choose(self, candidates: list[Candidate]) -> int:
        """The best-scoring candidate's index."""
        scores = [self.score(c) for c in candidates]
        return scores.index(max(scores))


def load_model(path: Path = MODEL_PATH) -> AttachmentModel:
    """The shipped weights, checked against the features this code computes."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the attachment model {path}: {exc}") from exc
    if tuple(data.get("features", ())) != FEATURES or len(data.get("weights", ())) != len(FEATURES):
        raise ConfigError(f"the attachment model {path} was trained on other features "
                          f"(retrain it: python scripts/train_attachment.py)")
    return AttachmentModel(tuple(float(w) for w in data["weights"]), float(data["bias"]), bool(data.get("enabled")))


def attach_provinces(doc: Document, parsed: Doc | None, gazetteer: Gazetteer, events: list[SeizureEvent],
                     chooser: Chooser) -> list[SeizureEvent]:
    """Each event with the province the chooser picks among the report's candidates."""
    if not events:
        return events
    layout = read_layout(doc, parsed, gazetteer)
    out = []
    for event, candidates in zip(events, province_candidates(layout, gazetteer, events), strict=True):
        chosen = candidates[chooser.choose(candidates)]
        out.append(event if chosen.rule else _moved(layout, gazetteer, event, chosen))
    return out


def province_candidates(layout: Layout, gazetteer: Gazetteer, events: list[SeizureEvent]) -> list[list[Candidate]]:
    """For each event, the rules' choice first, then every other province the report names, then None."""
    starts = [s.start for s in layout.sentences]

    def index(position: int) -> int:
        return max(0, bisect.bisect_right(starts, position) - 1)

    per_sentence = [places_in(layout.language, gazetteer, s) for s in layout.sentences]
    # a village written against a province it does not lie in is a homonym, no candidate
    body = [(i, m) for i, found in enumerate(per_sentence) for m in found
            if m.place.kind != "country" and province_of(m.place)
            and not outside_named_province(layout.language, layout.doc.text, m, found)]
    header = [PlaceMention(h.start + m.start, h.start + m.end, m.text, m.place)
              for h in layout.header for m in gazetteer.find(h.text)
              if m.place.kind != "country" and province_of(m.place)]
    keys = {_key(m) for _, m in body} | {_key(m) for m in header}
    body_keys = [_key(m) for _, m in body]
    dateline = _key(layout.dateline) if layout.dateline and province_of(layout.dateline.place) else None
    roles = {m.start: place_role(layout, m.start, m.end) for m in [*(m for _, m in body), *header]}
    own = [[s for s in e.evidence if s.field == "sentence"] or list(e.evidence[:1]) for e in events]
    own_index = [{index(s.start) for s in spans} for spans in own]
    rules = [(e.country, e.admin1) if e.admin1 else None for e in events]
    out = []
    for n, event in enumerate(events):
        spans, mine = own[n], own_index[n]
        others = set().union(*(own_index[k] for k in range(len(events)) if k != n)) - mine
        paragraphs = {layout.sentences[i].paragraph for i in mine} if layout.sentences else set()
        first = min((s.start for s in spans), default=0)
        candidates = []
        for key in sorted(keys, key=lambda k: (k != rules[n], k[0] or "", k[1] or "")):
            named = [(i, m) for i, m in body if _key(m) == key] + [(None, m) for m in header if _key(m) == key]
            nearest_index, nearest = min(named, key=lambda item: _distance(item, mine, spans))
            sentences, chars = _distance((nearest_index, nearest), mine, spans)
            values = {
                "rule": float(key == rules[n]),
                "same_sentence": float(any(i in mine for i, _ in named)),
                "same_paragraph": float(any(i is not None and layout.sentences[i].paragraph in paragraphs
                                            for i, _ in named)),
                "sentence_distance": math.log1p(sentences),
                "char_distance": math.log1p(chars) / 10,
                "before": float(nearest.start < first),
                "dateline": float(key == dateline),
                "header": float(any(i is None for i, _ in named)),
                "body_share": body_keys.count(key) / len(body_keys) if body_keys else 0.0,
                "first_named": float(bool(body_keys) and body_keys[0] == key),
                f"kind_{nearest.place.kind}": 1.0,
                "own_province": float(any(i in mine and m.place.kind == "admin1" for i, m in named)),
                "conflict": float(nearest.place.kind != "admin1" and nearest_index is not None and any(
                    i == nearest_index and m.place.kind == "admin1" and _key(m) != key for i, m in body)),
                "source_cue": float(roles[nearest.start] == "from"),
                "destination_cue": float(roles[nearest.start] == "to"),
                "home_cue": float(roles[nearest.start] == "home"),
                "all_cued": float(all(roles[m.start] != "at" for _, m in named)),
                "other_event": float(nearest_index in others),
                "other_rule": float(key in rules[:n] + rules[n + 1:]),
                "country_match": float(key[0] == event.country),
            }
            candidates.append(Candidate(key[1], key[0], nearest, _vector(values)))
        if rules[n] is not None and rules[n] not in keys:  # a province the rules took from an earlier haul
            candidates.insert(0, Candidate(event.admin1, event.country, None,
                                           _vector({"rule": 1.0, "country_match": 1.0})))
        none = _vector({"none": 1.0, "rule": float(rules[n] is None), "background_none": float(event.background),
                        "provinces_none": math.log1p(len(keys))})
        candidates.insert(0 if rules[n] is None else len(candidates), Candidate(None, event.country, None, none))
        out.append(candidates)
    return out


def _distance(item: tuple[int | None, PlaceMention], mine: set[int], spans: list[Span]) -> tuple[int, int]:
    """Sentences and characters between a mention (its sentence index, None in the header) and the haul's
    own sentences; a header line counts as one sentence before the body."""
    index, mention = item
    sentences = min((abs(index - j) for j in mine), default=0) if index is not None else min(mine, default=0) + 1
    chars = min((max(0, s.start - mention.end, mention.start - s.end) for s in spans), default=mention.start)
    return sentences, chars


def _key(mention: PlaceMention) -> tuple[str | None, str | None]:
    return mention.place.country, province_of(mention.place)


def _vector(values: dict[str, float]) -> tuple[float, ...]:
    return tuple(values.get(name, 0.0) for name in FEATURES)


def _moved(layout: Layout, gazetteer: Gazetteer, event: SeizureEvent, chosen: Candidate) -> SeizureEvent:
    """The event placed in another province (or in none): the rules' finer place no longer holds."""
    evidence = tuple(s for s in event.evidence if s.field not in ("admin1", "place"))
    province = gazetteer.province(chosen.country or "", chosen.admin1) if chosen.admin1 else None
    if chosen.mention is not None:
        evidence += (layout.span(chosen.mention.start, chosen.mention.end, "admin1"),)
    return replace(event, admin1=chosen.admin1, country=chosen.country or event.country, place=None,
                   location_precision="province" if chosen.admin1 else ("country" if event.country else None),
                   geonames_id=province.geonames_id if province else None,
                   lat=province.lat if province else None, lon=province.lon if province else None,
                   evidence=evidence)
