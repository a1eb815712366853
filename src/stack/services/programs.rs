//! The programs an image starts: supervisord's `[program:x]` sections, or the services a start
//! command (or a start script it runs) starts one after the other.

use std::collections::BTreeMap;

use crate::model::{InstructionModel, Stage};
use crate::rules::heavy::shared::see_through_helpers;
use crate::shell::{self, Command, Contiguous};
use crate::syntax::{Dockerfile, Item};

use super::super::Refusal;
use super::catalog::{self, Found, ServiceLayer, Tier};
use super::files::{Written, WrittenFile};
use super::supervisord;

/// One program, as it runs on its own in the foreground.
#[derive(Clone, Debug)]
pub struct Program {
    /// Its name (the supervisord program name, the catalog service name or the file name).
    pub name: String,
    /// How the original image started it, for messages.
    pub origin: String,
    /// The command that runs it in the foreground (exec form).
    pub argv: Vec<String>,
    pub user: Option<String>,
    pub directory: Option<String>,
    pub environment: Vec<(String, String)>,
    pub layer: ServiceLayer,
    pub tier: Tier,
    /// Ports it listens on by default (catalog).
    pub ports: Vec<String>,
    /// Directories it owns (catalog).
    pub volumes: Vec<String>,
}

/// What starts the programs.
#[derive(Clone, Debug)]
pub struct Starter {
    /// `supervisord`, or the start command.
    pub description: String,
    /// 1-based line of the CMD or ENTRYPOINT.
    pub line: usize,
    /// The programs are started by the ENTRYPOINT (it must be reset in each service).
    pub by_entrypoint: bool,
    pub programs: Vec<Program>,
}

/// Finds the programs the image's start command starts: the last stage of `chain` is the
/// image, built on the ones before it.
pub fn starter(
    dockerfile: &Dockerfile,
    chain: &[&Stage],
    files: &BTreeMap<String, WrittenFile>,
) -> Result<Starter, Refusal> {
    let (entrypoint, cmd) = start_instructions(chain);
    let line = chain.last().map_or(1, |stage| stage.line);
    let shell_form_entrypoint = entrypoint.is_some_and(|model| {
        matches!(
            &dockerfile.items[model.item],
            Item::Instruction(instruction)
                if matches!(instruction.arguments, crate::syntax::Arguments::Shell(_))
        )
    });
    let mut scripts = Vec::new();
    if let Some(model) = entrypoint {
        scripts.push((model, true));
    }
    if let Some(model) = cmd.filter(|_| !shell_form_entrypoint) {
        scripts.push((model, false));
    }
    let Some(first) = scripts.first() else {
        return Err(Refusal {
            line,
            reason: "the image has no start command (CMD or ENTRYPOINT): it starts no program"
                .into(),
        });
    };
    let first_line = first.0.line;
    for (model, by_entrypoint) in scripts {
        let commands = see_through_helpers(model.script.clone());
        let reader = Reader {
            files,
            line: model.line,
            place: format!("line {}", model.line),
        };
        if let Some(programs) = reader.programs(&commands, &dockerfile.source, 0)? {
            return Ok(Starter {
                description: programs.0,
                line: model.line,
                by_entrypoint,
                programs: programs.1,
            });
        }
    }
    Err(Refusal {
        line: first_line,
        reason: "the start command starts one program: there is nothing to split into services"
            .into(),
    })
}

/// The ENTRYPOINT and CMD the image keeps: the last of each, an ENTRYPOINT resetting a CMD
/// of an earlier stage.
fn start_instructions<'a>(
    chain: &[&'a Stage],
) -> (Option<&'a InstructionModel>, Option<&'a InstructionModel>) {
    let mut entrypoint = None;
    let mut cmd = None;
    for stage in chain {
        let mut cmd_set = false;
        for model in &stage.instructions {
            match model.keyword.as_str() {
                "CMD" => {
                    cmd = Some(model);
                    cmd_set = true;
                }
                "ENTRYPOINT" => {
                    entrypoint = Some(model);
                    if !cmd_set {
                        cmd = None;
                    }
                }
                _ => {}
            }
        }
    }
    (entrypoint, cmd)
}

struct Reader<'a> {
    files: &'a BTreeMap<String, WrittenFile>,
    line: usize,
    /// Where the commands read are, for messages: `line 9`, `/start.sh, run by line 9`.
    place: String,
}

/// The top-level commands of a script (not in `$( )` nor in a condition); `sh -c SCRIPT`
/// gives way to the commands of its script.
fn top_level(commands: &[Command]) -> Vec<&Command> {
    let nested = commands.iter().any(|command| command.context.nested_shell);
    commands
        .iter()
        .filter(|command| !command.context.in_substitution && !command.context.in_condition)
        .filter(|command| !(nested && runs_script(command)))
        .collect()
}

fn runs_script(command: &Command) -> bool {
    let shells = ["sh", "bash", "dash", "ash", "zsh"];
    command.program().is_some_and(|p| shells.contains(&p))
        && command.args.iter().any(|word| word.value() == Some("-c"))
}

impl Reader<'_> {
    fn refuse(&self, reason: String) -> Refusal {
        Refusal {
            line: self.line,
            reason,
        }
    }

    /// The programs `commands` start (`None`: fewer than two long-running ones), with what
    /// starts them.
    fn programs(
        &self,
        commands: &[Command],
        text: &str,
        depth: usize,
    ) -> Result<Option<(String, Vec<Program>)>, Refusal> {
        let top = top_level(commands);
        // `supervisord`, or `service supervisor start` kept alive by a `tail -f`.
        if let Some(supervisord) = top.iter().find(|command| {
            command.program() == Some("supervisord")
                || service_started(command)
                    .is_some_and(|name| matches!(name.as_str(), "supervisor" | "supervisord"))
        }) {
            return self
                .supervisord_programs(supervisord)
                .map(|programs| Some(("supervisord".to_string(), programs)));
        }
        if depth == 0 {
            if let Some((path, script)) = self.start_script(&top) {
                let parsed = shell::parse(&script, &Contiguous(0));
                let inner = Reader {
                    files: self.files,
                    line: self.line,
                    place: format!("{path}, run by line {}", self.line),
                };
                let found = inner.programs(&parsed.commands, &script, depth + 1)?;
                return Ok(found.map(|(how, programs)| {
                    let how = if how == "supervisord" {
                        how
                    } else {
                        format!("the start script {path}")
                    };
                    (how, programs)
                }));
            }
        }
        let programs = self.started_services(&top, text)?;
        let running = programs
            .iter()
            .filter(|program| program.layer != ServiceLayer::Dev)
            .count();
        if programs.len() < 2 || running == 0 {
            return Ok(None);
        }
        Ok(Some(("the start command".into(), programs)))
    }

    /// `CMD ["/start.sh"]`, `CMD bash /start.sh`: the script the start command runs, when the
    /// stage writes it.
    fn start_script(&self, top: &[&Command]) -> Option<(String, String)> {
        let [command] = top else {
            return None;
        };
        let shells = ["sh", "bash", "dash", "ash"];
        let path = if command.program().is_some_and(|p| shells.contains(&p)) {
            command
                .args
                .iter()
                .find_map(|word| word.value().filter(|value| !value.starts_with('-')))?
        } else {
            command.name.value()?
        };
        let file = self.files.get(path)?;
        match &file.content {
            Written::Text(text) => Some((path.to_string(), text.clone())),
            Written::Unknown(_) => None,
        }
    }

    fn supervisord_programs(&self, command: &Command) -> Result<Vec<Program>, Refusal> {
        // `-c FILE` of a supervisord command line (a service start has none).
        let words: Vec<&str> = command
            .args
            .iter()
            .map(|word| word.value().unwrap_or(""))
            .collect();
        let config = words
            .iter()
            .position(|word| *word == "-c" || *word == "--configuration")
            .and_then(|at| words.get(at + 1))
            .map(|path| path.to_string());
        let mut programs = Vec::new();
        let mut read = 0;
        for (path, file) in self.files {
            let is_config = config.as_deref() == Some(path.as_str())
                || (path.contains("supervisor")
                    && (path.ends_with(".conf") || path.ends_with(".ini")));
            if !is_config {
                continue;
            }
            let text = match &file.content {
                Written::Text(text) => text,
                Written::Unknown(why) => {
                    return Err(Refusal {
                        line: file.line,
                        reason: format!(
                            "supervisord's configuration {path} is {why}: the programs it starts cannot be known"
                        ),
                    });
                }
            };
            read += 1;
            for section in supervisord::programs(text) {
                if !section.autostart {
                    continue;
                }
                programs.push((section, file.line, path.clone()));
            }
        }
        if read == 0 {
            return Err(self.refuse(
                "supervisord starts the programs of a configuration this Dockerfile does not write: they cannot be known".into(),
            ));
        }
        programs.sort_by_key(|(section, _, _)| section.priority);
        programs
            .into_iter()
            .map(|(section, line, path)| self.supervisord_program(section, line, &path))
            .collect()
    }

    fn supervisord_program(
        &self,
        section: supervisord::ProgramSection,
        line: usize,
        path: &str,
    ) -> Result<Program, Refusal> {
        let refuse = |why: &str| Refusal {
            line,
            reason: format!(
                "supervisord program `{}` ({path}): {why}, so its foreground command cannot be known",
                section.name
            ),
        };
        if section.command.contains("%(") {
            return Err(refuse("its command uses supervisord's `%(…)s` expansions"));
        }
        if section.numprocs > 1 {
            return Err(refuse("it runs several processes (`numprocs`)"));
        }
        let argv = supervisord::split_command(&section.command)
            .filter(|argv| !argv.is_empty())
            .ok_or_else(|| refuse("its command has unbalanced quotes"))?;
        let found = catalog::by_program(&argv[0]);
        Ok(program(
            &section.name,
            format!(
                "supervisord's [program:{}] ({path}, line {line})",
                section.name
            ),
            argv,
            found.as_ref(),
            section.user,
            section.directory,
            section.environment,
        ))
    }

    /// The services a start command starts: `service x start` and the like, background jobs,
    /// daemons that detach, and the last command when it is no keep-alive. Setup commands
    /// before them run again before each program.
    fn started_services(&self, top: &[&Command], text: &str) -> Result<Vec<Program>, Refusal> {
        let mut programs = Vec::new();
        let mut setup: Vec<String> = Vec::new();
        for (index, command) in top.iter().enumerate() {
            let last = index + 1 == top.len();
            let shown = text
                .get(command.span.start..command.span.end)
                .unwrap_or(&command.name.raw)
                .to_string();
            if let Some(name) = service_started(command) {
                let found = catalog::by_init_name(&name).ok_or_else(|| {
                    self.refuse(format!(
                        "program `{name}`, started by `{shown}` ({}): its foreground command is not known (rules/catalog/services.toml lists the services dlayer knows)",
                        self.place
                    ))
                })?;
                let argv = found.foreground();
                programs.push(program(
                    &found.entry.name,
                    format!("`{shown}` ({})", self.place),
                    argv,
                    Some(&found),
                    None,
                    None,
                    Vec::new(),
                ));
                continue;
            }
            let program_name = command.program().unwrap_or("");
            if last && is_keep_alive(command) {
                continue;
            }
            let found = catalog::by_program(program_name);
            let runs_detached = !last && (found.is_some() || command.context.background);
            if !(last || runs_detached) {
                if is_trivial(program_name) {
                    continue;
                }
                if !shown.contains("ssh") {
                    setup.push(shown);
                }
                continue;
            }
            let argv = match (&found, last || command.context.background) {
                (Some(found), false) => found.foreground(),
                _ => static_argv(command).ok_or_else(|| {
                    self.refuse(format!(
                        "program `{program_name}`, started by `{shown}` ({}): its command is not static, so its foreground command cannot be known",
                        self.place
                    ))
                })?,
            };
            let name = found
                .as_ref()
                .map_or_else(|| name_of(program_name, &argv), |f| f.entry.name.clone());
            let environment = command
                .assignments
                .iter()
                .filter_map(|word| word.value()?.split_once('='))
                .map(|(key, value)| (key.to_string(), value.to_string()))
                .collect();
            programs.push(program(
                &name,
                format!("`{shown}` ({})", self.place),
                argv,
                found.as_ref(),
                None,
                None,
                environment,
            ));
        }
        if !setup.is_empty() {
            let prefix = setup.join(" && ");
            for program in &mut programs {
                let exec = program
                    .argv
                    .iter()
                    .map(|word| shell_quote(word))
                    .collect::<Vec<_>>()
                    .join(" ");
                program.argv = vec![
                    "/bin/sh".into(),
                    "-c".into(),
                    format!("{prefix} && exec {exec}"),
                ];
            }
        }
        Ok(programs)
    }
}

fn program(
    name: &str,
    origin: String,
    argv: Vec<String>,
    found: Option<&Found<'_>>,
    user: Option<String>,
    directory: Option<String>,
    environment: Vec<(String, String)>,
) -> Program {
    Program {
        name: name.to_string(),
        origin,
        argv,
        user,
        directory,
        environment,
        layer: found.map_or(ServiceLayer::App, |f| f.entry.layer),
        tier: found.map_or(Tier::App, |f| f.entry.tier),
        ports: found.map(|f| f.entry.ports.clone()).unwrap_or_default(),
        volumes: found.map(|f| f.entry.volumes.clone()).unwrap_or_default(),
    }
}

/// The name of a program the catalog does not know: for an interpreter, the script or module
/// it runs (`python3 worker.py` → `worker`, `python3 -m http.server` → `http.server`).
fn name_of(program: &str, argv: &[String]) -> String {
    let interpreters = [
        "python", "node", "php", "ruby", "perl", "java", "sh", "bash",
    ];
    let is_interpreter = interpreters.iter().any(|name| {
        program
            .strip_prefix(name)
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
    });
    if !is_interpreter {
        return program.to_string();
    }
    let mut words = argv.iter().skip(1);
    while let Some(word) = words.next() {
        if word == "-m" || word == "-jar" {
            if let Some(module) = words.next() {
                return module
                    .rsplit('/')
                    .next()
                    .unwrap_or(module)
                    .trim_end_matches(".jar")
                    .to_string();
            }
        }
        if !word.starts_with('-') {
            let file = word.rsplit('/').next().unwrap_or(word);
            return file.split('.').next().unwrap_or(file).to_string();
        }
    }
    program.to_string()
}

fn values(command: &Command) -> Vec<&str> {
    command
        .args
        .iter()
        .map(|word| word.value().unwrap_or(""))
        .collect()
}

/// `service NAME start`, `systemctl start NAME`, `rc-service NAME start`, `/etc/init.d/NAME
/// start`: NAME.
fn service_started(command: &Command) -> Option<String> {
    let program = command.program()?;
    let args = values(command);
    let starts = |verb: &str| matches!(verb, "start" | "restart");
    match (program, args.as_slice()) {
        ("service" | "rc-service", [name, verb, ..]) if starts(verb) => Some(name.to_string()),
        ("systemctl", [verb, name, ..]) if starts(verb) => Some(name.to_string()),
        (_, [verb]) if starts(verb) => {
            let path = command.name.value()?;
            let is_init_script = path.starts_with("/etc/init.d/") || path.starts_with("/etc/rc.d/");
            if is_init_script {
                Some(program.to_string())
            } else if matches!(program, "apachectl" | "apache2ctl") {
                Some("apache2".into())
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `tail -f FILE`, `sleep infinity`, `wait`, a bare shell: what keeps a container alive
/// without being a service.
fn is_keep_alive(command: &Command) -> bool {
    let args = values(command);
    match command.program().unwrap_or("") {
        "tail" => args
            .iter()
            .any(|arg| arg.starts_with('-') && (arg.contains('f') || arg.contains('F'))),
        "sleep" => args.first().is_some_and(|arg| {
            *arg == "infinity" || arg.parse::<u64>().is_ok_and(|seconds| seconds >= 3600)
        }),
        "wait" | "read" => true,
        "cat" | "bash" | "sh" | "ash" | "zsh" => args.is_empty(),
        _ => false,
    }
}

/// Commands that print or set shell state: nothing a program needs repeated.
fn is_trivial(program: &str) -> bool {
    matches!(
        program,
        "echo" | "printf" | "true" | ":" | "set" | "export" | "sleep" | "cd" | "date"
    )
}

fn static_argv(command: &Command) -> Option<Vec<String>> {
    std::iter::once(&command.name)
        .chain(&command.args)
        .map(|word| word.value().map(str::to_string))
        .collect()
}

/// A word quoted for `sh -c` when it needs it.
fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}
