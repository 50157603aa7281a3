"""The model capability table: resolution of ids, project overrides, `runlint models`."""

import json
import re

import pytest

from runlint.check.model_table import ModelTableError, Models, table
from helpers.cli import run, write


@pytest.mark.parametrize("model, family", [
    ("gpt-4o", "gpt-4o"), ("gpt-4o-2024-08-06", "gpt-4o"), ("gpt-4o-2024-05-13", "gpt-4o-2024-05-13"),
    ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"), ("ft:gpt-4o-mini-2024-07-18:acme::abc123", "gpt-4o-mini"),
    ("ft:gpt-3.5-turbo-0125:acme:custom:id", "gpt-3.5-turbo"), ("o3-mini-2025-01-31", "o3-mini"),
    ("gpt-5-nano", "gpt-5-nano"), ("gpt-4-0613", "gpt-4"), ("gpt-4-1106-preview", "gpt-4-1106-preview"),
    ("gpt-4-0125-preview", "gpt-4-turbo-preview"), ("gpt-4.1-nano-2025-04-14", "gpt-4.1-nano"),
    ("gpt-3.5-turbo-16k", "gpt-3.5-turbo-0613"), ("chatgpt-4o-latest", "chatgpt-4o-latest"),
    ("gpt-4o-latest", None), ("chatgpt-gpt-4o-latest", None),  # the old pattern's slip
    ("mystery-model", None), ("gpt-4o-minis", None),
])
def test_ids_resolve_to_their_family(model, family):
    found = table().find(model)
    assert (found.name if found else None) == family


def test_every_id_the_api_lists_for_assistants_is_known():
    schema = json.loads(open("schemas/create-run.schema.json").read())
    for model in schema["$defs"]["AssistantSupportedModels"]["enum"]:
        assert table().find(model) is not None, model


def test_capabilities_true_false_lists_and_unknown():
    o3 = table().find("o3-mini")
    assert o3.accepts("temperature", 0.2) is False
    assert o3.accepts("reasoning_effort", "high") is True and o3.accepts("reasoning_effort", "minimal") is False
    assert o3.accepts("parallel_tool_calls") is None  # not in the table: runlint says nothing
    assert table().find("gpt-5").accepts("temperature", 1) is True


def test_project_families_win_and_may_extend():
    models = table([{"name": "acme", "match": "^acme-router-v\\d+$", "extends": "gpt-4o", "json_schema": False},
                    {"name": "gpt-4o", "match": "^gpt-4o$", "extends": "gpt-4.1", "image_input": False}])
    assert models.find("acme-router-v2").accepts("json_schema") is False
    assert models.find("acme-router-v2").accepts("image_input") is True
    assert models.find("gpt-4o").accepts("image_input") is False  # the project's correction wins


@pytest.mark.parametrize("entry, words", [
    ({"name": "x", "match": "^x$", "vision": True}, "unknown capability vision"),
    ({"name": "x", "match": "^x$", "extends": "nothing"}, "extends 'nothing'"),
    ({"name": "x", "match": "(("}, "not a valid regular expression"),
])
def test_bad_families_are_errors(entry, words):
    with pytest.raises(ModelTableError, match=words):
        Models([entry])


def test_config_models_key_drives_the_rules(tmp_path):
    write(tmp_path, "runlint.toml", '[[models]]\nname = "acme"\nmatch = "^acme-\\\\d+$"\nextends = "o3"\n')
    spec = write(tmp_path, "a.run.yaml", "assistant_id: a\nmodel: acme-2\ntemperature: 0.3\n")
    findings = json.loads(run("check", str(spec), "--format", "json").stdout)
    assert [(f["code"], f["path"]) for f in findings] == [("RL401", "/temperature")]
    assert "acme" in run("models", str(tmp_path)).stdout.decode()


def test_config_models_errors_name_the_file(tmp_path):
    write(tmp_path, "runlint.toml", '[[models]]\nname = "acme"\nmatch = "^a$"\nvision = true\n')
    result = run("check", str(write(tmp_path, "a.run.yaml", "assistant_id: a\n")))
    assert result.returncode == 2 and "runlint.toml" in result.stderr.decode() and "vision" in result.stderr.decode()


def test_models_command_prints_the_table():
    out = run("models").stdout.decode().splitlines()
    assert out[0].split() == ["family", "ids", "window", "output", "endpoints", "effort", "temp", "schema", "image"]
    assert max(len(line) for line in out) <= 100  # a terminal's width, not 458 columns
    o3 = next(line for line in out if line.startswith("o3-mini "))
    assert o3.split()[1:] == ["2", "200K", "100K", "?", "low..high", "no", "yes", "no"]
    gpt56 = next(line for line in out if line.startswith("gpt-5.6-sol "))
    assert gpt56.split()[2:6] == ["1.05M", "128K", "chat,resp,batch", "none..max"]
    assert f"Model facts checked {table().checked.isoformat()}." in "\n".join(out)
    as_json = json.loads(run("models", "--format", "json").stdout)
    assert {"name": "gpt-4o-2024-05-13", "json_schema": False}.items() <= next(
        f for f in as_json if f["name"] == "gpt-4o-2024-05-13").items()


def test_every_built_in_family_pattern_compiles():
    from runlint.check.model_table import Models, builtin_entries

    families = Models(list(builtin_entries()), check_patterns=True).families
    assert len(families) >= 10 and all(isinstance(f.match, str) for f in families)


# -- every official id, and where each fact comes from ----------------------------------------

def _update_models():
    import importlib.util

    from helpers import ROOT

    spec = importlib.util.spec_from_file_location("update_models", ROOT / "scripts" / "update_models.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OFFICIAL = _update_models().official_ids()  # id -> the generated schemas that list it


def test_the_schemas_list_the_official_ids():
    # The walk itself: if it found nothing, every test below would pass vacuously.
    assert len(OFFICIAL) >= 102
    assert {"chatgpt-4o-latest", "gpt-5.1-codex-max", "o3-deep-research", "gpt-5.6-sol", "o1-preview",
            "gpt-4o-mini-search-preview", "computer-use-preview", "gpt-daybreak-red-latest"} <= set(OFFICIAL)


@pytest.mark.parametrize("model", sorted(OFFICIAL))
def test_every_official_id_resolves_to_a_family_that_lists_it(model):
    models = table()
    if model in models.unresolved:  # kept unknown on purpose, with the reason
        assert models.find(model) is None and models.unresolved[model].strip()
        return
    family = models.find(model)
    assert family is not None, f"{model} (in {sorted(OFFICIAL[model])}) resolves to no family"
    assert model in family.ids, f"{model} resolves to {family.name}, which does not list it in `ids`"


def test_unresolved_ids_are_official_ones():
    assert set(table().unresolved) <= set(OFFICIAL)


def test_each_listed_id_resolves_to_its_own_family():
    # an earlier, broader pattern would take it: first match wins
    models = table()
    for family in models.families:
        for model in family.ids:
            assert models.find(model) is family, (model, family.name, models.find(model))


def test_every_family_and_every_fact_has_a_source():
    for family in table().families:
        assert family.source, family.name
        for fact, value in family.capabilities.items():
            assert family.sources.get(fact), f"{family.name}.{fact} = {value!r} has no source"


def test_sources_of_inherited_facts_follow_them():
    models = Models([{"name": "a", "match": "^a$", "stop": False, "sources": {"stop": "the a docs"}},
                     {"name": "b", "match": "^b$", "extends": "a", "json_object": True,
                      "sources": {"json_object": "the b docs"}},
                     {"name": "c", "match": "^c$", "extends": "a", "stop": None}])
    assert models.find("b").sources == {"stop": "the a docs", "json_object": "the b docs"}
    assert models.find("c").capabilities == {} and models.find("c").sources == {}


def test_built_in_sources_say_where_they_come_from():
    shapes = ("https://", "openai-openapi@", "openai-python@")
    for family in table().families:
        for where in [family.source, *family.sources.values()]:
            assert where.startswith(shapes), (family.name, where)


@pytest.mark.parametrize("model, effort, accepted", [
    ("gpt-5.1", "none", True), ("gpt-5.1-2025-11-13", "minimal", False), ("gpt-5.1", "high", True),
    ("gpt-5", "none", False), ("gpt-5-mini", "minimal", True),
    ("gpt-5-pro", "high", True), ("gpt-5-pro-2025-10-06", "medium", False),
    ("o3-pro", "minimal", False), ("gpt-4.1", "none", False),
    ("gpt-5.1-codex-max", "xhigh", True), ("gpt-5.1", "xhigh", False),
    ("gpt-6-astra", "none", False), ("gpt-6.1-sol", "minimal", False), ("gpt-6-sol", "none", True),
    ("gpt-5.6-terra", "max", True), ("gpt-5.6-luna", "minimal", False),
    ("gpt-6.1-terra", "none", True), ("gpt-6.1-terra", "max", True), ("gpt-6.1-terra", "minimal", False),
    ("gpt-5.4-mini", "xhigh", None), ("gpt-6-luna", "xhigh", None),  # no source says: unknown
])
def test_reasoning_effort_values_per_family(model, effort, accepted):
    assert table().find(model).accepts("reasoning_effort", effort) is accepted


def test_a_null_fact_is_unknown_again_and_keeps_no_source():
    o1 = table().find("o1")
    assert o1.accepts("stop") is None and "stop" not in o1.sources  # o4-mini's, not inherited
    assert table().find("o3").accepts("stop") is False  # the spec names o3


def test_what_a_family_takes_in_words():
    models = table()
    assert models.find("gpt-4.1").takes("reasoning_effort") == "it takes no reasoning effort at all"
    assert models.find("gpt-5.1").takes("reasoning_effort") == "it takes: none, low, medium, high"
    assert models.find("gpt-5-pro").takes("reasoning_effort") == "it takes only high"
    assert models.find("gpt-5").takes("temperature") == "it takes only 1, the default"


def test_config_models_take_the_new_facts_and_sources(tmp_path):
    write(tmp_path, "runlint.toml", '[[models]]\nname = "acme"\nmatch = "^acme-\\\\d+$"\nstop = false\n'
          'context_window = 128000\nsource = "our gateway"\nsources = {stop = "our gateway docs"}\n')
    out = run("models", str(tmp_path), "--format", "json")
    assert out.returncode == 0, out.stderr
    acme = next(f for f in json.loads(out.stdout) if f["name"] == "acme")
    assert acme["stop"] is False and acme["context_window"] == 128000 and acme["sources"] == {"stop": "our gateway docs"}


def test_models_command_shows_new_columns_sources_and_lifecycle():
    out = run("models").stdout.decode()
    assert "model lifecycle (RL601)" in out and "gpt-4-32k" in out
    sources = run("models", "--sources").stdout.decode()
    assert re.search(r"reasoning_effort +none/low/medium/high +<- openai-python@ac534dcd", sources)
    as_json = json.loads(run("models", "--format", "json").stdout)
    gpt4 = next(f for f in as_json if f["name"] == "gpt-4-32k")
    assert {"model": "gpt-4-32k", "deprecated": "2024-06-06", "shutdown": "2025-06-06"}.items() <= \
        next(e for e in gpt4["lifecycle"] if e["model"] == "gpt-4-32k").items()
    assert next(f for f in as_json if f["name"] == "chatgpt-4o-latest")["ids"] == ["chatgpt-4o-latest"]


# -- lifecycle ------------------------------------------------------------------------------------

def test_lifecycle_entries_are_ordered_dates_of_known_ids():
    # RL601 matches the exact id and needs no family: the deprecations page retires speech,
    # transcription, realtime and image models runlint has no family for (tts-1, whisper-1,
    # gpt-audio). What a family would catch is a slip in the copied id; so an id without one
    # must be no slip (one or two edits) of an id the table knows.
    from runlint.check.families.models import typo_of

    models = table()
    known = models.known_ids()
    assert len(models.lifecycles) >= 60
    unresolved = []
    for end in models.lifecycles.values():
        if models.find(end.model) is None:
            unresolved.append(end.model)
            slip = typo_of(end.model, known)
            assert slip is None or end.model.startswith(slip + "-"), (end.model, slip)  # a longer id is no slip
        assert end.deprecated is None or end.deprecated <= end.shutdown, end
        assert end.source and end.source.startswith("https://"), end
    assert {"tts-1", "whisper-1", "gpt-audio", "gpt-5.3-codex"} <= set(unresolved)
    assert typo_of("gpt-4o-mnii-2024-07-18", known) is not None  # the check can fail: a slip is caught


def test_lifecycle_of_an_id_runlint_has_no_family_for():
    from datetime import date

    models = table()
    end = models.lifecycle("whisper-1")
    assert models.find("whisper-1") is None
    assert (end.deprecated, end.shutdown) == (date(2026, 8, 26), date(2027, 2, 26))
    assert end.stage(date(2026, 12, 1)) == "deprecated" and end.stage(date(2027, 2, 26)) == "shut down"
    shown = run("models", "tts-1").stdout.decode()
    assert shown.startswith("tts-1: runlint's table has no family for it, only its lifecycle\n")
    assert "lifecycle: shutdown 2027-01-06, deprecated 2026-10-01" in shown and "newer than the table" not in shown


def test_lifecycle_stage_on_a_date():
    from datetime import date

    end = table().lifecycle("gpt-4-32k")
    assert end.stage(date(2024, 6, 5)) == ""  # not yet announced
    assert end.stage(date(2024, 6, 6)) == "deprecated"
    assert end.stage(date(2025, 6, 5)) == "deprecated"
    assert end.stage(date(2025, 6, 6)) == "shut down"
    assert table().lifecycle("ft:gpt-4-32k:acme::x") is None  # a fine-tune's own end is not in the table


def test_lifecycle_names_only_the_ids_the_announcement_names():
    # the newest copy of the deprecations page names gpt-5 beside its snapshot: both are reported
    models = table()
    assert models.lifecycle("gpt-5-2025-08-07").shutdown.isoformat() == "2026-12-11"
    assert models.lifecycle("gpt-5").replacement == "gpt-6.1-sol"
    # gpt-5-nano's row is past the end of that copy: the older copy names the snapshot only
    assert models.lifecycle("gpt-5-nano-2025-08-07") and models.lifecycle("gpt-5-nano") is None
    # 2027-01-14: "GPT-4o (gpt-4o-2024-08-06, gpt-4o-2024-11-20)": the snapshots, not the alias
    assert models.lifecycle("gpt-4o-2024-11-20").shutdown.isoformat() == "2027-01-14"
    assert models.lifecycle("gpt-4o") is None and models.lifecycle("gpt-4o-mini-tts") is None


@pytest.mark.parametrize("entry, words", [
    ({"ids": ["x"], "shutdown": "2026-02-30"}, "is not a date"),
    ({"ids": ["x"]}, "shutdown"),
])
def test_bad_lifecycle_entries_are_errors(entry, words):
    with pytest.raises(ModelTableError, match=words):
        Models([], lifecycle=[entry])


def test_the_built_in_table_reads_the_same_as_runlint_reads_yaml():
    # it is loaded with libyaml's YAML 1.1 loader, for speed: `no` or an unquoted date would differ
    from helpers import ROOT
    from runlint.source.document import load_bytes
    from runlint.check.model_table import builtin_data

    path = ROOT / "data" / "models.yaml"
    source = load_bytes(str(path), path.read_bytes(), "yaml")
    assert not source.problems and source.documents[0].value == builtin_data()


def test_models_model_shows_one_models_facts_with_each_source_once():
    result = run("models", "gpt-4o-2024-08-06")
    out = result.stdout.decode()
    assert result.returncode == 0 and out.startswith("gpt-4o-2024-08-06: family gpt-4o\n")
    lines = out.splitlines()
    assert next(line for line in lines if line.split()[:1] == ["context_window"]).split()[1] == "128,000"
    sources = [line.split("] ", 1)[1] for line in lines if line.startswith("    [")]
    assert sources and len(sources) == len(set(sources))  # each source once, facts refer to it by number
    assert "https://platform.openai.com/docs/models/gpt-4o" in out
    fine_tune = run("models", "ft:gpt-4o-mini-2024-07-18:acme::abc123").stdout.decode()
    assert fine_tune.startswith("ft:gpt-4o-mini-2024-07-18:acme::abc123 (a fine-tune of gpt-4o-mini-2024-07-18): "
                                "family gpt-4o-mini")
    shut = json.loads(run("models", "gpt-4-32k", "--format", "json").stdout)
    assert shut["family"] == "gpt-4-32k" and shut["lifecycle"]["shutdown"] == "2025-06-06"
    assert shut["checked"] == table().checked.isoformat() and shut["synced"] is None
    unknown = run("models", "gpt-4o-mnii")
    assert unknown.returncode == 1 and "did you mean `gpt-4o-mini`?" in unknown.stdout.decode()
    # options after the model, or before it, alike
    assert json.loads(run("models", "--format", "json", "gpt-4o").stdout)["family"] == "gpt-4o"


def test_models_config_option_and_version_say_how_old_the_facts_are(tmp_path):
    config = write(tmp_path, "runlint.toml", '[[models]]\nname = "acme"\nmatch = "^acme-\\\\d+$"\nextends = "o3"\n')
    assert "acme" in run("models", "--config", str(config)).stdout.decode()
    assert json.loads(run("models", "acme-7", "--config", str(config), "--format", "json").stdout)["family"] == "acme"
    version = run("--version").stdout.decode()
    assert version.startswith("runlint, version ")  # the VS Code extension reads this
    assert version.rstrip().endswith(f"(model facts checked {table().checked.isoformat()})")


# -- facts that depend on the request: reasoning effort (or the model's default) and endpoint ---------

def test_no_fact_rests_on_the_old_catch_all_source():
    # "runlint's table before sources were recorded per fact" stated nothing checkable: gone
    from runlint.check.model_table import builtin_data

    assert not any("runlint's table before" in s for s in builtin_data()["sources"])
    for family in table().families:
        for where in [family.source, *family.sources.values(), *(c.source for c in family.constraints)]:
            assert "runlint's table before" not in where, family.name


def test_every_constraint_has_a_source_of_a_known_shape():
    constrained = [f for f in table().families if f.constraints]
    assert {"gpt-5.1", "gpt-5.4", "gpt-5.6-luna", "gpt-6-astra", "gpt-6-sol"} <= {f.name for f in constrained}
    for family in constrained:
        for constraint in family.constraints:
            assert constraint.source.startswith(("https://", "openai-openapi@", "openai-python@")), family.name


def _lacks(spec, request, endpoint=None):
    from runlint.check.conditions import Condition, Context

    arg = {**spec, **({"endpoint": endpoint} if endpoint else {})}
    return Condition({"model_lacks": arg}).violations(request, Context())


@pytest.mark.parametrize("request_, rejected", [
    ({"model": "gpt-5.1", "temperature": 0.2, "reasoning": {"effort": "medium"}}, True),
    ({"model": "gpt-5.1", "temperature": 0.2, "reasoning_effort": "high"}, True),
    ({"model": "gpt-5.1", "temperature": 0.2, "reasoning": {"effort": "none"}}, False),
    ({"model": "gpt-5.1", "temperature": 0.2}, False),  # gpt-5.1's default effort is none
    ({"model": "gpt-6-sol", "temperature": 0.2}, True),  # gpt-6-sol's default is medium
    ({"model": "gpt-6-luna", "temperature": 0.2}, False),  # no source states its default: quiet
    ({"model": "gpt-6-luna", "temperature": 0.2, "reasoning_effort": "low"}, True),
    ({"model": "gpt-5.6-sol", "temperature": 0.5, "reasoning": {"effort": "none"}}, False),  # real request 019
    ({"model": "gpt-4o", "temperature": 0.2, "reasoning_effort": "high"}, False),  # no constraint: not RL401's
])
def test_sampling_depends_on_the_reasoning_effort(request_, rejected):
    assert bool(_lacks({"capability": "temperature", "value_at": "/temperature"}, request_)) is rejected


def test_a_constraint_that_names_an_endpoint_holds_only_there():
    tools = {"model": "gpt-5.6-luna", "reasoning_effort": "low", "tools": [{"type": "function"}]}
    spec = {"capability": "function_tools", "value_at": "/reasoning_effort"}
    assert _lacks(spec, tools, "chat-completions")
    assert not _lacks(spec, tools, "responses") and not _lacks(spec, tools)  # unknown endpoint: quiet
    assert not _lacks(spec, {**tools, "reasoning_effort": "none"}, "chat-completions")
    # gpt-6-astra takes no tools in Chat Completions whatever the effort
    assert _lacks({"capability": "function_tools"}, {"model": "gpt-6-astra"}, "chat-completions")


def test_the_message_says_what_the_model_takes_instead():
    [(path, params)] = _lacks({"capability": "temperature", "value_at": "/temperature"},
                              {"model": "gpt-6-sol", "temperature": 0.3})
    assert path == ("temperature",)
    assert params["takes"] == ("with reasoning effort medium (its default) it takes no temperature; "
                               "it takes it only with reasoning effort none")


def test_o3_takes_only_the_default_temperature():
    o3 = table().find("o3")
    assert o3.accepts("temperature", 1) is True and o3.accepts("temperature", 0.2) is False
    assert "pal-mcp-server/issues/78" in o3.sources["temperature"]


@pytest.mark.parametrize("model", ["gpt-6-astra", "gpt-6-sol", "gpt-6-luna", "gpt-6.1-sol", "gpt-6.1-terra", "gpt-5.6"])
def test_models_released_since_the_spec_snapshot_resolve(model):
    assert table().find(model) is not None


@pytest.mark.parametrize("model", ["gpt-6.2-astra", "gpt-6.2-sol", "gpt-6-astra-pro"])
def test_ids_no_official_source_confirms_stay_unknown(model):
    # seen only in routers' and third parties' lists so far: RL400 says they may be newer than the table
    assert table().find(model) is None


def test_gpt_6_1_terra_facts_are_those_its_model_page_states():
    terra = table().find("gpt-6.1-terra")
    assert terra.name == "gpt-6.1-terra" and terra.ids == ("gpt-6.1-terra",)
    facts = terra.capabilities
    assert (facts["context_window"], facts["max_output_tokens"], facts["reasoning_effort_default"]) == \
        (1050000, 128000, "medium")
    assert "gpt-6.1-terra" in terra.sources["reasoning_effort"]
    # the page says nothing of sampling: unknown, so RL401 stays quiet (no false error)
    assert terra.accepts("temperature", 0.2) is None and not terra.constraints[0].efforts
    assert _lacks({"capability": "function_tools"}, {"model": "gpt-6.1-terra"}, "chat-completions")
    assert not _lacks({"capability": "function_tools"}, {"model": "gpt-6.1-terra"}, "responses")


def test_constraints_are_inherited_unless_the_family_gives_its_own():
    models = table([{"name": "acme", "match": "^acme$", "extends": "gpt-6-sol"},
                    {"name": "acme-free", "match": "^acme-free$", "extends": "gpt-6-sol", "constraints": []}])
    assert models.find("acme").constraints == models.find("gpt-6-sol").constraints
    assert models.find("acme-free").constraints == ()


@pytest.mark.parametrize("constraints, words", [
    ({"when": {}}, "is a list"),
    (["low"], "a constraint is a mapping"),
    ([{"when": {"reasoning_effort": ["low"]}, "rejects": ["temperature"], "source": "x", "why": 1}],
     "unknown key why"),
    ([{"when": {"effort": ["low"]}, "rejects": ["temperature"], "source": "x"}], "`when` names"),
    ([{"when": {"reasoning_effort": "low"}, "rejects": ["temperature"], "source": "x"}], "a list of effort values"),
    ([{"when": {"endpoint": "batch"}, "rejects": ["temperature"], "source": "x"}], "`when.endpoint` is one of"),
    ([{"when": {"reasoning_effort": ["low"]}, "rejects": ["tempreature"], "source": "x"}], "`rejects` lists"),
    ([{"when": {"reasoning_effort": ["low"]}, "rejects": ["temperature"]}], "needs a `source`"),
])
def test_bad_constraints_are_clear_errors(constraints, words):
    with pytest.raises(ModelTableError, match=f"model family x.*{re.escape(words)}"):
        Models([{"name": "x", "match": "^x$", "constraints": constraints}])


def test_config_models_take_constraints_and_report_bad_ones(tmp_path):
    write(tmp_path, "runlint.toml", '[[models]]\nname = "acme"\nmatch = "^acme$"\nreasoning_effort_default = "low"\n'
          '[[models.constraints]]\nwhen = {reasoning_effort = ["low"]}\nrejects = ["top_p"]\nsource = "our gateway"\n')
    spec = write(tmp_path, "a.response.yaml", "model: acme\ninput: Hi\ntop_p: 0.5\n")
    findings = json.loads(run("check", str(spec), "--format", "json").stdout)
    assert [(f["code"], f["path"]) for f in findings] == [("RL401", "/top_p")]
    assert "with reasoning effort low (its default) it takes no top_p" in findings[0]["message"]
    write(tmp_path, "runlint.toml", '[[models]]\nname = "acme"\nmatch = "^acme$"\n'
          '[[models.constraints]]\nwhen = {reasoning_effort = ["low"]}\nrejects = ["top_p"]\n')
    result = run("check", str(spec))
    assert result.returncode == 2 and "needs a `source`" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def test_then_says_what_the_model_takes_while_a_constraint_holds():
    # gpt-5.4 with a reasoning effort: "Only the default (1) value is supported" (johny-b/llmcomp#69)
    spec = {"capability": "temperature", "value_at": "/temperature"}
    assert not _lacks(spec, {"model": "gpt-5.4", "temperature": 1, "reasoning_effort": "high"})
    [(_, params)] = _lacks(spec, {"model": "gpt-5.4", "temperature": 0, "reasoning_effort": "high"})
    assert params["takes"] == ("with reasoning effort high it takes only 1, the default; "
                               "it takes other values only with reasoning effort none")
    assert not _lacks(spec, {"model": "gpt-5.4", "temperature": 0})  # its default effort is none
    models = Models([{"name": "x", "match": "^x$", "reasoning_effort": ["none", "low"],
                      "constraints": [{"when": {"reasoning_effort": ["low"]}, "then": {"n": [1]}, "source": "s"}]}])
    assert models.find("x").constraints[0].facts == (("n", [1]),)
    with pytest.raises(ModelTableError, match="`then` maps a fact"):
        Models([{"name": "x", "match": "^x$",
                 "constraints": [{"when": {"reasoning_effort": ["low"]}, "then": {"n": True}, "source": "s"}]}])
    with pytest.raises(ModelTableError, match="says what the model rejects"):
        Models([{"name": "x", "match": "^x$", "constraints": [{"when": {"endpoint": "responses"}, "source": "s"}]}])


def test_models_model_shows_the_facts_that_hold_with_one_effort_or_endpoint():
    text = run("models", "gpt-6-sol").stdout.decode()
    line = next(line for line in text.splitlines() if "on chat-completions" in line)
    assert line.strip().startswith("with effort") and "function_tools no" in line and line.rstrip().endswith("]")
    shown = json.loads(run("models", "gpt-6-sol", "--format", "json").stdout)
    assert {"when": {"reasoning_effort": list(table().find("gpt-6-sol").constraints[1].efforts),
                     "endpoint": "chat-completions"}, "then": {"function_tools": False}}.items() <= \
        shown["constraints"][1].items()
    assert "with effort" in run("models", "--sources").stdout.decode()
