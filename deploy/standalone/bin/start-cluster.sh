#!/usr/bin/env bash
# Starts a one-machine Flink session cluster (JobManager + TaskManager on 127.0.0.1) with deploy/standalone/conf.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# the directories config.yaml names (change both together)
mkdir -p /var/lib/augur/{checkpoints,savepoints,tmp,uploads,output} \
  || { echo "augur: cannot create /var/lib/augur/*: create it for this user or change the paths in $FLINK_CONF_DIR/config.yaml" >&2; exit 1; }
"$FLINK_HOME/bin/start-cluster.sh"
echo "Flink web UI and REST API: http://127.0.0.1:8081"
