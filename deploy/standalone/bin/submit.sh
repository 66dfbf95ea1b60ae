#!/usr/bin/env bash
# Submits Augur to the running cluster (detached). Extra arguments go to the job, e.g. --set kinesis.region=eu-west-1.
# Prints the job id.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
require_jar
exec "$FLINK" run -d -c "$AUGUR_ENTRY_CLASS" "$AUGUR_JAR" --config "$AUGUR_CONFIG" "$@"
