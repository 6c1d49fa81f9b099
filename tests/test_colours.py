"""WCAG contrast arithmetic, checked against the figures the WCAG documents and the issue give."""

import pytest

from planforge.render.deck.colours import contrast_ratio, legible, most_legible, relative_luminance


def test_black_on_white_is_21_and_a_colour_on_itself_is_1():
    assert contrast_ratio("000000", "FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("1A73E8", "1A73E8") == pytest.approx(1.0)
    assert relative_luminance("FFFFFF") == pytest.approx(1.0)


def test_the_old_tracker_grey_fails_aa_on_white():
    # 8C8C8C on white is 3.36:1 (issue 14), under the 4.5:1 small text needs but over the 3:1 of large text.
    assert contrast_ratio("8C8C8C", "FFFFFF") == pytest.approx(3.36, abs=0.01)
    assert not legible("8C8C8C", "FFFFFF", 10)
    assert legible("8C8C8C", "FFFFFF", 24)
    assert legible("595959", "FFFFFF", 9)


def test_most_legible_picks_the_candidate_that_stands_out():
    assert most_legible(["FFFFFF", "262626"], "DDDDDD") == "262626"
    assert most_legible(["FFFFFF", "262626"], "0B2545") == "FFFFFF"
