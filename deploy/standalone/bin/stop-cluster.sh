#!/usr/bin/env bash
# Stops the cluster's JobManager and TaskManager (stop Augur with a savepoint first to keep its state).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
exec "$FLINK_HOME/bin/stop-cluster.sh"
