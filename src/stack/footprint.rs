//! What a build step touches, as far as reading it statically can tell, and whether two steps
//! may swap places.
//!
//! The split moves steps between layers, so some steps end up running before steps that
//! preceded them. That is only allowed when the two are independent: they touch no common
//! path (the working directory of a RUN counts), neither uses a package the other installs,
//! neither installs from repositories the other sets up or relies on an index the other
//! refreshes, and neither builds code with compilers or fetchers the other installs. Scripts
//! that do not parse are never independent of anything.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    Action, Catalog, Ecosystem, InstructionModel, Package, clean_path, is_os_ecosystem,
    is_root_user, package_ecosystem,
};
use crate::syntax::{Arguments, Instruction, Keyword, Span};

/// Package-manager caches and scratch space every install touches, and the kernel's
/// filesystems each RUN gets fresh (`/dev/null`, `/proc/cpuinfo`: nothing written there
/// reaches the image): sharing them is no dependency.
const SCRATCH_PATHS: [&str; 14] = [
    "/tmp",
    "/var/tmp",
    "/var/lib/apt/lists",
    "/var/cache/apt",
    "/var/cache/yum",
    "/var/cache/dnf",
    "/var/cache/apk",
    "/var/cache/zypp",
    "/var/cache/pacman",
    "/root/.cache",
    "/var/log",
    "/dev",
    "/proc",
    "/sys",
];

/// Commands that compile code or fetch and build language dependencies: they need the
/// compilers, headers and version-control tools installed before them.
const BUILD_PROGRAMS: [&str; 30] = [
    "make",
    "cmake",
    "gmake",
    "ninja",
    "meson",
    "configure",
    "autoreconf",
    "autogen.sh",
    "gcc",
    "cc",
    "g++",
    "c++",
    "clang",
    "ld",
    "go",
    "cargo",
    "rustc",
    "javac",
    "mvn",
    "gradle",
    "ant",
    "pip",
    "pip3",
    "npm",
    "yarn",
    "pnpm",
    "gem",
    "bundle",
    "composer",
    "cpanm",
];

/// Whether a program compiles code or fetches language dependencies (a local `./script` counts:
/// `./configure`, `./build.sh`).
pub(crate) fn is_build_program(program: &str) -> bool {
    BUILD_PROGRAMS.contains(&program) || program.starts_with("./")
}

/// `git clone`, `git checkout`, `svn checkout`, `wget URL`, `curl -O URL`: fetches sources or
/// files with a version-control or download tool, into the image. What it fetches is something
/// the image builds or uses, not setup of the tool itself.
pub(crate) fn fetches_sources(command: &crate::shell::Command) -> bool {
    let args: Vec<&str> = command
        .args
        .iter()
        .map(|word| word.value().unwrap_or(&word.raw))
        .collect();
    let subcommand = args.iter().copied().find(|arg| !arg.starts_with('-'));
    match command.program() {
        Some("git") => matches!(
            subcommand,
            Some("clone" | "checkout" | "submodule" | "pull" | "fetch")
        ),
        Some("svn") => matches!(
            subcommand,
            Some("checkout" | "co" | "export" | "update" | "up")
        ),
        Some("hg") => matches!(subcommand, Some("clone" | "pull" | "update")),
        // Without `-O -` (to standard output), wget writes what it fetches to a file.
        Some("wget") => {
            !args
                .windows(2)
                .any(|pair| pair[1] == "-" && pair[0].ends_with('O'))
                && !args.iter().any(|arg| {
                    arg.starts_with('-') && !arg.starts_with("--") && arg.ends_with("O-")
                })
        }
        // curl writes to a file only when told to (`-o FILE`, `-O`, `--output`).
        Some("curl") => args.iter().any(|arg| {
            matches!(*arg, "--output" | "--remote-name" | "--remote-name-all")
                || arg.starts_with("--output=")
                || (arg.starts_with('-') && !arg.starts_with("--") && arg.contains(['o', 'O']))
        }),
        _ => false,
    }
}

/// `python setup.py build_ext`: a Python project's build script, which compiles extensions
/// with whatever compilers and build dependencies (Cython) are installed.
pub(crate) fn runs_setup_script(command: &crate::shell::Command) -> bool {
    command
        .program()
        .is_some_and(|program| program.starts_with("python"))
        && command.args.first().is_some_and(|script| {
            script
                .value()
                .is_some_and(|text| text.ends_with("setup.py"))
        })
}

/// Commands that change where packages come from.
const REPOSITORY_PROGRAMS: [&str; 6] = [
    "apt-key",
    "add-apt-repository",
    "yum-config-manager",
    "dnf-config-manager",
    "rpmkeys",
    "zypper-addrepo",
];

/// Paths that configure package repositories.
const REPOSITORY_PATHS: [&str; 6] = [
    "/etc/apt",
    "/etc/yum.repos.d",
    "/etc/yum.conf",
    "/etc/dnf",
    "/etc/apk/repositories",
    "/etc/zypp",
];

/// Where users and groups live: a step creating one writes it, a step using one reads it.
const USER_DATABASE: &str = "/etc/passwd";

/// Commands that create or change users and groups.
const USER_PROGRAMS: [&str; 6] = [
    "useradd", "adduser", "groupadd", "addgroup", "usermod", "groupmod",
];

/// Commands that look a user or group up by name (wrappers that do, `gosu USER`, are in the
/// wrappers catalog).
const USER_LOOKUP_PROGRAMS: [&str; 5] = ["chown", "chgrp", "su", "runuser", "chpasswd"];

/// Tags of packages that later build steps may need without naming them
/// (Version control only counts when a step names it: `git+https://` dependencies.)
const BUILD_TOOL_TAGS: [&str; 3] = ["compiler", "headers", "build-tool"];

#[derive(Clone, Debug, Default)]
pub struct Footprint {
    /// Absolute paths read or written (normalised, without a trailing `/`).
    pub paths: Vec<String>,
    /// Words the step uses: programs it runs and the components of its arguments.
    pub names: BTreeSet<String>,
    /// What the packages it installs provide: their names and programs.
    pub provides: BTreeSet<String>,
    pub installs: bool,
    /// Refreshes a package index before installing (`apt-get update`).
    pub refreshes_index: bool,
    /// Installs with apt without refreshing the index itself.
    pub needs_index: bool,
    pub writes_repositories: bool,
    /// Compiles code or fetches language dependencies.
    pub builds: bool,
    /// Installs compilers, headers, build tools or version control.
    pub installs_build_tools: bool,
    /// The script could not be read.
    pub opaque: bool,
    /// An install the split writes: it refreshes its own index and only ever runs later than
    /// the RUN it came from, so repositories set up meanwhile are no dependency.
    pub synthesized: bool,
}

impl Footprint {
    /// The footprint of one instruction, leaving out the packages in `excluded` (installs the
    /// planner moves to another layer).
    ///
    /// `variables` are the ENV and ARG values the instruction sees: a path named through one
    /// (`$APP_HOME/logs`) is the path it holds.
    pub fn of(
        instruction: &Instruction,
        model: &InstructionModel,
        catalog: &Catalog,
        excluded: &[usize],
        variables: &BTreeMap<String, String>,
    ) -> Footprint {
        Footprint::of_part(instruction, model, catalog, excluded, variables, &[])
    }

    /// [`Footprint::of`] a part of a RUN: without the script commands in `left_out`.
    pub fn of_part(
        instruction: &Instruction,
        model: &InstructionModel,
        catalog: &Catalog,
        excluded: &[usize],
        variables: &BTreeMap<String, String>,
        left_out: &[usize],
    ) -> Footprint {
        let mut footprint = Footprint::default();
        if model
            .context
            .user
            .as_deref()
            .is_some_and(|user| !is_root_user(user))
        {
            footprint.add_path(USER_DATABASE);
        }
        match instruction.kind {
            Keyword::Run => {
                footprint.add_run(instruction, model, catalog, excluded, variables, left_out)
            }
            Keyword::Copy | Keyword::Add => {
                if instruction.flags.iter().any(|flag| flag.name == "chown") {
                    footprint.add_path(USER_DATABASE);
                }
                if let Some(destination) = copy_destination(instruction) {
                    let destination = expand(&destination, variables);
                    let path = absolute(&destination, model.context.workdir.as_deref());
                    footprint.add_path(&path);
                    // Configuration lands next to what it configures (`/etc/cron.d` with cron).
                    footprint
                        .names
                        .extend(tokens(&destination).map(str::to_string));
                }
            }
            _ => {}
        }
        footprint
    }

    /// The footprint of a synthesized install of `packages`.
    pub fn of_install(packages: &[&Package], catalog: &Catalog) -> Footprint {
        let mut footprint = Footprint {
            installs: true,
            synthesized: true,
            ..Footprint::default()
        };
        for package in packages {
            footprint.add_package(package, catalog);
        }
        footprint
    }

    fn add_run(
        &mut self,
        instruction: &Instruction,
        model: &InstructionModel,
        catalog: &Catalog,
        excluded: &[usize],
        variables: &BTreeMap<String, String>,
        left_out: &[usize],
    ) {
        self.opaque = model.script_error.is_some();
        // Shell variables the script sets (`APP=/srv/app; mkdir $APP`) add to those it sees.
        let mut variables = variables.clone();
        if let Some(workdir) = model.context.workdir.as_deref() {
            if depends_on_workdir(instruction, model, &variables) {
                self.add_path(workdir);
            }
        }
        for flag in &instruction.flags {
            if flag.name == "mount" {
                self.opaque |= flag.value.as_deref().unwrap_or("").contains("from=");
            }
        }
        let package_words: BTreeSet<_> = model.packages.iter().map(|p| p.span).collect();
        for (index, command) in model.script.iter().enumerate() {
            if left_out.contains(&index) {
                continue;
            }
            for assignment in &command.assignments {
                let text = assignment.value().unwrap_or(&assignment.raw);
                if let Some((name, value)) = text.split_once('=') {
                    let value = expand(value, &variables);
                    variables.insert(name.to_string(), value);
                }
            }
            // A name made of variables the Dockerfile sets (`./bazel-$BAZEL_VERSION-installer.sh`
            // after `ENV BAZEL_VERSION=0.11.0`) is as known as their values; any other dynamic
            // name may run anything.
            let program = match command.program() {
                Some(program) => program.to_string(),
                None => match known_name(&command.name.raw, &variables) {
                    Some(name) => name,
                    None => {
                        self.opaque = true;
                        String::new()
                    }
                },
            };
            self.add_wrappers(command, &variables);
            if USER_PROGRAMS.contains(&program.as_str())
                || USER_LOOKUP_PROGRAMS.contains(&program.as_str())
            {
                self.add_path(USER_DATABASE);
            }
            if is_build_program(&program) || runs_setup_script(command) {
                self.builds = true;
            }
            if REPOSITORY_PROGRAMS.contains(&program.as_str()) {
                self.writes_repositories = true;
            }
            // Creating directories needs no package, whatever they are named after.
            let names_count = program != "mkdir";
            // What `echo`/`printf` print is data: writing `command=/usr/sbin/sshd` into a
            // file needs no sshd (where it is written counts, below).
            let prints_data = matches!(program.as_str(), "echo" | "printf");
            self.names.insert(program);
            for word in command.args.iter().filter(|_| !prints_data) {
                // `scl enable ruby 'gem install x'`, `su -c 'make'`: a command in a word.
                let text = word.value().unwrap_or(&word.raw);
                if text.contains(' ')
                    && text
                        .split_whitespace()
                        .next()
                        .is_some_and(|first| BUILD_PROGRAMS.contains(&first))
                {
                    self.builds = true;
                }
                let text = expand(word.value().unwrap_or(&word.raw), &variables);
                if !names_count {
                    if text.starts_with('/') {
                        self.add_path(&text);
                    }
                    continue;
                }
                if package_words.contains(&word.span) {
                    continue;
                }
                self.add_word(&text);
            }
            for redirection in &command.redirections {
                let text = redirection
                    .target
                    .value()
                    .unwrap_or(&redirection.target.raw);
                // Output thrown away is no file two steps share.
                if text == "/dev/null" {
                    continue;
                }
                self.add_word(&expand(text, &variables));
            }
        }
        for invocation in &model.invocations {
            if left_out.contains(&invocation.command) {
                continue;
            }
            match invocation.action {
                Action::Update => self.refreshes_index = true,
                Action::Install => {
                    self.installs = true;
                    if invocation.ecosystem.is_some_and(|e| !is_os_ecosystem(e))
                        || invocation.manager == "curl|sh"
                    {
                        self.builds = true;
                    }
                }
                _ => {}
            }
        }
        // A package installed by a command left out of this part is not this part's.
        let left_out_install = |package: &crate::model::Package| {
            model
                .invocations
                .get(package.invocation)
                .is_some_and(|invocation| left_out.contains(&invocation.command))
        };
        for (index, package) in model.packages.iter().enumerate() {
            if package.action == Action::Install
                && !excluded.contains(&index)
                && !left_out_install(package)
            {
                self.add_package(package, catalog);
                if package.name.ends_with("-release") {
                    self.writes_repositories = true;
                }
            }
        }
        self.needs_index = self.installs
            && !self.refreshes_index
            && model
                .invocations
                .iter()
                .any(|i| i.action == Action::Install && i.ecosystem == Some(Ecosystem::Deb));
    }

    /// What the wrappers a command runs through use: each is a program the step runs (a step
    /// running `sudo mkdir` needs sudo as much as one running `sudo` alone), with the files it
    /// always reads (sudo's configuration), the user database when it looks users up, and
    /// its own words (`sudo -u app`, `env PATH=/opt/tool/bin:$PATH`).
    fn add_wrappers(
        &mut self,
        command: &crate::shell::Command,
        variables: &BTreeMap<String, String>,
    ) {
        for (name, wrapper, words) in command.wrapper_calls() {
            self.names.insert(name.to_string());
            for path in &wrapper.reads {
                self.add_path(path);
            }
            if wrapper.looks_up_users {
                self.add_path(USER_DATABASE);
            }
            for word in words {
                self.add_word(&expand(crate::model::word_str(word), variables));
            }
        }
    }

    fn add_word(&mut self, text: &str) {
        for (position, _) in text.match_indices('/') {
            let before = text[..position].chars().last();
            if position == 0 || matches!(before, Some('=' | ':' | '"' | '\'' | '>' | '@')) {
                let path: String = text[position..]
                    .chars()
                    .take_while(|c| !matches!(c, ' ' | '"' | '\'' | ';' | ',' | '$' | '*'))
                    .collect();
                self.add_path(&path);
            }
        }
        // A relative path is a file of the working directory (added with it): its words name
        // no program or package (`rm ./.git/hooks/pre-commit` does not use git).
        if is_relative_path(text) {
            return;
        }
        for token in tokens(text) {
            self.names.insert(token.to_string());
        }
    }

    fn add_path(&mut self, path: &str) {
        let normalized = clean_path(path);
        if REPOSITORY_PATHS
            .iter()
            .any(|repo| within(&normalized, repo))
        {
            self.writes_repositories = true;
        }
        if normalized.is_empty()
            || normalized == "/"
            || SCRATCH_PATHS
                .iter()
                .any(|scratch| within(&normalized, scratch))
        {
            return;
        }
        self.paths.push(normalized);
    }

    fn add_package(&mut self, package: &Package, catalog: &Catalog) {
        self.provides.insert(package.name.to_ascii_lowercase());
        if package
            .tags
            .iter()
            .any(|t| BUILD_TOOL_TAGS.contains(&t.as_str()))
        {
            self.installs_build_tools = true;
        }
        let ecosystem = package_ecosystem(package.manager);
        // A Go package's command is named after the last element of its import path
        // (`golang.org/x/tools/cmd/goimports` → `goimports`).
        if ecosystem == Some(Ecosystem::Go) {
            if let Some(command) = package.name.rsplit('/').next().filter(|c| !c.contains('.')) {
                self.provides.insert(command.to_ascii_lowercase());
            }
        }
        if let Some(info) = ecosystem.and_then(|e| catalog.package(e, &package.name)) {
            self.provides.extend(info.programs);
            // Directories it creates whose names do not name it (`/etc/sudoers.d`): a step
            // writing there uses the package.
            for path in &info.paths {
                self.add_path(path);
            }
        }
    }
}

/// Why `later` must stay after `earlier`, or `None` when they may swap.
pub fn dependency(earlier: &Footprint, later: &Footprint) -> Option<String> {
    if earlier.opaque || later.opaque {
        return Some("a script that cannot be read statically".into());
    }
    for a in &earlier.paths {
        for b in &later.paths {
            if within(a, b) || within(b, a) {
                let shown = if a.len() <= b.len() { a } else { b };
                return Some(format!("both use `{shown}`"));
            }
        }
    }
    if let Some(name) = earlier.provides.intersection(&later.names).next() {
        return Some(format!("it uses `{name}`, installed before it"));
    }
    if let Some(name) = later.provides.intersection(&earlier.names).next() {
        return Some(format!("it installs `{name}`, used before it"));
    }
    if (earlier.writes_repositories && later.installs)
        || (later.writes_repositories && earlier.installs && !earlier.synthesized)
    {
        return Some("it installs from package repositories the other sets up".into());
    }
    if earlier.refreshes_index && later.needs_index {
        return Some("it installs from the package index refreshed before it".into());
    }
    if (earlier.installs_build_tools && later.builds)
        || (later.installs_build_tools && earlier.builds)
    {
        return Some("it builds with compilers or fetch tools installed before it".into());
    }
    None
}

/// Whether what a step does could depend on its working directory. It does not when it is a
/// COPY/ADD to an absolute destination, or a RUN (that parses) whose every command runs a
/// program by name with only absolute paths and options as arguments (`echo`/`printf` any
/// text, account commands names, see [`path_operands`]) and redirects to absolute paths, or
/// installs packages. `variables` (the ENV and ARG values the step sees) expand `$HOME`-like
/// words: `mkdir -p "$APP_HOME"` names an absolute path when `APP_HOME` is one.
pub fn depends_on_workdir(
    instruction: &Instruction,
    model: &InstructionModel,
    variables: &BTreeMap<String, String>,
) -> bool {
    let relative = |text: &str| !is_absolute_once_expanded(text, variables);
    match instruction.kind {
        Keyword::Copy | Keyword::Add => {
            copy_destination(instruction).is_none_or(|destination| relative(&destination))
        }
        Keyword::Run => {
            if model.script_error.is_some() || model.script.is_empty() {
                return true;
            }
            let installs: Vec<usize> = model.invocations.iter().map(|i| i.command).collect();
            // The commands of `sh -c '…'` scripts are judged on their own.
            let nested: Vec<Span> = model
                .script
                .iter()
                .filter(|command| command.context.nested_shell)
                .map(|command| command.span)
                .collect();
            model.script.iter().enumerate().any(|(index, command)| {
                let program = command.name.value().unwrap_or("");
                if installs.contains(&index) {
                    return false;
                }
                // A URL (`https://…`, `hkp://…`) names no file.
                let relative_word = |text: &String| {
                    !text.starts_with('-') && !text.contains("://") && relative(text)
                };
                program.is_empty()
                    || program.contains('/') && !program.starts_with('/')
                    || BUILD_PROGRAMS.contains(&program)
                    || path_operands(command, &nested).iter().any(relative_word)
                    || command
                        .redirections
                        .iter()
                        .any(|r| relative(r.target.value().unwrap_or(&r.target.raw)))
            })
        }
        _ => false,
    }
}

/// A word that names an absolute path once the known variables are expanded (a word quoted
/// whole in double quotes counts as its content).
fn is_absolute_once_expanded(text: &str, variables: &BTreeMap<String, String>) -> bool {
    let unquoted = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .filter(|inner| !inner.contains(['"', '\\', '`']))
        .unwrap_or(text);
    let expanded = expand(unquoted, variables);
    expanded.starts_with('/') && !expanded.contains(['$', '`'])
}

/// Programs whose operands are account and group names, not paths (`useradd -m app`,
/// `usermod -aG sudo app`); some of their options take a path (a relative skeleton directory
/// would be read from the working directory).
const ACCOUNT_PROGRAMS: [&str; 10] = [
    "useradd", "usermod", "userdel", "groupadd", "groupmod", "groupdel", "adduser", "addgroup",
    "gpasswd", "passwd",
];

/// Options of [`ACCOUNT_PROGRAMS`] whose value is a path (shadow-utils, Debian's adduser,
/// BusyBox's): short letters (also last in a cluster such as `-mk`) and long names.
const ACCOUNT_PATH_OPTIONS: ([char; 6], [&str; 7]) = (
    ['b', 'd', 'k', 'R', 'P', 'h'],
    [
        "--base-dir",
        "--home",
        "--home-dir",
        "--skel",
        "--root",
        "--prefix",
        "--conf",
    ],
);

/// Options of `chown`, `chgrp` and `chmod` that take no value: with only these, the first
/// operand is the owner or mode and the others are paths.
const OWNERSHIP_FLAGS: [&str; 14] = [
    "-R",
    "-f",
    "-v",
    "-c",
    "-h",
    "-H",
    "-L",
    "-P",
    "--recursive",
    "--silent",
    "--quiet",
    "--verbose",
    "--changes",
    "--no-dereference",
];

/// The words of a command that may name paths (the value of an inline `--option=value`
/// alone): all its arguments, except an `sh -c` script whose commands (`nested`) were read, the data `echo` and `printf` print, the names an account
/// command takes, the owner or mode `chown`/`chmod` sets, and the keys and values
/// `git config --global` writes.
fn path_operands(command: &crate::shell::Command, nested: &[Span]) -> Vec<String> {
    let program = command.name.value().unwrap_or("");
    let words: Vec<String> = command
        .args
        .iter()
        .filter(|word| {
            !nested
                .iter()
                .any(|inner| inner.start >= word.span.start && inner.end <= word.span.end)
        })
        .map(|word| {
            word.value()
                .map(str::to_string)
                .unwrap_or_else(|| word.raw.to_string())
        })
        .collect();
    match program {
        "echo" | "printf" => Vec::new(),
        _ if ACCOUNT_PROGRAMS.contains(&program) => account_path_values(&words),
        "chown" | "chgrp" | "chmod" => {
            let all_known = words
                .iter()
                .all(|word| !word.starts_with('-') || OWNERSHIP_FLAGS.contains(&word.as_str()));
            if !all_known {
                // `--reference=FILE` names a path too.
                let values = words
                    .iter()
                    .filter(|word| word.starts_with("--"))
                    .filter_map(|word| word.split_once('=').map(|(_, value)| value.to_string()))
                    .collect::<Vec<_>>();
                return words.into_iter().chain(values).collect();
            }
            words
                .into_iter()
                .filter(|word| !word.starts_with('-'))
                .skip(1)
                .collect()
        }
        "git" if is_global_git_config(&words) => Vec::new(),
        _ => words,
    }
}

/// The values of an account command's options that take a path.
fn account_path_values(words: &[String]) -> Vec<String> {
    let (letters, long) = ACCOUNT_PATH_OPTIONS;
    let takes_path = |option: &str| {
        long.contains(&option)
            || (option.starts_with('-')
                && !option.starts_with("--")
                && option.len() > 1
                && option.ends_with(letters.as_slice()))
    };
    let mut values = Vec::new();
    for (index, word) in words.iter().enumerate() {
        if let Some((option, value)) = word.split_once('=') {
            if long.contains(&option) {
                values.push(value.to_string());
            }
        } else if takes_path(word) {
            // A missing value is a relative one: the step stays where it was.
            values.push(words.get(index + 1).cloned().unwrap_or_default());
        }
    }
    values
}

/// `git config --global|--system …`: it writes the user's or the system's configuration,
/// wherever it runs (a repository's own configuration, or `--file`, would be relative).
fn is_global_git_config(words: &[String]) -> bool {
    words.first().is_some_and(|first| first == "config")
        && words.iter().any(|w| w == "--global" || w == "--system")
        && !words
            .iter()
            .any(|w| w == "-f" || w.starts_with("--file") || w.starts_with("--blob"))
}

/// The program a dynamic command name runs once `variables` are expanded (its last path
/// component), or `None` when something in it is still unknown or needs the shell (quotes,
/// substitutions, globs). An unquoted value splits into words: long options may follow the
/// program (`MVN="mvn --batch-mode"`), nothing else (an operand, or the script of `sh -c`,
/// would go unseen).
fn known_name(raw: &str, variables: &BTreeMap<String, String>) -> Option<String> {
    let expanded = expand(raw, variables);
    let needs_shell = |c: char| "$`\"'\\*?[{}()<>|;&~".contains(c);
    if expanded.contains(needs_shell) {
        return None;
    }
    let mut words = expanded.split_whitespace();
    let path = words.next()?;
    if !words.all(|word| word.starts_with("--")) {
        return None;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    (!name.is_empty()).then(|| name.to_string())
}

/// `text` with `$NAME` and `${NAME}` replaced by their values where `variables` has them
/// (references it does not know, and `${NAME:-x}` forms, are left as written).
pub fn expand(text: &str, variables: &BTreeMap<String, String>) -> String {
    if !text.contains('$') {
        return text.to_string();
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, used) = match after.strip_prefix('{') {
            Some(inner) => match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => ("", 0),
            },
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            }
        };
        match variables.get(name) {
            Some(value) if !name.is_empty() => {
                out.push_str(value);
                rest = &after[used..];
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The destination of a COPY or ADD, as written.
pub fn copy_destination(instruction: &Instruction) -> Option<String> {
    match &instruction.arguments {
        Arguments::Words(words) | Arguments::Exec(words) if words.len() >= 2 => {
            words.last().map(|word| word.text.clone())
        }
        _ => None,
    }
}

/// Whether `path` is `root` or under it.
pub fn within(path: &str, root: &str) -> bool {
    path == root
        || (path.starts_with(root) && (root.ends_with('/') || path[root.len()..].starts_with('/')))
}

fn absolute(path: &str, workdir: Option<&str>) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{path}", workdir.unwrap_or("").trim_end_matches('/'))
    }
}

/// `./x`, `.git/hooks`, `src/main.c`: a path below the working directory (not `/…`, `~/…`,
/// `$HOME/…`, nor an option or a URL).
pub(crate) fn is_relative_path(word: &str) -> bool {
    !word.starts_with(['/', '~', '-'])
        && !word.contains(|c: char| c.is_whitespace() || "=:@$'\"`".contains(c))
        && (word.starts_with('.') || word.contains('/'))
}

/// Words of a text, split where a name could not continue: `/etc/ssh/sshd_config` gives
/// `etc`, `ssh`, `sshd`, `config`.
pub fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '+'))
        .filter(|token| token.len() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest_by_component() {
        assert!(within("/etc/ssh/sshd_config", "/etc/ssh"));
        assert!(!within("/etc/sshd", "/etc/ssh"));
        assert_eq!(clean_path("/app/./x/../y/"), "/app/y");
    }

    /// Whether `RUN {script}` depends on its working directory, after `ENV APP_HOME=/srv/app
    /// DATA=data`.
    fn run_depends_on_workdir(script: &str) -> bool {
        let source =
            format!("FROM debian:bookworm\nENV APP_HOME=/srv/app DATA=data\nRUN {script}\n");
        let dockerfile = crate::syntax::parse(&source);
        let options = crate::model::Options {
            build_args: Vec::new(),
            target: None,
            command_views: false,
            implicit_stage: false,
        };
        let model = crate::model::build_with(&dockerfile, &options, Catalog::builtin());
        let stage = &model.stages[0];
        let position = stage.instructions.len() - 1;
        let run = &stage.instructions[position];
        let instruction = dockerfile
            .instructions()
            .find(|instruction| instruction.span.start == run.span.start)
            .expect("the RUN");
        depends_on_workdir(instruction, run, &stage.variables_at(position))
    }

    #[test]
    fn steps_naming_only_names_and_absolute_paths_run_anywhere() {
        for script in [
            "useradd --create-home --gid docker -s /bin/bash app && usermod -aG sudo app",
            "adduser -D -h /home/app app",
            "chown -R app:app /srv/app && chmod 755 /srv/app",
            "git config --global user.email ci@example.com",
            "mkdir -p \"$APP_HOME\" ${APP_HOME}/logs",
            "wget -q -O /usr/local/bin/tool https://example.com/tool",
            "sh -c 'echo hi > /tmp/x'",
        ] {
            assert!(!run_depends_on_workdir(script), "{script}");
        }
        for script in [
            "useradd -m -k skel app",
            "useradd -mk skel app",
            "adduser --home=home app",
            "chown app hooks",
            "chmod -x hooks",
            "chown --reference=x /srv/app",
            "git config user.email ci@example.com",
            "git config --global --file .gitconfig user.email ci@example.com",
            "git -C repo config --global user.name app",
            "mkdir -p \"$DATA\" $UNKNOWN",
            "sh -c 'touch x'",
        ] {
            assert!(run_depends_on_workdir(script), "{script}");
        }
    }

    #[test]
    fn relative_paths_are_below_the_working_directory() {
        for word in ["./.git/hooks/pre-commit", ".git", "src/main.c", "../x"] {
            assert!(is_relative_path(word), "{word}");
        }
        for word in [
            "/etc/ssh",
            "~/.vim/x",
            "$HOME/.vimrc",
            "--file=./x",
            "https://x/y",
            "git",
            "relex:relex",
            "DESTDIR=/x",
            "cd src && make",
        ] {
            assert!(!is_relative_path(word), "{word}");
        }
    }

    #[test]
    fn tokens_split_paths_and_names() {
        let found: Vec<_> = tokens("/etc/ssh/sshd_config").collect();
        assert_eq!(found, ["etc", "ssh", "sshd", "config"]);
    }

    #[test]
    fn names_a_program_from_known_variables() {
        let variables = BTreeMap::from([
            ("VERSION".to_string(), "0.11.0".to_string()),
            ("MVN".to_string(), "mvn --batch-mode".to_string()),
            ("RUNNER".to_string(), "sh -c".to_string()),
            ("TOOL".to_string(), "sh tool.sh".to_string()),
        ]);
        let name = |raw: &str| known_name(raw, &variables);
        assert_eq!(
            name("./bazel-$VERSION-installer.sh").as_deref(),
            Some("bazel-0.11.0-installer.sh")
        );
        assert_eq!(name("$MVN").as_deref(), Some("mvn"));
        // An option value or an operand after the program would go unseen.
        assert_eq!(name("$RUNNER"), None);
        assert_eq!(name("$TOOL"), None);
        assert_eq!(name("$UNSET/bin/tool"), None);
        assert_eq!(name("\"$VERSION\""), None);
        assert_eq!(name("$(which python)"), None);
    }

    #[test]
    fn expands_known_variables() {
        let variables = BTreeMap::from([("APP_HOME".to_string(), "/srv/app".to_string())]);
        assert_eq!(expand("$APP_HOME/logs", &variables), "/srv/app/logs");
        assert_eq!(
            expand("${APP_HOME}/x $OTHER", &variables),
            "/srv/app/x $OTHER"
        );
        assert_eq!(expand("${APP_HOME:-/y}", &variables), "${APP_HOME:-/y}");
    }
}
