//! `dlayer graph`: a Dockerfile as a picture. The stages, the image each is built FROM, the
//! `COPY --from` / `RUN --mount=from=` edges between them and, with the layer plan of
//! `dlayer fix --split`, the layered stack the target stage would become: each instruction in
//! its layer, with the sizes the catalog estimates. Rendered as Graphviz dot ([`dot`]) or
//! Mermaid ([`mermaid`]).

pub mod dot;
pub mod mermaid;

use crate::model::{self, Catalog, Layer, Model, Source, os_ecosystem};
use crate::stack::{self, Plan, Refusal, Role};
use crate::syntax::Dockerfile;

/// The picture of one Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Graph {
    pub stages: Vec<StageNode>,
    /// External images: FROM bases and `--from` images, each once.
    pub images: Vec<ImageNode>,
    pub edges: Vec<Edge>,
    /// With `--split`: the layered stack of the target stage.
    pub stack: Option<Stack>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageNode {
    /// `build`, or `stage 2` for an unnamed stage.
    pub label: String,
    pub line: usize,
    /// Built into the target image (the target and the stages it is built FROM).
    pub shipped: bool,
    pub target: bool,
    /// Instructions after FROM.
    pub instructions: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageNode {
    pub reference: String,
    /// The catalog's estimated compressed size.
    pub size_mb: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    Stage(usize),
    Image(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// `FROM base`.
    Base,
    /// `COPY --from` or `RUN --mount=from=`, at this line.
    CopyFrom { line: usize },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: Node,
    pub to: usize,
    pub kind: EdgeKind,
}

/// The target stage as the split would layer it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stack {
    /// Index of the split stage.
    pub stage: usize,
    /// The `os` layer's base, and the image it replaces when the catalog has a lighter one.
    pub base: String,
    pub replaces: Option<String>,
    pub layers: Vec<LayerNode>,
    /// Why there is no stack to draw (the file cannot be split): the refusal.
    pub refused: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerNode {
    pub layer: Layer,
    /// `line N: INSTRUCTION` for each step in the layer (settings and configuration included).
    pub steps: Vec<Step>,
    /// Estimated size the layer adds (the base image's for `os`), when the catalog knows any.
    pub size_mb: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub line: usize,
    /// The instruction's first line, shortened.
    pub text: String,
    pub size_mb: Option<u32>,
}

/// Longest instruction text shown in a step.
const STEP_TEXT_MAX: usize = 72;

/// Builds the graph of `dockerfile`, with the layered stack when `split` is set.
pub fn build(dockerfile: &Dockerfile, model: &Model, catalog: &Catalog, split: bool) -> Graph {
    let mut graph = Graph {
        stages: Vec::new(),
        images: Vec::new(),
        edges: Vec::new(),
        stack: None,
    };
    for (index, stage) in model.stages.iter().enumerate() {
        graph.stages.push(StageNode {
            label: stage
                .name
                .clone()
                .unwrap_or_else(|| format!("stage {index}")),
            line: stage.line,
            shipped: stage.shipped,
            target: model.target == Some(index),
            instructions: stage.instructions.len(),
        });
        let from = match stage.base.stage {
            Some(base) => Node::Stage(base),
            None => Node::Image(graph.image(&stage.base.raw, catalog)),
        };
        graph.edges.push(Edge {
            from,
            to: index,
            kind: EdgeKind::Base,
        });
        for copy in &stage.copies_from {
            let from = match &copy.source {
                Source::Stage { index } => Node::Stage(*index),
                Source::Image { reference } => Node::Image(graph.image(reference, catalog)),
            };
            graph.edges.push(Edge {
                from,
                to: index,
                kind: EdgeKind::CopyFrom { line: copy.line },
            });
        }
    }
    if split {
        graph.stack = Some(match stack::plan_layers(dockerfile, model, catalog) {
            Ok(plan) => stack_of(&plan, model, catalog),
            Err(refusal) => refused(model, refusal),
        });
    }
    graph
}

impl Graph {
    /// The index of the image node for `reference`, added when new.
    fn image(&mut self, reference: &str, catalog: &Catalog) -> usize {
        if let Some(index) = self.images.iter().position(|i| i.reference == reference) {
            return index;
        }
        let size_mb = catalog.image_ref(reference).and_then(|info| info.size_mb);
        self.images.push(ImageNode {
            reference: reference.to_string(),
            size_mb,
        });
        self.images.len() - 1
    }
}

fn refused(model: &Model, refusal: Refusal) -> Stack {
    Stack {
        stage: model.target.unwrap_or(model.stages.len().saturating_sub(1)),
        base: String::new(),
        replaces: None,
        layers: Vec::new(),
        refused: Some(refusal.to_string()),
    }
}

fn stack_of(plan: &Plan, model: &Model, catalog: &Catalog) -> Stack {
    let stage = &model.stages[plan.stage];
    let mut layers: Vec<LayerNode> = plan
        .layers()
        .into_iter()
        .map(|layer| LayerNode {
            layer,
            steps: Vec::new(),
            size_mb: None,
        })
        .collect();
    if let Some(os) = layers.iter_mut().find(|node| node.layer == Layer::Os) {
        os.size_mb = match plan.base.sizes {
            Some((_, after)) => Some(after),
            None => stage.image.as_ref().and_then(|image| image.size_mb),
        };
    }
    for piece in &plan.pieces {
        let size_mb = match piece.role {
            Role::Install => Some(piece.size_mb).filter(|size| *size > 0),
            Role::Step => kept_packages_size(stage, piece, catalog),
            Role::Context | Role::Config => None,
        };
        let Some(node) = layers.iter_mut().find(|node| node.layer == piece.layer) else {
            continue;
        };
        node.steps.push(Step {
            line: piece.line,
            text: instruction_summary(&piece.text),
            size_mb,
        });
        if let Some(size) = size_mb {
            node.size_mb = Some(node.size_mb.unwrap_or(0) + size);
        }
    }
    Stack {
        stage: plan.stage,
        base: plan.base.image.clone(),
        replaces: plan.base.swapped_from.clone(),
        layers,
        refused: None,
    }
}

/// The catalog's size of the packages a step still installs (those not moved out of it).
fn kept_packages_size(
    stage: &model::Stage,
    piece: &stack::Piece,
    catalog: &Catalog,
) -> Option<u32> {
    let instruction = stage.instructions.get(piece.origin)?;
    let sizes: Vec<u32> = instruction
        .kept_packages()
        .filter(|package| !piece.packages.contains(&package.name))
        .filter_map(|package| {
            let ecosystem = os_ecosystem(package.manager)?;
            catalog.package(ecosystem, &package.name)?.size_mb
        })
        .collect();
    (!sizes.is_empty()).then(|| sizes.iter().sum())
}

/// A piece's instruction on one line: comment lines dropped, continuations joined, whitespace
/// collapsed, shortened to [`STEP_TEXT_MAX`] characters.
fn instruction_summary(text: &str) -> String {
    let words: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with('#'))
        .flat_map(str::split_whitespace)
        .filter(|word| *word != "\\")
        .collect();
    let line = words.join(" ");
    if line.chars().count() <= STEP_TEXT_MAX {
        return line;
    }
    let cut: String = line.chars().take(STEP_TEXT_MAX - 1).collect();
    format!("{}…", cut.trim_end())
}

impl StageNode {
    /// `line 3 · 1 instruction`.
    pub fn summary(&self) -> String {
        let noun = if self.instructions == 1 {
            "instruction"
        } else {
            "instructions"
        };
        format!("line {} · {} {noun}", self.line, self.instructions)
    }
}

/// `~29 MB`, or nothing when unknown.
pub fn size_text(size_mb: Option<u32>) -> String {
    size_mb.map_or_else(String::new, |size| format!("~{size} MB"))
}
