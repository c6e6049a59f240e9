#!/usr/bin/env bash
# Demo broker start: formats the KRaft storage once with the admin's SCRAM credentials (they must
# exist before any client can connect), then runs the image's usual start. Agency users and their
# ACLs are then added as the admin, from the same declaration as everywhere (npm run infra:up's
# provisioning, or deploy/strimzi/users.yaml on Kubernetes).
set -euo pipefail
if [ ! -f /var/lib/kafka/data/meta.properties ]; then
  /etc/kafka/docker/configure
  /opt/kafka/bin/kafka-storage.sh format --ignore-formatted --cluster-id "${CLUSTER_ID:-passport-demo-cluster0}" \
    --config /opt/kafka/config/server.properties \
    --add-scram "SCRAM-SHA-512=[name=admin,password=${KAFKA_ADMIN_PASSWORD}]"
fi
exec /etc/kafka/docker/run
