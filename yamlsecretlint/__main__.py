from yamlsecretlint.cli import run

run()
