"""``python -m pipeline`` runs the ``handout`` command."""

from .cli import main

main(prog_name="handout")
