//! `dlayer fix --split`: one heavy Dockerfile rewritten as a layered stack (`os` → `runtime` →
//! `ops` → `app`, with `dev` = `app` + development tools and `prod` = `app`), checked by a
//! verifier before anything is written.
//!
//! [`split`] plans (see `plan.rs`), writes the stages layout (see `emit.rs`), verifies it (see
//! `verify.rs`) and checks that splitting the result again changes nothing. A file that cannot
//! be split safely is refused with the line and the reason.

mod emit;
mod footprint;
mod plan;
mod report;
mod verify;

use std::fmt;

use crate::model::{self, Catalog, Layer};
use crate::syntax::{self, Dockerfile, LineIndex};

pub use plan::{BaseChoice, Piece, Plan, Role};
pub use report::Report;

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
    /// The `--split=files` layout for `out_dir`: `(file name, content)`, the bake file last.
    pub fn files(&self, out_dir: &str) -> Vec<(String, String)> {
        emit::files_layout(
            &self.dockerfile,
            &self.plan,
            &self.layers,
            &self.input_name,
            out_dir,
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
pub fn split(
    source: &str,
    input_name: &str,
    options: &SplitOptions,
    catalog: &Catalog,
) -> Result<Outcome, Refusal> {
    let dockerfile = syntax::parse(source);
    let model_options = model::Options {
        build_args: options.build_args.clone(),
        target: options.target.clone(),
        command_views: false,
    };
    let model = model::build_with(&dockerfile, &model_options, catalog);
    if let Some(error) = &model.target_error {
        return Err(Refusal {
            line: 1,
            reason: error.clone(),
        });
    }
    let index = LineIndex::new(source);
    let plan = plan::plan(&dockerfile, &model, catalog, &index)?;
    if plan.is_already_layered() {
        return Ok(Outcome::Unchanged(Box::new(report::unchanged(
            input_name,
            "every step is already in one layer and nothing belongs to development only",
        ))));
    }
    let stage = &model.stages[plan.stage];
    let names = emit::StageNames::new(&plan.kept_stage_names);
    let emitter = emit::Emitter {
        dockerfile: &dockerfile,
        stage,
        plan: &plan,
        names: &names,
        root_by_default: stage.image.is_some(),
        workdir_root_by_default: stage
            .image
            .as_ref()
            .is_some_and(|image| image.kind == model::catalog::ImageKind::Distro),
    };
    let layers = emitter.layer_texts()?;
    let crlf = source.contains("\r\n");
    let stages = line_endings(emit::stages_layout(&plan, &layers), crlf);
    let has_dev = layers.iter().any(|layer| layer.layer == "dev");
    verify::verify(
        &dockerfile,
        &model,
        &stages,
        catalog,
        has_dev.then(|| names.of("dev")),
    )
    .map_err(|failure| Refusal {
        line: stage.line,
        reason: format!("the split failed verification: {failure}"),
    })?;
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
        dockerfile,
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
