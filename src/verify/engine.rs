//! The local Docker engine, driven through the `docker` CLI as a subprocess: builds (BuildKit
//! through `docker buildx` when it is installed, else the classic builder), inspection, exports
//! and containers. Everything it makes is recorded and removed on drop unless kept.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::snapshot::{self, Snapshot};

/// How to get an engine, for the message when none answers.
pub const HOW_TO_GET_ONE: &str = "install Docker (Debian: `apt-get install docker.io`, then start \
`dockerd`; scripts/engine.sh does both and makes debian:bookworm images without a registry), or \
point DOCKER_HOST at a running engine";

/// Lines of a failed build's log shown.
const LOG_TAIL_LINES: usize = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builder {
    BuildKit,
    Classic,
}

pub struct Engine {
    program: PathBuf,
    pub builder: Builder,
    keep: bool,
    prefix: String,
    made_images: Mutex<Vec<String>>,
    made_containers: Mutex<Vec<String>>,
    counter: AtomicUsize,
}

/// What a build needs.
pub struct BuildRequest<'a> {
    pub dockerfile: &'a Path,
    pub context: &'a Path,
    pub target: Option<&'a str>,
    pub build_args: &'a [(String, String)],
}

/// A container's state after the settle time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub running: bool,
    pub exit_code: i64,
}

impl Engine {
    /// Finds the `docker` CLI (or `$DLAYER_DOCKER`) and checks that an engine answers.
    pub fn connect(keep: bool) -> Result<Engine, String> {
        let program = std::env::var_os("DLAYER_DOCKER")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("docker"));
        let version = Command::new(&program)
            .args(["version", "--format", "{{.Server.Version}}"])
            .stdin(Stdio::null())
            .output()
            .map_err(|error| {
                format!(
                    "no Docker engine: cannot run `{}` ({error}); {HOW_TO_GET_ONE}",
                    program.display()
                )
            })?;
        if !version.status.success() {
            let said = String::from_utf8_lossy(&version.stderr);
            return Err(format!(
                "no Docker engine answers ({}); {HOW_TO_GET_ONE}",
                said.trim().lines().last().unwrap_or("no answer")
            ));
        }
        let buildx = Command::new(&program)
            .args(["buildx", "version"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        Ok(Engine {
            program,
            builder: if buildx {
                Builder::BuildKit
            } else {
                Builder::Classic
            },
            keep,
            prefix: format!("dlayer-verify-{}", std::process::id()),
            made_images: Mutex::new(Vec::new()),
            made_containers: Mutex::new(Vec::new()),
            counter: AtomicUsize::new(0),
        })
    }

    fn docker(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.stdin(Stdio::null());
        command
    }

    /// A fresh image tag for `role` (`original`, `prod`, `dev`).
    pub fn tag_for(&self, role: &str) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!("{}-{n}:{role}", self.prefix)
    }

    /// Builds `request` as `tag`; on failure, the tail of the build log. A build whose cached
    /// layer another process removed while it ran (`unable to find image "sha256:…"`, when
    /// builds and clean-ups of other images share layers) is built again, up to twice.
    pub fn build(&self, request: &BuildRequest, tag: &str) -> Result<(), String> {
        let mut attempts = 1;
        loop {
            match self.build_once(request, tag) {
                Err(tail) if attempts < 3 && tail.contains("unable to find image \"sha256:") => {
                    attempts += 1;
                }
                outcome => return outcome,
            }
        }
    }

    fn build_once(&self, request: &BuildRequest, tag: &str) -> Result<(), String> {
        let mut command = self.docker();
        match self.builder {
            Builder::BuildKit => {
                command.args(["buildx", "build", "--load"]);
            }
            Builder::Classic => {
                // Without buildx, asking for BuildKit fails; the classic builder's deprecation
                // notice on standard error is no error.
                command.env("DOCKER_BUILDKIT", "0").arg("build");
            }
        }
        command.arg("-t").arg(tag).arg("-f").arg(request.dockerfile);
        if let Some(target) = request.target {
            command.args(["--target", target]);
        }
        for (name, value) in request.build_args {
            command.arg("--build-arg").arg(format!("{name}={value}"));
        }
        command.arg(request.context);
        self.made_images.lock().unwrap().push(tag.to_string());
        let output = command
            .output()
            .map_err(|error| format!("cannot run docker build: {error}"))?;
        if output.status.success() {
            return Ok(());
        }
        let mut log = String::from_utf8_lossy(&output.stdout).into_owned();
        log.push_str(&String::from_utf8_lossy(&output.stderr));
        let log = without_colour_codes(&log);
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n");
        Err(tail)
    }

    /// `docker image inspect`'s `Config`.
    pub fn image_config(&self, tag: &str) -> Result<serde_json::Value, String> {
        let output = self
            .docker()
            .args(["image", "inspect", "--format", "{{json .Config}}", tag])
            .output()
            .map_err(|error| format!("cannot run docker image inspect: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "docker image inspect {tag}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        serde_json::from_slice(&output.stdout)
            .map_err(|error| format!("docker image inspect {tag}: {error}"))
    }

    /// The image's file system through `docker create` + `docker export`.
    pub fn snapshot(&self, tag: &str, with_entries: bool) -> Result<Snapshot, String> {
        // Never started: the entrypoint only has to be non-empty.
        let id = self.create(&["create", "--entrypoint", "/dlayer-export", tag])?;
        let mut child = self
            .docker()
            .args(["export", &id])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot run docker export: {error}"))?;
        let mut stdout = child.stdout.take().expect("piped");
        let read = snapshot::read(&mut stdout, with_entries);
        // The tar reader stops at the end-of-archive marker; docker may still be writing the
        // padding after it. Closing the pipe early would fail the export with a broken pipe
        // (an empty message), so the rest is read and dropped first.
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        drop(stdout);
        let output = child
            .wait_with_output()
            .map_err(|error| format!("docker export: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "docker export {tag}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        read.map_err(|error| format!("docker export {tag}: {error}"))
    }

    /// Runs a command in the image and returns its standard output (`rpm -qa`).
    pub fn run_output(&self, tag: &str, entrypoint: &str, args: &[&str]) -> Result<String, String> {
        let output = self
            .docker()
            .args([
                "run",
                "--rm",
                "--network",
                "none",
                "--entrypoint",
                entrypoint,
                tag,
            ])
            .args(args)
            .output()
            .map_err(|error| format!("cannot run docker run: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "{entrypoint} in {tag}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Starts the image's own command in the background (`docker run -d`).
    pub fn start(&self, tag: &str) -> Result<String, String> {
        self.create(&["run", "-d", tag])
    }

    fn create(&self, args: &[&str]) -> Result<String, String> {
        let output = self
            .docker()
            .args(args)
            .output()
            .map_err(|error| format!("cannot run docker {}: {error}", args[0]))?;
        if !output.status.success() {
            return Err(format!(
                "docker {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let id = String::from_utf8_lossy(&output.stdout).trim().to_string();
        self.made_containers.lock().unwrap().push(id.clone());
        Ok(id)
    }

    pub fn state(&self, container: &str) -> Result<State, String> {
        let output = self
            .docker()
            .args([
                "inspect",
                "--format",
                "{{.State.Running}} {{.State.ExitCode}}",
                container,
            ])
            .output()
            .map_err(|error| format!("cannot run docker inspect: {error}"))?;
        let text = String::from_utf8_lossy(&output.stdout);
        let mut words = text.split_whitespace();
        match (
            words.next(),
            words.next().and_then(|code| code.parse().ok()),
        ) {
            (Some(running), Some(exit_code)) if output.status.success() => Ok(State {
                running: running == "true",
                exit_code,
            }),
            _ => Err(format!(
                "docker inspect {container}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )),
        }
    }

    /// The last lines a container printed.
    pub fn logs_tail(&self, container: &str) -> String {
        let output = self
            .docker()
            .args(["logs", "--tail", "5", container])
            .output();
        output
            .map(|output| {
                let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
                text.push_str(&String::from_utf8_lossy(&output.stderr));
                text.trim().to_string()
            })
            .unwrap_or_default()
    }

    /// The images made, for `--keep-images`.
    pub fn images(&self) -> Vec<String> {
        self.made_images.lock().unwrap().clone()
    }

    fn remove(&self, args: &[&str], names: &[String]) {
        if names.is_empty() {
            return;
        }
        let _ = self
            .docker()
            .args(args)
            .args(names)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let containers = std::mem::take(&mut *self.made_containers.lock().unwrap());
        self.remove(&["rm", "-f", "-v"], &containers);
        if !self.keep {
            let images = std::mem::take(&mut *self.made_images.lock().unwrap());
            self.remove(&["rmi", "-f"], &images);
        }
    }
}

/// The legacy builder wraps each chunk a step writes to stderr in `ESC[91m … ESC[0m`, so one
/// message line can be cut by colour codes (`chown: ESC[0mESC[91mcannot access …`): the tail
/// shown to the user is the text without them.
fn without_colour_codes(log: &str) -> String {
    let mut text = String::with_capacity(log.len());
    let mut rest = log;
    while let Some(start) = rest.find("\x1b[") {
        text.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find(|c: char| !(c.is_ascii_digit() || c == ';')) {
            Some(end) if after[end..].starts_with('m') => rest = &after[end + 1..],
            _ => {
                text.push_str("\x1b[");
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}

#[cfg(test)]
mod colour_tests {
    use super::without_colour_codes;

    #[test]
    fn colour_codes_leave_the_build_log_and_other_text_stays() {
        let log = "\x1b[91mchown: \x1b[0m\x1b[91mcannot access '/opt/app'\x1b[0m\n\x1b[2J kept";
        assert_eq!(
            without_colour_codes(log),
            "chown: cannot access '/opt/app'\n\x1b[2J kept"
        );
    }
}
