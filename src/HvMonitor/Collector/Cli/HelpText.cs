namespace HvMonitor.Collector.Cli;

public static class HelpText
{
    public static string Version => Shared.ProgramVersion.Text;

    public static string Usage => $"""
        hv-monitor {Version} - LibreNMS JSON for hypervisor hosts (libvirt/QEMU on Linux, CBSD/bhyve on FreeBSD)

        Usage: hv-monitor [-b BACKEND] [-c] [-w [-o BASE] [-q]] [--uri URI] [--pretty] [--timeout SECONDS]
               hv-monitor --cache-ttl SECONDS [-c] [-o BASE] [--log FILE] [--uri URI]
               hv-monitor --format prometheus [-w -o FILE.prom [-q]]
               hv-monitor exporter [--web.listen-address ADDR] [--web.config.file FILE] ...  (hv-monitor exporter --help)

          -b, --backend BACKEND    Libvirt or CBSD, any case (default: {Backends.BackendRegistry.DefaultForThisOs} on this OS;
                                   Libvirt on Linux, CBSD on FreeBSD)
          -c, --compress           print only the gzip+base64 form, as one line (default: plain JSON)
          -w, --write              also write BASE (plain JSON) and BASE.snmp (gzip+base64), atomically, mode 0644
          -o, --output BASE        the file written by -w (default: {CliOptions.DefaultOutputBase})
          -q, --quiet              with -w: print nothing (an error without -w)
              --uri URI            libvirt URI (default: $LIBVIRT_DEFAULT_URI, else qemu:///system;
                                   test:///default is libvirt's built-in test host)
              --pretty             indent the JSON
              --timeout SECONDS    stop collecting after this long and report the VMs collected (default: {CliOptions.DefaultTimeout.TotalSeconds});
                                   one external command (CBSD) is killed after half of it
              --cache-ttl SECONDS  serve mode, for snmpd to run directly: print BASE (BASE.snmp with -c) if it is
                                   younger than SECONDS, else collect, write both files and print; concurrent runs
                                   share one collection; nothing is ever written to stderr (default: off)
              --log FILE           append warnings and errors to FILE (default: none; in serve mode the only place
                                   they go)
              --proc-root DIR      where /proc is (default: /proc; for tests)
              --cbsd-path PATH     CBSD's command (default: /usr/local/bin/cbsd)
              --record DIR         also write every probe's answer (each command's output, each libvirt call, each
                                   /proc file read) into DIR, one plain-text file each: send us DIR to report a problem
              --replay DIR         answer every probe from DIR (written by --record) instead of the host: prints the
                                   recorded run's JSON
              --format FORMAT      librenms (default) or prometheus: the text exposition format 0.0.4; with -w only
                                   the file -o names, which must end in .prom (node_exporter's textfile collector)
          -v, --version            print the version
          -h, --help               print this help

        Short flags bundle: -cw is -c -w.
        Exit status: 0 every VM collected; 1 nothing usable (the output's error is not 0) or -w could not write its
        files; 2 bad usage; 3 incomplete: the output has error 0 and the VMs that were collected, but some VMs or
        some of their figures are missing (errorString and stderr name them).

        Cron (every 5 minutes, as root), writing the cache snmpd serves:
          */5 * * * * /usr/local/bin/hv-monitor -w -q

        snmpd.conf:
          extend hv-monitor /bin/cat /var/cache/hv_monitor.json.snmp

        Or, without cron, snmpd runs hv-monitor itself (cache directory writable by snmpd's user):
          extend hv-monitor /usr/local/bin/hv-monitor --cache-ttl 240 -c -o /var/cache/hv-monitor/hv_monitor.json --log /var/log/hv-monitor/hv-monitor.log

        """;
}
