#!/usr/bin/env bash
# Builds the fuzz targets once, then runs them one after another, each for
# FUZZ_SECONDS (default 600), niced, logging to fuzz/logs/TARGET.log and a
# line per target to fuzz/logs/summary.txt. New corpus entries go to
# fuzz/work/TARGET (not committed); the seeds in fuzz/corpus/TARGET are read;
# crashes are saved in fuzz/artifacts/TARGET/.
# Usage: fuzz/run.sh [TARGET...]      (no target: all of them)
set -uo pipefail
cd "$(dirname "$0")"
secs=${FUZZ_SECONDS:-600}
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  targets=(read_html tagger read_csv read_jsonl read_json read_text dates coords normalise)
fi
export RUSTC_BOOTSTRAP=1
# Build every target in one go (a later edit of the library does not touch a run).
# FUZZ_NO_BUILD=1 runs the binaries already built.
if [ -z "${FUZZ_NO_BUILD:-}" ]; then
  nice -n 19 cargo fuzz build --sanitizer none --debug-assertions || exit 1
fi
bin=target/$(rustc -vV | sed -n 's/^host: //p')/release
mkdir -p logs work
for t in "${targets[@]}"; do
  mkdir -p "work/$t" "artifacts/$t"
  start=$(date +%s)
  nice -n 19 "$bin/$t" "work/$t" "corpus/$t" -artifact_prefix="artifacts/$t/" \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"logs/$t.log" 2>&1
  rc=$?
  end=$(date +%s)
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | tail -1 | awk '{print $2}')
  echo "$(date -u +%FT%TZ) $t: exit $rc, $((end - start)) s, ${execs:-?} executions, $(ls "artifacts/$t" | wc -l) artifacts" | tee -a logs/summary.txt
done
