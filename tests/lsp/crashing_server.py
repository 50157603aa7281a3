"""`runlint lsp` with one extra check function that always raises, for the crash-containment test."""

import sys

from runlint.check.conditions import FUNCTIONS
from runlint.cli import main


def explodes(value, args, context):
    raise RuntimeError("boom")


FUNCTIONS["explodes"] = explodes
sys.argv = ["runlint", "lsp"]
main()
