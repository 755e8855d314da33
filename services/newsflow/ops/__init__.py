"""Operating a running pipeline: its status, and dead letters listed and replayed."""
