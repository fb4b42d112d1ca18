from newsvault.cli import entry

entry()
