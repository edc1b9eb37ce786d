#!/bin/sh
# deps.sh — make sure the Debian packages scalesim builds against are installed.
# As root it installs what is missing (apt-get update first); otherwise it
# prints the exact command to run and fails. libxml2-utils brings xmllint, with
# which tests/test_report.c parses the HTML report; parallel (GNU parallel)
# runs tests/test_sweep.c's sharded sweep (docs/experiments.md); tzdata holds the
# time zones of ECS scheduled actions (sim/calendar.h).
# PKGS and WHO may be set by a caller with another list (scripts/ci-deps.sh).
set -eu
PKGS=${PKGS:-"build-essential pkg-config libgsl-dev libcsv-dev libplot-dev libfyaml-dev zlib1g-dev libxml2-utils parallel tzdata"}
WHO=${WHO:-scalesim}
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
cmd="apt-get update && apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
  echo "$WHO needs these Debian packages:$missing" >&2
  echo "Run as root:  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
sh -c "$cmd" >&2
