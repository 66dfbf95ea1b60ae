# Sourced by the scripts in this directory: where Flink, its configuration and the job jar are.
AUGUR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
if [[ -z "${FLINK_HOME:-}" || ! -x "${FLINK_HOME}/bin/flink" ]]; then
  echo "augur: set FLINK_HOME to a Flink 1.20 distribution (https://flink.apache.org/downloads/, flink-1.20.3-bin-scala_2.12.tgz)" >&2
  exit 1
fi
# Flink reads config.yaml, log4j*.properties, masters and workers from here
export FLINK_CONF_DIR="${FLINK_CONF_DIR:-$AUGUR_ROOT/deploy/standalone/conf}"
AUGUR_JAR="${AUGUR_JAR:-$AUGUR_ROOT/job/target/augur-job.jar}"
AUGUR_CONFIG="${AUGUR_CONFIG:-$FLINK_CONF_DIR/augur.yaml}"
AUGUR_ENTRY_CLASS=io.augur.job.AugurJob
FLINK="$FLINK_HOME/bin/flink"

require_jar() {
  [[ -f "$AUGUR_JAR" ]] || { echo "augur: $AUGUR_JAR is missing: build it with 'mvn -B package -pl job -am -DskipTests' (or ./augur --rebuild --help)" >&2; exit 1; }
}

# The id of the RUNNING job named augur (or $1 if given).
running_job_id() {
  if [[ -n "${1:-}" ]]; then echo "$1"; return; fi
  local id
  id="$("$FLINK" list -r 2>/dev/null | awk -F' : ' '$3 ~ /^augur \(RUNNING\)/ {print $2}' | head -1)"
  [[ -n "$id" ]] || { echo "augur: no RUNNING job named augur on the cluster (pass the job id)" >&2; exit 1; }
  echo "$id"
}
