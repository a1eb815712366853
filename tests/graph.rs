//! `dlayer graph`: the dot output rendered by Graphviz (`dot -Tsvg`, Debian's graphviz; the
//! rendering checks are skipped with a note when `dot` is not installed, and `.ci/run` installs
//! it), and the Mermaid output as a reviewed snapshot.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::dlayer;

fn graph(args: &[&str]) -> String {
    let mut all = vec!["graph"];
    all.extend_from_slice(args);
    let output = dlayer(&all, None);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// `dot -Tsvg` of `source`, or `None` (with a note) when Graphviz is not installed.
fn render_svg(source: &str) -> Option<String> {
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("SKIPPED: Graphviz `dot` is not installed (.ci/run installs graphviz)");
        return None;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(source.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let warnings = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "dot rejects the graph: {warnings}");
    assert!(warnings.trim().is_empty(), "dot warns: {warnings}");
    Some(String::from_utf8(output.stdout).unwrap())
}

/// The `<title>`s of the SVG's nodes and edges (Graphviz names each group by its node id or
/// `a->b`, written with character references).
fn svg_titles(svg: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut titles = Vec::new();
    let mut title: Option<String> = None;
    loop {
        match reader.read_event().expect("well-formed SVG") {
            Event::Start(tag) if tag.name().as_ref() == b"title" => title = Some(String::new()),
            Event::End(tag) if tag.name().as_ref() == b"title" => titles.extend(title.take()),
            Event::Text(text) => {
                if let Some(title) = &mut title {
                    title.push_str(&text.decode().unwrap());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(title) = &mut title {
                    let name = String::from_utf8_lossy(&reference).into_owned();
                    let c = match name.as_str() {
                        "gt" => '>',
                        "lt" => '<',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        number => number
                            .strip_prefix('#')
                            .and_then(|n| n.parse::<u32>().ok())
                            .and_then(char::from_u32)
                            .unwrap_or('?'),
                    };
                    title.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    titles
}

#[test]
fn stages_bases_and_copy_from_edges_render_with_graphviz() {
    let dot = graph(&["testdata/split/go-multistage.Dockerfile"]);
    assert!(dot.contains("image0 -> stage0 [label=\"FROM\"]"), "{dot}");
    assert!(dot.contains("stage0 -> stage1 [label=\"--from, line 9\", style=dashed]"));
    assert!(
        dot.contains("golang:1.22\\n~280 MB"),
        "catalog size of the base: {dot}"
    );
    assert!(!dot.contains("cluster_stack"), "no stack without --split");
    let Some(svg) = render_svg(&dot) else { return };
    let titles = svg_titles(&svg);
    for node in [
        "image0",
        "image1",
        "stage0",
        "stage1",
        "stage0->stage1",
        "image0->stage0",
    ] {
        assert!(titles.iter().any(|t| t == node), "{node} in {titles:?}");
    }
}

#[test]
fn split_draws_every_layer_with_its_instructions() {
    let dot = graph(&["--split", "testdata/split/lamp.Dockerfile"]);
    for layer in ["os", "runtime", "app", "dev"] {
        assert!(
            dot.contains(&format!("    layer_{layer} [label=")),
            "{layer}: {dot}"
        );
    }
    assert!(dot.contains("layer_os -> layer_runtime;"));
    assert!(dot.contains("layer_runtime -> layer_app;"));
    assert!(dot.contains("layer_app -> layer_dev [style=dashed, label=\"dev image\"];"));
    // sshd setup lands in dev, with the catalog's size of what it installs.
    let dev = dot
        .lines()
        .find(|l| l.contains("layer_dev [label="))
        .unwrap();
    assert!(dev.contains("line 16: RUN mkdir -p /var/run/sshd"), "{dev}");
    assert!(
        dev.contains("apt-get install -y openssh-server vim") && dev.contains("~50 MB"),
        "{dev}"
    );
    let app = dot
        .lines()
        .find(|l| l.contains("layer_app [label="))
        .unwrap();
    assert!(
        app.contains("CMD [\\\"/usr/bin/supervisord\\\", \\\"-n\\\"]"),
        "{app}"
    );
    let Some(svg) = render_svg(&dot) else { return };
    let titles = svg_titles(&svg);
    for node in [
        "layer_os",
        "layer_runtime",
        "layer_app",
        "layer_dev",
        "cluster_stack",
    ] {
        assert!(titles.iter().any(|t| t == node), "{node} in {titles:?}");
    }
    assert!(
        svg.contains("RUN a2enmod rewrite"),
        "instruction text is drawn"
    );
}

#[test]
fn refused_splits_and_awkward_text_still_render() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(
        &path,
        "FROM ubuntu:22.04 AS base\nRUN echo \"a\\\\b\" {x} <y> | tee /z\nFROM base\nCOPY --from=base /z /z\nCOPY --from=alpine:3.20 /etc/os-release /r\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let dot = graph(&["--split", path]);
    assert!(
        dot.contains("no split (line"),
        "the refusal is shown: {dot}"
    );
    if let Some(svg) = render_svg(&dot) {
        assert!(svg_titles(&svg).iter().any(|t| t == "refused"));
    }
    let mermaid = graph(&["--split", "-f", "mermaid", path]);
    assert!(mermaid.contains("image1[(\"alpine:3.20"), "{mermaid}");
    assert!(mermaid.contains("stage1 -.- refused"), "{mermaid}");
}

#[test]
fn mermaid_of_a_split() {
    let mermaid = graph(&["--split", "-f", "mermaid", "testdata/split/lamp.Dockerfile"]);
    assert!(mermaid.contains("CMD [#quot;/usr/bin/supervisord#quot;, #quot;-n#quot;]"));
    insta::assert_snapshot!(mermaid);
}

#[test]
fn bad_input() {
    let missing = dlayer(&["graph", "no/such/Dockerfile"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("dlayer: error: no/such/Dockerfile"));
    let broken = dlayer(&["graph", "-"], Some(b"FROM alpine\nRUN <<EOF\n"));
    assert_eq!(broken.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(stderr.contains("<stdin>:2:"), "{stderr}");
    let target = dlayer(
        &[
            "graph",
            "--target",
            "nope",
            "testdata/split/lamp.Dockerfile",
        ],
        None,
    );
    assert_eq!(target.status.code(), Some(2));
}
