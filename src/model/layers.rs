//! Which layer of the stack an instruction belongs to (os, runtime, ops, app, dev).
//!
//! Packages carry their layer from the catalog; an instruction takes the layer of what it does:
//! a RUN that installs takes its packages' layer (the lowest non-dev one; dev only when all of
//! them are dev tools), base-system chores (users, locale, time zone, CA certificates) are `os`,
//! server configuration under `/etc` is `runtime`, and the application's own files and settings
//! are `app`.

use crate::syntax::{Arguments, Instruction, Keyword};

use super::catalog::Layer;
use super::packages::{Action, Extracted};
use super::run::{RunAnalysis, command_name};

/// Commands that set up the base system (a `match`, which the compiler turns into a length
/// dispatch: every command of a RUN that installs nothing is looked up).
fn is_os_command(name: &str) -> bool {
    matches!(
        name,
        "useradd"
            | "adduser"
            | "groupadd"
            | "addgroup"
            | "usermod"
            | "locale-gen"
            | "localedef"
            | "update-locale"
            | "update-ca-certificates"
            | "dpkg-reconfigure"
            | "ldconfig"
            | "chsh"
    )
}

/// ENV names that configure the base system.
const OS_ENV: [&str; 6] = ["LANG", "LANGUAGE", "TZ", "DEBIAN_FRONTEND", "PATH", "TERM"];

pub fn instruction_layer(
    instruction: &Instruction,
    run: &RunAnalysis,
    extracted: &Extracted,
) -> Layer {
    match instruction.kind {
        Keyword::Run => run_layer(run, extracted),
        Keyword::Env => env_layer(&instruction.arguments),
        Keyword::Copy | Keyword::Add => copy_layer(&instruction.arguments),
        Keyword::Expose if exposes_ssh(&instruction.arguments) => Layer::Dev,
        _ => Layer::App,
    }
}

fn run_layer(run: &RunAnalysis, extracted: &Extracted) -> Layer {
    let mut installed = extracted
        .packages
        .iter()
        .filter(|package| package.action == Action::Install && !package.removed_later)
        .map(|package| package.layer)
        .peekable();
    if installed.peek().is_some() {
        let non_dev = installed.filter(|layer| *layer != Layer::Dev).min();
        return non_dev.unwrap_or(Layer::Dev);
    }
    let os_chores = run
        .commands
        .iter()
        .any(|command| is_os_command(command_name(command)));
    let upgrades = extracted.invocations.iter().any(|invocation| {
        matches!(
            invocation.action,
            Action::Upgrade | Action::Update | Action::Clean
        )
    });
    if os_chores || upgrades {
        Layer::Os
    } else {
        Layer::App
    }
}

fn env_layer(arguments: &Arguments) -> Layer {
    let Arguments::KeyValues(pairs) = arguments else {
        return Layer::App;
    };
    let keys = || pairs.iter().map(|pair| pair.key.text.as_str());
    if keys().all(|key| OS_ENV.contains(&key) || key.starts_with("LC_")) {
        Layer::Os
    } else if keys()
        .all(|key| key.ends_with("_VERSION") || key.ends_with("_HOME") || key.ends_with("_SHA256"))
    {
        Layer::Runtime
    } else {
        Layer::App
    }
}

/// Files into `/etc` configure servers and runtimes; everything else is the application.
fn copy_layer(arguments: &Arguments) -> Layer {
    let destination = match arguments {
        Arguments::Words(words) | Arguments::Exec(words) => {
            words.last().map(|word| word.text.as_str())
        }
        _ => None,
    };
    match destination {
        Some(path) if path.starts_with("/etc/") => Layer::Runtime,
        _ => Layer::App,
    }
}

fn exposes_ssh(arguments: &Arguments) -> bool {
    let Arguments::Words(ports) = arguments else {
        return false;
    };
    ports
        .iter()
        .any(|port| port.text == "22" || port.text.starts_with("22/"))
}
