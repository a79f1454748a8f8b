#!/usr/bin/env bash
# The whole test suite, as CI runs it: unit tests, then integration tests against a real libvirt+QEMU
# lab, libvirt's test driver and a real snmpd. As root it installs and starts what the lab needs
# (Debian packages, libvirtd, a bridge); the tests create and remove their own guests.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the shipped form needs to build and check: clang and zlib1g-dev (NativeAOT), scdoc (man pages), dpkg-dev
# (dpkg-shlibdeps), lintian, systemd (systemd-analyze verify) and man-db (man -w) for the package's tests.
BUILD_PACKAGES=(clang zlib1g-dev binutils scdoc dpkg-dev lintian systemd man-db)

if [[ $EUID -eq 0 ]]; then
    missing=()
    for p in "${BUILD_PACKAGES[@]}"; do
        [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" == "install ok installed" ]] || missing+=("$p")
    done
    if ((${#missing[@]})); then
        echo "tests/run.sh: installing ${missing[*]}" >&2
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    fi
    bash tests/lab/lab.sh install
    bash tests/lab/lab.sh start
else
    echo "tests/run.sh: not root: the lab cannot be installed or started here, so the lab tests will fail." >&2
fi

# The integration tests run the binary users get: the NativeAOT executable, published once (the native
# compile takes minutes on a small machine) and packaged from that same file.
dotnet publish src/HvMonitor -c Release -r linux-x64 -o artifacts/publish
export HV_MONITOR_BIN="$PWD/artifacts/publish/hv-monitor"
# The Debian package (Packaging/ tests install it with apt, use it and purge it).
if HV_MONITOR_DEB="$(bash packaging/build-deb.sh "$HV_MONITOR_BIN" artifacts)"; then
    export HV_MONITOR_DEB
else
    echo "tests/run.sh: the Debian package could not be built; the packaging tests will fail." >&2
fi

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
# CI shows only the end of this output: repeat each failed test there, with its message (bounded), so
# that a red run says what broke without the whole log.
awk '
    /^  Failed [^ ]/ { keep = 1; lines = 0; print "" }
    /^  (Passed|Skipped) [^ ]/ || /^\[xUnit/ || /^Test Run / { keep = 0 }
    keep && lines++ < 40 { print }' artifacts/test-output.txt
passed=$(count Passed)
failed=$(count Failed)
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
