#!/usr/bin/env bash
# Whole-process figures for BENCHMARKS.md: wall time (hyperfine median) and
# peak RSS (/usr/bin/time -v) of a release `cigen gen` and `cigen check` on
# the synthetic spec of 10 to 10,000 jobs, and `cigen check` on the repo's own
# spec. Needs `hyperfine` and GNU `time` (Debian: apt-get install hyperfine time);
# only this measurement needs them, not the tests.
#
#   cargo build --release --example scale
#   cargo build --release --bin cigen     # alone, as cargo install builds it
#   bash benches/whole-process.sh            # prints Markdown table rows
#
# CIGEN and SCALE name other binaries, e.g. a build from another commit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
cigen=${CIGEN:-$target/release/cigen}
scale=${SCALE:-$target/release/examples/scale}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The median wall time of a hyperfine run, in ms.
median_ms() {
    python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$1"
}

# Peak RSS in MiB of one run of the command (GNU time reports KiB).
peak_mb() {
    /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1 || true
    awk '{ printf "%.1f", $1 / 1024 }' "$work/rss"
}

echo "| jobs | spec size | gen wall (median) | gen peak RSS (MiB) | check wall (median) | check peak RSS (MiB) |"
echo "|---:|---:|---:|---:|---:|---:|"
for jobs in 10 100 1000 10000; do
    dir=$work/$jobs
    mkdir -p "$dir"
    "$scale" "$jobs" >"$dir/pipeline.kdl"
    runs=$((jobs >= 10000 ? 5 : 20))
    # gen on a fresh folder: the workflow file is written (atomically, with fsync).
    hyperfine -N --style none --runs "$runs" --prepare "rm -rf $dir/.forgejo" \
        --export-json "$work/gen.json" "$cigen -C $dir gen" >/dev/null 2>&1
    rm -rf "$dir/.forgejo"
    gen_rss=$(peak_mb "$cigen" -C "$dir" gen)
    # check against the up-to-date file that gen wrote.
    hyperfine -N --style none --warmup 1 --runs "$runs" \
        --export-json "$work/check.json" "$cigen -C $dir check" >/dev/null 2>&1
    check_rss=$(peak_mb "$cigen" -C "$dir" check)
    size=$(( $(stat -c %s "$dir/pipeline.kdl") / 1024 ))
    echo "| $jobs | ${size} KiB | $(median_ms "$work/gen.json") ms | ${gen_rss} | $(median_ms "$work/check.json") ms | ${check_rss} |"
done

# The repo's own spec, or the coverage example before there was one.
spec_dir=$root
[ -f "$spec_dir/pipeline.kdl" ] || spec_dir=$work/coverage
if [ "$spec_dir" = "$work/coverage" ]; then
    mkdir -p "$spec_dir"
    cp "$root/examples/coverage/pipeline.kdl" "$spec_dir/"
    "$cigen" -C "$spec_dir" gen >/dev/null 2>&1
fi
"$cigen" -C "$spec_dir" check >/dev/null 2>&1 || echo "warning: \`cigen check\` on $spec_dir did not pass" >&2
hyperfine -N --style none --warmup 3 --runs 50 \
    --export-json "$work/small.json" "$cigen -C $spec_dir check" >/dev/null 2>&1
echo
echo "small spec ($spec_dir/pipeline.kdl, $(wc -c <"$spec_dir/pipeline.kdl") bytes): check $(median_ms "$work/small.json") ms, peak RSS $(peak_mb "$cigen" -C "$spec_dir" check) MiB"
echo "binary: $(stat -c %s "$cigen") bytes"
