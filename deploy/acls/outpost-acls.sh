#!/usr/bin/env bash
# Grants (or, with --remove, revokes) the ACLs of Outpost's principals on a Kafka cluster that
# Strimzi does not run, using kafka-acls.sh. The rules are those of
# deploy/k8s/kafka/users.yaml, rule for rule; DeployFilesTest fails when the two differ.
# deploy/README.md says why each rule is there.
#
#   BOOTSTRAP=broker-1:9093 ADMIN_CONFIG=admin.properties deploy/acls/outpost-acls.sh
#   deploy/acls/outpost-acls.sh --dry-run      # print the kafka-acls.sh calls, change nothing
#   deploy/acls/outpost-acls.sh --remove       # revoke the same rules
#
# BOOTSTRAP     brokers to talk to
# ADMIN_CONFIG  client properties of a principal that may change ACLs (Alter on the cluster)
# KAFKA_ACLS    the kafka-acls.sh to run; default: the one on PATH
#
# The principals are User:<name>, as SCRAM authenticates them. Their credentials are created
# apart, for example:
#   kafka-configs.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --alter \
#     --entity-type users --entity-name outpost-pipeline \
#     --add-config 'SCRAM-SHA-512=[iterations=8192,password=...]'
set -euo pipefail

action=--add
dry_run=false
for arg in "$@"; do
  case "$arg" in
    --remove) action=--remove ;;
    --dry-run) dry_run=true ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "outpost-acls.sh: unknown argument '$arg' (use --remove, --dry-run)" >&2; exit 2 ;;
  esac
done

if ! $dry_run; then
  : "${BOOTSTRAP:?set BOOTSTRAP to the brokers, host:port[,host:port...]}"
  : "${ADMIN_CONFIG:?set ADMIN_CONFIG to the client properties of a principal that may change ACLs}"
fi
kafka_acls="${KAFKA_ACLS:-kafka-acls.sh}"

# acl PRINCIPAL RESOURCE-TYPE PATTERN NAME OPERATIONS
#   RESOURCE-TYPE  topic | group | transactionalId   (as in a KafkaUser)
#   PATTERN        literal | prefix                   (as in a KafkaUser)
#   OPERATIONS     comma-separated, such as Read,Describe
acl() {
  local principal="$1" type="$2" pattern="$3" name="$4" operations="$5"
  local -a cmd=("$kafka_acls" --bootstrap-server "${BOOTSTRAP:-BOOTSTRAP}"
    --command-config "${ADMIN_CONFIG:-ADMIN_CONFIG}" "$action" --allow-principal "User:${principal}")
  case "$type" in
    topic) cmd+=(--topic "$name") ;;
    group) cmd+=(--group "$name") ;;
    transactionalId) cmd+=(--transactional-id "$name") ;;
    *) echo "outpost-acls.sh: unknown resource type '$type'" >&2; exit 1 ;;
  esac
  case "$pattern" in
    literal) cmd+=(--resource-pattern-type literal) ;;
    prefix) cmd+=(--resource-pattern-type prefixed) ;;
    *) echo "outpost-acls.sh: unknown pattern type '$pattern'" >&2; exit 1 ;;
  esac
  local op
  local -a ops
  IFS=, read -r -a ops <<< "$operations"
  for op in "${ops[@]}"; do
    cmd+=(--operation "$op")
  done
  if [ "$action" = --remove ]; then
    cmd+=(--force)
  fi
  if $dry_run; then
    printf '%q ' "${cmd[@]}"
    printf '\n'
  else
    "${cmd[@]}"
  fi
}

# outpost-pipeline: `outpost run`, application.id outpost-pipeline, exactly once.
acl outpost-pipeline topic literal news.items.v1 Read,Describe
acl outpost-pipeline topic literal news.classified.v1 Write,Describe
acl outpost-pipeline topic literal alerts.military-exercise.v1 Write,Describe
acl outpost-pipeline topic literal alerts.troop-dispatch.v1 Write,Describe
acl outpost-pipeline topic literal alerts.parade.v1 Write,Describe
acl outpost-pipeline topic literal alerts.diplomatic-tension.v1 Write,Describe
acl outpost-pipeline topic literal stories.v1 Write,Describe
acl outpost-pipeline topic literal alerts.surge.v1 Write,Describe
acl outpost-pipeline topic literal news.items.dlq.v1 Read,Write,Describe
acl outpost-pipeline topic prefix outpost-pipeline Create,Read,Write,Describe
acl outpost-pipeline group prefix outpost-pipeline Read,Describe
acl outpost-pipeline transactionalId prefix outpost-pipeline Write,Describe

# outpost-subscriber: `outpost subscribe`; reads alerts, writes nothing.
acl outpost-subscriber topic literal alerts.military-exercise.v1 Read,Describe
acl outpost-subscriber topic literal alerts.troop-dispatch.v1 Read,Describe
acl outpost-subscriber topic literal alerts.parade.v1 Read,Describe
acl outpost-subscriber topic literal alerts.diplomatic-tension.v1 Read,Describe
acl outpost-subscriber topic literal alerts.surge.v1 Read,Describe
acl outpost-subscriber topic literal stories.v1 Read,Describe
acl outpost-subscriber group prefix outpost-subscribe Read,Describe

# outpost-dispatcher: `outpost dispatch --group outpost-dispatch`.
acl outpost-dispatcher topic literal alerts.military-exercise.v1 Read,Describe
acl outpost-dispatcher topic literal alerts.troop-dispatch.v1 Read,Describe
acl outpost-dispatcher topic literal alerts.parade.v1 Read,Describe
acl outpost-dispatcher topic literal alerts.diplomatic-tension.v1 Read,Describe
acl outpost-dispatcher topic literal alerts.surge.v1 Read,Describe
acl outpost-dispatcher topic literal stories.v1 Read,Describe
acl outpost-dispatcher topic literal outpost.subscriptions.v1 Read,Write,Describe
acl outpost-dispatcher topic prefix outpost-dispatch. Read,Write,Describe
acl outpost-dispatcher topic literal outpost.ops.events.v1 Read,Describe
acl outpost-dispatcher group literal outpost-dispatch Read,Describe
acl outpost-dispatcher group literal outpost-dispatch-redeliver Read,Describe

# outpost-ops: `outpost ops`; lag of every group, the alert stream, dead letters, ops events.
acl outpost-ops group literal '*' Describe
acl outpost-ops topic literal '*' Describe
acl outpost-ops topic literal alerts.military-exercise.v1 Read
acl outpost-ops topic literal alerts.troop-dispatch.v1 Read
acl outpost-ops topic literal alerts.parade.v1 Read
acl outpost-ops topic literal alerts.diplomatic-tension.v1 Read
acl outpost-ops topic literal alerts.surge.v1 Read
acl outpost-ops topic literal stories.v1 Read
acl outpost-ops topic literal news.items.v1 Read
acl outpost-ops topic prefix outpost-dispatch. Read
acl outpost-ops topic literal news.items.dlq.v1 Read
acl outpost-ops topic literal outpost.ops.events.v1 Write,Describe

# outpost-schema-registry: Confluent's schema registry, storing schemas in _schemas.
acl outpost-schema-registry topic literal _schemas Read,Write,Describe,DescribeConfigs
acl outpost-schema-registry group prefix schema-registry Read,Describe
