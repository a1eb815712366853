//! `dlayer fix --split`: both layouts and the migration report for the classic heavy images,
//! and the command line driving the real binary.

mod common;

use std::fs;

use dlayer::model::Catalog;
use dlayer::stack::{Outcome, SplitOptions, split};

use common::dlayer;

fn fixture(name: &str) -> String {
    fs::read_to_string(format!(
        "{}/testdata/split/{name}.Dockerfile",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn split_fixture(name: &str) -> Outcome {
    let source = fixture(name);
    split(
        &source,
        &format!("{name}.Dockerfile"),
        &SplitOptions::default(),
        Catalog::builtin(),
    )
    .unwrap_or_else(|refusal| panic!("{name} refused: {refusal}"))
}

/// Snapshots the stages layout, the text and JSON reports and the files layout.
fn snapshot_split(name: &str) {
    let Outcome::Split(result) = split_fixture(name) else {
        panic!("{name} was left unchanged");
    };
    insta::assert_snapshot!(format!("{name}_stages"), result.stages);
    insta::assert_snapshot!(format!("{name}_report"), result.report.to_text());
    insta::assert_json_snapshot!(format!("{name}_report_json"), result.report);
    let files = result.files("..", "stack");
    let listing: String = files
        .iter()
        .map(|(file, content)| format!("==> {file} <==\n{content}\n"))
        .collect();
    insta::assert_snapshot!(format!("{name}_files"), listing);
    for (file, content) in &files {
        if file.ends_with(".hcl") {
            let body: hcl::Body =
                hcl::from_str(content).unwrap_or_else(|e| panic!("{name}: {file} is not HCL: {e}"));
            assert!(body.blocks().any(|b| b.identifier() == "group"));
        } else {
            let parsed = dlayer::syntax::parse(content);
            assert!(parsed.errors.is_empty(), "{name}: {file} does not parse");
        }
    }
}

/// `expected` (the install, then the original step from `{ `) with the commands a transient
/// apt step runs between them: listing what the installs added.
fn listing_what_installs_added(expected: &str) -> String {
    const LISTING: &str = "for dlayerPackage in $(dpkg-query -W -f='${db:Status-Status}/${Package} '); do case \"$dlayerInstalled\" in *\" $dlayerPackage \"*) ;; *) case \"$dlayerPackage\" in installed/*) dlayerAdded=\"$dlayerAdded ${dlayerPackage#installed/} \" ;; esac ;; esac; done";
    expected.replacen(
        "\\\n    && { ",
        &format!("\\\n    && {LISTING} \\\n    && {{ "),
        1,
    )
}

#[test]
fn classic_apache_php_image() {
    snapshot_split("classic");
}

#[test]
fn lamp_with_sshd_and_supervisord() {
    snapshot_split("lamp");
}

#[test]
fn centos_with_systemd_and_compilers() {
    snapshot_split("centos-systemd");
}

#[test]
fn node_with_dev_tools() {
    snapshot_split("node-dev-tools");
}

#[test]
fn pip_development_tools_leave_their_install_for_dev() {
    snapshot_split("pip-dev-tools");
}

#[test]
fn global_npm_and_yarn_development_tools_leave_for_dev() {
    snapshot_split("npm-global-dev-tools");
}

#[test]
fn global_composer_development_tools_leave_for_dev() {
    snapshot_split("composer-global-dev-tools");
}

#[test]
fn go_get_development_tools_leave_for_dev_in_their_directory() {
    snapshot_split("go-get-dev-tools");
}

#[test]
fn gem_development_tools_leave_for_dev() {
    snapshot_split("gem-dev-tools");
}

/// Why `source` is refused.
fn refusal_of(source: &str) -> String {
    match split(source, "x", &SplitOptions::default(), Catalog::builtin()) {
        Err(refusal) => refusal.to_string(),
        Ok(Outcome::Split(result)) => panic!("split:\n{}", result.stages),
        Ok(Outcome::Unchanged(_)) => panic!("left unchanged"),
    }
}

#[test]
fn a_language_tool_the_container_starts_is_the_product() {
    // jupyter is what this image runs: it stays, and nothing else is to split.
    let source = "FROM python:3.12-slim\n\
                  RUN pip install --no-cache-dir numpy jupyter\n\
                  CMD [\"jupyter\", \"notebook\", \"--ip=0.0.0.0\"]\n";
    let outcome = split(source, "x", &SplitOptions::default(), Catalog::builtin());
    assert!(matches!(outcome, Ok(Outcome::Unchanged(_))));
    // The same install in an image that runs something else: jupyter leaves.
    let source = "FROM python:3.12-slim\n\
                  RUN pip install --no-cache-dir numpy jupyter\n\
                  CMD [\"python\", \"-m\", \"app\"]\n";
    let stages = stages_of(source);
    assert!(
        production_part(&stages).contains("RUN pip install --no-cache-dir numpy\n"),
        "{stages}"
    );
    assert!(
        stages.contains("RUN pip install --no-cache-dir jupyter\n"),
        "{stages}"
    );
}

#[test]
fn a_run_using_the_language_tool_it_installs_is_refused() {
    let refusal = refusal_of(
        "FROM node:20-bookworm\n\
         RUN npm install -g grunt-cli serve && grunt --version\n\
         CMD [\"serve\"]\n",
    );
    assert!(
        refusal.contains("installs `grunt-cli` (a development tool) and uses it (`grunt`)"),
        "{refusal}"
    );
    // Cython may compile what is installed after it in the same RUN.
    let refusal = refusal_of(
        "FROM python:3.12-slim\n\
         RUN pip install Cython && pip install pyproj\n\
         CMD [\"python\"]\n",
    );
    assert!(
        refusal.contains("installs `Cython` and builds after it"),
        "{refusal}"
    );
}

#[test]
fn a_later_step_using_a_moved_language_tool_is_refused_with_its_line() {
    // `grunt build` makes what production serves: it cannot follow grunt to dev, and what it
    // writes is unknown, so no build stage can run it.
    let refusal = refusal_of(
        "FROM node:20-bookworm\n\
         RUN npm install -g grunt-cli serve\n\
         WORKDIR /app\n\
         COPY . .\n\
         RUN grunt build\n\
         CMD [\"serve\", \"dist\"]\n",
    );
    assert!(refusal.starts_with("line 5: "), "{refusal}");
    assert!(refusal.contains("(it uses `grunt`"), "{refusal}");
    // A build stage would copy /usr/local, where pip put Cython too.
    let refusal = refusal_of(
        "FROM python:3.12-slim\n\
         RUN pip install numpy Cython ipython\n\
         COPY . /src\n\
         RUN cd /src && python setup.py install\n\
         CMD [\"python\", \"-m\", \"app\"]\n",
    );
    assert!(refusal.starts_with("line 4: "), "{refusal}");
    assert!(
        refusal.contains("production would copy the tool with what the step writes (`/usr/local`)"),
        "{refusal}"
    );
}

#[test]
fn configuration_of_a_moved_language_tool_follows_it_to_dev() {
    snapshot_split("jupyter-config-follows");
}

#[test]
fn a_later_step_running_a_moved_language_tool_stays_refused() {
    // `jupyter nbextension enable` runs the tool, directly or as a module: what it writes
    // may be what production needs, so it does not follow jupyter to dev.
    for step in [
        "jupyter nbextension enable --py widgetsnbextension",
        "python -m jupyter nbextension enable --py widgetsnbextension",
        "sh -c 'jupyter nbextension enable --py widgetsnbextension'",
    ] {
        let refusal = refusal_of(&format!(
            "FROM python:3.12-slim\n\
             RUN pip install --no-cache-dir flask jupyter\n\
             RUN {step}\n\
             CMD [\"flask\", \"run\"]\n"
        ));
        assert!(refusal.starts_with("line 3: "), "{step}: {refusal}");
    }
    // A program named by a variable the Dockerfile does not set may be the tool.
    let refusal = refusal_of(
        "FROM python:3.12-slim\n\
         RUN pip install --no-cache-dir flask jupyter\n\
         RUN $TOOL --version\n\
         CMD [\"flask\", \"run\"]\n",
    );
    assert!(refusal.starts_with("line 3: "), "{refusal}");
    assert!(refusal.contains("cannot be read statically"), "{refusal}");
}

#[test]
fn installs_that_would_change_when_moved_keep_their_tools() {
    // A project install (a path, a requirements file) or one after `source` stays whole:
    // what it does depends on where and after what it runs. HC006 then refuses the split.
    for install in [
        "pip install . pytest",
        "pip install -r requirements.txt pytest",
        ". /opt/venv/bin/activate && pip install flask pytest",
        "npm install eslint",
    ] {
        let source = format!(
            "FROM python:3.12-slim\nCOPY . /src\nWORKDIR /src\nRUN {install}\nCMD [\"python\"]\n"
        );
        let refusal = refusal_of(&source);
        assert!(
            refusal.contains("out of production on its own"),
            "{install}: {refusal}"
        );
    }
}

#[test]
fn multi_stage_go_is_left_unchanged() {
    assert!(matches!(
        split_fixture("go-multistage"),
        Outcome::Unchanged(_)
    ));
}

#[test]
fn build_with_compilers_runs_in_a_build_stage() {
    snapshot_split("build-stage");
}

/// The split stack of `source`, which must split.
fn stages_of(source: &str) -> String {
    match split(source, "x", &SplitOptions::default(), Catalog::builtin()) {
        Ok(Outcome::Split(result)) => result.stages,
        Ok(_) => panic!("left unchanged"),
        Err(refusal) => panic!("refused: {refusal}"),
    }
}

/// The `prod` chain of a stages layout: everything before the `dev` stage.
fn production_part(stages: &str) -> &str {
    &stages[..stages.find(" AS dev").expect("a dev stage")]
}

#[test]
fn build_whose_outputs_cannot_be_known_gets_transient_build_dependencies() {
    // A script that is not read: its writes are unknown, so production runs the step with
    // gcc and make installed for it alone (the lists fetched again if gone, then removed).
    let source = "FROM debian:12\n\
                  RUN apt-get update && apt-get install -y gcc make\n\
                  RUN make -C /src && ./install.sh\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    assert!(
        production.contains(&listing_what_installs_added(
            "&& apt-get install -y gcc make \\\n    && { make -C /src && ./install.sh ; }"
        )),
        "{stages}"
    );
    assert!(production.contains("apt-get update; fi"), "{stages}");
    assert!(
        production.contains("apt-mark manual $dlayerLibraries"),
        "{stages}"
    );
    assert!(
        production.contains("apt-get purge -y --auto-remove gcc make"),
        "{stages}"
    );
    assert!(
        production.contains("rm -rf /var/lib/apt/lists/*; fi\n"),
        "{stages}"
    );
}

#[test]
fn build_whose_outputs_cannot_be_known_gets_apk_build_deps() {
    // pip on Alpine installs into /usr/lib/python3.N, a version the file does not name: the
    // build dependencies are grouped under a virtual package for this step alone.
    let source = "FROM alpine:3.19\n\
                  RUN apk add --no-cache python3 py3-pip gcc musl-dev\n\
                  RUN pip install uwsgi\n\
                  CMD [\"uwsgi\"]\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    assert!(
        production.contains(
            "RUN apk add --virtual .dlayer-build-deps --no-cache gcc musl-dev \\\n    && { pip install uwsgi ; }"
        ),
        "{stages}"
    );
    assert!(
        production.contains("apk add --virtual .dlayer-runtime-libs $dlayerLibraries"),
        "{stages}"
    );
    assert!(
        production.contains("&& apk del .dlayer-build-deps\n"),
        "{stages}"
    );
}

#[test]
fn apk_build_deps_take_over_the_original_virtual_package_and_tags() {
    // The original's own virtual package is named as dlayer's (a name changes nothing
    // installed); a repository tag stays on the package it selects.
    let source = "FROM alpine:3.19\n\
                  RUN apk add --no-cache --virtual .build-deps gcc musl-dev@edge\n\
                  RUN make -C /src && ./install.sh\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    assert!(
        production
            .contains("RUN apk add --no-cache --virtual .dlayer-build-deps gcc musl-dev@edge \\\n"),
        "{stages}"
    );
    assert!(
        production.contains("case \"$dlayerPackage\" in gcc|musl-dev|*-dev)"),
        "{stages}"
    );
    assert!(!production.contains(".build-deps "), "{stages}");
}

#[test]
fn packages_used_by_the_same_run_are_installed_for_it_alone() {
    let source = "FROM ubuntu:22.04\n\
                  RUN apt-get update && apt-get install -y nginx git && git clone https://x/y /srv\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    assert!(
        production.contains(
            "RUN { apt-get update && apt-get install -y nginx git && git clone https://x/y /srv ; }"
        ),
        "{stages}"
    );
    assert!(
        production.contains("apt-get purge -y --auto-remove git\n"),
        "{stages}"
    );
    assert!(
        stages[production.len()..].contains("apt-get install -y git"),
        "{stages}"
    );
    // apk and yum: removed only when the image did not have it before the RUN.
    let source = "FROM alpine:3.19\n\
                  RUN apk add nginx git && git clone https://x/y /srv\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    assert!(
        production.contains("if [ -z \"$dlayerInstalledBefore\" ]; then apk del git; else"),
        "{stages}"
    );
    let source = "FROM centos:7\n\
                  RUN yum install -y nginx git && git clone https://x/y /srv\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    assert!(
        production.contains(
            "rpm -e --test --allmatches git > /dev/null 2>&1; then rpm -e --allmatches git; else"
        ),
        "{stages}"
    );
}

#[test]
fn moved_context_is_re_established() {
    let source = "FROM ubuntu:22.04\n\
                  ENV APP_HOME=/srv/app\n\
                  USER www-data\n\
                  COPY . /srv/app\n\
                  USER root\n\
                  ENV DEBIAN_FRONTEND=noninteractive\n\
                  RUN apt-get update && apt-get install -y nginx vim\n\
                  USER www-data\n\
                  WORKDIR $APP_HOME\n\
                  CMD [\"nginx\"]\n";
    let Ok(Outcome::Split(result)) =
        split(source, "x", &SplitOptions::default(), Catalog::builtin())
    else {
        panic!("split expected");
    };
    insta::assert_snapshot!("moved_context_stages", result.stages);
}

#[test]
fn the_base_images_working_directory_is_re_established_where_the_catalog_knows_it() {
    // `git config --file .gitconfig` ran in the base image's working directory, before the
    // WORKDIR that now precedes it in the dev image: dev goes back there for it, and returns.
    let source = |base: &str| {
        format!(
            "FROM {base}\n\
             RUN apt-get update && apt-get install -y --no-install-recommends nginx git\n\
             RUN git config --file .gitconfig user.email ci@example.com\n\
             WORKDIR /srv/app\n\
             COPY . .\n\
             CMD [\"nginx\", \"-g\", \"daemon off;\"]\n"
        )
    };
    // an official image built for one architecture is the official image: it starts in `/`
    let stages = stages_of(&source("s390x/debian:bookworm"));
    assert!(
        stages.contains(
            "WORKDIR /\nRUN git config --file .gitconfig user.email ci@example.com\nWORKDIR /srv/app\n"
        ),
        "{stages}"
    );
    assert!(
        stages.contains("\nFROM s390x/debian:bookworm-slim AS os\n"),
        "{stages}"
    );
    // golang's own Dockerfile leaves it in /go
    let stages = stages_of(&source("golang:1.22-bookworm"));
    assert!(
        stages
            .contains("WORKDIR /go\nRUN git config --file .gitconfig user.email ci@example.com\n"),
        "{stages}"
    );
    // an image the catalog does not know: where it starts cannot be written
    let refusal = refusal_of(&source("example/debian:bookworm"));
    assert!(
        refusal.contains("line 3") && refusal.contains("base image's working directory"),
        "{refusal}"
    );
}

#[test]
fn a_build_stage_copied_by_the_first_instruction_of_production_is_verified() {
    // Nothing but the clone's copy comes before the app's steps: the verifier places the build
    // stage's steps before the stack's very first instruction.
    let stages = stages_of(
        "FROM node:alpine\n\
         RUN apk add --no-cache git\n\
         RUN git clone --branch master --depth 1 https://example.com/app.git /src\n\
         WORKDIR /src\n\
         RUN npm install\n\
         CMD [\"node\", \"index.js\"]\n",
    );
    assert!(
        production_part(&stages).contains("FROM os AS app\n# line 3: built in the build stage, which has the development packages it needs\nCOPY --from=build /src /src\n"),
        "{stages}"
    );
}

#[test]
fn crlf_input_gives_crlf_output() {
    let source = fixture("lamp").replace('\n', "\r\n");
    let Ok(Outcome::Split(result)) =
        split(&source, "x", &SplitOptions::default(), Catalog::builtin())
    else {
        panic!("split expected");
    };
    assert!(!result.stages.replace("\r\n", "").contains('\n'));
    assert!(result.stages.contains("FROM app AS prod\r\n"));
}

#[test]
fn splitting_the_output_again_changes_nothing() {
    let Outcome::Split(result) = split_fixture("lamp") else {
        panic!("lamp splits");
    };
    let again = split(
        &result.stages,
        "x",
        &SplitOptions::default(),
        Catalog::builtin(),
    );
    assert!(matches!(again, Ok(Outcome::Unchanged(_))));
}

#[test]
fn cli_splits_stdin_to_stdout() {
    let output = dlayer(
        &["fix", "--split", "-"],
        Some(fixture("classic").as_bytes()),
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("FROM os AS runtime"));
    assert!(stdout.trim_end().ends_with("FROM app AS prod"));
}

#[test]
fn cli_splits_in_place_and_reports_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    fs::write(&path, fixture("lamp")).unwrap();
    let report = dir.path().join("report.json");
    let output = dlayer(
        &[
            "fix",
            "--split",
            "--report-file",
            report.to_str().unwrap(),
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let written = fs::read_to_string(&path).unwrap();
    assert!(written.contains("FROM app AS dev"));
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(report).unwrap()).unwrap();
    assert_eq!(json[0]["outcome"], "split");
    assert!(
        json[0]["removed_from_production"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["rule"] == "HC002")
    );
    // The result lints clean of sshd and development tools in production.
    let lint = dlayer(
        &[
            "lint",
            "--select",
            "HC002,HC006",
            "--target",
            "prod",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(lint.status.code(), Some(0), "{lint:?}");
}

#[test]
fn cli_refusal_writes_nothing_and_exits_1() {
    // (Also: a package manager dlayer writes no transient build dependencies for is named.)
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    // pacman: no transient build dependencies are written for it.
    let source =
        "FROM archlinux\nRUN pacman -Sy --noconfirm gcc make\nRUN make -C /src && ./install.sh\n";
    fs::write(&path, source).unwrap();
    let output = dlayer(&["fix", "--split", path.to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("Dockerfile:3: not split:"), "{stderr}");
    assert!(stderr.contains("`pacman`"), "{stderr}");
    assert_eq!(fs::read_to_string(&path).unwrap(), source);
}

#[test]
fn cli_files_layout_needs_an_empty_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stack");
    let input = dir.path().join("Dockerfile");
    fs::write(&input, fixture("lamp")).unwrap();
    let args = |force: bool| {
        let mut args = vec![
            "fix".to_string(),
            "--split=files".into(),
            "--out".into(),
            out.to_str().unwrap().into(),
            input.to_str().unwrap().into(),
        ];
        if force {
            args.push("--force".into());
        }
        args
    };
    let run = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        dlayer(&refs, None)
    };
    let first = run(args(false));
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "app.Dockerfile",
            "dev.Dockerfile",
            "docker-bake.hcl",
            "os.Dockerfile",
            "prod.Dockerfile",
            "runtime.Dockerfile"
        ]
    );
    assert_eq!(fs::read_to_string(&input).unwrap(), fixture("lamp"));
    // Files get a source file's mode; the bake file's paths are relative to its directory.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(out.join("app.Dockerfile"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }
    let bake = fs::read_to_string(out.join("docker-bake.hcl")).unwrap();
    assert!(bake.contains("context    = \"..\""), "{bake}");
    assert!(
        bake.contains("dockerfile = \"stack/app.Dockerfile\""),
        "{bake}"
    );
    let second = run(args(false));
    assert_eq!(second.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&second.stderr).contains("not empty"));
    assert_eq!(run(args(true)).status.code(), Some(0));
}

#[test]
fn cli_a_broken_configuration_fails_the_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("dlayer.toml"), "no-such-key = 1\n").unwrap();
    let path = dir.path().join("Dockerfile");
    fs::write(&path, fixture("lamp")).unwrap();
    let output = dlayer(&["fix", "--split", path.to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("no-such-key"));
    assert_eq!(fs::read_to_string(&path).unwrap(), fixture("lamp"));
}

#[test]
fn cli_check_diff_and_reports_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    fs::write(&path, fixture("classic")).unwrap();
    let file = path.to_str().unwrap();
    let check = dlayer(&["fix", "--split", "--check", file], None);
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    let diff = dlayer(
        &["fix", "--split", "--diff", "--report", "json", file],
        None,
    );
    assert_eq!(diff.status.code(), Some(1), "{diff:?}");
    let stdout = String::from_utf8(diff.stdout).unwrap();
    assert!(stdout.contains("+FROM os AS runtime"), "{stdout}");
    let report: serde_json::Value = serde_json::from_slice(&diff.stderr).unwrap();
    assert_eq!(report[0]["outcome"], "split");
    let text = dlayer(
        &["fix", "--split", "--check", "--report", "text", file],
        None,
    );
    assert!(String::from_utf8_lossy(&text.stderr).contains("moves:"));
    assert_eq!(fs::read_to_string(&path).unwrap(), fixture("classic"));
}

#[test]
fn writes_into_a_development_package_directory_go_to_dev_with_it() {
    let Outcome::Split(result) = split_fixture("sudoers-write") else {
        panic!("split expected");
    };
    let (production, dev) = result.stages.split_once("AS dev").expect("a dev stage");
    assert!(production.contains("RUN useradd -m deploy && mkdir -p /srv/www\n"));
    assert!(!production.contains("sudoers"), "{production}");
    let install = dev.find("install -y sudo").expect("sudo installed in dev");
    let write = dev
        .find(">> /etc/sudoers")
        .expect("the sudoers write in dev");
    assert!(install < write, "{dev}");
    insta::assert_snapshot!("sudoers_write_stages", result.stages);
}

#[test]
fn supervisord_programs_of_sshd_leave_production_configuration() {
    let Outcome::Split(result) = split_fixture("supervisor-programs") else {
        panic!("split expected");
    };
    let (production, dev) = result.stages.split_once("AS dev").expect("a dev stage");
    assert!(
        production.contains(
            "printf '[supervisord]\\nnodaemon=true\\n\\n[program:nginx]\\ncommand=/usr/sbin/nginx -g \"daemon off;\"\\n' > /etc/supervisor/conf.d/all.conf"
        ),
        "{production}"
    );
    assert!(dev.contains("[program:sshd]"), "{dev}");
    insta::assert_snapshot!("supervisor_programs_stages", result.stages);
}

#[test]
fn a_whole_step_writing_sudo_configuration_follows_sudo_and_a_sed_script_is_no_path() {
    let source = "FROM ubuntu:22.04\n\
                  RUN apt-get update && apt-get install -y nginx sudo\n\
                  WORKDIR /home/ci\n\
                  RUN echo 'ci ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/ci\n\
                  RUN useradd -m ci && sed -i '/^root/a ci ALL=(ALL) ALL' /etc/sudoers\n\
                  USER ci\n\
                  CMD [\"nginx\"]\n";
    let Ok(Outcome::Split(result)) =
        split(source, "x", &SplitOptions::default(), Catalog::builtin())
    else {
        panic!("split expected");
    };
    let (production, dev) = result.stages.split_once("AS dev").expect("a dev stage");
    assert!(!production.contains("sudoers"), "{production}");
    assert!(production.contains("RUN useradd -m ci\n"), "{production}");
    let install = dev.find("install -y sudo").expect("sudo in dev");
    assert!(
        dev.find("> /etc/sudoers.d/ci")
            .is_some_and(|at| at > install),
        "{dev}"
    );
    assert!(
        dev.find("/etc/sudoers\n").is_some_and(|at| at > install),
        "{dev}"
    );
}

#[test]
fn packages_computed_when_the_install_runs_stay_with_their_install() {
    let Outcome::Split(result) = split_fixture("computed-packages") else {
        panic!("split expected");
    };
    let (production, dev) = result.stages.split_once("AS dev").expect("a dev stage");
    // Installed once, where the original installed them: the moved installs leave them out.
    assert_eq!(
        result.stages.matches("echo iproute2").count(),
        1,
        "{}",
        result.stages
    );
    assert!(production.contains("echo iproute2"), "{production}");
    assert!(!dev.contains("iproute"), "{dev}");
    assert!(
        production.contains("\"linux-tools-$(uname -r)\""),
        "{production}"
    );
    assert!(
        dev.contains("install -y -o Dpkg::Use-Pty=0 gdb &&"),
        "{dev}"
    );
    insta::assert_snapshot!("computed_packages_stages", result.stages);
}

#[test]
fn stages_kept_below_the_split_stage_are_not_counted_as_its_steps() {
    // The kept `base` stage is in production's chain: its RUN and its install are the
    // original's own, not steps or installs the split added.
    let source = "FROM debian:12 AS base\n\
                  ARG APT_MIRROR=deb.debian.org\n\
                  RUN sed -i \"s/deb.debian.org/$APT_MIRROR/\" /etc/apt/sources.list.d/debian.sources\n\
                  RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n\
                  FROM base AS app\n\
                  RUN apt-get update && apt-get install -y curl nginx vim && rm -rf /var/lib/apt/lists/*\n\
                  CMD [\"nginx\", \"-g\", \"daemon off;\"]\n";
    let result = match split(source, "x", &SplitOptions::default(), Catalog::builtin()) {
        Ok(Outcome::Split(result)) => result,
        Ok(Outcome::Unchanged(_)) => panic!("left unchanged"),
        Err(refusal) => panic!("refused: {refusal}"),
    };
    assert!(
        result
            .stages
            .starts_with("FROM debian:12 AS base\nARG APT_MIRROR=deb.debian.org\nRUN sed -i")
    );
    let (production, dev) = result.stages.split_once("AS dev").expect("a dev stage");
    assert!(production.contains("FROM base AS os"), "{production}");
    assert!(dev.contains("install -y vim"), "{dev}");
}

#[test]
fn an_unknown_base_whose_default_user_installs_packages_runs_as_root() {
    let Outcome::Split(result) = split_fixture("unknown-base-root") else {
        panic!("split expected");
    };
    insta::assert_snapshot!("unknown_base_root_stages", result.stages);
}

#[test]
fn an_install_that_may_fail_proves_nothing_about_the_default_user() {
    // Behind `|| true`, `;` or `sudo`, apt-get may have failed for a non-root user.
    for install in [
        "apt-get install -y nginx vim || true",
        "apt-get install -y nginx vim; mkdir -p /srv",
        "sudo apt-get install -y nginx vim",
        "apt-get install -s -y nginx vim",
    ] {
        let source = format!(
            "FROM example.org/team/base:1\n\
             RUN {install}\n\
             USER www-data\n\
             COPY site /srv/site\n\
             USER root\n\
             RUN mkdir -p /var/cache/site\n\
             CMD [\"nginx\"]\n"
        );
        let refusal = split(&source, "x", &SplitOptions::default(), Catalog::builtin())
            .err()
            .unwrap_or_else(|| panic!("{install}: refusal expected"));
        assert!(
            refusal.reason.contains("default user"),
            "{install}: {refusal}"
        );
    }
}

#[test]
fn build_arguments_without_a_default_are_declared_where_they_are_read() {
    // The ENV reading `TOMCAT_VER` and the RUN reading `MIRROR` move below the ARGs that
    // declare them: each layer declares them again, so `--build-arg` still reaches them.
    let source = "FROM ubuntu:22.04\n\
                  RUN echo hi > /srv/hi\n\
                  ARG TOMCAT_VER\n\
                  ARG MIRROR\n\
                  ENV TOMCAT_VER=${TOMCAT_VER}\n\
                  RUN echo \"$TOMCAT_VER\" > /srv/version\n\
                  RUN apt-get update && apt-get install -y nginx vim && echo \"$TOMCAT_VER $MIRROR\" > /etc/tv\n\
                  CMD [\"nginx\"]\n";
    let Ok(Outcome::Split(result)) =
        split(source, "x", &SplitOptions::default(), Catalog::builtin())
    else {
        panic!("split expected");
    };
    let runtime = result
        .stages
        .split("FROM ")
        .find(|s| s.starts_with("os AS runtime"))
        .expect("runtime");
    assert!(
        runtime.contains("ARG MIRROR\nARG TOMCAT_VER\nENV TOMCAT_VER=${TOMCAT_VER}\nRUN apt-get"),
        "{runtime}"
    );
    insta::assert_snapshot!("bare_build_arguments_stages", result.stages);
}

#[test]
fn ssh_named_directories_stay_in_production_when_there_is_no_sshd() {
    // No SSH server anywhere: `ssh_keys` and `~/.ssh` hold client keys, and stay.
    let source = "FROM ubuntu:22.04\n\
                  RUN apt-get update && apt-get install -y nginx vim\n\
                  RUN useradd site && mkdir -p /var/lib/zabbix/ssh_keys /home/site/.ssh ; chown -R site /home/site\n\
                  CMD [\"nginx\"]\n";
    let result = match split(source, "x", &SplitOptions::default(), Catalog::builtin()) {
        Ok(Outcome::Split(result)) => result,
        Ok(Outcome::Unchanged(_)) => panic!("left unchanged"),
        Err(refusal) => panic!("refused: {refusal}"),
    };
    let (production, _) = result.stages.split_once("AS dev").expect("a dev stage");
    assert!(
        production.contains(
            "RUN useradd site && mkdir -p /var/lib/zabbix/ssh_keys /home/site/.ssh ; chown -R site /home/site\n"
        ),
        "{production}"
    );
}

#[test]
fn a_build_made_only_of_development_tools_is_production_work_not_dev_setup() {
    let Outcome::Split(result) = split_fixture("build-with-dev-tools-only") else {
        panic!("split expected");
    };
    let (production, dev) = result.stages.split_once("AS dev").expect("a dev stage");
    let app = production.split_once("AS app").expect("an app stage").1;
    // The build runs in the build stage; production gets what it writes.
    assert!(
        app.contains("COPY --from=build /usr/local /usr/local"),
        "{app}"
    );
    assert!(!dev.contains("make install"), "{dev}");
    // Setup of a dev tool still follows the tool.
    assert!(dev.contains("helptags"), "{dev}");
    assert!(!production.contains("helptags"), "{production}");
    insta::assert_snapshot!("build_with_dev_tools_only_stages", result.stages);
}

#[test]
fn a_build_against_library_headers_gets_transient_build_dependencies() {
    // libsqlite3-dev brings libsqlite3-0, which what `make` builds may link against: a build
    // stage could not tell production to keep it, so production builds with the headers
    // installed for that RUN alone and keeps the runtime libraries when it removes them.
    let source = "FROM debian:12\n\
                  RUN apt-get update && apt-get install -y gcc make libsqlite3-dev nginx\n\
                  COPY src /src\n\
                  WORKDIR /src\n\
                  RUN make && make install\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    assert!(!production.contains("COPY --from=build"), "{production}");
    assert!(
        production.contains(&listing_what_installs_added(
            "apt-get install -y gcc make libsqlite3-dev \\\n    && { make && make install ; }"
        )),
        "{production}"
    );
    assert!(production.contains("apt-mark manual"), "{production}");
}

#[test]
fn steps_may_move_around_a_step_given_transient_build_dependencies() {
    // What the wrapped build installs and purges (git), the package lists it fetches only
    // when they are missing and its `> /dev/null` do not outlive it: the git configuration
    // may follow git to dev after it, and the sqlite3 install move ahead of it.
    let Outcome::Split(result) = split_fixture("transient-reordered") else {
        panic!("split expected");
    };
    let production = production_part(&result.stages);
    let wrapped = production
        .find("&& { make && make install ; }")
        .expect("the build runs in production");
    let sqlite = production
        .find("apt-get install -y --no-install-recommends sqlite3")
        .expect("sqlite3 is installed in production");
    assert!(sqlite < wrapped, "{production}");
    assert!(
        production.contains("apt-get purge -y --auto-remove gcc git libc6-dev libsqlite3-dev make"),
        "{production}"
    );
    let dev = &result.stages[production.len()..];
    assert!(dev.contains("RUN git config --global"), "{dev}");
    insta::assert_snapshot!("transient_reordered_stages", result.stages);
}

#[test]
fn a_build_stage_step_that_then_needs_library_headers_becomes_transient_alone() {
    // `make` first needs gcc and make (a build stage could run it), then libsqlite3-dev:
    // production runs it with all three installed for that RUN, and the build stage is gone
    // (before, the step was planned in both and the split failed its own verification).
    let Outcome::Split(result) = split_fixture("build-then-headers") else {
        panic!("split expected");
    };
    let production = production_part(&result.stages);
    assert!(!result.stages.contains("AS build"), "{}", result.stages);
    assert!(
        production.contains(
            &listing_what_installs_added("&& apt-get install -y gcc make \\\n    && apt-get install -y libsqlite3-dev \\\n    && { make && make install ; }")
        ),
        "{production}"
    );
    assert!(
        production.contains("apt-get purge -y --auto-remove gcc libsqlite3-dev make"),
        "{production}"
    );
}

#[test]
fn a_build_needing_library_headers_through_its_other_needs_runs_in_production() {
    // The headers install is needed only through gcc's install: the build stage would have
    // pulled it in and left production without libsqlite3-0.
    let Outcome::Split(result) = split_fixture("headers-through-needs") else {
        panic!("split expected");
    };
    let production = production_part(&result.stages);
    assert!(!result.stages.contains("AS build"), "{}", result.stages);
    assert!(
        production.contains(
            &listing_what_installs_added("&& apt-get install -y gcc make \\\n    && apt-get install -y libsqlite3-dev \\\n    && { gcc -o /usr/local/bin/hello /src/hello.c -lsqlite3 ; }")
        ),
        "{production}"
    );
    insta::assert_snapshot!("headers_through_needs_stages", result.stages);
}

#[test]
fn a_run_installing_library_headers_and_building_with_them_keeps_its_install() {
    // Not a build stage: the RUN runs in production as written, and removes gcc and
    // libsqlite3-dev at its end, keeping libsqlite3-0.
    let stages = stages_of(
        "FROM debian:12\n\
         RUN apt-get update && apt-get install -y gcc libsqlite3-dev && gcc -o /usr/local/bin/hello /src/hello.c -lsqlite3\n",
    );
    let production = production_part(&stages);
    assert!(!stages.contains("AS build"), "{stages}");
    assert!(
        production.contains(
            "RUN { apt-get update && apt-get install -y gcc libsqlite3-dev && gcc -o /usr/local/bin/hello /src/hello.c -lsqlite3 ; }"
        ),
        "{production}"
    );
    assert!(
        production.contains("apt-get purge -y --auto-remove gcc libsqlite3-dev"),
        "{production}"
    );
}

#[test]
fn a_run_building_with_its_own_tools_and_earlier_library_headers_keeps_its_install() {
    // The RUN installs gcc and builds; the headers come from a development RUN before it:
    // production runs it as written with libsqlite3-dev installed ahead of it, both removed
    // at its end.
    let stages = stages_of(
        "FROM debian:12\n\
         RUN apt-get update && apt-get install -y libsqlite3-dev && rm -rf /var/lib/apt/lists/*\n\
         RUN apt-get update && apt-get install -y gcc && gcc -o /usr/local/bin/hello /src/hello.c -lsqlite3\n",
    );
    let production = production_part(&stages);
    assert!(!stages.contains("AS build"), "{stages}");
    assert!(
        production.contains(
            &listing_what_installs_added("&& apt-get install -y libsqlite3-dev \\\n    && { apt-get update && apt-get install -y gcc && gcc -o /usr/local/bin/hello /src/hello.c -lsqlite3 ; }")
        ),
        "{production}"
    );
    assert!(
        production.contains("apt-get purge -y --auto-remove gcc libsqlite3-dev"),
        "{production}"
    );
}

#[test]
fn packages_computed_when_an_install_runs_are_never_installed_for_one_step() {
    // They stay with the production install they came with; the step gets gcc and make.
    let source = "FROM debian:12\n\
                  RUN apt-get update && apt-get install -y nginx gcc make $(echo libsqlite3-dev)\n\
                  RUN make -C /src && ./install.sh\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    assert!(
        production.contains("apt-get install -y nginx $(echo libsqlite3-dev)"),
        "{production}"
    );
    assert!(
        production.contains(&listing_what_installs_added(
            "&& apt-get install -y gcc make \\\n    && { make -C /src"
        )),
        "{production}"
    );
    // A development RUN that computes its packages: they cannot be named for the step.
    let source = "FROM debian:12\n\
                  RUN apt-get update && apt-get install -y gcc make $(echo libsqlite3-dev)\n\
                  RUN make -C /src && ./install.sh\n";
    let refusal = split(source, "x", &SplitOptions::default(), Catalog::builtin())
        .err()
        .expect("refused");
    assert!(
        refusal
            .reason
            .ends_with("line 2 computes some of its packages when it runs"),
        "{refusal}"
    );
}

#[test]
fn a_transient_install_keeps_the_target_release_of_the_original() {
    // `apt-get -t bookworm install`: the verifier reads `install` past the option's value.
    let source = "FROM debian:12\n\
                  RUN apt-get update && apt-get -t bookworm install -y gcc make nginx\n\
                  RUN make -C /src && ./install.sh\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    assert!(
        production.contains(
            &listing_what_installs_added("&& apt-get -t bookworm install -y gcc make \\\n    && { make -C /src && ./install.sh ; }")
        ),
        "{production}"
    );
}

#[test]
fn sshd_setup_leaves_a_run_that_installs_other_packages_too() {
    let Outcome::Split(result) = split_fixture("sshd-setup-in-install") else {
        panic!("split expected");
    };
    let (production, dev) = result.stages.split_once("AS dev").expect("a dev stage");
    assert!(
        production.contains("install -y --no-install-recommends nginx curl"),
        "{production}"
    );
    assert!(
        production.contains("rm -rf /var/lib/apt/lists/*"),
        "{production}"
    );
    for sshd in [
        "openssh-server",
        "/var/run/sshd",
        "sshd_config",
        "ssh-keygen",
    ] {
        assert!(!production.contains(sshd), "{sshd} in {production}");
    }
    let install = dev
        .find("install -y --no-install-recommends openssh-server")
        .expect("the server installed in dev");
    let setup = dev.find("ssh-keygen -A").expect("the sshd setup in dev");
    assert!(install < setup, "{dev}");
    insta::assert_snapshot!("sshd_setup_in_install_stages", result.stages);
}

#[test]
fn an_sshd_init_script_run_leaves_with_the_server() {
    let Outcome::Split(result) = split_fixture("sshd-init-script-in-install") else {
        panic!("split expected");
    };
    let (production, dev) = result.stages.split_once("AS dev").expect("a dev stage");
    assert!(
        production.contains("apk add --no-cache nginx openrc"),
        "{production}"
    );
    assert!(
        production.contains("touch /run/openrc/softlevel"),
        "{production}"
    );
    let production_steps: String = production
        .lines()
        .filter(|line| !line.starts_with('#'))
        .collect();
    assert!(!production_steps.contains("sshd"), "{production}");
    assert!(!production_steps.contains("openssh"), "{production}");
    let install = dev
        .find("add --no-cache openssh")
        .expect("the server in dev");
    let start = dev
        .find("/etc/init.d/sshd start")
        .expect("the start in dev");
    assert!(install < start, "{dev}");
    insta::assert_snapshot!("sshd_init_script_in_install_stages", result.stages);
}

#[test]
fn development_tools_of_a_base_stage_are_refused_naming_that_stage() {
    let source = fixture("dev-tools-from-base-stage");
    let Err(refusal) = split(
        &source,
        "dev-tools-from-base-stage.Dockerfile",
        &SplitOptions::default(),
        Catalog::builtin(),
    ) else {
        panic!("refusal expected");
    };
    insta::assert_snapshot!("dev_tools_from_base_stage_refusal", refusal.to_string());
}

#[test]
fn sources_fetched_with_git_are_built_and_copied_not_fetched_again_in_dev() {
    snapshot_split("git-clone-sources");
}

#[test]
fn a_relative_path_of_the_sources_names_no_development_tool() {
    // `./.git/hooks/pre-commit` is a file of the cloned sources, not configuration of git:
    // removing it stays with the sources instead of following git to dev.
    snapshot_split("git-hooks-in-sources");
    let stages = stages_of(&fixture("git-hooks-in-sources"));
    let dev = &stages[stages.find(" AS dev").expect("a dev stage")..];
    assert!(!dev.contains(".git/hooks"), "{dev}");
    assert!(production_part(&stages).contains("RUN rm -f ./.git/hooks/pre-commit"));
}

#[test]
fn a_dev_tools_command_writing_a_production_file_runs_in_production() {
    // `git --version > /etc/git-version` is no setup of git: production keeps the file, so
    // the step runs there with git installed for it alone (and what git added purged after).
    let source = "FROM debian:bookworm\n\
                  RUN apt-get update && apt-get install -y cron logrotate git\n\
                  RUN git --version > /etc/git-version\n\
                  CMD [\"cron\", \"-f\"]\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    assert!(
        production.contains("&& { git --version > /etc/git-version ; }"),
        "{stages}"
    );
    assert!(
        production.contains("apt-get purge -y $dlayerLeftOver"),
        "{stages}"
    );
    // Writing into git's own configuration stays setup of git: it goes to dev with it.
    let source = "FROM debian:bookworm\n\
                  RUN apt-get update && apt-get install -y cron git\n\
                  RUN git config --system user.name dev > /dev/null\n";
    let stages = stages_of(source);
    assert!(!production_part(&stages).contains("git config"), "{stages}");
}

#[test]
fn a_step_running_a_dev_tool_through_sudo_builds_where_sudo_is() {
    // sudo leaves production for dev; the step runs `mkdir` and `sh -c` through it as `app`:
    // it needs sudo and its configuration, so it builds in the build stage (after both) and
    // production copies what it made (owned by root, as sudo made it).
    let Outcome::Split(result) = split_fixture("sudo-wrapped-step") else {
        panic!("split expected");
    };
    let stages = &result.stages;
    let build = &stages[stages.find(" AS build").expect("a build stage")..];
    let build = &build[..build.find(" AS app").expect("an app stage")];
    let install = build.find("install -y --no-install-recommends sudo");
    let sudoers = build.find("> /etc/sudoers.d/app");
    let step = build.find("RUN sudo -E mkdir -p $DATA_DIR");
    assert!(
        install.is_some() && install < sudoers && sudoers < step,
        "{stages}"
    );
    let app = &stages[stages.find(" AS app").unwrap()..stages.find(" AS dev").unwrap()];
    assert!(
        app.contains("COPY --from=build /srv/data /srv/data"),
        "{stages}"
    );
    assert!(!app.contains("sudo"), "{stages}");
    insta::assert_snapshot!("sudo_wrapped_step_stages", result.stages);
}

#[test]
fn a_root_step_running_a_dev_tool_through_sudo_gets_it_for_itself() {
    // Root may install packages: production runs the step with sudo installed for it alone.
    let source = "FROM debian:12\n\
                  RUN apt-get update && apt-get install -y sudo\n\
                  RUN sudo apt-get update && sudo apt-get install -y curl\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    assert!(
        production.contains(&listing_what_installs_added(
            "&& apt-get install -y sudo \\\n    && { sudo apt-get update && sudo apt-get install -y curl ; }"
        )),
        "{stages}"
    );
    assert!(
        production.contains("apt-get purge -y --auto-remove sudo"),
        "{stages}"
    );
}

/// The part of `stages` from the RUN holding `marker` to the next blank line, with the
/// instruction before it.
fn around<'s>(stages: &'s str, marker: &str) -> &'s str {
    let at = stages
        .find(marker)
        .unwrap_or_else(|| panic!("no `{marker}` in:\n{stages}"));
    let start = stages[..at]
        .rfind("\nRUN ")
        .and_then(|run| stages[..run].rfind('\n'))
        .map_or(0, |line| line + 1);
    let end = stages[at..]
        .find("\n\n")
        .map_or(stages.len(), |end| at + end);
    &stages[start..end]
}

#[test]
fn a_step_of_a_non_root_user_runs_as_that_user_between_roots_install_and_removal() {
    // apt must run as root: the RUN switches to root, and the step runs as `app` again
    // (uid, gid, groups and HOME from the passwd file, as the runtime would), then USER is
    // the original's again.
    let source = "FROM debian:12\n\
                  RUN apt-get update && apt-get install -y sudo vim\n\
                  RUN useradd -m app\n\
                  USER app\n\
                  RUN sudo vim -c wq /tmp/x\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    let step = around(production, "setpriv");
    assert!(step.starts_with("USER root\nRUN "), "{step}");
    assert!(
        step.contains(
            "    && setpriv --reuid=\"$(id -u \"app\")\" --regid=\"$(id -g \"app\")\" --init-groups env HOME=\"$(getent passwd \"app\" | cut -d: -f6)\" /bin/sh -c 'sudo vim -c wq /tmp/x' \\\n"
        ),
        "{step}"
    );
    assert!(
        production.contains("apt-get purge -y --auto-remove sudo vim"),
        "{stages}"
    );
    let after = &production[production.find("setpriv").unwrap()..];
    assert!(after.contains("\nUSER app\n"), "{stages}");
}

#[test]
fn a_home_set_by_env_stays_and_a_group_is_the_only_one() {
    // ENV HOME: the runtime keeps it for both users, so nothing sets it. `USER app:staff`:
    // gid staff and no other group.
    let source = "FROM debian:12\n\
                  RUN apt-get update && apt-get install -y vim\n\
                  RUN useradd -m app && groupadd staff\n\
                  ENV HOME=/srv/app\n\
                  USER app:staff\n\
                  RUN vim -c wq \"$HOME/x\" && ./install.sh\n";
    let stages = stages_of(source);
    let step = around(production_part(&stages), "setpriv");
    assert!(
        step.contains(
            "setpriv --reuid=\"$(id -u \"app\")\" --regid=\"$(getent group \"staff\" | cut -d: -f3)\" --groups=\"$(getent group \"staff\" | cut -d: -f3)\" /bin/sh -c 'vim -c wq \"$HOME/x\" && ./install.sh'"
        ),
        "{step}"
    );
    assert!(!step.contains("HOME=\""), "{step}");
}

#[test]
fn a_step_run_as_its_user_keeps_its_shell_its_quotes_and_its_user_variable() {
    // The SHELL's argv runs the script, single quotes escaped, continuations joined as the
    // builder joins them; `USER $APP_USER` is looked up by its value when the RUN runs, so
    // a build argument still changes it.
    let source = "FROM debian:12\n\
                  ARG APP_USER=app\n\
                  RUN apt-get update && apt-get install -y vim\n\
                  RUN useradd -m \"$APP_USER\"\n\
                  SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n\
                  USER $APP_USER\n\
                  RUN vim -c 'wq' /tmp/x \\\n    && echo \"it's done\" | tee /tmp/y\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    let step = around(production, "setpriv");
    assert!(
        step.contains(
            "setpriv --reuid=\"$(id -u \"$APP_USER\")\" --regid=\"$(id -g \"$APP_USER\")\" --init-groups env HOME=\"$(getent passwd \"$APP_USER\" | cut -d: -f6)\" /bin/bash -o pipefail -c 'vim -c '\\''wq'\\'' /tmp/x     && echo \"it'\\''s done\" | tee /tmp/y' \\\n"
        ),
        "{step}"
    );
    let after = &production[production.find("setpriv").unwrap()..];
    assert!(after.contains("\nUSER $APP_USER\n"), "{stages}");
}

#[test]
fn a_step_whose_user_cannot_be_switched_back_to_exactly_is_refused_naming_why() {
    let step = |user: &str| {
        format!(
            "FROM debian:12\n\
             RUN apt-get update && apt-get install -y vim\n\
             RUN useradd -m -u 1000 app\n\
             USER {user}\n\
             RUN vim -c wq /tmp/x\n"
        )
    };
    // A uid: with or without a passwd entry, the runtime gives it other groups and HOME.
    let refusal = refusal_of(&step("1000"));
    assert!(
        refusal.contains("it runs as uid `1000`, which dlayer cannot tell"),
        "{refusal}"
    );
    // A release without setpriv.
    let refusal = refusal_of(&step("app").replace("debian:12", "ubuntu:14.04"));
    assert!(
        refusal.contains("it runs as user `app`, and root must install and remove its packages: its base release has no `setpriv`"),
        "{refusal}"
    );
    // Alpine's base has no setpriv either.
    let alpine = "FROM alpine:3.19\n\
                  RUN apk add --no-cache vim\n\
                  RUN adduser -D app\n\
                  USER app\n\
                  RUN vim -c wq /tmp/x\n";
    let refusal = refusal_of(alpine);
    assert!(
        refusal.contains("Alpine's base has no `setpriv` to run the step as that user"),
        "{refusal}"
    );
}

#[test]
fn exit_with_a_failing_status_or_in_a_subshell_stays_before_the_removal() {
    // `exit 1` fails the build, removal or not; `exit` in `( … )` leaves the subshell only.
    let step = |script: &str| {
        format!(
            "FROM debian:12\n\
             RUN apt-get update && apt-get install -y vim\n\
             RUN {script}\n"
        )
    };
    for script in [
        "vim -c wq /tmp/x || exit 1",
        "(cd /tmp && vim -c wq x && exit 0) && vim -c wq /tmp/y",
    ] {
        let stages = stages_of(&step(script));
        assert!(
            production_part(&stages).contains(&format!("&& {{ {script} ; }}")),
            "{stages}"
        );
    }
    for script in [
        "vim -c wq /tmp/x && exit 0",
        "vim -c wq /tmp/x && exit",
        "exec vim -c wq /tmp/x",
    ] {
        let refusal = refusal_of(&step(script));
        assert!(
            refusal.contains("it may leave the shell before the removal at its end"),
            "{script}: {refusal}"
        );
    }
}

#[test]
fn wrapped_commands_count_as_run_directly() {
    // `env … timeout 300 git clone`: the clone is git's, whatever runs it.
    let source = "FROM debian:12\n\
                  RUN apt-get update && apt-get install -y git\n\
                  RUN env GIT_TERMINAL_PROMPT=0 timeout 300 git clone https://example.com/x.git /opt/x\n";
    let stages = stages_of(source);
    let production = production_part(&stages);
    assert!(
        production.contains("COPY --from=build /opt/x /opt/x"),
        "{stages}"
    );
}

#[test]
fn a_user_named_through_a_variable_is_the_user_its_value_names() {
    // `USER $RUNNER` with RUNNER=root: root installs vim for the step alone.
    let source = "FROM debian:12\n\
                  ARG RUNNER=root\n\
                  RUN apt-get update && apt-get install -y vim\n\
                  USER $RUNNER\n\
                  RUN vim -c wq /tmp/x\n";
    let stages = stages_of(source);
    assert!(
        production_part(&stages).contains("apt-get purge -y --auto-remove vim"),
        "{stages}"
    );
    // RUNNER=app: the step runs as `$RUNNER` from root.
    let stages = stages_of(&source.replace("RUNNER=root", "RUNNER=app"));
    assert!(
        production_part(&stages).contains("setpriv --reuid=\"$(id -u \"$RUNNER\")\""),
        "{stages}"
    );
}

#[test]
fn steps_naming_no_relative_path_follow_their_tool_past_a_moved_workdir() {
    // The base is an in-file stage: its working directory cannot be known. `git config
    // --global` (git goes to dev, after the WORKDIR) writes the user's configuration wherever
    // it runs; account commands take names; `"$APP_HOME"` is absolute.
    let stages = stages_of(&fixture("workdir-free-steps"));
    let dev = &stages[stages.find(" AS dev").expect("a dev stage")..];
    assert!(
        dev.contains("RUN git config --global user.name \"Builder\""),
        "{dev}"
    );
    assert!(!dev.contains("WORKDIR"), "{dev}");
    let production = production_part(&stages);
    assert!(production.contains("useradd --create-home"), "{production}");
    assert!(!production.contains("RUN git config"), "{production}");
    insta::assert_snapshot!("workdir_free_steps_stages", stages);
}

#[test]
fn steps_reading_the_unknown_working_directory_stay_refused() {
    let source = |step: &str| {
        format!(
            "FROM debian:bookworm AS base\n\
             RUN echo base > /etc/base-marker\n\
             FROM base\n\
             RUN apt-get update && apt-get install -y --no-install-recommends nginx git\n\
             RUN {step}\n\
             WORKDIR /srv/app\n\
             COPY . .\n\
             CMD [\"nginx\", \"-g\", \"daemon off;\"]\n"
        )
    };
    for step in [
        // the repository's own configuration, or a file named relative to where it runs
        "git config user.email ci@example.com",
        "git config --global --file .gitconfig user.email ci@example.com",
        "git -C repo config --global user.name app",
    ] {
        let refusal = refusal_of(&source(step));
        assert!(
            refusal.contains("line 5") && refusal.contains("base image's working directory"),
            "{step}: {refusal}"
        );
    }
}

#[test]
fn development_tools_of_the_parent_stage_leave_with_it_merged_in() {
    let stages = stages_of(&fixture("dev-tools-in-parent-stage"));
    let production = production_part(&stages);
    assert!(!production.contains("strace"), "{production}");
    assert!(production.contains("lighttpd"), "{production}");
    assert!(!production.contains("AS tools"), "{production}");
    insta::assert_snapshot!("dev_tools_in_parent_stage_stages", stages);
}

#[test]
fn a_parent_stage_that_cannot_be_merged_keeps_the_refusal() {
    let refusal = |source: &str| refusal_of(source);
    let with = |parent_extra: &str, between: &str, child_extra: &str| {
        format!(
            "FROM debian:bookworm AS tools\n\
             {parent_extra}RUN apt-get update && apt-get install -y --no-install-recommends lighttpd strace\n\
             {between}FROM tools\n\
             {child_extra}RUN echo hi > /var/www/html/index.html\n\
             CMD [\"lighttpd\", \"-D\", \"-f\", \"/etc/lighttpd/lighttpd.conf\"]\n"
        )
    };
    for source in [
        // an ARG of the parent would reach the split stage's steps, named or read by the
        // tools they run from the environment
        with(
            "ARG GREETING=hello\n",
            "",
            "RUN echo \"$GREETING\" > /greeting\n",
        ),
        with("ARG DEBIAN_FRONTEND=noninteractive\n", "", ""),
        with("ARG NODE_ENV=production\n", "", ""),
        // an ONBUILD trigger runs when the split stage is built FROM the parent
        with("ONBUILD RUN touch /triggered\n", "", ""),
        // the split stage's FROM has flags of its own
        "FROM debian:bookworm AS tools\n\
         RUN apt-get update && apt-get install -y --no-install-recommends lighttpd strace\n\
         FROM --platform=linux/amd64 tools\n\
         CMD [\"lighttpd\", \"-D\", \"-f\", \"/etc/lighttpd/lighttpd.conf\"]\n"
            .to_string(),
    ] {
        let refusal = refusal(&source);
        assert!(
            refusal.contains("comes from a stage the split stage") || refusal.contains("HC006"),
            "{source}\n{refusal}"
        );
    }
}

#[test]
fn a_language_tool_install_after_a_subshell_cd_leaves_for_dev() {
    let stages = stages_of(&fixture("go-tools-after-subshell-cd"));
    let production = production_part(&stages);
    assert!(production.contains("git clone"), "{production}");
    assert!(!production.contains("&& go install"), "{production}");
    let dev = &stages[stages.find(" AS dev").expect("a dev stage")..];
    assert!(
        dev.contains(
            "RUN go install -v golang.org/x/tools/cmd/cover && go install -v golang.org/x/tools/cmd/goimports"
        ),
        "{dev}"
    );
    // A `cd` of the RUN itself still keeps them where they are.
    let refusal = refusal_of(
        "FROM golang:1.22\n\
         RUN git clone https://github.com/golang/tools.git /go/src/golang.org/x/tools \\\n \
         && cd /go/src/golang.org/x/tools && go install -v golang.org/x/tools/cmd/cover\n\
         COPY . /app\n\
         CMD [\"/app/run\"]\n",
    );
    assert!(refusal.contains("HC006"), "{refusal}");
}

#[test]
fn development_tools_of_a_shared_parent_stage_leave_a_copy_of_it() {
    let stages = stages_of(&fixture("dev-tools-in-shared-base-stage"));
    let production = production_part(&stages);
    // The build stage still builds on the base stage as written.
    assert!(
        production.contains("FROM debian:bookworm AS base\n"),
        "{production}"
    );
    assert!(production.contains("FROM base AS build\n"), "{production}");
    let (_, shipped) = production
        .split_once("RUN git --version > /built.txt\n")
        .expect("the build stage kept");
    assert!(!shipped.contains("git"), "{shipped}");
    assert!(shipped.contains("lighttpd"), "{shipped}");
    insta::assert_snapshot!("dev_tools_in_shared_base_stage_stages", stages);
}

#[test]
fn a_refusal_in_a_copied_parent_stage_names_the_original_lines() {
    // The copy of the parent (lines 1-3) in place of the target's FROM shifts the target's
    // lines by two; the refusal names line 9 as the original has it.
    let source = "FROM debian:bookworm AS base\n\
                  RUN apt-get update && apt-get install -y --no-install-recommends lighttpd git\n\
                  ENV SITE=/var/www/html\n\
                  \n\
                  FROM base AS build\n\
                  RUN git --version > /built.txt\n\
                  \n\
                  FROM base\n\
                  RUN apt-get update && if [ -n \"$SITE\" ]; then apt-get install -y vim; fi && apt-get install -y curl\n\
                  COPY --from=build /built.txt /var/www/html/index.html\n\
                  CMD [\"lighttpd\", \"-D\", \"-f\", \"/etc/lighttpd/lighttpd.conf\"]\n";
    let refusal = refusal_of(source);
    assert!(refusal.starts_with("line 9: `vim`"), "{refusal}");
}
