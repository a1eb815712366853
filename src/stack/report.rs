//! The migration report: what moved where, what left production and why, the estimated size
//! saved, and what a human must still decide.

use serde::Serialize;

use crate::model::Layer;

use super::plan::{Plan, Role};

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub file: String,
    /// `split`, or `unchanged` when the stage is already layered.
    pub outcome: &'static str,
    /// The stages of the stack, bottom to top, then `dev` and `prod`.
    pub stages: Vec<String>,
    pub base: BaseReport,
    pub moves: Vec<Move>,
    pub removed_from_production: Vec<Removal>,
    /// Estimated compressed size saved in production (MB), from the image catalog.
    pub estimated_saving_mb: Option<u32>,
    pub to_decide: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BaseReport {
    pub image: String,
    pub replaces: Option<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Move {
    /// Line of the original instruction.
    pub line: usize,
    pub instruction: String,
    pub layer: Layer,
    pub stage: String,
    pub reason: String,
    /// Packages taken out of the instruction into this layer.
    pub packages: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Removal {
    pub line: usize,
    pub what: String,
    pub rule: &'static str,
    pub reason: String,
}

impl Report {
    /// The report with its line numbers, and those its texts mention, mapped by `line` and
    /// `text` (a split of a merged source names the original's lines).
    pub(super) fn remap_lines(
        &mut self,
        line: impl Fn(usize) -> usize,
        text: impl Fn(&str) -> String,
    ) {
        for entry in &mut self.moves {
            entry.line = line(entry.line);
            entry.reason = text(&entry.reason);
        }
        for removal in &mut self.removed_from_production {
            removal.line = line(removal.line);
            removal.reason = text(&removal.reason);
        }
        for item in &mut self.to_decide {
            *item = text(item);
        }
    }
}

pub fn build(
    file: &str,
    plan: &Plan,
    stage_names: Vec<String>,
    stage_of: impl Fn(Layer) -> String,
) -> Report {
    let mut moves = Vec::new();
    let mut removed = Vec::new();
    for piece in &plan.pieces {
        let keyword = first_keyword(&piece.text);
        moves.push(Move {
            line: piece.line,
            instruction: keyword.clone(),
            layer: piece.layer,
            stage: stage_of(piece.layer),
            reason: piece.reason.clone(),
            packages: if piece.role == Role::Install {
                piece.packages.clone()
            } else {
                Vec::new()
            },
        });
        if piece.layer != Layer::Dev {
            continue;
        }
        if piece.role == Role::Install {
            for package in &piece.packages {
                let sshd = package.contains("ssh");
                removed.push(Removal {
                    line: piece.line,
                    what: format!("package {package}"),
                    rule: if sshd { "HC002" } else { "HC006" },
                    reason: if sshd {
                        "sshd belongs to the development image".into()
                    } else {
                        piece.reason.clone()
                    },
                });
            }
        } else {
            let what = first_line(&piece.text);
            let rule = if piece.reason.contains("sshd") || what.contains("ssh") {
                "HC002"
            } else {
                "HC006"
            };
            removed.push(Removal {
                line: piece.line,
                what,
                rule,
                reason: piece.reason.clone(),
            });
        }
    }
    let base_saving = plan.base.sizes.map(|(from, to)| from.saturating_sub(to));
    let dev_packages: u32 = plan
        .pieces
        .iter()
        .filter(|piece| piece.layer == Layer::Dev && piece.role == Role::Install)
        .map(|piece| piece.size_mb)
        .sum();
    let saving = match (base_saving, dev_packages) {
        (None, 0) => None,
        (base, packages) => Some(base.unwrap_or(0) + packages),
    };
    Report {
        file: file.to_string(),
        outcome: "split",
        stages: stage_names,
        base: BaseReport {
            image: plan.base.image.clone(),
            replaces: plan.base.swapped_from.clone(),
            note: plan.base.kept_because.clone(),
        },
        moves,
        removed_from_production: removed,
        estimated_saving_mb: saving,
        to_decide: plan.notes.clone(),
    }
}

pub fn unchanged(file: &str, reason: &str) -> Report {
    Report {
        file: file.to_string(),
        outcome: "unchanged",
        stages: Vec::new(),
        base: BaseReport {
            image: String::new(),
            replaces: None,
            note: Some(reason.to_string()),
        },
        moves: Vec::new(),
        removed_from_production: Vec::new(),
        estimated_saving_mb: None,
        to_decide: Vec::new(),
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .find(|line| !line.trim_start().starts_with('#') && !line.trim().is_empty())
        .unwrap_or("")
        .trim()
        .trim_end_matches('\\')
        .trim()
        .to_string()
}

fn first_keyword(text: &str) -> String {
    first_line(text)
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_uppercase()
}

impl Report {
    pub fn to_text(&self) -> String {
        let mut out = format!("{}: ", self.file);
        if self.outcome == "unchanged" {
            out.push_str(&format!(
                "unchanged ({})\n",
                self.base.note.as_deref().unwrap_or("already layered")
            ));
            return out;
        }
        out.push_str(&format!("split into {}\n", self.stages.join(" → ")));
        match &self.base.replaces {
            Some(from) => out.push_str(&format!("  base: {from} → {}\n", self.base.image)),
            None => out.push_str(&format!("  base: {}\n", self.base.image)),
        }
        if let Some(note) = &self.base.note {
            out.push_str(&format!("    {note}\n"));
        }
        out.push_str("  moves:\n");
        for item in &self.moves {
            let packages = if item.packages.is_empty() {
                String::new()
            } else {
                format!(" [{}]", item.packages.join(", "))
            };
            out.push_str(&format!(
                "    line {:>4} {:<11} → {:<8} {}{packages}\n",
                item.line, item.instruction, item.stage, item.reason
            ));
        }
        if !self.removed_from_production.is_empty() {
            out.push_str("  removed from production (kept in dev):\n");
            for removal in &self.removed_from_production {
                out.push_str(&format!(
                    "    line {:>4} {} ({})\n",
                    removal.line, removal.what, removal.rule
                ));
            }
        }
        match self.estimated_saving_mb {
            Some(mb) => out.push_str(&format!(
                "  estimated size saved in production: {mb} MB (catalog estimates: lighter base, development packages)\n"
            )),
            None => out.push_str("  estimated size saved: unknown (no catalog figures)\n"),
        }
        if !self.to_decide.is_empty() {
            out.push_str("  to decide by hand:\n");
            for note in &self.to_decide {
                out.push_str(&format!("    {note}\n"));
            }
        }
        out
    }
}
