"""The contributor plumbing parses and says what CI, Pages and pre-commit rely on."""
import fnmatch
import json
import re

import pytest
import yaml

from conftest import ROOT

GITHUB = ROOT / ".github"
FULL_SHA = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


def load(path):
    # BaseLoader keeps `on:` a string key (YAML 1.1 would read it as true), as GitHub does.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def steps(workflow):
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_every_action_is_pinned_by_full_commit_sha(name):
    uses = [step["uses"] for step in steps(load(GITHUB / "workflows" / name)) if "uses" in step]
    assert uses and all(FULL_SHA.match(use) for use in uses), uses


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_checkout_keeps_no_token(name):
    for step in steps(load(GITHUB / "workflows" / name)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] == "false"


def test_ci_checks_changed_entries_builds_strictly_and_tests():
    ci = load(GITHUB / "workflows" / "ci.yml")
    assert set(ci["on"]) == {"pull_request", "push"}
    assert ci["permissions"] == {"contents": "read"}
    entries = ci["jobs"]["entries"]
    assert entries["if"] == "github.event_name == 'pull_request'"
    check = entries["steps"][-1]
    assert check["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert check["run"] == 'make check SINCE="origin/$BASE_REF"'
    assert entries["steps"][0]["with"]["fetch-depth"] == "0"
    assert [step["run"] for step in ci["jobs"]["build"]["steps"] if "run" in step] == [
        "make build", "make build SSG=properdocs", "make build SSG=zensical"]      # one mkdocs.yml, three generators
    assert ci["jobs"]["tests"]["steps"][-1]["run"] == "make test-fast"


def test_deploy_has_least_privileges_and_the_pages_address():
    deploy = load(GITHUB / "workflows" / "deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    assert deploy["permissions"] == {}
    build, publish = deploy["jobs"]["build"], deploy["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    assert publish["needs"] == "build" and publish["environment"]["name"] == "github-pages"
    [make] = [step for step in build["steps"] if step.get("run") == "make build"]
    assert make["env"] == {"SITE_URL": "${{ steps.pages.outputs.base_url }}/"}
    assert [step["uses"].split("@")[0] for step in publish["steps"]] == ["actions/deploy-pages"]


def test_pre_commit_runs_the_changed_entry_check():
    config = load(ROOT / ".pre-commit-config.yaml")
    [repo] = config["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local"
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == ("make check SINCE=HEAD", "system", "false")
    pattern = re.compile(hook["files"])
    assert pattern.search("timeline/2019/2019-10-02-x.md") and pattern.search("timeline/vocab/topics.yaml")
    assert not pattern.search("timeline/_drafts/2019-10-02-x.md") and not pattern.search("docs/index.md")


@pytest.mark.parametrize("name", ["suggest-entry.yml", "correction.yml", "right-of-reply.yml"])
def test_issue_forms_have_the_keys_github_requires(name):
    form = load(GITHUB / "ISSUE_TEMPLATE" / name)
    assert {"name", "description", "body"} <= set(form)
    ids = [item["id"] for item in form["body"] if item["type"] != "markdown"]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z][a-z0-9_-]*", i) for i in ids)
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert "value" in item["attributes"] if item["type"] == "markdown" else "label" in item["attributes"]


def test_issue_config_and_pull_request_template():
    assert load(GITHUB / "ISSUE_TEMPLATE" / "config.yml") == {"blank_issues_enabled": "true"}
    template = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert "## Sourcing checklist" in template and template.count("- [ ]") >= 8


def test_vscode_binds_the_entry_schema_to_entry_files():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    [(schema, globs)] = settings["yaml.schemas"].items()
    assert (ROOT / schema).resolve() == ROOT / "timeline" / "entry.schema.json"
    assert any(fnmatch.fnmatch("timeline/2013/2013-10-24-x.md", glob) for glob in globs)
    assert not any(fnmatch.fnmatch("timeline/TEMPLATE.md", glob) for glob in globs)
