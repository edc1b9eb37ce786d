#!/bin/sh
# ci-deps.sh — the Debian packages that CI and developers need beyond what
# scalesim builds against (scripts/deps.sh, which is for users): clang with
# libFuzzer's runtime for `make fuzz`, llvm for symbolised sanitizer reports,
# and valgrind for `make memcheck`. As root it installs what is missing;
# otherwise it prints the command and fails (the logic is deps.sh's).
PKGS="clang libclang-rt-14-dev llvm valgrind" WHO="CI and fuzzing" \
  exec sh "$(dirname "$0")/deps.sh"
