"""One module per command, each with ``run(…) -> exit status``: lint (the default), list_rules, explain,
show_config. cli.py parses the arguments and dispatches."""
