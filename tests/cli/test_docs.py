"""The documentation: the generated pages (docs/rules.md, the coverage table in docs/checks.md) are
current, the README's promises about itself hold, and every relative link in README.md and docs/
leads somewhere."""

import re
import subprocess
import sys
from pathlib import Path

from helpers import ROOT

README = ROOT / "README.md"

# Pages another branch of this round writes: a link to one is checked once the page exists.
PENDING = {"docs/rule-files.md"}


def test_rule_docs_are_current():
    result = subprocess.run([sys.executable, "scripts/generate_docs.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def command(name: str) -> str:
    """The one-line command in the code block right after the README's `<!-- command: NAME -->`."""
    readme = README.read_text(encoding="utf-8")
    marker = f"<!-- command: {name} -->\n"
    assert readme.count(marker) == 1, f"the README needs exactly one {marker.strip()}"
    after = readme.split(marker, 1)[1]
    assert after.startswith("```\n"), f"a code block must follow {marker.strip()}"
    lines = after[len("```\n"):].split("```", 1)[0].strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0].strip()


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text()
    assert command("test") in ci.splitlines()


def test_the_two_commands_for_a_fresh_machine_come_first():
    readme = README.read_text(encoding="utf-8")
    first_section = readme.index("\n## ")
    for name in ("try", "test"):
        assert readme.index(f"<!-- command: {name} -->") < first_section
    assert command("try").endswith("pip install . && runlint check examples/")
    assert "pip install -e '.[test]'" in command("test") and "python -m pytest" in command("test")


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its text as shown (no code marks, emphasis or link
    targets), lower case, punctuation dropped, each space a hyphen."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"[`*]", "", text).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    found, seen = set(), {}
    for line in without_fences(page.read_text(encoding="utf-8")).splitlines():
        if match := re.match(r"#{1,6} (.+?)\s*#*$", line):
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")  # GitHub numbers repeated headings
    return found


def without_fences(text: str) -> str:
    """The text without its fenced code blocks, where a `# ...` line is no heading."""
    return re.sub(r"^ *```.*?^ *```", "", text, flags=re.S | re.M)


def outside_code(text: str) -> str:
    """The text without its fenced code blocks and inline code, where a `](...)` is no link."""
    return re.sub(r"`[^`\n]*`", "", without_fences(text))


def links(page: Path) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", outside_code(page.read_text(encoding="utf-8")))


def pages() -> list[Path]:
    return [README, *sorted((ROOT / "docs").rglob("*.md"))]


def test_every_relative_link_resolves():
    broken = []
    for page in pages():
        for target in links(page):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            where = f"{page.relative_to(ROOT)}: ({target})"
            if not linked.exists():
                if linked.relative_to(ROOT).as_posix() not in PENDING:
                    broken.append(f"{where}: no such file")
                continue
            if anchor and linked.suffix == ".md" and anchor not in anchors(linked):
                broken.append(f"{where}: no heading #{anchor} in {linked.relative_to(ROOT)}")
    assert broken == []


def test_the_link_check_sees_a_broken_link_and_a_broken_anchor(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# A page\n\n## The `--as-of` date\n\n[ok](#the---as-of-date) [gone](#nowhere) "
                    "[file](other.md) `[not a link](nowhere.md)`\n\n```\n[nor this](x.md)\n```\n")
    assert links(page) == ["#the---as-of-date", "#nowhere", "other.md"]
    assert anchors(page) == {"a-page", "the---as-of-date"}


def test_the_front_page_stays_a_front_page():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 400
