"""Subcommands of the ``newsvault`` CLI, one module each."""
