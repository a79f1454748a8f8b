#!/usr/bin/env bash
# The whole test suite, as CI runs it: unit tests, then integration tests against a real libvirt+QEMU
# lab, libvirt's test driver and a real snmpd. As root it installs and starts what the lab needs
# (Debian packages, libvirtd, a bridge); the tests create and remove their own guests.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $EUID -eq 0 ]]; then
    bash tests/lab/lab.sh install
    bash tests/lab/lab.sh start
else
    echo "tests/run.sh: not root: the lab cannot be installed or started here, so the lab tests will fail." >&2
fi

# The integration tests run the binary users get: the published single file.
dotnet publish src/HvMonitor -c Release -r linux-x64 -o artifacts/publish
export HV_MONITOR_BIN="$PWD/artifacts/publish/hv-monitor"

# One plain closing line for CI ("N passed, N failed"), summed over the test assemblies.
mkdir -p artifacts
set +e
dotnet test HvMonitor.sln -c Release --logger "console;verbosity=normal" 2>&1 | tee artifacts/test-output.txt
status=${PIPESTATUS[0]}
set -e
# The console logger at normal verbosity ends each assembly with "Total tests: N" and indented
# "Passed: N" / "Failed: N" lines (minimal verbosity prints "Passed!  - Failed: N, Passed: N, ..."
# instead); either way, sum them. awk, not grep: no match must not end the script (set -e, pipefail).
count() { # WORD
    awk -v word="$1" '
        $0 ~ "^ +" word ": +[0-9]+ *$" { n += $2 }
        $0 ~ "^(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+" {
            for (i = 1; i <= NF; i++) if ($i == word ":") { v = $(i + 1); sub(",", "", v); n += v }
        }
        END { print n + 0 }' artifacts/test-output.txt
}
passed=$(count Passed)
failed=$(count Failed)
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
