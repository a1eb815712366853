//! The knowledge catalogs (`rules/catalog/*.toml`): they parse, their vocabulary is
//! consistent, the heavy-container items resolve under their Debian, RHEL and Alpine names,
//! real image references are classified with the right alternative, and user catalogs merge,
//! override and fail with positions.

use std::collections::BTreeSet;

use dlayer::model::catalog::{
    Catalog, Ecosystem, ImageKind, Layer, PackageFamily, bare_package_name, ecosystem_of_family,
    image_trait, normalize_package_name, tag,
};

fn catalog() -> &'static Catalog {
    Catalog::builtin()
}

#[test]
fn builtin_catalogs_parse_and_are_populated() {
    let catalog = catalog();
    assert!(
        catalog.image_families().len() >= 60,
        "{:?}",
        catalog.image_families()
    );
    for ecosystem in Ecosystem::ALL {
        assert!(
            !catalog.package_entries(ecosystem).is_empty(),
            "no entries for {ecosystem}"
        );
    }
    for ecosystem in [Ecosystem::Deb, Ecosystem::Rpm, Ecosystem::Apk] {
        assert!(
            catalog.package_entries(ecosystem).len() >= 300,
            "{ecosystem} is thin"
        );
    }
}

#[test]
fn every_tag_used_is_documented_and_every_documented_tag_is_used() {
    let catalog = catalog();
    let documented: BTreeSet<&str> = catalog.tags().keys().map(String::as_str).collect();
    let mut used = BTreeSet::new();
    for ecosystem in Ecosystem::ALL {
        for entry in catalog.package_entries(ecosystem) {
            assert!(Layer::ALL.contains(&entry.layer));
            for name in &entry.tags {
                assert!(
                    documented.contains(name.as_str()),
                    "[{ecosystem}] {}: tag `{name}` is not documented",
                    entry.pattern
                );
                used.insert(name.clone());
            }
        }
    }
    for name in &documented {
        assert!(
            used.contains(*name),
            "tag `{name}` is documented but never used"
        );
        assert!(
            !catalog.tags()[*name].trim().is_empty(),
            "tag `{name}` has no description"
        );
    }
    for name in tag::ALL {
        assert!(
            documented.contains(name),
            "constant tag `{name}` is not documented"
        );
    }
    for name in image_trait::ALL {
        assert!(
            catalog.traits().contains_key(*name),
            "constant trait `{name}` is not documented"
        );
    }
}

#[test]
fn no_duplicate_names_within_an_ecosystem() {
    for ecosystem in Ecosystem::ALL {
        let mut seen = BTreeSet::new();
        for entry in catalog().package_entries(ecosystem) {
            let key = normalize_package_name(ecosystem, &entry.pattern);
            assert!(
                seen.insert(key.clone()),
                "[{ecosystem}] `{key}` listed twice"
            );
        }
    }
}

/// A `-dev`/`-devel`/`-dbg`/`-doc` package is a development package even when a family
/// pattern (`postgresql*`, `python3-*`, `perl-*`) would otherwise claim it: for every pattern
/// of a non-dev layer, `<pattern with x>-dev` must resolve to the dev layer.
#[test]
fn development_packages_are_never_claimed_by_family_patterns() {
    let catalog = catalog();
    let mut failures = Vec::new();
    for (ecosystem, suffix) in [
        (Ecosystem::Deb, "-dev"),
        (Ecosystem::Deb, "-dbg"),
        (Ecosystem::Deb, "-doc"),
        (Ecosystem::Apk, "-dev"),
        (Ecosystem::Apk, "-dbg"),
        (Ecosystem::Apk, "-doc"),
        (Ecosystem::Rpm, "-devel"),
        (Ecosystem::Rpm, "-debuginfo"),
        (Ecosystem::Rpm, "-doc"),
    ] {
        for entry in catalog.package_entries(ecosystem) {
            if entry.layer == Layer::Dev || !entry.pattern.ends_with('*') || entry.pattern == "*" {
                continue;
            }
            let sample = format!("{}{suffix}", entry.pattern.replace('*', "x"));
            let info = catalog.package(ecosystem, &sample).unwrap();
            if info.layer != Layer::Dev {
                failures.push(format!(
                    "[{ecosystem}] `{sample}` resolves to {} through `{}`",
                    info.layer, info.pattern
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every heavy-container item of DESIGN.md, under its Debian/Ubuntu, RHEL-family and Alpine
/// names: (ecosystem, name, layer, tag).
#[test]
fn heavy_container_items_resolve_in_every_family() {
    use Ecosystem::{Apk, Deb, Rpm};
    use Layer::{Dev, Ops, Os, Runtime};
    #[rustfmt::skip]
    let table: &[(Ecosystem, &str, Layer, &str)] = &[
        // sshd
        (Deb, "openssh-server", Dev, tag::SSHD), (Rpm, "openssh-server", Dev, tag::SSHD),
        (Apk, "openssh", Dev, tag::SSHD), (Apk, "openssh-server", Dev, tag::SSHD),
        (Deb, "dropbear", Dev, tag::SSHD), (Apk, "dropbear", Dev, tag::SSHD), (Rpm, "dropbear", Dev, tag::SSHD),
        // supervisors
        (Deb, "supervisor", Runtime, tag::SUPERVISOR), (Rpm, "supervisor", Runtime, tag::SUPERVISOR),
        (Apk, "supervisor", Runtime, tag::SUPERVISOR), (Ecosystem::Pip, "supervisor", Runtime, tag::SUPERVISOR),
        (Deb, "runit", Runtime, tag::SUPERVISOR), (Apk, "runit", Runtime, tag::SUPERVISOR),
        (Deb, "s6", Runtime, tag::SUPERVISOR), (Apk, "s6", Runtime, tag::SUPERVISOR),
        (Deb, "monit", Ops, tag::SUPERVISOR), (Rpm, "monit", Ops, tag::SUPERVISOR), (Apk, "monit", Ops, tag::SUPERVISOR),
        (Deb, "circus", Runtime, tag::SUPERVISOR), (Ecosystem::Pip, "circus", Runtime, tag::SUPERVISOR),
        // init systems (tini and dumb-init are fine, but still init)
        (Deb, "systemd", Os, tag::INIT), (Deb, "systemd-sysv", Os, tag::INIT), (Rpm, "systemd", Os, tag::INIT),
        (Rpm, "initscripts", Os, tag::INIT), (Deb, "sysvinit-core", Os, tag::INIT), (Deb, "initscripts", Os, tag::INIT),
        (Apk, "openrc", Os, tag::INIT),
        (Deb, "tini", Os, tag::INIT), (Rpm, "tini", Os, tag::INIT), (Apk, "tini", Os, tag::INIT),
        (Deb, "dumb-init", Os, tag::INIT), (Rpm, "dumb-init", Os, tag::INIT), (Apk, "dumb-init", Os, tag::INIT),
        // cron
        (Deb, "cron", Ops, tag::CRON), (Deb, "anacron", Ops, tag::CRON),
        (Rpm, "cronie", Ops, tag::CRON), (Rpm, "cronie-anacron", Ops, tag::CRON), (Rpm, "crontabs", Ops, tag::CRON),
        (Apk, "dcron", Ops, tag::CRON), (Apk, "cronie", Ops, tag::CRON),
        // configuration management
        (Deb, "puppet", Ops, tag::CM_AGENT), (Deb, "puppet-agent", Ops, tag::CM_AGENT), (Rpm, "puppet-agent", Ops, tag::CM_AGENT),
        (Apk, "puppet", Ops, tag::CM_AGENT), (Deb, "chef", Ops, tag::CM_AGENT), (Rpm, "chef", Ops, tag::CM_AGENT),
        (Deb, "salt-minion", Ops, tag::CM_AGENT), (Rpm, "salt-minion", Ops, tag::CM_AGENT), (Apk, "salt-minion", Ops, tag::CM_AGENT),
        (Deb, "salt-master", Ops, tag::CM_AGENT), (Rpm, "salt-master", Ops, tag::CM_AGENT),
        (Deb, "ansible", Ops, tag::CM_AGENT), (Rpm, "ansible", Ops, tag::CM_AGENT), (Apk, "ansible", Ops, tag::CM_AGENT),
        (Ecosystem::Pip, "ansible", Ops, tag::CM_AGENT), (Deb, "cfengine3", Ops, tag::CM_AGENT),
        (Rpm, "cfengine-community", Ops, tag::CM_AGENT),
        // kernels, firmware, boot loaders
        (Deb, "linux-image-amd64", Dev, tag::KERNEL), (Deb, "linux-image-5.15.0-91-generic", Dev, tag::KERNEL),
        (Rpm, "kernel", Dev, tag::KERNEL), (Rpm, "kernel-core", Dev, tag::KERNEL), (Rpm, "kernel-modules-extra", Dev, tag::KERNEL),
        (Apk, "linux-lts", Dev, tag::KERNEL), (Apk, "linux-virt", Dev, tag::KERNEL),
        (Deb, "linux-firmware", Dev, tag::KERNEL), (Deb, "firmware-linux-nonfree", Dev, tag::KERNEL),
        (Rpm, "linux-firmware", Dev, tag::KERNEL), (Rpm, "iwl7260-firmware", Dev, tag::KERNEL),
        (Apk, "linux-firmware", Dev, tag::KERNEL), (Apk, "linux-firmware-intel", Dev, tag::KERNEL),
        (Deb, "grub-pc", Dev, tag::KERNEL), (Deb, "grub-efi-amd64", Dev, tag::KERNEL), (Rpm, "grub2-tools", Dev, tag::KERNEL),
        (Apk, "grub-efi", Dev, tag::KERNEL), (Deb, "initramfs-tools", Dev, tag::KERNEL), (Rpm, "dracut", Dev, tag::KERNEL),
        (Deb, "syslinux", Dev, tag::KERNEL), (Apk, "syslinux", Dev, tag::KERNEL), (Rpm, "shim-x64", Dev, tag::KERNEL),
        (Deb, "shim-signed", Dev, tag::KERNEL), (Apk, "mkinitfs", Dev, tag::KERNEL),
        // editors
        (Deb, "vim", Dev, tag::EDITOR), (Deb, "vim-tiny", Dev, tag::EDITOR), (Rpm, "vim-enhanced", Dev, tag::EDITOR),
        (Rpm, "vim-minimal", Dev, tag::EDITOR), (Apk, "vim", Dev, tag::EDITOR), (Deb, "nano", Dev, tag::EDITOR),
        (Rpm, "nano", Dev, tag::EDITOR), (Apk, "nano", Dev, tag::EDITOR), (Deb, "emacs-nox", Dev, tag::EDITOR),
        (Rpm, "emacs", Dev, tag::EDITOR), (Apk, "emacs", Dev, tag::EDITOR), (Deb, "joe", Dev, tag::EDITOR),
        (Apk, "mg", Dev, tag::EDITOR), (Deb, "micro", Dev, tag::EDITOR), (Apk, "neovim", Dev, tag::EDITOR),
        // compilers and toolchains
        (Deb, "gcc", Dev, tag::COMPILER), (Rpm, "gcc", Dev, tag::COMPILER), (Apk, "gcc", Dev, tag::COMPILER),
        (Deb, "g++", Dev, tag::COMPILER), (Rpm, "gcc-c++", Dev, tag::COMPILER), (Apk, "g++", Dev, tag::COMPILER),
        (Deb, "clang", Dev, tag::COMPILER), (Rpm, "clang", Dev, tag::COMPILER), (Apk, "clang", Dev, tag::COMPILER),
        (Deb, "build-essential", Dev, tag::COMPILER), (Apk, "build-base", Dev, tag::COMPILER),
        (Deb, "golang", Dev, tag::COMPILER), (Deb, "golang-go", Dev, tag::COMPILER), (Rpm, "golang", Dev, tag::COMPILER),
        (Apk, "go", Dev, tag::COMPILER), (Deb, "rustc", Dev, tag::COMPILER), (Deb, "cargo", Dev, tag::COMPILER),
        (Rpm, "rust", Dev, tag::COMPILER), (Apk, "rust", Dev, tag::COMPILER), (Apk, "cargo", Dev, tag::COMPILER),
        (Deb, "openjdk-17-jdk", Dev, tag::COMPILER), (Deb, "openjdk-17-jdk-headless", Dev, tag::COMPILER),
        (Rpm, "java-17-openjdk-devel", Dev, tag::COMPILER), (Apk, "openjdk17", Dev, tag::COMPILER),
        (Apk, "openjdk17-jdk", Dev, tag::COMPILER),
        (Deb, "make", Dev, tag::BUILD_TOOL), (Rpm, "make", Dev, tag::BUILD_TOOL), (Apk, "make", Dev, tag::BUILD_TOOL),
        (Deb, "cmake", Dev, tag::BUILD_TOOL), (Rpm, "cmake", Dev, tag::BUILD_TOOL), (Apk, "cmake", Dev, tag::BUILD_TOOL),
        (Deb, "autoconf", Dev, tag::BUILD_TOOL), (Rpm, "automake", Dev, tag::BUILD_TOOL), (Apk, "libtool", Dev, tag::BUILD_TOOL),
        (Deb, "pkg-config", Dev, tag::BUILD_TOOL), (Rpm, "pkgconfig", Dev, tag::BUILD_TOOL), (Apk, "pkgconf", Dev, tag::BUILD_TOOL),
        (Deb, "maven", Dev, tag::BUILD_TOOL), (Rpm, "maven", Dev, tag::BUILD_TOOL), (Apk, "gradle", Dev, tag::BUILD_TOOL),
        (Deb, "libssl-dev", Dev, tag::HEADERS), (Deb, "python3-dev", Dev, tag::HEADERS), (Deb, "php8.2-dev", Dev, tag::HEADERS),
        (Rpm, "openssl-devel", Dev, tag::HEADERS), (Rpm, "python3-devel", Dev, tag::HEADERS), (Rpm, "perl-devel", Dev, tag::HEADERS),
        (Apk, "openssl-dev", Dev, tag::HEADERS), (Apk, "musl-dev", Dev, tag::HEADERS), (Apk, "linux-headers", Dev, tag::HEADERS),
        (Apk, "postgresql-dev", Dev, tag::HEADERS), (Apk, "mariadb-dev", Dev, tag::HEADERS),
        // debuggers and tracers
        (Deb, "gdb", Dev, tag::DEBUGGER), (Rpm, "gdb", Dev, tag::DEBUGGER), (Apk, "gdb", Dev, tag::DEBUGGER),
        (Deb, "strace", Dev, tag::DEBUGGER), (Rpm, "strace", Dev, tag::DEBUGGER), (Apk, "strace", Dev, tag::DEBUGGER),
        (Deb, "ltrace", Dev, tag::DEBUGGER), (Rpm, "ltrace", Dev, tag::DEBUGGER), (Apk, "ltrace", Dev, tag::DEBUGGER),
        (Deb, "valgrind", Dev, tag::DEBUGGER), (Rpm, "valgrind", Dev, tag::DEBUGGER), (Apk, "valgrind", Dev, tag::DEBUGGER),
        (Deb, "linux-perf", Dev, tag::DEBUGGER), (Rpm, "perf", Dev, tag::DEBUGGER), (Apk, "perf", Dev, tag::DEBUGGER),
        (Deb, "lsof", Dev, tag::DEBUGGER), (Rpm, "lsof", Dev, tag::DEBUGGER), (Apk, "lsof", Dev, tag::DEBUGGER),
        // network tools
        (Deb, "net-tools", Dev, tag::NETWORK_TOOL), (Rpm, "net-tools", Dev, tag::NETWORK_TOOL), (Apk, "net-tools", Dev, tag::NETWORK_TOOL),
        (Deb, "iputils-ping", Dev, tag::NETWORK_TOOL), (Rpm, "iputils", Dev, tag::NETWORK_TOOL), (Apk, "iputils", Dev, tag::NETWORK_TOOL),
        (Deb, "telnet", Dev, tag::NETWORK_TOOL), (Rpm, "telnet", Dev, tag::NETWORK_TOOL), (Apk, "busybox-extras", Dev, tag::NETWORK_TOOL),
        (Deb, "tcpdump", Dev, tag::NETWORK_TOOL), (Rpm, "tcpdump", Dev, tag::NETWORK_TOOL), (Apk, "tcpdump", Dev, tag::NETWORK_TOOL),
        (Deb, "nmap", Dev, tag::NETWORK_TOOL), (Rpm, "nmap", Dev, tag::NETWORK_TOOL), (Apk, "nmap", Dev, tag::NETWORK_TOOL),
        (Deb, "netcat-openbsd", Dev, tag::NETWORK_TOOL), (Deb, "netcat", Dev, tag::NETWORK_TOOL), (Rpm, "nmap-ncat", Dev, tag::NETWORK_TOOL),
        (Rpm, "nc", Dev, tag::NETWORK_TOOL), (Apk, "netcat-openbsd", Dev, tag::NETWORK_TOOL), (Deb, "ncat", Dev, tag::NETWORK_TOOL),
        (Deb, "dnsutils", Dev, tag::NETWORK_TOOL), (Rpm, "bind-utils", Dev, tag::NETWORK_TOOL), (Apk, "bind-tools", Dev, tag::NETWORK_TOOL),
        (Deb, "traceroute", Dev, tag::NETWORK_TOOL), (Rpm, "traceroute", Dev, tag::NETWORK_TOOL), (Apk, "traceroute", Dev, tag::NETWORK_TOOL),
        (Deb, "iproute2", Dev, tag::NETWORK_TOOL), (Rpm, "iproute", Dev, tag::NETWORK_TOOL), (Apk, "iproute2", Dev, tag::NETWORK_TOOL),
        // version control
        (Deb, "git", Dev, tag::VCS), (Rpm, "git", Dev, tag::VCS), (Apk, "git", Dev, tag::VCS),
        (Deb, "subversion", Dev, tag::VCS), (Rpm, "subversion", Dev, tag::VCS), (Apk, "subversion", Dev, tag::VCS),
        (Deb, "mercurial", Dev, tag::VCS), (Rpm, "mercurial", Dev, tag::VCS), (Apk, "mercurial", Dev, tag::VCS),
        (Deb, "cvs", Dev, tag::VCS), (Rpm, "cvs", Dev, tag::VCS), (Apk, "cvs", Dev, tag::VCS),
        // ops agents
        (Deb, "filebeat", Ops, tag::OPS_AGENT), (Rpm, "filebeat", Ops, tag::OPS_AGENT), (Apk, "filebeat", Ops, tag::OPS_AGENT),
        (Deb, "td-agent", Ops, tag::OPS_AGENT), (Rpm, "td-agent", Ops, tag::OPS_AGENT), (Apk, "fluentd", Ops, tag::OPS_AGENT),
        (Deb, "fluent-bit", Ops, tag::OPS_AGENT), (Rpm, "fluent-bit", Ops, tag::OPS_AGENT), (Apk, "fluent-bit", Ops, tag::OPS_AGENT),
        (Deb, "datadog-agent", Ops, tag::OPS_AGENT), (Rpm, "datadog-agent", Ops, tag::OPS_AGENT),
        (Deb, "collectd", Ops, tag::OPS_AGENT), (Rpm, "collectd", Ops, tag::OPS_AGENT), (Apk, "collectd", Ops, tag::OPS_AGENT),
        (Deb, "telegraf", Ops, tag::OPS_AGENT), (Rpm, "telegraf", Ops, tag::OPS_AGENT), (Apk, "telegraf", Ops, tag::OPS_AGENT),
        (Deb, "prometheus-node-exporter", Ops, tag::OPS_AGENT), (Rpm, "node_exporter", Ops, tag::OPS_AGENT),
        (Apk, "prometheus-node-exporter", Ops, tag::OPS_AGENT),
        (Deb, "zabbix-agent", Ops, tag::OPS_AGENT), (Rpm, "zabbix-agent2", Ops, tag::OPS_AGENT), (Apk, "zabbix-agent", Ops, tag::OPS_AGENT),
        (Deb, "nagios-nrpe-server", Ops, tag::OPS_AGENT), (Rpm, "nrpe", Ops, tag::OPS_AGENT), (Apk, "nrpe", Ops, tag::OPS_AGENT),
        (Deb, "rsyslog", Ops, tag::OPS_AGENT), (Rpm, "rsyslog", Ops, tag::OPS_AGENT), (Apk, "rsyslog", Ops, tag::OPS_AGENT),
        (Deb, "syslog-ng", Ops, tag::OPS_AGENT), (Rpm, "syslog-ng", Ops, tag::OPS_AGENT), (Apk, "syslog-ng", Ops, tag::OPS_AGENT),
        (Deb, "logrotate", Ops, tag::OPS_AGENT), (Rpm, "logrotate", Ops, tag::OPS_AGENT), (Apk, "logrotate", Ops, tag::OPS_AGENT),
        (Deb, "newrelic-infra", Ops, tag::OPS_AGENT), (Rpm, "newrelic-infra", Ops, tag::OPS_AGENT),
        (Deb, "sysstat", Ops, tag::OPS_AGENT), (Rpm, "sysstat", Ops, tag::OPS_AGENT),
        // servers and runtimes
        (Deb, "nginx", Runtime, tag::SERVER), (Rpm, "nginx", Runtime, tag::SERVER), (Apk, "nginx", Runtime, tag::SERVER),
        (Deb, "apache2", Runtime, tag::SERVER), (Rpm, "httpd", Runtime, tag::SERVER), (Apk, "apache2", Runtime, tag::SERVER),
        (Deb, "libapache2-mod-php8.2", Runtime, tag::RUNTIME), (Rpm, "mod_php", Runtime, tag::RUNTIME),
        (Apk, "php82-apache2", Runtime, tag::RUNTIME),
        (Deb, "php8.2-fpm", Runtime, tag::SERVER), (Rpm, "php-fpm", Runtime, tag::SERVER), (Apk, "php82-fpm", Runtime, tag::SERVER),
        (Deb, "php-mysql", Runtime, tag::LIBRARY), (Deb, "php8.2-gd", Runtime, tag::LIBRARY), (Rpm, "php-gd", Runtime, tag::LIBRARY),
        (Apk, "php82-pdo_mysql", Runtime, tag::LIBRARY),
        (Deb, "python3", Runtime, tag::RUNTIME), (Rpm, "python3", Runtime, tag::RUNTIME), (Apk, "python3", Runtime, tag::RUNTIME),
        (Deb, "python3-pip", Runtime, tag::PACKAGE_MANAGER), (Rpm, "python3-pip", Runtime, tag::PACKAGE_MANAGER),
        (Apk, "py3-pip", Runtime, tag::PACKAGE_MANAGER),
        (Deb, "nodejs", Runtime, tag::RUNTIME), (Rpm, "nodejs", Runtime, tag::RUNTIME), (Apk, "nodejs", Runtime, tag::RUNTIME),
        (Deb, "openjdk-17-jre", Runtime, tag::RUNTIME), (Deb, "openjdk-17-jre-headless", Runtime, tag::RUNTIME),
        (Rpm, "java-17-openjdk", Runtime, tag::RUNTIME), (Rpm, "java-17-openjdk-headless", Runtime, tag::RUNTIME),
        (Apk, "openjdk17-jre", Runtime, tag::RUNTIME), (Apk, "openjdk17-jre-headless", Runtime, tag::RUNTIME),
        (Deb, "tomcat10", Runtime, tag::SERVER), (Rpm, "tomcat", Runtime, tag::SERVER),
        (Deb, "ruby", Runtime, tag::RUNTIME), (Rpm, "ruby", Runtime, tag::RUNTIME), (Apk, "ruby", Runtime, tag::RUNTIME),
        (Deb, "perl", Runtime, tag::RUNTIME), (Rpm, "perl", Runtime, tag::RUNTIME), (Apk, "perl", Runtime, tag::RUNTIME),
        (Deb, "postgresql", Runtime, tag::SERVER), (Deb, "postgresql-15", Runtime, tag::SERVER),
        (Rpm, "postgresql-server", Runtime, tag::SERVER), (Apk, "postgresql16", Runtime, tag::SERVER),
        (Deb, "mysql-server", Runtime, tag::SERVER), (Deb, "mariadb-server", Runtime, tag::SERVER),
        (Rpm, "mariadb-server", Runtime, tag::SERVER), (Rpm, "mysql-community-server", Runtime, tag::SERVER),
        (Apk, "mariadb", Runtime, tag::SERVER),
        (Deb, "redis-server", Runtime, tag::SERVER), (Rpm, "redis", Runtime, tag::SERVER), (Apk, "redis", Runtime, tag::SERVER),
        (Deb, "memcached", Runtime, tag::SERVER), (Rpm, "memcached", Runtime, tag::SERVER), (Apk, "memcached", Runtime, tag::SERVER),
        (Deb, "varnish", Runtime, tag::SERVER), (Deb, "haproxy", Runtime, tag::SERVER), (Rpm, "squid", Runtime, tag::SERVER),
        (Deb, "bind9", Runtime, tag::SERVER), (Rpm, "bind", Runtime, tag::SERVER), (Apk, "bind", Runtime, tag::SERVER),
        (Deb, "postfix", Runtime, tag::SERVER), (Deb, "exim4-daemon-light", Runtime, tag::SERVER), (Apk, "dovecot", Runtime, tag::SERVER),
        (Deb, "samba", Runtime, tag::SERVER), (Rpm, "vsftpd", Runtime, tag::SERVER), (Deb, "proftpd-basic", Runtime, tag::SERVER),
        (Deb, "slapd", Runtime, tag::SERVER), (Rpm, "openldap-servers", Runtime, tag::SERVER), (Apk, "openldap", Runtime, tag::SERVER),
        // os basics
        (Deb, "ca-certificates", Os, tag::CA_CERTIFICATES), (Rpm, "ca-certificates", Os, tag::CA_CERTIFICATES),
        (Apk, "ca-certificates", Os, tag::CA_CERTIFICATES),
        (Deb, "tzdata", Os, tag::LOCALE), (Rpm, "tzdata", Os, tag::LOCALE), (Apk, "tzdata", Os, tag::LOCALE),
        (Deb, "locales", Os, tag::LOCALE), (Rpm, "glibc-langpack-en", Os, tag::LOCALE), (Apk, "musl-locales", Os, tag::LOCALE),
        (Deb, "curl", Os, tag::DOWNLOAD_TOOL), (Rpm, "curl", Os, tag::DOWNLOAD_TOOL), (Apk, "curl", Os, tag::DOWNLOAD_TOOL),
        (Deb, "wget", Os, tag::DOWNLOAD_TOOL), (Rpm, "wget", Os, tag::DOWNLOAD_TOOL), (Apk, "wget", Os, tag::DOWNLOAD_TOOL),
        (Deb, "gnupg", Os, tag::CRYPTO_TOOL), (Deb, "dirmngr", Os, tag::CRYPTO_TOOL), (Apk, "gnupg", Os, tag::CRYPTO_TOOL),
        (Deb, "apt-transport-https", Os, tag::PACKAGE_MANAGER), (Rpm, "epel-release", Os, tag::PACKAGE_MANAGER),
        (Deb, "procps", Os, tag::SHELL_TOOL), (Rpm, "procps-ng", Os, tag::SHELL_TOOL), (Apk, "procps", Os, tag::SHELL_TOOL),
        (Deb, "bash", Os, tag::SHELL_TOOL), (Deb, "coreutils", Os, tag::SHELL_TOOL), (Apk, "coreutils", Os, tag::SHELL_TOOL),
        (Deb, "unzip", Os, tag::ARCHIVE_TOOL), (Deb, "xz-utils", Os, tag::ARCHIVE_TOOL), (Apk, "xz", Os, tag::ARCHIVE_TOOL),
        (Deb, "gosu", Os, tag::PRIVILEGE_DROP), (Apk, "su-exec", Os, tag::PRIVILEGE_DROP),
        (Deb, "sudo", Dev, tag::PRIVILEGE), (Rpm, "sudo", Dev, tag::PRIVILEGE), (Apk, "sudo", Dev, tag::PRIVILEGE),
    ];
    let catalog = catalog();
    let mut failures = Vec::new();
    for &(ecosystem, name, layer, tag) in table {
        match catalog.package(ecosystem, name) {
            Some(info) if info.layer == layer && info.has_tag(tag) => {}
            Some(info) => failures.push(format!(
                "[{ecosystem}] {name}: expected {layer}/{tag}, got {}/{:?} via `{}`",
                info.layer, info.tags, info.pattern
            )),
            None => failures.push(format!("[{ecosystem}] {name}: unknown")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The packages most often installed in real Dockerfiles (official images and classic heavy
/// containers) are all classified.
#[test]
fn common_real_world_packages_are_classified() {
    #[rustfmt::skip]
    let table: &[(Ecosystem, &[&str])] = &[
        (Ecosystem::Deb, &[
            "ca-certificates", "gnupg", "curl", "xz-utils", "libssl-dev", "zlib1g-dev", "libreadline-dev",
            "libsqlite3-dev", "wget", "libxml2-dev", "libargon2-dev", "libcurl4-openssl-dev", "libsodium-dev",
            "libonig-dev", "libbluetooth-dev", "tk-dev", "uuid-dev", "dpkg-dev", "gcc", "dirmngr", "make", "git",
            "libc6-dev", "libncursesw5-dev", "liblzma-dev", "locales", "apt-transport-https", "libbz2-dev",
            "libffi-dev", "netbase", "software-properties-common", "tzdata", "apache2", "apache2-dev",
            "libnss-wrapper", "postgresql-common", "zstd", "procps", "g++", "bash", "build-essential",
            "python3", "python3-pip", "nodejs", "yarn", "sudo", "openssh-server", "supervisor", "cron", "vim",
        ]),
        (Ecosystem::Rpm, &[
            "epel-release", "wget", "pwgen", "git", "python-pip", "gcc", "supervisor", "gcc-c++",
            "openssh-server", "openssl-devel", "psmisc", "bind", "httpd", "libffi-devel", "libxml2-devel",
            "make", "openssl", "python-devel", "sudo", "tar", "bash-completion", "bind-utils", "logrotate",
            "passwd", "rsyslog", "mod_ssl", "memcached", "net-tools", "php", "postgresql-server", "redis",
            "strace", "tcpdump", "cronie", "vim-enhanced", "which", "yum-utils", "readline",
        ]),
        (Ecosystem::Apk, &[
            "ca-certificates", "gnupg", "linux-headers", "openssl-dev", "tar", "curl", "make", "xz",
            "coreutils", "gcc", "libxml2-dev", "readline-dev", "sqlite-dev", "git", "bash", "curl-dev", "dpkg",
            "openssl", "argon2-dev", "gnu-libiconv-dev", "libsodium-dev", "libc-dev", "oniguruma-dev",
            "zlib-dev", "dpkg-dev", "tcl-dev", "tzdata", "util-linux-dev", "build-base", "g++", "libffi-dev",
            "ncurses-dev", "findutils", "bluez-dev", "pax-utils", "perl-dev", "python3-dev", "tk", "su-exec",
            "libgcc", "libstdc++", "py3-pip", "nodejs", "npm", "openssh", "supervisor", "runit", "ncurses",
        ]),
    ];
    let catalog = catalog();
    let unknown: Vec<String> = table
        .iter()
        .flat_map(|(ecosystem, names)| {
            names
                .iter()
                .filter(|name| catalog.package(*ecosystem, name).is_none())
                .map(move |name| format!("[{ecosystem}] {name}"))
        })
        .collect();
    assert!(unknown.is_empty(), "unclassified: {unknown:?}");
}

#[test]
fn lookup_rules() {
    let catalog = catalog();
    // exact beats pattern
    let info = catalog.package(Ecosystem::Deb, "dpkg-dev").unwrap();
    assert_eq!(info.pattern, "dpkg-dev");
    assert!(info.is_exact() && info.has_tag(tag::BUILD_TOOL));
    // the most specific pattern wins...
    let info = catalog
        .package(Ecosystem::Deb, "libapache2-mod-wsgi-py3")
        .unwrap();
    assert_eq!(
        (info.layer, info.pattern.as_str()),
        (Layer::Runtime, "libapache2-mod-*")
    );
    // ...after priority: packaging-convention suffixes beat family prefixes
    let info = catalog.package(Ecosystem::Deb, "libpq-dev").unwrap();
    assert_eq!(info.pattern, "*-dev");
    let info = catalog.package(Ecosystem::Deb, "python3-all-dev").unwrap();
    assert_eq!((info.layer, info.pattern.as_str()), (Layer::Dev, "*-dev"));
    let info = catalog.package(Ecosystem::Rpm, "postgresql-libs").unwrap();
    assert_eq!(
        (info.layer, info.pattern.as_str()),
        (Layer::Runtime, "*-libs")
    );
    let info = catalog
        .package(Ecosystem::Rpm, "java-21-openjdk-devel")
        .unwrap();
    assert!(info.has_tag(tag::COMPILER), "{info:?}");
    let info = catalog.package(Ecosystem::Deb, "libpq5").unwrap();
    assert_eq!(
        (info.layer, info.pattern.as_str()),
        (Layer::Runtime, "lib*")
    );
    assert!(!info.is_exact());
    // version, architecture and release suffixes
    assert_eq!(
        catalog
            .package(Ecosystem::Deb, "vim=2:9.0.1378-2")
            .unwrap()
            .pattern,
        "vim"
    );
    assert_eq!(
        catalog
            .package(Ecosystem::Deb, "gcc:amd64")
            .unwrap()
            .pattern,
        "gcc"
    );
    assert_eq!(
        catalog
            .package(Ecosystem::Apk, "curl=8.5.0-r0")
            .unwrap()
            .pattern,
        "curl"
    );
    assert_eq!(
        catalog
            .package(Ecosystem::Pip, "supervisor==4.2.5")
            .unwrap()
            .pattern,
        "supervisor"
    );
    assert_eq!(
        catalog
            .package(Ecosystem::Npm, "pm2@latest")
            .unwrap()
            .pattern,
        "pm2"
    );
    assert_eq!(
        catalog
            .package(Ecosystem::Npm, "@angular/cli@17")
            .unwrap()
            .pattern,
        "@angular/cli"
    );
    // pip: case-insensitive, `-` `_` `.` equivalent
    assert_eq!(
        catalog
            .package(Ecosystem::Pip, "Ansible_Core")
            .unwrap()
            .pattern,
        "ansible-core"
    );
    assert_eq!(
        catalog
            .package(Ecosystem::Pip, "ansible.core")
            .unwrap()
            .layer,
        Layer::Ops
    );
    // deb names are lower case: compared case-insensitively; rpm names are case-sensitive
    assert_eq!(
        catalog.package(Ecosystem::Deb, "VIM").unwrap().pattern,
        "vim"
    );
    assert_eq!(
        catalog
            .package(Ecosystem::Rpm, "ShellCheck")
            .unwrap()
            .pattern,
        "ShellCheck"
    );
    assert!(catalog.package(Ecosystem::Rpm, "VIM").is_none());
    // language ecosystems: anything unlisted is an app dependency
    let info = catalog.package(Ecosystem::Pip, "flask").unwrap();
    assert_eq!((info.layer, info.pattern.as_str()), (Layer::App, "*"));
    assert_eq!(
        catalog
            .package(Ecosystem::Go, "github.com/go-delve/delve/cmd/dlv@latest")
            .unwrap()
            .layer,
        Layer::Dev
    );
    assert_eq!(
        catalog
            .package(Ecosystem::Cargo, "Cargo_Watch")
            .unwrap()
            .pattern,
        "cargo-watch"
    );
    // OS ecosystems have no catch-all
    assert!(
        catalog
            .package(Ecosystem::Deb, "some-unknown-package")
            .is_none()
    );
    assert!(catalog.package(Ecosystem::Deb, "").is_none());
    // helpers
    assert_eq!(
        bare_package_name(Ecosystem::Deb, "nginx/bookworm-backports"),
        "nginx"
    );
    assert_eq!(
        ecosystem_of_family(PackageFamily::Apt),
        Some(Ecosystem::Deb)
    );
    assert_eq!(
        ecosystem_of_family(PackageFamily::Dnf),
        Some(Ecosystem::Rpm)
    );
    assert_eq!(
        ecosystem_of_family(PackageFamily::Zypper),
        Some(Ecosystem::Rpm)
    );
    assert_eq!(
        ecosystem_of_family(PackageFamily::Apk),
        Some(Ecosystem::Apk)
    );
    assert_eq!(
        ecosystem_of_family(PackageFamily::Pacman),
        Some(Ecosystem::Pacman)
    );
    assert_eq!(ecosystem_of_family(PackageFamily::None), None);
}

/// (reference, family, kind, package family, (alternative, alternative is a safe swap))
type ImageCase = (
    &'static str,
    &'static str,
    ImageKind,
    PackageFamily,
    Option<(&'static str, bool)>,
);

#[test]
fn image_classification_and_alternatives() {
    use ImageKind::*;
    use PackageFamily::{Apk, Apt, Dnf};
    #[rustfmt::skip]
    let table: &[ImageCase] = &[
        ("ubuntu:22.04", "ubuntu", Distro, Apt, Some(("debian:12-slim", false))),
        ("ubuntu:jammy", "ubuntu", Distro, Apt, Some(("debian:bookworm-slim", false))),
        ("ubuntu:24.04", "ubuntu", Distro, Apt, Some(("debian:13-slim", false))),
        ("ubuntu", "ubuntu", Distro, Apt, Some(("debian:stable-slim", false))),
        ("debian:bookworm", "debian", Distro, Apt, Some(("debian:bookworm-slim", true))),
        ("debian:12", "debian", Distro, Apt, Some(("debian:12-slim", true))),
        ("debian", "debian", Distro, Apt, Some(("debian:stable-slim", true))),
        ("debian:12-slim", "debian", Minimal, Apt, None),
        ("debian:bullseye-slim", "debian", Minimal, Apt, None),
        ("python:3.12", "python", Language, Apt, Some(("python:3.12-slim", true))),
        ("python:3.12-bookworm", "python", Language, Apt, Some(("python:3.12-slim-bookworm", true))),
        ("python:3.12.1-bullseye", "python", Language, Apt, Some(("python:3.12.1-slim-bullseye", true))),
        ("python", "python", Language, Apt, Some(("python:slim", true))),
        ("python:3.14-rc-bookworm", "python", Language, Apt, Some(("python:3.14-rc-slim-bookworm", true))),
        ("python:3.12-slim", "python", LanguageSlim, Apt, None),
        ("python:3.12-slim-bookworm", "python", LanguageSlim, Apt, None),
        ("python:3.11-alpine", "python", LanguageSlim, Apk, None),
        ("python:2-alpine", "python", LanguageSlim, Apk, None),
        ("node:20", "node", Language, Apt, Some(("node:20-slim", true))),
        ("node:20-bookworm", "node", Language, Apt, Some(("node:20-bookworm-slim", true))),
        ("node:20-slim", "node", LanguageSlim, Apt, None),
        ("node:alpine", "node", LanguageSlim, Apk, None),
        ("ruby:3.3", "ruby", Language, Apt, Some(("ruby:3.3-slim", true))),
        ("php:8.3-fpm", "php", Language, Apt, Some(("php:8.3-fpm-alpine", false))),
        ("php:8.3-apache", "php", Language, Apt, None),
        ("php:8.3-fpm-alpine", "php", LanguageSlim, Apk, None),
        ("centos:7", "centos", Distro, Dnf, Some(("almalinux:9-minimal", false))),
        ("centos:centos7", "centos", Distro, Dnf, Some(("almalinux:9-minimal", false))),
        ("centos:8", "centos", Distro, Dnf, Some(("almalinux:8-minimal", false))),
        ("centos", "centos", Distro, Dnf, Some(("almalinux:8-minimal", false))),
        ("quay.io/centos/centos:stream9", "centos", Distro, Dnf, Some(("almalinux:9-minimal", false))),
        ("centos/systemd", "centos-systemd", Distro, Dnf, Some(("almalinux:9-minimal", false))),
        ("centos/httpd-24-centos7", "centos-org", Distro, Dnf, None),
        ("rockylinux:9", "rockylinux", Distro, Dnf, Some(("rockylinux:9-minimal", false))),
        ("rockylinux:9-minimal", "rockylinux", Minimal, Dnf, None),
        ("almalinux:9", "almalinux", Distro, Dnf, Some(("almalinux:9-minimal", false))),
        ("fedora:40", "fedora", Distro, Dnf, Some(("registry.fedoraproject.org/fedora-minimal:40", false))),
        ("oraclelinux:9", "oraclelinux", Distro, Dnf, Some(("oraclelinux:9-slim", false))),
        ("amazonlinux:2023", "amazonlinux", Distro, Dnf, Some(("public.ecr.aws/amazonlinux/amazonlinux:2023-minimal", false))),
        ("opensuse/leap:15.6", "opensuse-leap", Distro, PackageFamily::Zypper, Some(("registry.suse.com/bci/bci-minimal:15.6", false))),
        ("archlinux:latest", "archlinux", Distro, PackageFamily::Pacman, None),
        ("archlinux:base-devel", "archlinux", Build, PackageFamily::Pacman, None),
        ("alpine:3.20", "alpine", Minimal, Apk, None),
        ("busybox", "busybox", Minimal, PackageFamily::None, None),
        ("docker.io/library/nginx:1.25", "nginx", Server, Apt, None),
        ("nginx:1.25-alpine", "nginx", Server, Apk, None),
        ("postgres:16", "postgres", Server, Apt, None),
        ("mysql:8.4", "mysql", Server, Dnf, None),
        ("redis:7-alpine", "redis", Server, Apk, None),
        ("httpd:2.4", "httpd", Server, Apt, None),
        ("tomcat:10.1-jdk21-temurin-jammy", "tomcat", Server, Apt, Some(("tomcat:10.1-jre21-temurin-jammy", true))),
        ("tomcat:10.1-jre21", "tomcat", Server, Apt, None),
        ("gcr.io/distroless/static-debian12", "distroless-static", Distroless, PackageFamily::None, None),
        ("gcr.io/distroless/base-debian12:nonroot", "distroless-base", Distroless, PackageFamily::None, None),
        ("gcr.io/distroless/java21-debian12", "distroless-java", Distroless, PackageFamily::None, None),
        ("gcr.io/distroless/python3-debian12:debug", "distroless-python", Distroless, PackageFamily::None, None),
        ("cgr.dev/chainguard/static:latest", "chainguard-static", Distroless, PackageFamily::None, None),
        ("cgr.dev/chainguard/python:latest", "chainguard", Distroless, PackageFamily::None, None),
        ("cgr.dev/chainguard/python:latest-dev", "chainguard", Minimal, Apk, None),
        ("cgr.dev/chainguard/wolfi-base", "wolfi-base", Minimal, Apk, None),
        ("scratch", "scratch", Scratch, PackageFamily::None, None),
        ("registry.access.redhat.com/ubi9/ubi-minimal:9.4", "ubi-minimal", Minimal, Dnf, None),
        ("registry.access.redhat.com/ubi9/ubi:9.4", "ubi", Distro, Dnf, Some(("registry.access.redhat.com/ubi9/ubi-minimal:9.4", false))),
        ("registry.access.redhat.com/ubi8", "ubi", Distro, Dnf, Some(("registry.access.redhat.com/ubi8-minimal:latest", false))),
        ("registry.access.redhat.com/ubi9/ubi-micro", "ubi-micro", Minimal, PackageFamily::None, None),
        ("registry.access.redhat.com/ubi9/ubi-init", "ubi-init", Distro, Dnf, Some(("registry.access.redhat.com/ubi9/ubi-minimal", false))),
        ("golang:1.22", "golang", Build, Apt, Some(("gcr.io/distroless/static-debian12", false))),
        ("golang:1.22-alpine", "golang", Build, Apk, Some(("gcr.io/distroless/static-debian12", false))),
        ("rust:1.77", "rust", Build, Apt, Some(("gcr.io/distroless/cc-debian12", false))),
        ("eclipse-temurin:21-jdk", "eclipse-temurin", Build, Apt, Some(("eclipse-temurin:21-jre", true))),
        ("eclipse-temurin:21", "eclipse-temurin", Build, Apt, Some(("eclipse-temurin:21-jre", true))),
        ("eclipse-temurin:21-jdk-jammy", "eclipse-temurin", Build, Apt, Some(("eclipse-temurin:21-jre-jammy", true))),
        ("eclipse-temurin:21-jdk-alpine", "eclipse-temurin", Build, Apk, Some(("eclipse-temurin:21-jre-alpine", true))),
        ("eclipse-temurin:21-jre", "eclipse-temurin", LanguageSlim, Apt, None),
        ("eclipse-temurin:21-jre-alpine", "eclipse-temurin", LanguageSlim, Apk, None),
        ("openjdk:8-jdk-alpine", "openjdk", Build, Apk, Some(("eclipse-temurin:8-jre-alpine", true))),
        ("openjdk:11-jdk", "openjdk", Build, Apt, Some(("eclipse-temurin:11-jre", false))),
        ("openjdk:8-jre-alpine", "openjdk", LanguageSlim, Apk, None),
        ("amazoncorretto:21", "amazoncorretto", Build, Dnf, Some(("eclipse-temurin:21-jre", false))),
        ("maven:3.9-eclipse-temurin-21", "maven", Build, Apt, Some(("eclipse-temurin:21-jre", true))),
        ("maven:3.9.6-eclipse-temurin-21-jammy", "maven", Build, Apt, Some(("eclipse-temurin:21-jre-jammy", true))),
        ("gradle:8.7-jdk21", "gradle", Build, Apt, Some(("eclipse-temurin:21-jre", true))),
        ("mcr.microsoft.com/dotnet/sdk:8.0", "dotnet-sdk", Build, Apt, Some(("mcr.microsoft.com/dotnet/aspnet:8.0", true))),
        ("mcr.microsoft.com/dotnet/sdk:8.0.204-bookworm-slim", "dotnet-sdk", Build, Apt, Some(("mcr.microsoft.com/dotnet/aspnet:8.0-bookworm-slim", true))),
        ("mcr.microsoft.com/dotnet/aspnet:8.0", "dotnet-runtime", LanguageSlim, Apt, None),
        ("mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled", "dotnet-runtime", Distroless, PackageFamily::None, None),
        ("buildpack-deps:bookworm", "buildpack-deps", Build, Apt, Some(("debian:bookworm-slim", true))),
        ("buildpack-deps:bookworm-curl", "buildpack-deps", Distro, Apt, Some(("debian:bookworm-slim", true))),
        ("buildpack-deps:jammy", "buildpack-deps", Build, Apt, Some(("ubuntu:jammy", true))),
        ("mcr.microsoft.com/windows/servercore:ltsc2022", "windows-servercore", Distro, PackageFamily::None, Some(("mcr.microsoft.com/windows/nanoserver:ltsc2022", false))),
    ];
    let catalog = catalog();
    let mut failures = Vec::new();
    for &(reference, family, kind, package_family, alternative) in table {
        let Some(info) = catalog.image_ref(reference) else {
            failures.push(format!("{reference}: unknown"));
            continue;
        };
        let got_alternative = info
            .alternative
            .as_ref()
            .map(|a| (a.image.as_str(), a.same_package_family));
        if (
            info.family.as_str(),
            info.kind,
            info.package_family,
            got_alternative,
        ) != (family, kind, package_family, alternative)
        {
            failures.push(format!(
                "{reference}: expected {family}/{kind}/{package_family}/{alternative:?}, got {}/{}/{}/{got_alternative:?}",
                info.family, info.kind, info.package_family
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn image_references_are_normalised() {
    let catalog = catalog();
    for reference in [
        "python:3.12",
        "library/python:3.12",
        "docker.io/python:3.12",
        "docker.io/library/python:3.12",
        "index.docker.io/library/python:3.12",
        "registry-1.docker.io/library/python:3.12",
        "mirror.gcr.io/library/python:3.12",
        "public.ecr.aws/docker/library/python:3.12",
        "Docker.IO/Library/Python:3.12",
        "python:3.12@sha256:0123456789abcdef",
    ] {
        let info = catalog
            .image_ref(reference)
            .unwrap_or_else(|| panic!("{reference}"));
        assert_eq!(
            (info.family.as_str(), info.repository.as_str()),
            ("python", "python"),
            "{reference}"
        );
        assert_eq!(
            info.alternative.unwrap().image,
            "python:3.12-slim",
            "{reference}"
        );
    }
    // the parts API, with and without the registry split off
    let by_parts = catalog
        .image(Some("docker.io"), "library/ubuntu", Some("22.04"))
        .unwrap();
    assert_eq!(by_parts, catalog.image_ref("ubuntu:22.04").unwrap());
    let by_parts = catalog
        .image(None, "gcr.io/distroless/static-debian12", None)
        .unwrap();
    assert_eq!(by_parts.family, "distroless-static");
    let by_parts = catalog
        .image(
            Some("gcr.io"),
            "distroless/static-debian12",
            Some("nonroot"),
        )
        .unwrap();
    assert_eq!(by_parts.family, "distroless-static");
    // the official images built for one architecture are the official images
    for (reference, family) in [
        ("arm64v8/ubuntu:22.04", "ubuntu"),
        ("docker.io/s390x/debian:bookworm", "debian"),
        ("armhf/debian:jessie", "debian"),
        ("aarch64/ubuntu:xenial", "ubuntu"),
        ("ppc64le/gcc:6.1", "gcc"),
    ] {
        let info = catalog
            .image_ref(reference)
            .unwrap_or_else(|| panic!("{reference}"));
        assert_eq!(info.family, family, "{reference}");
    }
    // a lighter image is suggested for the same architecture
    let suggested = |reference: &str| {
        catalog
            .image_ref(reference)
            .unwrap()
            .alternative
            .unwrap()
            .image
    };
    assert_eq!(
        suggested("arm64v8/debian:bookworm"),
        "arm64v8/debian:bookworm-slim"
    );
    assert_eq!(suggested("debian:bookworm"), "debian:bookworm-slim");
    // only on Docker Hub, and only as the namespace of an official image
    assert!(catalog.image_ref("quay.io/arm64v8/ubuntu").is_none());
    assert!(catalog.image_ref("arm64v8/mycompany/ubuntu").is_none());
    // unknown images and registries
    assert!(catalog.image_ref("mycompany/app:1.0").is_none());
    assert!(
        catalog
            .image_ref("registry.example.com/python:3.12")
            .is_none()
    );
    assert!(catalog.image_ref("localhost:5000/python:3.12").is_none());
}

#[test]
fn base_image_working_directories() {
    let workdir = |reference: &str| {
        catalog()
            .image_ref(reference)
            .unwrap_or_else(|| panic!("{reference}"))
            .workdir
    };
    // distributions start in `/` unless the catalog says otherwise
    assert_eq!(workdir("ubuntu:22.04").as_deref(), Some("/"));
    assert_eq!(workdir("debian:bookworm-slim").as_deref(), Some("/"));
    assert_eq!(workdir("alpine:3.20").as_deref(), Some("/"));
    // language and server images say where their Dockerfile leaves them
    assert_eq!(workdir("golang:1.22").as_deref(), Some("/go"));
    assert_eq!(workdir("tomcat:10").as_deref(), Some("/usr/local/tomcat"));
    assert_eq!(workdir("python:3.12-slim").as_deref(), Some("/"));
    assert_eq!(
        workdir("nvidia/cuda:9.2-cudnn7-devel-ubuntu16.04").as_deref(),
        Some("/")
    );
    // a variant may say otherwise: php's fpm and apache variants move to /var/www/html
    assert_eq!(workdir("php:8.2-fpm").as_deref(), Some("/var/www/html"));
    assert_eq!(
        workdir("php:5.5-fpm-alpine").as_deref(),
        Some("/var/www/html")
    );
    assert_eq!(
        workdir("php:7.1.7-apache").as_deref(),
        Some("/var/www/html")
    );
    assert_eq!(workdir("php:8.2-cli").as_deref(), Some("/"));
    assert_eq!(workdir("php:8.2-zts-alpine").as_deref(), Some("/"));
    // and the variants keep their lighter alternatives
    let suggested = |reference: &str| {
        catalog()
            .image_ref(reference)
            .unwrap()
            .alternative
            .unwrap()
            .image
    };
    assert_eq!(suggested("php:8.2-fpm"), "php:8.2-fpm-alpine");
    assert_eq!(suggested("php:fpm"), "php:fpm-alpine");
    assert_eq!(suggested("php:8.2-cli"), "php:8.2-cli-alpine");
    // CUDA's devel images compile; their runtime images are the production base
    assert_eq!(
        suggested("nvidia/cuda:12.2.0-devel-ubuntu22.04"),
        "nvidia/cuda:12.2.0-runtime-ubuntu22.04"
    );
    assert_eq!(
        suggested("nvidia/cuda:10.0-cudnn7-devel"),
        "nvidia/cuda:10.0-cudnn7-runtime"
    );
    let error = images_error(
        "[[family]]\nname = \"x\"\nrepositories = [\"x\"]\npackage_family = \"apt\"\ndistro = \"debian\"\nworkdir = \"app\"\n[[family.variant]]\nkind = \"language\"\n",
    );
    assert!(error.contains("absolute"), "{error}");
}

#[test]
fn image_sizes_traits_and_alternative_sizes() {
    let catalog = catalog();
    let ubuntu = catalog.image_ref("ubuntu:22.04").unwrap();
    assert_eq!(ubuntu.size_mb, Some(29));
    assert!(ubuntu.kind.is_full_os());
    let alternative = ubuntu.alternative.unwrap();
    assert_eq!(alternative.size_mb, Some(28));
    assert!(alternative.note.unwrap().contains("no slim variant"));
    let python = catalog.image_ref("python:3.12").unwrap();
    assert!(python.size_mb.unwrap() > 10 * python.alternative.unwrap().size_mb.unwrap() / 2);
    assert_eq!(catalog.image_ref("scratch").unwrap().size_mb, Some(0));
    // build images: the alternative is a multi-stage runtime base, not an in-place swap
    let golang = catalog
        .image_ref("golang:1.22")
        .unwrap()
        .alternative
        .unwrap();
    assert!(golang.multi_stage && !golang.same_package_family);
    let jdk = catalog
        .image_ref("eclipse-temurin:21-jdk")
        .unwrap()
        .alternative
        .unwrap();
    assert!(jdk.multi_stage && jdk.same_package_family);
    let debian = catalog.image_ref("debian:12").unwrap().alternative.unwrap();
    assert!(!debian.multi_stage && debian.same_package_family);
    assert!(!catalog.image_ref("alpine").unwrap().kind.is_full_os());
    assert!(!catalog.image_ref("nginx").unwrap().kind.is_full_os());
    // traits
    let centos = catalog.image_ref("centos:7").unwrap();
    assert!(centos.has_trait(image_trait::EOL), "{:?}", centos.traits);
    assert!(
        catalog
            .image_ref("centos/systemd")
            .unwrap()
            .has_trait(image_trait::INIT)
    );
    assert!(
        catalog
            .image_ref("registry.access.redhat.com/ubi9/ubi-init:9.4")
            .unwrap()
            .has_trait(image_trait::INIT)
    );
    assert!(
        catalog
            .image_ref("debian:buster-slim")
            .unwrap()
            .has_trait(image_trait::EOL)
    );
    assert!(
        !catalog
            .image_ref("debian:bookworm-slim")
            .unwrap()
            .has_trait(image_trait::EOL)
    );
    assert!(
        catalog
            .image_ref("ubuntu:16.04")
            .unwrap()
            .has_trait(image_trait::EOL)
    );
    assert!(
        !catalog
            .image_ref("ubuntu:24.04")
            .unwrap()
            .has_trait(image_trait::EOL)
    );
    assert!(
        catalog
            .image_ref("python:2.7")
            .unwrap()
            .has_trait(image_trait::EOL)
    );
    assert!(
        !catalog
            .image_ref("python:3.12")
            .unwrap()
            .has_trait(image_trait::EOL)
    );
    assert!(
        catalog
            .image_ref("openjdk:17")
            .unwrap()
            .has_trait(image_trait::DEPRECATED)
    );
    assert!(
        catalog
            .image_ref("gcr.io/distroless/base-debian12:debug")
            .unwrap()
            .has_trait(image_trait::DEBUG)
    );
    assert!(
        catalog
            .image_ref("python:3.12-windowsservercore-ltsc2022")
            .unwrap()
            .has_trait(image_trait::WINDOWS)
    );
    // distro
    assert_eq!(
        catalog.image_ref("eclipse-temurin:21-jre").unwrap().distro,
        "ubuntu"
    );
    assert_eq!(
        catalog
            .image_ref("gcr.io/distroless/cc-debian12")
            .unwrap()
            .distro,
        "debian"
    );
}

const USER_PACKAGES: &str = r#"
[tags]
corp-agent = "our in-house agent"

[deb]
curl = { layer = "dev", tags = ["download-tool"] }
corp-agentd = { layer = "ops", tags = ["corp-agent", "ops-agent"] }
"corp-*" = { layer = "app" }

[pip]
My_Package = { layer = "dev", tags = ["test-tool"] }
"#;

const USER_IMAGES: &str = r#"
[traits]
golden = "the company's golden image"

[[family]]
name = "corp-base"
repositories = ["registry.corp.example/base/*"]
package_family = "apt"
distro = "debian"
traits = ["golden"]

[[family.variant]]
kind = "minimal"
size_mb = 20

[[family]]
name = "ubuntu"
repositories = ["ubuntu"]
package_family = "apt"
distro = "ubuntu"

[[family.variant]]
kind = "minimal"
size_mb = 29

[[family]]
name = "corp-python"
repositories = ["python"]
package_family = "apt"
distro = "debian"

[[family.variant]]
kind = "language"
alternatives = [{ tag = "*", image = "registry.corp.example/base/python:{tag}", note = "use the golden image" }]
"#;

#[test]
fn user_catalogs_merge_over_the_builtin_one() {
    let user = Catalog::from_toml(Some(USER_IMAGES), Some(USER_PACKAGES)).unwrap();
    // a user catalog alone knows only its own entries
    assert!(user.package(Ecosystem::Deb, "vim").is_none());
    let mut catalog = Catalog::builtin().clone();
    catalog.merge(user);
    assert_eq!(catalog.tags()["corp-agent"], "our in-house agent");
    // user entries win
    let curl = catalog.package(Ecosystem::Deb, "curl").unwrap();
    assert_eq!((curl.layer, curl.pattern.as_str()), (Layer::Dev, "curl"));
    let agent = catalog.package(Ecosystem::Deb, "corp-agentd").unwrap();
    assert_eq!(agent.layer, Layer::Ops);
    assert!(agent.has_tag("corp-agent") && agent.has_tag(tag::OPS_AGENT));
    assert_eq!(
        catalog.package(Ecosystem::Deb, "corp-tools").unwrap().layer,
        Layer::App
    );
    assert_eq!(
        catalog.package(Ecosystem::Pip, "my.package").unwrap().layer,
        Layer::Dev
    );
    // built-in entries stay
    assert_eq!(
        catalog.package(Ecosystem::Deb, "vim").unwrap().layer,
        Layer::Dev
    );
    assert_eq!(
        catalog.package(Ecosystem::Pip, "flask").unwrap().layer,
        Layer::App
    );
    // a family of the same name replaces the built-in one; new families are added
    let ubuntu = catalog.image_ref("ubuntu:22.04").unwrap();
    assert_eq!(
        (ubuntu.kind, ubuntu.alternative),
        (ImageKind::Minimal, None)
    );
    let base = catalog
        .image_ref("registry.corp.example/base/debian:12")
        .unwrap();
    assert_eq!(
        (base.family.as_str(), base.size_mb),
        ("corp-base", Some(20))
    );
    assert!(base.has_trait("golden"));
    // the user's family wins a repository the built-in catalog also lists
    let python = catalog.image_ref("python:3.12").unwrap();
    assert_eq!(python.family, "corp-python");
    let alternative = python.alternative.unwrap();
    assert_eq!(alternative.image, "registry.corp.example/base/python:3.12");
    assert_eq!(
        (alternative.size_mb, alternative.same_package_family),
        (Some(20), true)
    );
    // the built-in catalog itself is untouched
    assert_eq!(
        Catalog::builtin()
            .package(Ecosystem::Deb, "curl")
            .unwrap()
            .layer,
        Layer::Os
    );
    // with_user is the same thing in one call
    let with_user = Catalog::with_user(Some(USER_IMAGES), Some(USER_PACKAGES)).unwrap();
    assert_eq!(
        with_user.package(Ecosystem::Deb, "curl").unwrap().layer,
        Layer::Dev
    );
    assert_eq!(
        Catalog::with_user(None, None)
            .unwrap()
            .image_families()
            .len(),
        catalog.image_families().len() - 2
    );
}

fn packages_error(source: &str) -> String {
    Catalog::from_toml(None, Some(source))
        .unwrap_err()
        .to_string()
}

fn images_error(source: &str) -> String {
    Catalog::from_toml(Some(source), None)
        .unwrap_err()
        .to_string()
}

#[test]
fn bad_user_catalogs_fail_with_a_position() {
    // bad value
    let error =
        Catalog::from_toml(None, Some("[deb]\nvim = { layer = \"editor\" }\n")).unwrap_err();
    assert_eq!(
        (error.file.as_str(), error.line),
        ("packages.toml", Some(2)),
        "{error}"
    );
    assert!(error.column.is_some());
    assert!(error.to_string().starts_with("packages.toml:2:"), "{error}");
    assert!(error.message.contains("editor"), "{error}");
    // syntax error
    let error = Catalog::from_toml(None, Some("[deb\nvim = 1\n")).unwrap_err();
    assert_eq!(error.line, Some(1), "{error}");
    // duplicate key (TOML)
    let error = packages_error("[deb]\nvim = { layer = \"dev\" }\nvim = { layer = \"os\" }\n");
    assert!(error.starts_with("packages.toml:3:"), "{error}");
    // undocumented tag
    let error = packages_error("[deb]\n\nfoo = { layer = \"dev\", tags = [\"nope\"] }\n");
    assert!(
        error.starts_with("packages.toml:3:") && error.contains("`nope`"),
        "{error}"
    );
    // the same pip name once normalised
    let error =
        packages_error("[pip]\nFoo_Bar = { layer = \"app\" }\n\"foo.bar\" = { layer = \"dev\" }\n");
    assert!(error.contains("same package name"), "{error}");
    // bad pattern
    assert!(packages_error("[deb]\n\"lib**\" = { layer = \"dev\" }\n").contains("**"));
    // priority on an exact name
    assert!(
        packages_error("[deb]\nvim = { layer = \"dev\", priority = 2 }\n").contains("priority")
    );
    // bad tag name in the vocabulary
    assert!(packages_error("[tags]\nBad_Tag = \"x\"\n").contains("kebab-case"));
    // images: errors carry the position of the offending family/variant/alternative
    let error = Catalog::from_toml(
        Some("[[family]]\nname = \"x\"\nrepositories = [\"x\"]\npackage_family = \"apt\"\ndistro = \"debian\"\n\n[[family.variant]]\ntags = [\"*-slim\"]\nkind = \"minimal\"\n"),
        None,
    )
    .unwrap_err();
    assert_eq!(
        (error.file.as_str(), error.line),
        ("images.toml", Some(7)),
        "{error}"
    );
    assert!(error.message.contains("last variant"), "{error}");
    let error = images_error(
        "[[family]]\nname = \"x\"\nrepositories = [\"x\"]\npackage_family = \"apt\"\ndistro = \"debian\"\n[[family.variant]]\nkind = \"distro\"\nalternatives = [\n  { tag = \"*\", image = \"x:{2}\" },\n]\n",
    );
    assert!(
        error.starts_with("images.toml:9:") && error.contains("{2}"),
        "{error}"
    );
    let error = images_error(
        "[[family]]\nname = \"x\"\nrepositories = [\"X\"]\npackage_family = \"apt\"\ndistro = \"d\"\n[[family.variant]]\nkind = \"distro\"\n",
    );
    assert!(error.contains("lower case"), "{error}");
    assert!(images_error("[[family]]\nname = \"x\"\nrepositories = [\"x\"]\npackage_family = \"yum\"\ndistro = \"d\"\n").contains("yum"));
    let error = images_error(
        "[[family]]\nname = \"x\"\nrepositories = [\"x\"]\npackage_family = \"apt\"\ndistro = \"d\"\ntraits = [\"shiny\"]\n[[family.variant]]\nkind = \"distro\"\n",
    );
    assert!(error.contains("`shiny`"), "{error}");
    // the caller can attribute the error to the user's file
    let error = Catalog::from_toml(None, Some("[deb]\nvim = 1\n"))
        .unwrap_err()
        .in_file("dlayer-packages.toml");
    assert!(
        error.to_string().starts_with("dlayer-packages.toml:2:"),
        "{error}"
    );
}

#[test]
fn unknown_keys_are_rejected() {
    let error = packages_error("[deb]\nvim = { layer = \"dev\", colour = \"red\" }\n");
    assert!(
        error.starts_with("packages.toml:2:") && error.contains("colour"),
        "{error}"
    );
    let error = packages_error("[debian]\nvim = { layer = \"dev\" }\n");
    assert!(error.contains("debian"), "{error}");
    let error = images_error("hub_prefix = [\"x\"]\n");
    assert!(error.contains("hub_prefix"), "{error}");
    let error = images_error(
        "[[family]]\nname = \"x\"\nrepositories = [\"x\"]\npackage_family = \"apt\"\ndistro = \"d\"\nsize = 3\n",
    );
    assert!(error.contains("size"), "{error}");
    let error = images_error(
        "[[family]]\nname = \"x\"\nrepositories = [\"x\"]\npackage_family = \"apt\"\ndistro = \"d\"\n[[family.variant]]\nkind = \"distro\"\nsize = 3\n",
    );
    assert!(
        error.starts_with("images.toml:") && error.contains("size"),
        "{error}"
    );
    let error = images_error(
        "[[family]]\nname = \"x\"\nrepositories = [\"x\"]\npackage_family = \"apt\"\ndistro = \"d\"\n[[family.variant]]\nkind = \"distro\"\nalternatives = [{ tag = \"*\", image = \"y\", safe = true }]\n",
    );
    assert!(error.contains("safe"), "{error}");
}

#[test]
fn the_catalog_files_are_the_ones_compiled_in() {
    // Guards against the catalogs drifting from what is documented: every family and entry
    // of the files is visible through the API.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/catalog");
    let images = std::fs::read_to_string(root.join("images.toml")).unwrap();
    let packages = std::fs::read_to_string(root.join("packages.toml")).unwrap();
    let reparsed = Catalog::from_toml(Some(&images), Some(&packages)).unwrap();
    assert_eq!(reparsed.image_families(), catalog().image_families());
    for ecosystem in Ecosystem::ALL {
        assert_eq!(
            reparsed.package_entries(ecosystem),
            catalog().package_entries(ecosystem)
        );
    }
}
