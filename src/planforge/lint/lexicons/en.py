"""English: section names that label a slide, and which words are verbs (a lexicon of common verbs, inflected)."""

from __future__ import annotations

import re

# Section names that label a slide instead of saying something about it.
TOPICS = {
    "agenda", "appendix", "background", "conclusion", "conclusions", "context", "discussion", "executive summary",
    "expected outcomes", "introduction", "key initiatives", "key takeaways", "kpis", "next steps", "objectives",
    "outcomes", "overview", "pitfalls", "q&a", "questions", "recap", "references", "risks", "roadmap", "status",
    "status update", "summary", "timeline", "update", "vision",
}

# Base forms of verbs common in action titles; inflected forms are derived from these.
VERBS = set("""
accelerate achieve act add address adjust adopt advance align allow anchor apply approve assess automate avoid
balance become begin boost bring build buy capture change clarify close collaborate combine commit complete
connect consolidate continue contribute convert create cut decide decline declare deepen define deliver
demonstrate deploy design develop double drive earn ease eliminate embed empower enable encourage end engage
enhance ensure establish evaluate evolve exceed execute expand expect explore extend fall focus follow formalize
free gain gather get give go grow halve harmonize help hire hold identify implement improve increase
institutionalize integrate introduce invest keep launch lead learn leave leverage lift limit lower maintain make
manage map match maximize measure meet migrate minimize mitigate modernize move need offer open optimize
outperform own partner pay personalize pilot plan position prepare prevent prioritize produce protect prove
provide pursue push raise reach realise realize rebuild receive reduce refine reinforce release remain remove
replace require reshape resolve respond restore retain return reuse review roll run save scale secure see
segment sell serve set share shift ship show simplify solve speed spend stabilise stabilize standardise
standardize start stay stop streamline strengthen support sustain take target test track transform triple
turn unify unlock update upgrade use validate want win work
allocate analyse analyze anticipate appoint arrive attract audit bet break calibrate call carry centralise
centralize challenge check choose claim clean coach codify communicate compete concentrate confirm consider
contain control convince coordinate count cover cross deal decentralise decentralize dedicate defend delay
delegate depend derive differentiate digitise digitize discover distribute double-down dominate drop educate
elevate emerge empower enter equip escalate estimate exit expose face feed fill finalise finalize find fix
forecast form frame fund ground guide handle hand harden head hit host illustrate inform innovate inspire
install keep land lay let link listen live localise localize look lose mature merge mobilise mobilize monetise
monetize motivate narrow negotiate onboard operate orchestrate organise organize outgrow overcome overhaul pass
pause phase pick place play power present price prioritise probe promote propose publish put qualify quantify
rank rationalise rationalize read rebalance recommend recover recruit redesign redirect refocus reform regain
reinvent relaunch rely renew reorganise reorganize repair replatform report reposition rethink retire reveal
revisit reward rise risk scope seek separate settle shape shorten shrink sign signal simplify sit size slow
source split sponsor spread staff stand steer step stop stream structure succeed suggest supply surface switch
tackle teach tell thin tie trade train translate triage trim trust unblock underpin unite upskill verify
wait widen withdraw write
am are be been being can could did do does had has have is may might must shall should was were will would
""".split())

_SUFFIX_VERB = re.compile(r"^[a-z]+(?:ize|ise|ify)(?:s|d|ing)?$")


def is_verb(word: str) -> bool:
    """Tell whether a word looks like a verb form (from a lexicon of common verbs, with inflections)."""
    word = word.lower().strip("'’-")
    if word in VERBS or _SUFFIX_VERB.match(word):
        return True
    stems = []
    if word.endswith("ies"):
        stems.append(word[:-3] + "y")
    if word.endswith("ied"):
        stems.append(word[:-3] + "y")
    for suffix in ("es", "s", "ed", "d", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            stems += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                stems.append(stem[:-1])
    return any(stem in VERBS for stem in stems)
