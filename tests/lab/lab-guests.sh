# shellcheck shell=bash
# Sourced by tests/lab/lab.sh (needs its settings and helpers: URI, LAB_GUESTS, log, virsh_rw ...): the lab guests, their XML, guests-up and guests-down.

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

