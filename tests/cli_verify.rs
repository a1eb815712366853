//! `dlayer verify` and `fix --verify` without an engine: a clear exit 2 saying how to get one,
//! and nothing written. (The builds themselves are judged in tests/build, with an engine.)

mod common;

use std::process::Command;

fn dlayer_without_engine(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dlayer"))
        .args(args)
        .current_dir(dir)
        .env("DOCKER_HOST", "unix:///nonexistent/dlayer-test.sock")
        .output()
        .expect("dlayer runs")
}

fn heavy_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y nginx vim\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("Dockerfile.split"),
        "FROM debian:bookworm\n",
    )
    .unwrap();
    dir
}

#[test]
fn verify_without_an_engine_exits_2_and_says_how_to_get_one() {
    let dir = heavy_dir();
    let output = dlayer_without_engine(&["verify", "Dockerfile", "Dockerfile.split"], dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no Docker engine"), "{stderr}");
    assert!(
        stderr.contains("scripts/engine.sh") && stderr.contains("docker.io"),
        "{stderr}"
    );
}

#[test]
fn verify_json_names_the_failure() {
    let dir = heavy_dir();
    let output = dlayer_without_engine(
        &[
            "verify",
            "--format",
            "json",
            "Dockerfile",
            "Dockerfile.split",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["error"], "no-engine");
}

#[test]
fn verify_of_a_missing_file_is_a_usage_error() {
    let dir = heavy_dir();
    let output = dlayer_without_engine(&["verify", "Dockerfile", "nope"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nope: no such file"));
}

#[test]
fn fix_split_verify_without_an_engine_writes_nothing() {
    let dir = heavy_dir();
    let before = std::fs::read(dir.path().join("Dockerfile")).unwrap();
    let output = dlayer_without_engine(&["fix", "--split", "--verify", "Dockerfile"], dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not written: no Docker engine"), "{stderr}");
    assert_eq!(
        std::fs::read(dir.path().join("Dockerfile")).unwrap(),
        before
    );
}

#[test]
fn fix_verify_without_an_engine_writes_nothing() {
    let dir = heavy_dir();
    let before = std::fs::read(dir.path().join("Dockerfile")).unwrap();
    let output = dlayer_without_engine(&["fix", "--verify", "Dockerfile"], dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not written"), "{stderr}");
    assert_eq!(
        std::fs::read(dir.path().join("Dockerfile")).unwrap(),
        before
    );
}

#[test]
fn settle_needs_verify() {
    let output = common::dlayer(&["fix", "--settle", "3", "-"], Some(b"FROM scratch\n"));
    assert_eq!(output.status.code(), Some(2));
}
