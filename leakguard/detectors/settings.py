"""What detectors may be told beyond the rules themselves (from config and command line)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DetectionSettings:
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
