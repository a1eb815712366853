//! `dlayer fix --split=services`: one image target per program the image starts and a
//! compose.yaml wiring them, from supervisord configurations (written by a RUN or copied from
//! the build context), `service x start` chains and start scripts; refusals naming the program;
//! the command line; and (ignored without a Docker engine and docker-compose) a real
//! `docker-compose up` of a split.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use dlayer::model::Catalog;
use dlayer::stack::{self, Outcome, SplitOptions};

use common::dlayer;

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/split/services")
        .join(name)
}

/// The services layout of a fixture, its build context being the fixture's directory.
fn services_of(name: &str) -> Result<stack::Services, stack::Refusal> {
    let path = fixture_path(name);
    let source = fs::read_to_string(&path).unwrap();
    let options = SplitOptions::default();
    let outcome = stack::split(&source, name, &options, Catalog::builtin())?;
    let Outcome::Split(split) = outcome else {
        panic!("{name} was left unchanged");
    };
    stack::services(&split, &options, path.parent(), Catalog::builtin())
}

/// Snapshots the services Dockerfile and compose.yaml, and checks both parse.
fn snapshot_services(name: &str, snapshot: &str) -> stack::Services {
    let services = services_of(name).unwrap_or_else(|refusal| panic!("{name}: {refusal}"));
    let compose = services.compose("..", "stack/Dockerfile");
    insta::assert_snapshot!(format!("{snapshot}_dockerfile"), services.dockerfile);
    insta::assert_snapshot!(format!("{snapshot}_compose"), compose);
    insta::assert_json_snapshot!(format!("{snapshot}_report"), services);
    let parsed = dlayer::syntax::parse(&services.dockerfile);
    assert!(
        parsed.errors.is_empty(),
        "{name}: the Dockerfile does not parse"
    );
    let yaml = saphyr_parse(&compose);
    for service in &services.services {
        assert!(yaml.contains(&format!("  {}:\n", service.name)));
        assert!(
            services
                .dockerfile
                .contains(&format!(" AS {}\n", service.name)),
            "{name}: no target for {}",
            service.name
        );
    }
    services
}

/// The compose file parses as YAML (saphyr), returned as it is.
fn saphyr_parse(text: &str) -> String {
    use saphyr::LoadableYamlNode;
    let documents = saphyr::Yaml::load_from_str(text).expect("compose.yaml is YAML");
    assert_eq!(documents.len(), 1);
    text.to_string()
}

fn names(services: &stack::Services) -> Vec<&str> {
    services.services.iter().map(|s| s.name.as_str()).collect()
}

#[test]
fn supervisord_programs_written_by_a_run() {
    let services = snapshot_services("supervisord-nginx-php.Dockerfile", "supervisord_nginx_php");
    // sshd stays in dev; php-fpm starts first (priority), nginx after it with the web port.
    assert_eq!(names(&services), ["php-fpm", "nginx"]);
    assert_eq!(services.services[1].ports, ["80"]);
    assert_eq!(services.services[1].depends_on, ["php-fpm"]);
    assert!(services.notes.iter().any(|note| note.contains("`sshd`")));
}

#[test]
fn services_started_one_after_the_other() {
    let services = snapshot_services("lamp-service-start.Dockerfile", "lamp_service_start");
    assert_eq!(names(&services), ["mysql", "apache2"]);
    assert_eq!(services.services[0].command, ["mysqld_safe"]);
    assert_eq!(
        services.services[0].volumes,
        ["var-lib-mysql:/var/lib/mysql"]
    );
    assert_eq!(services.services[0].ports, ["3306"]);
    assert_eq!(services.services[1].depends_on, ["mysql"]);
}

#[test]
fn supervisord_configuration_copied_from_the_build_context() {
    let services = snapshot_services("copied-conf/Dockerfile", "copied_conf");
    assert_eq!(names(&services), ["redis", "worker", "cron"]);
    let worker = &services.services[1];
    assert_eq!(
        worker.ports,
        ["8080"],
        "an unknown port goes to the main program"
    );
    assert_eq!(worker.environment[0], ("WORKER_THREADS".into(), "4".into()));
    // cron is ops: its own service, sharing the volumes nobody owns, depending on nothing.
    assert_eq!(services.services[2].layer, "ops");
    assert!(services.services[2].depends_on.is_empty());
    assert_eq!(services.services[2].volumes, ["app-data:/app/data"]);
}

#[test]
fn programs_of_a_start_script_from_the_build_context() {
    let services = snapshot_services("start-script/Dockerfile", "start_script");
    assert_eq!(names(&services), ["php-fpm", "nginx"]);
    // The script's setup runs again before each program; its ENTRYPOINT is reset.
    assert_eq!(
        services.services[0].command,
        ["/bin/sh", "-c", "mkdir -p /run/php && exec php-fpm8.2 -F"]
    );
    assert!(services.dockerfile.contains("ENTRYPOINT []\n"));
}

#[test]
fn a_service_whose_foreground_command_is_unknown_is_refused_by_name() {
    let refusal = services_of("unknown-service.Dockerfile").err().unwrap();
    assert_eq!(refusal.line, 4);
    assert!(refusal.reason.contains("`postgresql`"), "{refusal}");
    assert!(refusal.reason.contains("foreground command"), "{refusal}");
}

#[test]
fn a_configuration_that_cannot_be_read_is_refused() {
    // Without its build context, the copied supervisord configuration is unknown.
    let path = fixture_path("copied-conf/Dockerfile");
    let source = fs::read_to_string(&path).unwrap();
    let options = SplitOptions::default();
    let Ok(Outcome::Split(split)) = stack::split(&source, "x", &options, Catalog::builtin()) else {
        panic!("not split");
    };
    let refusal = stack::services(&split, &options, None, Catalog::builtin())
        .err()
        .unwrap();
    assert!(refusal.reason.contains("supervisord.conf"), "{refusal}");
    assert!(refusal.reason.contains("not known"), "{refusal}");
}

#[test]
fn one_program_is_nothing_to_split_into_services() {
    let source = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y nginx vim\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n";
    let options = SplitOptions::default();
    let Ok(Outcome::Split(split)) = stack::split(source, "x", &options, Catalog::builtin()) else {
        panic!("not split");
    };
    let refusal = stack::services(&split, &options, None, Catalog::builtin())
        .err()
        .unwrap();
    assert!(refusal.reason.contains("one program"), "{refusal}");
}

#[test]
fn services_targets_have_no_sshd_nor_dev_tools() {
    let services = services_of("lamp-service-start.Dockerfile").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Dockerfile");
    fs::write(&file, &services.dockerfile).unwrap();
    for service in &services.services {
        let output = dlayer(
            &["lint", "--target", &service.name, file.to_str().unwrap()],
            None,
        );
        let text = String::from_utf8_lossy(&output.stdout);
        for code in ["HC002", "HC006"] {
            assert!(!text.contains(code), "{}: {code}\n{text}", service.name);
        }
    }
}

/// `dlayer fix --split=services --out OUT INPUT`.
fn split_services_into(input: &Path, out: &Path) -> std::process::Output {
    dlayer(
        &[
            "fix",
            "--split=services",
            "--out",
            out.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        None,
    )
}

#[test]
fn cli_writes_the_dockerfile_and_compose_file() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("stack");
    let input = fixture_path("supervisord-nginx-php.Dockerfile");
    let output = split_services_into(&input, &out_dir);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("services php-fpm, nginx (compose.yaml)"),
        "{stderr}"
    );
    let compose = fs::read_to_string(out_dir.join("compose.yaml")).unwrap();
    let dockerfile = fs::read_to_string(out_dir.join("Dockerfile")).unwrap();
    assert!(dockerfile.contains("FROM prod AS nginx\n"));
    // The compose file finds the build context and the Dockerfile from where it is.
    let context = input.parent().unwrap().canonicalize().unwrap();
    let relative = |line: &str| {
        compose
            .lines()
            .find_map(|l| l.trim().strip_prefix(line))
            .map(|v| v.trim().trim_matches('"').to_string())
            .unwrap()
    };
    let context_from_out = out_dir.join(relative("context:")).canonicalize().unwrap();
    assert_eq!(context_from_out, context);
    let dockerfile_from_context = context
        .join(relative("dockerfile:"))
        .canonicalize()
        .unwrap();
    assert_eq!(
        dockerfile_from_context,
        out_dir.join("Dockerfile").canonicalize().unwrap()
    );
    // The input is left as it was.
    assert!(fs::read_to_string(&input).unwrap().contains("supervisord"));
}

#[test]
fn cli_refuses_naming_the_program() {
    let out = tempfile::tempdir().unwrap();
    let input = fixture_path("unknown-service.Dockerfile");
    let output = split_services_into(&input, out.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(":4: not split: program `postgresql`"),
        "{stderr}"
    );
    assert!(!out.path().join("compose.yaml").exists());
}

#[test]
fn cli_needs_an_output_directory() {
    let input = fixture_path("lamp-service-start.Dockerfile");
    let output = dlayer(&["fix", "--split=services", input.to_str().unwrap()], None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("--split=services needs --out DIR"),
        "{stderr}"
    );
}

fn run(command: &mut Command) -> (bool, String) {
    let output = command.output().expect("the command runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// A real engine builds each service of a split and runs it: every container is running and
/// its processes include its program. Needs the Docker engine with `debian:bookworm`, apt
/// over http inside builds, and Debian's docker-compose (`.ci/run` installs it).
#[test]
#[ignore = "needs a Docker engine with debian:bookworm and docker-compose (run by .ci/run)"]
fn docker_compose_runs_every_service() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("stack");
    let input = fixture_path("supervisord-nginx-php.Dockerfile");
    let output = split_services_into(&input, &out_dir);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let project = format!("dlayer-services-{}", std::process::id());
    let compose = |args: &[&str]| {
        let mut command = Command::new("docker-compose");
        command
            .arg("--project-name")
            .arg(&project)
            .args(args)
            .current_dir(&out_dir)
            .env("COMPOSE_DOCKER_CLI_BUILD", "0")
            .env("DOCKER_BUILDKIT", "0");
        run(&mut command)
    };
    let (built, log) = compose(&["build"]);
    assert!(built, "docker-compose build failed:\n{log}");
    let (up, log) = compose(&["up", "-d"]);
    let mut failures = Vec::new();
    if !up {
        failures.push(format!("docker-compose up failed:\n{log}"));
    }
    // Give the programs time to fail if they are going to.
    std::thread::sleep(std::time::Duration::from_secs(8));
    for (service, program) in [("php-fpm", "php-fpm"), ("nginx", "nginx")] {
        let (_, id) = compose(&["ps", "-q", service]);
        let id = id.trim().to_string();
        let (_, state) =
            run(Command::new("docker").args(["inspect", "-f", "{{.State.Running}}", &id]));
        let (_, top) = run(Command::new("docker").args(["top", &id]));
        if state.trim() != "true" || !top.contains(program) {
            let (_, logs) = compose(&["logs", service]);
            failures.push(format!(
                "{service}: running={} processes:\n{top}\nlogs:\n{logs}",
                state.trim()
            ));
        }
    }
    let (_, log) = compose(&["down", "-v", "--rmi", "local"]);
    assert!(
        failures.is_empty(),
        "{}\n(down: {log})",
        failures.join("\n")
    );
}

#[test]
fn a_file_already_in_one_layer_gets_services_on_its_own_stage() {
    let source = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nEXPOSE 8000\nCMD python3 worker.py & exec python3 -m http.server 8000\n";
    let options = SplitOptions::default();
    assert!(matches!(
        stack::split(source, "x", &options, Catalog::builtin()),
        Ok(Outcome::Unchanged(_))
    ));
    let services =
        stack::services_unchanged(source, "x", &options, None, Catalog::builtin()).unwrap();
    // The stage is named so the targets can be built on it; interpreters are named by what
    // they run.
    assert!(
        services
            .dockerfile
            .starts_with("FROM python:3.12-slim AS prod\n")
    );
    assert_eq!(names(&services), ["worker", "http-server"]);
    assert!(
        services
            .dockerfile
            .contains("FROM prod AS worker\nCMD [\"python3\",\"worker.py\"]\n")
    );
    assert_eq!(services.services[1].ports, ["8000"]);
}

#[test]
fn supervisor_started_as_a_service_reads_its_configuration() {
    let source = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y supervisor nginx redis-server vim\nRUN printf '[program:nginx]\\ncommand=nginx -g \"daemon off;\"\\n[program:redis]\\ncommand=redis-server --daemonize no\\n' > /etc/supervisor/conf.d/all.conf\nEXPOSE 80 6379\nCMD service supervisor start && tail -F /var/log/supervisor/supervisord.log\n";
    let options = SplitOptions::default();
    let Ok(Outcome::Split(split)) = stack::split(source, "x", &options, Catalog::builtin()) else {
        panic!("not split");
    };
    let services = stack::services(&split, &options, None, Catalog::builtin()).unwrap();
    assert_eq!(services.starter, "supervisord");
    assert_eq!(names(&services), ["nginx", "redis"]);
    assert_eq!(services.services[0].ports, ["80"]);
    assert_eq!(services.services[1].ports, ["6379"]);
    assert_eq!(services.services[0].depends_on, ["redis"]);
}
