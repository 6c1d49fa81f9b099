"""Generated 30-60-90 plans whose roadmaps are hard to lay out, by name: one block of one week, twenty blocks,
26 weeks, one-week blocks with long names, overlapping blocks, unequal phases, six phases, Japanese labels."""

from __future__ import annotations


def _phases(*spans: tuple[int, int], names: list[str] | None = None, themes: list[str] | None = None) -> list[dict]:
    return [{"name": (names[i] if names else f"Days {first}–{last}"), "start_day": first, "end_day": last,
             **({"theme": themes[i]} if themes else {}), "key_objectives": [f"Objective {i + 1}"]}
            for i, (first, last) in enumerate(spans)]


def _blocks(*spans: tuple[int, int], names: list[str] | None = None) -> list[dict]:
    return [{"title": names[i] if names else f"Block {i + 1}",
             "weeks": [{"week": week, "key_actions": [f"Action in week {week}"]} for week in range(first, last + 1)]}
            for i, (first, last) in enumerate(spans)]


def _plan(title: str, phases: list[dict], blocks: list[dict], **more) -> dict:
    return {"kind": "30-60-90", "title": title, "phases": phases, "week_blocks": blocks, **more}


THREE = _phases((1, 30), (31, 60), (61, 90), themes=["Listen and learn", "Build the plan", "Deliver early wins"])

LONG_NAMES = [
    "Meet every regional operations lead and agree on how incidents are escalated between sites",
    "Arbeitssicherheitsunterweisungsprotokollierung für alle Schichten",
    "Map the customer onboarding journey from first call to first invoice with the sales team",
    "Review the vendor contracts that renew this year and list the ones worth renegotiating",
    "Shadow the support desk for a full week of night shifts",
    "Draft the operating model and the decision rights for the platform teams",
    "Run the first quarterly business review with the finance partners",
    "Present the ninety-day results and the plan for the next two quarters to the board",
]

CASES: dict[str, dict] = {
    "one-block-one-week": _plan("One block of one week", THREE, _blocks((1, 1), names=["Kick-off"])),
    "two-blocks": _plan("Two blocks", THREE, _blocks((1, 3), (4, 8), names=["Listening tour", "Quick wins"])),
    "twenty-blocks": _plan(
        "Twenty blocks", _phases((1, 45), (46, 90), (91, 140)),
        _blocks(*((w, w) for w in range(1, 21)),
                names=[f"Workstream {w}: review and hand over" for w in range(1, 21)])),
    "twenty-six-weeks": _plan(
        "Twenty-six weeks", _phases((1, 30), (31, 90), (91, 182), themes=["Learn", "Plan", "Scale the new model"]),
        _blocks(*((w, w + 1) for w in range(1, 27, 2)))),
    "one-week-long-names": _plan("Long names", THREE, _blocks(*((w, w) for w in range(1, 9)), names=LONG_NAMES)),
    "overlapping": _plan("Overlapping blocks", THREE, _blocks((1, 6), (3, 4), (2, 9), (8, 8), (5, 12), (12, 12),
                                                              names=["Hiring", "Audit", "Migration", "Offsite",
                                                                     "Rollout", "Review"])),
    "unequal-phases": _plan(
        "Unequal phases", _phases((1, 5), (6, 80), (81, 90),
                                  names=["Induction week for the whole leadership team", "Days 6–80", "Close"],
                                  themes=["Badges, laptops and a first tour of every site", "The main work",
                                          "Hand over to the steady-state organisation"]),
        _blocks((1, 1), (2, 11), (12, 13), names=["Induction", "Main programme", "Close-out"])),
    "six-phases": _plan(
        "Six phases", _phases(*((15 * i + 1, 15 * i + 15) for i in range(6)),
                              themes=[f"Theme of phase {i + 1} in several words" for i in range(6)]),
        _blocks((1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 13))),
    "japanese": _plan(
        "日本語のロードマップ",
        _phases((1, 30), (31, 60), (61, 90), names=["最初の30日", "31〜60日", "61〜90日"],
                themes=["現場を知る", "改善計画を立てる", "成果を定着させる"]),
        _blocks((1, 1), (2, 5), (6, 6), (7, 12),
                names=["全工場の安全パトロールと品質データの棚卸しを行う", "品質改善チームの立ち上げ",
                       "経営会議で中間報告と次の四半期の投資計画を説明する", "改善施策の展開"]),
        lang="ja"),
}

ON_LARGE_MASTERS = ("one-week-long-names", "overlapping", "twenty-six-weeks")
"""Cases rendered on other masters too: 1920 × 1080 ones (the real keynote-derived one, a generated one), and 4:3."""
