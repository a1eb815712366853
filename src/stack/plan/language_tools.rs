//! Development tools a language package manager installs next to production packages
//! (`pip install numpy ipython`, `npm install -g grunt-cli`, `composer global require
//! laravel/installer`, `go get golang.org/x/tools/cmd/goimports`): their operands leave the
//! command for a dev-layer command of the same manager with the same options, as OS packages
//! do (see [`Planner::faithful_install`]). A command whose packages are all such tools leaves
//! whole.
//!
//! A tool stays where it is when moving it would change what the install does: a project
//! install whose operands are paths or requirement files (they are read from the working
//! directory), a local `npm install` (it writes the project's `node_modules`), an install after
//! the RUN has changed its environment (`cd`, `export`, `source ~/.nvm/nvm.sh`). A tool the
//! container starts (`CMD ["jupyter", "notebook"]`) is the product, not a development tool.
//! A RUN that uses the tool it installs (`npm install -g grunt-cli && grunt build`) is refused,
//! since production still needs the tool for it; later steps that need a moved tool follow it
//! to dev or into a build stage, like those of OS packages.

use crate::model::catalog::tag;
use crate::model::{Action, Layer, Package, os_ecosystem, package_ecosystem};
use crate::rules::heavy::dev_tools_in_production::DEV_TAGS;
use crate::rules::heavy::shared;
use crate::syntax::Span;

use super::super::build_stage;
use super::super::footprint::{self, Footprint, is_build_program, within};
use super::{Planner, Refusal, Role, computed_operands, conditional_commands};

/// Commands after which an install no longer runs as it would on its own: they change the
/// environment or the directory of the rest of the script (`source ~/.nvm/nvm.sh` puts `npm`
/// on the PATH).
const ENVIRONMENT_CHANGES: [&str; 13] = [
    "export", "source", ".", "eval", "nvm", "conda", "pyenv", "rbenv", "rvm", "workon", "activate",
    "sdk", "set",
];

/// Managers whose installs read the working directory (`go get` in a module edits its
/// `go.mod`): their moved installs run where the original did.
const READS_WORKING_DIRECTORY: [&str; 1] = ["go"];

/// Whether an install by `manager` (as the model names it) depends on its working directory.
pub(in crate::stack) fn install_reads_working_directory(manager: &str) -> bool {
    READS_WORKING_DIRECTORY.contains(&manager)
}

impl Planner<'_> {
    /// The language-package development tools the RUN at `position` installs that can leave
    /// it for `dev` (indexes into its packages), or why the RUN cannot be split when it uses
    /// one of them itself.
    pub(super) fn language_tools(&self, position: usize) -> Result<Vec<usize>, Refusal> {
        let model = &self.stage.instructions[position];
        if model.script_error.is_some() {
            return Ok(Vec::new());
        }
        let kept: Vec<Span> = model.kept_packages().map(|p| p.span).collect();
        let conditional = conditional_commands(&self.dockerfile.source, model);
        let candidates: Vec<usize> = model
            .packages
            .iter()
            .enumerate()
            .filter(|(_, package)| {
                installs_language_dev_package(package)
                    && kept.contains(&package.span)
                    && package.tags.iter().any(|t| DEV_TAGS.contains(&t.as_str()))
            })
            .map(|(index, _)| index)
            .filter(|&index| {
                let invocation = &model.invocations[model.packages[index].invocation];
                !conditional.get(invocation.command).copied().unwrap_or(true)
                    && self.moves_faithfully(position, invocation.command)
                    && !self.is_started(index, position)
            })
            .collect();
        if candidates.is_empty() {
            return Ok(candidates);
        }
        let rest = Footprint::of(
            self.instruction(position),
            model,
            self.catalog,
            &candidates,
            &self.stage.variables_at(position),
        );
        for &index in &candidates {
            let package = &model.packages[index];
            let alone = Footprint::of_install(&[package], self.catalog);
            if let Some(word) = alone.provides.intersection(&rest.names).next() {
                return Err(Refusal {
                    line: package.line,
                    reason: format!(
                        "the same RUN installs `{}` (a development tool) and uses it (`{word}`); production would still need it for that, so split this RUN by hand",
                        package.name
                    ),
                });
            }
            let command = model.invocations[package.invocation].command;
            if alone.installs_build_tools && self.builds_besides(position, command, package) {
                return Err(Refusal {
                    line: package.line,
                    reason: format!(
                        "the same RUN installs `{}` and builds after it, possibly with it: move the build into a build stage first",
                        package.name
                    ),
                });
            }
        }
        Ok(candidates)
    }

    /// Whether the RUN at `position` consists of the installs of `tools` alone (nothing would
    /// be left of it once they leave).
    pub(super) fn only_installs(&self, position: usize, tools: &[usize]) -> bool {
        let model = &self.stage.instructions[position];
        (0..model.script.len()).all(|command| {
            let of_command: Vec<usize> = model
                .packages
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    p.action == Action::Install
                        && model.invocations[p.invocation].command == command
                })
                .map(|(index, _)| index)
                .collect();
            !of_command.is_empty()
                && of_command.iter().all(|index| tools.contains(index))
                && computed_operands(
                    &model.script[command],
                    model.packages[of_command[0]].manager,
                )
                .is_empty()
        })
    }

    /// The dev-layer installs of `tools`, one per package manager, each written as the
    /// original command with the other operands taken out.
    pub(super) fn push_tool_installs(&mut self, position: usize, tools: &[usize]) {
        let model = &self.stage.instructions[position];
        let mut managers: Vec<&str> = tools
            .iter()
            .map(|&index| model.packages[index].manager)
            .collect();
        managers.dedup();
        let groups: Vec<Vec<usize>> = managers
            .iter()
            .map(|manager| {
                tools
                    .iter()
                    .copied()
                    .filter(|&index| model.packages[index].manager == *manager)
                    .collect()
            })
            .collect();
        for group in groups {
            self.push_install(position, Layer::Dev, &group);
        }
    }

    /// Every build step that needs a moved language tool must not ship it: production copies
    /// what the step writes from the build stage, and the tool must not be among it (`pip
    /// install Cython` and a later `pip install` of a package built with it both write
    /// `/usr/local`).
    pub(super) fn check_builds_leave_tools_out(&self) -> Result<(), Refusal> {
        for build in &self.builds {
            for &need in &build.needs {
                let piece = &self.pieces[need];
                let model = &self.stage.instructions[piece.origin];
                for tool in self.language_tools_of(need) {
                    let refuse = |what: String| Refusal {
                        line: self.pieces[build.piece].line,
                        reason: format!(
                            "this step needs `{}`, which line {} installs for development only; a build stage would run it there, but {what}",
                            tool.name, piece.line
                        ),
                    };
                    let command = &model.script[model.invocations[tool.invocation].command];
                    let variables = self.stage.variables_at(piece.origin);
                    let context = build_stage::StepContext {
                        workdir: model.context.workdir.as_deref(),
                        variables: &variables,
                        family: self.stage.image.as_ref().map(|image| image.package_family),
                    };
                    let written = build_stage::outputs(std::slice::from_ref(command), &context)
                        .map_err(|why| {
                            refuse(format!(
                                "where the tool is installed cannot be known: {why}"
                            ))
                        })?;
                    let shipped = written.iter().find_map(|tool_path| {
                        build
                            .outputs
                            .iter()
                            .find(|output| within(output, tool_path) || within(tool_path, output))
                    });
                    if let Some(output) = shipped {
                        return Err(refuse(format!(
                            "production would copy the tool with what the step writes (`{output}`)"
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// The language-package development tools development piece `piece` installs (a moved
    /// install, or a whole RUN of development installs).
    pub(super) fn language_tools_of(&self, piece: usize) -> Vec<&Package> {
        let piece = &self.pieces[piece];
        if piece.layer != Layer::Dev || !matches!(piece.role, Role::Install | Role::Step) {
            return Vec::new();
        }
        self.stage.instructions[piece.origin]
            .kept_packages()
            .filter(|p| {
                installs_language_dev_package(p)
                    && (piece.role == Role::Step || piece.packages.contains(&p.name))
            })
            .collect()
    }

    /// Step `later` needs development piece `earlier` and cannot run in a build stage: the
    /// need is installed for that step alone in production (see `transient`), which only OS
    /// packages can be; a language tool leaves `refusal`.
    pub(super) fn without_build_stage(
        &mut self,
        later: usize,
        earlier: usize,
        refusal: Refusal,
    ) -> Result<(), Refusal> {
        if !self.language_tools_of(earlier).is_empty() {
            return Err(refusal);
        }
        self.transient_instead(later, earlier, refusal)
    }

    /// Whether moving the install command `command` of the RUN at `position` to a RUN of its
    /// own leaves what it does unchanged: every operand is a package or an option, nothing
    /// before it in the RUN changes its environment, and a project-local install is no tool
    /// install.
    fn moves_faithfully(&self, position: usize, command: usize) -> bool {
        let model = &self.stage.instructions[position];
        let Some(invocation) = model.invocations.iter().find(|i| i.command == command) else {
            return false;
        };
        let global_only = |options: &[&str]| {
            invocation.has_option(options)
                || invocation
                    .subcommand
                    .as_deref()
                    .is_some_and(|sub| sub.starts_with("global"))
        };
        let form_moves = match invocation.manager {
            "pip" | "pipx" => {
                !invocation.has_option(&["r", "requirement", "c", "constraint", "e", "editable"])
            }
            "npm" | "yarn" | "pnpm" => global_only(&["g", "global"]),
            "composer" => global_only(&[]),
            "gem" | "go" => true,
            _ => false,
        };
        if !form_moves || self.has_stray_operands(position, command) {
            return false;
        }
        let reads_directory = install_reads_working_directory(invocation.manager);
        !model.script[..command].iter().any(|before| {
            let program = before.program().unwrap_or("");
            // A `cd` or `export` in a shell of its own (a `( … )` subshell, a `$( … )`
            // substitution, an `sh -c` script) ends with it.
            let own_shell = before.context.in_subshell
                || before.context.in_substitution
                || before.context.nested_shell;
            !own_shell
                && ((before.name.value().is_none() && !before.assignments.is_empty())
                    || ENVIRONMENT_CHANGES.contains(&program)
                    || (reads_directory && matches!(program, "cd" | "pushd")))
        })
    }

    /// Operands of install command `command` that are neither packages, the subcommand, nor
    /// option values: paths (`.`), words from variables (`$EXTRA`): a moved command would
    /// install them again where they may mean something else.
    fn has_stray_operands(&self, position: usize, command: usize) -> bool {
        let model = &self.stage.instructions[position];
        let Some((invocation_index, invocation)) = model
            .invocations
            .iter()
            .enumerate()
            .find(|(_, i)| i.command == command)
        else {
            return true;
        };
        let packages: Vec<Span> = model
            .packages
            .iter()
            .filter(|p| p.invocation == invocation_index)
            .map(|p| p.span)
            .collect();
        let script = &model.script[command];
        let computed = computed_operands(script, invocation.manager);
        let subcommand: Vec<&str> = invocation
            .subcommand
            .as_deref()
            .map(|sub| sub.split_whitespace().collect())
            .unwrap_or_default();
        let mut takes_value = false;
        let mut previous = "";
        for word in &script.args {
            let text = word.value().unwrap_or(&word.raw);
            let was_previous = std::mem::replace(&mut previous, text);
            if takes_value {
                takes_value = false;
                continue;
            }
            if word.raw.starts_with('-') {
                takes_value = crate::model::option_takes_next_word(invocation.manager, &word.raw);
                continue;
            }
            let is_pip_module = was_previous == "-m" && matches!(text, "pip" | "pip3");
            if packages.contains(&word.span)
                || computed.contains(&word.span)
                || is_pip_module
                || (word.value().is_some() && subcommand.contains(&text))
            {
                continue;
            }
            return true;
        }
        false
    }

    /// Whether the container starts a program package `index` of the RUN at `position`
    /// provides: then it is the product (HC006 does not flag it either).
    fn is_started(&self, index: usize, position: usize) -> bool {
        let package = &self.stage.instructions[position].packages[index];
        let provided = Footprint::of_install(&[package], self.catalog).provides;
        self.started.iter().any(|program| {
            shared::provides(&package.name, program)
                || provided.contains(&program.to_ascii_lowercase())
        })
    }

    /// Whether a command of the RUN at `position` after `command` may build with `tool`:
    /// any build (`make`, `npm run build`, `python setup.py install`) may run a build tool
    /// without naming it, and an install of named language packages may compile them with a
    /// compiler (`Cython`), though not with other tools.
    fn builds_besides(&self, position: usize, command: usize, tool: &Package) -> bool {
        let model = &self.stage.instructions[position];
        let compiles = tool
            .tags
            .iter()
            .any(|t| t == tag::COMPILER || t == tag::HEADERS);
        model.script.iter().enumerate().any(|(index, other)| {
            let installs_named_packages = model.invocations.iter().any(|i| {
                i.command == index
                    && i.action == Action::Install
                    && os_ecosystem(i.manager).is_none()
                    && !self.has_stray_operands(position, index)
            });
            let builds = is_build_program(other.program().unwrap_or(""))
                || footprint::runs_setup_script(other);
            // Only what runs after the tool is installed can use it.
            index > command && builds && (compiles || !installs_named_packages)
        })
    }
}

/// An install of a development-layer package by a language package manager (pip, npm, gem,
/// composer, go, ...).
fn installs_language_dev_package(package: &Package) -> bool {
    package.action == Action::Install
        && package.layer == Layer::Dev
        && os_ecosystem(package.manager).is_none()
        && package_ecosystem(package.manager).is_some()
}
