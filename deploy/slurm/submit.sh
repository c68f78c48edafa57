#!/usr/bin/env bash
# Generate a dataset on a Slurm cluster: an array of SHARDS tasks, one shard each, then an assemble
# job that runs once they all succeeded (and is cancelled if one fails).
#
#   WORK=/shared/ato-bench SHARDS=8 PRESET=default FORMATS=jsonl,mbox,parquet deploy/slurm/submit.sh
#
# WORK     a folder on a file system every node sees: shards/ and dataset/ go there (required)
# SHARDS   how many tasks (default 4)
# PRESET   a bundled preset (default: default), or CONFIG=/path/to/config.json instead
# SEED     overrides the config's seed
# FORMATS  output formats (default jsonl)
# ATO_BENCH  how to run ato-bench on the nodes (default: ato-bench on PATH; e.g. "npx ato-bench",
#            or "node /opt/ato-bench/dist/scripts/cli.js")
# WAIT=1   wait for the assemble job and exit with its status
# Extra sbatch options (a partition, an account) go in SBATCH_PARTITION, SBATCH_ACCOUNT, ... as
# sbatch reads them from the environment.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${WORK:?set WORK to a folder every node sees}"
export WORK SHARDS="${SHARDS:-4}" FORMATS="${FORMATS:-jsonl}" ATO_BENCH="${ATO_BENCH:-ato-bench}"
if [ -n "${CONFIG:-}" ]; then SOURCE="--config $CONFIG"; else SOURCE="--preset ${PRESET:-default}"; fi
[ -z "${SEED:-}" ] || SOURCE="$SOURCE --seed $SEED"
export SOURCE
mkdir -p "$WORK/shards" "$WORK/logs"
array=$(sbatch --parsable --array="0-$((SHARDS - 1))" --chdir="$WORK" --output="$WORK/logs/generate-%a.log" "$here/generate.sbatch")
array=${array%%;*} # "jobid;cluster" on multi-cluster sites
wait_flag=()
[ "${WAIT:-0}" = 1 ] && wait_flag=(--wait)
echo "submitted shards: job array $array ($SHARDS tasks); logs in $WORK/logs" >&2
# --kill-on-invalid-dep: a failed shard cancels the assembly instead of leaving it pending forever.
sbatch --parsable "${wait_flag[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --chdir="$WORK" --output="$WORK/logs/assemble.log" "$here/assemble.sbatch"
