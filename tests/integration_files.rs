//! The files other tools read: `action.yml` against the GitHub Action metadata schema,
//! `.github/workflows/dlayer.yml` against the workflow schema and `.pre-commit-hooks.yaml`
//! against pre-commit's hook schema (SchemaStore's, in `tests/data`, see its README), read with
//! a real YAML parser; plus what the schemas cannot say (inputs used are declared, the
//! workflow uses this action on testdata, the hooks cover dlayer's file names).

use std::collections::BTreeSet;

use saphyr::{LoadableYamlNode, Scalar, Yaml};
use serde_json::{Map, Value};

fn yaml_to_json(yaml: &Yaml<'_>) -> Value {
    match yaml {
        Yaml::Value(Scalar::Null) => Value::Null,
        Yaml::Value(Scalar::Boolean(value)) => Value::Bool(*value),
        Yaml::Value(Scalar::Integer(value)) => Value::from(*value),
        Yaml::Value(Scalar::FloatingPoint(value)) => Value::from(value.into_inner()),
        Yaml::Value(Scalar::String(text)) => Value::String(text.to_string()),
        Yaml::Representation(text, _, _) => Value::String(text.to_string()),
        Yaml::Sequence(items) => Value::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Mapping(entries) => {
            let mut map = Map::new();
            for (key, value) in entries {
                let key = match yaml_to_json(key) {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                map.insert(key, yaml_to_json(value));
            }
            Value::Object(map)
        }
        other => panic!("unexpected YAML node {other:?}"),
    }
}

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|error| panic!("{path}: {error}"));
    let documents = Yaml::load_from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"));
    assert_eq!(documents.len(), 1, "{path}: one YAML document");
    yaml_to_json(&documents[0])
}

fn validator(schema: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(schema).unwrap();
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, value: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

#[test]
fn action_yml_follows_the_action_metadata_schema() {
    let schema = validator(include_str!("data/github-action.schema.json"));
    let action = load("action.yml");
    assert_valid(&schema, &action, "action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    // The schema does catch a broken action.
    let mut broken = action.clone();
    broken["runs"]["steps"][0]
        .as_object_mut()
        .unwrap()
        .remove("shell");
    assert!(
        !schema.is_valid(&broken),
        "a run step without shell is rejected"
    );
    let mut broken = action.clone();
    broken["inputs"]["paths"]
        .as_object_mut()
        .unwrap()
        .remove("description");
    assert!(!schema.is_valid(&broken));
}

#[test]
fn action_inputs_are_declared_and_the_lint_is_run() {
    let action = load("action.yml");
    let declared: BTreeSet<&str> = action["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for wanted in ["paths", "config", "format", "failure-threshold", "sarif"] {
        assert!(declared.contains(wanted), "input {wanted}");
    }
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml")).unwrap();
    for used in text.split("inputs.").skip(1) {
        let name: String = used
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(
            declared.contains(name.as_str()),
            "inputs.{name} is not declared"
        );
    }
    let steps = action["runs"]["steps"].as_array().unwrap();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.iter().any(|u| u.starts_with("actions/cache@")));
    assert!(
        uses.iter()
            .any(|u| u.starts_with("github/codeql-action/upload-sarif@"))
    );
    let runs: String = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.contains("cargo install --locked"));
    assert!(runs.contains("--format sarif"));
    // The format input offers only formats dlayer has.
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_dlayer"))
        .args(["lint", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let description = action["inputs"]["format"]["description"].as_str().unwrap();
    for format in [
        "github",
        "tty",
        "concise",
        "json",
        "sarif",
        "checkstyle",
        "gitlab",
        "junit",
        "rdjson",
        "sonarqube",
    ] {
        assert!(
            description.contains(format) && help.contains(format),
            "{format}"
        );
    }
}

#[test]
fn the_workflow_uses_the_action_on_testdata() {
    let schema = validator(include_str!("data/github-workflow.schema.json"));
    let workflow = load(".github/workflows/dlayer.yml");
    assert_valid(&schema, &workflow, ".github/workflows/dlayer.yml");
    let jobs = workflow["jobs"].as_object().unwrap();
    let local_uses: Vec<&Value> = jobs
        .values()
        .flat_map(|job| job["steps"].as_array().unwrap())
        .filter(|step| step["uses"] == "./")
        .collect();
    assert!(local_uses.iter().any(|step| {
        step["with"]["paths"]
            .as_str()
            .is_some_and(|paths| paths.contains("testdata"))
            && step["with"]["sarif"] == "true"
    }));
    assert_eq!(
        jobs["heavy-examples"]["permissions"]["security-events"],
        "write"
    );
}

#[test]
fn pre_commit_hooks_follow_pre_commits_schema() {
    let schema = validator(include_str!("data/pre-commit-hooks.schema.json"));
    let hooks = load(".pre-commit-hooks.yaml");
    assert_valid(&schema, &hooks, ".pre-commit-hooks.yaml");
    let ids: Vec<&str> = hooks
        .as_array()
        .unwrap()
        .iter()
        .map(|hook| hook["id"].as_str().unwrap())
        .collect();
    for id in ["dlayer-lint", "dlayer-fix", "dlayer-fmt"] {
        assert!(ids.contains(&id), "{id}");
    }
    for hook in hooks.as_array().unwrap() {
        assert_eq!(hook["types"], serde_json::json!(["dockerfile"]));
        if hook["id"] != "dlayer-lint-system" {
            assert_eq!(hook["language"], "rust");
        }
    }
}

/// Runs the `run` script of the action's step `id` with bash, as the runner would: `env` as
/// the step's environment, dlayer on PATH, `GITHUB_OUTPUT` a file. Returns the step's exit
/// status, its standard output and what it wrote to `GITHUB_OUTPUT`.
fn run_action_step(id: &str, env: &[(&str, &str)]) -> (i32, String, String) {
    let action = load("action.yml");
    let step = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| step["id"] == id)
        .unwrap_or_else(|| panic!("no step {id}"));
    let dir = tempfile::tempdir().unwrap();
    let output_file = dir.path().join("github_output");
    std::fs::write(&output_file, "").unwrap();
    let binary_dir = std::path::Path::new(env!("CARGO_BIN_EXE_dlayer"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        binary_dir.display(),
        std::env::var("PATH").unwrap()
    );
    let output = std::process::Command::new("bash")
        .args(["-e", "-c", step["run"].as_str().unwrap()])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &output_file)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        std::fs::read_to_string(&output_file).unwrap(),
    )
}

#[test]
fn the_actions_lint_steps_run_dlayer() {
    let inputs = [
        (
            "INPUT_PATHS",
            "testdata/lint/project testdata/split/go-multistage.Dockerfile",
        ),
        ("INPUT_CONFIG", ""),
        ("INPUT_FORMAT", "github"),
        ("INPUT_THRESHOLD", "warning"),
        ("INPUT_OUTPUT", ""),
    ];
    let (status, stdout, outputs) = run_action_step("lint", &inputs);
    assert_eq!(status, 0, "the step records the status instead of failing");
    assert_eq!(outputs, "exit-code=1\n");
    assert!(
        stdout.contains("::warning file=testdata/lint/project/Dockerfile"),
        "{stdout}"
    );

    let mut clean = inputs;
    clean[0].1 = "testdata/split/go-multistage.Dockerfile";
    clean[3].1 = "error";
    let (_, _, outputs) = run_action_step("lint", &clean);
    assert_eq!(outputs, "exit-code=0\n");

    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let sarif = sarif.to_str().unwrap();
    let (status, _, outputs) = run_action_step(
        "sarif",
        &[
            ("INPUT_PATHS", "testdata/lint/project"),
            ("INPUT_CONFIG", ""),
            ("INPUT_SARIF_FILE", sarif),
        ],
    );
    assert_eq!(status, 0);
    assert_eq!(outputs, format!("file={sarif}\n"));
    let log: Value = serde_json::from_str(&std::fs::read_to_string(sarif).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(!log["runs"][0]["results"].as_array().unwrap().is_empty());
}
