//! The split planner: which layer each instruction of the target stage lands in, which
//! packages leave a mixed install for a layer of their own, and why.
//!
//! Steps (RUN, COPY, ADD) take the layer of what they do (the model's classification, with
//! OS packages split by layer); context instructions (ENV, ARG, WORKDIR, USER, SHELL) travel
//! with the step after them; image configuration (CMD, LABEL, EXPOSE...) is the `app` layer's,
//! except `EXPOSE 22`, which goes to `dev` with sshd. Packages only ever move *up* (to a layer
//! built later), so they still come from the repositories set up before them; a step that
//! moves below an earlier step must be independent of it (see [`super::footprint`]), or it is
//! lifted into that step's layer.

use std::collections::BTreeSet;

use crate::model::catalog::{ImageKind, tag};
use crate::model::{Action, Catalog, InstructionModel, Layer, Model, Source, Stage, word_str};
use crate::shell::{Command, Context as ShellContext};
use crate::syntax::{Arguments, Dockerfile, Instruction, Item, Keyword, LineIndex, Span};

use super::Refusal;
use super::build_stage;
use super::footprint::{self, Footprint, dependency, tokens};
use super::steps;
use crate::model::os_ecosystem;

mod language_tools;
mod transient;

pub(super) use language_tools::install_reads_working_directory;
/// Why a build needing headers of libraries production may lack cannot run in the build
/// stage (see `Planner::installs_library_headers`).
const LINKS_UNKNOWN_LIBRARIES: &str =
    "what it builds links against libraries only known while building, which production could lack";

/// Words whose presence in a COPY/ADD destination marks sshd setup.
const SSH_WORDS: [&str; 4] = ["ssh", "sshd", "authorized", "ssh_host"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// RUN, COPY, ADD as written (or with moved package words taken out).
    Step,
    /// An install of packages taken out of a mixed RUN.
    Install,
    /// ENV, ARG, WORKDIR, USER, SHELL: what the next step runs with.
    Context,
    /// Image configuration: CMD, ENTRYPOINT, LABEL, EXPOSE, VOLUME, HEALTHCHECK, ...
    Config,
}

#[derive(Clone, Debug)]
pub struct Piece {
    /// Index of the original instruction in the stage.
    pub origin: usize,
    /// 1-based line of the original instruction.
    pub line: usize,
    pub layer: Layer,
    pub role: Role,
    /// The instruction text to emit, comments included, ending with a newline.
    pub text: String,
    /// Why it lands in its layer.
    pub reason: String,
    /// Packages this piece installs that came out of another instruction (Install pieces),
    /// or that left this instruction (Step pieces).
    pub packages: Vec<String>,
    /// Install pieces: the catalog's rough size of the packages (MB), where it has one.
    pub size_mb: u32,
    /// Script commands of the original RUN this piece leaves out (a RUN cut in two).
    pub commands_left_out: Vec<usize>,
    /// The step runs as root and switches to its own non-root user itself (a transient
    /// step's install and removal need root).
    pub runs_as_root: bool,
}

/// The base image of the `os` layer.
#[derive(Clone, Debug)]
pub struct BaseChoice {
    /// The FROM flags as written (`--platform=...`), each followed by a space.
    pub flags: String,
    /// The image (or in-file stage) as emitted.
    pub image: String,
    /// The original image when the catalog's lighter variant replaces it.
    pub swapped_from: Option<String>,
    /// Estimated sizes (MB) before and after the swap, when the catalog knows them.
    pub sizes: Option<(u32, u32)>,
    /// Why the base was kept when the catalog has a lighter variant.
    pub kept_because: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Plan {
    /// Index of the split stage in the model.
    pub stage: usize,
    /// Text before the split stage's leading comments: directives, meta ARGs, other stages.
    pub before: String,
    /// The stages after the split stage, verbatim.
    pub after: String,
    /// Comments above the split stage's FROM.
    pub from_comments: String,
    /// Comments after the last instruction of the file (the split stage being the last one).
    pub trailing_comments: String,
    pub base: BaseChoice,
    pub pieces: Vec<Piece>,
    /// Names of the stages kept as they are.
    pub kept_stage_names: Vec<String>,
    /// What a human must still decide.
    pub notes: Vec<String>,
    /// Steps that run in the `build` stage, production copying their outputs.
    pub builds: Vec<BuildStep>,
}

/// A step that needs development packages to make what production uses: it runs in the
/// `build` stage (after the `app` steps before it and the development pieces it needs), and
/// production copies `outputs` where the step stood.
#[derive(Clone, Debug)]
pub struct BuildStep {
    /// Index of the step's piece.
    pub piece: usize,
    /// What it writes that production needs (absolute paths, outermost first).
    pub outputs: Vec<String>,
    /// The development pieces it needs, in order.
    pub needs: Vec<usize>,
}

impl Plan {
    /// The build step of piece `index`, if it is one.
    pub fn build_of(&self, index: usize) -> Option<&BuildStep> {
        self.builds.iter().find(|build| build.piece == index)
    }
}

impl Plan {
    /// The layers with something in them, bottom to top (`os` always: it holds the base).
    pub fn layers(&self) -> Vec<Layer> {
        Layer::ALL
            .into_iter()
            .filter(|layer| {
                *layer == Layer::Os
                    || *layer == Layer::App
                    || self.pieces.iter().any(|piece| piece.layer == *layer)
            })
            .collect()
    }

    /// Whether the split would change nothing: no development content, and every step and
    /// setting already in one layer.
    pub fn is_already_layered(&self) -> bool {
        let layers: BTreeSet<Layer> = self
            .pieces
            .iter()
            .filter(|piece| piece.role != Role::Context)
            .map(|piece| piece.layer)
            .collect();
        !layers.contains(&Layer::Dev) && layers.len() <= 1
    }
}

pub fn plan(
    dockerfile: &Dockerfile,
    model: &Model,
    catalog: &Catalog,
    index: &LineIndex,
) -> Result<Plan, Refusal> {
    plan_with(dockerfile, model, catalog, index, true)
}

/// [`plan`], with transient build dependencies allowed or not (when a split that uses them
/// fails verification, the split is planned again without them).
pub fn plan_with(
    dockerfile: &Dockerfile,
    model: &Model,
    catalog: &Catalog,
    index: &LineIndex,
    allow_transient: bool,
) -> Result<Plan, Refusal> {
    let refuse = |line: usize, reason: String| Refusal { line, reason };
    if !dockerfile.errors.is_empty() {
        let error = &dockerfile.errors[0];
        return Err(refuse(
            index.line(error.span.start),
            format!("the Dockerfile does not parse: {}", error.message),
        ));
    }
    if let Some(instruction) = dockerfile
        .instructions()
        .find(|instruction| !instruction.build_errors.is_empty())
    {
        return Err(refuse(
            index.line(instruction.span.start),
            format!(
                "the Dockerfile does not build: {}",
                instruction.build_errors[0].message
            ),
        ));
    }
    let Some(target) = model.target else {
        return Err(refuse(1, "the Dockerfile has no FROM".into()));
    };
    let stage = &model.stages[target];
    check_nothing_builds_on(model, target)?;
    let source = dockerfile.source.as_str();
    let from_item = item_at(dockerfile, stage.span.start);
    let (first_item, from_comments) = leading_comments(dockerfile, from_item);
    let stage_end = model.stages.get(target + 1).map_or(source.len(), |next| {
        dockerfile.items[leading_comments(dockerfile, item_at(dockerfile, next.span.start)).0]
            .span()
            .start
    });
    let before = source[..dockerfile.items[first_item].span().start].to_string();
    let after = source[stage_end..].to_string();
    let mut planner = Planner {
        dockerfile,
        stage,
        catalog,
        pieces: Vec::new(),
        footprints: Vec::new(),
        notes: Vec::new(),
        pending_ssh: SshDirectories::default(),
        builds: Vec::new(),
        transients: Vec::new(),
        allow_transient,
        started: super::findings::started_programs(dockerfile, model),
    };
    planner.check_service_is_not_sshd()?;
    planner.classify()?;
    planner.order()?;
    planner.write_transients()?;
    let base = planner.base_choice();
    planner.notice_what_needs_a_human();
    let kept_stage_names = model
        .stages
        .iter()
        .filter(|other| other.index != target)
        .filter_map(|other| other.name.clone())
        .collect();
    Ok(Plan {
        stage: target,
        before,
        after,
        from_comments,
        trailing_comments: trailing_comments(dockerfile, model.stages.len() == target + 1),
        base,
        pieces: planner.pieces,
        kept_stage_names,
        notes: planner.notes,
        builds: planner.builds,
    })
}

/// Another stage building on the split one would lose it: refuse.
fn check_nothing_builds_on(model: &Model, target: usize) -> Result<(), Refusal> {
    for other in &model.stages {
        if other.base.stage == Some(target) {
            return Err(Refusal {
                line: other.line,
                reason: format!(
                    "stage {} is built FROM the target stage; only a stage nothing builds on can be split",
                    other.index
                ),
            });
        }
        for edge in &other.copies_from {
            if edge.source == (Source::Stage { index: target }) {
                return Err(Refusal {
                    line: edge.line,
                    reason: "another stage copies from the target stage; only a stage nothing builds on can be split".into(),
                });
            }
            if other.index > target && matches!(edge.source, Source::Stage { .. }) {
                return Err(Refusal {
                    line: edge.line,
                    reason: "a stage after the target refers to stages by position".into(),
                });
            }
        }
    }
    Ok(())
}

fn item_at(dockerfile: &Dockerfile, start: usize) -> usize {
    dockerfile
        .items
        .iter()
        .position(|item| item.span().start == start)
        .unwrap_or(0)
}

/// The comment lines above item `index`, back to the previous instruction (blank lines between
/// them are kept, blank lines before the first are not): the first item of the block and its
/// text. A comment separated from the next instruction by a blank line still goes with it, so
/// no comment is lost when instructions move.
fn leading_comments(dockerfile: &Dockerfile, index: usize) -> (usize, String) {
    let mut first = index;
    let mut start = index;
    while start > 0
        && matches!(
            dockerfile.items[start - 1],
            Item::Comment(_) | Item::Blank { .. }
        )
    {
        start -= 1;
        if matches!(dockerfile.items[start], Item::Comment(_)) {
            first = start;
        }
    }
    let text = dockerfile.items[first..index]
        .iter()
        .map(|item| item.span().text(&dockerfile.source))
        .collect();
    (first, text)
}

/// The comments after the last instruction of the file, when the split stage is the last one.
fn trailing_comments(dockerfile: &Dockerfile, stage_is_last: bool) -> String {
    if !stage_is_last {
        return String::new();
    }
    let last_instruction = dockerfile
        .items
        .iter()
        .rposition(|item| !matches!(item, Item::Comment(_) | Item::Blank { .. }))
        .map_or(0, |index| index + 1);
    let mut text: String = dockerfile.items[last_instruction..]
        .iter()
        .filter(|item| matches!(item, Item::Comment(_)))
        .map(|item| item.span().text(&dockerfile.source))
        .collect();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

struct Planner<'a> {
    dockerfile: &'a Dockerfile,
    stage: &'a Stage,
    catalog: &'a Catalog,
    pieces: Vec<Piece>,
    /// What each piece touches (steps and installs), once the pieces are known.
    footprints: Vec<Option<Footprint>>,
    notes: Vec<String>,
    /// sshd directories leaving the RUN being classified.
    pending_ssh: SshDirectories,
    /// Steps moved into the build stage.
    builds: Vec<BuildStep>,
    /// Steps production runs with development packages installed for them alone.
    transients: Vec<transient::TransientStep>,
    /// Whether transient build dependencies may be planned.
    allow_transient: bool,
    /// The programs the container starts: a development tool among them is the product.
    started: Vec<String>,
}

#[derive(Debug, Default)]
struct SshDirectories {
    spans: Vec<Span>,
    paths: Vec<String>,
    whole_run: bool,
}

/// The sshd port (`22`, `22/tcp`).
pub fn is_ssh_port(port: &str) -> bool {
    port == "22" || port.starts_with("22/")
}

/// A path that only sshd uses.
pub fn is_ssh_path(path: &str) -> bool {
    tokens(path).any(|token| SSH_WORDS.contains(&token))
}

impl<'a> Planner<'a> {
    fn instruction(&self, position: usize) -> &'a Instruction {
        match &self.dockerfile.items[self.stage.instructions[position].item] {
            Item::Instruction(instruction) => instruction,
            _ => unreachable!("the model indexes instruction items"),
        }
    }

    /// The instruction's text with the comments above it, ending with a newline.
    fn text_with_comments(&self, position: usize, edits: &[Span]) -> String {
        let model = &self.stage.instructions[position];
        let (_, comments) = leading_comments(self.dockerfile, model.item);
        let mut text = comments;
        let body = remove_words(&self.dockerfile.source, model.span, edits);
        text.push_str(&close_dangling_continuation(&body, self.dockerfile.escape));
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text
    }

    fn classify(&mut self) -> Result<(), Refusal> {
        for position in 0..self.stage.instructions.len() {
            let instruction = self.instruction(position);
            match instruction.kind {
                Keyword::Run => self.classify_run(position)?,
                Keyword::Copy | Keyword::Add => {
                    let (layer, reason) = copy_layer(instruction);
                    self.push(position, layer, Role::Step, reason, &[], Vec::new());
                }
                Keyword::Env | Keyword::Arg | Keyword::Workdir | Keyword::User | Keyword::Shell => {
                    // The layer is settled once the steps are placed.
                    self.push(
                        position,
                        Layer::App,
                        Role::Context,
                        String::new(),
                        &[],
                        Vec::new(),
                    );
                }
                Keyword::Expose => self.classify_expose(position, instruction),
                Keyword::Cmd | Keyword::Entrypoint => self.classify_start_command(position),
                _ => self.push_config(position, &[]),
            }
        }
        Ok(())
    }

    fn push(
        &mut self,
        position: usize,
        layer: Layer,
        role: Role,
        reason: String,
        removed: &[Span],
        packages: Vec<String>,
    ) {
        let mut removed = removed.to_vec();
        if role == Role::Step {
            removed.extend(self.pending_ssh.spans.iter().copied());
        }
        let removed = removed.as_slice();
        let model = &self.stage.instructions[position];
        self.pieces.push(Piece {
            origin: position,
            line: model.line,
            layer,
            role,
            text: self.text_with_comments(position, removed),
            reason,
            packages,
            size_mb: 0,
            commands_left_out: Vec::new(),
            runs_as_root: false,
        });
    }

    /// A start command that also starts sshd as a service (`service ssh start && nginx`):
    /// production's drops that part, dev's keeps the command as written.
    fn classify_start_command(&mut self, position: usize) {
        let model = &self.stage.instructions[position];
        let spans = sshd_start_spans(&self.dockerfile.source, model);
        let rest_runs_something = model.script.len() > spans.len();
        if spans.is_empty() || !rest_runs_something {
            self.push_config(position, &[]);
            return;
        }
        self.push_config(position, &spans);
        let mut text = model.span.text(&self.dockerfile.source).to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        self.pieces.push(Piece {
            origin: position,
            line: model.line,
            layer: Layer::Dev,
            role: Role::Config,
            text,
            reason: "the start command with sshd started: sshd is a development tool (HC002)"
                .into(),
            packages: Vec::new(),
            size_mb: 0,
            commands_left_out: Vec::new(),
            runs_as_root: false,
        });
    }

    /// Image configuration stays in `app` (without the words in `removed`).
    fn push_config(&mut self, position: usize, removed: &[Span]) {
        self.push(
            position,
            Layer::App,
            Role::Config,
            "image configuration".into(),
            removed,
            Vec::new(),
        );
    }

    /// `EXPOSE 22` goes to `dev` with sshd; the other ports stay in `app`.
    fn classify_expose(&mut self, position: usize, instruction: &Instruction) {
        let ports = match &instruction.arguments {
            Arguments::Words(ports) => ports.as_slice(),
            _ => &[],
        };
        let ssh: Vec<_> = ports
            .iter()
            .filter(|port| is_ssh_port(&port.text))
            .collect();
        let stays = ssh.len() < ports.len() || ports.is_empty();
        if stays {
            let spans: Vec<Span> = ssh.iter().map(|port| port.span).collect();
            self.push_config(position, &spans);
        }
        if ssh.is_empty() {
            return;
        }
        let dev_ports: Vec<&str> = ssh.iter().map(|port| port.text.as_str()).collect();
        // The comments above go with the instruction, wherever it lands.
        let comments = if stays {
            String::new()
        } else {
            leading_comments(self.dockerfile, self.stage.instructions[position].item).1
        };
        self.pieces.push(Piece {
            origin: position,
            line: self.stage.instructions[position].line,
            layer: Layer::Dev,
            role: Role::Config,
            text: format!("{comments}EXPOSE {}\n", dev_ports.join(" ")),
            reason: "the sshd port: sshd is a development tool (HC002)".into(),
            packages: Vec::new(),
            size_mb: 0,
            commands_left_out: Vec::new(),
            runs_as_root: false,
        });
    }

    fn classify_run(&mut self, position: usize) -> Result<(), Refusal> {
        let model = &self.stage.instructions[position];
        let dev_paths = self.dev_package_paths();
        if model.packages.is_empty() && (self.sshd_goes_to_dev() || !dev_paths.is_empty()) {
            let instruction = self.instruction(position);
            let escape = self.dockerfile.escape;
            let source = &self.dockerfile.source;
            if let Some(cut) = steps::cut_dev_setup(source, instruction, model, escape, &dev_paths)
            {
                self.push_cut(position, cut);
                return Ok(());
            }
        }
        let ssh = self.ssh_directories(position);
        if ssh.whole_run {
            self.push(
                position,
                Layer::Dev,
                Role::Step,
                "sshd setup (HC002)".into(),
                &[],
                Vec::new(),
            );
            return Ok(());
        }
        self.pending_ssh = ssh;
        let result = self.classify_run_packages(position);
        let ssh = std::mem::take(&mut self.pending_ssh);
        if !ssh.paths.is_empty() {
            let model = &self.stage.instructions[position];
            self.pieces.push(Piece {
                origin: position,
                line: model.line,
                layer: Layer::Dev,
                role: Role::Install,
                text: format!(
                    "# from line {}: the sshd runtime directory goes with sshd (HC002)\nRUN mkdir -p {}\n",
                    model.line,
                    ssh.paths.join(" ")
                ),
                reason: "sshd setup (HC002)".into(),
                packages: Vec::new(),
                size_mb: 0,
                commands_left_out: Vec::new(),
                runs_as_root: false,
            });
        }
        result
    }

    /// The stage installs an SSH server, which the split moves to `dev`.
    fn sshd_goes_to_dev(&self) -> bool {
        self.stage.instructions.iter().any(|model| {
            model.packages.iter().any(|package| {
                package.action == Action::Install
                    && package.layer == Layer::Dev
                    && (package.name.starts_with("openssh-server") || package.name == "dropbear")
            })
        })
    }

    /// Directories the development packages the stage installs create (catalog `paths`:
    /// `/etc/sudoers.d` of sudo): commands writing there go to `dev` with them.
    fn dev_package_paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = Vec::new();
        for package in self.stage.instructions.iter().flat_map(|m| &m.packages) {
            let Some(ecosystem) = os_ecosystem(package.manager) else {
                continue;
            };
            if package.action != Action::Install || package.layer != Layer::Dev {
                continue;
            }
            if let Some(info) = self.catalog.package(ecosystem, &package.name) {
                paths.extend(info.paths);
            }
        }
        paths
    }

    /// A RUN cut in two: the sshd setup goes to `dev`, the rest stays where the RUN goes.
    fn push_cut(&mut self, position: usize, cut: steps::StepSplit) {
        let model = &self.stage.instructions[position];
        let (_, mut comments) = leading_comments(self.dockerfile, model.item);
        // Comment lines inside the RUN stay, above it.
        for line in model.span.text(&self.dockerfile.source).lines().skip(1) {
            if line.trim_start().starts_with('#') {
                comments.push_str(line.trim_start());
                comments.push('\n');
            }
        }
        let layer = if model.layer == Layer::Dev {
            Layer::App
        } else {
            model.layer
        };
        let kept: Vec<usize> = (0..model.script.len())
            .filter(|index| !cut.moved_commands.contains(index))
            .collect();
        let (what, reason) = if cut.sets_up_sshd {
            (
                "the sshd setup goes with sshd (HC002)",
                "sshd setup (HC002)",
            )
        } else {
            (
                "the setup of development tools goes with them (HC006)",
                "development tool setup (HC006)",
            )
        };
        self.pieces.push(Piece {
            origin: position,
            line: model.line,
            layer,
            role: Role::Step,
            text: format!("{comments}{}", cut.kept_text),
            reason: format!("{} step (its sshd setup goes to dev)", layer.as_str()),
            packages: Vec::new(),
            size_mb: 0,
            commands_left_out: cut.moved_commands.clone(),
            runs_as_root: false,
        });
        self.pieces.push(Piece {
            origin: position,
            line: model.line,
            layer: Layer::Dev,
            role: Role::Step,
            text: format!("# from line {}: {}\n{}", model.line, what, cut.moved_text),
            reason: reason.into(),
            packages: Vec::new(),
            size_mb: 0,
            commands_left_out: kept,
            runs_as_root: false,
        });
    }

    /// The sshd setup of a RUN that also installs the SSH server next to packages of other
    /// layers (`apt-get install nginx openssh-server && mkdir /var/run/sshd && sed … sshd_config`):
    /// when the setup is whole top-level commands of a plain `&&`/`;` list, it leaves the RUN
    /// for `dev`, after the server's own install there, and the server leaves with the other
    /// development packages. `None` when the RUN has no such server or the setup cannot be cut.
    fn sshd_setup_cut(
        &self,
        position: usize,
        os_packages: &[usize],
        conditional: &[bool],
    ) -> Option<steps::StepSplit> {
        let model = &self.stage.instructions[position];
        let servers: Vec<&crate::model::Package> = os_packages
            .iter()
            .map(|&index| &model.packages[index])
            .filter(|package| {
                package.layer == Layer::Dev && package.tags.iter().any(|t| t == tag::SSHD)
            })
            .collect();
        // The server must leave the RUN the ordinary way: an install dlayer can write, run
        // unconditionally.
        let movable = |package: &&crate::model::Package| {
            synthesizable(package.manager)
                && !conditional
                    .get(model.invocations[package.invocation].command)
                    .copied()
                    .unwrap_or(true)
        };
        if servers.is_empty() || !servers.iter().all(movable) {
            return None;
        }
        let cut = steps::cut_dev_setup(
            &self.dockerfile.source,
            self.instruction(position),
            model,
            self.dockerfile.escape,
            &[],
        )?;
        let cuttable = cut.sets_up_sshd
            && cut.moved_spans.is_some()
            && cut
                .moved_commands
                .iter()
                .all(|&command| !conditional.get(command).copied().unwrap_or(true));
        if !cuttable {
            return None;
        }
        // What stays must not use the server itself, or it still needs it in production.
        let rest = Footprint::of_part(
            self.instruction(position),
            model,
            self.catalog,
            os_packages,
            &self.stage.variables_at(position),
            &cut.moved_commands,
        );
        let alone = Footprint::of_install(&servers, self.catalog);
        let used = alone.provides.intersection(&rest.names).next().is_some();
        let builds_with_it = alone.installs_build_tools && rest.builds;
        (!used && !builds_with_it).then_some(cut)
    }

    /// The sshd setup cut out of piece `step` (see [`Self::sshd_setup_cut`]): a `dev` step
    /// placed after the server's install.
    fn push_sshd_setup_after_install(
        &mut self,
        step: usize,
        position: usize,
        cut: steps::StepSplit,
    ) {
        let model = &self.stage.instructions[position];
        let kept: Vec<usize> = (0..model.script.len())
            .filter(|index| !cut.moved_commands.contains(index))
            .collect();
        self.pieces[step].commands_left_out = cut.moved_commands.clone();
        self.pieces.push(Piece {
            origin: position,
            line: model.line,
            layer: Layer::Dev,
            role: Role::Step,
            text: format!(
                "# from line {}: the sshd setup goes with sshd (HC002)\n{}",
                model.line, cut.moved_text
            ),
            reason: "sshd setup (HC002)".into(),
            packages: Vec::new(),
            size_mb: 0,
            commands_left_out: kept,
            runs_as_root: false,
        });
    }

    /// `mkdir` operands that prepare sshd (`/var/run/sshd`, `~/.ssh`): they go to `dev` with
    /// sshd, taken out of the RUN (or the whole RUN when that is all it does).
    fn ssh_directories(&self, position: usize) -> SshDirectories {
        let model = &self.stage.instructions[position];
        let mut found = SshDirectories::default();
        if model.script_error.is_some() || model.script.is_empty() {
            return found;
        }
        let conditional = conditional_commands(&self.dockerfile.source, model);
        let mut all = true;
        let mut emptied = false;
        for (index, command) in model.script.iter().enumerate() {
            if command.program() != Some("mkdir")
                || !in_top_level_list(&command.context)
                || conditional[index]
            {
                all = false;
                continue;
            }
            let operands: Vec<_> = command
                .args
                .iter()
                .filter(|w| !w.raw.starts_with('-'))
                .collect();
            let ssh: Vec<_> = operands.iter().filter(|w| is_ssh_path(&w.raw)).collect();
            if ssh.len() < operands.len() || operands.is_empty() {
                all = false;
            } else if !ssh.is_empty() {
                emptied = true;
            }
            for word in ssh {
                found.spans.push(word.span);
                found.paths.push(word.raw.to_string());
            }
        }
        if all && !found.paths.is_empty() {
            found.whole_run = true;
        } else if emptied {
            // A mkdir left with no operand would fail: take the whole RUN or nothing.
            found = SshDirectories::default();
        }
        found
    }

    fn classify_run_packages(&mut self, position: usize) -> Result<(), Refusal> {
        let model = &self.stage.instructions[position];
        let kept: Vec<Span> = model.kept_packages().map(|p| p.span).collect();
        let os_packages: Vec<usize> = model
            .packages
            .iter()
            .enumerate()
            .filter(|(_, package)| {
                kept.contains(&package.span) && os_ecosystem(package.manager).is_some()
            })
            .map(|(index, _)| index)
            .collect();
        let layers: BTreeSet<Layer> = os_packages
            .iter()
            .map(|&index| model.packages[index].layer)
            .collect();
        // Base-system packages stay with the server they came with; packages of a higher
        // layer (ops, app, dev) leave for a layer of their own.
        let non_dev = || layers.iter().copied().filter(|layer| *layer != Layer::Dev);
        let tools = self.language_tools(position)?;
        let Some(home) = non_dev()
            .filter(|layer| *layer <= Layer::Runtime)
            .max()
            .or_else(|| non_dev().min())
        else {
            if layers.is_empty() && !tools.is_empty() {
                return self.classify_run_with_tools(position, &tools);
            }
            return self.classify_run_without_home(position, !layers.is_empty(), &tools);
        };
        let conditional = conditional_commands(&self.dockerfile.source, model);
        let sshd_setup = self.sshd_setup_cut(position, &os_packages, &conditional);
        let rest = Footprint::of_part(
            self.instruction(position),
            model,
            self.catalog,
            &os_packages,
            &self.stage.variables_at(position),
            sshd_setup
                .as_ref()
                .map_or(&[], |cut| cut.moved_commands.as_slice()),
        );
        let mut moved: Vec<usize> = Vec::new();
        // Development packages the RUN uses itself: installed for it alone (see transient).
        let mut own: Vec<usize> = Vec::new();
        let mut own_refusal: Option<Refusal> = None;
        for &index in &os_packages {
            let package = &model.packages[index];
            if package.layer <= home {
                continue;
            }
            if !synthesizable(package.manager) {
                if package.layer == Layer::Dev {
                    return Err(Refusal {
                        line: package.line,
                        reason: format!(
                            "`{}` (a development tool) is installed with `{}` next to packages of other layers, and dlayer cannot install it that way on its own; split this RUN by hand",
                            package.name, package.manager
                        ),
                    });
                }
                continue;
            }
            let command = model.invocations[package.invocation].command;
            if conditional.get(command).copied().unwrap_or(true) {
                if package.layer == Layer::Dev {
                    return Err(Refusal {
                        line: package.line,
                        reason: format!(
                            "`{}` (a development tool) is installed inside a condition, loop or `||` branch of a RUN that installs other layers too; split this RUN by hand",
                            package.name
                        ),
                    });
                }
                continue;
            }
            let alone = Footprint::of_install(&[package], self.catalog);
            let used_here = alone.provides.intersection(&rest.names).next().cloned();
            let builds_here = alone.installs_build_tools && rest.builds;
            match (package.layer, used_here, builds_here) {
                (Layer::Dev, Some(word), _) => {
                    own.push(index);
                    own_refusal.get_or_insert(Refusal {
                        line: package.line,
                        reason: format!(
                            "the same RUN installs `{}` (a development tool) and uses it (`{word}`); split this RUN by hand",
                            package.name
                        ),
                    });
                }
                (Layer::Dev, None, true) => {
                    own.push(index);
                    own_refusal.get_or_insert(Refusal {
                        line: package.line,
                        reason: format!(
                            "the same RUN installs `{}` and builds with it: move the build into a build stage first",
                            package.name
                        ),
                    });
                }
                (_, None, false) => moved.push(index),
                _ => {}
            }
        }
        moved.extend(&tools);
        let mut spans = self.removals(position, &moved)?;
        if let Some(cut) = &sshd_setup {
            spans.extend(cut.moved_spans.iter().flatten().copied());
        }
        let moved_names: Vec<String> = moved
            .iter()
            .map(|&i| model.packages[i].name.clone())
            .collect();
        self.push(
            position,
            home,
            Role::Step,
            format!("installs {} packages", home.as_str()),
            &spans,
            moved_names,
        );
        let step = self.pieces.len() - 1;
        for layer in Layer::ALL {
            let of_layer: Vec<usize> = moved
                .iter()
                .copied()
                .filter(|&i| model.packages[i].layer == layer && !tools.contains(&i))
                .collect();
            if !of_layer.is_empty() {
                self.push_install(position, layer, &of_layer);
            }
        }
        self.push_tool_installs(position, &tools);
        if let Some(cut) = sshd_setup {
            self.push_sshd_setup_after_install(step, position, cut);
        }
        match own_refusal {
            Some(refusal) => self.transient_own(step, position, &own, refusal),
            None => Ok(()),
        }
    }

    /// A RUN that installs no non-development OS package: its model layer, or `dev` when it
    /// installs development tools only (and builds nothing with them).
    fn classify_run_without_home(
        &mut self,
        position: usize,
        dev_only: bool,
        tools: &[usize],
    ) -> Result<(), Refusal> {
        let model = &self.stage.instructions[position];
        if !dev_only {
            let layer = if model.layer == Layer::Dev {
                Layer::App
            } else {
                model.layer
            };
            self.push(
                position,
                layer,
                Role::Step,
                run_reason(layer),
                &[],
                Vec::new(),
            );
            return Ok(());
        }
        // The installs of development tools alone go to dev with the rest.
        let tool_commands: Vec<usize> = model
            .invocations
            .iter()
            .filter(|invocation| {
                model.packages.iter().enumerate().all(|(index, p)| {
                    model.invocations[p.invocation].command != invocation.command
                        || tools.contains(&index)
                })
            })
            .map(|invocation| invocation.command)
            .collect();
        let footprint = Footprint::of_part(
            self.instruction(position),
            model,
            self.catalog,
            &[],
            &self.stage.variables_at(position),
            &tool_commands,
        );
        let language = model.packages.iter().enumerate().any(|(index, p)| {
            p.action == Action::Install
                && os_ecosystem(p.manager).is_none()
                && !tools.contains(&index)
        });
        if footprint.builds || language {
            return self.build_after_dev_install(position);
        }
        self.push_dev_tools_only(position);
        Ok(())
    }

    /// The RUN at `position` installs development tools and does nothing else: it goes to
    /// `dev` whole.
    fn push_dev_tools_only(&mut self, position: usize) {
        self.push(
            position,
            Layer::Dev,
            Role::Step,
            "installs development tools only (HC006)".into(),
            &[],
            Vec::new(),
        );
    }

    /// A RUN that installs no OS package and installs development tools with a language
    /// package manager: the tools go to `dev`, the rest stays in the RUN's layer (or the whole
    /// RUN goes to `dev` when it installs those tools and nothing else).
    fn classify_run_with_tools(&mut self, position: usize, tools: &[usize]) -> Result<(), Refusal> {
        let model = &self.stage.instructions[position];
        if self.only_installs(position, tools) {
            self.push_dev_tools_only(position);
            return Ok(());
        }
        let layer = if model.layer == Layer::Dev {
            Layer::App
        } else {
            model.layer
        };
        let spans = self.removals(position, tools)?;
        let names: Vec<String> = tools
            .iter()
            .map(|&i| model.packages[i].name.clone())
            .collect();
        self.push(
            position,
            layer,
            Role::Step,
            format!("{} (its development tools go to dev)", run_reason(layer)),
            &spans,
            names,
        );
        self.push_tool_installs(position, tools);
        Ok(())
    }

    /// A RUN that installs development packages only and builds with them: the install goes
    /// to `dev`, the rest of the RUN to the build stage after it, production copying what it
    /// makes.
    fn build_after_dev_install(&mut self, position: usize) -> Result<(), Refusal> {
        let model = &self.stage.instructions[position];
        let refuse = |what: String| Refusal {
            line: model.line,
            reason: format!(
                "this RUN installs development tools and builds with them; a build stage would run the build, but {what}"
            ),
        };
        let conditional = conditional_commands(&self.dockerfile.source, model);
        let kept: Vec<Span> = model.kept_packages().map(|p| p.span).collect();
        let moved: Vec<usize> = model
            .packages
            .iter()
            .enumerate()
            .filter(|(_, p)| kept.contains(&p.span) && os_ecosystem(p.manager).is_some())
            .map(|(index, _)| index)
            .collect();
        for &index in &moved {
            let package = &model.packages[index];
            let command = model.invocations[package.invocation].command;
            if !synthesizable(package.manager) || conditional.get(command).copied().unwrap_or(true)
            {
                return Err(refuse(format!(
                    "`{}` is installed in a way dlayer cannot take out of it",
                    package.name
                )));
            }
        }
        if model.script_error.is_some() {
            return Err(refuse("its script cannot be read".into()));
        }
        let installs: Vec<usize> = model
            .invocations
            .iter()
            .filter(|i| i.action == Action::Install && os_ecosystem(i.manager).is_some())
            .map(|i| i.command)
            .collect();
        let script: Vec<Command> = model
            .script
            .iter()
            .enumerate()
            .filter(|(index, _)| !installs.contains(index))
            .map(|(_, command)| command.clone())
            .collect();
        let variables = self.stage.variables_at(position);
        let context = build_stage::StepContext {
            workdir: model.context.workdir.as_deref(),
            variables: &variables,
            family: self.stage.image.as_ref().map(|image| image.package_family),
        };
        // What it builds may link against libraries of headers it installs, which production
        // could lack (see `installs_library_headers`): production runs it itself instead.
        let headers = moved
            .iter()
            .map(|&index| &model.packages[index])
            .find(|package| self.is_library_headers(package));
        let outputs = match headers {
            Some(package) => Err(format!(
                "what it builds may link against the library of `{}`, which production could lack",
                package.name
            )),
            None => build_stage::outputs(&script, &context)
                .map_err(|what| format!("its outputs cannot be known: {what}")),
        };
        let outputs = match outputs {
            Ok(outputs) => outputs,
            Err(what) => {
                let refusal = refuse(what);
                self.push(
                    position,
                    Layer::App,
                    Role::Step,
                    "builds with the development tools it installs".into(),
                    &[],
                    Vec::new(),
                );
                return self.transient_own(self.pieces.len() - 1, position, &moved, refusal);
            }
        };
        let spans = self.removals(position, &moved)?;
        let names: Vec<String> = moved
            .iter()
            .map(|&i| model.packages[i].name.clone())
            .collect();
        self.push(
            position,
            Layer::App,
            Role::Step,
            format!(
                "builds with the development tools it installs: runs in the build stage; production copies {}",
                outputs.join(", ")
            ),
            &spans,
            names,
        );
        let step = self.pieces.len() - 1;
        self.push_install(position, Layer::Dev, &moved);
        self.builds.push(BuildStep {
            piece: step,
            outputs,
            needs: vec![step + 1],
        });
        Ok(())
    }

    /// What leaves the RUN: the moved package words, or the whole install command (with its
    /// `&&`/`;`) when every package of it moves, since an install with no package is an
    /// error for some managers (`yum install`).
    fn removals(&self, position: usize, moved: &[usize]) -> Result<Vec<Span>, Refusal> {
        let model = &self.stage.instructions[position];
        let mut spans = Vec::new();
        for (invocation_index, invocation) in model.invocations.iter().enumerate() {
            let of_invocation: Vec<usize> = model
                .packages
                .iter()
                .enumerate()
                .filter(|(_, p)| p.invocation == invocation_index && p.action == Action::Install)
                .map(|(i, _)| i)
                .collect();
            let moving: Vec<usize> = of_invocation
                .iter()
                .copied()
                .filter(|i| moved.contains(i))
                .collect();
            if moving.is_empty() {
                continue;
            }
            // An install that also computes packages when it runs keeps its command: the
            // computed words stay there, installed once (moved installs leave them out).
            let computes_packages =
                !computed_operands(&model.script[invocation.command], invocation.manager)
                    .is_empty();
            if moving.len() < of_invocation.len() || computes_packages {
                spans.extend(moving.iter().map(|&i| model.packages[i].span));
                continue;
            }
            match command_with_connector(&self.dockerfile.source, &model.script, invocation.command)
            {
                Some(span) => spans.push(span),
                None => {
                    return Err(Refusal {
                        line: invocation.line,
                        reason: format!(
                            "every package of this `{}` install belongs to another layer, and the command cannot be taken out of the script on its own; split this RUN by hand",
                            invocation.manager
                        ),
                    });
                }
            }
        }
        Ok(spans)
    }

    /// The install of `packages` (indexes into the RUN's packages) as the original wrote it:
    /// each install command of theirs with the other package words taken out, so options
    /// (`--no-install-recommends` or its absence, `-t`, `--setopt`, `DEBIAN_FRONTEND=`) stay as
    /// they were. The split moves packages; it never changes how they are installed.
    fn faithful_install(&self, position: usize, packages: &[usize]) -> String {
        let model = &self.stage.instructions[position];
        let source = self.dockerfile.source.as_str();
        let mut commands: Vec<String> = Vec::new();
        let manager = model.packages[packages[0]].manager;
        let refresh = model.invocations.iter().find(|invocation| {
            invocation.action == Action::Update && invocation.manager == manager
        });
        let is_apt = matches!(manager, "apt-get" | "apt" | "aptitude");
        match refresh {
            // The moved install runs in another layer, where the index may be gone.
            _ if is_apt => commands.push("apt-get update".into()),
            Some(refresh) => commands.push(one_line(
                &source[model.script[refresh.command].span.start
                    ..model.script[refresh.command].span.end],
                self.dockerfile.escape,
            )),
            None => {}
        }
        commands.extend(self.install_commands(position, packages));
        if is_apt {
            commands.push("rm -rf /var/lib/apt/lists/*".into());
        }
        commands.join(" && ")
    }

    /// Each install command of `packages` (indexes into the RUN's packages at `position`),
    /// on one line, with the other package words and the operands computed when it runs
    /// (which stay with the original command) taken out.
    fn install_commands(&self, position: usize, packages: &[usize]) -> Vec<String> {
        let model = &self.stage.instructions[position];
        let source = self.dockerfile.source.as_str();
        let mut invocations: Vec<usize> = packages
            .iter()
            .map(|&i| model.packages[i].invocation)
            .collect();
        invocations.sort_unstable();
        invocations.dedup();
        invocations
            .into_iter()
            .map(|invocation| {
                let command = &model.script[model.invocations[invocation].command];
                one_line(
                    &remove_words(
                        source,
                        command.span,
                        &words_cut_from_install(model, invocation, packages),
                    ),
                    self.dockerfile.escape,
                )
            })
            .collect()
    }

    fn push_install(&mut self, position: usize, layer: Layer, packages: &[usize]) {
        let model = &self.stage.instructions[position];
        let names: Vec<String> = packages
            .iter()
            .map(|&i| model.packages[i].name.clone())
            .collect();
        let command = self.faithful_install(position, packages);
        let size_mb = packages
            .iter()
            .filter_map(|&i| {
                let package = &model.packages[i];
                let ecosystem = os_ecosystem(package.manager)?;
                self.catalog.package(ecosystem, &package.name)?.size_mb
            })
            .sum();
        let why = match layer {
            Layer::Dev => "development tools leave the production image (HC006)",
            Layer::Ops => "logging, monitoring and scheduling belong to the ops layer",
            Layer::App => "application packages belong to the app layer",
            _ => "servers and runtimes belong to the runtime layer",
        };
        self.pieces.push(Piece {
            origin: position,
            line: model.line,
            layer,
            role: Role::Install,
            text: format!(
                "# {} from line {}: {why}\nRUN {command}\n",
                names.join(", "),
                model.line
            ),
            reason: why.into(),
            packages: names,
            size_mb,
            commands_left_out: Vec::new(),
            runs_as_root: false,
        });
    }

    /// Lifts every step that must stay after an earlier step of a higher layer into that
    /// layer, then places the context instructions.
    fn order(&mut self) -> Result<(), Refusal> {
        let footprints: Vec<Option<Footprint>> = self
            .pieces
            .iter()
            .map(|piece| self.footprint(piece))
            .collect();
        self.lift(&footprints)?;
        self.close_build_needs(&footprints)?;
        self.check_builds_leave_tools_out()?;
        self.footprints = footprints;
        self.place_context();
        Ok(())
    }

    /// One pass in the original order: a step's layer is final before any later step is
    /// compared with it.
    fn lift(&mut self, footprints: &[Option<Footprint>]) -> Result<(), Refusal> {
        let mut lifted_to_dev: Vec<usize> = Vec::new();
        for later in 0..self.pieces.len() {
            let Some(later_footprint) = &footprints[later] else {
                continue;
            };
            for (earlier, earlier_footprint) in footprints.iter().enumerate().take(later) {
                let Some(earlier_footprint) = earlier_footprint else {
                    continue;
                };
                if self.pieces[earlier].layer <= self.pieces[later].layer
                    || self.pieces[earlier].origin == self.pieces[later].origin
                {
                    continue;
                }
                let Some(why) = dependency(earlier_footprint, later_footprint) else {
                    continue;
                };
                let target = self.pieces[earlier].layer;
                let follows_dev_setup = self.pieces[earlier].role == Role::Step
                    && lifted_to_dev.contains(&earlier)
                    && self.is_plain_step(later, later_footprint);
                // A step using a language tool (`grunt build`, `jupyter nbextension
                // enable`) may make what production needs: it never follows the tool to dev.
                // A step that writes into the tool's own directory without running it
                // (`COPY jupyter_notebook_config.py /root/.jupyter/`, `mkdir -p
                // ~/.jupyter/custom`) only configures it and follows it.
                let dev_setup = (self.language_tools_of(earlier).is_empty()
                    || !self.runs_a_program_of(later, earlier_footprint))
                    && self.is_dev_setup(later, earlier_footprint);
                if target == Layer::Dev && !follows_dev_setup && !dev_setup {
                    self.build_in_build_stage(later, earlier, &why)?;
                    continue;
                }
                let earlier_line = self.pieces[earlier].line;
                let piece = &mut self.pieces[later];
                piece.reason = format!("stays after line {earlier_line} ({why})");
                piece.layer = target;
                if target == Layer::Dev {
                    lifted_to_dev.push(later);
                }
            }
        }
        Ok(())
    }

    /// Step `later` needs development piece `earlier` to build something: it runs in the
    /// build stage and production copies its outputs, or the split is refused when they
    /// cannot be known.
    fn build_in_build_stage(
        &mut self,
        later: usize,
        earlier: usize,
        why: &str,
    ) -> Result<(), Refusal> {
        let links_unknown_libraries = self.installs_library_headers(earlier);
        if let Some(index) = self.builds.iter().position(|b| b.piece == later) {
            if !links_unknown_libraries {
                self.builds[index].needs.push(earlier);
                return Ok(());
            }
            // The step was to be built in the build stage, but this need brings headers
            // of libraries production may lack: production builds it itself instead.
            let refusal = self.build_refusal(later, earlier, why, LINKS_UNKNOWN_LIBRARIES);
            let build = self.builds.remove(index);
            return self.transient_instead_of_build(build, earlier, refusal);
        }
        let transient = self.transients.iter().any(|t| t.piece == later);
        if transient && !self.language_tools_of(earlier).is_empty() {
            return Err(Refusal {
                line: self.pieces[later].line,
                reason: format!(
                    "this step needs what line {} installs for development only{} ({why}); production installs what it needs for it alone, which dlayer does for OS packages only",
                    self.pieces[earlier].line,
                    shown_packages(&self.pieces[earlier].packages),
                ),
            });
        }
        if let Some(step) = self.transients.iter_mut().find(|t| t.piece == later) {
            step.needs.push(earlier);
            return Ok(());
        }
        let refuse = |what: String| self.build_refusal(later, earlier, why, &what);
        let piece = &self.pieces[later];
        let model = &self.stage.instructions[piece.origin];
        if piece.role != Role::Step || model.keyword != "RUN" {
            return Err(refuse("only a RUN can be built there".into()));
        }
        if model.script_error.is_some() || model.script.is_empty() {
            return Err(refuse("its script cannot be read".into()));
        }
        if model.packages.iter().any(|p| {
            p.action == Action::Install
                && os_ecosystem(p.manager).is_some()
                && !piece.packages.contains(&p.name)
        }) {
            let refusal =
                refuse("it also installs OS packages, which production would lose".into());
            return self.without_build_stage(later, earlier, refusal);
        }
        if links_unknown_libraries {
            let refusal = refuse(LINKS_UNKNOWN_LIBRARIES.into());
            return self.without_build_stage(later, earlier, refusal);
        }
        let variables = self.stage.variables_at(piece.origin);
        let context = build_stage::StepContext {
            workdir: model.context.workdir.as_deref(),
            variables: &variables,
            family: self.stage.image.as_ref().map(|image| image.package_family),
        };
        let outputs = match build_stage::outputs(&model.script, &context) {
            Ok(outputs) => outputs,
            Err(what) => {
                let refusal = refuse(format!("its outputs cannot be known: {what}"));
                return self.without_build_stage(later, earlier, refusal);
            }
        };
        let line = self.pieces[earlier].line;
        let piece = &mut self.pieces[later];
        piece.layer = piece.layer.max(Layer::App);
        piece.reason = format!(
            "built in the build stage with what line {line} installs for development only ({why}); production copies {}",
            outputs.join(", ")
        );
        self.builds.push(BuildStep {
            piece: later,
            outputs,
            needs: vec![earlier],
        });
        Ok(())
    }

    /// The development pieces a build step needs include those its needs depend on. A build
    /// that then needs headers of libraries production may lack runs in production instead,
    /// with those packages installed for it alone, as when it needs them directly (see
    /// `build_in_build_stage`), or the split is refused, naming the step.
    fn close_build_needs(&mut self, footprints: &[Option<Footprint>]) -> Result<(), Refusal> {
        let library_headers: Vec<bool> = (0..self.pieces.len())
            .map(|piece| self.installs_library_headers(piece))
            .collect();
        // (build step, the headers piece it needs, why): the first such need of each build.
        let mut links_unknown_libraries: Vec<(usize, usize, String)> = Vec::new();
        for build in &mut self.builds {
            let mut pulled_headers: Option<(usize, String)> = None;
            for candidate in (0..build.piece).rev() {
                if self.pieces[candidate].layer != Layer::Dev || build.needs.contains(&candidate) {
                    continue;
                }
                let Some(earlier) = &footprints[candidate] else {
                    continue;
                };
                let why = build
                    .needs
                    .iter()
                    .chain(std::iter::once(&build.piece))
                    .find_map(|&n| {
                        let why = dependency(earlier, footprints[n].as_ref()?)?;
                        Some(if n == build.piece {
                            why
                        } else {
                            format!("what line {} installs needs it: {why}", self.pieces[n].line)
                        })
                    });
                let Some(why) = why else {
                    continue;
                };
                build.needs.push(candidate);
                if library_headers[candidate] {
                    pulled_headers = Some((candidate, why));
                }
            }
            build.needs.sort_unstable();
            build.needs.dedup();
            // Any need with such headers, however it came (the candidates go backwards: the
            // last found is the earliest).
            let headers = pulled_headers.or_else(|| {
                let need = build.needs.iter().copied().find(|&n| library_headers[n])?;
                Some((need, "it builds with it".into()))
            });
            if let Some((need, why)) = headers {
                links_unknown_libraries.push((build.piece, need, why));
            }
        }
        for (piece, headers, why) in links_unknown_libraries {
            let Some(index) = self.builds.iter().position(|b| b.piece == piece) else {
                continue;
            };
            let refusal = self.build_refusal(piece, headers, &why, LINKS_UNKNOWN_LIBRARIES);
            let build = self.builds.remove(index);
            self.transient_instead_of_build(build, headers, refusal)?;
        }
        Ok(())
    }

    /// Why step `later`, which needs development piece `earlier` (`why`), cannot be built in
    /// the build stage: `what`.
    fn build_refusal(&self, later: usize, earlier: usize, why: &str, what: &str) -> Refusal {
        Refusal {
            line: self.pieces[later].line,
            reason: format!(
                "this step needs what line {} installs for development only{} ({why}); a build stage would run it there, but {what}",
                self.pieces[earlier].line,
                shown_packages(&self.pieces[earlier].packages),
            ),
        }
    }

    fn footprint(&self, piece: &Piece) -> Option<Footprint> {
        let model = &self.stage.instructions[piece.origin];
        match piece.role {
            Role::Step => {
                let moved: Vec<usize> = model
                    .packages
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| piece.packages.contains(&p.name))
                    .map(|(i, _)| i)
                    .collect();
                Some(Footprint::of_part(
                    self.instruction(piece.origin),
                    model,
                    self.catalog,
                    &moved,
                    &self.stage.variables_at(piece.origin),
                    &piece.commands_left_out,
                ))
            }
            Role::Install => {
                let packages: Vec<_> = model
                    .packages
                    .iter()
                    .filter(|p| piece.packages.contains(&p.name))
                    .collect();
                Some(Footprint::of_install(&packages, self.catalog))
            }
            _ => None,
        }
    }

    /// Whether development piece `piece` installs headers of libraries a production image may
    /// lack (catalog tag `headers` without `system-headers`: libpq-dev, not libc6-dev). What
    /// a build links against them is only known while building, so a build stage could not
    /// give production the runtime libraries its outputs need.
    fn installs_library_headers(&self, piece: usize) -> bool {
        let piece = &self.pieces[piece];
        // An install piece installs its packages; a step, what its RUN keeps but those that
        // left it (a whole development RUN keeps them all).
        let installs =
            |name: &String| piece.packages.contains(name) == (piece.role == Role::Install);
        self.stage.instructions[piece.origin]
            .kept_packages()
            .filter(|package| installs(&package.name))
            .any(|package| self.is_library_headers(package))
    }

    /// Whether `package` is headers of a library a production image may lack (catalog tag
    /// `headers` without `system-headers`).
    fn is_library_headers(&self, package: &crate::model::Package) -> bool {
        let Some(info) = os_ecosystem(package.manager)
            .and_then(|ecosystem| self.catalog.package(ecosystem, &package.name))
        else {
            return false;
        };
        let has_tag = |tag: &str| info.tags.iter().any(|t| t == tag);
        has_tag(tag::HEADERS) && !has_tag(tag::SYSTEM_HEADERS)
    }

    /// A RUN, COPY or ADD that installs nothing and builds nothing: it can follow the
    /// development setup it works on into `dev`.
    fn is_plain_step(&self, position: usize, footprint: &Footprint) -> bool {
        let piece = &self.pieces[position];
        piece.role == Role::Step
            && !footprint.builds
            && !footprint.installs
            && self.stage.instructions[piece.origin].packages.is_empty()
    }

    /// A step that only configures development tools (every command or the destination
    /// names them, and none builds with them) goes to `dev` with them.
    fn is_dev_setup(&self, position: usize, dev: &Footprint) -> bool {
        let piece = &self.pieces[position];
        if piece.role != Role::Step {
            return false;
        }
        let model = &self.stage.instructions[piece.origin];
        let instruction = self.instruction(piece.origin);
        match instruction.kind {
            Keyword::Run => {
                let names_dev = |text: &str| {
                    // A relative path is a file of the working directory, the project's
                    // (`rm ./.git/hooks/pre-commit` edits cloned sources): its words name no tool.
                    (!footprint::is_relative_path(text)
                        && tokens(text).any(|token| dev.provides.contains(token)))
                        || in_package_directory(text, dev)
                };
                !model.script.is_empty()
                    && model.packages.is_empty()
                    && model.script.iter().enumerate().all(|(index, command)| {
                        if piece.commands_left_out.contains(&index) {
                            return true;
                        }
                        let args: Vec<&str> = command
                            .args
                            .iter()
                            .map(|word| word.value().unwrap_or(&word.raw))
                            .collect();
                        // A path of something else (`chmod +x /etc/init.d/named
                        // /etc/init.d/sshd`) keeps the command out of dev: production needs it.
                        let touches_other_paths = args
                            .iter()
                            .any(|arg| arg.starts_with('/') && !names_dev(arg));
                        // `echo … >> /etc/sudoers`: where it writes counts too.
                        let writes_dev_file = command
                            .redirections
                            .iter()
                            .any(|r| names_dev(word_str(&r.target)));
                        // `git --version > /etc/git-version` runs the tool to make a file of
                        // production: the step stays, with the tool installed for it.
                        let writes_other_file = command
                            .redirections
                            .iter()
                            .filter(|r| r.op.starts_with('>') || r.op.starts_with("&>"))
                            .map(|r| word_str(&r.target))
                            .any(|target| {
                                target.starts_with('/')
                                    && !target.starts_with("/dev/")
                                    && !names_dev(target)
                            });
                        // Building with the tools (`make && make install`, `go build`) makes
                        // something the image may use: not setup of the tools themselves.
                        // So does fetching sources with them (`git clone`).
                        if footprint::is_build_program(command.program().unwrap_or(""))
                            || footprint::fetches_sources(command)
                        {
                            return false;
                        }
                        let names_dev_tool = dev.provides.contains(command.program().unwrap_or(""))
                            || args.iter().any(|arg| names_dev(arg))
                            || writes_dev_file;
                        names_dev_tool && !touches_other_paths && !writes_other_file
                    })
            }
            _ => footprint::copy_destination(instruction).is_some_and(|destination| {
                tokens(&destination).any(|token| dev.provides.contains(token))
                    || in_package_directory(&destination, dev)
            }),
        }
    }

    /// Whether step `position` may run a program `dev` provides: by name, as a Python module
    /// (`python -m jupyter`), or in a script given as a word (`sh -c '…'`); a COPY or ADD
    /// runs nothing.
    fn runs_a_program_of(&self, position: usize, dev: &Footprint) -> bool {
        let piece = &self.pieces[position];
        if self.instruction(piece.origin).kind != Keyword::Run {
            return false;
        }
        let model = &self.stage.instructions[piece.origin];
        model.script_error.is_some()
            || model.script.iter().enumerate().any(|(index, command)| {
                let program = command.program().unwrap_or("");
                let mut words = std::iter::once(&command.name)
                    .chain(&command.args)
                    .map(|word| word.value().unwrap_or(&word.raw));
                let runs_module = words
                    .clone()
                    .skip_while(|word| *word != "-m")
                    .nth(1)
                    .is_some_and(|module| dev.provides.contains(module));
                let runs_script = crate::shell::dialect(&[program.to_string()])
                    == crate::shell::Dialect::Posix
                    && words.any(|word| word == "-c");
                let runs_wrapper = command
                    .wrapper_calls()
                    .any(|(name, _, _)| dev.provides.contains(name));
                !piece.commands_left_out.contains(&index)
                    && (runs_module
                        || runs_script
                        || runs_wrapper
                        || dev.provides.contains(program))
            })
    }

    /// ENV, ARG, WORKDIR, USER and SHELL go where the next step (or setting) goes.
    fn place_context(&mut self) {
        let mut next_layer = Layer::App;
        for piece in self.pieces.iter_mut().rev() {
            match piece.role {
                Role::Context => {
                    piece.layer = next_layer;
                    piece.reason = format!("context of the next {} step", next_layer.as_str());
                }
                _ if piece.layer != Layer::Dev => next_layer = piece.layer,
                _ => {}
            }
        }
    }

    fn base_choice(&self) -> BaseChoice {
        let from = match &self.dockerfile.items[item_at(self.dockerfile, self.stage.span.start)] {
            Item::Instruction(instruction) => instruction,
            _ => unreachable!("a stage starts at its FROM"),
        };
        let flags: String = from
            .flags
            .iter()
            .map(|flag| format!("{} ", flag.span.text(&self.dockerfile.source)))
            .collect();
        let written = match &from.arguments {
            Arguments::Words(words) => words.first().map(|w| w.text.clone()),
            _ => None,
        }
        .unwrap_or_else(|| self.stage.base.raw.clone());
        let mut choice = BaseChoice {
            flags,
            image: written.clone(),
            swapped_from: None,
            sizes: None,
            kept_because: None,
        };
        let (Some(image), None) = (&self.stage.image, self.stage.base.stage) else {
            return choice;
        };
        let Some(alternative) = &image.alternative else {
            return choice;
        };
        if !image.kind.is_full_os() {
            return choice;
        }
        let builds = self
            .footprints
            .iter()
            .flatten()
            .any(|footprint| footprint.builds);
        let reason = if !alternative.same_package_family || alternative.multi_stage {
            Some(match &alternative.note {
                Some(note) => format!("moving to it is a manual change ({note})"),
                None => {
                    "it uses other package names or tools: moving to it is a manual change".into()
                }
            })
        } else if self.stage.base.written.is_some() || self.stage.base.digest.is_some() {
            Some("the FROM uses variables or a digest".into())
        } else if image.kind == ImageKind::Language && builds {
            Some(format!(
                "the build compiles or fetches dependencies, and `{}` lacks the compilers of `{written}`",
                alternative.image
            ))
        } else {
            None
        };
        if let Some(reason) = reason {
            choice.kept_because = Some(format!(
                "lighter `{}` not used: {reason}",
                alternative.image
            ));
            return choice;
        }
        choice.swapped_from = Some(written);
        choice.image = alternative.image.clone();
        choice.sizes = image.size_mb.zip(alternative.size_mb);
        choice
    }

    /// An image whose container runs sshd has no production image without it.
    fn check_service_is_not_sshd(&self) -> Result<(), Refusal> {
        for model in &self.stage.instructions {
            if (model.keyword == "CMD" || model.keyword == "ENTRYPOINT")
                && model.script.iter().any(|c| c.program() == Some("sshd"))
            {
                return Err(Refusal {
                    line: model.line,
                    reason: "the container's command is sshd: without it there is no production image; give the image a service of its own first".into(),
                });
            }
        }
        Ok(())
    }

    fn notice_what_needs_a_human(&mut self) {
        for model in &self.stage.instructions {
            for package in &model.packages {
                let tagged = |tag: &str| package.tags.iter().any(|t| t == tag);
                if package.action != Action::Install || package.removed_later {
                    continue;
                }
                let note = if tagged("supervisor")
                    || tagged("init") && !is_pid1_helper(&package.name)
                {
                    Some(
                        "starts several services in one container (HC003): give each service its own container; meanwhile check that its configuration starts nothing that moved to dev (sshd)",
                    )
                } else if tagged("cron") {
                    Some(
                        "runs cron in the container (HC004): move the jobs to the orchestrator's scheduler",
                    )
                } else if tagged("cm-agent") {
                    Some(
                        "installs a configuration-management agent (HC005): apply the configuration at build time instead of running the agent",
                    )
                } else {
                    None
                };
                if let Some(note) = note {
                    self.notes
                        .push(format!("line {}: `{}` {note}", package.line, package.name));
                }
            }
        }
    }
}

/// A path inside a directory the installed packages create (catalog `paths`:
/// `/etc/sudoers.d/x` with sudo).
fn in_package_directory(path: &str, install: &Footprint) -> bool {
    path.starts_with('/')
        && install
            .paths
            .iter()
            .any(|directory| footprint::within(&crate::model::clean_path(path), directory))
}

/// The words to cut from the command of invocation `invocation` so that it installs only
/// `packages` (indexes into the RUN's packages): its other packages, and the operands computed
/// when it runs (they stay with the original command, see `computed_operands`).
pub(super) fn words_cut_from_install(
    model: &InstructionModel,
    invocation: usize,
    packages: &[usize],
) -> Vec<Span> {
    let command = &model.script[model.invocations[invocation].command];
    model
        .packages
        .iter()
        .enumerate()
        .filter(|(index, package)| {
            package.invocation == invocation
                && package.action == Action::Install
                && !packages.contains(index)
        })
        .map(|(_, package)| package.span)
        .chain(computed_operands(
            command,
            model.invocations[invocation].manager,
        ))
        .collect()
}

/// The commands of a shell-form CMD or ENTRYPOINT that start sshd as a background service
/// (`service ssh start`, `/etc/init.d/ssh start`, `systemctl start sshd`, `/usr/sbin/sshd`
/// without `-D`), each with the `&&` or `;` joining it to the rest.
pub fn sshd_start_spans(source: &str, model: &InstructionModel) -> Vec<Span> {
    if model.script_error.is_some() {
        return Vec::new();
    }
    model
        .script
        .iter()
        .enumerate()
        .filter(|(_, command)| starts_sshd_service(command))
        .filter_map(|(index, _)| command_with_connector(source, &model.script, index))
        .collect()
}

fn starts_sshd_service(command: &Command) -> bool {
    let args: Vec<&str> = command
        .args
        .iter()
        .map(|word| word.value().unwrap_or(&word.raw))
        .collect();
    let is_ssh = |name: &str| {
        matches!(
            name.trim_end_matches(".service"),
            "ssh" | "sshd" | "openssh" | "openssh-server"
        )
    };
    let starts = |verb: &str| matches!(verb, "start" | "restart");
    match command.program() {
        Some("service") => args.len() == 2 && is_ssh(args[0]) && starts(args[1]),
        Some("systemctl") => args.len() == 2 && starts(args[0]) && is_ssh(args[1]),
        Some("ssh" | "sshd") if command.name.raw.contains("init.d") => {
            args.len() == 1 && starts(args[0])
        }
        Some("sshd") => !args.iter().any(|arg| arg.starts_with("-D")),
        _ => false,
    }
}

/// ` (a, b, c)`, or nothing for no package; long lists are cut.
/// The operands of a package manager's command whose text is computed when it runs
/// (`$(if apt-cache show iproute …; then echo iproute; …)`, `grub-efi-$(dpkg --print-architecture)`):
/// packages nobody can name before the build. They stay with the command that has them.
/// Variables (`$APT_OPTS`, `$PACKAGES`) are not among them: options and packages alike come
/// from variables, and moving an install without its options would change it.
fn computed_operands(command: &Command, manager: &str) -> Vec<Span> {
    let mut operands = Vec::new();
    let mut takes_value = false;
    for word in &command.args {
        let is_operand = !word.raw.starts_with('-') && !takes_value;
        takes_value = crate::model::option_takes_next_word(manager, &word.raw);
        let computed =
            word.value().is_none() && (word.raw.contains("$(") || word.raw.contains('`'));
        if is_operand && computed {
            operands.push(word.span);
        }
    }
    operands
}

fn shown_packages(packages: &[String]) -> String {
    match packages.len() {
        0 => String::new(),
        1..=4 => format!(" ({})", packages.join(", ")),
        n => format!(" ({}, … {} in all)", packages[..3].join(", "), n),
    }
}

fn is_pid1_helper(name: &str) -> bool {
    ["tini", "dumb-init", "catatonit"].contains(&name)
}

fn run_reason(layer: Layer) -> String {
    match layer {
        Layer::Os => "base-system setup (users, locale, package index, upgrades)".into(),
        _ => format!("{} step", layer.as_str()),
    }
}

fn copy_layer(instruction: &Instruction) -> (Layer, String) {
    if instruction.flags.iter().any(|flag| flag.name == "from") {
        return (Layer::App, "an artifact of another stage".into());
    }
    let destination = footprint::copy_destination(instruction).unwrap_or_default();
    if tokens(&destination).any(|token| SSH_WORDS.contains(&token)) {
        return (Layer::Dev, "sshd configuration (HC002)".into());
    }
    if destination.starts_with("/etc/") {
        return (Layer::Runtime, "server configuration under /etc".into());
    }
    (Layer::App, "application files".into())
}

/// Managers whose installs the split can write on its own.
fn synthesizable(manager: &str) -> bool {
    matches!(
        manager,
        "apt-get"
            | "apt"
            | "aptitude"
            | "yum"
            | "dnf"
            | "microdnf"
            | "dnf5"
            | "tdnf"
            | "zypper"
            | "apk"
            | "pacman"
    )
}

/// For each command of a RUN script: whether it runs only under some condition (inside
/// `if`/`case`/a loop/a group or subshell, in a condition, after `||`, in the background, or
/// nested in another command). Reserved words live between the top-level commands, so a scan
/// of those gaps (comments left out) tracks how deep each command sits.
pub(super) fn conditional_commands(source: &str, model: &InstructionModel) -> Vec<bool> {
    let mut result = vec![true; model.script.len()];
    if model.script_error.is_some() {
        return result;
    }
    let mut depth: i32 = 0;
    let mut at = model.span.start;
    for (index, command) in model.script.iter().enumerate() {
        let context = command.context;
        if context.in_substitution || context.nested_shell || command.span.start < at {
            continue;
        }
        depth += depth_change(&source[at..command.span.start]);
        result[index] =
            depth != 0 || context.in_condition || context.after_or || context.background;
        at = command.span.end;
    }
    result
}

/// How much the reserved words of a gap between commands open (`if`, `case`, `do`, `{`, `(`)
/// or close (`fi`, `esac`, `done`, `}`, `)`) compound commands.
fn depth_change(gap: &str) -> i32 {
    gap_tokens(gap)
        .map(|token| match token {
            "if" | "case" | "do" | "{" => 1,
            "fi" | "esac" | "done" | "}" => -1,
            _ => subshell_change(token),
        })
        .sum()
}

/// How many subshells a token of a gap between commands opens (`(`, `((`) or closes (`)`).
fn subshell_change(token: &str) -> i32 {
    if token.starts_with('(') {
        token.chars().filter(|c| *c == '(').count() as i32
    } else if !token.is_empty() && token.chars().all(|c| c == ')') {
        -(token.len() as i32)
    } else {
        0
    }
}

/// The words of a gap between commands, comments left out.
fn gap_tokens(gap: &str) -> impl Iterator<Item = &str> {
    gap.lines().flat_map(|line| {
        let code = match line.find('#') {
            Some(hash) if line[..hash].trim_end().len() < hash || hash == 0 => &line[..hash],
            _ => line,
        };
        code.split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '|')
    })
}

/// The span of top-level command `index` with the `&&` or `;` that joins it to its
/// neighbour, when it is joined that way.
fn command_with_connector(source: &str, script: &[Command], index: usize) -> Option<Span> {
    let top_level = |command: &Command| in_top_level_list(&command.context);
    let command = script.get(index).filter(|c| top_level(c))?;
    let is_connector = |text: &str| {
        let joined = text.replace("\\\n", " ").replace("\\\r\n", " ");
        matches!(joined.trim(), "&&" | ";")
    };
    let previous = script[..index].iter().rev().find(|c| top_level(c));
    if let Some(previous) = previous.filter(|p| p.span.end <= command.span.start) {
        // The previous command may end a subshell or group (`(cd src && make) && next`): the
        // connector comes after its closing words, which stay.
        let gap = &source[previous.span.end..command.span.start];
        let closed = gap
            .rfind([')', '}'])
            .filter(|&at| is_closing(&gap[..=at]))
            .map_or(0, |at| at + 1);
        if is_connector(&gap[closed..]) {
            return Some(Span::new(previous.span.end + closed, command.span.end));
        }
    }
    let next = script[index + 1..].iter().find(|c| top_level(c));
    if let Some(next) = next.filter(|n| n.span.start >= command.span.end) {
        if is_connector(&source[command.span.end..next.span.start]) {
            return Some(Span::new(command.span.start, next.span.start));
        }
    }
    None
}

/// A command of the script's top-level `&&`/`;` list, or of a `( … )` subshell in it: the
/// subshell's commands are read as the list's own, its parentheses left where they are (see
/// [`is_closing`]; [`conditional_commands`] tells commands inside it apart).
fn in_top_level_list(context: &ShellContext) -> bool {
    ShellContext {
        in_subshell: false,
        ..*context
    } == ShellContext::default()
}

/// Text between commands made only of the words closing subshells and groups (`)`, `}`),
/// blanks and line continuations.
fn is_closing(text: &str) -> bool {
    text.replace("\\\r\n", " ")
        .replace("\\\n", " ")
        .chars()
        .all(|c| c.is_whitespace() || c == ')' || c == '}' || c == ';')
}

/// A command written over several lines (continuations, comment lines), as one line.
pub(super) fn one_line(text: &str, escape: char) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.strip_suffix(escape).unwrap_or(line).trim_end())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An instruction whose last line continues (it ran to the end of the file) must not swallow
/// what the split writes after it: blank trailing lines and the escape go.
fn close_dangling_continuation(text: &str, escape: char) -> String {
    let mut kept = text.trim_end();
    // Comment and blank lines inside a continuation belong to no line of the instruction.
    while let Some((before, last)) = kept.rsplit_once('\n') {
        if last.trim().is_empty() || last.trim_start().starts_with('#') {
            kept = before.trim_end();
        } else {
            break;
        }
    }
    match kept.strip_suffix(escape) {
        Some(before) if !before.ends_with(escape) => format!("{}\n", before.trim_end()),
        _ => text.to_string(),
    }
}

/// The instruction text with the given words taken out: a word alone on its line (with a line
/// continuation) takes the line with it; otherwise the word and the blanks before it go.
pub fn remove_words(source: &str, span: Span, words: &[Span]) -> String {
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for word in words {
        let line_start = source[..word.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[word.end..]
            .find('\n')
            .map_or(source.len(), |i| word.end + i + 1);
        let before = &source[line_start..word.start];
        let after = source[word.end..line_end].trim_end_matches(['\n', '\r']);
        let alone = after.trim() == "\\" || after.trim() == "`" || after.trim().is_empty();
        if before.trim().is_empty() && alone && line_start > span.start {
            cuts.push((line_start, line_end));
        } else {
            let mut start = word.start;
            // The blanks before go too, unless text follows right after the cut (a command
            // cut with the `&& ` after it): they then keep it apart from what was before.
            let glued = source[word.end..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace());
            while !glued
                && start > span.start
                && matches!(source.as_bytes()[start - 1], b' ' | b'\t')
            {
                start -= 1;
            }
            cuts.push((start, word.end));
        }
    }
    cuts.sort();
    let mut text = String::new();
    let mut at = span.start;
    for (start, end) in cuts {
        if start < at {
            continue;
        }
        text.push_str(&source[at..start]);
        at = end;
    }
    // A cut line may reach past the end of a command's span.
    text.push_str(&source[at.min(span.end)..span.end]);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closes_a_continuation_left_open_at_the_end_of_the_file() {
        assert_eq!(
            close_dangling_continuation("RUN a \\\n\tb \\\n\t\n\n", '\\'),
            "RUN a \\\n\tb\n"
        );
        assert_eq!(close_dangling_continuation("RUN a\n", '\\'), "RUN a\n");
    }

    #[test]
    fn tracks_compound_command_depth() {
        assert_eq!(depth_change(" && if "), 1);
        assert_eq!(depth_change("; then "), 0);
        assert_eq!(depth_change("; fi && "), -1);
        assert_eq!(depth_change(" # if this\n && "), 0);
        assert_eq!(depth_change("; x86_64) "), 0);
        assert_eq!(depth_change(" && ( "), 1);
        assert_eq!(depth_change(" ) && "), -1);
    }

    #[test]
    fn removes_words_and_their_lines() {
        let source = "RUN apt-get install -y \\\n    apache2 \\\n    vim \\\n && rm x\n";
        let vim = source.find("vim").unwrap();
        let text = remove_words(
            source,
            Span::new(0, source.len()),
            &[Span::new(vim, vim + 3)],
        );
        assert_eq!(
            text,
            "RUN apt-get install -y \\\n    apache2 \\\n && rm x\n"
        );
        let last = "RUN apk add \\\n\tbash \\\n#\n\thtop\n";
        let htop = last.find("htop").unwrap();
        let text = remove_words(last, Span::new(0, last.len()), &[Span::new(htop, htop + 4)]);
        assert_eq!(
            close_dangling_continuation(&text, '\\'),
            "RUN apk add \\\n\tbash\n"
        );
        let inline = "RUN apt-get install -y apache2 vim\n";
        let v = inline.find("vim").unwrap();
        assert_eq!(
            remove_words(inline, Span::new(0, inline.len()), &[Span::new(v, v + 3)]),
            "RUN apt-get install -y apache2\n"
        );
    }
}
