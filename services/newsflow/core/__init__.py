"""Pure cores: what an article becomes, with no Kafka, no Elasticsearch and no settings."""
