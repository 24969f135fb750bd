"""Reports written for these tests: one invented seizure told by two outlets (often in two languages)
that disagree the way the region's press does (3.3 t vs 3,1 t, 24 vs 25 April, a month vs a day, a
total vs its parts, tablets counted vs weighed, "nearly 8.5 million" vs 8,460,000, an undated page),
and near misses that must stay apart (same province and substance, another week and amount)."""

from pathlib import Path

from borderwatch.config import Settings
from borderwatch.extract import Extractor
from borderwatch.model import Facts
from borderwatch.pipeline import extract_file
from borderwatch.resolve import resolve_incidents

PAIRS = Path(__file__).parent / "fixtures" / "incident-pairs"


def test_two_reports_of_one_seizure_are_one_incident_and_near_misses_stay_apart() -> None:
    settings = Settings()
    extractor = Extractor(settings)
    facts = [f for path in sorted(PAIRS.glob("*.txt")) for f in extract_file(path, settings, extractor)
             if isinstance(f, Facts)]
    assert len(facts) == 15
    docs, _ = resolve_incidents(facts)
    incident = {}
    for f in docs:
        assert len(f.events) == 1, (f.document.id, f.events)
        incident[f.document.id] = f.events[0].incident
    groups: dict[str, set[str]] = {}
    for doc_id, inc in incident.items():
        groups.setdefault(str(inc), set()).add(doc_id.rsplit("-", 1)[0])
    found = sorted(sorted(g) for g in groups.values())
    expected = sorted([[stem] for stem in ("n1-quangtri-ice", "n2-bokeo-yaba", "n3-chiangrai-yaba")] + [
        ["p1-quangtri-ice"], ["p2-bokeo-yaba"], ["p3-laichau-heroin"], ["p4-chiangrai-yaba"],
        ["p5-luangnamtha-yaba"], ["p6-nakhonphanom-yaba"]])
    assert found == expected
    assert len(groups) == 9  # six pairs joined, three near misses alone
