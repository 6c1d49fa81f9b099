"""Company templates without LibreOffice: layout roles, explicit choices, colours, keep-out zones, fonts, sizes."""

from __future__ import annotations

import io
import os
import shutil
import warnings
from pathlib import Path

import pytest
from company_template import hostile_template
from pptx import Presentation
from pptx.util import Emu
from ruamel.yaml import YAML
from typer.testing import CliRunner

from planforge.cli import app
from planforge.errors import PlanforgeWarning, TemplateError
from planforge.loading import load_plan
from planforge.model import PlanFile
from planforge.render import RenderOptions
from planforge.render.deck import brand, fontlookup, graphics, keepout, layouts, render, template
from planforge.render.deck.colours import contrast_ratio
from planforge.render.deck.theme import Box

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plans" / "30-60-90-day-plan.yaml"
STRATEGY = ROOT / "plans" / "lrp-brainstorming.yaml"
PT = 12700


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return lambda case: hostile_template(folder / f"{case}.pptx", case) if not (folder / f"{case}.pptx").exists() \
        else folder / f"{case}.pptx"


def deck(path: Path, plan: Path = PLAN, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)
        data = render(load_plan(plan).document, RenderOptions(deck_template=path, **options))
    out = path.with_name(path.stem + "-deck.pptx")
    out.write_bytes(data)
    return Presentation(str(out))


def base(path: Path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)
        return template.company_base(path, **kwargs)


def box(shape) -> Box:
    return Box(shape.left / PT, shape.top / PT, shape.width / PT, shape.height / PT)


# --------------------------------------------------------------------------- layout roles


def test_roles_come_from_the_layout_type_whatever_the_language(hostile):
    chosen = base(hostile("french-names")).layouts
    assert (chosen["content"].name, chosen["cover"].name, chosen["divider"].name) == \
        ("Titre seul", "Diapositive de titre", "En-tête de section")


def test_without_types_roles_come_from_names_in_other_scripts(hostile):
    chosen = base(hostile("japanese-names")).layouts
    assert (chosen["content"].name, chosen["cover"].name, chosen["divider"].name) == \
        ("タイトルのみ", "タイトル スライド", "セクション見出し")


def test_without_types_or_known_names_content_is_the_largest_free_title_layout_never_a_cover_or_closing(tmp_path):
    path = hostile_template(tmp_path / "plain.pptx", "four-three")
    presentation = Presentation(str(path))
    for number, layout in enumerate(presentation.slide_master.slide_layouts):
        layout._element.attrib.pop("type", None)
        layout.name = "Thank you" if layout.name == "Title Only" else f"Layout {number}"
    presentation.save(str(path))
    chosen = base(path).layouts
    content = chosen["content"]
    assert content.name != "Thank you"
    assert layouts.title_placeholder(content).placeholder_format.type == 1  # a plain title, not a cover's centre title
    lines = template.check(path)
    assert any(line.startswith("content: layout") and "largest free body area" in line for line in lines)


def test_a_layout_named_in_the_plan_the_project_or_on_the_command_line_is_used(hostile, tmp_path, monkeypatch):
    french = hostile("french-names")
    chosen = deck(french, layouts_source="--layout", deck_layouts=(("content", "Titre et contenu"),))
    assert {slide.slide_layout.name for slide in list(chosen.slides)[1:3]} == {"Titre et contenu"}
    project = tmp_path / "project"
    (project / "plans").mkdir(parents=True)
    (project / "planforge.toml").write_text('[deck.layouts]\ncontent = "Deux contenus"\n', encoding="utf-8")
    plan = project / "plans" / "plan.yaml"
    shutil.copy(PLAN, plan)
    assert deck(french, plan).slides[1].slide_layout.name == "Deux contenus"
    # The plan's own choice wins over the project's.
    plan.write_text(PLAN.read_text(encoding="utf-8") + '\ndeck:\n  layouts:\n    content: "Titre seul"\n',
                    encoding="utf-8")
    assert deck(french, plan).slides[1].slide_layout.name == "Titre seul"


def test_a_layout_name_that_is_not_in_the_template_lists_the_names_there_are(hostile):
    with pytest.raises(TemplateError) as caught:
        base(hostile("french-names"), layouts={"content": "Title Only"}, layouts_source="--layout")
    problem = caught.value.problems[0]
    assert "--layout" in problem.message and "'Title Only'" in problem.message
    assert "'Titre seul'" in problem.hint


def test_layout_on_the_command_line_reaches_render_and_template_check(hostile, tmp_path):
    runner = CliRunner()
    out = tmp_path / "deck.pptx"
    result = runner.invoke(app, ["render", str(PLAN), "-f", "pptx", "--deck-template", str(hostile("french-names")),
                                 "--layout", "content=Titre et contenu", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert Presentation(str(out)).slides[1].slide_layout.name == "Titre et contenu"
    result = runner.invoke(app, ["template", "check", str(hostile("french-names")), "--layout", "content=Vide"])
    assert "content: layout 'Vide' — named in --layout" in result.output
    result = runner.invoke(app, ["render", str(PLAN), "-f", "pptx", "--layout", "body=x", "-o", str(out)])
    assert result.exit_code == 2 and "ROLE=NAME" in result.output


def test_every_slide_has_a_title_placeholder_even_on_built_in_fallbacks(hostile):
    for slide in deck(hostile("japanese-names"), STRATEGY).slides:
        assert slide.shapes.title is not None and slide.shapes.title.is_placeholder


# --------------------------------------------------------------------------- colours


def _text_colours(presentation):
    from pptx.oxml.ns import qn

    for number, slide in enumerate(presentation.slides):
        for shape in slide.shapes:
            for run in shape._element.iter(qn("a:rPr")):
                fill = run.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}")
                if fill is not None:
                    yield number, shape, fill.get("val")


def test_the_colour_map_is_followed_and_text_stays_legible_when_it_swaps_dark_and_light(hostile):
    path = hostile("swapped-colour-map")
    company = base(path)
    # bg1 is dk1 through the map, but the master paints an explicit light background: text must be dark.
    assert company.theme.palette.text == "000000"
    assert contrast_ratio(company.theme.palette.text, "F2F2F2") >= 4.5
    assert any("body text: FFFFFF has 1.1:1" in note for note in company.notes)


def test_an_accent_near_white_is_replaced_for_bars_and_labels_on_bars_stay_legible(hostile):
    company = base(hostile("pale-accent"))
    palette = company.theme.palette
    assert palette.accent != "DDDDDD" and contrast_ratio(palette.accent, "FFFFFF") >= 3
    assert contrast_ratio(palette.on_accent, palette.accent) >= 4.5
    assert any(note.startswith("accent (bars, bullets): DDDDDD has 1.4:1") for note in company.notes)


def test_a_title_on_a_dark_band_is_written_in_a_colour_that_reads_on_it(hostile):
    presentation = deck(hostile("dark-title-band"))
    run = presentation.slides[1].shapes.title.text_frame.paragraphs[0].runs[0]
    assert str(run.font.color.rgb) == "FFFFFF"
    # …and the master's font, size style and alignment stay its own.
    assert run.font.name is None


def test_a_busy_background_picture_gets_a_plain_panel_behind_the_body(hostile):
    presentation = deck(hostile("photo-background"))
    names = [shape.name for shape in presentation.slides[1].shapes]
    assert "Panel (body)" in names
    assert base(hostile("photo-background")).chrome.panel == "FFFFFF"


def test_scheme_colours_follow_lummod_and_tint_as_powerpoint_draws_them():
    from lxml import etree

    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    scheme = brand.Scheme({"dk1": "000000", "lt1": "FFFFFF", "accent1": "4472C4"}, {"tx1": "dk1", "bg1": "lt1"})
    tint = etree.fromstring(f'<a:schemeClr xmlns:a="{a}" val="tx1"><a:tint val="75000"/></a:schemeClr>')
    assert scheme.resolve(tint)[0] == "898989"
    darker = etree.fromstring(f'<a:schemeClr xmlns:a="{a}" val="bg1"><a:lumMod val="95000"/></a:schemeClr>')
    assert scheme.resolve(darker)[0] == "F2F2F2"


# --------------------------------------------------------------------------- keep-out zones


def test_nothing_planforge_draws_touches_a_logo_in_any_corner(hostile):
    path = hostile("corner-logos")
    logos = [b for _what, b in graphics.obstacles(Presentation(str(path)).slide_masters[0].slide_layouts[5], 960, 540)]
    assert len(logos) == 4
    presentation = deck(path)
    for number, slide in enumerate(list(presentation.slides)[1:], start=2):
        for shape in slide.shapes:
            assert not any(keepout.overlaps(box(shape), logo) for logo in logos), \
                f"slide {number}: {shape.name} at {box(shape)} overlaps a logo"


def test_the_tracker_keeps_clear_of_a_text_box_in_the_top_right_corner(hostile):
    path = hostile("textbox-top-right")
    company = base(path)
    (confidential,) = [b for _what, b in graphics.obstacles(company.layouts["content"], 960, 540)]
    assert confidential.x < 700  # the text is wider than its box, which does not wrap: the box grows to it
    assert not keepout.overlaps(company.theme.place.tracker, confidential)
    assert any("kept clear of sp 'Confidential'" in note for note in company.notes)


def test_largest_free_and_free_spans():
    area = Box(0, 0, 100, 100)
    assert keepout.largest_free(area, []) == area
    assert keepout.largest_free(area, [Box(80, 90, 20, 10)]) == Box(0, 0, 100, 90)
    assert keepout.largest_free(area, [Box(0, 0, 30, 100)]) == Box(30, 0, 70, 100)
    assert keepout.free_spans(Box(0, 0, 100, 10), [Box(20, 0, 10, 10), Box(60, 5, 10, 10)]) == \
        [(0, 20), (30, 60), (70, 100)]


def test_a_full_width_title_placeholder_gets_side_margins_and_the_tracker_stays_on_the_slide(tmp_path):
    path = hostile_template(tmp_path / "wide.pptx", "four-three")
    presentation = Presentation(str(path))
    for layout in presentation.slide_master.slide_layouts:
        for placeholder in layout.placeholders:
            if placeholder.placeholder_format.type == 1:
                placeholder.left, placeholder.width = Emu(0), presentation.slide_width
    presentation.save(str(path))
    place = base(path).theme.place
    assert place.title.x >= 20 and place.title.right <= 700
    assert place.tracker.x >= 0 and place.tracker.right <= 720 and place.tracker.y >= 0
    assert place.body.x >= 20 and place.body.right <= 700


# --------------------------------------------------------------------------- fonts and sizes


def test_a_font_that_is_not_installed_is_measured_wide_and_named_in_one_warning(hostile):
    with pytest.warns(PlanforgeWarning) as record:
        company = template.company_base(hostile("verdana"))
    messages = [str(w.message) for w in record if "Verdana" in str(w.message)]
    assert len(messages) == 1 and "(titles and body)" in messages[0] and "--font-dir" in messages[0]
    assert company.theme.measure_family == fontlookup.STAND_IN


def test_a_font_dir_supplies_a_font_fontconfig_does_not_know(tmp_path, monkeypatch):
    source = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not source.exists():
        pytest.skip("no DejaVu Sans to copy")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(source, fonts / "DejaVuSans.ttf")
    monkeypatch.setattr(fontlookup.shutil, "which", lambda name: None)  # no fontconfig
    fontlookup.find_font.cache_clear()
    assert fontlookup.find_font("DejaVu Sans") is None
    faces = fontlookup.find_font("DejaVu Sans", (fonts,))
    assert faces[(False, False)] == (fonts / "DejaVuSans.ttf", 0)
    found = fontlookup.measuring_family("DejaVu Sans", (fonts,))
    assert found.found and str(fonts) in found.how
    fontlookup.find_font.cache_clear()


def test_the_wide_stand_in_measures_wider_than_the_fonts_substituted_for_missing_ones():
    from planforge.render.deck import measure

    dejavu = fontlookup.find_font("DejaVu Sans")
    if dejavu is None:
        pytest.skip("DejaVu Sans is not installed")
    fontlookup.measuring_family("Surely Not Installed Sans")
    text = "Land the first three customer pilots and a pricing model by week twelve"
    measure.register_family("DejaVu check", dejavu)
    for bold in (False, True):
        with measure.measuring_with(fontlookup.STAND_IN):
            wide = measure.text_width(text, 12, bold=bold)
        with measure.measuring_with("DejaVu check"):
            substitute = measure.text_width(text, 12, bold=bold)
        assert wide >= substitute


def test_type_scales_with_the_slide_height_of_a_1920_by_1080_master(hostile):
    company = base(hostile("keynote-size"))
    assert company.theme.unit == 2.0
    assert company.theme.sizes.body == 36 and company.theme.sizes.tracker == 20
    assert company.theme.place.tracker.h == 32


def test_with_two_masters_every_role_comes_from_the_same_one(hostile):
    chosen = base(hostile("two-masters")).layouts
    masters = {id(layout.slide_master) for layout in chosen.values() if layout is not None}
    assert len(masters) == 1
    assert not any(layout.name.startswith("Dark ") for layout in chosen.values())


def test_the_templates_own_slide_number_placeholder_numbers_the_slides(hostile):
    from pptx.enum.shapes import PP_PLACEHOLDER
    from pptx.oxml.ns import qn

    presentation = deck(hostile("four-three"))
    content = presentation.slides[1]
    (number,) = [ph for ph in content.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER]
    field = number._element.find(f".//{qn('a:fld')}")
    assert field is not None and field.get("type") == "slidenum" and field.find(qn("a:t")).text == "2"
    assert not any(shape.name == "Page number" and not shape.is_placeholder for shape in content.shapes)


def _agenda_sizes(presentation) -> tuple[float, float]:
    """(largest run size in pt, height of the first number circle in pt) on the deck's agenda slide."""
    agenda = next(slide for slide in presentation.slides
                  if any(shape.shape_type == 1 and shape.auto_shape_type == 9 for shape in slide.shapes
                         if shape.shape_type == 1))
    sizes = [run.font.size.pt for shape in agenda.shapes if shape.has_text_frame
             for p in shape.text_frame.paragraphs for run in p.runs
             if run.font.size and not shape.name.startswith(("Tracker", "Page", "Title", "Kicker", "Source"))
             and not shape.is_placeholder]
    circle = next(shape for shape in agenda.shapes if shape.shape_type == 1 and shape.auto_shape_type == 9)
    return max(sizes), circle.height / PT


def test_the_agenda_scales_with_a_1920_by_1080_master(hostile):
    # On a master twice the height, the agenda's circles and type are twice the size, not the 540 pt figures.
    normal = _agenda_sizes(deck(hostile("dark-title-band"), STRATEGY))
    doubled = _agenda_sizes(deck(hostile("keynote-size"), STRATEGY))
    assert doubled[1] == pytest.approx(2 * normal[1], rel=0.01)
    assert doubled[0] >= 1.6 * normal[0]


# --------------------------------------------------------------------------- the built-in divider on any master


MECANON = Path(os.environ.get("PLANFORGE_REAL_TEMPLATES", ROOT.parent / "shared" / "templates-real")) / "mecanon-pt.pptx"


@pytest.mark.parametrize("template_path", [None, MECANON], ids=["built-in", "mecanon-pt"])
def test_the_tracker_on_a_built_in_divider_keeps_off_its_dark_band_and_section_label(template_path):
    if template_path is not None and not template_path.exists():
        pytest.skip("the real templates are not here")
    # Twelve areas: the tracker row is long enough to reach the band; the second area words its divider.
    data = YAML(typ="safe").load(ROOT / "tests" / "plans" / "twelve-area-city-strategy.yaml")
    data["areas"][1]["slides"] = {"divider": {"title": "Clean water from every tap and no overflows into the bay"}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)
        data = render(PlanFile.model_validate(data).root, RenderOptions(deck_template=template_path))
    presentation = Presentation(io.BytesIO(data))
    (divider,) = [s for s in presentation.slides if any(shape.name == "Band" for shape in s.shapes)]
    shapes = {shape.name: box(shape) for shape in divider.shapes}
    trackers = [b for name, b in shapes.items() if name.startswith("Tracker ")]
    assert trackers
    for tracker in trackers:
        assert tracker.x >= shapes["Band"].right
        assert not keepout.overlaps(tracker, shapes["Section"])
    current = [shape for shape in divider.shapes if shape.name.startswith("Tracker ")
               and shape.text_frame.paragraphs[0].runs[0].font.bold]
    assert [shape.text_frame.text for shape in current] == ["Water"]


AWS = MECANON.with_name("aws-meetup.pptx")


def test_a_long_company_title_takes_the_lines_its_placeholder_holds_before_it_is_shortened():
    if not AWS.exists():
        pytest.skip("the real templates are not here")
    plan = ROOT / "tests" / "plans" / "long-titles-retail-90-day.yaml"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = render(load_plan(plan).document, RenderOptions(deck_template=AWS))
    assert not [w for w in caught if "title shortened" in str(w.message)]
    presentation = Presentation(io.BytesIO(data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)
        sizes = template.company_base(AWS).theme.sizes
    document = load_plan(plan).document
    titles = [slide.shapes.title for slide in list(presentation.slides)[1:]]
    assert titles[0].text == document.storyline.executive_summary.title
    for title in titles:
        assert "…" not in title.text
        size = title.text_frame.paragraphs[0].runs[0].font.size.pt
        assert sizes.title_min <= size <= sizes.title


def test_without_a_line_limit_a_title_wraps_to_every_line_its_box_holds():
    from planforge.render.deck.slides.fitting import fit_lines

    text = "Fix the three checkout steps where two thirds of shoppers give up before paying for their order"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)
        assert fit_lines(text, 300, 44, 20, 2, height=110)[1] != text
    size, fitted = fit_lines(text, 300, 44, 20, None, height=110)
    assert fitted == text and size >= 20
