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

dotnet test HvMonitor.sln -c Release --logger "console;verbosity=normal"
