"""YAML folds in Chinese and Japanese text: the space a fold inserts between CJK characters goes, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from planforge.loading import load_plan, parse_yaml
from planforge.loading.folds import joins_unspaced
from planforge.loading.yaml_tree import _reference_tree
from planforge.render import RenderOptions, renderer
from rendertext import deck_texts, parse_html, visible_text

PLANS = Path(__file__).parent / "plans"

TEXT = """\
folded: >-
  整える。
  検査の自動化 により、
  Latin line
  next line
  한국어
  문장
plain: 第一行
  第二行（続き）
  Latin 文字
quoted: "引用文
  の続き"
single: '单引号
  文本'
literal: |
  文字
  行
paragraphs: >
  中文

  第二段
latin: >-
  Latin text
  folds with a space
"""

EXPECTED = {
    "folded": "整える。検査の自動化 により、 Latin line next line 한국어 문장",
    "plain": "第一行第二行（続き） Latin 文字",
    "quoted": "引用文の続き",
    "single": "单引号文本",
    "literal": "文字\n行\n",
    "paragraphs": "中文\n第二段\n",
    "latin": "Latin text folds with a space",
}


@pytest.mark.parametrize("read", [parse_yaml, _reference_tree], ids=["fast", "reference"])
def test_only_fold_inserted_spaces_between_cjk_characters_go(read):
    """Spaces typed inside a line stay, as do folds next to Latin text and between Korean lines."""
    assert dict(read(Path("plan.yaml"), TEXT)) == EXPECTED


def test_latin_folds_still_read_by_the_fast_reader_unchanged():
    text = "a: >-\n  Latin\n  text\nb: plain\n  lines\nc: 中文 text\n"
    assert dict(parse_yaml(Path("plan.yaml"), text)) == {"a": "Latin text", "b": "plain lines", "c": "中文 text"}


@pytest.mark.parametrize(("before", "after", "joined"), [
    ("。", "検", True), ("字", "の", True), ("ア", "漢", True), ("）", "第", True), ("ｶ", "ﾅ", True),
    ("字", "A", False), ("1", "字", False), ("한", "국", False), ("字", "한", False), ("a", "b", False),
])
def test_which_characters_join_without_a_space(before, after, joined):
    assert joins_unspaced(before, after) is joined


JAPANESE = PLANS / "ja-manufacturing-strategy.yaml"
JOINED = "特定できる体制を整える。検査工程の自動化により"


@pytest.mark.parametrize("output", ["md", "html", "pptx"])
def test_every_output_shows_the_joined_text(output):
    """The Japanese corpus plan's folded vision reads without the space YAML put between its two lines."""
    document = load_plan(JAPANESE).document
    data = renderer(output).render(document, RenderOptions())
    if output == "pptx":
        text = "\n".join(deck_texts(data, spoken=True))
    elif output == "html":
        text = visible_text(parse_html(data.decode()))
    else:
        text = data.decode()
    assert JOINED in text.replace("\n", "")
    assert "整える。 検査" not in text
