#!/bin/sh
# ci-deps.sh — the Debian packages that CI and developers need beyond what
# scalesim builds against (scripts/deps.sh, which is for users): clang with
# libFuzzer's runtime for `make fuzz`, llvm for symbolised sanitizer reports,
# and valgrind for `make memcheck`. Same behaviour as deps.sh: as root it
# installs what is missing; otherwise it prints the command and fails.
set -eu
PKGS="clang libclang-rt-14-dev llvm valgrind"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
cmd="apt-get update && apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
  echo "CI and fuzzing need these Debian packages:$missing" >&2
  echo "Run as root:  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
sh -c "$cmd" >&2
