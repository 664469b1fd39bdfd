"""Allow `python -m ketenwijs.cli`."""

from ketenwijs.cli.main import main

main()
