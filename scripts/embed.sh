#!/bin/sh
# embed.sh NAME FILE — prints a C file defining `const char NAME[]` holding FILE's
# bytes, so the binary carries the demo scenario (no xxd on a bare machine).
set -eu
printf '/* generated from %s by scripts/embed.sh; do not edit */\n' "$2"
printf 'const char %s[] = {\n' "$1"
od -An -v -tu1 "$2" | awk '{ for (i = 1; i <= NF; i++) printf "%s,", $i; printf "\n" }'
printf '0};\n'
