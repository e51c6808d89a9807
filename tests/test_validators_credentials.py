"""Credential validators, example generators and the placeholder check.

No literal credential appears here: every token is built at run time by the same generators
the rule files use, and then damaged where a test needs a near miss.
"""

from __future__ import annotations

import base64
import json
import random
import string
from pathlib import Path

import pytest

from leakguard.detectors.checks import is_placeholder, shannon_entropy
from leakguard.detectors.engine import Detector
from leakguard.detectors.prefilter import hyperscan_pattern
from leakguard.models import Fragment, Origin
from leakguard.rule_examples import GENERATORS, expand
from leakguard.ruleset import load_builtin_rules
from leakguard.validators import VALIDATORS
from leakguard.validators.credentials import BASE62, base62

RULES = load_builtin_rules()
ROOT = Path(__file__).resolve().parent.parent


def gen(template: str, seed: str = "seed") -> str:
    return expand(template, seed)


def flip(value: str, index: int) -> str:
    """The value with one alphanumeric character changed."""
    alphabet = BASE62 if value[index].isalnum() else value[index]
    replacement = alphabet[(alphabet.index(value[index]) + 1) % len(alphabet)]
    return value[:index] + replacement + value[index + 1 :]


# --- GitHub / npm CRC32 -------------------------------------------------------------------


def test_base62_pads_with_zeros_and_uses_digits_upper_lower() -> None:
    assert base62(0, 6) == "000000"
    assert base62(61, 2) == "0z"
    assert base62(62, 2) == "10"
    assert base62(36, 1) == "a"


@pytest.mark.parametrize("prefix", ["ghp", "gho", "ghu", "ghr"])
def test_github_checksum_accepts_generated_tokens(prefix: str) -> None:
    check = VALIDATORS["github-checksum"]
    for seed in range(200):
        length = ":70" if prefix == "ghr" else ""
        token = gen(f"${{gen:github-token:{prefix}{length}}}", str(seed))
        assert check(token), token


def test_github_checksum_covers_the_random_part_only() -> None:
    """The CRC32 is over the characters between the prefix and the checksum: the prefix can
    change without breaking it (verified against revoked tokens published in public code)."""
    check = VALIDATORS["github-checksum"]
    token = gen("${gen:github-token:ghp}")
    assert check("gho" + token[3:])
    for index in (4, 20, 33, 34, 39):
        assert not check(flip(token, index))


def test_github_checksum_rejects_malformed_values() -> None:
    check = VALIDATORS["github-checksum"]
    token = gen("${gen:github-token:ghp}")
    assert not check(token.replace("_", ""))
    assert not check(token[:-1])
    assert not check(token[:-1] + "-")


def test_npm_checksum() -> None:
    check = VALIDATORS["npm-checksum"]
    token = gen("${gen:npm-token}")
    assert token.startswith("npm_")
    assert len(token) == 40
    assert check(token)
    assert not check(flip(token, 10))
    assert not check("ghp" + token[3:])  # right checksum, wrong issuer


def test_github_fine_grained_checksum() -> None:
    check = VALIDATORS["github-fine-grained-checksum"]
    for seed in range(50):
        token = gen("${gen:github-fine-grained-pat}", str(seed))
        assert len(token) == 93
        assert check(token)
    token = gen("${gen:github-fine-grained-pat}")
    assert not check(flip(token, 40))  # the body the checksum covers
    assert not check(flip(token, 78))  # the checksum itself
    assert not check(token[:-1])


# --- structured formats ---------------------------------------------------------------------


def test_jwt_validators() -> None:
    token = gen("${gen:jwt}")
    assert VALIDATORS["jwt"](token)
    assert VALIDATORS["jwt-signed"](token)
    header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    unsigned = header + "." + token.split(".")[1] + "." + token.split(".")[2]
    assert VALIDATORS["jwt"](unsigned)
    assert not VALIDATORS["jwt-signed"](unsigned)
    assert not VALIDATORS["jwt"]("eyJhbGciOi.eyJzdWIi.abc")
    assert VALIDATORS["supabase-service-role"](gen("${gen:jwt:role=service_role}"))
    assert not VALIDATORS["supabase-service-role"](gen("${gen:jwt:role=anon}"))


def test_pypi_macaroon() -> None:
    check = VALIDATORS["pypi-macaroon"]
    assert check(gen("${gen:pypi-token}"))
    assert check(gen("${gen:pypi-token:test}"))
    fake = "pypi-" + base64.urlsafe_b64encode(b"\x02\x01\x08npmjs.co" + bytes(80)).decode()
    assert not check(fake)
    assert not check("pypi-!!!")


def test_age_bech32() -> None:
    check = VALIDATORS["age-bech32"]
    key = gen("${gen:age-secret-key}")
    assert key.startswith("AGE-SECRET-KEY-1")
    assert len(key) == 74
    assert check(key)
    body = key[16:]
    other = "Q" if body[5] != "Q" else "P"
    assert not check(key[:21] + other + key[22:])


def test_discord_bot_token() -> None:
    check = VALIDATORS["discord-bot-token"]
    assert check(gen("${gen:discord-bot-token}"))
    assert not check(gen("M${rand:base64url:23}.${rand:base64url:6}.${rand:base64url:38}"))


def test_basic_auth_base64() -> None:
    check = VALIDATORS["basic-auth-base64"]
    assert check(gen("${gen:basic-auth-base64}"))
    assert not check(base64.b64encode(b"no-colon-here").decode())
    assert not check(base64.b64encode(b"user:").decode())
    assert not check(base64.b64encode(bytes(range(200, 240))).decode())


def test_base64_length_checks() -> None:
    assert VALIDATORS["base64-64-bytes"](base64.b64encode(bytes(64)).decode())
    assert not VALIDATORS["base64-64-bytes"](base64.b64encode(bytes(48)).decode())
    assert VALIDATORS["base64-32-bytes"](base64.b64encode(bytes(32)).decode())


def test_onepassword_and_sentry_tokens() -> None:
    assert VALIDATORS["onepassword-service-account"](gen("${gen:onepassword-service-account}"))
    assert not VALIDATORS["onepassword-service-account"](
        "ops_" + base64.urlsafe_b64encode(json.dumps({"a": 1}).encode()).decode()
    )
    assert VALIDATORS["sentry-org-token"](gen("${gen:sentry-org-token}"))


def test_kubernetes_secret_value() -> None:
    check = VALIDATORS["kubernetes-secret-value"]
    assert check(gen("${gen:base64-text:20}"))
    assert not check(base64.b64encode(b"changeme").decode())
    assert not check(base64.b64encode(b"abc").decode())
    assert not check("not base64!")


@pytest.mark.parametrize(
    "value",
    ["Vr8#kLq2!xZ", "Welkom2024!", "s3cr3t-Pa55word", "Zq7" + "x" * 2 + "Lm9PqR4tUv8wXy2z"],
)
def test_generic_secret_value_accepts_secrets(value: str) -> None:
    assert VALIDATORS["generic-secret-value"](value)


@pytest.mark.parametrize(
    "value",
    [
        "password_field",
        "DB_PASSWORD",
        "settings.SECRET_KEY",
        "self.password",
        "get_password()",
        "os.environ.get",
        "/etc/app/secret.key",
        "https://login.example.org/token",
        "PBKDF2PasswordHasher",
        "camelCasePassword",
        "user@example.org",
        "1.2.3.4",
        "kv-gemeente-app-secrets",
        "3f1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809",
    ],
)
def test_generic_secret_value_rejects_code(value: str) -> None:
    assert not VALIDATORS["generic-secret-value"](value)


def test_mixed_alnum() -> None:
    assert VALIDATORS["mixed-alnum"]("aB3")
    assert not VALIDATORS["mixed-alnum"]("abc123")


# --- placeholders ---------------------------------------------------------------------------

DOCUMENTED_PLACEHOLDERS = [
    "${GITHUB_TOKEN}",
    "$API_KEY",
    "%API_KEY%",
    "{{ .Values.token }}",
    "<your-token>",
    "<API_KEY>",
    "your-api-key-here",
    "YOUR_ACCESS_TOKEN",
    "changeme",
    "CHANGE_ME",
    "replace-with-your-key",
    "example-token",
    "AKIAIOSFODNN7" + "EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY",
    "sk_live_" + "x" * 24,
    "ghp_" + "X" * 36,
    "0000000000000000",
    "1234567890abcdef",
    "abcdefghijklmnop",
    "********",
    "sk-...abcd",
    "dummy_token_123",
    "fake-secret-for-tests",
    "REDACTED",
    "my_fake_token",
    "os.environ['TOKEN']",
    "process.env.TOKEN",
    "{0}",
    "%(password)s",
]


@pytest.mark.parametrize("value", DOCUMENTED_PLACEHOLDERS)
def test_documented_placeholders_are_placeholders(value: str) -> None:
    assert is_placeholder(value)


TOKEN_SHAPES = [
    (string.ascii_letters + string.digits, 20),
    (string.ascii_letters + string.digits, 36),
    (string.ascii_letters + string.digits, 40),
    (string.ascii_letters + string.digits, 64),
    (string.ascii_letters + string.digits + "-_", 43),
    (string.ascii_letters + string.digits + "+/", 40),
    (string.ascii_letters + string.digits + "+/", 86),
    (string.hexdigits[:16], 32),
    (string.hexdigits[:16], 64),
    (string.ascii_lowercase + string.digits, 30),
    (string.ascii_uppercase + "234567", 52),
    (string.ascii_letters, 34),
]
PREFIXES = ["", "ghp_", "sk_live_", "glpat-", "xoxb-", "AKIA", "hf_", "dp.st."]


def test_random_tokens_are_never_placeholders() -> None:
    """10,000 random tokens of the alphabets and lengths providers use: none is a placeholder.

    Deterministic (a fixed seed); the placeholder words are counted only in one case and at a
    boundary, so a chance `fake` or `todo` inside a random token does not count.
    """
    rng = random.Random(20261128)
    judged = []
    for index in range(10_000):
        alphabet, length = TOKEN_SHAPES[index % len(TOKEN_SHAPES)]
        prefix = PREFIXES[index % len(PREFIXES)]
        token = prefix + "".join(rng.choice(alphabet) for _ in range(length))
        if is_placeholder(token):
            judged.append(token)
    assert judged == []


def test_random_private_key_bodies_are_never_placeholders() -> None:
    for seed in range(300):
        for kind in ("rsa", "pkcs8", "openssh", "ec"):
            key = gen(f"${{gen:pem-private-key:{kind}}}", f"{kind}/{seed}")
            assert not is_placeholder(key), key[:80]


def test_entropy() -> None:
    assert shannon_entropy("") == 0.0
    assert shannon_entropy("aaaa") == 0.0
    assert shannon_entropy("abcd") == 2.0


# --- rule set hygiene ----------------------------------------------------------------------


def test_credential_rule_count_and_providers() -> None:
    credential_rules = [r for r in RULES if "/credentials/" in r.source.replace("\\", "/")]
    assert len(credential_rules) >= 130
    assert all(rule.provider for rule in credential_rules)


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda rule: rule.id)
def test_rule_regex_compiles_for_hyperscan_prefilter(rule) -> None:
    hyperscan = pytest.importorskip("hyperscan")
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=[hyperscan_pattern(rule.regex)],
        ids=[0],
        flags=[hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_MULTILINE],
    )


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda rule: rule.id)
def test_keywords_are_lowercase_and_distinctive(rule) -> None:
    for keyword in rule.keywords:
        assert keyword == keyword.lower()
        distinctive = len(keyword) >= 3 or not keyword.isalnum()
        assert distinctive, f"{rule.id}: keyword {keyword!r} is too short to be cheap"


def test_generators_are_deterministic() -> None:
    for name in GENERATORS:
        if name in ("b64", "hex", "pct", "url-quote"):
            continue
        argument = {"pem-private-key": ":rsa"}.get(name, "")
        assert gen(f"${{gen:{name}{argument}}}", "a") == gen(f"${{gen:{name}{argument}}}", "a")


OWN_FILES = [
    *sorted((ROOT / "rules" / "credentials").glob("*.yaml")),
    ROOT / "leakguard" / "validators" / "credentials.py",
    ROOT / "leakguard" / "example_generators.py",
    ROOT / "leakguard" / "detectors" / "checks.py",
    ROOT / "leakguard" / "detectors" / "decoding.py",
    ROOT / "tests" / "test_validators_credentials.py",
    ROOT / "tests" / "test_decoding.py",
]


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda path: path.name)
def test_credential_files_hold_no_finding(path: Path) -> None:
    """The rule files and these tests hold templates, never a value any rule reports."""
    detector = Detector(RULES.rules, engine="python")
    fragment = Fragment(path.read_bytes(), str(path), Origin.FILE)
    found = [f"{c.rule_id}@{c.line}" for c in detector.detect(fragment).candidates]
    assert found == []


def test_a_provider_token_is_not_also_a_generic_finding() -> None:
    detector = Detector(RULES.rules, engine="python")
    text = f"GITHUB_TOKEN={gen('${gen:github-token:ghp}')}\nAPI_TOKEN={gen('${rand:alnum:32}')}\n"
    found = detector.detect(Fragment(text.encode(), "a.env", Origin.FILE)).candidates
    assert sorted((c.rule_id, c.line) for c in found) == [
        ("generic-token-assignment", 2),
        ("github-pat", 1),
    ]
