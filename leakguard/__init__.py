"""leakguard: stops secrets and Dutch personal data from reaching a public repository."""

__version__ = "0.1.0"
