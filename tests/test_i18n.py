"""Plans in French: every label from the catalogue, values in French format, the language in every output."""

from __future__ import annotations

import datetime
import io
import re
import warnings
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from pptx import Presentation

from planforge import i18n
from planforge.errors import PlanforgeWarning
from planforge.i18n.formatting import format_date, format_quantity
from planforge.loading import load_plan
from planforge.render import RenderOptions, renderer
from rendertext import deck_texts, markdown_to_html, parse_html, visible_text

ROOT = Path(__file__).parent.parent
PLANS = Path(__file__).parent / "plans"
FRENCH_PLANS = sorted(PLANS.glob("fr-*.yaml"))
CATALOGUE = ROOT / "src/planforge/i18n/locale/fr/LC_MESSAGES/planforge.po"
NBSP, NNBSP = "\u00a0", "\u202f"


def _source_messages() -> dict[str, tuple]:
    """Every label the code and the templates mark (msgid → plural or None), as `make messages` extracts them."""
    from jinja2.ext import babel_extract

    methods = [("src/planforge/**.py", "python"), ("templates/**.j2", babel_extract)]
    options = {"templates/**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}
    found = {}
    for _, _, message, _, _ in extract_from_dir(str(ROOT), methods, options, keywords={
            "_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}):
        found[message if isinstance(message, str) else message[0]] = message
    return found


@lru_cache(maxsize=1)
def _french_catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="fr")


def test_the_french_catalogue_translates_every_label_and_nothing_stale():
    marked = _source_messages()
    catalogue = {message.id if isinstance(message.id, str) else message.id[0]: message
                 for message in _french_catalogue() if message.id}
    assert len(marked) > 80
    untranslated = [msgid for msgid in marked
                    if msgid not in catalogue
                    or not all(catalogue[msgid].string if isinstance(catalogue[msgid].string, tuple)
                               else [catalogue[msgid].string])]
    assert not untranslated, f"run `make messages` and translate: {untranslated}"
    assert not set(catalogue) - set(marked), "labels no longer used: run `make messages`"


def test_placeholders_in_translations_match_the_english():
    for message in _french_catalogue():
        if not message.id:
            continue
        english = message.id if isinstance(message.id, str) else message.id[1]
        for french in (message.string if isinstance(message.string, tuple) else (message.string,)):
            fields = lambda text: sorted(re.findall(r"\{\w+\}|%\(\w+\)s", text))  # noqa: E731
            assert fields(french) == fields(english), (english, french)
            assert english.count("**") == french.count("**") and english.count("*") == french.count("*")


# ------------------------------------------------------------------ rendering the French plans


@lru_cache(maxsize=None)
def _rendered(plan: Path) -> dict[str, object]:
    document = load_plan(plan).document
    with warnings.catch_warnings():
        warnings.simplefilter("error", PlanforgeWarning)  # a French plan needs no fallback
        outputs = {name: renderer(name).render(document, RenderOptions()) for name in ("md", "html", "pptx")}
    return {"document": document, **outputs}


def _texts(plan: Path) -> dict[str, str]:
    """What a reader sees of each output (Markdown and HTML as rendered pages, the deck's text)."""
    out = _rendered(plan)
    markdown = out["md"].decode()
    html = out["html"].decode()
    attributes = " ".join(re.findall(r'(?:data-label|aria-label|title)="([^"]*)"', html))
    return {"md": visible_text(parse_html(markdown_to_html(markdown))) + "\n" + markdown,
            "html": visible_text(parse_html(html)) + "\n" + attributes,
            "pptx": "\n".join(deck_texts(out["pptx"], spoken=True))}


def english_fragments() -> list[str]:
    """The English words of every label whose French differs, cut at its placeholders ("{area}: key initiatives" →
    ": key initiatives"), each with at least one word of three letters."""
    fragments = set()
    for message in _french_catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue  # the same word in both languages (Phase, Date, Organisation)
            for part in re.split(r"\{\w+\}|%\(\w+\)s|\*+", english):
                part = part.strip(" :")
                if re.search(r"[A-Za-z]{3,}", part) and not any(part in french for french in strings):
                    fragments.add(part)
    return sorted(fragments)


@pytest.mark.parametrize("plan", FRENCH_PLANS, ids=lambda p: p.stem)
@pytest.mark.parametrize("output", ["md", "html", "pptx"])
def test_no_english_label_in_any_output(plan, output):
    text = _texts(plan)[output]
    fragments = english_fragments()
    assert {"Executive summary", "key initiatives", "Next steps", "Baseline", "Owner", "Contents", "from"} & set(
        fragments) or fragments
    found = [f for f in fragments if re.search(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])", text)]
    assert not found, f"English labels in the French {output}: {found}"


def test_the_english_check_finds_english_labels():
    """The check above is not vacuous: the same plan rendered in English is full of English labels."""
    document = load_plan(PLANS / "fr-ca-strategie-services.yaml").document.model_copy(update={"lang": None})
    deck = "\n".join(deck_texts(renderer("pptx").render(document, RenderOptions()), spoken=True))
    html = visible_text(parse_html(renderer("html").render(document, RenderOptions()).decode()))
    for text in (deck, html):
        found = [f for f in english_fragments() if re.search(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])", text)]
        assert len(found) >= 8, found


STRATEGY = PLANS / "fr-ca-strategie-services.yaml"
DAY_PLAN = PLANS / "fr-plan-30-60-90.yaml"


@pytest.mark.parametrize("output", ["md", "html", "pptx"])
def test_dates_and_numbers_in_french_format_in_every_output(output):
    text = _texts(STRATEGY)[output]
    assert "6 octobre 2025" in text
    assert "12 janvier 2026" in _texts(DAY_PLAN)[output]
    raw = text if output == "pptx" else _rendered(STRATEGY)[output].decode().replace("\\$", "$")
    # fr-CA groups digits with a no-break space, writes a decimal comma and spaces the percent sign.
    for value in (f"2{NBSP}500{NBSP}000", f"900{NBSP}000", f"41,5{NBSP}%", f"75{NBSP}%", f"15{NBSP}jours",
                  f"12{NBSP}000{NBSP}000{NBSP}$"):
        assert value in raw, value
    assert "2,500,000" not in raw and "41.5" not in raw


@pytest.mark.parametrize("output", ["md", "html", "pptx"])
def test_french_labels_have_no_break_spaces_before_colons(output):
    raw = _texts(STRATEGY)[output] if output == "pptx" else _rendered(STRATEGY)[output].decode()
    label = {"md": f"**Responsable{NBSP}:**", "html": f"Responsable{NBSP}:", "pptx": f"Services en ligne{NBSP}: vision"}
    assert label[output] in raw
    # No generated label leaves an ordinary space before a colon (plan text may: it is the author's).
    plan_text = STRATEGY.read_text(encoding="utf-8")
    for line in raw.splitlines():
        for match in re.finditer(r"\w+ [:;!?]", line):
            assert match.group() in plan_text, (match.group(), line)


def test_the_language_is_written_into_every_output():
    out = _rendered(STRATEGY)
    assert out["md"].decode().startswith("---\nlang: fr-CA\n---\n")
    assert '<html lang="fr-CA">' in out["html"].decode()
    deck = Presentation(io.BytesIO(out["pptx"]))
    assert deck.core_properties.language == "fr-CA"
    langs = set()
    for slide in deck.slides:
        langs |= set(re.findall(rb'<a:(?:rPr|endParaRPr)[^>]* lang="([^"]+)"', slide.part.blob))
    assert langs == {b"fr-CA"}
    # A plain `fr` gives Office its region (proofing needs one), and the page the tag as written.
    day = _rendered(DAY_PLAN)
    assert '<html lang="fr">' in day["html"].decode()
    assert Presentation(io.BytesIO(day["pptx"])).core_properties.language == "fr-FR"
    assert re.search(rb'lang="fr-FR"', Presentation(io.BytesIO(day["pptx"])).slides[1].part.blob)


def test_a_plan_without_lang_keeps_english_outputs_without_a_language_declaration():
    document = load_plan(ROOT / "tests/fixtures/minimal_strategy.yaml").document
    assert document.lang is None
    markdown = renderer("md").render(document, RenderOptions()).decode()
    assert not markdown.startswith("---")
    assert '<html lang="en">' in renderer("html").render(document, RenderOptions()).decode()
    deck = Presentation(io.BytesIO(renderer("pptx").render(document, RenderOptions())))
    assert deck.core_properties.language in ("", None)


def test_the_project_default_language_applies_to_plans_without_lang(tmp_path):
    (tmp_path / "planforge.toml").write_text('lang = "fr-CA"\n', encoding="utf-8")
    plans = tmp_path / "plans"
    plans.mkdir()
    plan = plans / "q.yaml"
    plan.write_text("kind: strategy\ntitle: Plan\ndate: 2025-10-06\nareas:\n  - name: Services\n"
                    "    vision: Servir mieux.\n", encoding="utf-8")
    document = load_plan(plan).document
    assert document.lang == "fr-CA"
    html = renderer("html").render(document, RenderOptions()).decode()
    assert '<html lang="fr-CA">' in html and "Sommaire exécutif" in html and "6 octobre 2025" in html
    # The plan's own lang wins over the project's.
    plan.write_text(plan.read_text(encoding="utf-8") + "lang: en-CA\n", encoding="utf-8")
    assert load_plan(plan).document.lang == "en-CA"


def test_a_project_lang_that_is_not_a_language_tag_is_reported(tmp_path):
    from planforge.project import ConfigError

    (tmp_path / "pyproject.toml").write_text('[tool.planforge]\nlang = "French"\n', encoding="utf-8")
    plan = tmp_path / "q.yaml"
    plan.write_text("kind: strategy\ntitle: Plan\nareas:\n  - name: A\n    vision: B.\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_plan(plan)
    assert "BCP 47" in caught.value.problems[0].message


def test_a_plan_lang_that_is_not_a_language_tag_is_reported_at_its_line(tmp_path):
    plan = tmp_path / "q.yaml"
    plan.write_text("kind: strategy\nlang: French\ntitle: Plan\nareas:\n  - name: A\n    vision: B.\n",
                    encoding="utf-8")
    from planforge.errors import PlanforgeError

    with pytest.raises(PlanforgeError) as caught:
        load_plan(plan)
    assert (caught.value.problems[0].line, caught.value.problems[0].column) == (2, 7)


def test_a_language_without_a_catalogue_falls_back_to_english_labels_with_one_warning(monkeypatch):
    monkeypatch.setattr(i18n, "_warned", set())
    document = load_plan(STRATEGY).document.model_copy(update={"lang": "de-DE"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        html = renderer("html").render(document, RenderOptions()).decode()
        deck = renderer("pptx").render(document, RenderOptions())
    messages = [str(w.message) for w in caught if issubclass(w.category, PlanforgeWarning)]
    assert len(messages) == 1 and "'de-DE'" in messages[0]
    assert "Executive summary" in html and '<html lang="de-DE">' in html
    assert "6. Oktober 2025" in html and "2.500.000" in html  # values still follow the language
    assert b'lang="de-DE"' in Presentation(io.BytesIO(deck)).slides[0].part.blob


def test_the_title_slide_date_comes_from_the_same_function_as_the_page():
    document = load_plan(STRATEGY).document
    with i18n.using(document.lang):
        worded = format_date(document.date)
    assert worded == "6 octobre 2025"
    cover = deck_texts(_rendered(STRATEGY)["pptx"])
    assert any(worded in text for text in cover)
    with i18n.using(None):
        assert format_date(datetime.date(2025, 9, 20)) == "20 September 2025"  # what English plans always said
    with i18n.using("en-US"):
        assert format_date(datetime.date(2025, 9, 20)) == "September 20, 2025"


@pytest.mark.parametrize("tag, value, unit, expected", [
    (None, 2500000, None, "2,500,000"),
    (None, 12, "%", "12%"),
    (None, 12.5, "%", "12.5%"),
    (None, 2500000, "$", "$2,500,000"),
    ("en-CA", 3, "CAD", "$3"),
    ("en-US", 312.4, "USD", "$312.40"),  # an amount with cents shows the currency's digits
    ("en-IN", 38.5, "INR", "₹38.50"),
    ("en-US", 0.005, "$", "$0.005"),  # never rounded away
    ("fr-CA", 12.5, "$", f"12,50{NBSP}$"),
    ("fr", 2500000, None, f"2{NNBSP}500{NNBSP}000"),
    ("fr-CA", 2500000, "$", f"2{NBSP}500{NBSP}000{NBSP}$"),
    ("fr-CA", 0.1, "%", f"0,1{NBSP}%"),
    ("fr-CA", 40, "jours", f"40{NBSP}jours"),
    ("fr-CA", "+15%", None, "+15%"),  # text stays as written
])
def test_kpi_quantities_follow_the_language(tag, value, unit, expected):
    with i18n.using(tag):
        assert format_quantity(value, unit) == expected


def test_no_lint_finding_on_the_french_plans():
    from planforge.lint.engine import lint_file

    findings = [finding for plan in FRENCH_PLANS for finding in lint_file(plan)]
    assert not findings, findings


def test_lint_checks_titles_for_verbs_only_in_languages_it_knows(tmp_path):
    from planforge.lint.engine import lint_file

    plan = tmp_path / "de.yaml"
    title = "Wir verkürzen die Bearbeitungszeit bis 2027 um die Hälfte"
    body = ("kind: 30-60-90\nlang: {lang}\ntitle: Plan\nphases:\n  - name: Tage 1 bis 30\n    start_day: 1\n"
            "    end_day: 30\n    key_objectives:\n      - Lernen\n    slide:\n      title: {title}\n")
    plan.write_text(body.format(lang="de", title=title), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and lint prints no label warning for it
        assert [f for f in lint_file(plan) if f.code == "PF201"] == []
    # The same German title read as English has no English verb: the language is what kept it quiet.
    plan.write_text(body.format(lang="en", title=title), encoding="utf-8")
    assert [f.code for f in lint_file(plan) if f.code == "PF201"] == ["PF201"]


@pytest.mark.slow
def test_libreoffice_shows_the_french_decks_with_no_english_label(tmp_path):
    """The decks as a person sees them (LibreOffice's PDF): French labels, French dates and numbers."""
    import subprocess

    from deckpdf import SOFFICE, read_pdf

    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    decks = []
    for plan in FRENCH_PLANS:
        (tmp_path / f"{plan.stem}.pptx").write_bytes(_rendered(plan)["pptx"])
        decks.append(str(tmp_path / f"{plan.stem}.pptx"))
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *decks], check=True, capture_output=True, timeout=240)
    fragments = english_fragments()
    for plan in FRENCH_PLANS:
        pages = read_pdf(tmp_path / f"{plan.stem}.pdf")
        text = "\n".join(line for page in pages for line in page.lines)
        found = [f for f in fragments if re.search(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])", text)]
        assert not found, f"{plan.name}: {found}"
        assert len(pages) == len(Presentation(io.BytesIO(_rendered(plan)["pptx"])).slides)
    strategy = "\n".join(line for page in read_pdf(tmp_path / f"{STRATEGY.stem}.pdf") for line in page.lines)
    # The summary's title is the plan's own; the agenda and the closing slide's label are planforge's.
    assert "6 octobre 2025" in strategy and "Prochaines étapes" in strategy
    assert re.search(r"2\s500\s000", strategy) and re.search(r"41,5\s%", strategy)


@pytest.mark.parametrize("label, expected", [
    ("Source:", f"Source{NBSP}:"),
    ("Source :", f"Source{NBSP}:"),
    (f"Source{NBSP}:", f"Source{NBSP}:"),  # already spaced: not doubled
    ("Vraiment ?", f"Vraiment{NNBSP}?"),
    ("« Cible »", f"«{NBSP}Cible{NBSP}»"),
    ("https://example.org", "https://example.org"),
])
def test_french_typography_of_labels(label, expected):
    from planforge.i18n.typography import typeset

    assert typeset(label, "fr") == expected
    assert typeset(label, "en") == label
