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
PACKAGES=(libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils snmpd snmp iproute2 procps strace)
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

# ---------------------------------------------------------------------------------------------------
# guests

# The replacements are quoted: since bash 5.2 (patsub_replacement) an unquoted & in the replacement
# stands for the matched text, which turned '"' into '"quot;'.
xml_escape() {
    local s=$1
    s=${s//&/"&amp;"}
    s=${s//</"&lt;"}
    s=${s//>/"&gt;"}
    s=${s//\'/"&apos;"}
    s=${s//\"/"&quot;"}
    printf '%s' "$s"
}

disk_xml() { # FILE DEV
    cat <<EOF
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$(xml_escape "$1")'/>
      <target dev='$2' bus='virtio'/>
    </disk>
EOF
}

cdrom_xml() { # DEV [FILE]  (no FILE = drive without media)
    echo "    <disk type='file' device='cdrom'>"
    echo "      <driver name='qemu' type='raw'/>"
    if [[ -n ${2:-} ]]; then echo "      <source file='$(xml_escape "$2")'/>"; fi
    echo "      <target dev='$1' bus='ide'/>"
    echo "      <readonly/>"
    echo "    </disk>"
}

bridge_nic_xml() {
    cat <<EOF
    <interface type='bridge'>
      <source bridge='$BRIDGE'/>
      <model type='virtio'/>
    </interface>
EOF
}

user_nic_xml() {
    cat <<EOF
    <interface type='user'>
      <model type='virtio'/>
    </interface>
EOF
}

vnc_xml() { echo "    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>"; }

spice_xml() { echo "    <graphics type='spice' autoport='yes' listen='127.0.0.1'/>"; }

# NAME [LIBOSINFO_OS_ID], then the <devices> content on stdin. Machine 'pc' (i440fx) because it still
# has IDE, which gives the cdrom the classic hdc target. The libosinfo metadata is what virt-install and
# virt-manager write, so real hosts carry it and the monitor can report an OS from it.
domain_xml() {
    local devices metadata=""
    devices="$(cat)"
    if [[ -n ${2:-} ]]; then
        metadata="  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>
      <libosinfo:os id='$(xml_escape "$2")'/>
    </libosinfo:libosinfo>
  </metadata>"
    fi
    cat <<EOF
<domain type='qemu'>
  <name>$(xml_escape "$1")</name>
$metadata
  <memory unit='MiB'>64</memory>
  <currentMemory unit='MiB'>64</currentMemory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <boot dev='hd'/>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
$devices
    <memballoon model='virtio'/>
  </devices>
</domain>
EOF
}

define_guest() { # NAME [LIBOSINFO_OS_ID]  (domain XML devices on stdin)
    local name=$1 xmlfile
    xmlfile="$(mktemp)"
    domain_xml "$name" "${2:-}" >"$xmlfile"
    virsh_rw define "$xmlfile" >/dev/null || { rm -f "$xmlfile"; die "cannot define '$name'"; }
    rm -f "$xmlfile"
    log "defined '$name'"
}

start_guest() {
    virsh_rw start "$1" >/dev/null || die "cannot start '$1'"
    log "started '$1'"
}

new_qcow2() { # FILE SIZE
    qemu-img create -q -f qcow2 "$1" "$2" || die "qemu-img create $1 failed"
}

qemu_supports_spice() {
    virsh_rw domcapabilities --virttype qemu --arch x86_64 2>/dev/null \
        | sed -n '/<graphics/,/<\/graphics>/p' | grep -q '<value>spice</value>'
}

cmd_guests_down() {
    need_root
    require_libvirt
    local name state
    for name in "${LAB_GUESTS[@]}"; do
        domain_exists "$name" || continue
        state="$(domain_state "$name")"
        if [[ $state != "shut off" ]]; then
            virsh_rw destroy "$name" >/dev/null || die "cannot destroy '$name'"
        fi
        # Images live outside any storage pool, so --remove-all-storage could not delete them; the
        # whole image directory goes below instead. Snapshot metadata must go or undefine refuses.
        virsh_rw undefine "$name" --managed-save --snapshots-metadata --checkpoints-metadata >/dev/null \
            || die "cannot undefine '$name'"
        log "removed '$name' (was: $state)"
    done
    rm -rf "$IMG_DIR"
}

cmd_guests_up() {
    need_root
    require_libvirt
    ip link show "$BRIDGE" >/dev/null 2>&1 || die "bridge $BRIDGE missing; run '$0 start' first"
    local t0=$SECONDS

    cmd_guests_down

    # libvirt-qemu must traverse the directory; dynamic_ownership chowns the images themselves.
    install -d -m 0755 "$IMG_DIR"
    new_qcow2 "$IMG_DIR/hvm-alpha-vda.qcow2" 1G
    new_qcow2 "$IMG_DIR/hvm-alpha-vdb.qcow2" 512M
    # Any file will do: the point is a cdrom source ending in .iso, which the monitor must skip.
    truncate -s 1M "$IMG_DIR/hvm-alpha-install.iso"
    new_qcow2 "$IMG_DIR/hvm-lab-two-vda.qcow2" 1G
    new_qcow2 "$IMG_DIR/hvm-zlutoucky-kun-vda.qcow2" 1G
    new_qcow2 "$IMG_DIR/hvm-paused-vda.qcow2" 256M
    new_qcow2 "$IMG_DIR/hvm-q-b-vda.qcow2" 256M
    new_qcow2 "$IMG_DIR/hvm-off-1-vda.qcow2" 256M

    {
        bridge_nic_xml
        bridge_nic_xml
        disk_xml "$IMG_DIR/hvm-alpha-vda.qcow2" vda
        disk_xml "$IMG_DIR/hvm-alpha-vdb.qcow2" vdb
        cdrom_xml hdc "$IMG_DIR/hvm-alpha-install.iso"
        vnc_xml
    } | define_guest "hvm-alpha" "http://debian.org/debian/12"

    {
        bridge_nic_xml
        disk_xml "$IMG_DIR/hvm-lab-two-vda.qcow2" vda
    } | define_guest "hvm lab two" "http://microsoft.com/win/2k22"

    disk_xml "$IMG_DIR/hvm-zlutoucky-kun-vda.qcow2" vda | define_guest "hvm-žluťoučký-kůň"

    disk_xml "$IMG_DIR/hvm-paused-vda.qcow2" vda | define_guest "hvm-paused"

    {
        bridge_nic_xml
        disk_xml "$IMG_DIR/hvm-q-b-vda.qcow2" vda
    } | define_guest 'hvm "q" \b'

    # The odd cases in one guest: SPICE graphics, a user-mode NIC (no host-side tap, so no
    # counters) and a cdrom drive without media.
    local have_spice=no
    if qemu_supports_spice; then
        have_spice=yes
        {
            user_nic_xml
            cdrom_xml hdc
            spice_xml
        } | define_guest "hvm-spice"
    else
        log "QEMU here has no SPICE support; skipping hvm-spice"
    fi

    {
        bridge_nic_xml
        disk_xml "$IMG_DIR/hvm-off-1-vda.qcow2" vda
    } | define_guest "hvm-off-1"

    # Deliberately empty: a defined-only guest with no devices to report at all.
    : | define_guest "hvm-off-2"

    start_guest "hvm-alpha"
    start_guest "hvm lab two"
    start_guest "hvm-žluťoučký-kůň"
    start_guest 'hvm "q" \b'
    start_guest "hvm-paused"
    if [[ $have_spice == yes ]]; then start_guest "hvm-spice"; fi

    virsh_rw suspend "hvm-paused" >/dev/null || die "cannot suspend hvm-paused"
    log "suspended 'hvm-paused'"

    # Internal snapshot of a running guest: saves RAM into vda, so all writable disks must be qcow2.
    virsh_rw snapshot-create-as "hvm-alpha" snap1 >/dev/null || die "cannot snapshot hvm-alpha"
    log "snapshot 'snap1' of 'hvm-alpha' created"

    log "guests-up done in $((SECONDS - t0)) s"
    virsh -c "$URI" list --all
}

# ---------------------------------------------------------------------------------------------------
# samples

# Single-quote a word for the recorded command line (lab names contain no single quotes).
sq() { printf "'%s'" "$1"; }

# FILE COMMAND: first line "# COMMAND", then exactly what COMMAND printed. The command string is what
# gets executed, so the header can never drift from what produced the output.
record() {
    local file="$SAMPLES_DIR/$1" cmd=$2
    {
        printf '# %s\n' "$cmd"
        bash -c "set -o pipefail; $cmd"
    } >"$file" || die "recording '$cmd' failed"
    log "recorded $1"
}

qemu_pid() { # NAME
    local pidfile="/run/libvirt/qemu/$1.pid" pid
    [[ -r $pidfile ]] || die "no pid file for '$1' (is it running?)"
    pid="$(<"$pidfile")"
    [[ $pid =~ ^[0-9]+$ && -d /proc/$pid ]] || die "stale pid file $pidfile"
    echo "$pid"
}

cmd_record_samples() {
    need_root
    require_libvirt
    local name
    for name in "hvm-alpha" "hvm lab two" "hvm-off-1"; do
        domain_exists "$name" || die "'$name' is not defined; run '$0 guests-up' first"
    done
    mkdir -p "$SAMPLES_DIR"

    # Straight after guests-up every counter is still near zero; give the guests half a minute so the
    # samples show something (the bridge's own IPv6 chatter reaches the NICs, SeaBIOS reads the disks).
    local age
    age="$(ps -o etimes= -p "$(qemu_pid "hvm-alpha")" | tr -d ' ')"
    if ((age < 30)); then
        log "letting the guests run for $((30 - age)) s before recording"
        sleep "$((30 - age))"
    fi

    local ro="virsh -r -c $URI"
    record domstats-raw.txt "$ro domstats --raw"
    record list-all.txt "$ro list --all"
    record dumpxml-hvm-alpha.xml "$ro dumpxml hvm-alpha"
    record dumpxml-hvm-lab-two.xml "$ro dumpxml $(sq "hvm lab two")"
    record dumpxml-hvm-off-1.xml "$ro dumpxml hvm-off-1"
    if domain_exists "hvm-spice"; then
        record dumpxml-hvm-spice.xml "$ro dumpxml hvm-spice"
    fi
    record snapshot-list-hvm-alpha.txt "$ro snapshot-list hvm-alpha"
    record domiflist-hvm-alpha.txt "$ro domiflist hvm-alpha"
    record test-domstats-raw.txt "virsh -r -c test:///default domstats --raw"
    record test-dumpxml-test.xml "virsh -r -c test:///default dumpxml test"

    local pid pidfile="/run/libvirt/qemu/hvm-alpha.pid"
    pid="$(qemu_pid "hvm-alpha")"
    record pidfile-hvm-alpha.txt "cat $pidfile"
    record proc-stat-hvm-alpha.txt "cat /proc/$pid/stat"
    record proc-status-hvm-alpha.txt "cat /proc/$pid/status"
    # NULs separate the arguments; as newlines they stay unambiguous and the file stays text.
    record proc-cmdline-hvm-alpha.txt "cat /proc/$pid/cmdline | tr '\\0' '\\n'"
    # nvcsw/nivcsw are accepted by procps-ng 4.0.2 but always print "-"; kept so that shows.
    record ps-hvm-alpha.txt \
        "ps -o pid,pcpu,pmem,etimes,pri,nice,vsz,rss,maj_flt,min_flt,nvcsw,nivcsw,cputimes -p $pid"

    pid="$(qemu_pid "hvm lab two")"
    record proc-stat-hvm-lab-two.txt "cat /proc/$pid/stat"
    record proc-status-hvm-lab-two.txt "cat /proc/$pid/status"

    record proc-uptime.txt "cat /proc/uptime"
    record proc-meminfo-head.txt "cat /proc/meminfo | head -3"
    record getconf-clk-tck.txt "getconf CLK_TCK"
}

# ---------------------------------------------------------------------------------------------------
# verify

cmd_verify() {
    need_root
    require_libvirt
    local fail=0 stats name want got
    check() { # DESCRIPTION CONDITION...
        local what=$1
        shift
        if "$@"; then log "ok   $what"; else log "FAIL $what"; fail=1; fi
    }

    declare -A expect=(
        ["hvm-alpha"]="running" ["hvm lab two"]="running" ["hvm-žluťoučký-kůň"]="running"
        ['hvm "q" \b']="running"
        ["hvm-paused"]="paused" ["hvm-off-1"]="shut off" ["hvm-off-2"]="shut off"
    )
    for name in "${!expect[@]}"; do
        want=${expect[$name]}
        got="$(domain_state "$name" || true)"
        check "'$name' is $want (got: ${got:-missing})" test "$got" == "$want"
    done

    stats="$(virsh -r -c "$URI" domstats --raw hvm-alpha)"
    has() { grep -Eq "$1" <<<"$stats"; }
    check "hvm-alpha net.count=2" has '^ +net\.count=2$'
    check "hvm-alpha has NIC rx/tx counters" has '^ +net\.1\.tx\.bytes=[0-9]+$'
    check "hvm-alpha block.count=3" has '^ +block\.count=3$'
    check "hvm-alpha block stats for vda" has '^ +block\.[0-9]+\.name=vda$'
    check "hvm-alpha block stats for vdb" has '^ +block\.[0-9]+\.name=vdb$'
    check "hvm-alpha block stats for the .iso" has '^ +block\.[0-9]+\.path=.*\.iso$'
    check "hvm-alpha has 1 snapshot" test "$(virsh -r -c "$URI" snapshot-list hvm-alpha --name | grep -c .)" == 1
    stats="$(virsh -r -c "$URI" domstats --raw hvm-paused)"
    check "hvm-paused state.state=3" has '^ +state\.state=3$'

    if ! id "$UNPRIV_USER" >/dev/null 2>&1; then
        useradd -r "$UNPRIV_USER"
    fi
    check "unprivileged '$UNPRIV_USER' can list read-only" \
        su -s /bin/sh "$UNPRIV_USER" -c "virsh -r -c $URI list --all >/dev/null"

    ((fail == 0)) || die "lab verification failed"
    log "lab verified"
}

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
