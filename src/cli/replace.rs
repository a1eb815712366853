//! Replacing a file in place (`fix`, `fmt`, `fix --split`) without losing anything: the
//! content written is never the only copy of the user's work.
//!
//! - A symlink is written through: its target changes, the link stays a link.
//! - A file with hard links is rewritten in place (a rename would split the links), after the
//!   new content was first written in full beside it (so a full disk fails before the file is
//!   touched).
//! - Owner, group and mode are kept; where the owner cannot be kept (another user's file that
//!   this user may write), the file is rewritten in place as well.
//! - A file whose content changed since it was read (an editor saved it meanwhile) is not
//!   replaced: the caller reports it and exits 2.

use std::fs;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::messages::io_error;

/// Replaces the file at `path`, read as `expected`, by `contents`. The error says what
/// happened and names `shown`.
pub fn replace_file(
    path: &Path,
    shown: &str,
    expected: &[u8],
    contents: &[u8],
) -> Result<(), String> {
    let cannot = |error: std::io::Error| format!("cannot write {shown}: {}", io_error(&error));
    let target = resolve_symlinks(path).map_err(cannot)?;
    let metadata = fs::metadata(&target).map_err(cannot)?;
    let unchanged = || -> Result<(), String> {
        match fs::read(&target) {
            Ok(current) if current == expected => Ok(()),
            Ok(_) => Err(format!(
                "{shown} changed since dlayer read it: not written (run dlayer again)"
            )),
            Err(error) => Err(cannot(error)),
        }
    };
    unchanged()?;
    let directory = target
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temporary = tempfile::NamedTempFile::new_in(directory).map_err(cannot)?;
    temporary.write_all(contents).map_err(cannot)?;
    temporary.as_file().sync_all().map_err(cannot)?;
    temporary
        .as_file()
        .set_permissions(metadata.permissions())
        .map_err(cannot)?;
    let owner_kept = std::os::unix::fs::fchown(
        temporary.as_file(),
        Some(metadata.uid()),
        Some(metadata.gid()),
    )
    .is_ok();
    unchanged()?;
    if metadata.nlink() > 1 || !owner_kept {
        return rewrite_in_place(&target, contents, temporary, shown);
    }
    temporary
        .persist(&target)
        .map_err(|error| cannot(error.error))?;
    Ok(())
}

/// The path a symlink (or a chain of them) finally names; `path` itself when it is no link.
fn resolve_symlinks(path: &Path) -> std::io::Result<PathBuf> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        fs::canonicalize(path)
    } else {
        Ok(path.to_path_buf())
    }
}

/// Overwrites the file's own inode (keeping its links and owner). `copy` holds the complete
/// new content already; should the overwrite fail half-way, it is kept and named.
fn rewrite_in_place(
    target: &Path,
    contents: &[u8],
    copy: tempfile::NamedTempFile,
    shown: &str,
) -> Result<(), String> {
    let written = fs::OpenOptions::new()
        .write(true)
        .open(target)
        .and_then(|mut file| {
            file.write_all(contents)?;
            file.set_len(contents.len() as u64)?;
            file.sync_all()
        });
    match written {
        Ok(()) => Ok(()),
        Err(error) => {
            let kept = target.with_extension("dlayer-new");
            let saved = copy.persist(&kept).is_ok();
            let mut message = format!("cannot write {shown}: {}", io_error(&error));
            if saved {
                message.push_str(&format!("; the new content is in {}", kept.display()));
            }
            Err(message)
        }
    }
}
