#!/usr/bin/env bash
# Another user's guests coming and going on the shared libvirtd, for as long as this runs: defines, starts,
# pauses, destroys and undefines tiny diskless TCG guests named PREFIX-N (never hvm-*: the lab's and the
# tests' own guests are hvm-*, so whatever this does must not change a test's result). The integration
# tests' LabFixture runs it during the lab tests; run it by hand beside `tests/run.sh` to try the same.
#
#   foreign-churn.sh [PREFIX]    default PREFIX: other-churn-$$
#
# SIGTERM/SIGINT (or the end of the parent) removes every guest it made. Needs root.
set -uo pipefail
export LC_ALL=C.UTF-8

URI="qemu:///system"
PREFIX="${1:-other-churn-$$}"
[[ $PREFIX == hvm* ]] && { echo "foreign-churn.sh: a foreign prefix must not start with hvm" >&2; exit 2; }
virsh_q() { virsh -q -c "$URI" "$@" >/dev/null 2>&1; }

cleanup() {
    local n
    for n in 0 1 2; do
        virsh_q destroy "$PREFIX-$n"
        virsh_q undefine "$PREFIX-$n"
    done
    exit 0
}
trap cleanup TERM INT HUP

define() { # NAME
    local xml
    xml="$(mktemp)"
    cat >"$xml" <<XML
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <on_poweroff>destroy</on_poweroff>
  <devices><memballoon model='none'/></devices>
</domain>
XML
    virsh_q define "$xml"
    rm -f "$xml"
}

# Three guests in different phases at any time, so every lab test meets a guest being defined, started,
# paused, destroyed or removed at some point.
i=0
while :; do
    name="$PREFIX-$((i % 3))"
    virsh_q destroy "$name"
    virsh_q undefine "$name"
    define "$name"
    virsh_q start "$name"
    sleep 0.3
    ((i % 2)) && virsh_q suspend "$name"
    sleep 0.3
    i=$((i + 1))
    # Stop if the parent (the test run) is gone.
    kill -0 "$PPID" 2>/dev/null || cleanup
done
