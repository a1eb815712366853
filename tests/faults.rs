//! The command line under faults: closed pipes, full disks, files changed behind its back,
//! symlinks, hard links, owners, special files, huge files, empty directories.

use std::fs;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dlayer"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    command
}

/// A Dockerfile of `lines` RUN lines (each a finding or two, and a long dump).
fn big_dockerfile(dir: &Path, lines: usize) -> String {
    let mut text = String::from("FROM debian:bookworm\n");
    for i in 0..lines {
        text.push_str(&format!("RUN apt-get install -y package{i}\n"));
    }
    let path = dir.join("Dockerfile");
    fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// Runs `args` with standard output a pipe whose reading end is already closed: the run must
/// end as `cat` does (killed by SIGPIPE, nothing on standard error).
fn assert_quiet_on_closed_pipe(args: &[&str]) {
    let mut ends = [0; 2];
    // SAFETY: `pipe` fills the two descriptors, each then owned exactly once.
    let (read, write) = unsafe {
        assert_eq!(libc::pipe(ends.as_mut_ptr()), 0);
        (OwnedFd::from_raw_fd(ends[0]), OwnedFd::from_raw_fd(ends[1]))
    };
    drop(read);
    let output = command(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(write))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.signal(),
        Some(libc::SIGPIPE),
        "{args:?}: {stderr}"
    );
    assert_eq!(stderr, "", "{args:?}");
}

#[test]
fn closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_dockerfile(dir.path(), 200);
    assert_quiet_on_closed_pipe(&["rules"]);
    assert_quiet_on_closed_pipe(&["dump", &big]);
    assert_quiet_on_closed_pipe(&["dump", "--format", "json", &big]);
    assert_quiet_on_closed_pipe(&["lint", "--color", "never", &big]);
    assert_quiet_on_closed_pipe(&["lint", "--format", "json", &big]);
}

/// Runs `args` with `stream` (1 or 2) going to /dev/full: exit 2, never a panic.
fn run_into_dev_full(args: &[&str], stdin: &[u8], stream: u8) -> std::process::Output {
    let full = || Stdio::from(fs::File::create("/dev/full").unwrap());
    let mut command = command(args);
    command.stdin(Stdio::piped());
    if stream == 1 {
        command.stdout(full()).stderr(Stdio::piped());
    } else {
        command.stdout(Stdio::piped()).stderr(full());
    }
    let mut child = command.spawn().unwrap();
    use std::io::Write;
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn full_disk_is_exit_2_with_a_message() {
    let dockerfile = b"FROM debian:bookworm\nRUN apt-get install -y curl\n";
    for args in [
        &["fix", "-"][..],
        &["fix", "--split", "-"],
        &["fmt", "-"],
        &["lint", "-"],
        &["lint", "--format", "json", "-"],
        &["dump", "-"],
        &["rules"],
    ] {
        let output = run_into_dev_full(args, dockerfile, 1);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("dlayer: error: cannot write standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
    for args in [
        &["fix", "--split", "--report", "json", "-"][..],
        &["fix", "--show-fixes", "-"],
    ] {
        let output = run_into_dev_full(args, dockerfile, 2);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

const FIXABLE: &str = "FROM debian:bookworm\nRUN apt-get update && apt-get install curl\n";

fn fix_in_place(path: &Path) -> std::process::Output {
    // --exit-zero: findings no fix removes (version pins, root) remain and would exit 1.
    command(&[
        "fix",
        "--no-config",
        "--unsafe-fixes",
        "--exit-zero",
        path.to_str().unwrap(),
    ])
    .output()
    .unwrap()
}

fn assert_fixed(output: &std::process::Output, path: &Path) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = fs::read_to_string(path).unwrap();
    assert_ne!(text, FIXABLE, "the fix changed the file");
}

#[test]
fn fix_writes_through_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.Dockerfile");
    fs::write(&target, FIXABLE).unwrap();
    let link = dir.path().join("Dockerfile");
    std::os::unix::fs::symlink("real.Dockerfile", &link).unwrap();
    let output = fix_in_place(&link);
    assert_fixed(&output, &target);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn fix_keeps_hard_links() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("Dockerfile");
    fs::write(&first, FIXABLE).unwrap();
    let second = dir.path().join("other.Dockerfile");
    fs::hard_link(&first, &second).unwrap();
    let inode = fs::metadata(&first).unwrap().ino();
    let output = fix_in_place(&first);
    assert_fixed(&output, &first);
    assert_eq!(fs::metadata(&first).unwrap().ino(), inode);
    assert_eq!(fs::read(&first).unwrap(), fs::read(&second).unwrap());
    assert_eq!(fs::metadata(&first).unwrap().nlink(), 2);
}

#[test]
fn fix_keeps_mode_owner_and_group() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    fs::write(&path, FIXABLE).unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        std::os::unix::fs::chown(&path, Some(1000), Some(1000)).unwrap();
    } else {
        eprintln!("not root: the owner part of this test is skipped (the mode is checked)");
    }
    let output = fix_in_place(&path);
    assert_fixed(&output, &path);
    let metadata = fs::metadata(&path).unwrap();
    assert_eq!(metadata.mode() & 0o7777, 0o640);
    if root {
        assert_eq!((metadata.uid(), metadata.gid()), (1000, 1000));
    }
}

#[test]
fn fix_refuses_a_file_changed_while_it_ran() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    // Big enough that the fix takes a while after reading the file.
    let mut text = String::from(FIXABLE);
    for i in 0..5000 {
        text.push_str(&format!("RUN apt-get update && apt-get install p{i}\n"));
    }
    fs::write(&path, &text).unwrap();
    let mut child = command(&["fix", "--no-config", path.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Edit the file as soon as dlayer has read it: a fixed sleep raced a fast build.
    wait_until_read(&mut child, text.len());
    let edited = "FROM debian:bookworm\n# saved by an editor meanwhile\n";
    fs::write(&path, edited).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("changed since dlayer read it"), "{stderr}");
    assert_eq!(fs::read_to_string(&path).unwrap(), edited);
}

/// Waits until `child` has read at least `bytes` bytes (its `rchar` in /proc), or fails the
/// test if it exits first.
fn wait_until_read(child: &mut std::process::Child, bytes: usize) {
    let io = format!("/proc/{}/io", child.id());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let read = fs::read_to_string(&io).ok().and_then(|io| {
            io.lines()
                .find_map(|line| line.strip_prefix("rchar: "))
                .and_then(|count| count.trim().parse::<usize>().ok())
        });
        if read.is_some_and(|read| read >= bytes) {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("dlayer ended ({status}) before it was seen reading the file");
        }
        assert!(
            std::time::Instant::now() < deadline,
            "dlayer never read the file"
        );
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
}

/// A small tmpfs mounted for the test (root only), unmounted when dropped.
struct SmallTmpfs(tempfile::TempDir);

impl SmallTmpfs {
    fn mount(size: &str) -> Option<SmallTmpfs> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("SKIPPED: not root, no tmpfs can be mounted for the full-disk test");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|status| status.success());
        if !mounted {
            eprintln!("SKIPPED: mounting a tmpfs failed (no CAP_SYS_ADMIN?)");
            return None;
        }
        Some(SmallTmpfs(dir))
    }
}

impl Drop for SmallTmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

/// Fills the file system of `dir` with a ballast file until a write fails.
fn fill(dir: &Path) {
    use std::io::Write;
    let mut ballast = fs::File::create(dir.join("ballast")).unwrap();
    let block = [b'x'; 512];
    while ballast
        .write_all(&block)
        .and_then(|()| ballast.sync_all())
        .is_ok()
    {}
}

#[test]
fn full_tmpfs_loses_nothing() {
    let Some(tmpfs) = SmallTmpfs::mount("256k") else {
        return;
    };
    let path = tmpfs.0.path().join("Dockerfile");
    fs::write(&path, FIXABLE).unwrap();
    fill(tmpfs.0.path());
    let output = fix_in_place(&path);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("dlayer: error: cannot write"), "{stderr}");
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        FIXABLE,
        "the file is intact"
    );
    // `fix - > file` on the full disk: exit 2, never 0 with an empty file.
    let redirected = tmpfs.0.path().join("Dockerfile.new");
    let output = command(&["fix", "--no-config", "--unsafe-fixes", "-"])
        .stdin(fs::File::open(&path).unwrap())
        .stdout(fs::File::create(&redirected).unwrap())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// Runs `args`, returning the exit code, standard error and peak memory (KiB, from wait4).
fn run_measured(args: &[&str]) -> (Option<i32>, String, i64) {
    let child = command(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = String::new();
    use std::io::Read;
    let mut child = child;
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the child's pid, valid pointers to locals.
    let waited = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(waited, child.id() as i32);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, stderr, usage.ru_maxrss)
}

#[test]
fn a_sparse_gigabyte_file_is_one_message_in_little_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    let file = fs::File::create(&path).unwrap();
    file.set_len(1 << 30).unwrap();
    for args in [
        &["lint", "--no-config", "--color", "never"][..],
        &["dump", "--format", "json"],
        &["fix", "--no-config"],
    ] {
        let mut args = args.to_vec();
        args.push(path.to_str().unwrap());
        let (code, stderr, peak_kib) = run_measured(&args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(peak_kib < 100 * 1024, "{args:?}: peak {peak_kib} KiB");
    }
    let output = command(&[
        "lint",
        "--no-config",
        "--format",
        "json",
        path.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        report.contains("1 GiB is over the 16 MiB limit"),
        "{report}"
    );
}

#[test]
fn a_fifo_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("Dockerfile");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    for args in [
        &["lint", "--no-config", "--color", "never"][..],
        &["dump"],
        &["fix", "--no-config"],
        &["fmt", "--no-config"],
    ] {
        let mut args = args.to_vec();
        args.push(fifo.to_str().unwrap());
        let output = command(&args).stdin(Stdio::null()).output().unwrap();
        let all = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {all}");
        assert!(
            all.contains("a FIFO (named pipe), not a regular file"),
            "{args:?}: {all}"
        );
    }
}

#[test]
fn an_empty_directory_is_exit_2_naming_the_patterns() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("README.md"), "no Dockerfile here\n").unwrap();
    for command_name in ["lint", "fix", "fmt"] {
        let output = command(&[command_name, "--no-config", dir.path().to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command_name}: {stderr}");
        assert!(
            stderr.contains("dlayer: error: no Dockerfile found in"),
            "{stderr}"
        );
        assert!(stderr.contains("Dockerfile*, *Dockerfile"), "{stderr}");
    }
}

#[test]
fn binary_and_utf16_files_are_one_message_naming_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("binary.Dockerfile");
    let mut bytes = b"FROM a\n".to_vec();
    bytes.extend((0..=255u8).cycle().take(100_000));
    fs::write(&binary, bytes).unwrap();
    let wide = dir.path().join("wide.Dockerfile");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        "FROM alpine\nRUN true\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    fs::write(&wide, utf16).unwrap();
    let output = command(&[
        "lint",
        "--no-config",
        "--format",
        "json",
        dir.path().to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["diagnostics"], 0);
    assert_eq!(report["summary"]["unreadable"], 2);
    let errors: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["error"].as_str().unwrap())
        .collect();
    assert!(
        errors[0].contains("a binary file (a NUL byte at offset"),
        "{errors:?}"
    );
    assert!(errors[1].contains("UTF-16LE text, not UTF-8"), "{errors:?}");
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    fs::write(
        &path,
        "FROM debian:bookworm\nRUN apt-get install -y \x1b[2Jcurl\x07 openssh-server\nFROM x y z\n",
    )
    .unwrap();
    let output = command(&[
        "lint",
        "--no-config",
        "--color",
        "never",
        path.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let all = [output.stdout, output.stderr].concat();
    assert!(
        !all.contains(&0x1b) && !all.contains(&0x07),
        "{}",
        String::from_utf8_lossy(&all)
    );
    let output = command(&["dump", path.to_str().unwrap()]).output().unwrap();
    assert!(!output.stderr.contains(&0x1b));
}

#[test]
fn an_unknown_target_is_a_usage_error_in_every_command() {
    let path = "testdata/lint/project/Dockerfile";
    for args in [
        &["lint", "--no-config"][..],
        &["fix", "--no-config"],
        &["fix", "--no-config", "--split"],
        &["dump"],
        &["dump", "--model"],
    ] {
        let mut args = args.to_vec();
        args.extend(["--target", "nope", path]);
        let output = command(&args).output().unwrap();
        let all = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {all}");
        assert!(all.contains("--target \"nope\""), "{args:?}: {all}");
    }
}

#[test]
fn discovery_finds_the_names_in_use_and_honours_include_and_exclude() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for name in [
        "Dockerfile-dev",
        "Dockerfile_prod",
        "app.containerfile",
        "prod.dockerfile",
        "Containerfile.ci",
        "Dockerfile.dockerignore",
        "build.df",
        "vendor/Dockerfile",
    ] {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "FROM scratch\n").unwrap();
    }
    let linted = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["lint", "--no-config", "--format", "json"];
        args.extend(extra);
        args.push(root.to_str().unwrap());
        let output = command(&args).output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|file| {
                let path = file["path"].as_str().unwrap();
                path.strip_prefix(root.to_str().unwrap()).unwrap()[1..].to_string()
            })
            .collect()
    };
    assert_eq!(
        linted(&[]),
        [
            "Containerfile.ci",
            "Dockerfile-dev",
            "Dockerfile_prod",
            "app.containerfile",
            "prod.dockerfile",
            "vendor/Dockerfile"
        ]
    );
    let narrowed = linted(&[
        "--include",
        "*.df",
        "--exclude",
        "vendor",
        "--exclude",
        "Dockerfile_*",
    ]);
    assert_eq!(
        narrowed,
        [
            "Containerfile.ci",
            "Dockerfile-dev",
            "app.containerfile",
            "build.df",
            "prod.dockerfile"
        ]
    );
    // The same from dlayer.toml, its globs relative to its directory.
    fs::write(
        root.join("dlayer.toml"),
        "include = [\"*.df\"]\nexclude = [\"/vendor\", \"Dockerfile_*\"]\n",
    )
    .unwrap();
    let output = command(&["lint", "--format", "json", root.to_str().unwrap()])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 5, "{report}");
}
