#!/usr/bin/env bash
# Builds the Debian package from a published NativeAOT binary, offline, with dpkg-deb:
#
#   bash packaging/build-deb.sh artifacts/publish/hv-monitor artifacts
#     -> artifacts/hv-monitor_VERSION_ARCH.deb and artifacts/man/*.[58] (the roff man pages, also for
#        installing by hand, e.g. on FreeBSD: install -m 0644 artifacts/man/*.8 /usr/local/share/man/man8/)
#
# Needs: scdoc (man pages), dpkg-dev (dpkg-shlibdeps), binutils. `dotnet cake --target=Package` and
# tests/run.sh call it after publishing. Set DEB_MAINTAINER to put your own name in the package.
set -euo pipefail

binary=${1:?usage: build-deb.sh BINARY OUTDIR}
outdir=${2:?usage: build-deb.sh BINARY OUTDIR}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
maintainer=${DEB_MAINTAINER:-"hv-monitor maintainers <hv-monitor@example.org>"}

for tool in scdoc dpkg-deb dpkg-shlibdeps objdump; do
    command -v "$tool" >/dev/null || { echo "build-deb.sh: $tool is missing (apt-get install scdoc dpkg-dev binutils)" >&2; exit 1; }
done
[[ -x $binary ]] || { echo "build-deb.sh: $binary is not an executable (dotnet publish src/HvMonitor -c Release -r linux-x64 first)" >&2; exit 1; }
# The NativeAOT binary is an ELF file; the framework-dependent build is a .dll and cannot be packaged.
[[ "$(head -c 4 "$binary" | od -An -c | tr -d ' ')" == '177ELF' ]] || { echo "build-deb.sh: $binary is not an ELF executable" >&2; exit 1; }

version="$("$binary" --version | awk '{ print $2 }')"
[[ $version =~ ^[0-9][0-9A-Za-z.+~-]*$ ]] || { echo "build-deb.sh: cannot read the version from $binary --version" >&2; exit 1; }
arch="$(dpkg --print-architecture)"
# Reproducible dates (man pages, changelog, file times): the last commit's, when there is one.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}"

mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Staged where dpkg-shlibdeps expects a package's files: debian/PACKAGE/ beside debian/control.
root="$work/src/debian/hv-monitor"

mkdir -p "$root"
# Man pages: scdoc sources in docs/man/NAME.SECTION.scd -> roff, kept in OUTDIR/man and gzipped into the package.
mkdir -p "$outdir/man"
for src in "$repo"/docs/man/*.scd; do
    page="$(basename "$src" .scd)"
    section="${page##*.}"
    scdoc <"$src" >"$outdir/man/$page"
    install -d "$root/usr/share/man/man$section"
    gzip -9n <"$outdir/man/$page" >"$root/usr/share/man/man$section/$page.gz"
done

install -D -m 0755 "$binary" "$root/usr/bin/hv-monitor"
install -D -m 0644 "$here/debian/hv-monitor-report.service" "$root/lib/systemd/system/hv-monitor-report.service"
install -D -m 0644 "$here/debian/hv-monitor-exporter.service" "$root/lib/systemd/system/hv-monitor-exporter.service"
install -D -m 0644 "$here/debian/hv-monitor.cron" "$root/etc/cron.d/hv-monitor"
doc="$root/usr/share/doc/hv-monitor"
install -D -m 0644 "$here/debian/copyright" "$doc/copyright"
# The snmpd snippet as documentation, with the packaged binary's path.
sed 's#/usr/local/bin/hv-monitor#/usr/bin/hv-monitor#g; s#(see crontab.example)#(see /etc/cron.d/hv-monitor)#; s#The walk-through, with the exact commands: docs/librenms.md.#The walk-through: man hv-monitor.#' \
    "$repo/snmpd.conf.example" >"$doc/snmpd.conf.example"
chmod 0644 "$doc/snmpd.conf.example"
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
{
    printf 'hv-monitor (%s) unstable; urgency=medium\n\n' "$version"
    printf '  * Built from the hv-monitor source tree, commit %s.\n\n' "$commit"
    printf ' -- %s  %s\n' "$maintainer" "$(date -R -u -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.gz"

# Depends: what the binary links (dpkg-shlibdeps reads its NEEDED entries: libc6), plus what it loads at run
# time with dlopen, which no tool can see: libvirt.so.0 (LibraryImport through NativeLibrary) and OpenSSL
# (.NET's System.Net.Security for the reporter's HTTPS; libssl3t64 is trixie's name for it).
install -d "$root/DEBIAN" # dpkg-shlibdeps finds the package's root by it
printf 'Source: hv-monitor\n\nPackage: hv-monitor\nArchitecture: any\n' >"$work/src/debian/control"
shlibs="$(cd "$work/src" && dpkg-shlibdeps -O -edebian/hv-monitor/usr/bin/hv-monitor | sed -n 's/^shlibs:Depends=//p')"
[[ -n $shlibs ]] || { echo "build-deb.sh: dpkg-shlibdeps found no dependency" >&2; exit 1; }
depends="$shlibs, libvirt0, libssl3 | libssl3t64"

install -d "$root/DEBIAN"
for script in postinst prerm postrm; do
    install -m 0755 "$here/debian/$script" "$root/DEBIAN/$script"
done
echo /etc/cron.d/hv-monitor >"$root/DEBIAN/conffiles"
cat >"$root/DEBIAN/control" <<CONTROL
Package: hv-monitor
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Recommends: snmpd
Suggests: snmp
Section: admin
Priority: optional
Description: LibreNMS collector for libvirt hosts and virt-who replacement
 hv-monitor reads every libvirt domain (KVM/QEMU) and prints LibreNMS's JSON
 application format, plain or gzip+base64, for LibreNMS's hv-monitor
 application to poll through snmpd's extend, from cron or from snmpd itself.
 It is the successor of the Perl HV::Monitor, without child processes.
 .
 "hv-monitor report" reads virt-who's configuration and reports the host's
 guests to Candlepin or Satellite as virt-who does (libvirt sources).
CONTROL
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/control" "$root/DEBIAN/conffiles"
find "$root" -type d -exec chmod 0755 {} +
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

deb="$outdir/hv-monitor_${version}_${arch}.deb"
rm -f "$outdir"/hv-monitor_*_"$arch".deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
