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
LOCALISED_PLANS = sorted(plan for prefix in ("fr", "de", "es", "ja", "zh") for plan in PLANS.glob(f"{prefix}-*.yaml"))
"""The corpus plans in a language planforge has labels for: none of their outputs may show an English label."""
CATALOGUES = i18n.catalogues()
NBSP, NNBSP = "\u00a0", "\u202f"


def test_planforge_ships_labels_in_the_languages_the_readme_lists():
    assert CATALOGUES == ["de", "es", "fr", "ja", "zh_Hans"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in CATALOGUES:
        assert f"`{name.replace('_', '-')}`" in readme, name


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


@lru_cache(maxsize=None)
def _catalogue(name: str = "fr"):
    with (i18n.LOCALE_DIR / name / "LC_MESSAGES" / "planforge.po").open("rb") as handle:
        return read_po(handle, locale=name)


@pytest.mark.parametrize("name", CATALOGUES)
def test_each_catalogue_translates_every_label_and_nothing_stale(name):
    marked = _source_messages()
    catalogue = {message.id if isinstance(message.id, str) else message.id[0]: message
                 for message in _catalogue(name) if message.id}
    assert len(marked) > 80
    untranslated = [msgid for msgid in marked
                    if msgid not in catalogue
                    or not all(catalogue[msgid].string if isinstance(catalogue[msgid].string, tuple)
                               else [catalogue[msgid].string])]
    assert not untranslated, f"run `make messages` and translate: {untranslated}"
    assert not set(catalogue) - set(marked), "labels no longer used: run `make messages`"
    # A label with a plural has exactly the forms the language's Plural-Forms header counts.
    forms = {"de": 2, "es": 3, "fr": 3, "ja": 1, "zh_Hans": 1}[name]
    assert _catalogue(name).num_plurals == forms
    for message in _catalogue(name):
        if isinstance(message.id, tuple):
            assert len(message.string) == forms and all(message.string), message.id


@pytest.mark.parametrize("name", CATALOGUES)
def test_placeholders_in_translations_match_the_english(name):
    for message in _catalogue(name):
        if not message.id:
            continue
        english = message.id if isinstance(message.id, str) else message.id[1]
        for translated in (message.string if isinstance(message.string, tuple) else (message.string,)):
            fields = lambda text: sorted(re.findall(r"\{\w+\}|%\(\w+\)s", text))  # noqa: E731
            assert fields(translated) == fields(english), (english, translated)
            assert english.count("**") == translated.count("**")
            # Japanese and Chinese leave italic labels upright (their type has no italics): "担当：{owner}".
            assert english.count("*") == translated.count("*") or (
                name in ("ja", "zh_Hans") and english.replace("**", "").count("*") == 2
                and translated.count("*") == translated.count("**") * 2), (english, translated)


@pytest.mark.parametrize("name", ["ja", "zh_Hans"])
def test_japanese_and_chinese_labels_use_full_width_punctuation_without_spaces(name):
    for message in _catalogue(name):
        for translated in (message.string if isinstance(message.string, tuple) else (message.string,)):
            if not message.id:
                continue
            translated = re.sub(r"%\(\w+\)s", "{}", translated)
            assert ":" not in translated and "(" not in translated, translated
            # No space between CJK characters or next to full-width punctuation (spaces only inside "{weeks} {label}"
            # style placeholders' neighbours and Latin words are the authors').
            assert not re.search(r"[\u3000-\u9fff\uff00-\uffef] | [\u3000-\u9fff\uff00-\uffef]", translated), translated


# ------------------------------------------------------------------ rendering the plans in other languages


def _catalogue_of(plan: Path) -> str:
    return i18n.catalogue_for(load_plan(plan).document.lang)


@lru_cache(maxsize=None)
def _rendered(plan: Path) -> dict[str, object]:
    document = load_plan(plan).document
    with warnings.catch_warnings():
        warnings.simplefilter("error", PlanforgeWarning)  # a plan in a language with labels needs no fallback
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


@lru_cache(maxsize=None)
def english_fragments(name: str = "fr") -> tuple[str, ...]:
    """The English words of every label whose translation differs, cut at its placeholders ("{area}: key
    initiatives" → ": key initiatives"), each with at least one word of three letters."""
    fragments = set()
    for message in _catalogue(name):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue  # the same word in both languages (Phase, Date, Organisation)
            for part in re.split(r"\{\w+\}|%\(\w+\)s|\*+", english):
                part = part.strip(" :")
                if re.search(r"[A-Za-z]{3,}", part) and not any(part in translated for translated in strings):
                    fragments.add(part)
    # A word the language itself uses in a label ("Summary" in German "Management Summary") is no English label.
    translations = [text for message in _catalogue(name) if message.id
                    for text in (message.string if isinstance(message.string, tuple) else (message.string,))]
    return tuple(sorted(f for f in fragments if not any(f in text for text in translations)))


def _english_in(text: str, name: str) -> list[str]:
    return [f for f in english_fragments(name) if re.search(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])", text)]


@pytest.mark.parametrize("plan", LOCALISED_PLANS, ids=lambda p: p.stem)
@pytest.mark.parametrize("output", ["md", "html", "pptx"])
def test_no_english_label_in_any_output(plan, output):
    name = _catalogue_of(plan)
    assert name is not None, plan
    assert {"Executive summary", "key initiatives", "Next steps", "Baseline", "Owner", "Contents", "from"} & set(
        english_fragments(name))
    found = _english_in(_texts(plan)[output], name)
    assert not found, f"English labels in the {name} {output} of {plan.name}: {found}"


@pytest.mark.parametrize("plan", ["fr-ca-strategie-services", "ja-manufacturing-strategy", "zh-retail-90-day"])
def test_the_english_check_finds_english_labels(plan):
    """The check above is not vacuous: the same plan rendered in English is full of English labels."""
    path = PLANS / f"{plan}.yaml"
    document = load_plan(path).document.model_copy(update={"lang": None})
    deck = "\n".join(deck_texts(renderer("pptx").render(document, RenderOptions()), spoken=True))
    html = visible_text(parse_html(renderer("html").render(document, RenderOptions()).decode()))
    markdown = renderer("md").render(document, RenderOptions()).decode()
    for text in (deck, html, markdown):
        assert len(_english_in(text, _catalogue_of(path))) >= 8, text[:200]


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


@pytest.mark.parametrize("tag", ["zh-TW", "zh-Hant", "zh-Hant-HK", "pt-BR"])
def test_a_language_without_a_catalogue_falls_back_to_english_labels_with_one_warning(monkeypatch, tag):
    """Traditional Chinese gets English labels (not the Simplified ones) and the documented warning, values in
    its own format."""
    monkeypatch.setattr(i18n, "_warned", set())
    document = load_plan(STRATEGY).document.model_copy(update={"lang": tag})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        html = renderer("html").render(document, RenderOptions()).decode()
        deck = renderer("pptx").render(document, RenderOptions())
        markdown = renderer("md").render(document, RenderOptions()).decode()
    messages = [str(w.message) for w in caught if issubclass(w.category, PlanforgeWarning)]
    assert len(messages) == 1 and f"no labels in language '{tag}'; they are in English" in messages[0]
    assert "zh-Hans" in messages[0] and "ja" in messages[0]  # what it could have been
    assert "Executive summary" in html and f'<html lang="{tag}">' in html and "执行摘要" not in html
    assert "**Owner:** " in markdown and "：" not in markdown.split("\n## ")[0]  # English typography too
    expected = {"pt-BR": "6 de outubro de 2025"}.get(tag, "2025年10月6日")
    assert expected in html  # values still follow the language
    assert f'lang="{tag}"'.encode() in Presentation(io.BytesIO(deck)).slides[0].part.blob


@pytest.mark.parametrize("tag, catalogue", [
    ("ja", "ja"), ("ja-JP", "ja"), ("zh", "zh_Hans"), ("zh-CN", "zh_Hans"), ("zh-Hans", "zh_Hans"),
    ("zh-Hans-CN", "zh_Hans"), ("zh-SG", "zh_Hans"), ("ZH-cn", "zh_Hans"), ("zh-TW", None), ("zh-HK", None),
    ("zh-Hant", None), ("zh-Hant-TW", None), ("zh-MO", None), ("de-AT", "de"), ("de-CH", "de"), ("es-MX", "es"),
    ("es-419", "es"), ("fr-CA", "fr"), ("en-GB", None), ("ko", None),
])
def test_language_tags_find_their_catalogue(tag, catalogue):
    assert i18n.catalogue_for(tag) == catalogue
    assert i18n.has_catalogue(tag) is (catalogue is not None or tag.lower().startswith("en"))


@pytest.mark.parametrize("tag, label", [
    ("ja", "エグゼクティブサマリー"), ("zh-Hans-CN", "执行摘要"), ("de-DE", "Management Summary"),
    ("es", "Resumen ejecutivo"), ("fr", "Sommaire exécutif"),
])
def test_every_catalogue_gives_its_labels_without_a_warning(tag, label):
    document = load_plan(STRATEGY).document.model_copy(update={"lang": tag})
    with warnings.catch_warnings():
        warnings.simplefilter("error", PlanforgeWarning)
        html = renderer("html").render(document, RenderOptions()).decode()
    assert f"<h2 id=\"executive-summary-title\">{label}</h2>" in html


JAPANESE = PLANS / "ja-manufacturing-strategy.yaml"
CHINESE = PLANS / "zh-retail-90-day.yaml"


@pytest.mark.parametrize("output", ["md", "html", "pptx"])
def test_japanese_and_chinese_dates_in_every_output_and_on_the_cover(output):
    assert "2026年4月1日" in _texts(JAPANESE)[output]
    assert "2026年5月18日" in _texts(CHINESE)[output]
    cover = "\n".join(deck_texts(_rendered(JAPANESE)["pptx"])[:12])
    assert "2026年4月1日" in cover and "2026-04-01" not in cover


def test_japanese_and_chinese_labels_take_a_full_width_colon_with_no_space_after():
    deck = "\n".join(deck_texts(_rendered(JAPANESE)["pptx"]))
    assert "\n対象：取締役会\n" in deck  # the cover's audience line
    assert "\n品質：ビジョンと目標\n" in deck  # a slide's kicker
    assert "\n担当：品質保証部" in deck  # an initiative's owner
    markdown = _rendered(JAPANESE)["md"].decode()
    assert "**担当**：経営企画部" in markdown and "  - 担当：品質保証部" in markdown  # upright: no CJK italics
    assert "**画像検査の自動化**：深層学習" in markdown
    # CommonMark closes the bold before a full-width colon: the page shows 担当 in bold, the colon after it.
    page = markdown_to_html(markdown)
    assert "<strong>担当</strong>：経営企画部" in page and "<em>担当" not in page
    html = _rendered(JAPANESE)["html"].decode()
    assert "担当：品質保証部" in html
    zh = _rendered(CHINESE)["md"].decode()
    assert "**汇报对象**：集团首席执行官" in zh and "**第1–2周**：" in zh
    for text in (markdown, zh, html, deck):
        assert "： " not in text and not re.search(r"[^\x00-\x7f]: ", text), text


def test_a_kpi_line_reads_in_japanese_and_chinese_word_order(tmp_path):
    plan = tmp_path / "q.yaml"
    body = ("kind: strategy\nlang: {lang}\ntitle: 計画\nareas:\n  - name: 品質\n    vision: 不良をなくす。\n"
            "    initiatives:\n      - name: 画像検査\n        description: 自動化する。\n        kpis:\n          - {{metric: 不良率, baseline: 1.8 %, target: 0.9 %, "
            "horizon: 2027年度}}\n          - {{metric: 排出量, target: −30 %, horizon: 2028年度}}\n")
    expected = {"ja": ["不良率：0.9 %（現状1.8 %）、2027年度までに達成", "排出量：−30 %、2028年度までに達成"],
                "zh-CN": ["不良率：0.9 %（基准值1.8 %），2027年度前达成", "排出量：−30 %，2028年度前达成"],
                "de": ["不良率: 0.9 % (Ausgangswert 1.8 %) bis 2027年度"]}
    for lang, sentences in expected.items():
        plan.write_text(body.format(lang=lang), encoding="utf-8")
        deck = "\n".join(deck_texts(renderer("pptx").render(load_plan(plan).document, RenderOptions())))
        deck = deck.replace(NBSP, " ")  # "0.9 %" is held together with a no-break space
        for sentence in sentences:
            assert sentence in deck, (sentence, deck)


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
def test_libreoffice_shows_the_localised_decks_with_no_english_label(tmp_path):
    """The decks as a person sees them (LibreOffice's PDF): labels, dates and numbers in the plan's language."""
    import subprocess

    from deckpdf import SOFFICE, read_pdf

    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    decks = []
    for plan in LOCALISED_PLANS:
        (tmp_path / f"{plan.stem}.pptx").write_bytes(_rendered(plan)["pptx"])
        decks.append(str(tmp_path / f"{plan.stem}.pptx"))
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *decks], check=True, capture_output=True, timeout=240)
    for plan in LOCALISED_PLANS:
        pages = read_pdf(tmp_path / f"{plan.stem}.pdf")
        text = "\n".join(line for page in pages for line in page.lines)
        found = _english_in(text, _catalogue_of(plan))
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


@pytest.mark.parametrize("tag, direction", [("ar", ' dir="rtl"'), ("he-IL", ' dir="rtl"'), ("pa-Arab", ' dir="rtl"'),
                                            ("ku-Latn", ""), ("fr-CA", ""), ("es", "")])
def test_the_page_of_a_right_to_left_language_is_laid_out_right_to_left(tag, direction):
    document = load_plan(ROOT / "tests/fixtures/minimal_strategy.yaml").document.model_copy(update={"lang": tag})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)  # no labels in Arabic, Hebrew, Punjabi or Kurdish
        page = renderer("html").render(document, RenderOptions()).decode()
    assert f'<html lang="{tag}"{direction}>' in page


def test_make_messages_works_on_a_fresh_clone_and_leaves_the_catalogues_as_they_are(tmp_path):
    """`make messages` in a tree with no build/ folder (a fresh clone) extracts and merges without error, and the
    committed catalogues are exactly what it writes (sorted, wrapped, no date churn): nothing to commit after it."""
    import shutil
    import subprocess
    import sys

    bin_dir = Path(sys.executable).parent
    if shutil.which("make") is None or not (bin_dir / "pybabel").exists():
        pytest.skip("make or pybabel is not installed")
    tree = tmp_path / "clone"
    for name in ("src", "templates"):
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("Makefile", "babel.cfg", "pyproject.toml"):
        shutil.copy(ROOT / name, tree / name)
    stamp = bin_dir.parent / ".installed"
    done = subprocess.run(["make", "-o", str(stamp), "messages", f"VENV={bin_dir.parent}", f"STAMP={stamp}"],
                          cwd=tree, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in CATALOGUES:
        path = Path("src/planforge/i18n/locale", name, "LC_MESSAGES", "planforge.po")
        assert (tree / path).read_bytes() == (ROOT / path).read_bytes(), f"{path}: run `make messages` and commit"


@pytest.mark.parametrize("code, label, expected", [
    ("ja", "Audience:", "Audience："),  # a colon composed in code becomes full-width, whatever the label's words
    ("ja", "対象 : 取締役会", "対象：取締役会"),
    ("zh", "来源: https://example.org", "来源：https://example.org"),
    ("ja", "https://example.org", "https://example.org"),
    ("en", "Source: x", "Source: x"),
])
def test_japanese_and_chinese_typography_of_labels(code, label, expected):
    from planforge.i18n.typography import typeset

    assert typeset(label, code) == expected


@pytest.mark.parametrize("code, parts, expected", [
    ("en", ("Rate: **0.9 %**", "from 1.8 %", "by 2027"), "Rate: **0.9 %** from 1.8 % by 2027"),
    ("ja", ("不良率：**0.9 %**", "（現状1.8 %）", "2027年度までに達成"), "不良率：**0.9 %**（現状1.8 %）、2027年度までに達成"),
    ("ja", ("不良率：**0.9 %**", "三年以内"), "不良率：**0.9 %**、三年以内"),
    ("zh", ("转化率：**3.0%**", "2027年前达成"), "转化率：**3.0%**，2027年前达成"),
    ("zh", ("标题", ""), "标题"),
])
def test_phrases_join_as_the_language_does(code, parts, expected):
    from planforge.i18n.typography import join_phrase

    assert join_phrase(parts, code) == expected
