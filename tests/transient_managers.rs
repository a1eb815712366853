//! Transient build dependencies outside apt, run for real: the RUN `dlayer fix --split` writes
//! for apk and yum is run by `sh` against stub package managers (`testdata/transient/stubs`:
//! small scripts that log their calls and keep an image's installed packages in a directory).
//! This engine cannot build Alpine or CentOS images, so real builds could not judge these
//! shapes; this proves their control flow: the install gets the right packages, the original
//! runs, the removal gets exactly the new development packages, a failing original fails the
//! RUN, and nothing the image had before is removed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use dlayer::model::Catalog;
use dlayer::stack::{Outcome, SplitOptions, split};

fn testdata(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/transient")
        .join(path)
}

/// The script of the production RUN the split wraps for fixture `name`.
fn wrapped_script(name: &str) -> String {
    let source = fs::read_to_string(testdata(&format!("{name}.Dockerfile"))).unwrap();
    let Ok(Outcome::Split(result)) =
        split(&source, name, &SplitOptions::default(), Catalog::builtin())
    else {
        panic!("{name} must split");
    };
    let production = &result.stages[..result.stages.find(" AS dev").expect("a dev stage")];
    let run = production
        .split("\nRUN ")
        .skip(1)
        .find(|run| run.contains("dlayer"))
        .unwrap_or_else(|| panic!("{name}: no transient step in\n{}", result.stages));
    // The instruction ends at the first line that does not continue.
    let mut script = String::new();
    for line in run.lines() {
        script.push_str(line);
        script.push('\n');
        if !line.ends_with('\\') {
            break;
        }
    }
    script
}

/// The simulated image after a run, and how the run went.
struct Run {
    success: bool,
    stderr: String,
    log: Vec<String>,
    installed: Vec<String>,
}

impl Run {
    fn installed(&self, package: &str) -> bool {
        self.installed.iter().any(|p| p == package)
    }

    /// Where `call` is in the log (calls start with it).
    fn called(&self, call: &str) -> Option<usize> {
        self.log.iter().position(|line| line.starts_with(call))
    }
}

/// Runs fixture `name`'s wrapped RUN with `sh` on an image whose state files (`installed`,
/// `world`, `deps`, `provides`) are given; `fail` names a stub program of the original step
/// that fails.
fn run(name: &str, state: &[(&str, &str)], fail: Option<&str>) -> Run {
    let script = wrapped_script(name);
    let image = tempfile::tempdir().unwrap();
    for (file, content) in state {
        fs::write(image.path().join(file), content).unwrap();
    }
    // The original step's `./install.sh`.
    let install = image.path().join("install.sh");
    fs::write(
        &install,
        "#!/bin/sh\necho install.sh >> \"$STUB_STATE/log\"\n",
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(&install)
        .status()
        .unwrap();
    let awk = Command::new("sh")
        .args(["-c", "command -v awk"])
        .output()
        .unwrap();
    let awk = String::from_utf8(awk.stdout).unwrap().trim().to_string();
    let path = format!(
        "{}:{}",
        testdata("stubs").display(),
        std::env::var("PATH").unwrap()
    );
    let output = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(image.path())
        .env("PATH", path)
        .env("STUB_STATE", image.path())
        .env("STUB_REAL_AWK", awk)
        .env("STUB_FAIL", fail.unwrap_or(""))
        .output()
        .unwrap();
    let lines = |file: &str| -> Vec<String> {
        fs::read_to_string(image.path().join(file))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    };
    Run {
        success: output.status.success(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        log: lines("log"),
        installed: lines("installed"),
    }
}

const APK_DEPS: &str = "python3 musl\n\
                        gcc binutils gmp musl\n\
                        postgresql-dev libpq openssl-dev\n\
                        libpq musl\n";
const APK_PROVIDES: &str = "libpq so:libpq.so.5\n\
                            gmp so:libgmp.so.10\n\
                            musl so:libc.musl-x86_64.so.1\n";

#[test]
fn apk_build_deps_are_a_virtual_package_removed_after_the_step() {
    let image = [
        ("world", "musl\npython3\n"),
        ("installed", "musl\npython3\n"),
        ("deps", APK_DEPS),
        ("provides", APK_PROVIDES),
    ];
    let run = run("apk-build-deps", &image, None);
    assert!(run.success, "{}\n{:?}", run.stderr, run.log);
    let install = run
        .called("apk add --virtual .dlayer-build-deps --no-cache gcc musl-dev postgresql-dev")
        .expect("the build dependencies installed");
    let build = run.called("make -C /src").expect("the original step ran");
    let keep = run
        .called("apk add --virtual .dlayer-runtime-libs")
        .expect("the runtime libraries kept");
    let remove = run.called("apk del .dlayer-build-deps").expect("removed");
    assert!(
        install < build && build < keep && keep < remove,
        "{:?}",
        run.log
    );
    assert!(run.called("install.sh").is_some_and(|at| at < keep));
    for gone in [
        "gcc",
        "musl-dev",
        "postgresql-dev",
        "binutils",
        "openssl-dev",
    ] {
        assert!(!run.installed(gone), "{gone} left: {:?}", run.installed);
    }
    // libpq (which what was built may link against) and the image's packages stay.
    for kept in ["libpq", "gmp", "musl", "python3"] {
        assert!(run.installed(kept), "{kept} removed: {:?}", run.installed);
    }
}

#[test]
fn apk_installs_of_several_lines_get_a_virtual_package_each() {
    // One virtual package for both would keep only the second install's packages in it.
    let image = [
        ("world", "musl\n"),
        ("installed", "musl\n"),
        ("deps", APK_DEPS),
        ("provides", APK_PROVIDES),
    ];
    let run = run("apk-two-groups", &image, None);
    assert!(run.success, "{}\n{:?}", run.stderr, run.log);
    assert!(
        run.called("apk add --virtual .dlayer-build-deps --no-cache gcc musl-dev")
            .is_some()
    );
    assert!(
        run.called("apk add --no-cache --virtual .dlayer-build-deps-2 postgresql-dev")
            .is_some(),
        "{:?}",
        run.log
    );
    assert!(
        run.called("apk del .dlayer-build-deps .dlayer-build-deps-2")
            .is_some()
    );
    for gone in [
        "gcc",
        "musl-dev",
        "postgresql-dev",
        "binutils",
        "openssl-dev",
    ] {
        assert!(!run.installed(gone), "{gone} left: {:?}", run.installed);
    }
    assert!(run.installed("libpq") && run.installed("musl"));
}

#[test]
fn apk_keeps_what_the_image_had_and_fails_with_the_step() {
    // gcc was wanted before: the virtual package's removal leaves it.
    let image = [
        ("world", "musl\ngcc\n"),
        ("installed", "musl\ngcc\nbinutils\ngmp\n"),
        ("deps", APK_DEPS),
        ("provides", APK_PROVIDES),
    ];
    let run = run("apk-build-deps", &image, None);
    assert!(run.success, "{}", run.stderr);
    assert!(run.installed("gcc") && run.installed("binutils"));
    assert!(!run.installed("postgresql-dev"));
    // A failing build fails the RUN, and nothing runs after it.
    let failed = self::run("apk-build-deps", &image, Some("make"));
    assert!(!failed.success);
    assert_eq!(failed.called("apk del"), None, "{:?}", failed.log);
}

#[test]
fn apk_packages_the_step_installs_itself_go_unless_they_were_there() {
    let image = [
        ("world", "musl\n"),
        ("installed", "musl\n"),
        ("provides", APK_PROVIDES),
    ];
    let run = run("apk-own", &image, None);
    assert!(run.success, "{}\n{:?}", run.stderr, run.log);
    let checked = run.called("apk info -e git").expect("checked before");
    let clone = run.called("git clone").expect("the original step ran");
    let removed = run.called("apk del git").expect("git removed");
    assert!(checked < clone && clone < removed, "{:?}", run.log);
    assert!(run.installed("nginx") && !run.installed("git"));
    // The image had git: it stays, and the build log says why.
    let image = [
        ("world", "musl\ngit\n"),
        ("installed", "musl\ngit\n"),
        ("provides", APK_PROVIDES),
    ];
    let kept = self::run("apk-own", &image, None);
    assert!(kept.success, "{}", kept.stderr);
    assert!(kept.installed("git") && kept.called("apk del").is_none());
    assert!(kept.stderr.contains("dlayer: git kept"), "{}", kept.stderr);
    let failed = self::run("apk-own", &[("world", "musl\n")], Some("git"));
    assert!(!failed.success && failed.called("apk del").is_none());
}

const RPM_DEPS: &str = "gcc cpp glibc-devel\nglibc-devel glibc\n";

#[test]
fn yum_build_deps_are_erased_when_none_was_there() {
    let image = [("installed", "glibc\npython3\n"), ("deps", RPM_DEPS)];
    let run = run("rpm-build-deps", &image, None);
    assert!(run.success, "{}\n{:?}", run.stderr, run.log);
    let checked = run.called("rpm -q --whatprovides gcc").expect("checked");
    let install = run.called("yum install -y gcc make").expect("installed");
    let build = run.called("make -C /src").expect("the original step ran");
    let tested = run
        .called("rpm -e --test --allmatches gcc make")
        .expect("tested");
    let erase = run.called("rpm -e --allmatches gcc make").expect("erased");
    assert!(checked < install && install < build && build < tested && tested < erase);
    assert!(!run.installed("gcc") && !run.installed("make"));
    // What they pulled in stays (which of it the build's outputs use is not known).
    for kept in ["glibc", "python3", "cpp", "glibc-devel"] {
        assert!(run.installed(kept), "{kept} removed: {:?}", run.installed);
    }
}

#[test]
fn yum_keeps_what_the_image_had_and_fails_with_the_step() {
    // make was there before: nothing is erased, and the build log says so.
    let image = [("installed", "glibc\nmake\n"), ("deps", RPM_DEPS)];
    let run = run("rpm-build-deps", &image, None);
    assert!(run.success, "{}", run.stderr);
    assert!(run.called("rpm -e").is_none() && run.installed("make"));
    assert!(
        run.stderr.contains("dlayer: gcc make kept"),
        "{}",
        run.stderr
    );
    let image = [("installed", "glibc\n"), ("deps", RPM_DEPS)];
    let failed = self::run("rpm-build-deps", &image, Some("make"));
    assert!(!failed.success);
    assert!(failed.called("rpm -e").is_none(), "{:?}", failed.log);
}

#[test]
fn yum_never_erases_what_the_step_still_needs() {
    let run = run("rpm-own", &[("installed", "glibc\n")], None);
    assert!(run.success, "{}\n{:?}", run.stderr, run.log);
    assert!(run.called("rpm -e --allmatches git").is_some());
    assert!(run.installed("nginx") && !run.installed("git"));
    // nginx (installed by the step) requires git: `rpm -e --test` says the erase would break
    // it, so nothing is erased and the build log says so.
    let image = [("installed", "glibc\n"), ("deps", "nginx git\n")];
    let needed = self::run("rpm-own", &image, None);
    assert!(needed.success, "{}", needed.stderr);
    assert!(needed.called("rpm -e --test --allmatches git").is_some());
    assert!(
        needed.called("rpm -e --allmatches").is_none(),
        "{:?}",
        needed.log
    );
    assert!(needed.installed("git") && needed.installed("nginx"));
    assert!(
        needed.stderr.contains("dlayer: git kept"),
        "{}",
        needed.stderr
    );
}
