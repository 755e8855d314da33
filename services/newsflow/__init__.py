"""newsflow: scraped news through Kafka into an entity-rich Elasticsearch index."""

__version__ = "0.1.0"
