//! The image's command, started with `docker run -d`: after the settle time production
//! runs whenever the original runs, or exits with the same code.

use super::Difference;
use super::engine::{Engine, State};

pub struct Containers {
    original: String,
    production: String,
}

/// Starts both images' commands, or nothing when the original has none to start.
pub fn start(
    engine: &Engine,
    original: &str,
    production: &str,
) -> Result<Option<Containers>, String> {
    let config = engine.image_config(original)?;
    let has_command = ["Cmd", "Entrypoint"].iter().any(|field| {
        config
            .get(*field)
            .and_then(|v| v.as_array())
            .is_some_and(|v| !v.is_empty())
    });
    if !has_command {
        return Ok(None);
    }
    Ok(Some(Containers {
        original: engine.start(original)?,
        production: engine.start(production)?,
    }))
}

pub fn compare(engine: &Engine, containers: &Containers) -> Result<Vec<Difference>, String> {
    let was = engine.state(&containers.original)?;
    let now = engine.state(&containers.production)?;
    let describe = |state: &State| {
        if state.running {
            "is running".to_string()
        } else {
            format!("exited with code {}", state.exit_code)
        }
    };
    if was == now || (was.running && now.running) {
        return Ok(Vec::new());
    }
    let mut message = format!(
        "after the settle time the original's command {}, production's {}",
        describe(&was),
        describe(&now)
    );
    let logs = engine.logs_tail(&containers.production);
    if !logs.is_empty() {
        message.push_str(&format!("; production's last output:\n{logs}"));
    }
    Ok(vec![Difference::new("behaviour", "command", message)])
}
