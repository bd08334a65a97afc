#!/bin/sh
# Writes the gateway's properties from the environment, then runs it in the foreground. It listens on every address
# of the container and is reached from the host as 127.0.0.1:8090 or localhost:8090, the authorities holders sign.
set -eu
: "${IDSTREAM_BOOTSTRAP_SERVERS:?IDSTREAM_BOOTSTRAP_SERVERS is required}"
: "${IDSTREAM_SCHEMA_REGISTRY_URL:?IDSTREAM_SCHEMA_REGISTRY_URL is required}"
: "${IDSTREAM_OPERATOR_KEYS:?IDSTREAM_OPERATOR_KEYS is required (the operator public key, hex)}"
config=/var/lib/idstream/gateway.properties
cat > "$config" <<PROPERTIES
bootstrap.servers=${IDSTREAM_BOOTSTRAP_SERVERS}
schema.registry.url=${IDSTREAM_SCHEMA_REGISTRY_URL}
idstream.operator.keys=${IDSTREAM_OPERATOR_KEYS}
state.dir=/var/lib/idstream/gateway
idstream.gateway.listen.host=0.0.0.0
idstream.gateway.port=8090
idstream.gateway.advertised.host=${IDSTREAM_GATEWAY_ADVERTISED_HOST:-gateway}
idstream.gateway.public.authorities=${IDSTREAM_GATEWAY_PUBLIC_AUTHORITIES:-127.0.0.1:8090,localhost:8090}
PROPERTIES
# Set on a replicated cluster (docker/compose.cluster.yaml); unset, the gateway's own default applies.
if [ -n "${IDSTREAM_TOPIC_REPLICATION_FACTOR:-}" ]; then
  echo "idstream.topic.replication.factor=${IDSTREAM_TOPIC_REPLICATION_FACTOR}" >> "$config"
fi
# The compose files run one gateway instance, where a standby has nowhere to go: they set 0.
if [ -n "${IDSTREAM_STANDBY_REPLICAS:-}" ]; then
  echo "num.standby.replicas=${IDSTREAM_STANDBY_REPLICAS}" >> "$config"
fi
exec java ${JAVA_OPTS:-} -jar /opt/idstream/idstream.jar gateway --config "$config"
