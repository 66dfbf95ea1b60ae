#!/usr/bin/env bash
# Starts Augur (this jar: the new version when upgrading) from a savepoint. Usage: resume.sh SAVEPOINT_PATH [job args...]
# Set ALLOW_NON_RESTORED_STATE=1 only when the new version deliberately dropped an operator (see the README's
# upgrade notes): state of operators missing from the new job is then discarded instead of failing the start.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
require_jar
savepoint="${1:?usage: resume.sh SAVEPOINT_PATH [job args...] (the path stop-with-savepoint.sh printed)}"
shift
flags=(-s "$savepoint")
[[ "${ALLOW_NON_RESTORED_STATE:-0}" == 1 ]] && flags+=(--allowNonRestoredState)
exec "$FLINK" run -d "${flags[@]}" -c "$AUGUR_ENTRY_CLASS" "$AUGUR_JAR" --config "$AUGUR_CONFIG" "$@"
