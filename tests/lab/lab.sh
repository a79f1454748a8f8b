#!/usr/bin/env bash
# Real libvirt + QEMU lab for hv-monitor: a handful of tiny TCG guests in every state a monitor has to
# report (running, paused, defined-only), with names that break naive parsing (spaces, non-ASCII).
#
#   lab.sh install         install the packages (only when something is missing)
#   lab.sh start           configure and start virtlogd + libvirtd, create the bridge
#   lab.sh guests-up       (re)create the lab guests
#   lab.sh guests-down     destroy and undefine the lab guests, remove their images
#   lab.sh stop            guests-down, stop the daemons, delete the bridge
#   lab.sh record-samples  record probe outputs into samples/libvirt/
#   lab.sh verify          check the lab is as the tests expect (also as an unprivileged user)
#
# Needs root. Written for machines without systemd (containers, CI), where the daemons are started
# by hand; on a host where systemd already runs libvirtd, `start` just finds it answering.
set -euo pipefail

# virsh sizes its table columns by character width; without a UTF-8 locale the non-ASCII guest name
# would be measured (and possibly printed) byte-wise.
export LC_ALL=C.UTF-8

URI="qemu:///system"
BRIDGE="hvmbr0"
IMG_DIR="/var/lib/libvirt/images/hvm-lab"
LIBVIRTD_CONF="/etc/libvirt/libvirtd.conf"
# prometheus (promtool, the server), prometheus-node-exporter, apache2-utils (htpasswd's bcrypt) and openssl:
# the Prometheus tests' real counterparts (tests/HvMonitor.IntegrationTests/Prometheus/).
PACKAGES=(libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils snmpd snmp iproute2 procps strace
    prometheus prometheus-node-exporter apache2-utils openssl)
UNPRIV_USER="hvmtest"
# The SMIv2 base modules (SNMPv2-SMI, -TC, -CONF, SNMP-FRAMEWORK-MIB) that NET-SNMP-EXTEND-MIB (in
# libsnmp-base) imports. Debian ships them only in snmp-mibs-downloader (non-free, downloads at install
# time); erlang-snmp (main) carries the same IETF files. The SNMP tests load them so that snmpget
# formats nsExtendOutputFull as a DisplayString, exactly as LibreNMS (which ships these MIBs) sees it.
LAB_MIB_DIR="/usr/local/share/hv-monitor-lab/mibs"
LAB_MIBS=(SNMPv2-SMI SNMPv2-TC SNMPv2-CONF SNMP-FRAMEWORK-MIB)

# Every guest the lab owns. 'hvm "q" \b' (a double quote, a backslash and spaces) is the name that
# LibreNMS's stripslashes() used to break: libvirt accepts it, and every output form must survive it. Teardown touches these names and nothing else, so the lab can share a
# host with real domains. hvm-spice only exists when QEMU has SPICE support, but is always torn down.
LAB_GUESTS=(
    "hvm-alpha"
    "hvm lab two"
    "hvm-žluťoučký-kůň"
    'hvm "q" \b'
    "hvm-paused"
    "hvm-spice"
    "hvm-off-1"
    "hvm-off-2"
)

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
SAMPLES_DIR="$REPO_ROOT/samples/libvirt"

log() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] ERROR: %s\n' "$*" >&2; exit 1; }

need_root() { [[ $EUID -eq 0 ]] || die "run as root (daemons, bridge and /var/lib/libvirt need it)"; }

virsh_rw() { virsh -q -c "$URI" "$@"; }

libvirt_answers() { virsh -c "$URI" list >/dev/null 2>&1; }

require_libvirt() {
    libvirt_answers || die "libvirtd does not answer on $URI; run '$0 start' first"
}

domain_exists() { virsh_rw domstate "$1" >/dev/null 2>&1; }

domain_state() { virsh_rw domstate "$1" 2>/dev/null | head -n1; }

# ---------------------------------------------------------------------------------------------------
# install

# Extracts the four MIB files from the erlang-snmp package without installing it (and the Erlang
# runtime it depends on).
install_lab_mibs() {
    local m missing=0
    for m in "${LAB_MIBS[@]}"; do [[ -s $LAB_MIB_DIR/$m.mib ]] || missing=1; done
    ((missing)) || return 0
    log "extracting ${LAB_MIBS[*]} from erlang-snmp into $LAB_MIB_DIR"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && apt-get download erlang-snmp >/dev/null 2>&1) \
        || (apt-get update >/dev/null && cd "$tmp" && apt-get download erlang-snmp >/dev/null) \
        || { rm -rf "$tmp"; die "apt-get download erlang-snmp failed"; }
    dpkg-deb -x "$tmp"/erlang-snmp_*.deb "$tmp/x" || { rm -rf "$tmp"; die "cannot unpack erlang-snmp"; }
    install -d -m 0755 "$LAB_MIB_DIR"
    for m in "${LAB_MIBS[@]}"; do
        install -m 0644 "$tmp"/x/usr/lib/erlang/lib/snmp-*/mibs/"$m".mib "$LAB_MIB_DIR/$m.mib" \
            || { rm -rf "$tmp"; die "erlang-snmp has no $m.mib"; }
    done
    rm -rf "$tmp"
}

cmd_install() {
    need_root
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        # "install ok installed" is the only status that means usable; rc/half-installed do not count.
        if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]]; then
            missing+=("$p")
        fi
    done
    if ((${#missing[@]} == 0)); then
        log "all packages already installed"
    else
        log "installing: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y --no-install-recommends "${PACKAGES[@]}"
    fi
    install_lab_mibs
}

# ---------------------------------------------------------------------------------------------------
# start / stop of the daemons

# Prints "changed" when the file was modified, so a running libvirtd knows it must be restarted.
configure_libvirtd() {
    [[ -f $LIBVIRTD_CONF ]] || die "$LIBVIRTD_CONF not found; run '$0 install' first"
    # No D-Bus here, so the default polkit check on the read-only socket can never succeed; "none"
    # lets an unprivileged monitor (e.g. snmpd's user) connect read-only, as polkit would on a host.
    if grep -Eq '^[[:space:]]*auth_unix_ro[[:space:]]*=[[:space:]]*"none"' "$LIBVIRTD_CONF"; then
        return 0
    fi
    if grep -Eq '^[[:space:]]*auth_unix_ro[[:space:]]*=' "$LIBVIRTD_CONF"; then
        sed -i -E 's/^[[:space:]]*auth_unix_ro[[:space:]]*=.*/auth_unix_ro = "none"/' "$LIBVIRTD_CONF"
    else
        printf '\n# hv-monitor lab (tests/lab/lab.sh): read-only socket without polkit\nauth_unix_ro = "none"\n' \
            >>"$LIBVIRTD_CONF"
    fi
    echo changed
}

# pid of a daemon from its pid file, only if that process is alive and really is the daemon.
daemon_pid() {
    local name=$1 pidfile="/run/$1.pid" pid
    [[ -r $pidfile ]] || return 1
    pid="$(<"$pidfile")"
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" == "$name" ]] || return 1
    echo "$pid"
}

stop_daemon() {
    local name=$1 pid i
    pid="$(daemon_pid "$name")" || return 0
    log "stopping $name (pid $pid)"
    kill -TERM "$pid"
    for ((i = 0; i < 150; i++)); do
        [[ -d /proc/$pid ]] || return 0
        sleep 0.2
    done
    die "$name (pid $pid) did not exit within 30 s"
}

# Without udev nothing applies Debian's rule for /dev/kvm (root:kvm 0660), so it stays root-only. Then
# libvirt's QEMU probe finds KVM, but its cache check (/dev/kvm usable by the qemu user?) says no, so
# the capability cache is declared stale and QEMU re-probed on every define/start: ~30 s per call.
# The lab guests use TCG regardless; this only makes the cache stick.
fix_kvm_permissions() {
    [[ -c /dev/kvm ]] && getent group kvm >/dev/null || return 0
    if [[ "$(stat -c '%G %a' /dev/kvm)" != "kvm 660" ]]; then
        log "setting /dev/kvm to root:kvm 0660 (what udev would do)"
        chgrp kvm /dev/kvm && chmod 0660 /dev/kvm || die "cannot fix /dev/kvm permissions"
    fi
}

# Starts a daemon without the caller's open files: started under `flock /tmp/hv-lab.lock ...` (as the tests
# are), libvirtd would otherwise inherit the lock's descriptor and keep the lab locked for as long as it runs.
start_daemon() { # COMMAND ARGS...
    (
        local fd_path fd
        for fd_path in /proc/$BASHPID/fd/*; do
            fd=${fd_path##*/}
            if ((fd > 2)); then eval "exec ${fd}>&-"; fi
        done
        exec "$@"
    )
}

cmd_start() {
    need_root
    command -v libvirtd >/dev/null && command -v virsh >/dev/null \
        || die "libvirt is not installed; run '$0 install' first"

    local conf_changed
    conf_changed="$(configure_libvirtd)"
    if [[ $conf_changed == changed ]]; then
        log "set auth_unix_ro = \"none\" in $LIBVIRTD_CONF"
        # The daemon reads its config only at start-up.
        if daemon_pid libvirtd >/dev/null; then stop_daemon libvirtd; fi
    fi

    fix_kvm_permissions

    # libvirtd hands guest consoles/logs to virtlogd, so it has to be up first.
    if daemon_pid virtlogd >/dev/null; then
        log "virtlogd already running"
    else
        log "starting virtlogd"
        start_daemon virtlogd -d || die "virtlogd failed to start"
    fi

    if daemon_pid libvirtd >/dev/null || libvirt_answers; then
        log "libvirtd already running"
    else
        log "starting libvirtd"
        start_daemon libvirtd -d || die "libvirtd failed to start"
    fi

    local i
    for ((i = 0; i < 60; i++)); do
        libvirt_answers && break
        sleep 1
    done
    libvirt_answers || die "libvirtd does not answer on $URI after 60 s (see /var/log/libvirt/)"
    log "libvirtd answers on $URI"

    # The first call that needs QEMU's capabilities makes libvirtd probe them (a few seconds, then
    # cached in /var/cache/libvirt/qemu/); do it here rather than inside the first define.
    timeout 300 virsh -c "$URI" domcapabilities --virttype qemu --arch x86_64 >/dev/null \
        || die "libvirtd could not probe QEMU capabilities within 5 minutes"

    if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
        log "creating bridge $BRIDGE"
        ip link add "$BRIDGE" type bridge || die "cannot create bridge $BRIDGE"
    fi
    ip link set "$BRIDGE" up || die "cannot bring bridge $BRIDGE up"
}

cmd_stop() {
    need_root
    if libvirt_answers; then cmd_guests_down; fi
    stop_daemon libvirtd
    stop_daemon virtlogd
    if ip link show "$BRIDGE" >/dev/null 2>&1; then
        log "deleting bridge $BRIDGE"
        ip link del "$BRIDGE"
    fi
}

# Guests (guests-up, guests-down), then recorded samples and the lab check: each in its own file.
source "$SCRIPT_DIR/lab-guests.sh"
source "$SCRIPT_DIR/lab-samples.sh"

# ---------------------------------------------------------------------------------------------------

usage() {
    sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    guests-up) cmd_guests_up ;;
    guests-down) cmd_guests_down ;;
    record-samples) cmd_record_samples ;;
    verify) cmd_verify ;;
    *) usage ;;
esac
