"""yamlsecretlint: plaintext credentials and secret references in YAML and dotenv files."""

__version__ = "0.1.0"
