"""The stream runtime every stage shares: runner, faust shell, supervisor, Kafka clients."""
