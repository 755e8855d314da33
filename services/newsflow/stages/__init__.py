"""The stages: thin Kafka shells around the cores (collector, cleaner, enricher, indexer)."""
