//! Knowledge catalogs: base images and packages.
//!
//! What dlayer knows about the world (which images are full-OS, which have a slim sibling,
//! which packages are compilers, ops agents or servers, and the layer each belongs to) is
//! data, in `rules/catalog/images.toml` and `rules/catalog/packages.toml`, compiled in and
//! parsed once ([`Catalog::builtin`]). The schema of both files is documented at their top.
//! A user catalog of the same schema ([`Catalog::from_toml`]) is merged over the built-in one
//! ([`Catalog::merge`]): user entries win.
//!
//! Lookups:
//! - [`Catalog::package`]: ecosystem + package name (version/arch suffixes allowed) →
//!   [`PackageInfo`] (layer, tags, the catalog entry that matched). Exact names beat patterns;
//!   among `*` patterns the highest `priority` wins (only the packaging-convention suffixes
//!   such as `*-dev` have one), then the one with the most literal characters.
//! - [`Catalog::image`] / [`Catalog::image_ref`]: an image reference → [`ImageInfo`] (family,
//!   kind, package-manager family, estimated size, traits, lighter alternative).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use foldhash::fast::FixedState;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::syntax::byte_scan;

const IMAGES_TOML: &str = include_str!("../../rules/catalog/images.toml");
const PACKAGES_TOML: &str = include_str!("../../rules/catalog/packages.toml");

/// Display names of the two catalog files, used in error messages.
pub const IMAGES_FILE: &str = "images.toml";
/// See [`IMAGES_FILE`].
pub const PACKAGES_FILE: &str = "packages.toml";

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/// The layers of a layered stack, bottom to top (see DESIGN.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// Minimal base, CA certificates, locale, users.
    Os,
    /// Servers and language runtimes, their plug-ins and static config.
    Runtime,
    /// Logging, metrics, monitoring, scheduling, configuration management.
    Ops,
    /// Application code and its dependencies.
    App,
    /// Editors, compilers, debuggers, sshd, troubleshooting tools: development image only.
    Dev,
}

impl Layer {
    /// Every layer, bottom to top.
    pub const ALL: [Layer; 5] = [
        Layer::Os,
        Layer::Runtime,
        Layer::Ops,
        Layer::App,
        Layer::Dev,
    ];

    /// The name used in TOML, JSON and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Os => "os",
            Layer::Runtime => "runtime",
            Layer::Ops => "ops",
            Layer::App => "app",
            Layer::Dev => "dev",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A package ecosystem: the namespace a package name lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    /// Debian/Ubuntu packages (apt-get, apt, dpkg).
    Deb,
    /// RPM packages (yum, dnf, microdnf, tdnf, zypper).
    Rpm,
    /// Alpine/Wolfi packages (apk).
    Apk,
    /// Arch Linux packages (pacman).
    Pacman,
    /// Python packages (pip, pipx, uv, poetry).
    Pip,
    /// Node.js packages (npm, yarn, pnpm).
    Npm,
    /// Ruby gems.
    Gem,
    /// Go modules (`go install`).
    Go,
    /// Rust crates (`cargo install`).
    Cargo,
    /// PHP packages (composer).
    Composer,
    /// Conda packages (conda, mamba, micromamba).
    Conda,
}

impl Ecosystem {
    /// The place of the ecosystem in [`Ecosystem::ALL`] (its declaration order).
    fn index(self) -> usize {
        self as usize
    }

    /// Every ecosystem, in catalog order.
    pub const ALL: [Ecosystem; 11] = [
        Ecosystem::Deb,
        Ecosystem::Rpm,
        Ecosystem::Apk,
        Ecosystem::Pacman,
        Ecosystem::Pip,
        Ecosystem::Npm,
        Ecosystem::Gem,
        Ecosystem::Go,
        Ecosystem::Cargo,
        Ecosystem::Composer,
        Ecosystem::Conda,
    ];

    /// The name used in TOML (the table name) and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Deb => "deb",
            Ecosystem::Rpm => "rpm",
            Ecosystem::Apk => "apk",
            Ecosystem::Pacman => "pacman",
            Ecosystem::Pip => "pip",
            Ecosystem::Npm => "npm",
            Ecosystem::Gem => "gem",
            Ecosystem::Go => "go",
            Ecosystem::Cargo => "cargo",
            Ecosystem::Composer => "composer",
            Ecosystem::Conda => "conda",
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The OS package-manager family of an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageFamily {
    /// apt-get/apt/dpkg (Debian, Ubuntu).
    Apt,
    /// yum/dnf/microdnf/tdnf (the RPM family: RHEL, CentOS, Fedora, Amazon Linux...).
    Dnf,
    /// apk (Alpine, Wolfi).
    Apk,
    /// zypper (openSUSE, SLES).
    Zypper,
    /// pacman (Arch Linux).
    Pacman,
    /// No package manager (scratch, distroless, busybox, Windows).
    None,
}

impl PackageFamily {
    /// The name used in TOML and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            PackageFamily::Apt => "apt",
            PackageFamily::Dnf => "dnf",
            PackageFamily::Apk => "apk",
            PackageFamily::Zypper => "zypper",
            PackageFamily::Pacman => "pacman",
            PackageFamily::None => "none",
        }
    }
}

impl fmt::Display for PackageFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The package ecosystem an image's OS package manager installs from.
pub fn ecosystem_of_family(family: PackageFamily) -> Option<Ecosystem> {
    match family {
        PackageFamily::Apt => Some(Ecosystem::Deb),
        PackageFamily::Dnf | PackageFamily::Zypper => Some(Ecosystem::Rpm),
        PackageFamily::Apk => Some(Ecosystem::Apk),
        PackageFamily::Pacman => Some(Ecosystem::Pacman),
        PackageFamily::None => None,
    }
}

/// What kind of base an image is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageKind {
    /// General-purpose distribution with its full user land.
    Distro,
    /// Slim/minimal variant of a distribution.
    Minimal,
    /// No shell, no package manager.
    Distroless,
    /// The empty image.
    Scratch,
    /// Language image on a full distribution (compilers and headers included).
    Language,
    /// Runtime-only variant of a language image.
    LanguageSlim,
    /// Server image (nginx, postgres...): fine as a base.
    Server,
    /// Toolchain image (golang, rust, JDK, .NET SDK, maven): for build stages only.
    Build,
}

impl ImageKind {
    /// The name used in TOML and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            ImageKind::Distro => "distro",
            ImageKind::Minimal => "minimal",
            ImageKind::Distroless => "distroless",
            ImageKind::Scratch => "scratch",
            ImageKind::Language => "language",
            ImageKind::LanguageSlim => "language-slim",
            ImageKind::Server => "server",
            ImageKind::Build => "build",
        }
    }

    /// A full distribution user land: what the full-OS base rule flags in a final stage.
    pub fn is_full_os(self) -> bool {
        matches!(
            self,
            ImageKind::Distro | ImageKind::Language | ImageKind::Build
        )
    }
}

impl fmt::Display for ImageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Package tags of the built-in catalog (documented in its `[tags]` table). User catalogs
/// may declare more.
pub mod tag {
    pub const SSHD: &str = "sshd";
    pub const REMOTE_ACCESS: &str = "remote-access";
    pub const SUPERVISOR: &str = "supervisor";
    pub const INIT: &str = "init";
    pub const CRON: &str = "cron";
    pub const CM_AGENT: &str = "cm-agent";
    pub const KERNEL: &str = "kernel";
    pub const EDITOR: &str = "editor";
    pub const COMPILER: &str = "compiler";
    pub const HEADERS: &str = "headers";
    pub const SYSTEM_HEADERS: &str = "system-headers";
    pub const BUILD_TOOL: &str = "build-tool";
    pub const DEBUGGER: &str = "debugger";
    pub const NETWORK_TOOL: &str = "network-tool";
    pub const VCS: &str = "vcs";
    pub const OPS_AGENT: &str = "ops-agent";
    pub const SERVER: &str = "server";
    pub const RUNTIME: &str = "runtime";
    pub const LIBRARY: &str = "library";
    pub const PACKAGE_MANAGER: &str = "package-manager";
    pub const CA_CERTIFICATES: &str = "ca-certificates";
    pub const LOCALE: &str = "locale";
    pub const DOWNLOAD_TOOL: &str = "download-tool";
    pub const CRYPTO_TOOL: &str = "crypto-tool";
    pub const SHELL_TOOL: &str = "shell-tool";
    pub const ARCHIVE_TOOL: &str = "archive-tool";
    pub const PROCESS_TOOL: &str = "process-tool";
    pub const PRIVILEGE: &str = "privilege";
    pub const PRIVILEGE_DROP: &str = "privilege-drop";
    pub const DOCS: &str = "docs";
    pub const FONTS: &str = "fonts";
    pub const DB_CLIENT: &str = "db-client";
    pub const TEST_TOOL: &str = "test-tool";
    pub const GUI: &str = "gui";

    /// Every constant above.
    pub const ALL: &[&str] = &[
        SSHD,
        REMOTE_ACCESS,
        SUPERVISOR,
        INIT,
        CRON,
        CM_AGENT,
        KERNEL,
        EDITOR,
        COMPILER,
        HEADERS,
        SYSTEM_HEADERS,
        BUILD_TOOL,
        DEBUGGER,
        NETWORK_TOOL,
        VCS,
        OPS_AGENT,
        SERVER,
        RUNTIME,
        LIBRARY,
        PACKAGE_MANAGER,
        CA_CERTIFICATES,
        LOCALE,
        DOWNLOAD_TOOL,
        CRYPTO_TOOL,
        SHELL_TOOL,
        ARCHIVE_TOOL,
        PROCESS_TOOL,
        PRIVILEGE,
        PRIVILEGE_DROP,
        DOCS,
        FONTS,
        DB_CLIENT,
        TEST_TOOL,
        GUI,
    ];
}

/// Image traits of the built-in catalog (documented in its `[traits]` table).
pub mod image_trait {
    pub const INIT: &str = "init";
    pub const EOL: &str = "eol";
    pub const DEPRECATED: &str = "deprecated";
    pub const DEBUG: &str = "debug";
    pub const WINDOWS: &str = "windows";
    pub const NONROOT: &str = "nonroot";
    pub const NO_SETPRIV: &str = "no-setpriv";

    /// Every constant above.
    pub const ALL: &[&str] = &[INIT, EOL, DEPRECATED, DEBUG, WINDOWS, NONROOT, NO_SETPRIV];
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/// What the catalog knows about a package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackageInfo {
    /// The layer the package belongs to.
    pub layer: Layer,
    /// Tags from the catalog's `[tags]` vocabulary (see [`tag`]).
    pub tags: Vec<String>,
    /// The catalog entry that matched, as written there: a name or a `*` pattern.
    pub pattern: String,
    /// Commands the package provides whose names differ from the package's own (`sshd` for
    /// `openssh-server`); the split planner uses them to see which steps need the package.
    pub programs: Vec<String>,
    /// A rough installed size in MB (for the migration report's estimate), when listed.
    pub size_mb: Option<u32>,
    /// Directories the package creates whose names do not say which package made them
    /// (`/etc/sudoers.d` for `sudo`): a step writing there must run after the install.
    pub paths: Vec<String>,
}

impl PackageInfo {
    /// Whether the package carries `tag`.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// Whether an exact catalog name matched (not a pattern).
    pub fn is_exact(&self) -> bool {
        !self.pattern.contains('*')
    }
}

/// What the catalog knows about an image reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageInfo {
    /// The catalog family (`python`, `ubuntu`, `distroless-static`...).
    pub family: String,
    /// The normalised repository (Docker Hub prefixes and `library/` removed, lower case).
    pub repository: String,
    /// The kind of the variant the tag selects.
    pub kind: ImageKind,
    /// The OS package manager available in the image.
    pub package_family: PackageFamily,
    /// The distribution whose package set the image uses (`debian`, `el`, `alpine`...).
    pub distro: String,
    /// Estimated compressed size in MB (an estimate, see the catalog).
    pub size_mb: Option<u32>,
    /// Traits from the catalog's `[traits]` vocabulary (see [`image_trait`]).
    pub traits: Vec<String>,
    /// The suggested lighter image, if the catalog has one for this tag.
    pub alternative: Option<Alternative>,
    /// The working directory the image starts in when the Dockerfile sets none: the family's
    /// `workdir`, else `/` for a distribution image; `None` when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workdir: Option<String>,
}

impl ImageInfo {
    /// Whether the image carries `name` among its traits.
    pub fn has_trait(&self, name: &str) -> bool {
        self.traits.iter().any(|t| t == name)
    }
}

/// A lighter image to use instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Alternative {
    /// The concrete suggested reference for this tag (`python:3.12-slim`).
    pub image: String,
    /// Its estimated compressed size in MB, when the catalog knows it.
    pub size_mb: Option<u32>,
    /// Whether the swap is safe to do automatically: the Dockerfile's package-manager
    /// commands and package names keep working unchanged.
    pub same_package_family: bool,
    /// The image replaced is a toolchain (`build` kind): the alternative is the base of the
    /// final stage of a multi-stage build (build in the original image, copy the artifact),
    /// never an in-place swap, whatever `same_package_family` says.
    pub multi_stage: bool,
    /// Why, or what to watch for (for the migration report).
    pub note: Option<String>,
}

/// A catalog that could not be read: which file, where, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogError {
    /// The catalog file (`images.toml`, `packages.toml`, or a path set by the caller).
    pub file: String,
    /// 1-based line of the offending TOML, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the offending TOML, when known.
    pub column: Option<usize>,
    /// Byte range of the offending TOML, when known.
    pub span: Option<Range<usize>>,
    /// What is wrong.
    pub message: String,
}

impl CatalogError {
    fn at(
        file: &str,
        source: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = match &span {
            Some(span) => {
                let (line, column) = line_column(source, span.start);
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        CatalogError {
            file: file.to_string(),
            line,
            column,
            span,
            message: message.into(),
        }
    }

    /// The same error, attributed to `file` (e.g. the path of the user's catalog).
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = file.into();
        self
    }
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "{}:{line}:{column}: {}", self.file, self.message)
            }
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for CatalogError {}

fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

// ---------------------------------------------------------------------------------------------
// Glob patterns: `*` matches any run of characters (possibly empty), nothing else is special.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
struct Glob {
    text: String,
    /// The literal pieces between stars: `a*b*c` → [a, b, c]; no star → one piece.
    parts: Vec<String>,
    literal: usize,
}

impl Glob {
    fn new(text: &str) -> Result<Glob, String> {
        if text.is_empty() {
            return Err("empty name or pattern".to_string());
        }
        if text.contains("**") {
            return Err(format!(
                "pattern `{text}` has `**`: one `*` already matches any run of characters"
            ));
        }
        let parts: Vec<String> = text.split('*').map(str::to_string).collect();
        let literal = parts.iter().map(String::len).sum();
        Ok(Glob {
            text: text.to_string(),
            parts,
            literal,
        })
    }

    fn stars(&self) -> usize {
        self.parts.len() - 1
    }

    /// The text each `*` matched, leftmost-shortest, or `None` when `s` does not match.
    fn captures<'s>(&self, s: &'s str) -> Option<Vec<&'s str>> {
        let mut captures = Vec::with_capacity(self.stars());
        self.match_each(s, |capture| captures.push(capture))
            .then_some(captures)
    }

    /// Whether `s` matches, with nothing collected: package lookups try every pattern of an
    /// ecosystem in turn, so this runs many times per install.
    fn matches(&self, s: &str) -> bool {
        self.match_each(s, |_| {})
    }

    /// Whether `s` matches; `capture` is given what each `*` matched (leftmost-shortest), in
    /// order, as far as the match went.
    fn match_each<'s>(&self, s: &'s str, mut capture: impl FnMut(&'s str)) -> bool {
        let first = &self.parts[0];
        if self.parts.len() == 1 {
            return s == first;
        }
        let last = &self.parts[self.parts.len() - 1];
        if s.len() < first.len() + last.len() {
            return false;
        }
        // The outer bytes first: they reject most candidates without a string comparison.
        let (text, first, last) = (s.as_bytes(), first.as_bytes(), last.as_bytes());
        if first.first().is_some_and(|byte| *byte != text[0])
            || last
                .last()
                .is_some_and(|byte| *byte != text[text.len() - 1])
            || !text.starts_with(first)
            || !text.ends_with(last)
        {
            return false;
        }
        let (first, last) = (first.len(), last.len());
        let mut rest = &s[first..s.len() - last];
        for part in &self.parts[1..self.parts.len() - 1] {
            let Some(found) = byte_scan::find_short(rest.as_bytes(), part.as_bytes()) else {
                return false;
            };
            capture(&rest[..found]);
            rest = &rest[found + part.len()..];
        }
        capture(rest);
        true
    }

    /// Most literal characters first, then fewer stars, then by text (deterministic).
    fn specificity_order(a: &Glob, b: &Glob) -> std::cmp::Ordering {
        b.literal
            .cmp(&a.literal)
            .then(a.stars().cmp(&b.stars()))
            .then(a.text.cmp(&b.text))
    }
}

// ---------------------------------------------------------------------------------------------
// Package names
// ---------------------------------------------------------------------------------------------

/// A set of ASCII bytes as a table built at compile time: the scans of package operands
/// test every byte of every operand of every install, with one look-up each.
#[derive(Debug)]
pub(super) struct ByteSet([bool; 256]);

impl ByteSet {
    pub(super) const fn new(bytes: &[u8]) -> ByteSet {
        let mut table = [false; 256];
        let mut i = 0;
        while i < bytes.len() {
            table[bytes[i] as usize] = true;
            i += 1;
        }
        ByteSet(table)
    }

    /// The offset of the first byte of `s` in the set.
    #[inline]
    pub(super) fn find_in(&self, s: &str) -> Option<usize> {
        // A plain loop: `bytes().position` ran as an adapter call per operand, at several
        // instructions a byte, and every package operand is scanned.
        for (index, &byte) in s.as_bytes().iter().enumerate() {
            if self.0[usize::from(byte)] {
                return Some(index);
            }
        }
        None
    }
}

/// The package name in an install argument, without version, architecture, repository or
/// extras: `vim=2:9.0*` → `vim`, `curl:amd64` → `curl`, `flask[async]>=3` → `flask`,
/// `@scope/pkg@1.2` → `@scope/pkg`, `conda-forge::numpy=1.26` → `numpy`. RPM arguments are
/// returned as they are (`name-version` and `name.arch` cannot be told apart from names).
pub fn bare_package_name(ecosystem: Ecosystem, spec: &str) -> &str {
    /// `s` up to the first byte of `stops` (ASCII, so the cut is on a char boundary).
    fn cut<'a>(s: &'a str, stops: &ByteSet) -> &'a str {
        stops.find_in(s).map_or(s, |i| &s[..i])
    }
    // An operand that starts and ends with a printable ASCII character (most do) has nothing
    // to trim: the Unicode-aware trim is left to the others.
    let edges_printable = |spec: &str| {
        let bytes = spec.as_bytes();
        bytes.first().is_some_and(u8::is_ascii_graphic)
            && bytes.last().is_some_and(u8::is_ascii_graphic)
    };
    let spec = if edges_printable(spec) {
        spec
    } else {
        spec.trim()
    };
    match ecosystem {
        Ecosystem::Deb => cut(spec, &const { ByteSet::new(b"=:/") }),
        Ecosystem::Rpm => spec,
        Ecosystem::Apk => cut(spec, &const { ByteSet::new(b"=<>~@") }),
        Ecosystem::Pacman => {
            let name = spec.rsplit_once('/').map_or(spec, |(_, name)| name);
            cut(name, &const { ByteSet::new(b"=<>") })
        }
        Ecosystem::Pip => cut(spec, &const { ByteSet::new(b"[=<>!~;@ (") }),
        Ecosystem::Npm => match spec.strip_prefix('@') {
            Some(rest) => rest.find('@').map_or(spec, |i| &spec[..i + 1]),
            None => cut(spec, &const { ByteSet::new(b"@") }),
        },
        Ecosystem::Gem => cut(spec, &const { ByteSet::new(b":") }),
        Ecosystem::Go | Ecosystem::Cargo => cut(spec, &const { ByteSet::new(b"@") }),
        Ecosystem::Composer => cut(spec, &const { ByteSet::new(b":= @") }),
        Ecosystem::Conda => {
            let name = spec.rsplit_once("::").map_or(spec, |(_, name)| name);
            cut(name, &const { ByteSet::new(b"=<>! [") })
        }
    }
}

/// How [`plain_key`] reads a byte of an install operand.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NameByte {
    /// Part of the name, and already in normal form.
    Kept,
    /// Ends the name (a version, architecture or extras separator).
    Stop,
    /// Anything else (upper case where names are folded, whitespace, non-ASCII, a separator
    /// that needs more than a cut): [`bare_package_name`] and [`normalized`] decide.
    Unsure,
}

/// The [`NameByte`] of every byte for one ecosystem: `stops` end the name, `unsure` (and
/// every byte that is not printable ASCII) leave the operand to the general path, and upper
/// case does too when `folds_case`.
const fn name_bytes(stops: &[u8], unsure: &[u8], folds_case: bool) -> [NameByte; 256] {
    let mut table = [NameByte::Unsure; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        if b.is_ascii_graphic() && !(folds_case && b.is_ascii_uppercase()) {
            table[byte] = NameByte::Kept;
        }
        byte += 1;
    }
    let mut i = 0;
    while i < unsure.len() {
        table[unsure[i] as usize] = NameByte::Unsure;
        i += 1;
    }
    let mut i = 0;
    while i < stops.len() {
        table[stops[i] as usize] = NameByte::Stop;
        i += 1;
    }
    table
}

/// [`name_bytes`] of each ecosystem, at its place in [`Ecosystem::ALL`]: the separators of
/// [`bare_package_name`] are its stops (or unsure bytes where it does more than cut), and
/// the bytes [`normalized`] rewrites are unsure.
static NAME_BYTES: [[NameByte; 256]; Ecosystem::ALL.len()] = [
    name_bytes(b"=:/", b"", true),          // deb
    name_bytes(b"", b"", false),            // rpm
    name_bytes(b"=<>~@", b"", true),        // apk
    name_bytes(b"=<>", b"/", true),         // pacman
    name_bytes(b"[=<>!~;@ (", b"_.", true), // pip
    name_bytes(b"", b"@", false),           // npm
    name_bytes(b":", b"", false),           // gem
    name_bytes(b"@", b"", false),           // go
    name_bytes(b"@", b"_", true),           // cargo
    name_bytes(b":= @", b"", true),         // composer
    name_bytes(b"=<>! [", b":", true),      // conda
];

/// The catalog key of install operand `spec` when it is its own prefix, already in normal
/// form (`curl`, `vim=2:9.0*`, `flask>=3`): what `normalized(bare_package_name(spec))` gives,
/// found in one pass over the bytes and without a copy. `None` leaves the operand to them
/// (every package of every install is looked up, and nearly all are plain).
fn plain_key(ecosystem: Ecosystem, spec: &str) -> Option<&str> {
    let table = &NAME_BYTES[ecosystem.index()];
    let bytes = spec.as_bytes();
    // A leading blank is trimmed before the name is cut (and would be a pip stop).
    if !bytes.first()?.is_ascii_graphic() {
        return None;
    }
    // Every byte before the first stop is printable ASCII: trimming the end changes nothing
    // before it, and without a stop there is nothing to trim.
    let end = bytes
        .iter()
        .position(|&byte| table[usize::from(byte)] != NameByte::Kept)
        .unwrap_or(bytes.len());
    if end < bytes.len() && table[usize::from(bytes[end])] == NameByte::Unsure {
        return None;
    }
    // Pacman and conda names follow the last `/` or `::`, which may come after a stop.
    let last_cut = match ecosystem {
        Ecosystem::Pacman => Some(b'/'),
        Ecosystem::Conda => Some(b':'),
        _ => None,
    };
    if last_cut.is_some_and(|separator| bytes[end..].contains(&separator)) {
        return None;
    }
    let key = &spec[..end];
    // PEP 503 folds a run of `-` into one.
    if ecosystem == Ecosystem::Pip && key.as_bytes().windows(2).any(|pair| pair == b"--") {
        return None;
    }
    Some(key)
}

/// The form names are compared in: PEP 503 for pip, case-insensitive with `-`/`_` equivalent
/// for cargo, lower case for the ecosystems whose names are lower case by policy, unchanged for
/// the case-sensitive ones (rpm, npm, gem, go). `*` is kept.
pub fn normalize_package_name(ecosystem: Ecosystem, name: &str) -> String {
    normalized(ecosystem, name).into_owned()
}

/// [`normalize_package_name`], borrowing `name` when it is already in normal form (most
/// names are): the lookup of every extracted package then allocates nothing.
fn normalized(ecosystem: Ecosystem, name: &str) -> Cow<'_, str> {
    let upper = || name.bytes().any(|b| b.is_ascii_uppercase());
    let unchanged = match ecosystem {
        Ecosystem::Pip => !upper() && !name.contains(['_', '.']) && !name.contains("--"),
        Ecosystem::Cargo => !upper() && !name.contains('_'),
        Ecosystem::Deb
        | Ecosystem::Apk
        | Ecosystem::Pacman
        | Ecosystem::Composer
        | Ecosystem::Conda => !upper(),
        Ecosystem::Rpm | Ecosystem::Npm | Ecosystem::Gem | Ecosystem::Go => true,
    };
    if unchanged {
        return Cow::Borrowed(name);
    }
    Cow::Owned(match ecosystem {
        Ecosystem::Pip => {
            let mut out = String::with_capacity(name.len());
            let mut in_separator = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !in_separator {
                        out.push('-');
                    }
                    in_separator = true;
                } else {
                    out.push(c.to_ascii_lowercase());
                    in_separator = false;
                }
            }
            out
        }
        Ecosystem::Cargo => name.to_ascii_lowercase().replace('_', "-"),
        Ecosystem::Deb
        | Ecosystem::Apk
        | Ecosystem::Pacman
        | Ecosystem::Composer
        | Ecosystem::Conda => name.to_ascii_lowercase(),
        Ecosystem::Rpm | Ecosystem::Npm | Ecosystem::Gem | Ecosystem::Go => name.to_string(),
    })
}

// ---------------------------------------------------------------------------------------------
// TOML schema (raw)
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPackages {
    #[serde(default)]
    tags: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    deb: BTreeMap<String, Spanned<RawEntry>>,
    #[serde(default)]
    rpm: BTreeMap<String, Spanned<RawEntry>>,
    #[serde(default)]
    apk: BTreeMap<String, Spanned<RawEntry>>,
    #[serde(default)]
    pacman: BTreeMap<String, Spanned<RawEntry>>,
    #[serde(default)]
    pip: BTreeMap<String, Spanned<RawEntry>>,
    #[serde(default)]
    npm: BTreeMap<String, Spanned<RawEntry>>,
    #[serde(default)]
    gem: BTreeMap<String, Spanned<RawEntry>>,
    #[serde(default)]
    go: BTreeMap<String, Spanned<RawEntry>>,
    #[serde(default)]
    cargo: BTreeMap<String, Spanned<RawEntry>>,
    #[serde(default)]
    composer: BTreeMap<String, Spanned<RawEntry>>,
    #[serde(default)]
    conda: BTreeMap<String, Spanned<RawEntry>>,
}

impl RawPackages {
    fn take(&mut self, ecosystem: Ecosystem) -> BTreeMap<String, Spanned<RawEntry>> {
        std::mem::take(match ecosystem {
            Ecosystem::Deb => &mut self.deb,
            Ecosystem::Rpm => &mut self.rpm,
            Ecosystem::Apk => &mut self.apk,
            Ecosystem::Pacman => &mut self.pacman,
            Ecosystem::Pip => &mut self.pip,
            Ecosystem::Npm => &mut self.npm,
            Ecosystem::Gem => &mut self.gem,
            Ecosystem::Go => &mut self.go,
            Ecosystem::Cargo => &mut self.cargo,
            Ecosystem::Composer => &mut self.composer,
            Ecosystem::Conda => &mut self.conda,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    layer: Layer,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    priority: i32,
    #[serde(default)]
    programs: Vec<String>,
    size_mb: Option<u32>,
    #[serde(default)]
    paths: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImages {
    #[serde(default)]
    hub_prefixes: Vec<String>,
    #[serde(default)]
    architecture_namespaces: Vec<String>,
    #[serde(default)]
    traits: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    family: Vec<Spanned<RawFamily>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFamily {
    name: String,
    repositories: Vec<String>,
    package_family: PackageFamily,
    distro: String,
    #[serde(default)]
    traits: Vec<String>,
    #[serde(default)]
    eol: Vec<String>,
    #[serde(default)]
    no_setpriv: Vec<String>,
    workdir: Option<String>,
    #[serde(default)]
    variant: Vec<Spanned<RawVariant>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariant {
    #[serde(default)]
    tags: Vec<String>,
    kind: ImageKind,
    package_family: Option<PackageFamily>,
    distro: Option<String>,
    size_mb: Option<u32>,
    workdir: Option<String>,
    #[serde(default)]
    traits: Vec<String>,
    #[serde(default)]
    alternatives: Vec<Spanned<RawAlternative>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlternative {
    tag: String,
    image: String,
    same_package_family: Option<bool>,
    note: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Entry {
    layer: Layer,
    /// Shared with every package the model extracts under this entry (no copy each).
    tags: Arc<[String]>,
    /// Among patterns, a higher priority wins before specificity is considered.
    priority: i32,
    /// The name or pattern as written in the catalog.
    written: String,
    /// Commands the package provides whose names differ from the package's.
    programs: Vec<String>,
    size_mb: Option<u32>,
    /// Directories it creates whose names do not name it.
    paths: Vec<String>,
}

#[derive(Clone, Debug, Default)]
struct PackageTable {
    /// Normalised name or pattern → entry, hashed with foldhash's fixed-seed hasher: every
    /// extracted package is looked up here (a B-tree walk compared strings at each level).
    entries: HashMap<String, Entry, FixedState>,
    /// Patterns (keys of `entries` with a `*`): highest priority first, then most specific.
    patterns: Vec<(i32, Glob)>,
    /// For each byte a name may begin with, the patterns that can match such a name (those
    /// beginning with it or with `*`), in the order of `patterns`, each with what a name must
    /// begin and end with to match it ([`Candidate`]): every package of every install is
    /// looked up, and most patterns are passed over on those bytes.
    patterns_by_first_byte: Vec<Vec<Candidate>>,
}

impl PackageTable {
    fn reindex(&mut self) {
        self.patterns = self
            .entries
            .iter()
            .filter(|(k, _)| k.contains('*'))
            .filter_map(|(k, e)| Some((e.priority, Glob::new(k).ok()?)))
            .collect();
        self.patterns
            .sort_by(|(pa, a), (pb, b)| pb.cmp(pa).then_with(|| Glob::specificity_order(a, b)));
        let mut by_first_byte = vec![Vec::new(); 256];
        for (index, (_, glob)) in self.patterns.iter().enumerate() {
            let candidate = Candidate::new(index, glob);
            match glob.text.as_bytes().first() {
                Some(b'*') | None => by_first_byte
                    .iter_mut()
                    .for_each(|list| list.push(candidate)),
                Some(&byte) => by_first_byte[usize::from(byte)].push(candidate),
            }
        }
        self.patterns_by_first_byte = by_first_byte;
    }

    fn lookup(&self, key: &str) -> Option<&Entry> {
        if let Some(entry) = self.entries.get(key) {
            return Some(entry);
        }
        let candidates = key
            .as_bytes()
            .first()
            .and_then(|&byte| self.patterns_by_first_byte.get(usize::from(byte)));
        let found = match candidates {
            Some(candidates) => {
                let (start, last) = (leading_word(key.as_bytes()), key.as_bytes().last().copied());
                candidates
                    .iter()
                    .filter(|candidate| candidate.may_match(start, last))
                    .map(|candidate| &self.patterns[candidate.index])
                    .find(|(_, glob)| glob.matches(key))
            }
            None => self.patterns.iter().find(|(_, glob)| glob.matches(key)),
        };
        found.and_then(|(_, glob)| self.entries.get(&glob.text))
    }
}

/// A pattern of [`PackageTable::patterns`] (at `index`) as a lookup first tests it: by the
/// first eight bytes of its literal start and by the byte it ends with, compared as integers
/// (a name the table lacks is tried against every pattern beginning with its first byte, and
/// most of them differ in the next few).
#[derive(Clone, Copy, Debug)]
struct Candidate {
    index: usize,
    /// [`leading_word`] of the literal start, and the mask of its bytes in a name's.
    start: u64,
    start_mask: u64,
    /// `None`: the pattern ends with `*`.
    last: Option<u8>,
}

impl Candidate {
    fn new(index: usize, glob: &Glob) -> Candidate {
        let literal_start = &glob.parts[0].as_bytes()[..glob.parts[0].len().min(8)];
        let start_mask = leading_word(&[0xff; 8][..literal_start.len()]);
        Candidate {
            index,
            start: leading_word(literal_start),
            start_mask,
            last: glob.text.bytes().last().filter(|byte| *byte != b'*'),
        }
    }

    /// Whether a name with this [`leading_word`] and last byte may match (the pattern
    /// decides).
    #[inline]
    fn may_match(&self, start: u64, last: Option<u8>) -> bool {
        start & self.start_mask == self.start && (self.last.is_none() || self.last == last)
    }
}

/// The first eight bytes of `bytes` as an integer, first byte lowest, zero past the end.
#[inline]
fn leading_word(bytes: &[u8]) -> u64 {
    let mut word = [0; 8];
    let len = bytes.len().min(8);
    word[..len].copy_from_slice(&bytes[..len]);
    u64::from_le_bytes(word)
}

#[derive(Clone, Debug)]
struct Family {
    name: String,
    repositories: Vec<Glob>,
    package_family: PackageFamily,
    distro: String,
    traits: Vec<String>,
    eol: Vec<Glob>,
    no_setpriv: Vec<Glob>,
    workdir: Option<String>,
    variants: Vec<Variant>,
}

#[derive(Clone, Debug)]
struct Variant {
    /// Empty: the catch-all variant.
    tags: Vec<Glob>,
    kind: ImageKind,
    package_family: Option<PackageFamily>,
    distro: Option<String>,
    size_mb: Option<u32>,
    workdir: Option<String>,
    traits: Vec<String>,
    alternatives: Vec<AlternativeRule>,
}

#[derive(Clone, Debug)]
struct AlternativeRule {
    tag: Glob,
    image: String,
    same_package_family: Option<bool>,
    note: Option<String>,
}

/// An alternative rule whose tag pattern matched, with what its `*`s captured.
type AppliedRule<'c, 't> = (&'c AlternativeRule, Vec<&'t str>);

/// The image and package catalogs.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    tags: BTreeMap<String, String>,
    traits: BTreeMap<String, String>,
    hub_prefixes: Vec<String>,
    /// Docker Hub namespaces that hold the official images built for one architecture
    /// (`arm64v8/ubuntu` is `ubuntu`).
    architecture_namespaces: Vec<String>,
    /// Each ecosystem's table, at its place in [`Ecosystem::ALL`] (empty when none): every
    /// extracted package is looked up, and indexing beats a map search.
    packages: [PackageTable; Ecosystem::ALL.len()],
    families: Vec<Family>,
    /// Exact repository → family index (later families win), hashed like the package tables:
    /// the base image of every stage is looked up.
    exact_repositories: HashMap<String, usize, FixedState>,
    /// Repository patterns, most specific first (later families win ties).
    repository_patterns: Vec<(Glob, usize)>,
    /// The tags of a package the catalog does not know (none), shared by every such package.
    unknown_package_tags: Arc<[String]>,
}

static BUILTIN: LazyLock<Catalog> = LazyLock::new(|| {
    Catalog::parse(Some(IMAGES_TOML), Some(PACKAGES_TOML), None)
        .unwrap_or_else(|error| panic!("built-in catalog: {error}"))
});

impl Catalog {
    /// The built-in catalogs, parsed once.
    pub fn builtin() -> &'static Catalog {
        &BUILTIN
    }

    /// A user catalog: either file may be absent. Tags and traits it uses must be documented in
    /// its own `[tags]`/`[traits]` table or the built-in one. Merge it over a clone of
    /// [`Catalog::builtin`] with [`Catalog::merge`] (or use [`Catalog::with_user`]).
    pub fn from_toml(
        images: Option<&str>,
        packages: Option<&str>,
    ) -> Result<Catalog, CatalogError> {
        Catalog::parse(images, packages, Some(Catalog::builtin()))
    }

    /// The built-in catalogs with a user catalog merged over them.
    pub fn with_user(
        images: Option<&str>,
        packages: Option<&str>,
    ) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::builtin().clone();
        catalog.merge(Catalog::from_toml(images, packages)?);
        Ok(catalog)
    }

    /// Merges `user` over `self`: a package entry with the same (normalised) name or pattern in
    /// the same ecosystem replaces ours, an image family with the same name replaces ours
    /// entirely, and the user's repositories win over ours when both list the same one. Tag and
    /// trait documentation is merged, the user's wording winning; hub prefixes are added.
    pub fn merge(&mut self, user: Catalog) {
        self.tags.extend(user.tags);
        self.traits.extend(user.traits);
        for prefix in user.hub_prefixes {
            if !self.hub_prefixes.contains(&prefix) {
                self.hub_prefixes.push(prefix);
            }
        }
        for namespace in user.architecture_namespaces {
            if !self.architecture_namespaces.contains(&namespace) {
                self.architecture_namespaces.push(namespace);
            }
        }
        for (ours, table) in self.packages.iter_mut().zip(user.packages) {
            if !table.entries.is_empty() {
                ours.entries.extend(table.entries);
                ours.reindex();
            }
        }
        for family in user.families {
            self.families.retain(|ours| ours.name != family.name);
            self.families.push(family);
        }
        self.reindex_families();
    }

    /// Package lookup. `name` may carry a version, architecture or repository suffix (see
    /// [`bare_package_name`]); it is normalised per ecosystem (see [`normalize_package_name`]).
    /// An exact catalog name beats every pattern; among patterns the highest `priority` wins,
    /// then the most specific one (most literal characters).
    pub fn package(&self, ecosystem: Ecosystem, name: &str) -> Option<PackageInfo> {
        let entry = self.package_entry(ecosystem, name)?;
        Some(PackageInfo {
            layer: entry.layer,
            tags: entry.tags.to_vec(),
            pattern: entry.written.clone(),
            programs: entry.programs.clone(),
            size_mb: entry.size_mb,
            paths: entry.paths.clone(),
        })
    }

    /// What [`Catalog::package`] tells of the layer, tags and matching entry, borrowed from the
    /// catalog: the model looks up every package it extracts and needs no copy of the rest.
    pub(crate) fn package_layer_tags(
        &self,
        ecosystem: Ecosystem,
        name: &str,
    ) -> Option<(Layer, &Arc<[String]>, &str)> {
        let entry = self.package_entry(ecosystem, name)?;
        Some((entry.layer, &entry.tags, &entry.written))
    }

    /// The tags of a package no entry names: none, one list shared by all of them (not one
    /// allocated per RUN).
    pub(crate) fn unknown_package_tags(&self) -> &Arc<[String]> {
        &self.unknown_package_tags
    }

    fn package_entry(&self, ecosystem: Ecosystem, name: &str) -> Option<&Entry> {
        let key = match plain_key(ecosystem, name) {
            Some(key) => Cow::Borrowed(key),
            None => normalized(ecosystem, bare_package_name(ecosystem, name)),
        };
        if key.is_empty() {
            return None;
        }
        self.packages[ecosystem.index()].lookup(&key)
    }

    /// Image lookup by parts. `registry` is the registry host when the caller split it off
    /// (`docker.io`, `gcr.io`...); Docker Hub prefixes and `library/` are ignored; a missing
    /// tag is `latest` (a digest after `@` is ignored).
    pub fn image(
        &self,
        registry: Option<&str>,
        repository: &str,
        tag: Option<&str>,
    ) -> Option<ImageInfo> {
        let hub_name = self.hub_repository(registry, repository);
        let (namespace, repository) = match self.architecture_namespace(&hub_name) {
            Some((namespace, rest)) => (Some(namespace), rest),
            None => (None, hub_name.as_str()),
        };
        let tag = tag
            .map(|t| t.split('@').next().unwrap_or(t))
            .filter(|t| !t.is_empty())
            .unwrap_or("latest");
        let (mut info, rule) = self.classify(repository, tag)?;
        if let Some((rule, captures)) = rule {
            let mut alternative = self.alternative(&info, rule, repository, tag, &captures);
            if let Some(namespace) = namespace {
                alternative.image = in_architecture_namespace(namespace, &alternative.image);
            }
            info.alternative = Some(alternative);
        }
        Some(info)
    }

    /// Image lookup by reference (`python:3.12`, `docker.io/library/nginx:1.25@sha256:…`,
    /// `registry.access.redhat.com/ubi9/ubi-minimal:9.4`, `scratch`).
    pub fn image_ref(&self, reference: &str) -> Option<ImageInfo> {
        let (registry, repository, tag) = split_reference(reference);
        self.image(registry, repository, tag)
    }

    /// Documentation of every package tag (`[tags]`).
    pub fn tags(&self) -> &BTreeMap<String, String> {
        &self.tags
    }

    /// Documentation of every image trait (`[traits]`).
    pub fn traits(&self) -> &BTreeMap<String, String> {
        &self.traits
    }

    /// Every entry of an ecosystem's table, in name order; `pattern` is the name as written.
    pub fn package_entries(&self, ecosystem: Ecosystem) -> Vec<PackageInfo> {
        Some(&self.packages[ecosystem.index()])
            .filter(|table| !table.entries.is_empty())
            .map_or_else(Vec::new, |table| {
                let mut entries: Vec<(&String, &Entry)> = table.entries.iter().collect();
                entries.sort_unstable_by_key(|&(name, _)| name);
                entries
                    .into_iter()
                    .map(|(_, e)| PackageInfo {
                        layer: e.layer,
                        tags: e.tags.to_vec(),
                        pattern: e.written.clone(),
                        programs: e.programs.clone(),
                        size_mb: e.size_mb,
                        paths: e.paths.clone(),
                    })
                    .collect()
            })
    }

    /// The names of the image families, in catalog order.
    pub fn image_families(&self) -> Vec<&str> {
        self.families.iter().map(|f| f.name.as_str()).collect()
    }

    // --- images ---------------------------------------------------------------------------------

    fn normalize_repository(&self, registry: Option<&str>, repository: &str) -> String {
        let name = self.hub_repository(registry, repository);
        match self.architecture_namespace(&name) {
            Some((_, rest)) => rest.to_string(),
            None => name,
        }
    }

    /// `arm64v8/ubuntu` → (`arm64v8`, `ubuntu`): an official image built for one architecture.
    fn architecture_namespace<'n>(&self, name: &'n str) -> Option<(&'n str, &'n str)> {
        let (namespace, rest) = name.split_once('/')?;
        (!rest.contains('/')
            && !namespace.contains(['.', ':'])
            && self.architecture_namespaces.iter().any(|n| n == namespace))
        .then_some((namespace, rest))
    }

    /// The repository with the registry joined in, lower case, Docker Hub prefixes and
    /// `library/` removed.
    fn hub_repository(&self, registry: Option<&str>, repository: &str) -> String {
        let mut name = match registry
            .map(|r| r.trim_end_matches('/'))
            .filter(|r| !r.is_empty())
        {
            Some(registry) => format!("{registry}/{repository}"),
            None => repository.to_string(),
        };
        name.make_ascii_lowercase();
        for prefix in &self.hub_prefixes {
            if let Some(rest) = name
                .strip_prefix(prefix.as_str())
                .and_then(|r| r.strip_prefix('/'))
            {
                name = rest.to_string();
                break;
            }
        }
        if let Some(rest) = name.strip_prefix("library/") {
            name = rest.to_string();
        }
        name
    }

    fn family_of(&self, repository: &str) -> Option<&Family> {
        let index = match self.exact_repositories.get(repository) {
            Some(&index) => index,
            None => {
                self.repository_patterns
                    .iter()
                    .find(|(glob, _)| glob.matches(repository))?
                    .1
            }
        };
        self.families.get(index)
    }

    /// The image info without alternative, and the alternative rule that applies, if any.
    fn classify<'c, 't>(
        &'c self,
        repository: &str,
        tag: &'t str,
    ) -> Option<(ImageInfo, Option<AppliedRule<'c, 't>>)> {
        let family = self.family_of(repository)?;
        let variant = family
            .variants
            .iter()
            .find(|v| v.tags.is_empty() || v.tags.iter().any(|g| g.matches(tag)))
            .or_else(|| family.variants.last())?;
        let mut traits = family.traits.clone();
        for name in &variant.traits {
            if !traits.contains(name) {
                traits.push(name.clone());
            }
        }
        let by_release = [
            (&family.eol, image_trait::EOL),
            (&family.no_setpriv, image_trait::NO_SETPRIV),
        ];
        for (releases, name) in by_release {
            if releases.iter().any(|g| g.matches(tag)) && !traits.iter().any(|t| t == name) {
                traits.push(name.to_string());
            }
        }
        let info = ImageInfo {
            family: family.name.clone(),
            repository: repository.to_string(),
            kind: variant.kind,
            package_family: variant.package_family.unwrap_or(family.package_family),
            distro: variant
                .distro
                .clone()
                .unwrap_or_else(|| family.distro.clone()),
            size_mb: variant.size_mb,
            traits,
            alternative: None,
            workdir: variant
                .workdir
                .clone()
                .or_else(|| family.workdir.clone())
                .or_else(|| {
                    matches!(variant.kind, ImageKind::Distro | ImageKind::Minimal)
                        .then(|| "/".into())
                }),
        };
        let rule = variant.alternatives.iter().find_map(|rule| {
            let captures = rule.tag.captures(tag)?;
            template_applies(&rule.image, &captures).then_some((rule, captures))
        });
        Some((info, rule))
    }

    fn alternative(
        &self,
        from: &ImageInfo,
        rule: &AlternativeRule,
        repository: &str,
        tag: &str,
        captures: &[&str],
    ) -> Alternative {
        let image = render_template(&rule.image, repository, tag, captures);
        let (registry, alt_repository, alt_tag) = split_reference(&image);
        let alt_repository = self.normalize_repository(registry, alt_repository);
        let target = self
            .classify(&alt_repository, alt_tag.unwrap_or("latest"))
            .map(|(info, _)| info);
        let computed = target.as_ref().is_some_and(|t| {
            t.package_family == from.package_family
                && t.package_family != PackageFamily::None
                && t.distro == from.distro
        });
        Alternative {
            size_mb: target.as_ref().and_then(|t| t.size_mb),
            same_package_family: rule.same_package_family.unwrap_or(computed),
            multi_stage: from.kind == ImageKind::Build,
            note: rule.note.clone(),
            image,
        }
    }

    fn reindex_families(&mut self) {
        self.exact_repositories.clear();
        self.repository_patterns.clear();
        for (index, family) in self.families.iter().enumerate() {
            for glob in &family.repositories {
                if glob.stars() == 0 {
                    self.exact_repositories.insert(glob.text.clone(), index);
                } else {
                    self.repository_patterns.push((glob.clone(), index));
                }
            }
        }
        self.repository_patterns
            .sort_by(|(a, ai), (b, bi)| Glob::specificity_order(a, b).then(bi.cmp(ai)));
    }

    // --- parsing --------------------------------------------------------------------------------

    fn parse(
        images: Option<&str>,
        packages: Option<&str>,
        base: Option<&Catalog>,
    ) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        if let Some(source) = packages {
            catalog.parse_packages(source, base)?;
        }
        if let Some(source) = images {
            catalog.parse_images(source, base)?;
        }
        catalog.reindex_families();
        Ok(catalog)
    }

    fn parse_packages(&mut self, source: &str, base: Option<&Catalog>) -> Result<(), CatalogError> {
        let err = |span: Option<Range<usize>>, message: String| {
            CatalogError::at(PACKAGES_FILE, source, span, message)
        };
        let mut raw: RawPackages = toml::from_str(source)
            .map_err(|e| err(e.span(), e.message().trim_end().to_string()))?;
        for (name, doc) in &raw.tags {
            check_vocabulary_name(name).map_err(|m| err(Some(doc.span()), m))?;
            self.tags.insert(name.clone(), doc.get_ref().clone());
        }
        let known = |tag: &str| {
            self.tags.contains_key(tag) || base.is_some_and(|b| b.tags.contains_key(tag))
        };
        let mut tables: [PackageTable; Ecosystem::ALL.len()] = Default::default();
        for ecosystem in Ecosystem::ALL {
            let mut table = PackageTable::default();
            for (name, entry) in raw.take(ecosystem) {
                let span = entry.span();
                let RawEntry {
                    layer,
                    tags,
                    priority,
                    programs,
                    size_mb,
                    paths,
                } = entry.into_inner();
                Glob::new(&name)
                    .map_err(|m| err(Some(span.clone()), format!("[{ecosystem}] {m}")))?;
                for tag in &tags {
                    if !known(tag) {
                        return Err(err(
                            Some(span),
                            format!(
                                "[{ecosystem}] `{name}`: tag `{tag}` is not documented in [tags]"
                            ),
                        ));
                    }
                }
                let mut seen = Vec::new();
                if tags.iter().any(|t| {
                    let dup = seen.contains(&t);
                    seen.push(t);
                    dup
                }) {
                    return Err(err(
                        Some(span),
                        format!("[{ecosystem}] `{name}`: a tag is listed twice"),
                    ));
                }
                if priority != 0 && !name.contains('*') {
                    return Err(err(
                        Some(span),
                        format!("[{ecosystem}] `{name}`: `priority` only applies to patterns"),
                    ));
                }
                let key = normalize_package_name(ecosystem, &name);
                if let Some(previous) = table.entries.get(&key) {
                    return Err(err(
                        Some(span),
                        format!(
                            "[{ecosystem}] `{name}` is the same package name as `{}` once normalised",
                            previous.written
                        ),
                    ));
                }
                table.entries.insert(
                    key,
                    Entry {
                        layer,
                        tags: tags.into(),
                        priority,
                        written: name,
                        programs,
                        size_mb,
                        paths,
                    },
                );
            }
            if !table.entries.is_empty() {
                table.reindex();
                tables[ecosystem.index()] = table;
            }
        }
        self.packages = tables;
        Ok(())
    }

    fn parse_images(&mut self, source: &str, base: Option<&Catalog>) -> Result<(), CatalogError> {
        let err = |span: Range<usize>, message: String| {
            CatalogError::at(IMAGES_FILE, source, Some(span), message)
        };
        let raw: RawImages = toml::from_str(source)
            .map_err(|e| CatalogError::at(IMAGES_FILE, source, e.span(), e.message().trim_end()))?;
        for (name, doc) in &raw.traits {
            check_vocabulary_name(name).map_err(|m| err(doc.span(), m))?;
            self.traits.insert(name.clone(), doc.get_ref().clone());
        }
        for prefix in raw.hub_prefixes {
            let prefix = prefix.trim_end_matches('/').to_ascii_lowercase();
            if !prefix.is_empty() && !self.hub_prefixes.contains(&prefix) {
                self.hub_prefixes.push(prefix);
            }
        }
        for namespace in raw.architecture_namespaces {
            let namespace = namespace.trim_end_matches('/').to_ascii_lowercase();
            if !namespace.is_empty() && !self.architecture_namespaces.contains(&namespace) {
                self.architecture_namespaces.push(namespace);
            }
        }
        let known = |name: &str| {
            self.traits.contains_key(name) || base.is_some_and(|b| b.traits.contains_key(name))
        };
        let mut families: Vec<Family> = Vec::new();
        let mut exact_owner: HashMap<String, String> = HashMap::new();
        for raw_family in raw.family {
            let span = raw_family.span();
            let raw_family = raw_family.into_inner();
            let name = raw_family.name;
            let at = |message: String| err(span.clone(), format!("family `{name}`: {message}"));
            if name.is_empty() {
                return Err(err(span, "family with an empty name".to_string()));
            }
            if families.iter().any(|f| f.name == name) {
                return Err(at("defined twice".to_string()));
            }
            if raw_family.repositories.is_empty() {
                return Err(at("no repositories".to_string()));
            }
            let mut repositories = Vec::new();
            for repository in &raw_family.repositories {
                if repository.chars().any(|c| c.is_ascii_uppercase()) {
                    return Err(at(format!("repository `{repository}` must be lower case")));
                }
                let glob = Glob::new(repository).map_err(&at)?;
                if glob.stars() == 0 {
                    if let Some(owner) = exact_owner.insert(repository.clone(), name.clone()) {
                        return Err(at(format!(
                            "repository `{repository}` is already listed by family `{owner}`"
                        )));
                    }
                }
                repositories.push(glob);
            }
            for name in &raw_family.traits {
                if !known(name) {
                    return Err(at(format!("trait `{name}` is not documented in [traits]")));
                }
            }
            if !raw_family.eol.is_empty() && !known(image_trait::EOL) {
                return Err(at(
                    "`eol` needs the `eol` trait documented in [traits]".to_string()
                ));
            }
            if !raw_family.no_setpriv.is_empty() && !known(image_trait::NO_SETPRIV) {
                return Err(at(
                    "`no_setpriv` needs the `no-setpriv` trait documented in [traits]".to_string(),
                ));
            }
            let globs = |patterns: &[String]| {
                patterns
                    .iter()
                    .map(|t| Glob::new(t))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(&at)
            };
            let eol = globs(&raw_family.eol)?;
            let no_setpriv = globs(&raw_family.no_setpriv)?;
            check_workdir(raw_family.workdir.as_deref()).map_err(&at)?;
            if raw_family.variant.is_empty() {
                return Err(at("no [[family.variant]]".to_string()));
            }
            let count = raw_family.variant.len();
            let mut variants = Vec::new();
            for (index, raw_variant) in raw_family.variant.into_iter().enumerate() {
                let span = raw_variant.span();
                let raw_variant = raw_variant.into_inner();
                let at = |message: String| {
                    err(
                        span.clone(),
                        format!("family `{name}`, variant {}: {message}", index + 1),
                    )
                };
                let last = index + 1 == count;
                if last && !raw_variant.tags.is_empty() {
                    return Err(at(
                        "the last variant must have no `tags`: it takes every other tag"
                            .to_string(),
                    ));
                }
                if !last && raw_variant.tags.is_empty() {
                    return Err(at("only the last variant may omit `tags`".to_string()));
                }
                let tags = raw_variant
                    .tags
                    .iter()
                    .map(|t| Glob::new(t))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(&at)?;
                check_workdir(raw_variant.workdir.as_deref()).map_err(&at)?;
                for name in &raw_variant.traits {
                    if !known(name) {
                        return Err(at(format!("trait `{name}` is not documented in [traits]")));
                    }
                }
                let mut alternatives = Vec::new();
                for raw_alternative in raw_variant.alternatives {
                    let span = raw_alternative.span();
                    let raw_alternative = raw_alternative.into_inner();
                    let at = |message: String| {
                        err(
                            span.clone(),
                            format!(
                                "family `{name}`, variant {}, alternative: {message}",
                                index + 1
                            ),
                        )
                    };
                    let tag = Glob::new(&raw_alternative.tag).map_err(&at)?;
                    check_template(&raw_alternative.image, tag.stars()).map_err(&at)?;
                    alternatives.push(AlternativeRule {
                        tag,
                        image: raw_alternative.image,
                        same_package_family: raw_alternative.same_package_family,
                        note: raw_alternative.note,
                    });
                }
                variants.push(Variant {
                    tags,
                    kind: raw_variant.kind,
                    package_family: raw_variant.package_family,
                    distro: raw_variant.distro,
                    size_mb: raw_variant.size_mb,
                    workdir: raw_variant.workdir,
                    traits: raw_variant.traits,
                    alternatives,
                });
            }
            families.push(Family {
                name,
                repositories,
                package_family: raw_family.package_family,
                distro: raw_family.distro,
                traits: raw_family.traits,
                eol,
                no_setpriv,
                workdir: raw_family.workdir,
                variants,
            });
        }
        self.families = families;
        Ok(())
    }
}

/// The suggested official image built for the same architecture as the image it replaces
/// (`arm64v8/debian:bookworm-slim` for `arm64v8/debian:bookworm`); images of other registries
/// and namespaces are left as they are.
fn in_architecture_namespace(namespace: &str, image: &str) -> String {
    match split_reference(image) {
        (None, repository, _) if !repository.contains('/') => format!("{namespace}/{image}"),
        _ => image.to_string(),
    }
}

fn check_workdir(workdir: Option<&str>) -> Result<(), String> {
    match workdir {
        Some(workdir) if !workdir.starts_with('/') => {
            Err(format!("workdir `{workdir}` must be an absolute path"))
        }
        _ => Ok(()),
    }
}

fn check_vocabulary_name(name: &str) -> Result<(), String> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if valid {
        Ok(())
    } else {
        Err(format!("`{name}` must be lower-case kebab-case"))
    }
}

/// Splits `registry/repository:tag@digest` into its parts; the registry is the first path
/// component when it looks like a host (has a `.` or `:`, or is `localhost`).
fn split_reference(reference: &str) -> (Option<&str>, &str, Option<&str>) {
    let reference = reference.split('@').next().unwrap_or(reference);
    let last_slash = reference.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match reference[last_slash..].rfind(':') {
        Some(i) => (
            &reference[..last_slash + i],
            Some(&reference[last_slash + i + 1..]),
        ),
        None => (reference, None),
    };
    match name.split_once('/') {
        Some((host, rest)) if host.contains('.') || host.contains(':') || host == "localhost" => {
            (Some(host), rest, tag)
        }
        _ => (None, name, tag),
    }
}

/// Placeholders: `{1}`..`{9}` (captures of the rule's tag pattern), `{tag}`, `{repository}`.
fn check_template(template: &str, stars: usize) -> Result<(), String> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("unclosed `{{` in `{template}`"))?
            + open;
        let name = &rest[open + 1..close];
        match name {
            "tag" | "repository" => {}
            _ => match name.parse::<usize>() {
                Ok(n) if (1..=stars).contains(&n) => {}
                Ok(n) => {
                    return Err(format!(
                        "`{{{n}}}` in `{template}` but the tag pattern has {stars} `*`"
                    ));
                }
                Err(_) => return Err(format!("unknown placeholder `{{{name}}}` in `{template}`")),
            },
        }
        rest = &rest[close + 1..];
    }
    if template.trim().is_empty() {
        return Err("empty image".to_string());
    }
    Ok(())
}

/// A rule applies only when every capture its template uses is non-empty.
fn template_applies(template: &str, captures: &[&str]) -> bool {
    captures
        .iter()
        .enumerate()
        .all(|(i, capture)| !capture.is_empty() || !template.contains(&format!("{{{}}}", i + 1)))
}

fn render_template(template: &str, repository: &str, tag: &str, captures: &[&str]) -> String {
    let mut out = template
        .replace("{tag}", tag)
        .replace("{repository}", repository);
    for (i, capture) in captures.iter().enumerate() {
        out = out.replace(&format!("{{{}}}", i + 1), capture);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystem_index_is_the_place_in_all() {
        for (place, ecosystem) in Ecosystem::ALL.into_iter().enumerate() {
            assert_eq!(ecosystem.index(), place, "{ecosystem:?}");
        }
    }

    #[test]
    fn glob_matching_and_captures() {
        let g = Glob::new("*-*").unwrap();
        assert_eq!(
            g.captures("3.12.1-bookworm"),
            Some(vec!["3.12.1", "bookworm"])
        );
        assert_eq!(g.captures("3.12"), None);
        let g = Glob::new("lib*-dev").unwrap();
        assert!(g.matches("libssl-dev"));
        assert!(g.matches("lib-dev"));
        assert!(!g.matches("libssl"));
        assert!(!g.matches("lib-de"));
        let g = Glob::new("*.*.*-*").unwrap();
        assert_eq!(
            g.captures("8.0.204-bookworm-slim"),
            Some(vec!["8", "0", "204", "bookworm-slim"])
        );
        assert_eq!(g.captures("8.0-bookworm-slim"), None);
        let g = Glob::new("vim").unwrap();
        assert_eq!(g.captures("vim"), Some(vec![]));
        assert!(!g.matches("vim-tiny"));
        assert!(Glob::new("a**b").is_err());
        assert!(Glob::new("").is_err());
        // prefix and suffix may not overlap
        assert!(!Glob::new("ab*ba").unwrap().matches("aba"));
        assert!(Glob::new("*").unwrap().matches(""));
    }

    #[test]
    fn specificity_prefers_literal_characters() {
        let mut globs: Vec<Glob> = ["*", "lib*", "lib*-dev", "*-dev"]
            .iter()
            .map(|g| Glob::new(g).unwrap())
            .collect();
        globs.sort_by(Glob::specificity_order);
        let order: Vec<&str> = globs.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(order, ["lib*-dev", "*-dev", "lib*", "*"]);
    }

    #[test]
    fn bare_names() {
        use Ecosystem::*;
        assert_eq!(bare_package_name(Deb, "vim=2:9.0.1378-2"), "vim");
        assert_eq!(bare_package_name(Deb, "\tvim=2 "), "vim");
        assert_eq!(bare_package_name(Deb, "\u{a0}curl\u{2003}"), "curl");
        assert_eq!(bare_package_name(Rpm, "\x0bhttpd\u{85}"), "httpd");
        assert_eq!(bare_package_name(Deb, "libc6-dev:i386"), "libc6-dev");
        assert_eq!(bare_package_name(Deb, "nginx/bookworm-backports"), "nginx");
        assert_eq!(bare_package_name(Apk, "curl=8.5.0-r0"), "curl");
        assert_eq!(bare_package_name(Apk, "nodejs~20"), "nodejs");
        assert_eq!(bare_package_name(Apk, "vim@edge"), "vim");
        assert_eq!(bare_package_name(Pip, "Flask[async]>=3.0"), "Flask");
        assert_eq!(bare_package_name(Pip, "requests==2.31.0"), "requests");
        assert_eq!(
            bare_package_name(Pip, "pkg @ https://example.com/x.whl"),
            "pkg"
        );
        assert_eq!(bare_package_name(Npm, "@angular/cli@17"), "@angular/cli");
        assert_eq!(bare_package_name(Npm, "@angular/cli"), "@angular/cli");
        assert_eq!(bare_package_name(Npm, "pm2@latest"), "pm2");
        assert_eq!(bare_package_name(Gem, "rails:7.1.0"), "rails");
        assert_eq!(
            bare_package_name(Go, "github.com/go-delve/delve/cmd/dlv@latest"),
            "github.com/go-delve/delve/cmd/dlv"
        );
        assert_eq!(bare_package_name(Cargo, "ripgrep@14.0.0"), "ripgrep");
        assert_eq!(
            bare_package_name(Composer, "phpunit/phpunit:^10"),
            "phpunit/phpunit"
        );
        assert_eq!(bare_package_name(Conda, "conda-forge::numpy=1.26"), "numpy");
        assert_eq!(bare_package_name(Pacman, "extra/vim"), "vim");
        assert_eq!(bare_package_name(Rpm, "vim-enhanced"), "vim-enhanced");
    }

    #[test]
    fn normalised_names() {
        use Ecosystem::*;
        assert_eq!(
            normalize_package_name(Pip, "Django_REST.framework"),
            "django-rest-framework"
        );
        assert_eq!(normalize_package_name(Pip, "a-_.b"), "a-b");
        assert_eq!(normalize_package_name(Cargo, "Cargo_Watch"), "cargo-watch");
        assert_eq!(normalize_package_name(Deb, "Vim"), "vim");
        assert_eq!(normalize_package_name(Rpm, "ShellCheck"), "ShellCheck");
    }

    #[test]
    fn plain_keys_are_the_normalised_bare_names() {
        let specs = [
            "curl",
            "vim=2:9.0*",
            "curl:amd64",
            "Vim",
            "vim=Big",
            " curl",
            "curl ",
            "curl\t",
            "=1.0",
            "",
            "extra/vim",
            "vim=1/2",
            "vim>1/2",
            "conda-forge::numpy=1.26",
            "numpy=1::x",
            "numpy:x",
            "flask[async]>=3",
            "Flask>=3",
            "flask_cors",
            "zope.interface",
            "a--b",
            "a-b",
            "flask ==1",
            "requests==2.0 ",
            "@scope/pkg@1.2",
            "left-pad@1",
            "LeftPad",
            "rails:7.1",
            "golang.org/x/tools/cmd/goimports@latest",
            "cargo_watch@8",
            "Cargo-Watch",
            "vendor/name:^1.0",
            "vendor/name @dev",
            "java-1.8.0-openjdk",
            "ShellCheck",
            "caf\u{e9}",
            "curl=\u{e9}",
            "*",
        ];
        for ecosystem in Ecosystem::ALL {
            for spec in specs {
                let general = normalized(ecosystem, bare_package_name(ecosystem, spec));
                if let Some(key) = plain_key(ecosystem, spec) {
                    assert_eq!(key, general, "{ecosystem:?} {spec:?}");
                }
            }
        }
        // The plain operands take the one-pass path.
        assert_eq!(plain_key(Ecosystem::Deb, "vim=2:9.0*"), Some("vim"));
        assert_eq!(plain_key(Ecosystem::Pip, "flask[async]>=3"), Some("flask"));
        assert_eq!(plain_key(Ecosystem::Rpm, "ShellCheck"), Some("ShellCheck"));
    }

    #[test]
    fn reference_splitting() {
        assert_eq!(
            split_reference("python:3.12"),
            (None, "python", Some("3.12"))
        );
        assert_eq!(
            split_reference("docker.io/library/nginx:1.25"),
            (Some("docker.io"), "library/nginx", Some("1.25"))
        );
        assert_eq!(
            split_reference("localhost:5000/app"),
            (Some("localhost:5000"), "app", None)
        );
        assert_eq!(
            split_reference("localhost/app:1"),
            (Some("localhost"), "app", Some("1"))
        );
        assert_eq!(
            split_reference("centos/systemd"),
            (None, "centos/systemd", None)
        );
        assert_eq!(split_reference("alpine@sha256:abc"), (None, "alpine", None));
        assert_eq!(
            split_reference("registry.access.redhat.com/ubi9/ubi-minimal:9.4"),
            (
                Some("registry.access.redhat.com"),
                "ubi9/ubi-minimal",
                Some("9.4")
            )
        );
    }

    #[test]
    fn templates() {
        assert!(check_template("python:{1}-slim-{2}", 2).is_ok());
        assert!(check_template("python:{3}", 2).is_err());
        assert!(check_template("python:{version}", 2).is_err());
        assert!(check_template("python:{1", 2).is_err());
        assert_eq!(
            render_template("{repository}:{tag}-minimal", "rockylinux", "9", &["9"]),
            "rockylinux:9-minimal"
        );
        assert!(!template_applies("x:{2}", &["8.7-", ""]));
        assert!(template_applies("x:{1}", &["8.7-", ""]));
    }

    #[test]
    fn line_columns() {
        assert_eq!(line_column("a\nbcd\né", 0), (1, 1));
        assert_eq!(line_column("a\nbcd\néx", 4), (2, 3));
        assert_eq!(line_column("a\nbcd\néx", 8), (3, 2));
    }

    /// Every alternative rule of the built-in catalog, applied to a tag it matches, names an
    /// image the catalog knows, lighter than the one it replaces.
    #[test]
    fn builtin_alternatives_resolve_to_lighter_known_images() {
        let catalog = Catalog::builtin();
        let mut checked = 0;
        for family in &catalog.families {
            for variant in &family.variants {
                for rule in &variant.alternatives {
                    let sample_tag = rule.tag.text.replace('*', "1");
                    let captures = rule.tag.captures(&sample_tag).unwrap();
                    let repository = family
                        .repositories
                        .iter()
                        .find(|g| g.stars() == 0)
                        .map_or_else(
                            || family.repositories[0].text.replace('*', "x"),
                            |g| g.text.clone(),
                        );
                    let image = render_template(&rule.image, &repository, &sample_tag, &captures);
                    let target = catalog.image_ref(&image).unwrap_or_else(|| {
                        panic!(
                            "{}: alternative `{image}` is not in the catalog",
                            family.name
                        )
                    });
                    assert!(
                        !matches!(target.kind, ImageKind::Language | ImageKind::Build)
                            && (target.kind != ImageKind::Distro
                                || variant.kind == ImageKind::Build
                                || target.has_trait(image_trait::WINDOWS)),
                        "{}: alternative `{image}` is a {} image",
                        family.name,
                        target.kind
                    );
                    if let (Some(from), Some(to)) = (variant.size_mb, target.size_mb) {
                        assert!(
                            to <= from,
                            "{}: alternative `{image}` ({to} MB) is not lighter ({from} MB)",
                            family.name
                        );
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 50, "only {checked} alternative rules");
    }

    #[test]
    fn builtin_vocabulary_matches_the_constants() {
        let catalog = Catalog::builtin();
        for name in tag::ALL {
            assert!(
                catalog.tags.contains_key(*name),
                "tag `{name}` is not in [tags]"
            );
        }
        for name in catalog.tags.keys() {
            assert!(
                tag::ALL.contains(&name.as_str()),
                "tag `{name}` has no constant in `tag`"
            );
        }
        for name in image_trait::ALL {
            assert!(
                catalog.traits.contains_key(*name),
                "trait `{name}` is not in [traits]"
            );
        }
        for name in catalog.traits.keys() {
            assert!(
                image_trait::ALL.contains(&name.as_str()),
                "trait `{name}` has no constant in `image_trait`"
            );
        }
    }
}
