"""What detectors may be told beyond the rules themselves (from config and command line)."""

from __future__ import annotations

from typing import NamedTuple

# Files that tools write, not people: personal data does not start there, and they are most of
# the bytes of a JavaScript project's history (lock files alone are 56-84 % of the blob bytes of
# the Amsterdam frontends). Personal-data rules skip them; credential rules do not (a lock file
# can hold a registry token). Jest snapshots render test fixtures that are scanned as sources.
GENERATED_FILES = (
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "composer.lock",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "Cargo.lock",
    "Gemfile.lock",
    "go.sum",
    "*.snap",
    "*.min.js",
    "*.min.css",
    "*.js.map",
    "*.css.map",
)


class DetectionSettings(NamedTuple):
    # A spaCy pipeline (package name or path) for names and places in prose; None: no NER.
    ner_model: str | None = None
    # The organisation's own e-mail domains, phone numbers and addresses are not personal data.
    organisation_domains: tuple[str, ...] = ()
    organisation_phone_numbers: tuple[str, ...] = ()
    organisation_addresses: tuple[str, ...] = ()
    # The organisation's own bank accounts (IBANs), e.g. on invoices and payment pages.
    organisation_ibans: tuple[str, ...] = ()
    # Mailbox names that are roles, not persons, in addition to the built-in list (info@,
    # noreply@, servicedesk@, ...): `team-data` allows team-data@ at any domain.
    role_mailboxes: tuple[str, ...] = ()
    # Identifiers known to be fictional test data (in addition to the built-in list).
    test_identifiers: tuple[str, ...] = ()
    # Whether the built-in fictional test identifiers fail the build (they do not by default).
    report_test_identifiers: bool = False
    # Paths (gitignore-style globs) where personal-data rules are not run.
    pii_skip_paths: tuple[str, ...] = GENERATED_FILES
