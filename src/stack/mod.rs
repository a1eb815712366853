//! `dlayer fix --split`: one heavy Dockerfile rewritten as a layered stack (`os` → `runtime` →
//! `ops` → `app`, with `dev` = `app` + development tools and `prod` = `app`), checked by a
//! verifier before anything is written.
//!
//! [`split`] plans (see `plan.rs`), writes the stages layout (see `emit.rs`), verifies it (see
//! `verify.rs`) and checks that splitting the result again changes nothing. A file that cannot
//! be split safely is refused with the line and the reason.

mod build_stage;
mod emit;
mod findings;
mod footprint;
mod parent_stage;
mod plan;
mod report;
mod services;
mod steps;
mod transient_shape;
mod verify;

use std::fmt;

use crate::model::{self, Catalog, Layer};
use crate::syntax::{self, Dockerfile, LineIndex};

pub use plan::{BaseChoice, Piece, Plan, Role};
pub use report::Report;
pub use services::{Service, Services, services, services_unchanged};

/// Why a file was not split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// 1-based line of the instruction that prevents the split.
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

#[derive(Clone, Debug, Default)]
pub struct SplitOptions {
    /// `--build-arg` values (they decide the FROM references).
    pub build_args: Vec<(String, String)>,
    /// The stage to split (default: the last one).
    pub target: Option<String>,
}

/// A split stack, ready to be written.
pub struct Split {
    /// The `--split=stages` Dockerfile.
    pub stages: String,
    pub report: Report,
    dockerfile: Dockerfile,
    plan: plan::Plan,
    layers: Vec<emit::LayerText>,
    input_name: String,
    /// The input ends its lines with CRLF: so does the output.
    crlf: bool,
}

impl Split {
    /// The `--split=files` layout: `(file name, content)`, the bake file last. The bake file
    /// sits with the layer files; `context` is the build context seen from its directory, and
    /// `files_from_context` that directory seen from the build context.
    pub fn files(&self, context: &str, files_from_context: &str) -> Vec<(String, String)> {
        emit::files_layout(
            &self.dockerfile,
            &self.plan,
            &self.layers,
            &self.input_name,
            &emit::BakePaths {
                context: context.to_string(),
                files_from_context: files_from_context.to_string(),
            },
        )
        .into_iter()
        .map(|(name, text)| (name, line_endings(text, self.crlf)))
        .collect()
    }
}

pub enum Outcome {
    /// Nothing to split: the target stage is already one layer (the report says why).
    Unchanged(Box<Report>),
    Split(Box<Split>),
}

/// Splits `source` (named `input_name` in messages).
///
/// A file whose shipped image has no heavy-container finding is left unchanged when it cannot
/// be split, rather than refused: there is nothing a split must take out of it. A file whose
/// shipped image has sshd or development tools (HC002, HC006) is never left unchanged, and a
/// split whose production image would still have them is refused.
pub fn split(
    source: &str,
    input_name: &str,
    options: &SplitOptions,
    catalog: &Catalog,
) -> Result<Outcome, Refusal> {
    let dockerfile = syntax::parse(source);
    let outcome = split_parsed(&dockerfile, source, input_name, options, catalog);
    let outcome = match outcome {
        Ok(Outcome::Split(result)) => return Ok(Outcome::Split(result)),
        other => other,
    };
    if let Some(merged) = merged_when_parent_ships_tools(&dockerfile, options, catalog) {
        // The merged stage is the last one, whatever the target was called.
        let merged_options = SplitOptions {
            target: None,
            ..options.clone()
        };
        let outcome = split(&merged.source, input_name, &merged_options, catalog);
        return with_original_lines(outcome, merged.lines);
    }
    let buildable = dockerfile.errors.is_empty()
        && dockerfile
            .instructions()
            .all(|instruction| instruction.build_errors.is_empty());
    if !buildable {
        return outcome;
    }
    let findings = || {
        findings::heavy_findings(
            &dockerfile,
            options.target.as_deref(),
            &options.build_args,
            catalog,
            &[],
        )
    };
    match outcome {
        Err(refusal) => {
            if findings().is_ok_and(|found| found.is_empty()) {
                return Ok(Outcome::Unchanged(Box::new(report::unchanged(
                    input_name,
                    &format!(
                        "the shipped image has no heavy-container finding, so nothing needs to leave it (a split would need this first: {refusal})"
                    ),
                ))));
            }
            Err(refusal)
        }
        Ok(Outcome::Unchanged(report)) => {
            let found = findings().unwrap_or_default();
            match found
                .iter()
                .find(|f| findings::PRODUCTION_BLOCKERS.contains(&f.code))
            {
                Some(blocker) => Err(Refusal {
                    line: blocker.line,
                    reason: format!(
                        "{}: {}; the split cannot take it out of production on its own",
                        blocker.code, blocker.message
                    ),
                }),
                None => Ok(Outcome::Unchanged(report)),
            }
        }
        Ok(Outcome::Split(result)) => Ok(Outcome::Split(result)),
    }
}

/// The source with the target stage merged into the stage it is built on (see
/// `parent_stage`), when a production blocker (sshd, development tools) comes from that stage
/// and the merge builds the same image: the split can then take it out of production.
fn merged_when_parent_ships_tools(
    dockerfile: &Dockerfile,
    options: &SplitOptions,
    catalog: &Catalog,
) -> Option<parent_stage::Merged> {
    let buildable = dockerfile.errors.is_empty()
        && dockerfile
            .instructions()
            .all(|instruction| instruction.build_errors.is_empty());
    if !buildable {
        return None;
    }
    let model = split_model(dockerfile, options, catalog);
    let target = model.target?;
    let parent = model.stages[target].base.stage?;
    let found = findings::heavy_findings(
        dockerfile,
        options.target.as_deref(),
        &options.build_args,
        catalog,
        &findings::PRODUCTION_BLOCKERS,
    )
    .ok()?;
    let parent_line = model.stages[parent].line;
    let target_line = model.stages[target].line;
    found
        .iter()
        .any(|finding| (parent_line..target_line).contains(&finding.line))
        .then(|| parent_stage::merged_into_parent(dockerfile, &model))
        .flatten()
}

/// The outcome of splitting a merged source (see `parent_stage`), with the lines it names
/// mapped back to the original's.
fn with_original_lines(
    outcome: Result<Outcome, Refusal>,
    lines: parent_stage::LineMap,
) -> Result<Outcome, Refusal> {
    match outcome {
        Err(refusal) => Err(Refusal {
            line: lines.original(refusal.line),
            reason: lines.mentions(&refusal.reason),
        }),
        Ok(Outcome::Split(mut result)) => {
            result.stages = lines.comment_mentions(&result.stages);
            for layer in &mut result.layers {
                layer.body = lines.comment_mentions(&layer.body);
            }
            for piece in &mut result.plan.pieces {
                piece.line = lines.original(piece.line);
                piece.text = lines.comment_mentions(&piece.text);
                piece.reason = lines.mentions(&piece.reason);
            }
            result
                .report
                .remap_lines(|line| lines.original(line), |text| lines.mentions(text));
            Ok(Outcome::Split(result))
        }
        unchanged => unchanged,
    }
}

/// The production image of a split has no sshd or development tool finding left.
/// `stage_line` is the line of the split stage's FROM: a finding above it comes from a stage
/// the split stage is built on, which the split does not rewrite.
fn check_production_is_clean(
    stages: &str,
    original: &Dockerfile,
    options: &SplitOptions,
    catalog: &Catalog,
    stage_line: usize,
) -> Result<(), Refusal> {
    let output = syntax::parse(stages);
    let left = findings::heavy_findings(
        &output,
        None,
        &options.build_args,
        catalog,
        &findings::PRODUCTION_BLOCKERS,
    )
    .unwrap_or_default();
    let Some(finding) = left.first() else {
        return Ok(());
    };
    let original_findings = findings::heavy_findings(
        original,
        options.target.as_deref(),
        &options.build_args,
        catalog,
        &findings::PRODUCTION_BLOCKERS,
    )
    .unwrap_or_default();
    let found_line = original_findings
        .iter()
        .find(|f| f.code == finding.code && f.message == finding.message)
        .map(|f| f.line);
    let line = found_line.unwrap_or(1);
    let inherited = if found_line.is_some_and(|line| line < stage_line) {
        format!(
            "; it comes from a stage the split stage (line {stage_line}) is built on, and the split rewrites only the split stage: split that stage first, or build on a stage without it"
        )
    } else {
        String::new()
    };
    Err(Refusal {
        line,
        reason: format!(
            "the split cannot take this out of production on its own ({}: {}){inherited}",
            finding.code, finding.message
        ),
    })
}

/// The model a split reads: the options' build arguments and target, no command views.
fn split_model(dockerfile: &Dockerfile, options: &SplitOptions, catalog: &Catalog) -> model::Model {
    let model_options = model::Options {
        build_args: options.build_args.clone(),
        target: options.target.clone(),
        command_views: false,
        implicit_stage: false,
    };
    model::build_with(dockerfile, &model_options, catalog)
}

fn split_parsed(
    dockerfile: &Dockerfile,
    source: &str,
    input_name: &str,
    options: &SplitOptions,
    catalog: &Catalog,
) -> Result<Outcome, Refusal> {
    let model = split_model(dockerfile, options, catalog);
    if let Some(error) = &model.target_error {
        return Err(Refusal {
            line: 1,
            reason: error.clone(),
        });
    }
    let index = LineIndex::new(source);
    match split_planned(
        dockerfile, &model, options, catalog, &index, input_name, true,
    ) {
        // Transient build dependencies are the newest part of the planner: when a split that
        // uses them does not verify, the file is planned again without them (the step is then
        // refused with why, or split another way) rather than refused for the planner's sake.
        Err(refusal) if refusal.reason.starts_with("the split failed verification") => {
            split_planned(
                dockerfile, &model, options, catalog, &index, input_name, false,
            )
        }
        outcome => outcome,
    }
}

/// [`split`] once the model is built: plan, write, verify.
fn split_planned(
    dockerfile: &Dockerfile,
    model: &model::Model,
    options: &SplitOptions,
    catalog: &Catalog,
    index: &LineIndex,
    input_name: &str,
    allow_transient: bool,
) -> Result<Outcome, Refusal> {
    let source = dockerfile.source.as_str();
    let plan = plan::plan_with(dockerfile, model, catalog, index, allow_transient)?;
    if plan.is_already_layered() {
        return Ok(Outcome::Unchanged(Box::new(report::unchanged(
            input_name,
            "every step is already in one layer and nothing belongs to development only",
        ))));
    }
    let stage = &model.stages[plan.stage];
    let names = emit::StageNames::new(&plan.kept_stage_names);
    let emitter = emit::Emitter {
        dockerfile,
        stage,
        plan: &plan,
        names: &names,
        root_by_default: emit::default_user_is_root(stage, source),
        base_workdir: stage
            .image
            .as_ref()
            .and_then(|image| image.workdir.as_deref()),
    };
    let layers = emitter.layer_texts()?;
    let crlf = source.contains("\r\n");
    let stages = line_endings(emit::stages_layout(&plan, &layers), crlf);
    let has_dev = layers.iter().any(|layer| layer.layer == "dev");
    verify::verify(
        dockerfile,
        model,
        &stages,
        catalog,
        has_dev.then(|| names.of("dev")),
        (!plan.builds.is_empty()).then(|| names.of("build")),
    )
    .map_err(|failure| Refusal {
        line: stage.line,
        reason: format!("the split failed verification: {failure}"),
    })?;
    check_production_is_clean(&stages, dockerfile, options, catalog, stage.line)?;
    check_idempotent(&stages, catalog, stage.line)?;
    let stage_names: Vec<String> = layers.iter().map(|layer| layer.name.clone()).collect();
    let report = report::build(input_name, &plan, stage_names, |layer: Layer| {
        names.of(layer.as_str()).to_string()
    });
    Ok(Outcome::Split(Box::new(Split {
        stages,
        report,
        plan,
        layers,
        input_name: input_name.to_string(),
        dockerfile: dockerfile.clone(),
        crlf,
    })))
}

/// The layer plan of the target stage, without writing or verifying the split: where each
/// instruction would land (for `dlayer graph --split`). Refused like [`split`] when the file
/// cannot be planned.
pub fn plan_layers(
    dockerfile: &Dockerfile,
    model: &model::Model,
    catalog: &Catalog,
) -> Result<Plan, Refusal> {
    if let Some(error) = &model.target_error {
        return Err(Refusal {
            line: 1,
            reason: error.clone(),
        });
    }
    plan::plan(dockerfile, model, catalog, &dockerfile.lines)
}

/// The output keeps the input's line endings (what the split writes uses `\n`).
fn line_endings(text: String, crlf: bool) -> String {
    if crlf {
        text.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        text
    }
}

/// Splitting the result again must change nothing.
fn check_idempotent(stages: &str, catalog: &Catalog, line: usize) -> Result<(), Refusal> {
    let again = split(stages, "split output", &SplitOptions::default(), catalog);
    match again {
        Ok(Outcome::Unchanged(_)) => Ok(()),
        Ok(Outcome::Split(_)) => Err(Refusal {
            line,
            reason: "the split failed verification: splitting its output again would change it"
                .into(),
        }),
        Err(refusal) => Err(Refusal {
            line,
            reason: format!(
                "the split failed verification: its output cannot be split again ({refusal})"
            ),
        }),
    }
}
