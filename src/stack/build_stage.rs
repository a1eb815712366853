//! Build stages: a step that needs development packages (compilers, `-dev` headers, `make`,
//! `git`) to produce something production uses runs in a `build` stage that has them, and
//! production copies what it wrote (`COPY --from=build`).
//!
//! What a step writes is read from its commands: the directory it builds in (its WORKDIR or
//! where it `cd`s to), install prefixes (`make install`, `pip install`, `npm -g` → `/usr/local`;
//! `--prefix`, `--target`, `-o`, `cp`/`install`/`mv` destinations), the files it redirects
//! into. A command whose writes cannot be read that way makes the outputs unknown, and the
//! step is refused with that command named: copying a guess would ship an image that differs.

use std::collections::BTreeMap;

use crate::model::catalog::PackageFamily;
use crate::model::clean_path;
use crate::shell::{Command, Word};

use super::footprint::{expand, within};

/// Paths every build may scribble in without anyone reading them later.
const SCRATCH: [&str; 6] = [
    "/tmp",
    "/var/tmp",
    "/root/.cache",
    "/var/lib/apt/lists",
    "/var/cache",
    "/dev/null",
];

/// Commands that write nothing to the image.
const WRITES_NOTHING: [&str; 24] = [
    "cd", "echo", "printf", "set", "export", "true", "false", "test", "[", "[[", "sleep", "which",
    "ls", "cat", "pwd", "env", "unset", "exit", "source", ".", "grep", "command", "type", "id",
];

/// Package managers whose removals and cache cleaning only matter in the build stage.
const PACKAGE_CLEANUP: [&str; 8] = [
    "apt-get", "apt", "apk", "yum", "dnf", "microdnf", "zypper", "dpkg",
];

/// Programs that build in the directory they run in (their outputs stay in that tree).
const BUILDS_IN_PLACE: [&str; 19] = [
    "make",
    "gmake",
    "cmake",
    "ninja",
    "meson",
    "configure",
    "autoreconf",
    "autogen.sh",
    "bootstrap",
    "cargo",
    "mvn",
    "gradle",
    "ant",
    "javac",
    "composer",
    "gcc",
    "cc",
    "g++",
    "go",
];

/// What the step runs with: its working directory, the variables it sees, the image family.
pub struct StepContext<'a> {
    pub workdir: Option<&'a str>,
    pub variables: &'a BTreeMap<String, String>,
    pub family: Option<PackageFamily>,
}

/// The paths a build step writes that production needs, outermost first, or why they cannot
/// be known.
pub fn outputs(script: &[Command], context: &StepContext) -> Result<Vec<String>, String> {
    let mut found = Outputs {
        paths: Vec::new(),
        cwd: context.workdir.map(clean_path),
        context,
    };
    for command in script {
        if command.context.in_substitution {
            continue;
        }
        found.command(command)?;
    }
    let mut paths: Vec<String> = found
        .paths
        .into_iter()
        .filter(|path| !SCRATCH.iter().any(|scratch| within(path, scratch)))
        .collect();
    paths.sort();
    paths.dedup();
    let outermost: Vec<String> = paths
        .iter()
        .filter(|path| {
            !paths
                .iter()
                .any(|other| other != *path && within(path, other))
        })
        .cloned()
        .collect();
    if let Some(root) = outermost.iter().find(|path| is_too_wide(path)) {
        return Err(format!(
            "it writes into `{root}`, which holds the whole system, not just its outputs"
        ));
    }
    if outermost.is_empty() {
        return Err("it writes nothing production could copy".into());
    }
    Ok(outermost)
}

/// `/`, `/usr`, `/etc` and the like: copying them would bring the development packages along.
fn is_too_wide(path: &str) -> bool {
    matches!(
        path,
        "/" | "/usr"
            | "/etc"
            | "/var"
            | "/lib"
            | "/lib64"
            | "/bin"
            | "/sbin"
            | "/root"
            | "/home"
            | "/usr/lib"
            | "/usr/bin"
            | "/usr/share"
            | "/usr/include"
            | "/var/lib"
    )
}

struct Outputs<'a> {
    paths: Vec<String>,
    cwd: Option<String>,
    context: &'a StepContext<'a>,
}

impl Outputs<'_> {
    fn value(&self, word: &Word) -> Result<String, String> {
        let text = word
            .value()
            .map(str::to_string)
            .unwrap_or_else(|| word.raw.to_string());
        let expanded = expand(&text, self.context.variables);
        if expanded.contains('$') || expanded.contains('`') {
            return Err(format!(
                "`{}` names a path only known while building",
                word.raw
            ));
        }
        Ok(expanded)
    }

    /// An operand as an absolute path (relative ones from the current directory).
    fn path(&self, word: &Word) -> Result<String, String> {
        let text = self.value(word)?;
        let text = text.trim_end_matches('*').trim_end_matches('/');
        if text.starts_with('/') {
            return Ok(clean_path(text));
        }
        if text.starts_with('~') {
            return Err(format!("`{}` is relative to a home directory", word.raw));
        }
        match &self.cwd {
            Some(cwd) => Ok(clean_path(&format!("{cwd}/{text}"))),
            None => Err(format!(
                "`{}` is relative to a working directory the Dockerfile does not set",
                word.raw
            )),
        }
    }

    fn cwd_tree(&self) -> Result<String, String> {
        self.cwd
            .clone()
            .ok_or_else(|| "it builds in a working directory the Dockerfile does not set".into())
    }

    fn operands<'w>(&self, command: &'w Command) -> Vec<&'w Word> {
        command
            .args
            .iter()
            .filter(|word| !word.raw.starts_with('-'))
            .collect()
    }

    /// The value of `-o FILE`, `-oFILE`, `--output=FILE` style options.
    fn option_value(command: &Command, names: &[&str]) -> Option<Word> {
        let args = &command.args;
        for (index, word) in args.iter().enumerate() {
            for name in names {
                if word.raw == *name {
                    return args.get(index + 1).cloned();
                }
                if let Some(value) = word.raw.strip_prefix(&format!("{name}=")) {
                    let stripped = word
                        .value()
                        .and_then(|v| v.strip_prefix(&format!("{name}=")).map(str::to_string));
                    return Some(Word::new(value.to_string(), stripped, word.span));
                }
            }
        }
        None
    }

    fn has_flag(command: &Command, flags: &[&str]) -> bool {
        command
            .args
            .iter()
            .any(|word| flags.contains(&word.raw.as_str()))
    }

    fn command(&mut self, command: &Command) -> Result<(), String> {
        for redirection in &command.redirections {
            if redirection.op.starts_with('>') || redirection.op.starts_with("&>") {
                if redirection.target.raw.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                let path = self.path(&redirection.target)?;
                self.paths.push(path);
            }
        }
        let Some(program) = command.program() else {
            return Err("a command whose name is only known while building".into());
        };
        let program = program.rsplit('/').next().unwrap_or(program);
        match program {
            "cd" => {
                let target = command.args.iter().find(|w| !w.raw.starts_with('-'));
                self.cwd = match target {
                    Some(word) => Some(self.path(word)?),
                    None => None,
                };
                Ok(())
            }
            _ if WRITES_NOTHING.contains(&program) => Ok(()),
            // `sh -c 'mkdir /x'`: its commands are read on their own, after it.
            _ if command.runs_listed_script() => Ok(()),
            _ if PACKAGE_CLEANUP.contains(&program) => self.package_manager(command, program),
            "mkdir" | "touch" | "chmod" | "chown" | "chgrp" | "sed" => self.operand_paths(command),
            "cp" | "mv" | "ln" | "install" | "rsync" => self.destination(command),
            "rm" => self.removal(command),
            "tar" | "unzip" => self.extraction(command, program),
            "wget" | "curl" => self.download(command, program),
            "git" => self.git(command),
            "pip" | "pip3" => self.pip(command),
            "python" | "python3" => self.python(command),
            "npm" | "yarn" | "pnpm" => self.node(command, program),
            "gem" | "bundle" => self.ruby(command, program),
            "go" => self.go(command),
            "cargo" if Self::subcommand(command) == Some("install") => {
                Err("`cargo install` writes into $CARGO_HOME, which the image decides".into())
            }
            _ if program.starts_with("make") || program == "gmake" || program == "ninja" => {
                self.make(command)
            }
            _ if BUILDS_IN_PLACE.contains(&program) => self.in_place(command),
            _ => Err(format!("`{program}` writes paths dlayer cannot tell")),
        }
    }

    fn subcommand(command: &Command) -> Option<&str> {
        command
            .args
            .iter()
            .find(|word| !word.raw.starts_with('-'))
            .map(|word| word.raw.as_str())
    }

    fn package_manager(&mut self, command: &Command, program: &str) -> Result<(), String> {
        let installs = command.args.iter().any(|word| {
            matches!(
                word.raw.as_str(),
                "install" | "add" | "reinstall" | "upgrade" | "dist-upgrade" | "-i"
            )
        });
        if installs {
            return Err(format!(
                "it installs packages with `{program}`, which production would not get"
            ));
        }
        Ok(())
    }

    fn operand_paths(&mut self, command: &Command) -> Result<(), String> {
        let operands = self.operands(command);
        let skip = match command.program() {
            // The mode, owner or script comes first.
            Some("chmod" | "chown" | "chgrp") => 1,
            Some("sed") => {
                if !Self::has_flag(command, &["-i"])
                    && !command.args.iter().any(|w| w.raw.starts_with("-i"))
                {
                    return Ok(());
                }
                1
            }
            _ => 0,
        };
        for word in operands.into_iter().skip(skip) {
            let path = self.path(word)?;
            self.paths.push(path);
        }
        Ok(())
    }

    fn destination(&mut self, command: &Command) -> Result<(), String> {
        if let Some(target) = Self::option_value(command, &["-t", "--target-directory"]) {
            let path = self.path(&target)?;
            self.paths.push(path);
            return Ok(());
        }
        let operands = self.operands(command);
        if command.program() == Some("install") && Self::has_flag(command, &["-d"]) {
            for word in operands {
                let path = self.path(word)?;
                self.paths.push(path);
            }
            return Ok(());
        }
        let Some(last) = operands.last() else {
            return Err("a copy without a destination".into());
        };
        let path = self.path(last)?;
        self.paths.push(path);
        Ok(())
    }

    /// A removal only in the build stage: production never had what the build made, so only
    /// removals of scratch space or of the step's own outputs are exact.
    fn removal(&mut self, command: &Command) -> Result<(), String> {
        for word in self.operands(command) {
            let path = self.path(word)?;
            let scratch = SCRATCH.iter().any(|root| within(&path, root));
            let own = self.paths.iter().any(|output| within(&path, output))
                || self.cwd.as_deref().is_some_and(|cwd| within(&path, cwd));
            if !scratch && !own {
                return Err(format!(
                    "it removes `{path}`, which production has and the build stage cannot take away"
                ));
            }
            // What it removes is no output any more (a downloaded archive, once unpacked).
            self.paths.retain(|output| !within(output, &path));
        }
        Ok(())
    }

    fn extraction(&mut self, command: &Command, program: &str) -> Result<(), String> {
        let flag = if program == "tar" { "-C" } else { "-d" };
        let listing = program == "tar"
            && command.args.iter().any(|w| {
                !w.raw.starts_with("--") && w.raw.trim_start_matches('-').starts_with('t')
            });
        if listing {
            return Ok(());
        }
        match Self::option_value(command, &[flag, "--directory"]) {
            Some(word) => {
                let path = self.path(&word)?;
                self.paths.push(path);
            }
            None => self.paths.push(self.cwd_tree()?),
        }
        Ok(())
    }

    fn download(&mut self, command: &Command, program: &str) -> Result<(), String> {
        let names: &[&str] = if program == "wget" {
            &["-O", "--output-document"]
        } else {
            &["-o", "--output"]
        };
        if let Some(word) = Self::option_value(command, names) {
            if word.raw == "-" {
                return Ok(());
            }
            let path = self.path(&word)?;
            self.paths.push(path);
            return Ok(());
        }
        let saves = program == "wget" || Self::has_flag(command, &["-O", "--remote-name"]);
        if saves {
            self.paths.push(self.cwd_tree()?);
        }
        Ok(())
    }

    fn git(&mut self, command: &Command) -> Result<(), String> {
        if Self::subcommand(command) != Some("clone") {
            self.paths.push(self.cwd_tree()?);
            return Ok(());
        }
        let operands = clone_operands(command)?;
        // `git clone [OPTIONS] URL [DIR]`.
        let path = match operands.get(1) {
            Some(directory) => self.path(directory)?,
            None => {
                let url = operands
                    .first()
                    .ok_or_else(|| "`git clone` without a repository".to_string())?;
                let url = self.value(url)?;
                let name = url
                    .trim_end_matches('/')
                    .rsplit(['/', ':'])
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(".git")
                    .to_string();
                let word = url_word(&name);
                self.path(&word)?
            }
        };
        self.paths.push(path);
        Ok(())
    }

    fn pip(&mut self, command: &Command) -> Result<(), String> {
        if Self::subcommand(command) != Some("install") {
            return Ok(());
        }
        if Self::has_flag(command, &["--user"]) {
            return Err("`pip install --user` writes into a home directory".into());
        }
        if let Some(word) = Self::option_value(command, &["-t", "--target", "--prefix", "--root"]) {
            let path = self.path(&word)?;
            self.paths.push(path);
        } else {
            self.paths.push(self.python_prefix()?);
        }
        if Self::has_flag(command, &["-e", "--editable"]) {
            self.paths.push(self.cwd_tree()?);
        }
        Ok(())
    }

    /// Where pip and `setup.py install` put packages: `/usr/local`, except on Alpine, whose
    /// Python installs into `/usr/lib/python3.N`.
    fn python_prefix(&self) -> Result<String, String> {
        match self.context.family {
            Some(PackageFamily::Apk) => Err(
                "pip on Alpine installs into /usr/lib/python3.N, whose version is not written"
                    .into(),
            ),
            _ => Ok("/usr/local".into()),
        }
    }

    fn python(&mut self, command: &Command) -> Result<(), String> {
        let words: Vec<&str> = command.args.iter().map(|w| w.raw.as_str()).collect();
        match words.as_slice() {
            ["-m", "pip", rest @ ..] if rest.first() == Some(&"install") => {
                let mut pip = command.clone();
                pip.args.drain(..2);
                self.pip(&pip)
            }
            [script, "install", ..] if script.ends_with("setup.py") => {
                self.paths.push(self.python_prefix()?);
                self.paths.push(self.cwd_tree()?);
                Ok(())
            }
            [script, "build" | "build_ext" | "bdist_wheel", ..] if script.ends_with("setup.py") => {
                self.paths.push(self.cwd_tree()?);
                Ok(())
            }
            _ => Err(format!(
                "`{}` runs a Python program whose writes cannot be read",
                command.span_text_fallback()
            )),
        }
    }

    fn node(&mut self, command: &Command, program: &str) -> Result<(), String> {
        if Self::has_flag(command, &["-g", "--global"])
            || Self::subcommand(command) == Some("global")
        {
            self.paths.push("/usr/local".into());
            return Ok(());
        }
        let _ = program;
        self.paths.push(self.cwd_tree()?);
        Ok(())
    }

    fn ruby(&mut self, command: &Command, program: &str) -> Result<(), String> {
        match self.context.family {
            Some(PackageFamily::Apt) => {}
            _ => {
                return Err(format!(
                    "`{program}` installs gems where the image's Ruby decides"
                ));
            }
        }
        if program == "gem" && Self::subcommand(command) != Some("install") {
            return Ok(());
        }
        self.paths.push("/usr/local".into());
        self.paths.push("/var/lib/gems".into());
        if program == "bundle" {
            self.paths.push(self.cwd_tree()?);
        }
        Ok(())
    }

    fn go(&mut self, command: &Command) -> Result<(), String> {
        match Self::subcommand(command) {
            Some("install" | "get") => {
                let gopath = self
                    .context
                    .variables
                    .get("GOPATH")
                    .ok_or("`go install` writes into $GOPATH, which the image decides")?;
                self.paths.push(clean_path(gopath));
                Ok(())
            }
            _ => self.in_place(command),
        }
    }

    fn make(&mut self, command: &Command) -> Result<(), String> {
        let directory = Self::option_value(command, &["-C", "--directory"]);
        let tree = match directory {
            Some(word) => self.path(&word)?,
            None => self.cwd_tree()?,
        };
        self.paths.push(tree);
        let installs = command
            .args
            .iter()
            .any(|word| word.raw == "install" || word.raw.starts_with("install-"));
        if installs {
            let prefix = command
                .args
                .iter()
                .find_map(|word| {
                    word.raw
                        .strip_prefix("PREFIX=")
                        .or_else(|| word.raw.strip_prefix("prefix="))
                        .or_else(|| word.raw.strip_prefix("DESTDIR="))
                })
                .map(str::to_string);
            match prefix {
                Some(prefix) => {
                    let word = url_word(&prefix);
                    let path = self.path(&word)?;
                    self.paths.push(path);
                }
                None => self.paths.push("/usr/local".into()),
            }
        }
        Ok(())
    }

    fn in_place(&mut self, command: &Command) -> Result<(), String> {
        // A compiler given `-o` writes that file; otherwise the tree it builds in.
        match Self::option_value(command, &["-o"]) {
            Some(word) => {
                let path = self.path(&word)?;
                self.paths.push(path);
            }
            None => self.paths.push(self.cwd_tree()?),
        }
        for word in &command.args {
            let prefix = word
                .raw
                .strip_prefix("--prefix=")
                .or_else(|| word.raw.strip_prefix("-DCMAKE_INSTALL_PREFIX="));
            if let Some(prefix) = prefix {
                let word = Word::new(word.raw.clone(), Some(prefix.to_string()), word.span);
                let path = self.path(&word)?;
                self.paths.push(path);
            }
        }
        Ok(())
    }
}

/// The operands of `git clone` (URL, then the directory if given), past its options: an
/// option that takes a value (`-b main`, `--depth 1`) must not be read as the URL or the
/// directory, and an option dlayer does not know could take one, so it makes them unknown.
fn clone_operands(command: &Command) -> Result<Vec<&Word>, String> {
    const WITH_VALUE: [&str; 18] = [
        "-b",
        "--branch",
        "--depth",
        "-o",
        "--origin",
        "-c",
        "--config",
        "--reference",
        "--reference-if-able",
        "--separate-git-dir",
        "-u",
        "--upload-pack",
        "--template",
        "--shallow-since",
        "--shallow-exclude",
        "-j",
        "--jobs",
        "--filter",
    ];
    const WITHOUT_VALUE: [&str; 22] = [
        "-q",
        "--quiet",
        "-v",
        "--verbose",
        "--progress",
        "-n",
        "--no-checkout",
        "--bare",
        "--mirror",
        "-l",
        "--local",
        "--no-hardlinks",
        "-s",
        "--shared",
        "--recursive",
        "--recurse-submodules",
        "--single-branch",
        "--no-single-branch",
        "--shallow-submodules",
        "--no-shallow-submodules",
        "--no-tags",
        "--remote-submodules",
    ];
    let mut operands = Vec::new();
    let mut words = command
        .args
        .iter()
        .skip_while(|word| word.raw != "clone")
        .skip(1);
    while let Some(word) = words.next() {
        let raw = word.raw.as_str();
        if !raw.starts_with('-') || raw == "-" {
            operands.push(word);
        } else if raw == "--" {
            operands.extend(words.by_ref());
        } else if WITH_VALUE.contains(&raw) {
            words.next();
        } else if !(WITHOUT_VALUE.contains(&raw) || raw.starts_with("--") && raw.contains('=')) {
            return Err(format!(
                "`git clone {raw}` is an option dlayer does not read"
            ));
        }
    }
    Ok(operands)
}

/// A word for a path the reader built itself.
fn url_word(text: &str) -> Box<Word> {
    Box::new(Word::literal(
        text.to_string(),
        crate::syntax::Span { start: 0, end: 0 },
    ))
}

trait SpanTextFallback {
    fn span_text_fallback(&self) -> String;
}

impl SpanTextFallback for Command {
    fn span_text_fallback(&self) -> String {
        let mut words = vec![self.name.raw.clone()];
        words.extend(self.args.iter().take(2).map(|w| w.raw.clone()));
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::{Contiguous, parse};

    fn outputs_of(
        script: &str,
        workdir: Option<&str>,
        family: PackageFamily,
    ) -> Result<Vec<String>, String> {
        let parsed = parse(script, &Contiguous(0));
        let variables = BTreeMap::from([("PREFIX".to_string(), "/opt/tool".to_string())]);
        outputs(
            &parsed.commands,
            &StepContext {
                workdir,
                variables: &variables,
                family: Some(family),
            },
        )
    }

    #[test]
    fn reads_install_prefixes_and_named_files() {
        let apt = PackageFamily::Apt;
        assert_eq!(
            outputs_of("make -C /src/tool install", None, apt).unwrap(),
            ["/src/tool", "/usr/local"]
        );
        assert_eq!(
            outputs_of("gcc -O2 -o /usr/local/bin/hello /src/hello.c", None, apt).unwrap(),
            ["/usr/local/bin/hello"]
        );
        assert_eq!(
            outputs_of(
                "pip install --no-cache-dir -r requirements.txt",
                Some("/app"),
                apt
            )
            .unwrap(),
            ["/usr/local"]
        );
        assert_eq!(
            outputs_of("npm ci && npm run build", Some("/srv/web"), apt).unwrap(),
            ["/srv/web"]
        );
        // A variable naming a path is read through; the archive removed is no output.
        assert_eq!(
            outputs_of(
                "cd /tmp && curl -o $PREFIX/t.tgz https://x/t.tgz && tar -C $PREFIX -xzf $PREFIX/t.tgz && rm $PREFIX/t.tgz",
                None,
                apt
            )
            .unwrap(),
            ["/opt/tool"]
        );
    }

    #[test]
    fn git_clone_options_with_values_are_not_the_url_or_directory() {
        let apt = PackageFamily::Apt;
        assert_eq!(
            outputs_of(
                "git clone -b v1.2 --depth 1 https://github.com/example/greeter.git",
                Some("/usr/src"),
                apt
            )
            .unwrap(),
            ["/usr/src/greeter"]
        );
        assert_eq!(
            outputs_of(
                "git clone --depth=1 --recursive https://x/y.git /opt/y",
                None,
                apt
            )
            .unwrap(),
            ["/opt/y"]
        );
        // An option dlayer does not know could take a value: the outputs are unknown.
        assert!(
            outputs_of("git clone --bogus v https://x/y.git", Some("/src"), apt)
                .unwrap_err()
                .contains("--bogus")
        );
    }

    #[test]
    fn unknown_writes_are_named() {
        let apt = PackageFamily::Apt;
        let unknown = outputs_of("make && ./install.sh", Some("/src"), apt).unwrap_err();
        assert!(unknown.contains("`install.sh`"), "{unknown}");
        let relative = outputs_of("make", None, apt).unwrap_err();
        assert!(relative.contains("working directory"), "{relative}");
        let alpine = outputs_of("pip install uwsgi", None, PackageFamily::Apk).unwrap_err();
        assert!(alpine.contains("Alpine"), "{alpine}");
        let removal =
            outputs_of("make && rm -rf /etc/nginx/conf.d", Some("/src"), apt).unwrap_err();
        assert!(removal.contains("/etc/nginx/conf.d"), "{removal}");
        let installs =
            outputs_of("apt-get install -y libpq5 && make", Some("/src"), apt).unwrap_err();
        assert!(installs.contains("installs packages"), "{installs}");
    }
}
