//! The command line under faults: closed pipes, full disks, files changed behind its back,
//! symlinks, hard links, owners, special files, huge files, empty directories.

mod common;

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
    command(&[
        "fix",
        "--no-config",
        "--unsafe-fixes",
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
    for i in 0..3000 {
        text.push_str(&format!("RUN apt-get update && apt-get install p{i}\n"));
    }
    fs::write(&path, &text).unwrap();
    let child = command(&["fix", "--no-config", path.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let edited = "FROM debian:bookworm\n# saved by an editor meanwhile\n";
    fs::write(&path, edited).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("changed since dlayer read it"), "{stderr}");
    assert_eq!(fs::read_to_string(&path).unwrap(), edited);
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
