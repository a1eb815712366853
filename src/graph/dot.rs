//! The graph as Graphviz dot (`dot -Tsvg`): images as cylinders, stages as boxes (the shipped
//! ones bold), FROM edges solid, `--from` edges dashed, and the layered stack as a cluster of
//! one box per layer, bottom (`os`) to top (`app`), with `dev` built on `app`.

use std::fmt::Write;

use super::{EdgeKind, Graph, LayerNode, Node, Stack, size_text};
use crate::model::Layer;

/// The fill colour of each layer's box.
pub(super) fn layer_color(layer: Layer) -> &'static str {
    match layer {
        Layer::Os => "#dbeafe",
        Layer::Runtime => "#dcfce7",
        Layer::Ops => "#fef9c3",
        Layer::App => "#fde2e4",
        Layer::Dev => "#e5e7eb",
    }
}

pub fn render(graph: &Graph, title: &str) -> String {
    let mut out = String::new();
    out.push_str("digraph dlayer {\n");
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, fontname=\"Helvetica\", label=\"{}\", labelloc=t];",
        escape(title)
    );
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\", fontsize=11];\n",
    );
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (index, image) in graph.images.iter().enumerate() {
        let label = [image.reference.clone(), size_text(image.size_mb)]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        let _ = writeln!(
            out,
            "  image{index} [label=\"{}\", shape=cylinder, style=filled, fillcolor=\"#f3f4f6\"];",
            escape(&label)
        );
    }
    for (index, stage) in graph.stages.iter().enumerate() {
        let mut label = stage.label.clone();
        if stage.target {
            label.push_str(" (target)");
        }
        label.push('\n');
        label.push_str(&stage.summary());
        let weight = if stage.shipped { 2 } else { 1 };
        let _ = writeln!(
            out,
            "  stage{index} [label=\"{}\", penwidth={weight}];",
            escape(&label)
        );
    }
    for edge in &graph.edges {
        let from = node_id(edge.from);
        let attributes = match edge.kind {
            EdgeKind::Base => "label=\"FROM\"".to_string(),
            EdgeKind::CopyFrom { line } => format!("label=\"--from, line {line}\", style=dashed"),
        };
        let _ = writeln!(out, "  {from} -> stage{} [{attributes}];", edge.to);
    }
    if let Some(stack) = &graph.stack {
        render_stack(stack, graph, &mut out);
    }
    out.push_str("}\n");
    out
}

fn node_id(node: Node) -> String {
    match node {
        Node::Stage(index) => format!("stage{index}"),
        Node::Image(index) => format!("image{index}"),
    }
}

fn render_stack(stack: &Stack, graph: &Graph, out: &mut String) {
    let stage = &graph.stages[stack.stage].label;
    out.push_str("  subgraph cluster_stack {\n");
    let title = match &stack.refused {
        Some(reason) => format!("{stage}: no split ({reason})"),
        None => format!("{stage} as a layered stack (dlayer fix --split)"),
    };
    let _ = writeln!(
        out,
        "    label=\"{}\";\n    style=\"rounded,dashed\";",
        escape(&title)
    );
    if stack.refused.is_some() {
        let _ = writeln!(
            out,
            "    refused [label=\"not split\", shape=note];\n  }}\n  stage{} -> refused [style=dotted];",
            stack.stage
        );
        return;
    }
    for layer in &stack.layers {
        let _ = writeln!(
            out,
            "    layer_{} [label=\"{}\", fillcolor=\"{}\"];",
            layer.layer.as_str(),
            escape_left(&layer_lines(layer, stack)),
            layer_color(layer.layer)
        );
    }
    let production: Vec<&LayerNode> = stack
        .layers
        .iter()
        .filter(|layer| layer.layer != Layer::Dev)
        .collect();
    for pair in production.windows(2) {
        let _ = writeln!(
            out,
            "    layer_{} -> layer_{};",
            pair[0].layer.as_str(),
            pair[1].layer.as_str()
        );
    }
    if stack.layers.iter().any(|layer| layer.layer == Layer::Dev) {
        out.push_str("    layer_app -> layer_dev [style=dashed, label=\"dev image\"];\n");
    }
    out.push_str("  }\n");
    let _ = writeln!(
        out,
        "  stage{} -> layer_os [style=dotted, label=\"split\"];",
        stack.stage
    );
}

/// The lines of a layer's box: its name, base and size, then one line per step.
pub(super) fn layer_lines(layer: &LayerNode, stack: &Stack) -> Vec<String> {
    let mut head = layer.layer.as_str().to_string();
    if layer.layer == Layer::Os {
        head.push_str(": FROM ");
        head.push_str(&stack.base);
    }
    let size = size_text(layer.size_mb);
    if !size.is_empty() {
        head.push_str("  ");
        head.push_str(&size);
    }
    let mut lines = vec![head];
    if let (Layer::Os, Some(replaced)) = (layer.layer, &stack.replaces) {
        lines.push(format!("(replaces {replaced})"));
    }
    for step in &layer.steps {
        let size = size_text(step.size_mb);
        let mut line = format!("line {}: {}", step.line, step.text);
        if !size.is_empty() {
            line.push_str("  ");
            line.push_str(&size);
        }
        lines.push(line);
    }
    lines
}

/// Text inside a double-quoted dot string: `\` and `"` escaped, newlines as `\n`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Lines as one left-aligned dot label (`\l` ends each line).
fn escape_left(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| format!("{}\\l", escape(line)))
        .collect()
}
