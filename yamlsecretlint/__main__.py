from yamlsecretlint.command import main

main()
