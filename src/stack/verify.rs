//! The verifier: reads the split Dockerfile back, independently of how it was made, and checks
//! the contract of the split. Output that fails any check is refused.
//!
//! - it parses without errors and builds `prod` (the last stage) on the layer chain;
//! - `prod`'s image configuration (ENV, LABEL, USER, WORKDIR, EXPOSE, VOLUME, CMD, ENTRYPOINT,
//!   HEALTHCHECK, STOPSIGNAL, SHELL, ONBUILD) equals the original's, except `EXPOSE 22`, which
//!   moves to `dev`;
//! - every original RUN, COPY and ADD appears exactly once in `prod`'s chain or in `dev`
//!   (a RUN may have lost package words, which must then be installed elsewhere); every
//!   installed package is installed exactly as often as before; no development OS package is
//!   installed in production;
//! - every step runs with the WORKDIR, USER and SHELL it had and reads the same ENV/ARG values;
//! - two steps that changed order are independent of each other;
//! - the build stage installs no headers of a library production may lack.

use std::collections::BTreeMap;

use crate::model::catalog::tag;
use crate::model::{self, Action, Catalog, Layer, Model, Stage, is_root_user};
use crate::syntax::{self, Arguments, Dockerfile, Instruction, Item, Keyword};

use super::emit::{default_user_is_root, referenced_variables};
use super::footprint::{Footprint, dependency, depends_on_workdir, expand};
use super::plan::{is_ssh_path, is_ssh_port, remove_words, sshd_start_spans};
use crate::model::{is_os_ecosystem, os_ecosystem, package_ecosystem};

/// One check that failed, in words.
pub type Failure = String;

/// An original step: its position, its strict signature, its loose signature.
type OriginalStep = (usize, String, String);

/// Where a step is in the output: its stage, its position there, its order across the stack.
type Placement = (usize, usize, usize);

pub fn verify(
    original: &Dockerfile,
    original_model: &Model,
    split_text: &str,
    catalog: &Catalog,
    dev_name: Option<&str>,
    build_name: Option<&str>,
) -> Result<(), Failure> {
    let output = syntax::parse(split_text);
    if let Some(error) = output.errors.first() {
        return Err(format!(
            "the split Dockerfile does not parse: {}",
            error.message
        ));
    }
    if let Some(instruction) = output
        .instructions()
        .find(|instruction| !instruction.build_errors.is_empty())
    {
        return Err(format!(
            "the split Dockerfile has an invalid {}: {}",
            instruction.keyword.text, instruction.build_errors[0].message
        ));
    }
    let output_model = model::build_with(&output, &model::Options::default(), catalog);
    let target = original_model.target.ok_or("the original has no stage")?;
    let stage = &original_model.stages[target];
    let prod = output_model.target.ok_or("the split has no stage")?;
    // The output keeps every other stage of the original, verbatim and first; the split's
    // own stages follow. Only those replay the split stage: a kept stage below the chain (the
    // original's `FROM base`) is the original's own, in both.
    let kept_stages = original_model.stages.len() - 1;
    let mut chain = chain_of(&output_model, prod);
    chain.retain(|&index| index >= kept_stages);
    let dev = dev_name.and_then(|name| {
        output_model
            .stages
            .iter()
            .position(|s| s.name.as_deref() == Some(name))
    });

    let build = build_name.and_then(|name| {
        output_model
            .stages
            .iter()
            .position(|s| s.name.as_deref() == Some(name))
    });
    let original_steps = steps(original, stage);
    let as_user: Vec<Option<String>> = original_steps
        .iter()
        .map(|(position, _, _)| {
            as_user_signature((original, original_model), target, *position, catalog)
        })
        .collect();
    let mut placed: Vec<Placement> = Vec::new(); // (stage, instruction, order)
    // The first slot is left free: the build stage's steps go before the instruction that
    // copies their outputs, which may be the first one.
    let mut order = ORDER_SLOT;
    for &stage_index in chain.iter().chain(dev.iter()) {
        for position in 0..output_model.stages[stage_index].instructions.len() {
            placed.push((stage_index, position, order));
            order += ORDER_SLOT;
        }
    }
    let copies = |at: &&Placement| {
        build_name.is_some_and(|name| copies_from(&output, &output_model, at, name))
    };
    let outputs_arrive = placed.iter().find(copies).map(|at| at.2);
    let placed: Vec<Placement> = placed.iter().filter(|at| !copies(at)).copied().collect();
    let mut found = match_steps(
        &output,
        &output_model,
        &placed,
        (&original_steps, &as_user),
        stage,
    )?;
    if let (Some(name), Some(build)) = (build_name, build) {
        let arrive = outputs_arrive
            .ok_or_else(|| format!("production copies nothing from the `{name}` stage"))?;
        if chain.contains(&build) || dev == Some(build) {
            return Err(format!(
                "the `{name}` stage is part of the production chain"
            ));
        }
        match_build_steps(
            &output,
            &output_model,
            (build, arrive),
            &placed,
            &original_steps,
            &mut found,
        )?;
        check_build_links_known_libraries(&output_model.stages[build], name)?;
    }
    for (index, found) in found.iter().enumerate() {
        if found.is_none() {
            return Err(format!(
                "the step of line {} is missing from the split",
                stage.instructions[original_steps[index].0].line
            ));
        }
    }
    check_packages(stage, &output_model, &chain, dev)?;
    check_language_packages(stage, &output_model, &chain, dev, build)?;
    let everywhere: Vec<&Stage> = chain
        .iter()
        .chain(dev.iter())
        .map(|&i| &output_model.stages[i])
        .collect();
    if ssh_directories_made(&[stage]) != ssh_directories_made(&everywhere) {
        return Err("the sshd directories made differ from the original's".into());
    }
    let production: Vec<&Stage> = chain.iter().map(|&i| &output_model.stages[i]).collect();
    // Directories named like sshd's are sshd's only where sshd left production for dev:
    // elsewhere (no sshd at all, zabbix's `ssh_keys` of its ssh checks) they stay as they were.
    let sshd_left_production = installs_sshd(&[stage]) && !installs_sshd(&production);
    if sshd_left_production && let Some(path) = ssh_directories_made(&production).keys().next() {
        return Err(format!("production still prepares sshd (`{path}`)"));
    }
    let defaults = Defaults {
        user_is_root: default_user_is_root(stage, &original.source),
        base_workdir: stage
            .image
            .as_ref()
            .and_then(|image| image.workdir.as_deref()),
    };
    // The steps a transient RUN runs as their non-root user from root.
    let switched: Vec<bool> = found
        .iter()
        .zip(&as_user)
        .map(|(found, as_user)| {
            let output_signature = found.and_then(|at| step_signature(&output, &output_model, at));
            output_signature
                .zip(as_user.as_ref())
                .is_some_and(|(output, as_user)| super::transient_shape::wraps(&output, as_user))
        })
        .collect();
    check_context(
        original,
        stage,
        &output_model,
        (&original_steps, &switched),
        &found,
        defaults,
    )?;
    check_order(
        (original, stage),
        &output,
        &output_model,
        (&original_steps, &as_user),
        &found,
        (catalog, build),
    )?;
    // Production's start command no longer starts sshd (dev's still does).
    let original_config = config_without_sshd_start(original, stage, defaults);
    let chain_stages: Vec<&Stage> = chain.iter().map(|&i| &output_model.stages[i]).collect();
    let mut split_config = config(&output, &chain_stages, defaults);
    let mut expected = original_config;
    expected.exposed.retain(|port| !is_ssh_port(port));
    split_config.exposed.retain(|port| !is_ssh_port(port));
    if expected != split_config {
        return Err(format!(
            "the production image's configuration differs: {}",
            describe_difference(&expected, &split_config)
        ));
    }
    Ok(())
}

/// The stages `stage` is built on, bottom first, ending with it.
fn chain_of(model: &Model, stage: usize) -> Vec<usize> {
    let mut chain = vec![stage];
    let mut current = stage;
    while let Some(base) = model.stages[current].base.stage {
        chain.push(base);
        current = base;
    }
    chain.reverse();
    chain
}

fn instruction_of<'d>(
    dockerfile: &'d Dockerfile,
    stage: &Stage,
    position: usize,
) -> Option<&'d Instruction> {
    match &dockerfile.items[stage.instructions.get(position)?.item] {
        Item::Instruction(instruction) => Some(instruction),
        _ => None,
    }
}

/// Where each original step is in the output: `(stage, instruction, order)`. Output steps are
/// matched by their strict signature first, then by the loose one; an output RUN that only
/// installs OS packages and matches nothing left is an install the split wrote.
fn match_steps(
    output: &Dockerfile,
    output_model: &Model,
    placed: &[Placement],
    (original_steps, as_user): (&[OriginalStep], &[Option<String>]),
    stage: &Stage,
) -> Result<Vec<Option<Placement>>, Failure> {
    struct OutputStep {
        at: Placement,
        strict: String,
        loose: String,
        install_only: bool,
        matched: bool,
    }
    let mut outputs = Vec::new();
    for &(stage_index, position, order) in placed {
        let out_stage = &output_model.stages[stage_index];
        let Some(instruction) = instruction_of(output, out_stage, position) else {
            continue;
        };
        if !matches!(
            instruction.kind,
            Keyword::Run | Keyword::Copy | Keyword::Add
        ) {
            continue;
        }
        let model = &out_stage.instructions[position];
        outputs.push(OutputStep {
            at: (stage_index, position, order),
            strict: signature(output, instruction, model, true),
            loose: signature(output, instruction, model, false),
            install_only: is_install_only(model),
            matched: false,
        });
    }
    let mut found: Vec<Option<Placement>> = vec![None; original_steps.len()];
    let passes: [(bool, bool); 3] = [(true, false), (false, false), (false, true)];
    for (strict, install_only_pass) in passes {
        for step in outputs.iter_mut().filter(|s| !s.matched) {
            if !strict && step.install_only != install_only_pass {
                continue;
            }
            let candidate = (0..original_steps.len()).find(|&i| {
                found[i].is_none()
                    && if strict {
                        original_steps[i].1 == step.strict
                    } else {
                        original_steps[i].2 == step.loose
                    }
            });
            if let Some(index) = candidate {
                found[index] = Some(step.at);
                step.matched = true;
            }
        }
    }
    // A RUN cut in two (its sshd setup moved to dev): its commands are spread over output
    // RUNs with its flags, each holding some of them, together all of them. Production's part
    // may be left an install only (its SSH server moved to dev with the setup); at least one
    // part must not be, so that installs the split wrote cannot make up a step alone.
    for (index, original) in original_steps.iter().enumerate() {
        if found[index].is_some() || !original.1.starts_with("RUN") {
            continue;
        }
        let (prefix, parts) = split_signature(&original.1);
        let mut left: Vec<&str> = parts.clone();
        let mut taken = Vec::new();
        for (at, step) in outputs.iter().enumerate() {
            if step.matched {
                continue;
            }
            // Production's copy of a supervisord configuration without the sshd programs
            // (dev writes it whole): it stands for the original command without consuming it.
            let rewritten_config = |part: &str| {
                parts.iter().any(|original| {
                    super::steps::sshd_programs_removed(original).as_deref() == Some(part)
                })
            };
            // The part as written, or the commands it wraps with transient build
            // dependencies (production's part of a RUN whose sshd setup went to dev).
            let readings = std::iter::once(split_signature(&step.strict))
                .chain(super::transient_shape::unwrapped(&step.strict));
            for (step_prefix, step_parts) in readings {
                if step_prefix != prefix || step_parts.is_empty() {
                    continue;
                }
                let mut remaining = left.clone();
                let all_there =
                    step_parts
                        .iter()
                        .all(|part| match remaining.iter().position(|p| p == part) {
                            Some(position) => {
                                remaining.remove(position);
                                true
                            }
                            None => rewritten_config(part),
                        });
                if all_there {
                    left = remaining;
                    taken.push(at);
                    break;
                }
            }
            if left.is_empty() {
                break;
            }
        }
        let not_only_installs = taken.iter().any(|&at| !outputs[at].install_only);
        if left.is_empty() && taken.len() > 1 && not_only_installs {
            found[index] = Some(outputs[taken[0]].at);
            for at in taken {
                outputs[at].matched = true;
            }
        }
    }
    // A step run with development packages installed for it alone (transient build
    // dependencies): the original's commands, intact and together, between an install and
    // its removal that belong to no original step.
    for (index, original) in original_steps.iter().enumerate() {
        if found[index].is_some() || !original.1.starts_with("RUN") {
            continue;
        }
        // Or run as its non-root user from root, in the same RUN.
        let wraps = |output: &str| {
            super::transient_shape::wraps(output, &original.1)
                || as_user[index]
                    .as_ref()
                    .is_some_and(|as_user| super::transient_shape::wraps(output, as_user))
        };
        let wrapped = outputs
            .iter_mut()
            .find(|step| !step.matched && wraps(&step.strict));
        if let Some(step) = wrapped {
            found[index] = Some(step.at);
            step.matched = true;
        }
    }
    if let Some(step) = outputs.iter().find(|s| !s.matched && !s.install_only) {
        let twice = original_steps.iter().position(|s| s.2 == step.loose);
        return Err(match twice {
            Some(index) => format!(
                "the step of line {} appears twice",
                stage.instructions[original_steps[index].0].line
            ),
            None => format!(
                "a step of the split (line {}) is not in the original",
                output_model.stages[step.at.0].instructions[step.at.1].line
            ),
        });
    }
    Ok(found)
}

/// Orders of consecutive output instructions are this far apart, so that the build stage's
/// steps fit just before the instruction that copies their outputs.
const ORDER_SLOT: usize = 1000;

/// Whether the output instruction at `at` is a `COPY --from=NAME`.
fn copies_from(output: &Dockerfile, model: &Model, at: &Placement, name: &str) -> bool {
    instruction_of(output, &model.stages[at.0], at.1).is_some_and(|instruction| {
        instruction.kind == Keyword::Copy
            && instruction.flags.iter().any(|flag| {
                flag.text
                    .strip_prefix("--from=")
                    .is_some_and(|from| from.trim_matches('"').eq_ignore_ascii_case(name))
            })
    })
}

/// The strict signature of the output step at `at`.
fn step_signature(output: &Dockerfile, model: &Model, at: Placement) -> Option<String> {
    let out = &model.stages[at.0];
    let instruction = instruction_of(output, out, at.1)?;
    Some(signature(
        output,
        instruction,
        &out.instructions[at.1],
        true,
    ))
}

/// The original steps that run in the build stage (placed just before production copies
/// their outputs); every other step of that stage replays a step of the chain or of `dev`.
fn match_build_steps(
    output: &Dockerfile,
    model: &Model,
    (build, arrive): (usize, usize),
    placed: &[Placement],
    original_steps: &[(usize, String, String)],
    found: &mut [Option<Placement>],
) -> Result<(), Failure> {
    let elsewhere: Vec<String> = placed
        .iter()
        .filter_map(|&at| step_signature(output, model, at))
        .collect();
    let out = &model.stages[build];
    for position in 0..out.instructions.len().min(ORDER_SLOT - 1) {
        let Some(instruction) = instruction_of(output, out, position) else {
            continue;
        };
        if !matches!(
            instruction.kind,
            Keyword::Run | Keyword::Copy | Keyword::Add
        ) {
            continue;
        }
        let strict = signature(output, instruction, &out.instructions[position], true);
        let loose = signature(output, instruction, &out.instructions[position], false);
        // The loose signature: a RUN whose development installs were cut out of it.
        let original = (0..original_steps.len())
            .find(|&i| found[i].is_none() && original_steps[i].1 == strict)
            .or_else(|| {
                (0..original_steps.len())
                    .find(|&i| found[i].is_none() && original_steps[i].2 == loose)
            });
        if let Some(index) = original {
            found[index] = Some((build, position, arrive - ORDER_SLOT + 1 + position));
            continue;
        }
        if !elsewhere.contains(&strict) && !is_install_only(&out.instructions[position]) {
            return Err(format!(
                "a step of the build stage (line {}) is not in the original",
                out.instructions[position].line
            ));
        }
    }
    Ok(())
}

/// The strict signature the original RUN at `position` of stage `stage` has when it runs as
/// its non-root USER from a root RUN (`transient_shape::as_user`): read from the original
/// with that RUN's script handed to the user's shell, so that its variables and packages
/// read as in the original. `None`: the RUN runs as root, or cannot run that way.
fn as_user_signature(
    (original, original_model): (&Dockerfile, &Model),
    stage: usize,
    position: usize,
    catalog: &Catalog,
) -> Option<String> {
    let model = original_model
        .stages
        .get(stage)?
        .instructions
        .get(position)?;
    let instruction = instruction_of(original, &original_model.stages[stage], position)?;
    let Arguments::Shell(script) = &instruction.arguments else {
        return None;
    };
    if instruction.kind != Keyword::Run || !instruction.heredocs.is_empty() {
        return None;
    }
    let user = model.context.user.as_deref()?;
    let variables = original_model.stages[stage].variables_at(position);
    let expanded = expand(user, &variables);
    if is_root_user(&expanded) {
        return None;
    }
    let written = super::transient_shape::as_user::written_user(
        original,
        &original_model.stages[stage],
        position,
    )?;
    let command = super::transient_shape::as_user::command(
        &written,
        &expanded,
        !variables.contains_key("HOME"),
        &model.context.shell,
        script.text.trim(),
    )
    .ok()?;
    let flags: Vec<&str> = instruction.flags.iter().map(|f| f.text.as_str()).collect();
    let keyword = match flags.is_empty() {
        true => "RUN".to_string(),
        false => format!("RUN {}", flags.join(" ")),
    };
    let span = instruction.span;
    let source = &original.source;
    let newline = if source[..span.end].ends_with('\n') {
        "\n"
    } else {
        ""
    };
    let text = format!(
        "{}{keyword} {command}{newline}{}",
        &source[..span.start],
        &source[span.end..]
    );
    let dockerfile = syntax::parse(&text);
    let rebuilt = model::build_with(&dockerfile, &model::Options::default(), catalog);
    let rebuilt_stage = rebuilt.stages.get(stage)?;
    let rebuilt_instruction = instruction_of(&dockerfile, rebuilt_stage, position)?;
    (rebuilt_instruction.kind == Keyword::Run).then(|| {
        signature(
            &dockerfile,
            rebuilt_instruction,
            &rebuilt_stage.instructions[position],
            true,
        )
    })
}

/// The original's RUN/COPY/ADD steps: (position, strict signature, loose signature).
fn steps(dockerfile: &Dockerfile, stage: &Stage) -> Vec<(usize, String, String)> {
    (0..stage.instructions.len())
        .filter_map(|position| {
            let instruction = instruction_of(dockerfile, stage, position)?;
            matches!(
                instruction.kind,
                Keyword::Run | Keyword::Copy | Keyword::Add
            )
            .then(|| {
                let model = &stage.instructions[position];
                (
                    position,
                    signature(dockerfile, instruction, model, true),
                    signature(dockerfile, instruction, model, false),
                )
            })
        })
        .collect()
}

/// What identifies a step whatever its layout: the keyword, flags and, for a RUN, its commands
/// without the OS package words (which may move to another layer). The loose signature also
/// leaves out the OS install commands themselves (a RUN can lose one whose packages all moved).
fn signature(
    dockerfile: &Dockerfile,
    instruction: &Instruction,
    model: &model::InstructionModel,
    strict: bool,
) -> String {
    let flags: Vec<&str> = instruction.flags.iter().map(|f| f.text.as_str()).collect();
    let mut signature = format!(
        "{} {}",
        instruction.keyword.text.to_uppercase(),
        flags.join(" ")
    );
    if instruction.kind == Keyword::Run && model.script_error.is_none() && !model.script.is_empty()
    {
        // OS packages may move to any layer, language packages (pip, npm, ...) to dev only:
        // their words, and installs made of them alone, may leave the step.
        let may_move = |p: &model::Package| {
            p.action == Action::Install
                && (os_ecosystem(p.manager).is_some()
                    || (p.layer == Layer::Dev && package_ecosystem(p.manager).is_some()))
        };
        let package_words: Vec<_> = model
            .packages
            .iter()
            .filter(|p| may_move(p))
            .map(|p| p.span)
            .collect();
        let installs: Vec<usize> = model
            .invocations
            .iter()
            .enumerate()
            .filter(|(index, i)| {
                i.action == Action::Install
                    && (os_ecosystem(i.manager).is_some() || {
                        let mut of_install =
                            model.packages.iter().filter(|p| p.invocation == *index);
                        of_install.clone().next().is_some() && of_install.all(may_move)
                    })
            })
            .map(|(_, i)| i.command)
            .collect();
        for (index, command) in model.script.iter().enumerate() {
            // Package installs may move whole to another layer: the package counts account
            // for them.
            if installs.contains(&index) && !strict {
                continue;
            }
            let is_mkdir = command.program() == Some("mkdir");
            if is_mkdir && ssh_directories(command).len() == operand_count(command) {
                continue;
            }
            signature.push('|');
            // The words it runs through (`sudo -u app`, `setpriv --reuid=…`) run it as
            // another user or with other variables.
            for word in &command.wrappers {
                signature.push_str(&in_signature(&word.raw));
                signature.push(' ');
            }
            signature.push_str(&in_signature(&command.name.raw));
            for word in &command.args {
                let moved_directory =
                    is_mkdir && is_ssh_path(&word.raw) && !word.raw.starts_with('-');
                if !package_words.contains(&word.span) && !moved_directory {
                    signature.push(' ');
                    signature.push_str(&in_signature(&word.raw));
                }
            }
        }
        for heredoc in &instruction.heredocs {
            signature.push_str(&heredoc.content);
        }
    } else {
        let text = instruction.span.text(&dockerfile.source);
        let words: Vec<&str> = text
            .split_whitespace()
            .filter(|w| *w != "\\" && !w.starts_with('#'))
            .collect();
        signature.push_str(&words.join(" "));
    }
    signature
}

/// A word as a signature holds it: a `|` inside it (`sed 's|a|b|'`, a pipe in a
/// substitution) would read as the end of its command.
fn in_signature(word: &str) -> std::borrow::Cow<'_, str> {
    if word.contains('|') {
        word.replace('|', "\u{a6}").into()
    } else {
        word.into()
    }
}

/// A RUN signature's flags and its commands.
fn split_signature(signature: &str) -> (&str, Vec<&str>) {
    let mut parts = signature.split('|');
    let prefix = parts.next().unwrap_or("");
    (prefix, parts.collect())
}

fn ssh_directories(command: &crate::shell::Command) -> Vec<String> {
    command
        .args
        .iter()
        .filter(|w| !w.raw.starts_with('-') && is_ssh_path(&w.raw))
        .map(|w| w.raw.to_string())
        .collect()
}

fn operand_count(command: &crate::shell::Command) -> usize {
    command
        .args
        .iter()
        .filter(|w| !w.raw.starts_with('-'))
        .count()
}

/// sshd directories created by the stages, each with its count.
/// Whether the stages install an SSH server.
fn installs_sshd(stages: &[&Stage]) -> bool {
    stages.iter().any(|stage| {
        stage.instructions.iter().any(|model| {
            model.kept_packages().any(|package| {
                package.action == model::Action::Install
                    && (package.name.starts_with("openssh-server") || package.name == "dropbear")
            })
        })
    })
}

fn ssh_directories_made(stages: &[&Stage]) -> BTreeMap<String, usize> {
    let mut made = BTreeMap::new();
    for stage in stages {
        for model in &stage.instructions {
            for command in &model.script {
                if command.program() == Some("mkdir") {
                    for path in ssh_directories(command) {
                        *made.entry(path).or_insert(0) += 1;
                    }
                }
            }
        }
    }
    made
}

/// A RUN that only refreshes, installs and cleans up OS packages, or creates sshd
/// directories: what the split writes for what it takes out of a mixed RUN.
fn is_install_only(model: &model::InstructionModel) -> bool {
    let creates_ssh_directories = !model.script.is_empty()
        && model.script.iter().all(|command| {
            command.program() == Some("mkdir")
                && ssh_directories(command).len() == operand_count(command)
        });
    if creates_ssh_directories {
        return true;
    }
    model.keyword == "RUN"
        && !model.invocations.is_empty()
        && model.script.iter().enumerate().all(|(index, command)| {
            model.invocations.iter().any(|i| i.command == index) || command.program() == Some("rm")
        })
        && model
            .invocations
            .iter()
            .all(|i| package_ecosystem(i.manager).is_some())
}

/// The OS packages each RUN installs and keeps (one installed and removed again in the same
/// RUN leaves nothing behind, as in a step given transient build dependencies).
fn installed(stage: &Stage) -> BTreeMap<(String, String), usize> {
    installed_by(stage, os_ecosystem)
}

/// The packages of `ecosystem_of`'s ecosystems each RUN installs and keeps, by ecosystem and
/// name.
fn installed_by(
    stage: &Stage,
    ecosystem_of: fn(&str) -> Option<model::Ecosystem>,
) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for model in &stage.instructions {
        for package in model.kept_packages() {
            let Some(ecosystem) = ecosystem_of(package.manager) else {
                continue;
            };
            if package.action == Action::Install {
                *counts
                    .entry((ecosystem.as_str().to_string(), package.name.clone()))
                    .or_insert(0) += 1;
            }
        }
    }
    counts
}

/// Language packages (pip, npm, gem, ...): each is still installed, in production, dev or the
/// build stage (a build step's own installs stay with it there), and production and dev
/// together install none more often than the original.
fn check_language_packages(
    stage: &Stage,
    output: &Model,
    chain: &[usize],
    dev: Option<usize>,
    build: Option<usize>,
) -> Result<(), Failure> {
    let language = |manager: &str| package_ecosystem(manager).filter(|e| !is_os_ecosystem(*e));
    let shipped_stages = chain.iter().chain(dev.iter()).copied();
    compare_counts(
        &installed_by(stage, language),
        &installed_in(output, shipped_stages.clone().chain(build), language),
        &installed_in(output, shipped_stages, language),
    )
}

/// The packages of `ecosystem_of`'s ecosystems the output stages `stages` install, summed.
fn installed_in(
    output: &Model,
    stages: impl Iterator<Item = usize>,
    ecosystem_of: fn(&str) -> Option<model::Ecosystem>,
) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for index in stages {
        for (key, count) in installed_by(&output.stages[index], ecosystem_of) {
            *counts.entry(key).or_insert(0) += count;
        }
    }
    counts
}

/// Every package of `before` is installed at least as often in `at_least`, and none more
/// often in `at_most` than in `before`.
fn compare_counts(
    before: &BTreeMap<(String, String), usize>,
    at_least: &BTreeMap<(String, String), usize>,
    at_most: &BTreeMap<(String, String), usize>,
) -> Result<(), Failure> {
    for (key, count) in before {
        if at_least.get(key).copied().unwrap_or(0) < *count {
            return Err(format!("package `{}` is no longer installed", key.1));
        }
    }
    for (key, count) in at_most {
        if before.get(key).copied().unwrap_or(0) < *count {
            return Err(format!(
                "package `{}` is installed more often than before",
                key.1
            ));
        }
    }
    Ok(())
}

fn check_packages(
    stage: &Stage,
    output: &Model,
    chain: &[usize],
    dev: Option<usize>,
) -> Result<(), Failure> {
    let after = installed_in(
        output,
        chain.iter().chain(dev.iter()).copied(),
        os_ecosystem,
    );
    compare_counts(&installed(stage), &after, &after)?;
    for &index in chain {
        for model in &output.stages[index].instructions {
            if let Some(package) = model.kept_packages().find(|p| {
                p.layer == Layer::Dev
                    && os_ecosystem(p.manager).is_some()
                    && !p.tags.iter().any(|t| t == "kernel")
            }) {
                return Err(format!(
                    "development package `{}` (line {}) is still installed in production",
                    package.name, package.line
                ));
            }
        }
    }
    Ok(())
}

/// The build stage installs no headers of a library production may lack (catalog tag
/// `headers` without `system-headers`: libsqlite3-dev, not libc6-dev): what it builds could
/// link against that library, which came with the headers and which production, copying only
/// the outputs, would not have. Such a build runs in production with transient build
/// dependencies instead (see `plan::transient`).
fn check_build_links_known_libraries(build: &Stage, name: &str) -> Result<(), Failure> {
    let has_tag = |package: &model::Package, tag: &str| package.tags.iter().any(|t| t == tag);
    for model in &build.instructions {
        if let Some(package) = model.kept_packages().find(|package| {
            os_ecosystem(package.manager).is_some()
                && has_tag(package, tag::HEADERS)
                && !has_tag(package, tag::SYSTEM_HEADERS)
        }) {
            return Err(format!(
                "the `{name}` stage installs `{}` (line {}), headers of a library production may lack: what it builds could link against it",
                package.name, package.line
            ));
        }
    }
    Ok(())
}

fn check_context(
    original: &Dockerfile,
    stage: &Stage,
    output: &Model,
    (steps, switched): (&[(usize, String, String)], &[bool]),
    found: &[Option<Placement>],
    defaults: Defaults,
) -> Result<(), Failure> {
    for (((position, _, _), found), &switched) in steps.iter().zip(found).zip(switched) {
        let Some((out_stage, out_position, _)) = found else {
            continue;
        };
        let before = &stage.instructions[*position];
        let out = &output.stages[*out_stage];
        let after = &out.instructions[*out_position];
        let mut wanted = defaults.normalize(&before.context);
        let mut got = defaults.normalize(&after.context);
        // Run as its user from root: the RUN itself must run as root.
        if switched {
            if !got.user.as_deref().is_some_and(is_root_user) {
                return Err(format!(
                    "the step of line {} switches to its user without running as root",
                    before.line
                ));
            }
            got.user.clone_from(&wanted.user);
        }
        let independent = instruction_of(original, stage, *position).is_some_and(|instruction| {
            !depends_on_workdir(instruction, before, &stage.variables_at(*position))
        });
        if independent {
            wanted.workdir = None;
            got.workdir = None;
        }
        if wanted != got {
            return Err(format!(
                "the step of line {} runs with another WORKDIR, USER or SHELL",
                before.line
            ));
        }
        let env_before = stage.env_at(*position);
        let env_after = out.env_at(*out_position);
        let args_before = stage.args_at(*position);
        let args_after = out.args_at(*out_position);
        // Which programs a RUN finds depends on PATH; a COPY's does not.
        let mut names = if before.keyword == "RUN" {
            vec!["PATH".to_string()]
        } else {
            Vec::new()
        };
        names.extend(referenced_variables(before.span.text(&original.source)));
        for name in names {
            let seen_before = env_before.get(&name).or_else(|| args_before.get(&name));
            let seen_after = env_after.get(&name).or_else(|| args_after.get(&name));
            if seen_before != seen_after {
                return Err(format!(
                    "the step of line {} reads `{name}` as {:?} instead of {:?}",
                    before.line, seen_after, seen_before
                ));
            }
        }
    }
    Ok(())
}

fn check_order(
    (original, stage): (&Dockerfile, &Stage),
    output: &Dockerfile,
    output_model: &Model,
    (steps, as_user): (&[OriginalStep], &[Option<String>]),
    found: &[Option<Placement>],
    (catalog, build): (&Catalog, Option<usize>),
) -> Result<(), Failure> {
    let footprint = |i: usize| -> Option<Footprint> {
        let (out_stage, out_position, _) = found[i]?;
        let out = &output_model.stages[out_stage];
        let instruction = instruction_of(output, out, out_position)?;
        let model = &out.instructions[out_position];
        let wrapped = step_signature(output, output_model, (out_stage, out_position, 0))
            .is_some_and(|signature| {
                signature != steps[i].1 && !super::transient_shape::unwrapped(&signature).is_empty()
            });
        if !wrapped {
            return Some(Footprint::of(
                instruction,
                model,
                catalog,
                &[],
                &out.variables_at(out_position),
            ));
        }
        // A step given transient build dependencies: the packages it purges at its end and
        // the package lists it fetches only when they are missing (and removes again) do not
        // outlive it, so no other step can depend on them, nor they on another step.
        let purged: Vec<&str> = model
            .packages
            .iter()
            .filter(|p| p.action == Action::Remove)
            .map(|p| p.name.as_str())
            .collect();
        let transient: Vec<usize> = (0..model.packages.len())
            .filter(|&index| {
                let package = &model.packages[index];
                package.action == Action::Install && purged.contains(&package.name.as_str())
            })
            .collect();
        let original_position = steps[i].0;
        let original_instruction = instruction_of(original, stage, original_position)?;
        let original_footprint = Footprint::of(
            original_instruction,
            &stage.instructions[original_position],
            catalog,
            &[],
            &stage.variables_at(original_position),
        );
        let mut footprint = Footprint::of(
            instruction,
            model,
            catalog,
            &transient,
            &out.variables_at(out_position),
        );
        footprint.refreshes_index = original_footprint.refreshes_index;
        Some(footprint)
    };
    // A step of the build stage runs after what that stage replays before it.
    let replayed_before = |earlier: Placement, later: Placement| {
        if Some(later.0) != build {
            return false;
        }
        let Some(wanted) = step_signature(output, output_model, earlier) else {
            return false;
        };
        (0..later.1).any(|position| {
            step_signature(output, output_model, (later.0, position, 0)).as_ref() == Some(&wanted)
        })
    };
    // A step given transient build dependencies installs for itself what an install-only
    // step before it installed (and dev installs again): it no longer needs that step.
    let installs_for_itself = |earlier: Placement, later: Placement, index: usize| {
        let wrapped = step_signature(output, output_model, later).is_some_and(|signature| {
            super::transient_shape::wraps(&signature, &steps[index].1)
                || as_user[index]
                    .as_ref()
                    .is_some_and(|as_user| super::transient_shape::wraps(&signature, as_user))
        });
        let earlier_model = &output_model.stages[earlier.0].instructions[earlier.1];
        let later_model = &output_model.stages[later.0].instructions[later.1];
        let installs = |model: &model::InstructionModel| -> Vec<String> {
            model
                .packages
                .iter()
                .filter(|p| p.action == Action::Install && os_ecosystem(p.manager).is_some())
                .map(|p| p.name.clone())
                .collect()
        };
        let own = installs(later_model);
        wrapped
            && is_install_only(earlier_model)
            && installs(earlier_model)
                .iter()
                .all(|name| own.contains(name))
    };
    for later in 0..steps.len() {
        for earlier in 0..later {
            let (Some(a), Some(b)) = (found[earlier], found[later]) else {
                continue;
            };
            if a.2 < b.2 || replayed_before(a, b) || installs_for_itself(a, b, later) {
                continue;
            }
            let (Some(fa), Some(fb)) = (footprint(earlier), footprint(later)) else {
                continue;
            };
            if let Some(why) = dependency(&fa, &fb) {
                return Err(format!(
                    "the step of line {} now runs before line {}, which it depends on ({why})",
                    stage.instructions[steps[later].0].line,
                    stage.instructions[steps[earlier].0].line
                ));
            }
        }
    }
    Ok(())
}

/// What the base image is known to start with when the Dockerfile sets no WORKDIR or USER: a
/// catalog-known image runs as root, in the working directory the catalog gives. `USER root`
/// and `WORKDIR <that directory>` are then the same as setting nothing.
#[derive(Clone, Copy, Debug)]
struct Defaults<'a> {
    user_is_root: bool,
    base_workdir: Option<&'a str>,
}

impl Defaults<'_> {
    fn normalize(&self, context: &crate::model::Context) -> crate::model::Context {
        let mut context = context.clone();
        if self.user_is_root && context.user.is_none() {
            context.user = Some("root".into());
        }
        if context.workdir.is_none() {
            context.workdir = self.base_workdir.map(Into::into);
        }
        context
    }
}

/// What an image is configured with, as far as the Dockerfile sets it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Config {
    env: BTreeMap<String, String>,
    labels: BTreeMap<String, String>,
    user: Option<String>,
    workdir: Option<String>,
    shell: Vec<String>,
    exposed: Vec<String>,
    volumes: Vec<String>,
    cmd: Option<String>,
    entrypoint: Option<String>,
    healthcheck: Option<String>,
    stopsignal: Option<String>,
    onbuild: Vec<String>,
}

fn config(dockerfile: &Dockerfile, chain: &[&Stage], defaults: Defaults) -> Config {
    let mut config = Config::default();
    let Some(last) = chain.last() else {
        return config;
    };
    config.env = last.env_at(last.instructions.len());
    let context = defaults.normalize(&last.final_context);
    config.user = context.user;
    config.workdir = context.workdir;
    config.shell = last.final_context.shell.clone();
    for stage in chain {
        let mut cmd_set = false;
        for position in 0..stage.instructions.len() {
            let Some(instruction) = instruction_of(dockerfile, stage, position) else {
                continue;
            };
            let arguments = arguments_text(dockerfile, instruction);
            match instruction.kind {
                Keyword::Label => {
                    if let Arguments::KeyValues(pairs) = &instruction.arguments {
                        for pair in pairs {
                            config
                                .labels
                                .insert(pair.key.text.clone(), pair.value.text.clone());
                        }
                    }
                }
                Keyword::Maintainer => {
                    config.labels.insert("(maintainer)".into(), arguments);
                }
                Keyword::Expose => {
                    if let Arguments::Words(ports) = &instruction.arguments {
                        config.exposed.extend(ports.iter().map(|p| p.text.clone()));
                    }
                }
                Keyword::Volume => config.volumes.push(arguments),
                Keyword::Cmd => {
                    config.cmd = Some(arguments);
                    cmd_set = true;
                }
                Keyword::Entrypoint => {
                    config.entrypoint = Some(arguments);
                    if !cmd_set {
                        config.cmd = None;
                    }
                }
                Keyword::Healthcheck => config.healthcheck = Some(arguments),
                Keyword::Stopsignal => config.stopsignal = Some(arguments),
                Keyword::Onbuild => config.onbuild.push(arguments),
                _ => {}
            }
        }
    }
    config.exposed.sort();
    config.exposed.dedup();
    config.volumes.sort();
    config
}

/// The original's configuration with the sshd service starts taken out of its start command.
fn config_without_sshd_start(original: &Dockerfile, stage: &Stage, defaults: Defaults) -> Config {
    let mut config = config(original, &[stage], defaults);
    for (position, model) in stage.instructions.iter().enumerate() {
        let spans = sshd_start_spans(&original.source, model);
        let is_last_of_its_kind = !stage.instructions[position + 1..]
            .iter()
            .any(|later| later.keyword == model.keyword);
        if spans.is_empty() || model.script.len() <= spans.len() || !is_last_of_its_kind {
            continue;
        }
        let Some(instruction) = instruction_of(original, stage, position) else {
            continue;
        };
        let text = remove_words(&original.source, instruction.span, &spans);
        let after_keyword = &text[instruction.keyword.span.end - instruction.span.start..];
        let arguments = words_joined(after_keyword);
        match instruction.kind {
            Keyword::Cmd if config.cmd.is_some() => config.cmd = Some(arguments),
            Keyword::Entrypoint => config.entrypoint = Some(arguments),
            _ => {}
        }
    }
    config
}

fn words_joined(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| *w != "\\")
        .collect::<Vec<_>>()
        .join(" ")
}

fn arguments_text(dockerfile: &Dockerfile, instruction: &Instruction) -> String {
    let text = instruction.span.text(&dockerfile.source);
    let after_keyword = &text[instruction.keyword.span.end - instruction.span.start..];
    words_joined(after_keyword)
}

fn describe_difference(expected: &Config, got: &Config) -> String {
    let expected = format!("{expected:?}");
    let got = format!("{got:?}");
    let common = expected
        .char_indices()
        .zip(got.chars())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map_or(0, |((at, c), _)| at + c.len_utf8());
    let from = expected[..common].rfind(", ").map_or(0, |i| i + 2);
    let show = |s: &str| s[from..].chars().take(120).collect::<String>();
    format!("expected {} …, got {} …", show(&expected), show(&got))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The original of a step run as its user, its split, and the verdict on `tampered`
    /// (the split with one text replaced).
    fn check_as_user(tampered: impl Fn(&str) -> String) -> Result<(), Failure> {
        let original_text = "FROM debian:12\n\
            RUN apt-get update && apt-get install -y vim\n\
            RUN useradd -m app && useradd -m bob\n\
            USER app\n\
            RUN vim -c wq /tmp/x && ./install.sh\n";
        let catalog = Catalog::builtin();
        let split = match crate::stack::split(
            original_text,
            "x",
            &crate::stack::SplitOptions::default(),
            catalog,
        ) {
            Ok(crate::stack::Outcome::Split(split)) => split.stages,
            _ => panic!("not split"),
        };
        assert!(split.contains("setpriv"), "{split}");
        let original = syntax::parse(original_text);
        let model = model::build_with(&original, &model::Options::default(), catalog);
        verify(
            &original,
            &model,
            &tampered(&split),
            catalog,
            Some("dev"),
            None,
        )
    }

    #[test]
    fn a_step_run_as_its_user_must_be_that_user_and_that_script() {
        assert_eq!(check_as_user(str::to_string), Ok(()));
        let rejected = [
            ("-u \"app\"", "-u \"bob\""),
            ("-g \"app\"", "-g \"bob\""),
            ("passwd \"app\"", "passwd \"bob\""),
            ("--init-groups", "--clear-groups"),
            (" env HOME=\"$(getent passwd \"app\" | cut -d: -f6)\"", ""),
            ("/bin/sh -c", "/bin/bash -c"),
            (
                "'vim -c wq /tmp/x && ./install.sh'",
                "'vim -c wq /tmp/y && ./install.sh'",
            ),
            ("'vim -c wq /tmp/x && ./install.sh'", "'vim -c wq /tmp/x'"),
            ("USER root\nRUN", "RUN"),
        ];
        for (from, to) in rejected {
            let tampered = |split: &str| {
                assert!(split.contains(from), "{from} not in {split}");
                split.replacen(from, to, 1)
            };
            assert!(check_as_user(tampered).is_err(), "{from} → {to} accepted");
        }
    }

    const ORIGINAL: &str = "FROM ubuntu:22.04\n\
        RUN apt-get update && apt-get install -y nginx vim\n\
        COPY site /var/www/html\n\
        RUN chown -R www-data /var/www/html\n\
        EXPOSE 22 80\n\
        CMD [\"nginx\", \"-g\", \"daemon off;\"]\n";

    const GOOD: &str = "FROM ubuntu:22.04 AS os\n\
        FROM os AS runtime\n\
        RUN apt-get update && apt-get install -y nginx\n\
        FROM runtime AS app\n\
        COPY site /var/www/html\n\
        RUN chown -R www-data /var/www/html\n\
        EXPOSE 80\n\
        CMD [\"nginx\", \"-g\", \"daemon off;\"]\n\
        FROM app AS dev\n\
        RUN apt-get update && apt-get install -y --no-install-recommends vim && rm -rf /var/lib/apt/lists/*\n\
        EXPOSE 22\n\
        FROM app AS prod\n";

    fn check(split: &str) -> Result<(), Failure> {
        let original = syntax::parse(ORIGINAL);
        let catalog = Catalog::builtin();
        let model = model::build_with(&original, &model::Options::default(), catalog);
        verify(&original, &model, split, catalog, Some("dev"), None)
    }

    #[test]
    fn accepts_a_faithful_split() {
        assert_eq!(check(GOOD), Ok(()));
    }

    #[test]
    fn rejects_a_lost_step() {
        let lost = GOOD.replace("RUN chown -R www-data /var/www/html\n", "");
        assert!(check(&lost).unwrap_err().contains("missing"));
    }

    #[test]
    fn rejects_a_lost_package() {
        let lost = GOOD.replace(" vim &&", " &&");
        assert!(check(&lost).unwrap_err().contains("`vim`"));
    }

    #[test]
    fn rejects_a_development_package_left_in_production() {
        let kept = GOOD
            .replace("install -y nginx\n", "install -y nginx vim\n")
            .replace(
                "--no-install-recommends vim &&",
                "--no-install-recommends &&",
            );
        assert!(check(&kept).is_err());
    }

    #[test]
    fn rejects_a_changed_configuration() {
        let changed = GOOD.replace("EXPOSE 80\n", "EXPOSE 8080\n");
        assert!(check(&changed).unwrap_err().contains("configuration"));
    }

    #[test]
    fn rejects_a_step_moved_ahead_of_what_it_depends_on() {
        let reordered = GOOD.replace(
            "COPY site /var/www/html\nRUN chown -R www-data /var/www/html\n",
            "RUN chown -R www-data /var/www/html\nCOPY site /var/www/html\n",
        );
        assert!(check(&reordered).unwrap_err().contains("depends on"));
    }

    #[test]
    fn rejects_a_changed_context() {
        // Another user (a chown of absolute paths runs the same in any WORKDIR).
        let moved = GOOD.replace(
            "RUN chown -R www-data /var/www/html\n",
            "USER nobody\nRUN chown -R www-data /var/www/html\nUSER root\n",
        );
        assert!(check(&moved).unwrap_err().contains("USER"));
        let moved = GOOD.replace(
            "RUN chown -R www-data /var/www/html\n",
            "WORKDIR /tmp\nRUN chown -R www-data /var/www/html\nWORKDIR /\n",
        );
        assert_eq!(check(&moved), Ok(()));
    }

    /// A build against the headers of `{headers}`, installed by a development RUN of their
    /// own, and its split with the build in a build stage (production copying its output).
    fn build_against(headers: &str) -> (String, String) {
        let original = format!(
            "FROM debian:12\n\
             RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*\n\
             RUN apt-get update && apt-get install -y {headers} && rm -rf /var/lib/apt/lists/*\n\
             COPY hello.c /src/hello.c\n\
             RUN gcc -o /usr/local/bin/hello /src/hello.c -lsqlite3\n"
        );
        let split = format!(
            "FROM debian:12 AS os\n\
             FROM os AS build\n\
             COPY hello.c /src/hello.c\n\
             RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*\n\
             RUN apt-get update && apt-get install -y {headers} && rm -rf /var/lib/apt/lists/*\n\
             RUN gcc -o /usr/local/bin/hello /src/hello.c -lsqlite3\n\
             FROM os AS app\n\
             COPY hello.c /src/hello.c\n\
             COPY --from=build /usr/local/bin/hello /usr/local/bin/hello\n\
             FROM app AS dev\n\
             RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*\n\
             RUN apt-get update && apt-get install -y {headers} && rm -rf /var/lib/apt/lists/*\n\
             FROM app AS prod\n"
        );
        (original, split)
    }

    fn check_build((original, split): (String, String)) -> Result<(), Failure> {
        let original = syntax::parse(&original);
        let catalog = Catalog::builtin();
        let model = model::build_with(&original, &model::Options::default(), catalog);
        verify(
            &original,
            &model,
            &split,
            catalog,
            Some("dev"),
            Some("build"),
        )
    }

    #[test]
    fn accepts_a_build_stage_with_system_headers() {
        assert_eq!(check_build(build_against("libc6-dev")), Ok(()));
    }

    #[test]
    fn rejects_a_build_stage_with_headers_of_a_library_production_may_lack() {
        let failure = check_build(build_against("libsqlite3-dev")).unwrap_err();
        assert!(failure.contains("`libsqlite3-dev`"), "{failure}");
    }

    #[test]
    fn rejects_output_that_does_not_parse() {
        let failure = check("FROM os AS\nENV\n").unwrap_err();
        assert!(
            failure.contains("parse") || failure.contains("invalid"),
            "{failure}"
        );
    }
}
