#!/usr/bin/env bash
# Runs every GaitStream test on a fresh machine: restores packages, builds the solution (warnings are errors),
# runs all xunit projects, and ends with one summary line "tests: N passed, N failed, N skipped".
# Usage: scripts/test.sh [extra dotnet test args]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET SDK (dotnet, 10.0) is not on PATH; install it first (https://dot.net)." >&2
  exit 2
fi
if [ ! -d ../shared/data ]; then
  echo "error: ../shared/data (real OpenSim outputs the tests check against) is missing beside the repository." >&2
  exit 2
fi

# System packages some tests drive for real (installed when running as root on Debian/Ubuntu, else a clear error):
# python3-onnx: the ONNX export tests check every exported file with onnx's own checker;
# python3-grpcio + python3-grpc-tools: the server tests run an independent Python client built from the .proto.
need=()
/usr/bin/python3 -c "import onnx" >/dev/null 2>&1 || need+=(python3-onnx)
/usr/bin/python3 -c "import grpc" >/dev/null 2>&1 || need+=(python3-grpcio)
/usr/bin/python3 -c "import grpc_tools.protoc" >/dev/null 2>&1 || need+=(python3-grpc-tools)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} (used by the tests)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "error: the tests need ${need[*]}: run 'sudo apt-get install -y ${need[*]}' first." >&2
    exit 2
  fi
fi

# The live view's browser test drives Debian's chromium through Playwright (no browser download).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium (the browser the live-view test drives)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "error: the live-view test needs Debian's chromium at /usr/bin/chromium: run 'sudo apt-get install -y chromium' first." >&2
    exit 2
  fi
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test GaitStream.sln -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, Skipped: S, Total: T" line per test project.
read -r passed failed skipped projects < <(awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
    for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
    n++
  }
  END { printf "%d %d %d %d\n", p, f, s, n }' "$log")

echo
echo "test projects run: $projects"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
if [ "$projects" -eq 0 ] || [ "$passed" -eq 0 ]; then
  echo "error: no test ran." >&2
  exit 1
fi
