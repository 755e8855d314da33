"""The local stack: a single-node Kafka and Elasticsearch for development and tests, without
Docker. Split by concern: `java` (JDK discovery), `maven` (provisioning), `processes` (process
control), `local` (the stack itself), `config/` (each server's configuration files)."""

from newsflow.stack.local import LocalStack

__all__ = ["LocalStack"]
