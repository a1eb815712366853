//! HC011 toolchain-shipped: a shipped stage installs a toolchain and builds with it, with no
//! builder stage.
//!
//! Flags, once per shipped stage, the first build command (make, cmake, ninja, meson,
//! `./configure`, gcc/cc/clang, `go build|install|get`, `cargo build`, mvn/gradle builds, `dotnet
//! publish`, javac, `npm|yarn|pnpm run build`) that runs with a toolchain the image keeps:
//! - compiler or build-tool packages installed in the shipped stages and not removed in their
//!   RUN, when the build's RUN does not remove OS packages after the build either;
//! - the language toolchains that are a program of their own (go, cargo, rustc, mvn, gradle,
//!   dotnet, javac, sbt, bazel), unless the base image is a toolchain or full language image
//!   (HC001 reports that base and suggests the multi-stage build);
//! - JavaScript builds after dependencies were installed with their devDependencies (no
//!   `--production`/`--omit=dev`, no `npm prune` afterwards).
//!
//! The install-build-purge idiom (`apk add --virtual .build-deps … && make && apk del
//! .build-deps`) keeps no toolchain and is not flagged.

use crate::model::catalog::{ImageKind, tag};
use crate::model::{Action, Ecosystem, InstructionModel, Layer};
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::shell::Command;

use super::shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC011",
        name: "toolchain-shipped",
        severity: Severity::Warning,
        family: Family::Heavy,
        layer: Some(Layer::Dev),
        fixable: false,
        default_enabled: true,
        summary: "a shipped stage installs a toolchain and builds with it, with no builder stage",
        doc: include_str!("../../../rules/HC011.md"),
    },
    check,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Toolchain {
    /// C/C++ and friends, from OS packages.
    Native,
    /// A language toolchain that is its own program (go, cargo, mvn...).
    Language,
    /// A JavaScript bundler run through the package manager.
    JavaScript,
}

/// What a build command needs.
fn build_command(command: &Command, program: Option<&str>) -> Option<Toolchain> {
    let program = program?;
    // The words' static values, read in place: most commands build nothing.
    let args = || {
        command
            .args
            .iter()
            .map(|word| shared::value_of(word).unwrap_or(""))
    };
    // Read only for the programs whose subcommand decides.
    let second = || args().nth(1);
    let first = || args().next().unwrap_or("");
    let any = |wanted: &[&str]| args().any(|arg| wanted.contains(&arg));
    match program {
        "make" | "gmake" | "cmake" | "ninja" | "scons" | "configure" | "gcc" | "g++" | "cc"
        | "c++" | "clang" | "clang++" => Some(Toolchain::Native),
        "meson" if matches!(first(), "setup" | "compile") => Some(Toolchain::Native),
        // `go get` builds and installs in GOPATH mode (the Dockerfiles that use it).
        "go" if matches!(first(), "build" | "install" | "get") => Some(Toolchain::Language),
        "cargo" if matches!(first(), "build" | "install") => Some(Toolchain::Language),
        "rustc" | "javac" | "sbt" => Some(Toolchain::Language),
        "bazel" | "bazelisk" if matches!(first(), "build") => Some(Toolchain::Language),
        "mvn" | "mvnw" if any(&["package", "install", "compile", "verify", "deploy"]) => {
            Some(Toolchain::Language)
        }
        "gradle" | "gradlew"
            if any(&[
                "build",
                "assemble",
                "jar",
                "bootJar",
                "shadowJar",
                "installDist",
                "war",
            ]) =>
        {
            Some(Toolchain::Language)
        }
        "dotnet" if matches!(first(), "build" | "publish") => Some(Toolchain::Language),
        "npm" | "pnpm" if matches!(first(), "run" | "run-script") && second() == Some("build") => {
            Some(Toolchain::JavaScript)
        }
        "yarn" | "pnpm"
            if first() == "build" || (first() == "run" && second() == Some("build")) =>
        {
            Some(Toolchain::JavaScript)
        }
        _ => None,
    }
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(root) = context.shipped_stages().next() else {
        return;
    };
    let toolchain_base = root
        .image
        .as_ref()
        .is_some_and(|image| matches!(image.kind, ImageKind::Build | ImageKind::Language));
    // Named only in a finding (most files have none).
    let builder = || {
        context
            .model
            .stages
            .iter()
            .find(|stage| !stage.shipped)
            .map(|stage| match &stage.name {
                Some(name) => format!("`{name}`"),
                None => format!("stage {}", stage.index),
            })
    };
    // Toolchain packages kept so far, and whether JS dev dependencies are installed.
    let mut kept: Vec<(&str, usize)> = Vec::new();
    let mut js_dev_dependencies = false;
    'stages: for stage in context.shipped_stages() {
        for instruction in &stage.instructions {
            if instruction.keyword != "RUN" {
                continue;
            }
            let commands = shared::commands(context, instruction);
            kept.extend(
                instruction
                    .kept_packages()
                    .filter(|package| {
                        package
                            .tags
                            .iter()
                            .any(|t| t == tag::COMPILER || t == tag::BUILD_TOOL)
                    })
                    .map(|package| (package.name.as_str(), package.line)),
            );
            let installed_here = toolchain_installed_here(instruction);
            for (index, command) in commands.iter().enumerate() {
                // Asked once: three questions below read it.
                let program = command.program();
                if let Some(manager) = js_install(command, program) {
                    js_dev_dependencies = !manager;
                }
                if is_npm_prune(command, program) {
                    js_dev_dependencies = false;
                }
                let Some(toolchain) = build_command(command, program) else {
                    continue;
                };
                let source = match toolchain {
                    Toolchain::Native => {
                        let purged_after = instruction.invocations.iter().any(|invocation| {
                            invocation.command > index
                                && invocation.action == Action::Remove
                                && is_os(invocation.ecosystem)
                        });
                        if kept.is_empty() || (purged_after && installed_here) {
                            continue;
                        }
                        let names: Vec<&str> = kept.iter().map(|(name, _)| *name).collect();
                        let mut lines: Vec<usize> = kept.iter().map(|(_, line)| *line).collect();
                        lines.sort_unstable();
                        lines.dedup();
                        let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
                        let on = match lines.as_slice() {
                            [one] => format!("line {one}"),
                            [init @ .., last] => format!("lines {} and {last}", init.join(", ")),
                            [] => String::new(),
                        };
                        format!(
                            "the toolchain it keeps ({} installed on {on})",
                            shared::code_list(&names)
                        )
                    }
                    Toolchain::Language if toolchain_base => continue,
                    Toolchain::Language => {
                        format!("the `{}` toolchain", command.program().unwrap_or_default())
                    }
                    Toolchain::JavaScript if !js_dev_dependencies => continue,
                    Toolchain::JavaScript => {
                        "the devDependencies installed in the same stage".to_string()
                    }
                };
                let remedy = match builder() {
                    Some(builder) => format!(
                        "move the build to a build-only stage such as {builder} and copy only \
                         the artifacts"
                    ),
                    None => "build in a builder stage and copy only the artifacts into the \
                             final one (`dlayer fix --split`)"
                        .to_string(),
                };
                // The command word, with its subcommand (`go build`, `npm run build`).
                let words = match toolchain {
                    Toolchain::Native => 0,
                    Toolchain::JavaScript if shared::value_of(&command.args[0]) == Some("run") => 2,
                    Toolchain::JavaScript => 1,
                    Toolchain::Language
                        if matches!(
                            command.program(),
                            Some("go" | "cargo" | "dotnet" | "bazel" | "bazelisk")
                        ) =>
                    {
                        1
                    }
                    Toolchain::Language => 0,
                };
                let span = match words {
                    0 => command.name.span,
                    n => command.name.span.cover(command.args[n - 1].span),
                };
                let shown = shared::shown(command, words);
                out.push(context.report(
                    &RULE.meta,
                    span,
                    format!(
                        "`{shown}` builds in the shipped image with {source}: {remedy} (dev layer)"
                    ),
                ));
                continue 'stages;
            }
        }
    }
}

fn is_os(ecosystem: Option<Ecosystem>) -> bool {
    matches!(
        ecosystem,
        Some(Ecosystem::Deb | Ecosystem::Rpm | Ecosystem::Apk | Ecosystem::Pacman)
    )
}

/// The RUN installs toolchain packages itself (so a removal after the build is theirs).
fn toolchain_installed_here(instruction: &InstructionModel) -> bool {
    instruction.packages.iter().any(|package| {
        package.action == Action::Install
            && package
                .tags
                .iter()
                .any(|t| t == tag::COMPILER || t == tag::BUILD_TOOL)
    }) || instruction
        .invocations
        .iter()
        .enumerate()
        .any(|(index, invocation)| {
            // `apt-get install $BUILD_DEPS`: names the model cannot read.
            invocation.action == Action::Install
                && is_os(invocation.ecosystem)
                && !instruction
                    .packages
                    .iter()
                    .any(|package| package.invocation == index)
        })
}

/// `npm ci`, `npm install`, `yarn`, `yarn install`, `pnpm install`: `Some(true)` when only
/// production dependencies are installed.
fn js_install(command: &Command, program: Option<&str>) -> Option<bool> {
    let program = program?;
    if !matches!(program, "npm" | "yarn" | "pnpm") {
        return None;
    }
    let args: Vec<&str> = command
        .args
        .iter()
        .map(|word| shared::value_of(word).unwrap_or(""))
        .collect();
    let operands: Vec<&&str> = args.iter().filter(|arg| !arg.starts_with('-')).collect();
    let installs = match (program, operands.first()) {
        ("yarn", None) => true,
        (_, Some(&&verb)) => matches!(verb, "install" | "i" | "ci") && operands.len() == 1,
        _ => false,
    };
    if !installs {
        return None;
    }
    let production = args.iter().any(|arg| {
        matches!(
            *arg,
            "--production" | "--prod" | "--only=production" | "--only=prod" | "--omit=dev"
        )
    }) || args.windows(2).any(|pair| pair == ["--omit", "dev"]);
    Some(production)
}

fn is_npm_prune(command: &Command, program: Option<&str>) -> bool {
    program == Some("npm") && command.args.first().and_then(shared::value_of) == Some("prune")
}
