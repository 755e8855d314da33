"""newsflow: scraped news through Kafka into an entity-rich Elasticsearch index."""
