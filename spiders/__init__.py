"""Discovery and fetching: one config-driven spider and its middlewares."""
