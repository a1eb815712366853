//! The semantic model on the fixtures in `testdata/model/`: snapshots of the model JSON, and
//! targeted checks that fail when a part of the model is wrong.

use std::fs;
use std::path::Path;

use dlayer::model::{self, Layer, Model, Options, Source};
use dlayer::syntax;

fn model_of(name: &str, options: &Options) -> (syntax::Dockerfile, Model) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/model")
        .join(name);
    let dockerfile = syntax::parse_bytes(&fs::read(&path).unwrap());
    let built = model::build(&dockerfile, options);
    (dockerfile, built)
}

#[test]
fn fixtures_match_their_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/model");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".Dockerfile"))
        .collect();
    names.sort();
    assert!(names.len() >= 9);
    for name in names {
        let (_, built) = model_of(&name, &Options::default());
        insta::assert_json_snapshot!(name.trim_end_matches(".Dockerfile"), built);
    }
}

fn package_names(built: &Model, stage: usize, instruction: usize) -> Vec<String> {
    built.stages[stage].instructions[instruction]
        .packages
        .iter()
        .map(|package| package.name.clone())
        .collect()
}

#[test]
fn heredoc_and_nested_shell_installs_are_seen_with_exact_positions() {
    let (_, built) = model_of("heredoc_install.Dockerfile", &Options::default());
    let run = &built.stages[0].instructions[0];
    assert_eq!(package_names(&built, 0, 0), ["nginx", "curl"]);
    // `apt-get install ... nginx curl` is line 5 of the file; nginx starts at column 44.
    assert_eq!((run.packages[0].line, run.packages[0].column), (5, 44));
    assert_eq!(package_names(&built, 0, 1), ["vim"]);
    assert_eq!(
        built.stages[0].instructions[2].interpreter.as_deref(),
        Some("/usr/bin/env python3")
    );
    assert!(built.stages[0].instructions[2].commands.is_empty());
    assert_eq!(package_names(&built, 0, 3), ["cron"]);

    let (_, built) = model_of("sh_c_nesting.Dockerfile", &Options::default());
    assert_eq!(package_names(&built, 0, 0), ["openssh-server"]);
    let ssh = &built.stages[0].instructions[0].packages[0];
    assert_eq!((ssh.line, ssh.column), (2, 49));
    assert_eq!(package_names(&built, 0, 1), ["gdb", "strace"]);
    assert_eq!(package_names(&built, 0, 2), ["supervisor"]);
    assert_eq!(package_names(&built, 0, 3), ["git"]);
    assert_eq!(package_names(&built, 0, 4), ["make"]);
    assert_eq!(package_names(&built, 0, 5), ["gcc"]);
}

#[test]
fn continuation_lines_put_packages_on_their_own_lines() {
    let (_, built) = model_of("continuations.Dockerfile", &Options::default());
    let lines: Vec<(String, usize, usize)> = built.stages[0].instructions[0]
        .packages
        .iter()
        .map(|package| (package.name.clone(), package.line, package.column))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("ca-certificates".into(), 4, 9),
            ("python3".into(), 6, 9),
            ("python3-pip".into(), 7, 9)
        ]
    );
}

#[test]
fn from_resolves_meta_args_and_build_args() {
    let (_, built) = model_of("from_arg.Dockerfile", &Options::default());
    let bases: Vec<&str> = built
        .stages
        .iter()
        .map(|stage| stage.base.raw.as_str())
        .collect();
    assert_eq!(
        bases,
        [
            "debian:12",
            "python:3.12-slim",
            "docker.io/library/node:20",
            "golang:1.22",
            ""
        ]
    );
    assert_eq!(built.stages[3].platform.as_deref(), Some("linux/amd64"));
    assert_eq!(built.stages[4].base.undefined, ["UNDEFINED_BASE"]);
    let options = Options {
        build_args: vec![
            ("BASE".into(), "ubuntu:24.04".into()),
            ("PYTHON_VERSION".into(), "3.11".into()),
        ],
        target: Some("base".into()),
        ..Options::default()
    };
    let (_, built) = model_of("from_arg.Dockerfile", &options);
    assert_eq!(built.stages[0].base.raw, "ubuntu:24.04");
    assert_eq!(built.stages[1].base.raw, "python:3.11-slim");
    assert_eq!(built.target, Some(0));
    assert!(built.stages[0].shipped && !built.stages[1].shipped);
}

#[test]
fn stage_chains_copy_edges_and_shipping() {
    let (_, built) = model_of("multistage.Dockerfile", &Options::default());
    assert_eq!(built.stages[1].base.stage, Some(0));
    assert_eq!(built.target, Some(3));
    let shipped: Vec<bool> = built.stages.iter().map(|stage| stage.shipped).collect();
    assert_eq!(shipped, [false, false, false, true]);
    let sources: Vec<&Source> = built.stages[3]
        .copies_from
        .iter()
        .map(|edge| &edge.source)
        .collect();
    assert_eq!(
        sources,
        [
            &Source::Stage { index: 0 },
            &Source::Stage { index: 2 },
            &Source::Image {
                reference: "nginx:1.25".into()
            },
            &Source::Stage { index: 1 },
        ]
    );
    let (_, built) = model_of(
        "multistage.Dockerfile",
        &Options {
            target: Some("test".into()),
            ..Options::default()
        },
    );
    let shipped: Vec<bool> = built.stages.iter().map(|stage| stage.shipped).collect();
    assert_eq!(shipped, [true, true, false, false]);
}

#[test]
fn scopes_follow_buildkit() {
    let (_, built) = model_of("scopes.Dockerfile", &Options::default());
    let stage = &built.stages[0];
    let run_index = stage
        .instructions
        .iter()
        .position(|i| i.keyword == "RUN")
        .unwrap();
    let run = &stage.instructions[run_index];
    assert_eq!(run.context.workdir.as_deref(), Some("/srv/app/data"));
    assert_eq!(run.context.user.as_deref(), Some("app"));
    assert_eq!(run.context.shell, ["/bin/ash", "-eo", "pipefail", "-c"]);
    let args = stage.args_at(run_index);
    assert_eq!(args.get("VERSION").map(String::as_str), Some("1.0"));
    assert_eq!(args.get("USER_NAME").map(String::as_str), Some("app"));
    let env = stage.env_at(run_index);
    assert_eq!(env.get("APP_HOME").map(String::as_str), Some("/srv/app"));
    // `PATH=/srv/app/bin:$PATH` uses PATH from before the instruction (the default one).
    assert_eq!(
        env.get("PATH").map(String::as_str),
        Some("/srv/app/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    );
    assert_eq!(env.get("LEGACY").map(String::as_str), Some("some value"));
    // Before the ENV instruction ran, APP_HOME was not visible.
    assert!(!stage.env_at(2).contains_key("APP_HOME"));
    let child_stage = &built.stages[1];
    assert_eq!(
        child_stage.instructions[0].context.workdir.as_deref(),
        Some("/srv/app/data")
    );
    assert!(child_stage.args_at(0).is_empty());
    assert_eq!(
        child_stage.env_at(0).get("APP_HOME").map(String::as_str),
        Some("/srv/app")
    );
}

#[test]
fn powershell_stages_are_opaque_not_errors() {
    let (_, built) = model_of("powershell.Dockerfile", &Options::default());
    let run = built.stages[0]
        .instructions
        .iter()
        .find(|i| i.keyword == "RUN")
        .unwrap();
    assert!(run.commands.is_empty());
    assert!(
        run.script_error
            .as_ref()
            .unwrap()
            .message
            .contains("not a POSIX shell")
    );
}

#[test]
fn legacy_env_values_are_expanded_like_the_key_value_form() {
    let dockerfile =
        syntax::parse_bytes(b"FROM a\nENV V 1\nENV PKGS \"gcc make\" \nENV W ${V}-x\nRUN true\n");
    let built = model::build(&dockerfile, &Options::default());
    let env = built.stages[0].env_at(3);
    assert_eq!(env["PKGS"], "gcc make");
    assert_eq!(env["W"], "1-x");
}

/// The shell of each RUN of the model, and whether its script was parsed into commands.
fn run_shells(built: &Model) -> Vec<(usize, String, bool)> {
    built
        .stages
        .iter()
        .flat_map(|stage| &stage.instructions)
        .filter(|instruction| instruction.keyword == "RUN")
        .map(|run| {
            (
                run.line,
                run.context.shell.join(" "),
                !run.commands.is_empty(),
            )
        })
        .collect()
}

#[test]
fn shell_pragma_sets_the_shell_until_the_stage_ends() {
    // Before the first FROM: every stage built on an image, and those built on them.
    let (_, built) = model_of("shell_pragma.Dockerfile", &Options::default());
    assert_eq!(
        run_shells(&built),
        [
            (3, "powershell".to_string(), false),
            (5, "powershell".to_string(), false),
            (7, "powershell".to_string(), false),
        ]
    );
    // Inside a stage: from its line on, inherited by `FROM linux`, until a SHELL or FROM image.
    let (_, built) = model_of("shell_pragma_stage.Dockerfile", &Options::default());
    assert_eq!(
        run_shells(&built),
        [
            (2, "/bin/sh -c".to_string(), true),
            (4, "pwsh".to_string(), false),
            (6, "pwsh".to_string(), false),
            (8, "/bin/bash -c".to_string(), true),
            (10, "/bin/sh -c".to_string(), true),
            (12, "bash -c".to_string(), true),
        ]
    );
}
#[test]
fn every_manager_is_recognised() {
    let (_, built) = model_of("managers.Dockerfile", &Options::default());
    let managers: Vec<String> = built.stages[0]
        .instructions
        .iter()
        .flat_map(|i| i.invocations.iter().map(|inv| inv.manager.to_string()))
        .collect();
    for expected in [
        "apt-get", "yum", "dnf", "microdnf", "apk", "pip", "zypper", "pacman", "npm", "yarn",
        "gem", "go", "cargo", "composer", "conda", "curl|sh", "pipx",
    ] {
        assert!(
            managers.iter().any(|m| m == expected),
            "{expected} missing from {managers:?}"
        );
    }
    let first = &built.stages[0].instructions[0];
    let nginx = first
        .packages
        .iter()
        .find(|p| p.name == "nginx" && p.version.is_some())
        .unwrap();
    assert_eq!(nginx.version.as_deref(), Some("1.22*"));
    assert!(nginx.removed_later, "purged again in the same RUN");
    let apk = &built.stages[0].instructions[3];
    assert!(
        apk.packages
            .iter()
            .filter(|p| p.manager == "apk" && p.action == model::Action::Install)
            .all(|p| p.removed_later)
    );
    let pip: Vec<(&str, Option<&str>)> = apk
        .packages
        .iter()
        .filter(|p| p.manager == "pip")
        .map(|p| (p.name.as_str(), p.version.as_deref()))
        .collect();
    assert_eq!(pip, [("flask", Some("3.0")), ("uvicorn", Some(">=0.29"))]);
}

#[test]
fn layers_follow_the_catalog() {
    let (_, built) = model_of("heavy.Dockerfile", &Options::default());
    let install = &built.stages[0].instructions[1];
    let layer_of = |name: &str| {
        install
            .packages
            .iter()
            .find(|p| p.name == name)
            .unwrap()
            .layer
    };
    assert_eq!(layer_of("openssh-server"), Layer::Dev);
    assert_eq!(layer_of("vim"), Layer::Dev);
    assert_eq!(layer_of("gcc"), Layer::Dev);
    assert_eq!(layer_of("filebeat"), Layer::Ops);
    let expose = built.stages[0]
        .instructions
        .iter()
        .find(|i| i.keyword == "EXPOSE")
        .unwrap();
    assert_eq!(expose.layer, Layer::Dev);
}

#[test]
fn mutated_fixtures_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/model");
    let inputs: Vec<Vec<u8>> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| fs::read(entry.unwrap().path()).unwrap())
        .collect();
    let pieces: [&[u8]; 14] = [
        b"\\\n",
        b"'",
        b"\"",
        b"$(",
        b")",
        b"`",
        b"<<EOF\n",
        b"\nEOF\n",
        b"&&",
        b"|",
        b"${",
        b"[",
        b"\n",
        b"FROM x AS y\n",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    for round in 0..3000 {
        let mut input = inputs[round % inputs.len()].clone();
        for _ in 0..=next(3) {
            let at = next(input.len() + 1);
            if next(4) == 0 {
                input.truncate(at);
            } else {
                let piece = pieces[next(pieces.len())];
                input.splice(at..at, piece.iter().copied());
            }
        }
        let dockerfile = syntax::parse_bytes(&input);
        let built = model::build(&dockerfile, &Options::default());
        serde_json::to_string(&built).unwrap();
        for package in built
            .stages
            .iter()
            .flat_map(|s| &s.instructions)
            .flat_map(|i| &i.packages)
        {
            assert!(package.span.end <= dockerfile.source.len());
            assert!(dockerfile.source.is_char_boundary(package.span.start));
        }
    }
}

/// Instructions before the first FROM: left out of the stages by default (BuildKit rejects
/// them), an implicit stage 0 when asked for (what the hadolint rules read).
#[test]
fn instructions_before_from_make_an_implicit_stage_only_when_asked() {
    let source = "ARG V=1\nRUN apt-get install -y curl\nCOPY --from=0 /a /a\nFROM alpine:3.20 AS base\nFROM base\nCOPY --from=0 /b /b\n";
    let dockerfile = syntax::parse(source);
    assert!(model::has_instructions_before_from(&dockerfile));
    let plain = model::build(&dockerfile, &Options::default());
    assert_eq!(plain.stages.len(), 2);
    assert!(plain.stages.iter().all(|stage| !stage.implicit));
    let options = Options {
        implicit_stage: true,
        ..Options::default()
    };
    let fragment = model::build(&dockerfile, &options);
    assert_eq!(fragment.stages.len(), 3);
    let implicit = &fragment.stages[0];
    assert!(implicit.implicit && implicit.name.is_none() && !implicit.shipped);
    assert_eq!(implicit.instructions.len(), 2, "ARG stays a meta ARG");
    assert_eq!(fragment.meta_args.get("V").map(String::as_str), Some("1"));
    assert_eq!(implicit.instructions[0].packages[0].name, "curl");
    // `--from=0` counts FROM stages: in the implicit stage it names no earlier stage, in the
    // last stage it is `base`.
    assert!(matches!(
        implicit.copies_from[0].source,
        Source::Image { .. }
    ));
    assert_eq!(
        fragment.stages[2].copies_from[0].source,
        Source::Stage { index: 1 }
    );
    assert_eq!(fragment.stages[2].base.stage, Some(1));
    assert_eq!(fragment.stage_number(&fragment.stages[2]), Some(1));
    assert_eq!(fragment.stage_number(implicit), None);
    assert_eq!(fragment.target, Some(2));
    // A file that is only a fragment: the implicit stage is the image.
    let only = model::build(&syntax::parse("USER root\nRUN id\n"), &options);
    assert_eq!(only.stages.len(), 1);
    assert!(only.stages[0].shipped);
}
