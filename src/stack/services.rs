//! `dlayer fix --split=services`: an image that starts several programs (supervisord's
//! `[program:x]` sections, or `service a start && service b start && exec c`) becomes one image
//! target per program, each `FROM` the split's production image and running just that program
//! in the foreground, and a `compose.yaml` wiring them (ports, volumes, environment, start
//! order).
//!
//! What runs each program in the foreground comes from supervisord's `command=` or from the
//! services catalog (`rules/catalog/services.toml`); a program whose foreground command cannot
//! be known refuses the layout, naming it. sshd is a development tool: it gets no service and
//! stays in the `dev` target. Ops programs (cron, rsyslog) get a service of their own (see
//! `docs/split-services.md`).

mod catalog;
mod compose;
mod files;
mod programs;
mod supervisord;

use std::path::Path;

use serde::Serialize;

use crate::model;
use crate::model::Catalog;
use crate::syntax::{self, Arguments, Item};

use super::{Refusal, Split, SplitOptions};
use catalog::ServiceLayer;
use programs::Program;

/// One service of the layout.
#[derive(Clone, Debug, Serialize)]
pub struct Service {
    /// The compose service and its image target (stage) name.
    pub name: String,
    /// How the original image started the program.
    pub origin: String,
    /// The command it runs in the foreground.
    pub command: Vec<String>,
    /// `app` or `ops`.
    pub layer: String,
    pub ports: Vec<String>,
    /// `volume:path` mounts.
    pub volumes: Vec<String>,
    pub environment: Vec<(String, String)>,
    pub depends_on: Vec<String>,
}

/// The `--split=services` layout.
#[derive(Clone, Debug, Serialize)]
pub struct Services {
    /// The split's stages followed by one stage per service.
    #[serde(skip)]
    pub dockerfile: String,
    /// What starts the programs in the original (`supervisord`, `the start command`).
    pub starter: String,
    pub services: Vec<Service>,
    /// Programs that got no service, and what else needs a human.
    pub notes: Vec<String>,
    /// Named volumes shared or owned by services.
    pub named_volumes: Vec<String>,
    #[serde(skip)]
    input_name: String,
}

impl Services {
    /// The `compose.yaml`: `context` is the build context seen from the compose file's
    /// directory, `dockerfile` the services Dockerfile seen from the build context.
    pub fn compose(&self, context: &str, dockerfile: &str) -> String {
        compose::write(self, context, dockerfile)
    }
}

/// The services layout of a split: refused (naming the program and why) when a program's
/// foreground command cannot be known, or when the image starts no more than one program.
/// `context_dir` is the build context, read for the configuration files a COPY brings in.
pub fn services(
    split: &Split,
    options: &SplitOptions,
    context_dir: Option<&Path>,
    catalog: &Catalog,
) -> Result<Services, Refusal> {
    let prod = split
        .report
        .stages
        .last()
        .cloned()
        .unwrap_or_else(|| "prod".into());
    let base = Base {
        dockerfile: &split.dockerfile,
        stage: split.plan.stage,
        stages: split.stages.clone(),
        prod,
        input_name: &split.input_name,
        crlf: split.crlf,
    };
    services_on(&base, options, context_dir, catalog)
}

/// The services layout of a file the split leaves unchanged (already in one layer): the
/// targets are built on the target stage as it is, named `prod` when it has no name.
pub fn services_unchanged(
    source: &str,
    input_name: &str,
    options: &SplitOptions,
    context_dir: Option<&Path>,
    catalog: &Catalog,
) -> Result<Services, Refusal> {
    let dockerfile = syntax::parse(source);
    let model = model::build_with(&dockerfile, &model_options(options), catalog);
    if let Some(error) = &model.target_error {
        return Err(Refusal {
            line: 1,
            reason: error.clone(),
        });
    }
    let index = model.target.unwrap_or(model.stages.len().saturating_sub(1));
    let Some(stage) = model.stages.get(index) else {
        return Err(Refusal {
            line: 1,
            reason: "the file has no stage".into(),
        });
    };
    let (stages, prod) = match &stage.name {
        Some(name) => (source.to_string(), name.clone()),
        None => {
            let taken: Vec<String> = model.stages.iter().filter_map(|s| s.name.clone()).collect();
            let name = if taken.iter().any(|t| t.eq_ignore_ascii_case("prod")) {
                "prod-image".to_string()
            } else {
                "prod".to_string()
            };
            let end = dockerfile
                .instructions()
                .find(|instruction| instruction.span == stage.span)
                .and_then(|instruction| match &instruction.arguments {
                    Arguments::Words(words) => words.last().map(|word| word.span.end),
                    _ => None,
                })
                .ok_or_else(|| Refusal {
                    line: stage.line,
                    reason: "the stage's FROM cannot be given a name".into(),
                })?;
            let mut text = source.to_string();
            text.insert_str(end, &format!(" AS {name}"));
            if !text.ends_with('\n') {
                text.push('\n');
            }
            (text, name)
        }
    };
    let base = Base {
        dockerfile: &dockerfile,
        stage: index,
        stages,
        prod,
        input_name,
        crlf: source.contains("\r\n"),
    };
    services_on(&base, options, context_dir, catalog)
}

/// What the service targets are built on.
struct Base<'a> {
    dockerfile: &'a syntax::Dockerfile,
    /// The stage whose start command starts the programs (index in the model).
    stage: usize,
    /// The Dockerfile text the service stages are added to.
    stages: String,
    /// The stage the service stages are `FROM`.
    prod: String,
    input_name: &'a str,
    crlf: bool,
}

fn model_options(options: &SplitOptions) -> model::Options {
    model::Options {
        build_args: options.build_args.clone(),
        target: options.target.clone(),
        command_views: false,
        implicit_stage: false,
    }
}

fn services_on(
    base: &Base<'_>,
    options: &SplitOptions,
    context_dir: Option<&Path>,
    catalog: &Catalog,
) -> Result<Services, Refusal> {
    let model = model::build_with(base.dockerfile, &model_options(options), catalog);
    let Some(stage) = model.stages.get(base.stage) else {
        return Err(Refusal {
            line: 1,
            reason: "the target stage is not found".into(),
        });
    };
    let written = files::written_files(base.dockerfile, stage, context_dir);
    let starter = programs::starter(base.dockerfile, stage, &written)?;
    let (kept, left): (Vec<Program>, Vec<Program>) = starter
        .programs
        .iter()
        .cloned()
        .partition(|program| program.layer != ServiceLayer::Dev);
    let mut notes: Vec<String> = left
        .iter()
        .map(|program| {
            format!(
                "`{}`, started by {}, is a development tool: it gets no service and runs only in the dev target",
                program.name, program.origin
            )
        })
        .collect();
    if kept.is_empty() {
        return Err(Refusal {
            line: starter.line,
            reason: "every program the image starts is a development tool: no service is left"
                .into(),
        });
    }
    let output = syntax::parse(&base.stages);
    let taken: Vec<String> = output
        .instructions()
        .filter_map(|instruction| stage_name(&instruction.arguments))
        .collect();
    let names = service_names(&kept, &taken);
    let prod = &base.prod;
    let ports = exposed_ports(base.dockerfile, stage);
    let volumes = declared_volumes(base.dockerfile, stage);
    // A start command runs its main program last, in the foreground; supervisord has no
    // such order.
    let main = main_program(&kept, starter.description != "supervisord");
    let mut services: Vec<Service> = kept
        .iter()
        .zip(&names)
        .map(|(program, name)| Service {
            name: name.clone(),
            origin: program.origin.clone(),
            command: program.argv.clone(),
            layer: match program.layer {
                ServiceLayer::Ops => "ops".into(),
                _ => "app".into(),
            },
            ports: Vec::new(),
            volumes: Vec::new(),
            environment: program.environment.clone(),
            depends_on: Vec::new(),
        })
        .collect();
    for port in ports {
        let number = port.split('/').next().unwrap_or(&port);
        let owner = kept
            .iter()
            .position(|program| program.ports.iter().any(|p| p == number))
            .unwrap_or(main);
        services[owner].ports.push(port);
    }
    let mut named_volumes = Vec::new();
    for path in volumes {
        let volume = volume_name(&path);
        let owner = kept.iter().position(|program| {
            program
                .volumes
                .iter()
                .any(|owned| super::footprint::within(&path, owned))
        });
        for (index, service) in services.iter_mut().enumerate() {
            if owner.is_none_or(|owner| owner == index) {
                service.volumes.push(format!("{volume}:{path}"));
            }
        }
        if !named_volumes.contains(&volume) {
            named_volumes.push(volume);
        }
    }
    for (index, program) in kept.iter().enumerate() {
        if program.layer == ServiceLayer::Ops {
            continue;
        }
        services[index].depends_on = kept
            .iter()
            .zip(&names)
            .filter(|(other, _)| other.layer != ServiceLayer::Ops && other.tier < program.tier)
            .map(|(_, name)| name.clone())
            .collect();
    }
    for program in kept.iter().filter(|p| p.layer == ServiceLayer::Ops) {
        notes.push(format!(
            "`{}` is an ops program: it runs in a service of its own, from the same image, with the shared volumes",
            program.name
        ));
    }
    if services.len() > 1 {
        notes.push(
            "programs that reached each other over localhost or a Unix socket now run in separate containers: point them at each other's service names".into(),
        );
    }
    let mut dockerfile = base.stages.clone();
    for ((program, service), name) in kept.iter().zip(&services).zip(&names) {
        dockerfile.push('\n');
        dockerfile.push_str(&service_stage(
            program,
            service,
            name,
            prod,
            starter.by_entrypoint,
        ));
    }
    Ok(Services {
        dockerfile: super::line_endings(dockerfile, base.crlf),
        starter: starter.description,
        services,
        notes,
        named_volumes,
        input_name: base.input_name.to_string(),
    })
}

fn stage_name(arguments: &Arguments) -> Option<String> {
    let Arguments::Words(words) = arguments else {
        return None;
    };
    let at = words
        .iter()
        .position(|word| word.text.eq_ignore_ascii_case("as"))?;
    words.get(at + 1).map(|word| word.text.to_ascii_lowercase())
}

/// Stage and service names: lower-case letters, digits and `-`, never an existing stage's
/// name, each once.
fn service_names(programs: &[Program], taken: &[String]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for program in programs {
        let mut base: String = program
            .name
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        base = base.trim_matches('-').to_string();
        if !base.starts_with(|c: char| c.is_ascii_lowercase()) {
            base = format!("service-{base}").trim_end_matches('-').to_string();
        }
        if taken.contains(&base) {
            base.push_str("-service");
        }
        let mut name = base.clone();
        let mut counter = 1;
        while names.contains(&name) || taken.contains(&name) {
            counter += 1;
            name = format!("{base}-{counter}");
        }
        names.push(name);
    }
    names
}

/// The program the outside talks to: the highest tier of the application's programs; among
/// equals the first started, or the last when `last_wins`.
fn main_program(programs: &[Program], last_wins: bool) -> usize {
    let mut best: Option<usize> = None;
    for (index, program) in programs.iter().enumerate() {
        if program.layer == ServiceLayer::Ops {
            continue;
        }
        let better = |best: usize| {
            programs[best].tier < program.tier || (last_wins && programs[best].tier == program.tier)
        };
        if best.is_none_or(better) {
            best = Some(index);
        }
    }
    best.unwrap_or(0)
}

/// The ports the stage EXPOSEs, but sshd's (it stays in dev).
fn exposed_ports(dockerfile: &syntax::Dockerfile, stage: &model::Stage) -> Vec<String> {
    let mut ports = Vec::new();
    for model in stage.instructions.iter().filter(|m| m.keyword == "EXPOSE") {
        let Item::Instruction(instruction) = &dockerfile.items[model.item] else {
            continue;
        };
        if let Arguments::Words(words) = &instruction.arguments {
            for word in words {
                if !super::plan::is_ssh_port(&word.text) && !ports.contains(&word.text) {
                    ports.push(word.text.clone());
                }
            }
        }
    }
    ports
}

/// The paths the stage declares with VOLUME.
fn declared_volumes(dockerfile: &syntax::Dockerfile, stage: &model::Stage) -> Vec<String> {
    let mut paths = Vec::new();
    for model in stage.instructions.iter().filter(|m| m.keyword == "VOLUME") {
        let Item::Instruction(instruction) = &dockerfile.items[model.item] else {
            continue;
        };
        if let Arguments::Words(words) | Arguments::Exec(words) = &instruction.arguments {
            for word in words {
                let path = word.text.trim_end_matches('/').to_string();
                if path.starts_with('/') && !paths.contains(&path) {
                    paths.push(path);
                }
            }
        }
    }
    paths
}

/// `/var/lib/mysql` → `var-lib-mysql`.
fn volume_name(path: &str) -> String {
    let name: String = path
        .trim_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    if name.is_empty() { "root".into() } else { name }
}

fn service_stage(
    program: &Program,
    service: &Service,
    name: &str,
    prod: &str,
    reset_entrypoint: bool,
) -> String {
    let mut text = format!(
        "# {name} service: {}, run in the foreground on its own ({} layer; compose.yaml starts it)\n",
        program.origin, service.layer
    );
    text.push_str(&format!("FROM {prod} AS {name}\n"));
    if reset_entrypoint {
        text.push_str("ENTRYPOINT []\n");
    }
    if let Some(user) = &program.user {
        text.push_str(&format!("USER {user}\n"));
    }
    if let Some(directory) = &program.directory {
        text.push_str(&format!("WORKDIR {directory}\n"));
    }
    let argv = serde_json::to_string(&program.argv).unwrap_or_else(|_| "[]".into());
    text.push_str(&format!("CMD {argv}\n"));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_avoid_stages_and_each_other() {
        let program = |name: &str| Program {
            name: name.into(),
            origin: String::new(),
            argv: vec!["x".into()],
            user: None,
            directory: None,
            environment: Vec::new(),
            layer: ServiceLayer::App,
            tier: catalog::Tier::App,
            ports: Vec::new(),
            volumes: Vec::new(),
        };
        let names = service_names(
            &[
                program("app"),
                program("Web_1"),
                program("web-1"),
                program("9x"),
            ],
            &["app".into(), "prod".into()],
        );
        assert_eq!(names, ["app-service", "web-1", "web-1-2", "service-9x"]);
    }

    #[test]
    fn volume_names_come_from_paths() {
        assert_eq!(volume_name("/var/lib/mysql"), "var-lib-mysql");
        assert_eq!(volume_name("/"), "root");
    }
}
