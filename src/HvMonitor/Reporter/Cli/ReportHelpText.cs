namespace HvMonitor.Reporter.Cli;

/// <summary>The report subcommand's own help (the collector's is Collector/Cli/HelpText).</summary>
public static class ReportHelpText
{
    public const string Usage = "usage: hv-monitor report [-h] [-d] [-o] [-i INTERVAL] [-p] [-c CONFIGS] [-s] [-j] [--version] [--sysroot DIR] [--record DIR | --replay DIR]";
    public const string EncryptPasswordUsage = "usage: hv-monitor report encrypt-password [-h] [-p PASSWORD] [--sysroot DIR]";

    public static string Help => $$"""
        {{Usage}}

        Reports which guests run on which host to Candlepin/Satellite, reading virt-who's configuration
        (/etc/virt-who.conf, /etc/virt-who.d/*.conf, /etc/rhsm/rhsm.conf). A virt-who replacement for
        type=libvirt sections, plus type=cbsd for FreeBSD hosts.

        options:
          -h, --help            show this help message and exit
          -d, --debug           Enable debugging output
          -o, --one-shot        Send the list of guest IDs and exit immediately
          -s, --status          Produce a report to show connection health
          -j, --json            Used with status option to make output in json
          -i INTERVAL, --interval INTERVAL
                                Acquire list of virtual guest each N seconds. Send if
                                changes are detected.
          -p, --print           Print the host/guest association obtained from
                                virtualization backend (implies oneshot)
          -c CONFIGS, --config CONFIGS
                                Configuration file that will be processed and will
                                override configuration from other files. 'global' and
                                'default' sections are not read in files passed in via
                                this option, and are only read from /etc/virt-who.conf.
                                Can be used multiple times
          --version             Display the version information and exit
          --sysroot DIR         Read and write every fixed system path (/etc/virt-who.conf,
                                /etc/virt-who.d/, /etc/rhsm/rhsm.conf, /var/lib/virt-who/,
                                /var/log/rhsm/, /run/virt-who.pid) under DIR
          --record DIR          type=cbsd sections: also write every command's answer to DIR
          --replay DIR          type=cbsd sections: answer the commands from a recording in DIR

        commands:
          encrypt-password [-p PASSWORD]
                                Print the encrypted form of a password for the
                                encrypted_password keys (creates /var/lib/virt-who/key
                                when missing, mode 0600)

        Environment variables VIRTWHO_* are not read (as in virt-who 1.32); use /etc/virt-who.conf.
        """;

    public static string EncryptPasswordHelp => $$"""
        {{EncryptPasswordUsage}}

        Encrypts a password for the encrypted_password, rhsm_encrypted_password and
        rhsm_encrypted_proxy_password keys with the key in /var/lib/virt-who/key (created, mode 0600,
        when missing). The hex value goes to stdout.

        options:
          -h, --help            show this help message and exit
          -p PASSWORD, --password PASSWORD
                                the password to encrypt (prompted without echo when not given)
          --sysroot DIR         use DIR/var/lib/virt-who/key (no root needed)
        """;
}
