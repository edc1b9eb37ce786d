#!/bin/sh
# sweep-parallel.sh HOSTS [SHARDS] — a scalesim sweep spread over machines
# with GNU parallel over ssh, then merged (docs/experiments.md).
#
# HOSTS is GNU parallel's --sshloginfile: one ssh login per line (`host`,
# `user@host`, or `:` for this machine). Every host needs scalesim on its
# PATH (`make install`) and ssh access without a password prompt. SHARDS
# (default: one per host) shards run, one at a time per host, each using all
# of its host's CPUs (-j defaults to the online CPUs). The scenario is copied
# to each host (--basefile); each shard's folder is copied back with rsync
# (--return) and removed there (--cleanup); then the shards are merged into
# $OUT/sweep. Re-running the script resumes: complete runs are skipped.
#
#   SCENARIO=my.yaml OUT=results sh docs/examples/sweep-parallel.sh hosts.txt 16
set -eu
hosts=${1:?usage: sweep-parallel.sh HOSTS [SHARDS]}
shards=${2:-$(grep -cv '^[[:space:]]*\(#.*\)\{0,1\}$' "$hosts")}
scenario=${SCENARIO:-docs/examples/demo.yaml}
out=${OUT:-out}

# The design; the keys are single-quoted for the remote shell ([0] is a glob).
grid="--grid 'platforms[0].instances=4,6,8,10,12' --grid 'platforms[0].instance.max_concurrency=20,80,200'"

mkdir -p "$out/sweep-shards"
seq 0 $((shards - 1)) |
  parallel --will-cite --sshloginfile "$hosts" -j 1 \
    --basefile "$scenario" --return "$out/sweep-shards/shard-{}" --cleanup \
    "mkdir -p '$out/sweep-shards' && scalesim sweep '$scenario' $grid -q --shard {}/$shards -o '$out/sweep-shards/shard-{}'"
scalesim merge -o "$out/sweep" "$out"/sweep-shards/shard-*
