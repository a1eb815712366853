//! Writes a plan out: one multi-stage Dockerfile (`os` → `runtime` → `ops` → `app`, then
//! `dev` and `prod` on `app`), or one Dockerfile per layer with a `docker-bake.hcl` chaining
//! them.
//!
//! Every step runs with the context it had: before each one, the WORKDIR, USER and SHELL it
//! ran with and the ENV/ARG values it reads are re-established when the layer it landed in
//! differs (by re-emitting the original ENV/ARG instruction, so build arguments keep working).
//! At the end of `app` (and of `dev`) the image configuration is brought back to the
//! original's final one.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Action, AssignmentKind, Context, Layer, Stage, is_root_user, os_ecosystem};
use crate::syntax::{Arguments, Dockerfile, Item, Keyword};

use super::Refusal;
use super::footprint::depends_on_workdir;
use super::plan::{Piece, Plan, Role, install_reads_working_directory};
use super::transient_shape::as_user::written_user;

/// Variables every RUN depends on without naming them.
const IMPLICIT_RUN_VARIABLES: [&str; 2] = ["PATH", "DEBIAN_FRONTEND"];

/// Variables that only silence prompts, warnings and caches while building: a step that now
/// sees one the original set only later installs and builds exactly the same things, so they
/// travel with the steps instead of stopping the split. (A step that saw one still gets it.)
const BUILD_TIME_ONLY_VARIABLES: [&str; 7] = [
    "DEBIAN_FRONTEND",
    "DEBCONF_NONINTERACTIVE_SEEN",
    "APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE",
    "PIP_NO_CACHE_DIR",
    "PIP_DISABLE_PIP_VERSION_CHECK",
    "PYTHONDONTWRITEBYTECODE",
    "NPM_CONFIG_LOGLEVEL",
];

/// The stage names of the stack, never colliding with the names of stages kept as they are.
#[derive(Clone, Debug)]
pub struct StageNames {
    names: BTreeMap<&'static str, String>,
}

impl StageNames {
    pub fn new(taken: &[String]) -> StageNames {
        let mut names = BTreeMap::new();
        for layer in ["os", "runtime", "ops", "app", "dev", "prod", "build"] {
            let mut name = layer.to_string();
            let mut counter = 1;
            while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
                counter += 1;
                name = if counter == 2 {
                    format!("{layer}-layer")
                } else {
                    format!("{layer}-layer-{counter}")
                };
            }
            names.insert(layer, name);
        }
        StageNames { names }
    }

    pub fn of(&self, layer: &str) -> &str {
        &self.names[layer]
    }
}

/// Who owns each layer, for the header of its file.
pub fn owner(layer: &str) -> &'static str {
    match layer {
        "os" => "minimal base, CA certificates, locale, users; owned by system administrators",
        "runtime" => {
            "servers and language runtimes with their static configuration; owned by the server and runtime team"
        }
        "ops" => "logging, metrics and monitoring facilities; owned by DevOps",
        "app" => "the application, its dependencies and runtime configuration; owned by developers",
        "dev" => {
            "the development image: app plus editors, compilers, debuggers and sshd; owned by developers"
        }
        "build" => {
            "the app's build steps with the development packages they need; production copies their outputs"
        }
        _ => "the production image: the app layer as it is",
    }
}

/// The state a layer's instructions run in, as the emitter tracks it.
#[derive(Clone, Debug)]
struct State {
    context: Context,
    env: BTreeMap<String, String>,
    /// ARGs declared in the current stage (they do not cross FROM).
    args: BTreeMap<String, String>,
    /// ARGs declared in the current stage without a default (`ARG TOMCAT_VER`): no value the
    /// model knows, but `--build-arg` gives them one.
    bare_args: BTreeSet<String>,
}

pub struct Emitter<'a> {
    pub dockerfile: &'a Dockerfile,
    pub stage: &'a Stage,
    pub plan: &'a Plan,
    pub names: &'a StageNames,
    /// The image default user can be taken as root (a catalog-known base).
    pub root_by_default: bool,
    /// The base image's own working directory, when the catalog knows it.
    pub base_workdir: Option<&'a str>,
}

/// One layer's stage: its name, the stage it is built on, and its body.
pub struct LayerText {
    pub name: String,
    pub layer: &'static str,
    pub from: String,
    pub body: String,
}

impl Emitter<'_> {
    /// The layers' stages, bottom to top, then `dev` (when there is one) and `prod`.
    pub fn layer_texts(&self) -> Result<Vec<LayerText>, Refusal> {
        let mut texts = Vec::new();
        let first = &self.stage.instructions;
        let mut state = State {
            context: first.first().map_or_else(
                || self.stage.final_context.clone(),
                |m| (*m.context).clone(),
            ),
            env: self.stage.initial_env.clone(),
            args: BTreeMap::new(),
            bare_args: BTreeSet::new(),
        };
        let mut below = format!("{}{}", self.plan.base.flags, self.plan.base.image);
        let production_layers: Vec<Layer> = self
            .plan
            .layers()
            .into_iter()
            .filter(|layer| *layer != Layer::Dev)
            .collect();
        for layer in &production_layers {
            state.args.clear();
            state.bare_args.clear();
            if *layer == Layer::App && !self.plan.builds.is_empty() {
                texts.push(self.build_stage(&below, state.clone())?);
            }
            let mut body = String::new();
            for (index, piece) in self.plan.pieces.iter().enumerate() {
                if piece.layer != *layer {
                    continue;
                }
                match self.plan.build_of(index) {
                    Some(build) => self.copy_outputs(piece, &build.outputs, &mut body),
                    None => self.emit_piece(piece, &mut state, &mut body)?,
                }
            }
            if *layer == Layer::App {
                self.restore_final(&mut state, &mut body)?;
            }
            let name = self.names.of(layer.as_str()).to_string();
            texts.push(LayerText {
                name: name.clone(),
                layer: layer.as_str(),
                from: below,
                body,
            });
            below = name;
        }
        let app_state = state.clone();
        if self
            .plan
            .pieces
            .iter()
            .any(|piece| piece.layer == Layer::Dev)
        {
            state.args.clear();
            state.bare_args.clear();
            let mut body = String::new();
            for piece in self.pieces_of(Layer::Dev) {
                self.emit_piece(piece, &mut state, &mut body)?;
            }
            self.restore(&mut state, &app_state, &mut body)?;
            texts.push(LayerText {
                name: self.names.of("dev").to_string(),
                layer: "dev",
                from: below.clone(),
                body,
            });
        }
        texts.push(LayerText {
            name: self.names.of("prod").to_string(),
            layer: "prod",
            from: below,
            body: String::new(),
        });
        Ok(texts)
    }

    /// The `build` stage, on the layer below `app`: the `app` steps before the last build
    /// step, the development pieces the build steps need, and the build steps, in their order.
    fn build_stage(&self, below: &str, mut state: State) -> Result<LayerText, Refusal> {
        let last = self
            .plan
            .builds
            .iter()
            .map(|build| build.piece)
            .max()
            .unwrap_or(0);
        let needed = |index: usize| {
            self.plan
                .builds
                .iter()
                .any(|build| build.needs.contains(&index))
        };
        let mut body = String::new();
        let mut emitted: Vec<usize> = Vec::new();
        for (index, piece) in self.plan.pieces.iter().enumerate().take(last + 1) {
            if !matches!(piece.role, Role::Step | Role::Install) || emitted.contains(&index) {
                continue;
            }
            // What a build step needs runs right before it (an install cut out of the same
            // RUN comes after it in the plan).
            if let Some(build) = self.plan.build_of(index) {
                for &need in &build.needs {
                    if !emitted.contains(&need) {
                        self.emit_piece(&self.plan.pieces[need], &mut state, &mut body)?;
                        emitted.push(need);
                    }
                }
            }
            if piece.layer == Layer::App && !needed(index) || self.plan.build_of(index).is_some() {
                self.emit_piece(piece, &mut state, &mut body)?;
                emitted.push(index);
            }
        }
        Ok(LayerText {
            name: self.names.of("build").to_string(),
            layer: "build",
            from: below.to_string(),
            body,
        })
    }

    /// Where a build step stood in production: its outputs, copied from the build stage.
    fn copy_outputs(&self, piece: &Piece, outputs: &[String], body: &mut String) {
        let (comments, _) = split_leading_comments(&piece.text);
        body.push_str(comments);
        body.push_str(&format!(
            "# line {}: built in the {} stage, which has the development packages it needs\n",
            piece.line,
            self.names.of("build")
        ));
        for output in outputs {
            body.push_str(&format!(
                "COPY --from={} {output} {output}\n",
                self.names.of("build")
            ));
        }
    }

    fn pieces_of(&self, layer: Layer) -> impl Iterator<Item = &Piece> {
        self.plan
            .pieces
            .iter()
            .filter(move |piece| piece.layer == layer)
    }

    fn emit_piece(
        &self,
        piece: &Piece,
        state: &mut State,
        body: &mut String,
    ) -> Result<(), Refusal> {
        match piece.role {
            Role::Context => {
                let assigns = self
                    .stage
                    .assignments
                    .iter()
                    .any(|a| a.instruction == piece.origin);
                if assigns {
                    // The comments stay even when the assignment itself is not needed again.
                    let (comments, instruction) = split_leading_comments(&piece.text);
                    body.push_str(comments);
                    self.write_assignments(piece.origin, instruction, state, body);
                } else {
                    body.push_str(&piece.text);
                    self.apply(piece.origin, state);
                }
            }
            Role::Step | Role::Install => {
                self.establish(piece, state, body)?;
                body.push_str(&piece.text);
            }
            Role::Config => {
                if reads_shell(&piece.text) {
                    let wanted = &self.stage.instructions[piece.origin].context.shell;
                    self.set_shell(wanted, state, body);
                }
                body.push_str(&piece.text);
            }
        }
        Ok(())
    }

    /// Re-creates the context the original instruction ran with.
    fn establish(
        &self,
        piece: &Piece,
        state: &mut State,
        body: &mut String,
    ) -> Result<(), Refusal> {
        let original = &self.stage.instructions[piece.origin];
        let wanted = &original.context;
        let refuse = |reason: String| Refusal {
            line: piece.line,
            reason,
        };
        self.set_shell(&wanted.shell, state, body);
        // An install of packages does not depend on its working directory, nor does a step
        // that names only absolute paths: it may run in another one.
        let instruction = match &self.dockerfile.items[original.item] {
            Item::Instruction(instruction) => Some(instruction),
            _ => None,
        };
        let installs_in_workdir = original.packages.iter().any(|package| {
            piece.packages.contains(&package.name)
                && install_reads_working_directory(package.manager)
        });
        let needs_workdir = installs_in_workdir
            || (piece.role != Role::Install
                && instruction.is_none_or(|instruction| {
                    depends_on_workdir(
                        instruction,
                        original,
                        &self.stage.variables_at(piece.origin),
                    )
                }));
        if needs_workdir && !self.set_workdir(&wanted.workdir, state, body) {
            return Err(refuse(
                "this step ran in the base image's working directory, which a moved WORKDIR now changes".into(),
            ));
        }
        let root = Some("root".to_string());
        let user = if piece.runs_as_root {
            &root
        } else {
            &wanted.user
        };
        if !self.set_user(user, piece.origin, state, body) {
            return Err(refuse(
                "this step ran as the base image's default user, which a moved USER now changes"
                    .into(),
            ));
        }
        let env = self.stage.env_at(piece.origin);
        let args = self.stage.args_at(piece.origin);
        for name in self.variables_read(piece) {
            self.declare_bare_arg(piece.origin, &name, state, body);
            let wanted_env = env.get(&name);
            if wanted_env.is_some() || !args.contains_key(&name) {
                if wanted_env == state.env.get(&name) {
                    continue;
                }
                if wanted_env.is_none() && BUILD_TIME_ONLY_VARIABLES.contains(&name.as_str()) {
                    continue;
                }
                if wanted_env.is_none() {
                    return Err(refuse(format!(
                        "this step reads `{name}`, which a moved ENV now sets before it"
                    )));
                }
                let value = wanted_env.cloned().unwrap_or_default();
                self.set_env(piece.origin, &name, &value, state, body);
                continue;
            }
            if args.get(&name) != state.args.get(&name) || state.env.contains_key(&name) {
                if state.env.contains_key(&name) {
                    return Err(refuse(format!(
                        "this step reads the ARG `{name}`, which a moved ENV of the same name now hides"
                    )));
                }
                let setter = self.last_assignment(piece.origin, &name, AssignmentKind::Arg);
                self.reemit(setter, state, body);
            }
        }
        Ok(())
    }

    fn set_shell(&self, wanted: &[String], state: &mut State, body: &mut String) {
        if wanted != state.context.shell.as_slice() {
            let json = serde_json::to_string(wanted).unwrap_or_else(|_| "[]".into());
            body.push_str(&format!("SHELL {json}\n"));
            state.context.shell = wanted.to_vec();
        }
    }

    /// The variables a piece reads: `$NAME` and `${NAME...}` in its text, and for a RUN those
    /// every command depends on.
    fn variables_read(&self, piece: &Piece) -> Vec<String> {
        let mut names = referenced_variables(&piece.text);
        if self.stage.instructions[piece.origin].keyword == "RUN" {
            names.extend(IMPLICIT_RUN_VARIABLES.iter().map(|s| s.to_string()));
        }
        names.sort();
        names.dedup();
        names
    }

    fn last_assignment(&self, before: usize, name: &str, kind: AssignmentKind) -> Option<usize> {
        self.stage
            .assignments
            .iter()
            .rev()
            .find(|a| a.instruction < before && a.name == name && a.kind == kind)
            .map(|a| a.instruction)
    }

    /// Emits the original ENV/ARG instruction `origin` again (without its comments).
    fn reemit(&self, origin: Option<usize>, state: &mut State, body: &mut String) {
        let Some(origin) = origin else {
            return;
        };
        let model = &self.stage.instructions[origin];
        let mut text = model.span.text(&self.dockerfile.source).to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        self.write_assignments(origin, &text, state, body);
    }

    /// Writes ENV/ARG instruction `origin` (as `text`, or as the values it set) unless the
    /// state already holds everything it sets.
    fn write_assignments(&self, origin: usize, text: &str, state: &mut State, body: &mut String) {
        let assignments: Vec<_> = self
            .stage
            .assignments
            .iter()
            .filter(|a| a.instruction == origin)
            .collect();
        let applied = assignments.iter().all(|a| {
            let map = match a.kind {
                AssignmentKind::Env => &state.env,
                AssignmentKind::Arg => &state.args,
            };
            map.get(&a.name) == Some(&a.value)
        });
        if applied && !assignments.is_empty() {
            return;
        }
        // As written it evaluates to the same values only if what it reads is as it was
        // (`ENV PATH=/opt/bin:$PATH` applied twice would repeat itself); otherwise the values
        // it set are written out.
        let env = self.stage.env_at(origin);
        let args = self.stage.args_at(origin);
        // An ENV that reads a build argument (`ENV TOMCAT_VER=${TOMCAT_VER}`) is written as it
        // was, after the ARG it reads, so `--build-arg` still changes it.
        for name in referenced_variables(text) {
            self.declare_bare_arg(origin, &name, state, body);
            let from_arg = args.contains_key(&name) && !env.contains_key(&name);
            if from_arg && args.get(&name) != state.args.get(&name) {
                if state.env.contains_key(&name) {
                    continue;
                }
                let setter = self.last_assignment(origin, &name, AssignmentKind::Arg);
                self.reemit(setter, state, body);
            }
        }
        let same_inputs = referenced_variables(text).iter().all(|name| {
            let then = env.get(name).or_else(|| args.get(name));
            let now = state.env.get(name).or_else(|| state.args.get(name));
            then == now
        });
        if same_inputs {
            body.push_str(text);
        } else {
            for assignment in assignments {
                let keyword = match assignment.kind {
                    AssignmentKind::Env => "ENV",
                    AssignmentKind::Arg => "ARG",
                };
                body.push_str(&format!(
                    "{keyword} {}={}\n",
                    assignment.name,
                    quote_env(&assignment.value)
                ));
            }
        }
        self.apply(origin, state);
    }

    /// Declares again, before instruction `before`, the stage's ARG without a default that
    /// `name` is (when it is one and this stage has not declared it yet), so that the step or
    /// ENV reading it still gets the `--build-arg` value rather than nothing.
    fn declare_bare_arg(&self, before: usize, name: &str, state: &mut State, body: &mut String) {
        let env = self.stage.env_at(before);
        let args = self.stage.args_at(before);
        if env.contains_key(name)
            || args.contains_key(name)
            || state.bare_args.contains(name)
            || state.env.contains_key(name)
        {
            return;
        }
        let Some(declaration) = (0..before)
            .rev()
            .find(|&i| self.bare_args_of(i).iter().any(|arg| arg == name))
        else {
            return;
        };
        let model = &self.stage.instructions[declaration];
        let mut text = model.span.text(&self.dockerfile.source).to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        body.push_str(&text);
        self.apply(declaration, state);
    }

    /// The names instruction `index` declares as ARGs without a default.
    fn bare_args_of(&self, index: usize) -> Vec<String> {
        let model = &self.stage.instructions[index];
        match &self.dockerfile.items[model.item] {
            Item::Instruction(instruction) if instruction.kind == Keyword::Arg => {
                match &instruction.arguments {
                    Arguments::Words(words) => words
                        .iter()
                        .filter(|word| !word.text.contains('='))
                        .map(|word| word.text.clone())
                        .collect(),
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    /// What a context instruction does to the state.
    fn apply(&self, origin: usize, state: &mut State) {
        state.bare_args.extend(self.bare_args_of(origin));
        for assignment in self
            .stage
            .assignments
            .iter()
            .filter(|a| a.instruction == origin)
        {
            let map = match assignment.kind {
                AssignmentKind::Env => &mut state.env,
                AssignmentKind::Arg => &mut state.args,
            };
            map.insert(assignment.name.clone(), assignment.value.clone());
        }
        let after = self
            .stage
            .instructions
            .get(origin + 1)
            .map_or(&self.stage.final_context, |next| &next.context);
        match self.stage.instructions[origin].keyword.as_str() {
            "WORKDIR" => state.context.workdir = after.workdir.clone(),
            "USER" => state.context.user = after.user.clone(),
            "SHELL" => state.context.shell = after.shell.clone(),
            _ => {}
        }
    }

    /// Brings the image configuration back to the original's final one.
    fn restore_final(&self, state: &mut State, body: &mut String) -> Result<(), Refusal> {
        let final_state = State {
            context: self.stage.final_context.clone(),
            env: self.stage.env_at(self.stage.instructions.len()),
            args: BTreeMap::new(),
            bare_args: BTreeSet::new(),
        };
        self.restore(state, &final_state, body)
    }

    fn restore(&self, state: &mut State, wanted: &State, body: &mut String) -> Result<(), Refusal> {
        let end = self.stage.instructions.len();
        for (name, value) in &wanted.env {
            if state.env.get(name) != Some(value) {
                self.set_env(end, name, value, state, body);
            }
        }
        if let Some(name) = state
            .env
            .keys()
            .find(|name| !wanted.env.contains_key(*name))
        {
            return Err(Refusal {
                line: self.stage.line,
                reason: format!(
                    "the image would end with `{name}` set, which the original does not set"
                ),
            });
        }
        self.set_shell(&wanted.context.shell, state, body);
        let refuse = |reason: &str| Refusal {
            line: self.stage.line,
            reason: reason.into(),
        };
        if !self.set_workdir(&wanted.context.workdir, state, body) {
            return Err(refuse(
                "the image would end in another working directory than the base image's",
            ));
        }
        if !self.set_user(
            &wanted.context.user,
            self.stage.instructions.len(),
            state,
            body,
        ) {
            return Err(refuse(
                "the image would end with another user than the base image's",
            ));
        }
        Ok(())
    }

    /// Sets the working directory to `wanted` (`None`: the base image's, when the catalog knows
    /// it); false when that cannot be written.
    fn set_workdir(&self, wanted: &Option<String>, state: &mut State, body: &mut String) -> bool {
        if *wanted == state.context.workdir {
            return true;
        }
        match wanted {
            Some(workdir) => body.push_str(&format!("WORKDIR {workdir}\n")),
            None => match self.base_workdir {
                Some(workdir) => body.push_str(&format!("WORKDIR {workdir}\n")),
                None => return false,
            },
        }
        state.context.workdir = wanted.clone();
        true
    }

    /// Sets the user to `wanted` (`None`: the base image's, root for a catalog-known base);
    /// false when that cannot be written.
    /// `before`: the instruction it is set for (the stage's length: its end), whose USER is
    /// written again as the original wrote it (`USER $APP_USER`, which build arguments change).
    fn set_user(
        &self,
        wanted: &Option<String>,
        before: usize,
        state: &mut State,
        body: &mut String,
    ) -> bool {
        let is_root =
            |user: &Option<String>| user.as_deref().map_or(self.root_by_default, is_root_user);
        if *wanted == state.context.user || is_root(wanted) && is_root(&state.context.user) {
            return true;
        }
        let context_there = self
            .stage
            .instructions
            .get(before)
            .map_or(&self.stage.final_context, |model| &model.context);
        let written = (context_there.user == *wanted)
            .then(|| written_user(self.dockerfile, self.stage, before))
            .flatten();
        match written.as_ref().or(wanted.as_ref()) {
            Some(user) => body.push_str(&format!("USER {user}\n")),
            None if self.root_by_default => body.push_str("USER root\n"),
            None => return false,
        }
        state.context.user = wanted.clone();
        true
    }

    /// Sets ENV `name` to `value` as the original did before instruction `before`: its last
    /// ENV setting it again, or the value itself when the stage started with it.
    fn set_env(
        &self,
        before: usize,
        name: &str,
        value: &str,
        state: &mut State,
        body: &mut String,
    ) {
        match self.last_assignment(before, name, AssignmentKind::Env) {
            Some(setter) => self.reemit(Some(setter), state, body),
            None => {
                body.push_str(&format!("ENV {name}={}\n", quote_env(value)));
                state.env.insert(name.to_string(), value.to_string());
            }
        }
    }
}

/// The comment (and blank) lines at the start of a piece's text, and the rest.
fn split_leading_comments(text: &str) -> (&str, &str) {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if !(trimmed.is_empty() || trimmed.starts_with('#')) {
            break;
        }
        at += line.len();
    }
    text.split_at(at)
}

/// Options under which a package manager changes nothing on the system (or installs into
/// another root), so any user may run it: `apt-get -s`, `--download-only`, `apk --root`,
/// `pacman -Sp`, `dnf --downloadonly`, `--installroot`.
const NO_SYSTEM_CHANGE_OPTIONS: [&str; 14] = [
    "s",
    "simulate",
    "dry-run",
    "just-print",
    "no-act",
    "recon",
    "d",
    "download-only",
    "downloadonly",
    "p",
    "print",
    "root",
    "installroot",
    "assumeno",
];

/// Whether the base image's default user is root, where that is exact: a base the catalog
/// knows, unless it runs as a non-root user; or a base nobody knows on which a step of the
/// stage, still as the default user, installs or removes OS packages in a way whose failure
/// fails the build (not behind `sudo`, a condition, `||`, `;` or a pipe). apt-get, yum/dnf,
/// apk, zypper and pacman refuse to change the package database for any user but root, and
/// the original built, so that user was root (uid 0, which `USER root` names everywhere).
pub fn default_user_is_root(stage: &Stage, source: &str) -> bool {
    if let Some(image) = &stage.image {
        return !image.traits.iter().any(|t| t == "nonroot");
    }
    stage.instructions.iter().any(|model| {
        if model.context.user.is_some() || model.script_error.is_some() {
            return false;
        }
        let conditional = super::plan::conditional_commands(source, model);
        model.invocations.iter().any(|invocation| {
            let index = invocation.command;
            let command = &model.script[index];
            let context = command.context;
            let failure_fails_the_step = !conditional[index]
                && !context.in_pipeline
                && !context.in_substitution
                && !context.nested_shell
                && command.wrappers.is_empty()
                && model.script[index..].windows(2).all(|pair| {
                    // Nested commands overlap the gap: they are no plain `&&` list.
                    source
                        .get(pair[0].span.end..pair[1].span.start)
                        .is_some_and(|gap| gap.replace("\\\n", " ").trim() == "&&")
                });
            failure_fails_the_step
                && matches!(invocation.action, Action::Install | Action::Remove)
                && os_ecosystem(invocation.manager).is_some()
                && !invocation
                    .options
                    .iter()
                    .any(|option| NO_SYSTEM_CHANGE_OPTIONS.contains(&option.as_ref()))
        })
    })
}

/// Shell-form CMD, ENTRYPOINT and HEALTHCHECK capture the SHELL in force.
fn reads_shell(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|line| !line.starts_with('#') && !line.is_empty())
        .is_some_and(|line| {
            let upper = line.to_ascii_uppercase();
            let rest = upper
                .strip_prefix("CMD")
                .or_else(|| upper.strip_prefix("ENTRYPOINT"))
                .or_else(|| upper.strip_prefix("HEALTHCHECK"));
            rest.is_some_and(|rest| !rest.trim_start().starts_with('['))
        })
}

/// Variable names referenced as `$NAME` or `${NAME...}`.
pub fn referenced_variables(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut names = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let start = if bytes.get(i + 1) == Some(&b'{') {
                i + 2
            } else {
                i + 1
            };
            let mut end = start;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
            if end > start && !bytes[start].is_ascii_digit() {
                names.push(text[start..end].to_string());
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    names
}

fn quote_env(value: &str) -> String {
    let mut quoted = String::from("\"");
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '$') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// The `--split=stages` Dockerfile.
pub fn stages_layout(plan: &Plan, texts: &[LayerText]) -> String {
    let mut out = String::new();
    out.push_str(&plan.before);
    out.push_str(&plan.after);
    if !out.is_empty() && !out.ends_with("\n\n") {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    for (index, text) in texts.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if index == 0 {
            out.push_str(&plan.from_comments);
        }
        out.push_str(&format!("# {} layer: {}\n", text.layer, owner(text.layer)));
        out.push_str(&format!("FROM {} AS {}\n", text.from, text.name));
        out.push_str(&text.body);
    }
    out.push_str(&plan.trailing_comments);
    out
}

/// The `--split=files` layout: `(file name, content)` pairs, the bake file last.
pub fn files_layout(
    dockerfile: &Dockerfile,
    plan: &Plan,
    texts: &[LayerText],
    input_name: &str,
    paths: &BakePaths,
) -> Vec<(String, String)> {
    let directives: String = dockerfile
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Directive(directive) => Some(directive.span.text(&dockerfile.source)),
            _ => None,
        })
        .collect();
    let kept = format!("{}{}", plan.before, plan.after);
    let kept_without_directives = kept.strip_prefix(directives.as_str()).unwrap_or(&kept);
    let mut files = Vec::new();
    for (index, text) in texts.iter().enumerate() {
        let mut content = directives.clone();
        content.push_str(&format!(
            "# {} layer: {}.\n# Generated by `dlayer fix --split=files` from {input_name}; built by docker-bake.hcl.\n",
            text.layer,
            owner(text.layer)
        ));
        let uses_kept = index == 0
            || plan
                .kept_stage_names
                .iter()
                .any(|name| mentions_stage(&text.body, name));
        if uses_kept && !kept_without_directives.trim().is_empty() {
            content.push_str(kept_without_directives);
            if !content.ends_with("\n\n") {
                content.push('\n');
            }
        }
        if index == 0 {
            content.push_str(&plan.from_comments);
        }
        content.push_str(&format!("FROM {}\n", text.from));
        content.push_str(&text.body);
        if index + 1 == texts.len() {
            content.push_str(&plan.trailing_comments);
        }
        files.push((format!("{}.Dockerfile", text.layer), content));
    }
    files.push(("docker-bake.hcl".into(), bake(texts, input_name, paths)));
    files
}

fn mentions_stage(body: &str, name: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    lower.contains(&format!("from={name}")) || lower.contains(&format!("from=\"{name}\""))
}

/// Where the bake file finds the build context and the layer files: paths relative to the bake
/// file's directory (bake resolves a Dockerfile relative to its context).
pub struct BakePaths {
    /// The original build context, seen from the bake file's directory (`..`).
    pub context: String,
    /// The bake file's directory, seen from the build context (`stack`).
    pub files_from_context: String,
}

fn bake(texts: &[LayerText], input_name: &str, paths: &BakePaths) -> String {
    let join = |dir: &str, file: &str| {
        let dir = dir.trim_end_matches('/');
        if dir.is_empty() || dir == "." {
            file.to_string()
        } else {
            format!("{dir}/{file}")
        }
    };
    let mut out = format!(
        "# Generated by `dlayer fix --split=files` from {input_name}.\n\
         # Paths are relative to this file: run bake in its directory (`docker buildx bake`;\n\
         # the development image: `docker buildx bake dev`).\n\n\
         group \"default\" {{\n  targets = [\"{}\"]\n}}\n",
        texts.last().map_or("prod", |t| t.name.as_str())
    );
    for (index, text) in texts.iter().enumerate() {
        out.push_str(&format!(
            "\ntarget \"{}\" {{\n  context    = \"{}\"\n  dockerfile = \"{}\"\n",
            text.name,
            paths.context,
            join(
                &paths.files_from_context,
                &format!("{}.Dockerfile", text.layer)
            )
        ));
        // The stage it is built on, and the stages it copies from (the build stage).
        let mut contexts: Vec<&str> = Vec::new();
        if index > 0 {
            contexts.push(&text.from);
        }
        for other in texts {
            if other.name != text.name
                && other.name != text.from
                && mentions_stage(&text.body, &other.name)
            {
                contexts.push(&other.name);
            }
        }
        if !contexts.is_empty() {
            let entries: Vec<String> = contexts
                .iter()
                .map(|name| format!("{name} = \"target:{name}\""))
                .collect();
            out.push_str(&format!("  contexts   = {{ {} }}\n", entries.join(", ")));
        }
        out.push_str("}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variable_references() {
        assert_eq!(
            referenced_variables("echo $A ${B:-x} $1 $$ ${C_D}"),
            ["A", "B", "C_D"]
        );
    }

    #[test]
    fn stage_names_avoid_existing_ones() {
        let names = StageNames::new(&["os".into(), "OS-layer".into(), "build".into()]);
        assert_eq!(names.of("os"), "os-layer-3");
        assert_eq!(names.of("app"), "app");
    }

    #[test]
    fn shell_forms_read_the_shell() {
        assert!(reads_shell("# c\nCMD nginx -g x\n"));
        assert!(!reads_shell("CMD [\"nginx\"]\n"));
        assert!(!reads_shell("LABEL a=b\n"));
    }
}
