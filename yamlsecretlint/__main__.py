import sys

from yamlsecretlint.cli import main

sys.exit(main())
