//! Parse throughput, single-threaded, and how parse time scales with input size.
//!
//! `cargo bench --bench parse [-- CORPUS_DIR]`; the corpus defaults to
//! `../shared/corpus/official`. Figures are printed, never asserted: timing is no test.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dlayer::{model, syntax};

fn corpus_files(dir: &Path) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.extension().is_some_and(|e| e == "tsv" || e == "md") {
                files.push(std::fs::read(&path).expect("readable corpus file"));
            }
        }
    }
    files
}

/// Best of several rounds of parsing every input once.
fn best_time(inputs: &[Vec<u8>], rounds: usize) -> Duration {
    best_time_of(inputs, rounds, |input| {
        black_box(syntax::parse_bytes(black_box(input)));
    })
}

/// Best of several rounds of parsing and modelling every input once.
fn best_model_time(inputs: &[Vec<u8>], rounds: usize) -> Duration {
    let options = model::Options::default();
    best_time_of(inputs, rounds, |input| {
        let dockerfile = syntax::parse_bytes(black_box(input));
        black_box(model::build(&dockerfile, &options));
    })
}

fn best_time_of(inputs: &[Vec<u8>], rounds: usize, work: impl Fn(&[u8])) -> Duration {
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            inputs.iter().for_each(|input| work(input));
            start.elapsed()
        })
        .min()
        .expect("at least one round")
}

fn megabytes_per_second(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / 1e6 / time.as_secs_f64()
}

fn long_run_line(bytes: usize) -> Vec<u8> {
    let mut text = String::from("FROM alpine\nRUN echo");
    while text.len() < bytes {
        text.push_str(" word \\\n  && more");
    }
    text.push('\n');
    text.into_bytes()
}

fn one_physical_line(bytes: usize) -> Vec<u8> {
    format!("FROM alpine\nRUN {}\n", "echo word && ".repeat(bytes / 13)).into_bytes()
}

fn many_instructions(count: usize) -> Vec<u8> {
    let mut text = String::from("FROM alpine\n");
    for i in 0..count / 3 {
        text.push_str(&format!("ENV K{i}=v{i}\nRUN apt-get install -y pkg{i} && rm -rf /x\nCOPY --chown=a:b src{i} /dst/\n"));
    }
    text.into_bytes()
}

/// Time at sizes a decade apart: linear work keeps the time per MB flat.
fn scaling(
    name: &str,
    make: fn(usize) -> Vec<u8>,
    sizes: &[usize],
    measure: fn(&[Vec<u8>], usize) -> Duration,
) {
    let mut line = format!("{name}:");
    for &size in sizes {
        let input = vec![make(size)];
        let time = measure(&input, 5);
        line.push_str(&format!(
            "  {:.2} MB in {:.2} ms ({:.0} MB/s)",
            input[0].len() as f64 / 1e6,
            time.as_secs_f64() * 1e3,
            megabytes_per_second(input[0].len(), time)
        ));
    }
    println!("{line}");
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../shared/corpus/official"
            ))
        });
    let files = corpus_files(&dir);
    if files.is_empty() {
        println!("no corpus at {}: corpus throughput skipped", dir.display());
    } else {
        let bytes: usize = files.iter().map(Vec::len).sum();
        let parse = best_time(&files, 20);
        let modelled = best_model_time(&files, 10);
        println!(
            "corpus {}: {} files, {:.2} MB, single-threaded: parse {:.2} ms = {:.0} MB/s; parse+model {:.2} ms = {:.0} MB/s",
            dir.display(),
            files.len(),
            bytes as f64 / 1e6,
            parse.as_secs_f64() * 1e3,
            megabytes_per_second(bytes, parse),
            modelled.as_secs_f64() * 1e3,
            megabytes_per_second(bytes, modelled),
        );
    }
    scaling(
        "parse: one long RUN line",
        long_run_line,
        &[100_000, 1_000_000, 10_000_000],
        best_time,
    );
    scaling(
        "parse: one over-long physical line (error node)",
        one_physical_line,
        &[100_000, 1_000_000, 10_000_000],
        best_time,
    );
    scaling(
        "parse: many instructions",
        many_instructions,
        &[1_000, 10_000, 100_000],
        best_time,
    );
    scaling(
        "parse+model: one long RUN line",
        long_run_line,
        &[100_000, 1_000_000, 10_000_000],
        best_model_time,
    );
    scaling(
        "parse+model: many instructions",
        many_instructions,
        &[1_000, 10_000, 100_000],
        best_model_time,
    );
}
