#!/bin/sh
# Writes the processors' properties from the environment, then runs them in the foreground.
# IDSTREAM_BOOTSTRAP_SERVERS may list several brokers, comma separated.
set -eu
: "${IDSTREAM_BOOTSTRAP_SERVERS:?IDSTREAM_BOOTSTRAP_SERVERS is required}"
: "${IDSTREAM_SCHEMA_REGISTRY_URL:?IDSTREAM_SCHEMA_REGISTRY_URL is required}"
: "${IDSTREAM_OPERATOR_KEYS:?IDSTREAM_OPERATOR_KEYS is required (the operator public key, hex)}"
config=/var/lib/idstream/processors.properties
cat > "$config" <<PROPERTIES
bootstrap.servers=${IDSTREAM_BOOTSTRAP_SERVERS}
schema.registry.url=${IDSTREAM_SCHEMA_REGISTRY_URL}
idstream.operator.keys=${IDSTREAM_OPERATOR_KEYS}
state.dir=/var/lib/idstream/streams
idstream.metrics.port=9400
idstream.metrics.host=0.0.0.0
PROPERTIES
# Set on a replicated cluster (docker/compose.cluster.yaml); unset, the processors' own defaults apply.
if [ -n "${IDSTREAM_TOPIC_REPLICATION_FACTOR:-}" ]; then
  echo "idstream.topic.replication.factor=${IDSTREAM_TOPIC_REPLICATION_FACTOR}" >> "$config"
fi
if [ -n "${IDSTREAM_STANDBY_REPLICAS:-}" ]; then
  echo "num.standby.replicas=${IDSTREAM_STANDBY_REPLICAS}" >> "$config"
fi
# false for issuers that write without the holder's consent (docs/operations.md, "Consent before issuance").
if [ -n "${IDSTREAM_ISSUANCE_WRITE_GRANT_REQUIRED:-}" ]; then
  echo "idstream.issuance.write.grant.required=${IDSTREAM_ISSUANCE_WRITE_GRANT_REQUIRED}" >> "$config"
fi
exec java ${JAVA_OPTS:-} -cp /opt/idstream/idstream.jar io.idstream.processors.ProcessorsApp "$config"
