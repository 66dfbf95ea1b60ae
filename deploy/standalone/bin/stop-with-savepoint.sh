#!/usr/bin/env bash
# Stops Augur with a savepoint (flink stop: sources stop, a final savepoint is taken, the job finishes) and prints the
# savepoint path to resume from. Usage: stop-with-savepoint.sh [JOB_ID] [SAVEPOINT_DIR]
# Default job: the RUNNING job named augur; default directory: execution.checkpointing.savepoint-dir in config.yaml.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
job="$(running_job_id "${1:-}")"
if [[ -n "${2:-}" ]]; then
  exec "$FLINK" stop --savepointPath "$2" "$job"
else
  exec "$FLINK" stop "$job"
fi
