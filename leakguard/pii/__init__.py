"""Dutch personal data: detectors for BSN, IBAN, names, addresses and more (category `pii`).

The flow for a rule in `rules/pii-nl/`: the prefilter reports a line where the rule's keywords
or regex may match; its recognizer (`recognizers.py`, on `gate.py`) runs the cheap checks
(checksum, test data, the structure around the value: CSV column, JSON key, SQL column, words
nearby); what passes is scored as its Presidio recognizer scores it (one definition per
detector: `bsn.py`, `iban.py`, ...; `scoring.py`), and only a value whose verdict rests on
Presidio's own context words reaches Presidio (`analyzer.py`); prose goes to spaCy NER through
Presidio when a model is configured (`prose.py`).

Importing this package is cheap: Presidio and spaCy are imported by `analyzer.py` on first use.
"""
