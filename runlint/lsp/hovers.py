"""What a hover says about a finding and about a model id, in Markdown a person reads at a glance.

A finding: its message (with code, name and severity), one paragraph of why (the first paragraph of
the rule's explanation, without the parentheses that only cite a source, cut at a sentence when it
runs long), what to do (the quick fix, or the explanation's own advice: its sentences that start
with a verb such as "Remove"), then the rule's page. The rest of the explanation is on that page
and in `runlint rule RLnnn`.

A model id: its lifecycle first when it has one, its ids, then one table of the family's facts by
group (facts of a group with the same value and source share a row), each source once as a
numbered note under it.
"""

from __future__ import annotations

import re

# The rules' pages: docs/rules.md in the project's repository (the URL the pre-commit snippet of
# docs/ci-and-pre-commit.md and the extension's package.json give), one anchor a rule; the diagnostics' codeDescription
# links there too.
DOCS = "https://github.com/runlint/runlint/blob/main/docs/rules.md#"
MODELS_DOCS = "https://github.com/runlint/runlint/blob/main/docs/models-and-lifecycle.md#the-model-table"
WHY_LENGTH = 600  # characters: about eight lines of a hover; past it the paragraph is cut at a sentence

# -- a finding ----------------------------------------------------------------------------------------
# A parenthesis that only says where something comes from: an issue (`owner/repo#123`), an address,
# or a short name of a document ("(the Structured Outputs guide)", "(its deprecations page, ...)");
# and one about the rule file's examples ("(The example runs with a limit of 2, ...)").
_SOURCE = re.compile(r"[\w.-]+/[\w.-]+#\d+|https?://")
_DOCUMENT = re.compile(r"^(?:the |its |OpenAI's |official |see )?[^;:]{0,40}?"
                       r"(?:guide|page|description|specification|reference)\b[^;:]{0,30}$", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
# A sentence ends at . ! or ? (a closing quote or parenthesis may follow), before a capital or `runlint`;
# not after "e.g." or "i.e.".
_SENTENCE_END = re.compile(r"(?<!e\.g\.)(?<!i\.e\.)(?:(?<=[.!?])|(?<=[.!?][\"”)]))\s+(?=[A-Z(\"]|runlint\b)")
# The verbs the explanations' advice starts with ("Remove it.", "Keep one and remove the other.").
_ADVICE = re.compile(r"^(?:Add|Choose|Copy|Delete|Drop|Give|Keep|Leave|Look|Lower|Move|Pass|Pick|Put|Quote|"
                     r"Remove|Rename|Replace|Save|Say|Set|Split|Use|Write)\b")


def without_sources(text: str) -> str:
    """`text` less its parentheses that are only a source (code spans are left alone)."""
    def keep(match: re.Match) -> str:
        inside = match.group(1)
        if "`" in inside:
            return match.group(0)
        if _SOURCE.search(inside) or _DOCUMENT.match(inside.strip()) or inside.startswith("The example"):
            return ""
        return match.group(0)
    return _PARENTHESIS.sub(keep, text)


def sentences(paragraph: str) -> list[str]:
    """The paragraph's sentences; a quote or a code span may hold full stops of its own."""
    paragraph = paragraph.strip()
    found, start = [], 0
    for end in _SENTENCE_END.finditer(paragraph):
        before = paragraph[:end.start()]
        if before.count("`") % 2 or before.count('"') % 2:
            continue
        found.append(paragraph[start:end.start()])
        start = end.end()
    return [s for s in [*found, paragraph[start:]] if s]


def _paragraphs(explanation: str) -> list[str]:
    """The explanation's paragraphs, each on one line; a list's lines end the paragraph before it."""
    found = []
    for block in explanation.strip().split("\n\n"):
        lines = []
        for line in block.split("\n"):
            if line.lstrip().startswith("- ") and lines:
                break
            lines.append(line.strip())
        found.append(" ".join(lines))
    return found


def why(explanation: str) -> str:
    """The explanation's first paragraph without its sources and its advice, at most about
    WHY_LENGTH characters (whole sentences, then "…")."""
    said = [s for s in sentences(without_sources(_paragraphs(explanation)[0])) if not _ADVICE.match(s)]
    kept: list[str] = []
    for sentence in said:
        if kept and sum(len(s) + 1 for s in kept) + len(sentence) > WHY_LENGTH:
            return " ".join(kept) + " …"
        kept.append(sentence)
    return " ".join(kept).removesuffix(":").rstrip() + ("." if kept and kept[-1].endswith(":") else "")


def advice(explanation: str) -> str | None:
    """What the explanation tells the user to do: its sentences that start with a verb of advice."""
    told = [s for p in _paragraphs(explanation) for s in sentences(without_sources(p)) if _ADVICE.match(s)]
    return " ".join(told) or None


def finding(diagnostic, rule) -> str:
    """Message, why, fix, link: each a paragraph."""
    head = f"**{diagnostic.code}** `{diagnostic.name}` ({diagnostic.severity}): {diagnostic.message}"
    parts = [head]
    if rule is not None and (reason := why(rule.explanation)):
        parts.append(reason)
    fix = diagnostic.fix
    if fix is not None and fix.edits:
        how = ("safe: `runlint check --fix` applies it too" if fix.applicability == "safe"
               else "unsafe: it changes what the request does; check the result")
        parts.append(f"**Quick fix:** {fix.title} ({how}).")
    elif rule is not None and (told := advice(rule.explanation)):
        parts.append(f"**Fix:** {told}")
    elif rule is not None and (never := rule.fix_for(diagnostic.message)) and never.get("reason"):
        parts.append(f"**Fix:** none automatic: {never['reason']}.")
    link = f"[{diagnostic.code} in runlint's rules]({DOCS}{diagnostic.code.lower()})"
    if rule is not None and rule.help_uri:
        link += f" · [OpenAI's page]({rule.help_uri})"
    parts.append(f"{link} · all of it in a terminal: `runlint rule {diagnostic.code}`")
    return "\n\n".join(parts)


# -- a model id ---------------------------------------------------------------------------------------
# The table's facts by what they are about; a fact of none of these groups (a column the table gains)
# shows under "other", its value written out whatever its shape.
GROUPS = {
    "limits": ("context_window", "max_output_tokens", "encoding", "max_tokens", "max_completion_tokens"),
    "sampling": ("temperature", "top_p", "n", "stop", "logprobs", "top_logprobs", "presence_penalty",
                 "frequency_penalty", "logit_bias"),
    "reasoning": ("reasoning", "reasoning_effort", "reasoning_effort_default"),
    "inputs": ("image_input", "developer_role", "system_role"),
    "outputs": ("json_object", "json_schema", "verbosity", "audio_output"),
    "tools": ("parallel_tool_calls", "file_search", "code_interpreter", "web_search_options"),
    "endpoints": ("endpoints",),
}
_LABELS = {"encoding": "tokenizer", "max_tokens": "`max_tokens` parameter",
           "max_completion_tokens": "`max_completion_tokens` parameter", "json_object": "JSON mode (json_object)",
           "json_schema": "Structured Outputs (json_schema)", "image_input": "image input",
           "reasoning_effort": "reasoning effort", "reasoning_effort_default": "effort when none is set",
           "endpoints": "served by"}
_ONLY_ONE = ("temperature", "top_p", "n")  # a list of one value: the only one taken


def fact_value(value, name: str = "") -> str:
    """A fact in words, for a table cell: yes/no, counts with separators, lists joined, a mapping
    (a fact that holds with another field's value) as `key: value` pairs; never Python's repr."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "none"
        shown = ", ".join(fact_value(v) for v in value)
        return f"only {shown}" if len(value) == 1 and name in _ONLY_ONE else shown
    if isinstance(value, dict):
        return "; ".join(f"{k}: {fact_value(v) if not isinstance(v, dict) else '(' + fact_value(v) + ')'}"
                         for k, v in value.items()) or "none"
    return str(value)


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


class _Notes:
    """Sources as numbered notes: each text once, numbered as first cited."""

    def __init__(self):
        self.texts: list[str] = []

    def cite(self, source: str | None) -> str:
        if not source:
            return ""
        if source not in self.texts:
            self.texts.append(source)
        return f" [{self.texts.index(source) + 1}]"

    def markdown(self) -> str:
        return "**Sources**\n\n" + "\n".join(f"{n}. {text}" for n, text in enumerate(self.texts, 1))


def lifecycle_line(end, today, notes: _Notes) -> str | None:
    """The announced end of the model id, as of `today`: None when not announced by then."""
    stage = end.stage(today)
    if not stage:
        return None
    if stage == "shut down":
        said = f"⛔ **Shut down** on {end.shutdown.isoformat()}: a request naming it fails"
    else:
        announced = f" (announced {end.deprecated.isoformat()})" if end.deprecated else ""
        said = f"⚠️ **Deprecated**{announced}: shuts down on {end.shutdown.isoformat()}"
    if end.replacement:
        said += f". Replacement: `{end.replacement}`"
    return said + "." + notes.cite(end.source)


def model(value: str, family, models, today) -> str:
    """The hover of a model id: lifecycle, ids, the facts by group, their sources, where to read more."""
    notes = _Notes()
    end = models.lifecycle(value) if models is not None else None
    ending = lifecycle_line(end, today, notes) if end is not None else None
    if family is None:
        parts = [f"**{value}**: not in runlint's model table, so no rule checks what it accepts "
                 "(a project adds it under `models` in its configuration)."]
        return "\n\n".join([*parts, *([ending] if ending else []), *([notes.markdown()] if notes.texts else [])])
    parts = [f"**{value}** · family `{family.name}`"]
    if ending:
        parts.append(ending)
    if family.ids:
        parts.append("ids: " + ", ".join(f"`{i}`" for i in family.ids) + notes.cite(family.source))
    facts = dict(family.capabilities)
    rows = []
    grouped = [(group, [n for n in names if n in facts]) for group, names in GROUPS.items()]
    known = {n for names in GROUPS.values() for n in names}
    grouped.append(("other", [n for n in facts if n not in known]))
    for group, names in grouped:
        alike: dict[tuple, list[str]] = {}  # facts of a group with one value and one source share a row
        for name in names:
            key = (fact_value(facts[name], name), family.sources.get(name))
            alike.setdefault(key, []).append(_LABELS.get(name, name.replace("_", " ")))
        for index, ((shown, source), labels) in enumerate(alike.items()):
            rows.append(f"| {group if index == 0 else ''} | {', '.join(labels)} | {_cell(shown)}{notes.cite(source)} |")
    for constraint in family.constraints:  # facts that hold with one reasoning effort or endpoint
        taken = "; ".join(f"{_LABELS.get(n, n.replace('_', ' '))}: {fact_value(v, n)}" for n, v in constraint.facts)
        rows.append(f"| {'with' if constraint is family.constraints[0] else ''} | {_cell(constraint.when_words())} | "
                    f"{_cell(taken)}{notes.cite(constraint.source)} |")
    if rows:
        parts.append("\n".join(["| | fact | value |", "|---|---|---|", *rows]))
    else:
        parts.append("The table knows the family but no fact of it yet: no rule checks what it accepts.")
    parts.append(f"yes: the model accepts it; no: the API rejects it; a list: the values it takes. A fact "
                 "the table leaves out is unknown, and runlint says nothing about it. Every family with its "
                 f"sources, in a terminal: `runlint models {value}` · [the model table]({MODELS_DOCS})")
    if notes.texts:  # last: the longest part, and the least read
        parts.append(notes.markdown())
    return "\n\n".join(parts)
