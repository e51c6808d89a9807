"""The shipped CI integrations: the GitHub Action (`action.yml`) and the GitLab CI template
(`ci/leakguard.gitlab-ci.yml`). Their shell steps run here as the CI systems run them (bash with
errexit, the same variables and files), against a real repository; only installing leakguard
is left out (the test environment has it) and the upload to code scanning (GitHub's own action).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import GitRepo, fake_github_token

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
TEMPLATE = yaml.safe_load((ROOT / "ci" / "leakguard.gitlab-ci.yml").read_text())
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
EXPRESSION = re.compile(r"\$\{\{\s*([a-z_.-]+)\s*\}\}")
# The leakguard of this test environment, as the install step would have put it on PATH.
PATH = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"


@pytest.fixture
def pushed(repo: GitRepo, tmp_path: Path) -> tuple[GitRepo, dict[str, str]]:
    """A push to main that adds a token; the GitHub event and the GitLab variables for it."""
    before = repo.commit("base", README="hello\n")
    after = repo.commit("deploy", **{"deploy.sh": f"export T={fake_github_token('ci')}\n"})
    event = tmp_path / "event.json"
    payload = {"ref": "refs/heads/main", "before": before, "after": after}
    payload["repository"] = {"default_branch": "main"}
    event.write_text(json.dumps(payload))
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_EVENT_PATH": str(event),
        "GITLAB_CI": "",
    }
    return repo, env


def action_step(step_id_or_name: str) -> dict[str, Any]:
    for step in ACTION["runs"]["steps"]:
        if step_id_or_name in (step.get("id"), step.get("name")):
            return step
    raise AssertionError(f"no step {step_id_or_name}")


def run_action_step(
    step: dict[str, Any], inputs: dict[str, str], steps: dict[str, str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """A `run` step of a composite action: its env with the expressions evaluated, bash -e."""
    values = {f"inputs.{k}": v for k, v in inputs.items()}
    values.update({f"steps.scan.outputs.{k}": v for k, v in steps.items()})

    def evaluate(text: str) -> str:
        return EXPRESSION.sub(lambda m: values.get(m.group(1), ""), str(text))

    step_env = {**env, "PATH": PATH, **{k: evaluate(v) for k, v in step.get("env", {}).items()}}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        env=step_env,
        capture_output=True,
        text=True,
        check=False,
    )


def outputs(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines() if path.exists() else []
    return dict(line.split("=", 1) for line in lines)


def test_action_is_composite_and_consistent() -> None:
    assert ACTION["runs"]["using"] == "composite"
    text = (ROOT / "action.yml").read_text()
    for name in set(re.findall(r"inputs\.([a-z-]+)", text)):
        assert name in ACTION["inputs"], name
    for step in ACTION["runs"]["steps"]:
        assert ("run" in step) != ("uses" in step)
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], "expressions go through env, never into scripts"


@pytest.mark.parametrize(("fail", "expected"), [("true", 1), ("false", 0)])
def test_action_scans_summarises_writes_sarif_and_fails(
    pushed: tuple[GitRepo, dict[str, str]], tmp_path: Path, fail: str, expected: int
) -> None:
    repo, ci_env = pushed
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    sarif = tmp_path / "leakguard.sarif"
    inputs.update(path=str(repo.path), sarif="true", **{"sarif-file": str(sarif)}, fail=fail)
    github_output, summary = tmp_path / "output", tmp_path / "summary.md"
    env = {
        **repo.env,
        **ci_env,
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(github_output),
        "GITHUB_STEP_SUMMARY": str(summary),
    }

    scan = run_action_step(action_step("scan"), inputs, {}, env)

    assert scan.returncode == 0, scan.stderr
    assert "deploy.sh" in scan.stdout  # the text report, in the job's log
    assert "push to refs/heads/main" in scan.stderr  # the range and why
    produced = outputs(github_output)
    assert produced["exit-code"] == "1"
    assert produced["sarif-file"] == str(sarif)
    assert summary.read_text().startswith("## leakguard: 1 finding")
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(sarif.read_text()))

    gate = run_action_step(action_step("Fail on findings"), inputs, produced, env)

    assert gate.returncode == expected
    assert "::error title=leakguard::" in gate.stdout


def test_action_fails_on_a_scan_error_whatever_fail_says(tmp_path: Path) -> None:
    inputs = {"fail": "false"}
    gate = run_action_step(action_step("Fail on findings"), inputs, {"exit-code": "2"}, {})

    assert gate.returncode == 2


def test_gitlab_template_jobs() -> None:
    report, gate = TEMPLATE["leakguard-report"], TEMPLATE["leakguard"]
    assert report["artifacts"]["when"] == "always"
    assert report["artifacts"]["reports"]["secret_detection"] == "gl-secret-detection-report.json"
    assert any("--exit-zero" in line and "--format gitlab" in line for line in report["script"])
    assert gate["needs"] == [{"job": "leakguard-report", "artifacts": True}]
    for line in report["script"] + gate["script"]:
        assert isinstance(line, str), f"YAML read a script line as {type(line).__name__}: {line}"
    assert "leakguard-report" in TEMPLATE  # `include:` brings both jobs


def run_gitlab_job(
    job: str, cwd: Path, env: dict[str, str], args: str = ""
) -> subprocess.CompletedProcess[str]:
    """A job's script as a runner runs it (one shell, errexit), without installing leakguard."""
    lines = [line for line in TEMPLATE[job]["script"] if "pip install" not in line]
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "\n".join(lines)],
        cwd=cwd,
        env={**env, **TEMPLATE["variables"], "LEAKGUARD_ARGS": args, "PATH": PATH},
        capture_output=True,
        text=True,
        check=False,
    )


def test_gitlab_template_reports_then_gates(repo: GitRepo, tmp_path: Path) -> None:
    before = repo.commit("base", README="hello\n")
    after = repo.commit("deploy", **{"deploy.sh": f"export T={fake_github_token('gl')}\n"})
    env = {
        **repo.env,
        "GITHUB_ACTIONS": "",
        "GITLAB_CI": "true",
        "CI_PIPELINE_SOURCE": "push",
        "CI_COMMIT_SHA": after,
        "CI_COMMIT_BEFORE_SHA": before,
        "CI_COMMIT_BRANCH": "main",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": "",
    }

    report_job = run_gitlab_job("leakguard-report", repo.path, env)

    assert report_job.returncode == 0, report_job.stderr
    document = json.loads((repo.path / "gl-secret-detection-report.json").read_text())
    assert [v["location"]["file"] for v in document["vulnerabilities"]] == ["deploy.sh"]
    assert (repo.path / "leakguard-junit.xml").exists()

    gate_job = run_gitlab_job("leakguard", repo.path, env)

    assert gate_job.returncode == 1
    assert "github-pat at 'deploy.sh':1" in gate_job.stdout

    # The verdict is leakguard's own: a finding below --fail-on is reported and passes.
    assert run_gitlab_job("leakguard-report", repo.path, env, "--fail-on critical").returncode == 0
    document = json.loads((repo.path / "gl-secret-detection-report.json").read_text())
    assert len(document["vulnerabilities"]) == 1
    assert run_gitlab_job("leakguard", repo.path, env).returncode == 0

    clean = {**env, "CI_COMMIT_BEFORE_SHA": after, "CI_COMMIT_SHA": after}
    assert run_gitlab_job("leakguard-report", repo.path, clean).returncode == 0
    assert run_gitlab_job("leakguard", repo.path, clean).returncode == 0
