# shellcheck shell=bash
# Sourced by tests/lab/lab.sh (needs its settings and helpers: URI, LAB_GUESTS, log, virsh_rw ...): record-samples and verify.

# ---------------------------------------------------------------------------------------------------
# samples

# Single-quote a word for the recorded command line (lab names contain no single quotes).
sq() { printf "'%s'" "$1"; }

# FILE COMMAND: first line "$ COMMAND", then exactly what COMMAND printed. The command string is what
# gets executed, so the header can never drift from what produced the output.
record() {
    local file="$SAMPLES_DIR/$1" cmd=$2
    {
        printf '$ %s\n' "$cmd"
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

    record_job_held_stats

    record proc-uptime.txt "cat /proc/uptime"
    record proc-meminfo-head.txt "cat /proc/meminfo | head -3"
    record getconf-clk-tck.txt "getconf CLK_TCK"
}

# The record libvirt makes without the domain's job: --nowait does not wait for a job another client holds. Here
# the holder is a query stuck on hvm-alpha's stopped QEMU (SIGSTOP), resumed straight after, whatever happens.
record_job_held_stats() {
    local pid holder
    pid="$(qemu_pid "hvm-alpha")"
    kill -STOP "$pid"
    # shellcheck disable=SC2064 # the pid is meant to be expanded now
    trap "kill -CONT $pid" RETURN
    timeout 20 virsh -r -c "$URI" domstats --raw hvm-alpha >/dev/null 2>&1 &
    holder=$!
    sleep 1
    record domstats-nowait-job-held.txt "virsh -r -c $URI domstats --raw --state --balloon --interface --block --nowait hvm-alpha"
    kill -CONT "$pid"
    wait "$holder" || true
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

