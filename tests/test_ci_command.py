"""`leakguard ci`: ranges from recorded GitHub Actions event payloads and GitLab CI variables,
for pushes, pull and merge requests, new and deleted branches, and shallow clones."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import GitRepo, Result, fake_github_token, leakguard

EVENTS = Path(__file__).parent / "data" / "ci"
ZERO = "0" * 40
# The variables of both CI systems, emptied: the tests may themselves run in a CI job.
NO_CI = {
    name: ""
    for name in (
        "GITHUB_ACTIONS",
        "GITHUB_EVENT_NAME",
        "GITHUB_EVENT_PATH",
        "GITLAB_CI",
        "CI_PIPELINE_SOURCE",
        "CI_COMMIT_SHA",
        "CI_COMMIT_BEFORE_SHA",
        "CI_COMMIT_BRANCH",
        "CI_COMMIT_TAG",
        "CI_COMMIT_REF_NAME",
        "CI_DEFAULT_BRANCH",
        "CI_MERGE_REQUEST_IID",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA",
        "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA",
    )
}
BRANCH = "feature/parkeervergunning"


def leak(seed: str) -> str:
    return f'TOKEN = "{fake_github_token(seed)}"\n'


@pytest.fixture
def origin(repo: GitRepo) -> dict[str, str]:
    """main: an old leak, then a clean commit (base); a feature branch from base with a leak in
    its first commit and three clean ones; then main moves on with a leak of its own."""
    shas = {"old": repo.commit("old leak", **{"old.py": leak("old")})}
    shas["base"] = repo.commit("clean", README="hello\n")
    repo.git("checkout", "-q", "-b", BRANCH)
    shas["f1"] = repo.commit("permit form", **{"permit/form.py": leak("feature")})
    for number in (2, 3, 4):
        shas[f"f{number}"] = repo.commit(f"feature {number}", **{"notes.txt": f"{number}\n"})
    repo.git("checkout", "-q", "main")
    shas["main"] = repo.commit("main moves on", **{"main_only.py": leak("main")})
    return shas


def clone(repo: GitRepo, tmp_path: Path, *args: str) -> Path:
    target = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", *args, f"file://{repo.path}", str(target)],
        check=True,
        capture_output=True,
        env=repo.env,
    )
    return target


def github(tmp_path: Path, event: str, payload: str, **shas: str) -> dict[str, str]:
    text = (EVENTS / payload).read_text(encoding="utf-8")
    for name, sha in shas.items():
        text = text.replace(f"@{name}_SHORT@", sha[:12]).replace(f"@{name}@", sha)
    path = tmp_path / "event.json"
    path.write_text(text, encoding="utf-8")
    return {
        **NO_CI,
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(path),
    }


def gitlab(**variables: str) -> dict[str, str]:
    return {**NO_CI, "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "push", **variables}


def ci(checkout: Path, env: dict[str, str], *args: str) -> Result:
    return leakguard("ci", str(checkout), "--format", "json", *args, env=env)


def paths(result: Result) -> list[str]:
    return sorted(finding["location"]["path"] for finding in result.json()["findings"])


def test_github_push_scans_what_the_push_adds(repo: GitRepo, tmp_path: Path) -> None:
    before = repo.commit("clean", README="hello\n")
    repo.commit("old leak", **{"old.py": leak("old")})
    repo.git("reset", "-q", "--hard", before)
    after = repo.commit("deploy", **{"deploy/run.sh": leak("deploy")})
    checkout = clone(repo, tmp_path)

    result = ci(checkout, github(tmp_path, "push", "github-push.json", BEFORE=before, AFTER=after))

    assert result.code == 1, result.stderr
    assert paths(result) == ["deploy/run.sh"]
    assert "GitHub Actions, push to refs/heads/main" in result.stderr
    assert f"{before[:12]}..{after[:12]}" in result.stderr


def test_github_pull_request_scans_only_the_branch(
    repo: GitRepo, origin: dict[str, str], tmp_path: Path
) -> None:
    checkout = clone(repo, tmp_path)
    env = github(
        tmp_path,
        "pull_request",
        "github-pull-request.json",
        BASE=origin["main"],
        HEAD=origin["f4"],
        BEFORE=origin["f3"],
        AFTER=origin["f4"],
        MERGE=origin["main"],
    )

    result = ci(checkout, env)

    assert result.code == 1, result.stderr
    assert paths(result) == ["permit/form.py"]  # not main's newer leak, nor the old one
    assert "pull request #42 (feature/parkeervergunning into main)" in result.stderr


def test_github_new_branch_scans_commits_on_no_other_branch(
    repo: GitRepo, origin: dict[str, str], tmp_path: Path
) -> None:
    checkout = clone(repo, tmp_path)
    env = github(tmp_path, "push", "github-push-new-branch.json", AFTER=origin["f4"])

    result = ci(checkout, env)

    assert result.code == 1, result.stderr
    assert paths(result) == ["permit/form.py"]
    assert "push creating refs/heads/feature/parkeervergunning" in result.stderr
    assert "on no other branch or tag" in result.stderr


def test_new_branch_compared_with_an_annotated_tag(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("old leak", **{"old.py": leak("old")})
    repo.git("tag", "-a", "v1", "-m", "release 1")
    repo.git("checkout", "-q", "-b", BRANCH)
    head = repo.commit("permit form", **{"permit/form.py": leak("feature")})
    repo.git("branch", "-q", "-D", "main")  # the tag is the only other ref
    checkout = clone(repo, tmp_path)

    result = ci(checkout, github(tmp_path, "push", "github-push-new-branch.json", AFTER=head))

    assert result.code == 1, result.stderr
    assert paths(result) == ["permit/form.py"]


def test_github_deleted_branch_has_nothing_to_scan(
    repo: GitRepo, origin: dict[str, str], tmp_path: Path
) -> None:
    checkout = clone(repo, tmp_path)
    env = github(tmp_path, "push", "github-push-deleted.json", BEFORE=origin["f4"])
    report = tmp_path / "leakguard.sarif"

    result = leakguard("ci", str(checkout), "--format", "sarif", "-o", str(report), env=env)

    assert result.code == 0, result.stderr
    assert "nothing to scan" in result.stderr
    assert json.loads(report.read_text())["runs"][0]["results"] == []


def test_github_event_without_a_range_is_a_usage_error(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("one", README="x\n")
    env = {**NO_CI, "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "schedule"}
    (tmp_path / "event.json").write_text("{}")
    env["GITHUB_EVENT_PATH"] = str(tmp_path / "event.json")

    result = ci(repo.path, env)

    assert result.code == 2
    assert "--range" in result.stderr


def test_gitlab_merge_request_scans_only_the_branch(
    repo: GitRepo, origin: dict[str, str], tmp_path: Path
) -> None:
    checkout = clone(repo, tmp_path)
    env = gitlab(
        CI_PIPELINE_SOURCE="merge_request_event",
        CI_COMMIT_SHA=origin["f4"],
        CI_COMMIT_BEFORE_SHA=ZERO,
        CI_MERGE_REQUEST_IID="7",
        CI_MERGE_REQUEST_DIFF_BASE_SHA=origin["base"],
        CI_MERGE_REQUEST_SOURCE_BRANCH_NAME=BRANCH,
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
    )

    result = ci(checkout, env)

    assert result.code == 1, result.stderr
    assert paths(result) == ["permit/form.py"]
    assert "GitLab CI, merge request !7" in result.stderr


def test_gitlab_push_pipeline(repo: GitRepo, origin: dict[str, str], tmp_path: Path) -> None:
    checkout = clone(repo, tmp_path)
    env = gitlab(
        CI_COMMIT_SHA=origin["main"], CI_COMMIT_BEFORE_SHA=origin["base"], CI_COMMIT_BRANCH="main"
    )

    result = ci(checkout, env)

    assert result.code == 1, result.stderr
    assert paths(result) == ["main_only.py"]
    assert f"{origin['base'][:12]}..{origin['main'][:12]}" in result.stderr


def test_gitlab_new_branch(repo: GitRepo, origin: dict[str, str], tmp_path: Path) -> None:
    checkout = clone(repo, tmp_path)
    env = gitlab(
        CI_COMMIT_SHA=origin["f4"],
        CI_COMMIT_BEFORE_SHA=ZERO,
        CI_COMMIT_BRANCH=BRANCH,
        CI_DEFAULT_BRANCH="main",
    )

    result = ci(checkout, env)

    assert result.code == 1, result.stderr
    assert paths(result) == ["permit/form.py"]
    assert f"new branch refs/heads/{BRANCH}" in result.stderr


def test_shallow_clone_without_the_base_says_how_to_fetch(
    repo: GitRepo, origin: dict[str, str], tmp_path: Path
) -> None:
    checkout = clone(repo, tmp_path, "--depth", "1")
    env = gitlab(
        CI_COMMIT_SHA=origin["main"], CI_COMMIT_BEFORE_SHA=origin["old"], CI_COMMIT_BRANCH="main"
    )

    refused = ci(checkout, env)
    fetched = ci(checkout, env, "--fetch")

    assert refused.code == 2
    assert "shallow clone" in refused.stderr
    assert "fetch-depth: 0" in refused.stderr
    assert "GIT_DEPTH: 0" in refused.stderr
    assert "--fetch" in refused.stderr
    assert refused.stdout == ""
    assert fetched.code == 1, fetched.stderr
    assert "git fetch --deepen=50" in fetched.stderr
    assert paths(fetched) == ["main_only.py"]


def test_shallow_clone_cut_inside_the_range_is_never_scanned_in_part(
    repo: GitRepo, origin: dict[str, str], tmp_path: Path
) -> None:
    # Depth 2 holds the branch's last two commits and main's tip: the branch's first commit,
    # with the leak, is below the clone's boundary although the range reaches it.
    checkout = clone(repo, tmp_path, "--depth", "2", "--no-single-branch")
    env = github(tmp_path, "push", "github-push-new-branch.json", AFTER=origin["f4"])

    refused = ci(checkout, env)
    fetched = ci(checkout, env, "--fetch")

    assert refused.code == 2
    assert "history stops inside the range" in refused.stderr
    assert fetched.code == 1, fetched.stderr
    assert paths(fetched) == ["permit/form.py"]


def test_shallow_single_branch_clone_of_a_new_branch(
    repo: GitRepo, origin: dict[str, str], tmp_path: Path
) -> None:
    # What a GitLab runner fetches: the pipeline's branch only, GIT_DEPTH commits deep.
    checkout = clone(repo, tmp_path, "--depth", "3", "--single-branch", "--branch", BRANCH)
    env = gitlab(
        CI_COMMIT_SHA=origin["f4"],
        CI_COMMIT_BEFORE_SHA=ZERO,
        CI_COMMIT_BRANCH=BRANCH,
        CI_DEFAULT_BRANCH="main",
    )

    refused = ci(checkout, env)
    fetched = ci(checkout, env, "--fetch")

    assert refused.code == 2
    assert "no other branch or tag" in refused.stderr
    assert fetched.code == 1, fetched.stderr
    assert paths(fetched) == ["permit/form.py"]  # compared with main, fetched for it


def test_full_single_branch_clone_of_a_new_branch(
    repo: GitRepo, origin: dict[str, str], tmp_path: Path
) -> None:
    checkout = clone(repo, tmp_path, "--single-branch", "--branch", BRANCH)
    env = gitlab(
        CI_COMMIT_SHA=origin["f4"],
        CI_COMMIT_BEFORE_SHA=ZERO,
        CI_COMMIT_BRANCH=BRANCH,
        CI_DEFAULT_BRANCH="main",
    )

    everything = ci(checkout, env)
    compared = ci(checkout, env, "--fetch")

    # Without a branch to compare with, every commit is scanned (the old leak too), and it
    # says so; with --fetch, the default branch is fetched to compare with.
    assert everything.code == 1, everything.stderr
    assert paths(everything) == ["old.py", "permit/form.py"]
    assert "no other branch or tag in this clone" in everything.stderr
    assert compared.code == 1, compared.stderr
    assert paths(compared) == ["permit/form.py"]


def test_merge_request_shallow_clone_deepened_with_fetch(
    repo: GitRepo, origin: dict[str, str], tmp_path: Path
) -> None:
    checkout = clone(repo, tmp_path, "--depth", "1", "--single-branch", "--branch", BRANCH)
    env = gitlab(
        CI_PIPELINE_SOURCE="merge_request_event",
        CI_COMMIT_SHA=origin["f4"],
        CI_MERGE_REQUEST_IID="7",
        CI_MERGE_REQUEST_DIFF_BASE_SHA=origin["base"],
    )

    assert ci(checkout, env).code == 2
    fetched = ci(checkout, env, "--fetch")

    assert fetched.code == 1, fetched.stderr
    assert paths(fetched) == ["permit/form.py"]


def test_outside_ci_the_range_option_is_the_fallback(
    repo: GitRepo, origin: dict[str, str], tmp_path: Path
) -> None:
    missing = ci(repo.path, NO_CI)
    given = ci(repo.path, NO_CI, "--range", f"{origin['base']}..{origin['f4']}")

    assert missing.code == 2
    assert "no CI system found" in missing.stderr
    assert given.code == 1, given.stderr
    assert paths(given) == ["permit/form.py"]
    assert "--range, the range" in given.stderr


def test_exit_zero_writes_the_report_and_passes(
    repo: GitRepo, origin: dict[str, str], tmp_path: Path
) -> None:
    checkout = clone(repo, tmp_path)
    env = gitlab(
        CI_COMMIT_SHA=origin["main"], CI_COMMIT_BEFORE_SHA=origin["base"], CI_COMMIT_BRANCH="main"
    )
    report = tmp_path / "gl-secret-detection-report.json"

    written = leakguard(
        "ci", str(checkout), "--format", "gitlab", "-o", str(report), "--exit-zero", env=env
    )

    assert written.code == 0, written.stderr
    vulnerabilities = json.loads(report.read_text())["vulnerabilities"]
    assert [v["location"]["commit"]["sha"] for v in vulnerabilities] == [origin["main"]]
