//! The graph as a Mermaid flowchart (GitHub and GitLab render it in Markdown): the same nodes
//! and edges as the dot output.

use std::fmt::Write;

use super::dot::{layer_color, layer_lines};
use super::{EdgeKind, Graph, Node, size_text};
use crate::model::Layer;

pub fn render(graph: &Graph) -> String {
    let mut out = String::from("flowchart TB\n");
    for (index, image) in graph.images.iter().enumerate() {
        let mut lines = vec![image.reference.clone()];
        lines.push(size_text(image.size_mb));
        let _ = writeln!(out, "  image{index}[(\"{}\")]", label(&lines));
    }
    for (index, stage) in graph.stages.iter().enumerate() {
        let mut head = stage.label.clone();
        if stage.target {
            head.push_str(" (target)");
        }
        let lines = [head, stage.summary()];
        let _ = writeln!(out, "  stage{index}[\"{}\"]", label(&lines));
    }
    for edge in &graph.edges {
        let from = match edge.from {
            Node::Stage(index) => format!("stage{index}"),
            Node::Image(index) => format!("image{index}"),
        };
        let _ = match edge.kind {
            EdgeKind::Base => writeln!(out, "  {from} -->|FROM| stage{}", edge.to),
            EdgeKind::CopyFrom { line } => writeln!(
                out,
                "  {from} -.->|\"--from, line {line}\"| stage{}",
                edge.to
            ),
        };
    }
    if let Some(stack) = &graph.stack {
        let stage = &graph.stages[stack.stage].label;
        match &stack.refused {
            Some(reason) => {
                let _ = writeln!(
                    out,
                    "  refused[\"{}\"]\n  stage{} -.- refused",
                    label(&[format!("{stage}: no split ({reason})")]),
                    stack.stage
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "  subgraph stack[\"{}\"]\n    direction TB",
                    label(&[format!("{stage} as a layered stack")])
                );
                for layer in &stack.layers {
                    let _ = writeln!(
                        out,
                        "    layer_{}[\"{}\"]",
                        layer.layer.as_str(),
                        label(&layer_lines(layer, stack))
                    );
                }
                let production: Vec<Layer> = stack
                    .layers
                    .iter()
                    .map(|layer| layer.layer)
                    .filter(|layer| *layer != Layer::Dev)
                    .collect();
                for pair in production.windows(2) {
                    let _ = writeln!(
                        out,
                        "    layer_{} --> layer_{}",
                        pair[0].as_str(),
                        pair[1].as_str()
                    );
                }
                if stack.layers.iter().any(|layer| layer.layer == Layer::Dev) {
                    out.push_str("    layer_app -.->|dev image| layer_dev\n");
                }
                out.push_str("  end\n");
                let _ = writeln!(out, "  stage{} -.->|split| layer_os", stack.stage);
                for layer in &stack.layers {
                    let name = layer.layer.as_str();
                    let _ = writeln!(
                        out,
                        "  style layer_{name} fill:{},text-align:left",
                        layer_color(layer.layer)
                    );
                }
            }
        }
    }
    out
}

/// Lines as a Mermaid label: characters Mermaid reads as syntax become entity codes, lines
/// are joined with `<br/>`, empty lines dropped.
fn label(lines: &[String]) -> String {
    lines
        .iter()
        .filter(|line| !line.is_empty())
        .map(|line| {
            let mut out = String::with_capacity(line.len());
            for c in line.chars() {
                match c {
                    '"' => out.push_str("#quot;"),
                    '<' => out.push_str("#lt;"),
                    '>' => out.push_str("#gt;"),
                    '#' => out.push_str("#35;"),
                    '&' => out.push_str("#amp;"),
                    c => out.push(c),
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("<br/>")
}
