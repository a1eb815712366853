//! The heavy-container rules over real Dockerfiles.
//!
//! - `$DLAYER_CORPUS_OFFICIAL` (a directory, `.ci/run` points it at `../shared/corpus/official`):
//!   official images and a large personal collection. Every heavy-rule finding there must be in
//!   [`EXPECTED`], each looked at by hand and justified, and every entry of [`EXPECTED`] must
//!   still fire: a new finding is a false positive to fix (or a true positive to justify), a
//!   vanished one is a regression or a stale entry.
//! - `$DLAYER_CORPUS_HEAVY` (`../shared/corpus/heavy`): classic heavy containers. Per-rule counts
//!   are printed for information; every fix there is applied and must parse and remove its
//!   finding.
//!
//! Unset variables skip the checks (with a note); a variable naming a missing directory fails.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use dlayer::model::{self, Options};
use dlayer::rules::{self, Diagnostic, Settings};
use dlayer::syntax::{self, LineIndex};

// Why the remaining findings are true positives, by kind.

/// python:3.x and node:N (the full variants) are built `FROM buildpack-deps`, a toolchain
/// image, on purpose: they are the batteries-included variants, and their `-slim` siblings
/// exist for production. The finding is what the rule is for.
const FULL_VARIANT: &str = "official full variant: built FROM buildpack-deps (compilers, headers, VCS) by design; -slim is the production choice";
/// python's Windows images start from Windows Server Core, the full OS (the installer needs
/// it); Nano Server is the minimal one, reached by a multi-stage copy. Display-only fix.
const SERVER_CORE: &str = "Windows Server Core is the full Windows user land; Nano Server is its minimal variant (display-only: no installer support)";
const UBUNTU: &str = "general-purpose distribution as the shipped base (Ubuntu has no slim variant; display-only advice)";
const JDK_BASE: &str =
    "a JDK image (compiler included) as the final base of a Java application: a JRE base is enough";
/// Sources compiled in the shipped stage, the toolchain left behind (HC011 agrees).
const BUILT_HERE: &str =
    "the image builds from source in its shipped stage and keeps the toolchain";
/// A VCS client or compiler installed to fetch or build at build time and never removed.
const BUILD_ONLY_TOOL: &str =
    "used only at build time (git clone of the sources, native modules) and never removed";
/// The image is a development environment or a developer tool (an IDE, a compiler, a
/// benchmark that compiles its tests, a kernel builder): the rule cannot know the image is not
/// a production image; such images carry `# dlayer global ignore=HC006`.
const DEV_IMAGE: &str = "a development-tool image: the tools are its purpose; true positive by the rule's definition, to be suppressed in the file";
/// The application calls the tool at run time (a self-updating app using git, KeePass
/// compiling plugins with mcs, a mail client's editor and text browser, libvirt using `ip`).
const RUNTIME_USE: &str = "a developer tool the application uses at run time: it ships a dev-layer tool indeed; keep it in the app layer with a suppression and a reason";
/// Interactive troubleshooting tools left in the image.
const TROUBLESHOOTING: &str =
    "an interactive troubleshooting tool (htop, lsusb, strace, tcpdump) left in the shipped image";

/// Every heavy-rule finding of the official corpus: file, code, line, span text (whitespace
/// collapsed), and why it is a true positive.
const EXPECTED: &[(&str, &str, usize, &str, &str)] = &[
    (
        "docker-library+postgres__14__bookworm__Dockerfile",
        "HC010",
        68,
        "apt-get install -y --no-install-recommends \\ libnss-wrapper \\ xz-utils \\ zstd",
        "four lasting install RUNs (gnupg and less, locales, libnss-wrapper/xz/zstd, postgresql); the first three are all os-layer packages",
    ),
    (
        "docker-library+postgres__14__trixie__Dockerfile",
        "HC010",
        68,
        "apt-get install -y --no-install-recommends \\ libnss-wrapper \\ xz-utils \\ zstd",
        "four lasting install RUNs (gnupg and less, locales, libnss-wrapper/xz/zstd, postgresql); the first three are all os-layer packages",
    ),
    (
        "docker-library+postgres__15__bookworm__Dockerfile",
        "HC010",
        68,
        "apt-get install -y --no-install-recommends \\ libnss-wrapper \\ xz-utils \\ zstd",
        "four lasting install RUNs (gnupg and less, locales, libnss-wrapper/xz/zstd, postgresql); the first three are all os-layer packages",
    ),
    (
        "docker-library+postgres__15__trixie__Dockerfile",
        "HC010",
        68,
        "apt-get install -y --no-install-recommends \\ libnss-wrapper \\ xz-utils \\ zstd",
        "four lasting install RUNs (gnupg and less, locales, libnss-wrapper/xz/zstd, postgresql); the first three are all os-layer packages",
    ),
    (
        "docker-library+postgres__16__bookworm__Dockerfile",
        "HC010",
        68,
        "apt-get install -y --no-install-recommends \\ libnss-wrapper \\ xz-utils \\ zstd",
        "four lasting install RUNs (gnupg and less, locales, libnss-wrapper/xz/zstd, postgresql); the first three are all os-layer packages",
    ),
    (
        "docker-library+postgres__16__trixie__Dockerfile",
        "HC010",
        68,
        "apt-get install -y --no-install-recommends \\ libnss-wrapper \\ xz-utils \\ zstd",
        "four lasting install RUNs (gnupg and less, locales, libnss-wrapper/xz/zstd, postgresql); the first three are all os-layer packages",
    ),
    (
        "docker-library+postgres__17__bookworm__Dockerfile",
        "HC010",
        68,
        "apt-get install -y --no-install-recommends \\ libnss-wrapper \\ xz-utils \\ zstd",
        "four lasting install RUNs (gnupg and less, locales, libnss-wrapper/xz/zstd, postgresql); the first three are all os-layer packages",
    ),
    (
        "docker-library+postgres__17__trixie__Dockerfile",
        "HC010",
        68,
        "apt-get install -y --no-install-recommends \\ libnss-wrapper \\ xz-utils \\ zstd",
        "four lasting install RUNs (gnupg and less, locales, libnss-wrapper/xz/zstd, postgresql); the first three are all os-layer packages",
    ),
    (
        "docker-library+postgres__18__bookworm__Dockerfile",
        "HC010",
        68,
        "apt-get install -y --no-install-recommends \\ libnss-wrapper \\ xz-utils \\ zstd",
        "four lasting install RUNs (gnupg and less, locales, libnss-wrapper/xz/zstd, postgresql); the first three are all os-layer packages",
    ),
    (
        "docker-library+postgres__18__trixie__Dockerfile",
        "HC010",
        68,
        "apt-get install -y --no-install-recommends \\ libnss-wrapper \\ xz-utils \\ zstd",
        "four lasting install RUNs (gnupg and less, locales, libnss-wrapper/xz/zstd, postgresql); the first three are all os-layer packages",
    ),
    (
        "docker-library+python__3.10__bookworm__Dockerfile",
        "HC001",
        7,
        "buildpack-deps:bookworm",
        FULL_VARIANT,
    ),
    (
        "docker-library+python__3.10__trixie__Dockerfile",
        "HC001",
        7,
        "buildpack-deps:trixie",
        FULL_VARIANT,
    ),
    (
        "docker-library+python__3.11__bookworm__Dockerfile",
        "HC001",
        7,
        "buildpack-deps:bookworm",
        FULL_VARIANT,
    ),
    (
        "docker-library+python__3.11__trixie__Dockerfile",
        "HC001",
        7,
        "buildpack-deps:trixie",
        FULL_VARIANT,
    ),
    (
        "docker-library+python__3.12__bookworm__Dockerfile",
        "HC001",
        7,
        "buildpack-deps:bookworm",
        FULL_VARIANT,
    ),
    (
        "docker-library+python__3.12__trixie__Dockerfile",
        "HC001",
        7,
        "buildpack-deps:trixie",
        FULL_VARIANT,
    ),
    (
        "docker-library+python__3.13__bookworm__Dockerfile",
        "HC001",
        7,
        "buildpack-deps:bookworm",
        FULL_VARIANT,
    ),
    (
        "docker-library+python__3.13__trixie__Dockerfile",
        "HC001",
        7,
        "buildpack-deps:trixie",
        FULL_VARIANT,
    ),
    (
        "docker-library+python__3.13__windows__windowsservercore-ltsc2022__Dockerfile",
        "HC001",
        7,
        "mcr.microsoft.com/windows/servercore:ltsc2022",
        SERVER_CORE,
    ),
    (
        "docker-library+python__3.13__windows__windowsservercore-ltsc2025__Dockerfile",
        "HC001",
        7,
        "mcr.microsoft.com/windows/servercore:ltsc2025",
        SERVER_CORE,
    ),
    (
        "docker-library+python__3.14__bookworm__Dockerfile",
        "HC001",
        7,
        "buildpack-deps:bookworm",
        FULL_VARIANT,
    ),
    (
        "docker-library+python__3.14__trixie__Dockerfile",
        "HC001",
        7,
        "buildpack-deps:trixie",
        FULL_VARIANT,
    ),
    (
        "docker-library+python__3.14__windows__windowsservercore-ltsc2022__Dockerfile",
        "HC001",
        7,
        "mcr.microsoft.com/windows/servercore:ltsc2022",
        SERVER_CORE,
    ),
    (
        "docker-library+python__3.14__windows__windowsservercore-ltsc2025__Dockerfile",
        "HC001",
        7,
        "mcr.microsoft.com/windows/servercore:ltsc2025",
        SERVER_CORE,
    ),
    (
        "docker-library+python__3.15-rc__bookworm__Dockerfile",
        "HC001",
        7,
        "buildpack-deps:bookworm",
        FULL_VARIANT,
    ),
    (
        "docker-library+python__3.15-rc__trixie__Dockerfile",
        "HC001",
        7,
        "buildpack-deps:trixie",
        FULL_VARIANT,
    ),
    (
        "docker-library+python__3.15-rc__windows__windowsservercore-ltsc2022__Dockerfile",
        "HC001",
        7,
        "mcr.microsoft.com/windows/servercore:ltsc2022",
        SERVER_CORE,
    ),
    (
        "docker-library+python__3.15-rc__windows__windowsservercore-ltsc2025__Dockerfile",
        "HC001",
        7,
        "mcr.microsoft.com/windows/servercore:ltsc2025",
        SERVER_CORE,
    ),
    (
        "jessfraz+dockerfiles__ab__Dockerfile",
        "HC006",
        14,
        "htop",
        TROUBLESHOOTING,
    ),
    (
        "jessfraz+dockerfiles__afterthedeadline__Dockerfile",
        "HC001",
        1,
        "openjdk:8-alpine",
        JDK_BASE,
    ),
    (
        "jessfraz+dockerfiles__android-tools__Dockerfile",
        "HC006",
        10,
        "usbutils",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__atom__Dockerfile",
        "HC006",
        43,
        "git",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__bcc-tools__Dockerfile",
        "HC006",
        19,
        "clang",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__bcc-tools__Dockerfile",
        "HC006",
        30,
        "debhelper",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__bcc-tools__Dockerfile",
        "HC011",
        60,
        "cmake",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__bpftrace__Dockerfile",
        "HC006",
        11,
        "clang",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__bpftrace__Dockerfile",
        "HC011",
        26,
        "cmake",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__brok__Dockerfile",
        "HC001",
        1,
        "haskell:8.8",
        "haskell:8.8, the GHC toolchain image, is the only stage: the compiler ships with the program",
    ),
    (
        "jessfraz+dockerfiles__cathode__Dockerfile",
        "HC006",
        5,
        "build-essential",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__cathode__Dockerfile",
        "HC011",
        23,
        "make",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__clair__Dockerfile",
        "HC006",
        25,
        "git",
        RUNTIME_USE,
    ),
    (
        "jessfraz+dockerfiles__couchpotato__Dockerfile",
        "HC006",
        27,
        "gcc",
        BUILD_ONLY_TOOL,
    ),
    (
        "jessfraz+dockerfiles__cura__Dockerfile",
        "HC001",
        1,
        "ubuntu:bionic",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__debootstrap__Dockerfile",
        "HC006",
        8,
        "git",
        "git next to debootstrap, which never calls it",
    ),
    (
        "jessfraz+dockerfiles__distcc__Dockerfile",
        "HC006",
        8,
        "git",
        "git and make next to distccd, which runs compilers, not them",
    ),
    (
        "jessfraz+dockerfiles__fontforge__Dockerfile",
        "HC001",
        13,
        "ubuntu:16.04",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__foss-heartbeat__Dockerfile",
        "HC006",
        6,
        "gfortran",
        BUILD_ONLY_TOOL,
    ),
    (
        "jessfraz+dockerfiles__gcalcli__Dockerfile",
        "HC006",
        9,
        "build-base",
        BUILD_ONLY_TOOL,
    ),
    (
        "jessfraz+dockerfiles__gcc__Dockerfile",
        "HC006",
        5,
        "gcc",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__github-dev__Dockerfile",
        "HC001",
        1,
        "golang:alpine",
        "golang:alpine, a toolchain image, is the base of a development-environment image: flagged by definition",
    ),
    (
        "jessfraz+dockerfiles__github-dev__Dockerfile",
        "HC006",
        8,
        "gcc",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__github-dev__Dockerfile",
        "HC006",
        17,
        "golang.org/x/lint/golint",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__github-dev__Dockerfile",
        "HC006",
        18,
        "honnef.co/go/tools/cmd/staticcheck",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__gitiles__Dockerfile",
        "HC006",
        11,
        "git",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__gitiles__Dockerfile",
        "HC011",
        21,
        "bazel build",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__gitserver__Dockerfile",
        "HC006",
        15,
        "git",
        RUNTIME_USE,
    ),
    (
        "jessfraz+dockerfiles__gitserver__Dockerfile",
        "HC002",
        16,
        "openssh",
        "a git-over-SSH server: SSH is its service; flagged by definition, the file should say `# dlayer ignore=HC002 -- the SSH server is the service` (HC002.md)",
    ),
    (
        "jessfraz+dockerfiles__gitserver__Dockerfile",
        "HC002",
        17,
        "/etc/ssh/sshd_config",
        "a git-over-SSH server: SSH is its service; flagged by definition, the file should say `# dlayer ignore=HC002 -- the SSH server is the service` (HC002.md)",
    ),
    (
        "jessfraz+dockerfiles__gitserver__Dockerfile",
        "HC002",
        28,
        "22",
        "a git-over-SSH server: SSH is its service; flagged by definition, the file should say `# dlayer ignore=HC002 -- the SSH server is the service` (HC002.md)",
    ),
    (
        "jessfraz+dockerfiles__gitserver__Dockerfile",
        "HC002",
        35,
        "\"/usr/sbin/sshd\"",
        "a git-over-SSH server: SSH is its service; flagged by definition, the file should say `# dlayer ignore=HC002 -- the SSH server is the service` (HC002.md)",
    ),
    (
        "jessfraz+dockerfiles__glxgears__Dockerfile",
        "HC006",
        14,
        "mesa-utils",
        "mesa-utils provides glxgears, the entrypoint: the tool is the application (dlayer cannot map the package to the program: catalog change requested)",
    ),
    (
        "jessfraz+dockerfiles__hollywood__Dockerfile",
        "HC001",
        1,
        "ubuntu:16.04",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__inkscape__Dockerfile",
        "HC001",
        8,
        "ubuntu:16.04",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__jq__Dockerfile",
        "HC006",
        8,
        "git",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__keepass2__Dockerfile",
        "HC006",
        29,
        "mono-mcs",
        RUNTIME_USE,
    ),
    (
        "jessfraz+dockerfiles__kernel-builder__Dockerfile",
        "HC006",
        7,
        "bison",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__kvm__Dockerfile",
        "HC006",
        15,
        "iproute2",
        RUNTIME_USE,
    ),
    (
        "jessfraz+dockerfiles__lilyterm__Dockerfile",
        "HC006",
        13,
        "mesa-utils",
        TROUBLESHOOTING,
    ),
    (
        "jessfraz+dockerfiles__lkp-tests__Dockerfile",
        "HC006",
        9,
        "automake",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__lkp-tests__Dockerfile",
        "HC006",
        42,
        "libtool",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__lkp-tests__Dockerfile",
        "HC010",
        51,
        "apt-get install -y \\ make \\ nfs-common \\ openssl \\ patch \\ perl \\ procps \\ psmisc \\ python-dev \\ rsync \\ rt-tests \\ ruby \\ ruby-dev \\ sysstat \\ systemtap-sdt-dev \\ time \\ wget \\ zlib1g-dev \\ --no-install-recommends",
        "three install RUNs of build and test dependencies in one stage",
    ),
    (
        "jessfraz+dockerfiles__lkp-tests__Dockerfile",
        "HC006",
        52,
        "make",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__lkp-tests__Dockerfile",
        "HC008",
        64,
        "sysstat",
        "sysstat (sar/iostat collectors) baked into the benchmark image",
    ),
    (
        "jessfraz+dockerfiles__lkp-tests__Dockerfile",
        "HC011",
        81,
        "make",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__mars__Dockerfile",
        "HC001",
        1,
        "openjdk:8-alpine",
        JDK_BASE,
    ),
    (
        "jessfraz+dockerfiles__mdp__Dockerfile",
        "HC006",
        6,
        "gcc",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__mdp__Dockerfile",
        "HC011",
        23,
        "make",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__mutt__Dockerfile",
        "HC006",
        19,
        "elinks",
        RUNTIME_USE,
    ),
    (
        "jessfraz+dockerfiles__neoman__Dockerfile",
        "HC001",
        12,
        "ubuntu:16.04",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__neoman__Dockerfile",
        "HC006",
        22,
        "usbutils",
        TROUBLESHOOTING,
    ),
    (
        "jessfraz+dockerfiles__nes__Dockerfile",
        "HC006",
        14,
        "binutils",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__nes__Dockerfile",
        "HC011",
        35,
        "go get",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__node-sonos__Dockerfile",
        "HC006",
        4,
        "build-base",
        BUILD_ONLY_TOOL,
    ),
    (
        "jessfraz+dockerfiles__nzbget__Dockerfile",
        "HC006",
        12,
        "git",
        BUILD_ONLY_TOOL,
    ),
    (
        "jessfraz+dockerfiles__openbmc__Dockerfile",
        "HC006",
        5,
        "build-essential",
        "a toolchain installed for a build that is commented out: unused",
    ),
    (
        "jessfraz+dockerfiles__osquery__Dockerfile",
        "HC001",
        1,
        "ubuntu:bionic",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__parrot-live__Dockerfile",
        "HC006",
        3,
        "git",
        BUILD_ONLY_TOOL,
    ),
    (
        "jessfraz+dockerfiles__pivman__Dockerfile",
        "HC001",
        12,
        "ubuntu:16.04",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__pivman__Dockerfile",
        "HC006",
        21,
        "usbutils",
        TROUBLESHOOTING,
    ),
    (
        "jessfraz+dockerfiles__plex-home-theater__Dockerfile",
        "HC001",
        9,
        "ubuntu:16.04",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__plexpy__Dockerfile",
        "HC006",
        13,
        "git",
        BUILD_ONLY_TOOL,
    ),
    (
        "jessfraz+dockerfiles__postfix__Dockerfile",
        "HC008",
        9,
        "rsyslog",
        "rsyslog runs next to postfix to collect its syslog output: a second daemon in the app image",
    ),
    (
        "jessfraz+dockerfiles__postfix__Dockerfile",
        "HC003",
        10,
        "runit",
        "runit supervises postfix and rsyslog in one container",
    ),
    (
        "jessfraz+dockerfiles__postfix__Dockerfile",
        "HC003",
        21,
        "\"/usr/sbin/runit_bootstrap\"",
        "runit supervises postfix and rsyslog in one container",
    ),
    (
        "jessfraz+dockerfiles__rainbowstream__Dockerfile",
        "HC006",
        14,
        "build-base",
        BUILD_ONLY_TOOL,
    ),
    (
        "jessfraz+dockerfiles__remmina__Dockerfile",
        "HC001",
        11,
        "ubuntu:16.04",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__rstudio__Dockerfile",
        "HC006",
        51,
        "r-base-dev",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__runc-rootless__Dockerfile",
        "HC006",
        23,
        "strace",
        TROUBLESHOOTING,
    ),
    (
        "jessfraz+dockerfiles__scudcloud__Dockerfile",
        "HC001",
        15,
        "ubuntu:16.04",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__sickbeard__Dockerfile",
        "HC006",
        19,
        "git",
        BUILD_ONLY_TOOL,
    ),
    (
        "jessfraz+dockerfiles__telize__Dockerfile",
        "HC006",
        13,
        "git",
        BUILD_ONLY_TOOL,
    ),
    (
        "jessfraz+dockerfiles__termboy__Dockerfile",
        "HC006",
        30,
        "g++",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__termboy__Dockerfile",
        "HC011",
        43,
        "make",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__travis__Dockerfile",
        "HC006",
        6,
        "git",
        RUNTIME_USE,
    ),
    (
        "jessfraz+dockerfiles__unifi__Dockerfile",
        "HC001",
        29,
        "ubuntu:16.04",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__unifi__Dockerfile",
        "HC006",
        82,
        "binutils",
        RUNTIME_USE,
    ),
    (
        "jessfraz+dockerfiles__unifi__Dockerfile",
        "HC010",
        94,
        "apt-get install -y \\ curl \\ --no-install-recommends",
        "three lasting install RUNs (gnupg, the runtime, curl)",
    ),
    (
        "jessfraz+dockerfiles__unixbench__Dockerfile",
        "HC006",
        8,
        "gcc",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__vagrant__Dockerfile",
        "HC006",
        5,
        "bridge-utils",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__vagrant__Dockerfile",
        "HC002",
        17,
        "ssh",
        "the `ssh` metapackage pulls in openssh-server; vagrant only needs the client (the message says so)",
    ),
    (
        "jessfraz+dockerfiles__vscode__Dockerfile",
        "HC006",
        31,
        "git",
        DEV_IMAGE,
    ),
    (
        "jessfraz+dockerfiles__weechat-matrix__Dockerfile",
        "HC006",
        17,
        "build-base",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__weechat-matrix__Dockerfile",
        "HC011",
        40,
        "make",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__wireguard__install__Dockerfile",
        "HC006",
        15,
        "build-essential",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__wireguard__install__Dockerfile",
        "HC011",
        35,
        "make",
        BUILT_HERE,
    ),
    (
        "jessfraz+dockerfiles__wireshark__Dockerfile",
        "HC001",
        10,
        "ubuntu:16.04",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__ykman__Dockerfile",
        "HC001",
        9,
        "ubuntu:16.04",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__ykpersonalize__Dockerfile",
        "HC001",
        9,
        "ubuntu:16.04",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__ykpersonalize__Dockerfile",
        "HC006",
        24,
        "usbutils",
        TROUBLESHOOTING,
    ),
    (
        "jessfraz+dockerfiles__yubico-piv-tool__Dockerfile",
        "HC001",
        9,
        "ubuntu:16.04",
        UBUNTU,
    ),
    (
        "jessfraz+dockerfiles__yubico-piv-tool__Dockerfile",
        "HC006",
        19,
        "usbutils",
        TROUBLESHOOTING,
    ),
    (
        "jessfraz+dockerfiles__zookeeper__3.4__Dockerfile",
        "HC001",
        1,
        "openjdk:8-alpine",
        JDK_BASE,
    ),
    (
        "jessfraz+dockerfiles__zookeeper__3.6__Dockerfile",
        "HC001",
        1,
        "openjdk:8-alpine",
        JDK_BASE,
    ),
    (
        "nodejs+docker-node__22__bookworm__Dockerfile",
        "HC001",
        1,
        "buildpack-deps:bookworm",
        FULL_VARIANT,
    ),
    (
        "nodejs+docker-node__22__bullseye__Dockerfile",
        "HC001",
        1,
        "buildpack-deps:bullseye",
        FULL_VARIANT,
    ),
    (
        "nodejs+docker-node__22__trixie__Dockerfile",
        "HC001",
        1,
        "buildpack-deps:trixie",
        FULL_VARIANT,
    ),
    (
        "nodejs+docker-node__24__bookworm__Dockerfile",
        "HC001",
        1,
        "buildpack-deps:bookworm",
        FULL_VARIANT,
    ),
    (
        "nodejs+docker-node__24__bullseye__Dockerfile",
        "HC001",
        1,
        "buildpack-deps:bullseye",
        FULL_VARIANT,
    ),
    (
        "nodejs+docker-node__24__trixie__Dockerfile",
        "HC001",
        1,
        "buildpack-deps:trixie",
        FULL_VARIANT,
    ),
    (
        "nodejs+docker-node__26__bookworm__Dockerfile",
        "HC001",
        1,
        "buildpack-deps:bookworm",
        FULL_VARIANT,
    ),
    (
        "nodejs+docker-node__26__bullseye__Dockerfile",
        "HC001",
        1,
        "buildpack-deps:bullseye",
        FULL_VARIANT,
    ),
    (
        "nodejs+docker-node__26__trixie__Dockerfile",
        "HC001",
        1,
        "buildpack-deps:trixie",
        FULL_VARIANT,
    ),
];

fn corpus_dir(variable: &str) -> Option<PathBuf> {
    let Some(dir) = std::env::var_os(variable) else {
        panic!("{variable} is not set: the corpus is needed (.ci/run sets it)");
    };
    let dir = PathBuf::from(dir);
    assert!(
        dir.is_dir(),
        "{variable}: {} is not a directory",
        dir.display()
    );
    Some(dir)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            path.is_file() && !name.ends_with(".tsv") && !name.ends_with(".md")
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no files", dir.display());
    files
}

fn heavy_findings(source: &str) -> Vec<Diagnostic> {
    let dockerfile = syntax::parse_bytes(source.as_bytes());
    let built = model::build(&dockerfile, &Options::default());
    rules::lint(&dockerfile, &built, &Settings::default())
        .into_iter()
        .filter(|diagnostic| diagnostic.code.starts_with("HC"))
        .collect()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
#[ignore = "needs the official corpus: DLAYER_CORPUS_OFFICIAL=../shared/corpus/official (.ci/run sets it)"]
fn official_corpus_has_no_unexpected_heavy_findings() {
    let Some(dir) = corpus_dir("DLAYER_CORPUS_OFFICIAL") else {
        return;
    };
    let mut found: Vec<(String, &str, usize, String)> = Vec::new();
    for path in files(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let source = String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned();
        let index = LineIndex::new(&source);
        for diagnostic in heavy_findings(&source) {
            found.push((
                name.clone(),
                diagnostic.code,
                index.position(&source, diagnostic.span.start).line,
                collapse(diagnostic.span.text(&source)),
            ));
        }
    }
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, code, _, _) in &found {
        *per_rule.entry(code).or_default() += 1;
    }
    eprintln!("official corpus, heavy findings per rule: {per_rule:?}");

    let expected: Vec<(String, &str, usize, String)> = EXPECTED
        .iter()
        .map(|(file, code, line, text, _)| (file.to_string(), *code, *line, text.to_string()))
        .collect();
    let unexpected: Vec<_> = found.iter().filter(|f| !expected.contains(f)).collect();
    let vanished: Vec<_> = expected.iter().filter(|e| !found.contains(e)).collect();
    let literal = |(file, code, line, text): &(String, &str, usize, String)| {
        format!("    ({file:?}, {code:?}, {line}, {text:?}, WHY),")
    };
    assert!(
        unexpected.is_empty() && vanished.is_empty(),
        "unexpected heavy findings (false positives to fix, or true positives to justify):\n{}\n\
         expected findings that no longer fire:\n{}",
        unexpected
            .iter()
            .map(|f| literal(f))
            .collect::<Vec<_>>()
            .join("\n"),
        vanished
            .iter()
            .map(|f| literal(f))
            .collect::<Vec<_>>()
            .join("\n"),
    );
}

#[test]
#[ignore = "needs the heavy corpus: DLAYER_CORPUS_HEAVY=../shared/corpus/heavy (.ci/run sets it)"]
fn heavy_corpus_counts_and_fixes() {
    let Some(dir) = corpus_dir("DLAYER_CORPUS_HEAVY") else {
        return;
    };
    let files = files(&dir);
    let mut per_rule: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for path in &files {
        let source = String::from_utf8_lossy(&fs::read(path).unwrap()).into_owned();
        let findings = heavy_findings(&source);
        let mut seen: Vec<&str> = Vec::new();
        for diagnostic in &findings {
            let entry = per_rule.entry(diagnostic.code).or_default();
            entry.0 += 1;
            if !seen.contains(&diagnostic.code) {
                seen.push(diagnostic.code);
                entry.1 += 1;
            }
            let Some(fix) = diagnostic.fix.as_ref().filter(|fix| !fix.edits.is_empty()) else {
                continue;
            };
            let mut fixed = source.clone();
            let mut edits = fix.edits.clone();
            edits.sort_by_key(|edit| std::cmp::Reverse(edit.span.start));
            for edit in edits {
                fixed.replace_range(edit.span.start..edit.span.end, &edit.replacement);
            }
            assert!(
                syntax::parse_bytes(fixed.as_bytes())
                    .syntax_errors()
                    .is_empty(),
                "{}: the {} fix breaks the file",
                path.display(),
                diagnostic.code
            );
            let before = findings
                .iter()
                .filter(|d| d.code == diagnostic.code)
                .count();
            let after = heavy_findings(&fixed)
                .iter()
                .filter(|d| d.code == diagnostic.code)
                .count();
            assert_eq!(
                after,
                before - 1,
                "{}: the {} fix does not remove its finding",
                path.display(),
                diagnostic.code
            );
        }
    }
    eprintln!(
        "heavy corpus ({} files), heavy findings per rule (findings, files):",
        files.len()
    );
    for (code, (findings, in_files)) in &per_rule {
        eprintln!("  {code}: {findings} in {in_files} files");
    }
    // The classic heavy containers: these rules must fire there.
    for code in ["HC001", "HC002", "HC003", "HC006", "HC009"] {
        assert!(
            per_rule.contains_key(code),
            "{code} never fires on the heavy corpus"
        );
    }
}
