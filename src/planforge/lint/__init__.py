"""`planforge lint`: rules that keep plans presentable, each with a stable code, severity and fix hint."""

from planforge.lint.config import LintConfig, find_config
from planforge.lint.engine import Finding, lint_file
from planforge.lint.registry import RULES, Rule
from planforge.lint import rules  # noqa: E402,F401  (importing the rules registers them)

__all__ = ["Finding", "LintConfig", "RULES", "Rule", "find_config", "lint_file"]
