"""The Elasticsearch and Kibana side: client, index templates, search, saved objects."""
