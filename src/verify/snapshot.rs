//! One image's file system as `docker export` streams it: every path with its type, mode,
//! owner and content checksum, plus the files the comparison reads whole (package databases,
//! dpkg's file lists and maintainer scripts, users and groups, dpkg's path filters,
//! supervisord's configuration).

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use sha2::{Digest, Sha256};

/// What a path is, as a tar header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    File,
    Directory,
    Symlink,
    Hardlink,
    Other,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::File => "file",
            Kind::Directory => "directory",
            Kind::Symlink => "symlink",
            Kind::Hardlink => "hardlink",
            Kind::Other => "special file",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    /// Permission bits (07777).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// SHA-256 of a regular file's content, or a link's target.
    pub content: String,
}

/// The part of an image the comparison needs.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Path without a leading `/` → entry.
    pub entries: BTreeMap<String, Entry>,
    /// Text of the files kept whole, by path.
    pub texts: HashMap<String, String>,
}

impl Snapshot {
    pub fn text(&self, path: &str) -> Option<&str> {
        self.texts.get(path).map(String::as_str)
    }

    /// The texts of the files under `directory` (no trailing `/`), by file name.
    pub fn texts_under<'a>(
        &'a self,
        directory: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.texts.iter().filter_map(move |(path, text)| {
            let name = path.strip_prefix(directory)?.strip_prefix('/')?;
            (!name.contains('/')).then_some((name, text.as_str()))
        })
    }
}

/// Files read whole: small, and what the package, user and file comparisons are made of.
fn is_kept_whole(path: &str) -> bool {
    const EXACT: [&str; 5] = [
        "var/lib/dpkg/status",
        "lib/apk/db/installed",
        "etc/passwd",
        "etc/group",
        "var/lib/apt/extended_states",
    ];
    let tmpfiles = ["usr/lib/tmpfiles.d/", "lib/tmpfiles.d/"]
        .iter()
        .any(|directory| path.starts_with(directory) && path.ends_with(".conf"));
    // What a Python distribution installed (pip's record of it).
    let python_record = path.ends_with(".dist-info/RECORD");
    if EXACT.contains(&path)
        || path.starts_with("etc/dpkg/dpkg.cfg.d/")
        || tmpfiles
        || python_record
    {
        return true;
    }
    if super::files::is_supervisor_config(path) {
        return true;
    }
    path.strip_prefix("var/lib/dpkg/info/").is_some_and(|name| {
        [".list", ".preinst", ".postinst", ".config"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
    })
}

/// `./etc/` → `etc`.
pub fn normalize(path: &str) -> String {
    path.trim_start_matches("./")
        .trim_start_matches('/')
        .trim_end_matches('/')
        .to_string()
}

/// Reads an export stream. `with_entries` false keeps only the whole-read files (the dev
/// target needs its package database, nothing else).
pub fn read(stream: impl Read, with_entries: bool) -> std::io::Result<Snapshot> {
    let mut archive = tar::Archive::new(stream);
    let mut snapshot = Snapshot::default();
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = normalize(&String::from_utf8_lossy(&entry.path_bytes()));
        if path.is_empty() {
            continue;
        }
        let header = entry.header();
        let kind = kind_of(header.entry_type());
        let mode = header.mode().unwrap_or(0) & 0o7777;
        let uid = header.uid().unwrap_or(0);
        let gid = header.gid().unwrap_or(0);
        let link = entry
            .link_name_bytes()
            .map(|name| String::from_utf8_lossy(&name).into_owned())
            .unwrap_or_default();
        let content = if kind == Kind::File {
            let keep = is_kept_whole(&path);
            if !with_entries && !keep {
                continue;
            }
            let mut hasher = Sha256::new();
            let mut bytes = Vec::new();
            let mut buffer = [0u8; 64 * 1024];
            loop {
                let read = entry.read(&mut buffer)?;
                if read == 0 {
                    break;
                }
                hasher.update(&buffer[..read]);
                if keep {
                    bytes.extend_from_slice(&buffer[..read]);
                }
            }
            if keep {
                snapshot
                    .texts
                    .insert(path.clone(), String::from_utf8_lossy(&bytes).into_owned());
            }
            hex(&hasher.finalize())
        } else {
            link
        };
        // A hard link is the file it links to: which of two names tar lists first is chance.
        let (kind, content) = match snapshot.entries.get(&normalize(&content)) {
            Some(target) if kind == Kind::Hardlink => (target.kind, target.content.clone()),
            _ => (kind, content),
        };
        if with_entries {
            snapshot.entries.insert(
                path,
                Entry {
                    kind,
                    mode,
                    uid,
                    gid,
                    content,
                },
            );
        }
    }
    Ok(snapshot)
}

fn kind_of(entry_type: tar::EntryType) -> Kind {
    match entry_type {
        tar::EntryType::Regular | tar::EntryType::Continuous => Kind::File,
        tar::EntryType::Directory => Kind::Directory,
        tar::EntryType::Symlink => Kind::Symlink,
        tar::EntryType::Link => Kind::Hardlink,
        _ => Kind::Other,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        let mut add = |path: &str, kind: tar::EntryType, mode: u32, link: &str, data: &[u8]| {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(kind);
            header.set_mode(mode);
            header.set_uid(0);
            header.set_gid(0);
            header.set_size(data.len() as u64);
            if !link.is_empty() {
                header.set_link_name(link).unwrap();
            }
            builder.append_data(&mut header, path, data).unwrap();
        };
        add("etc/", tar::EntryType::Directory, 0o755, "", b"");
        add(
            "etc/passwd",
            tar::EntryType::Regular,
            0o644,
            "",
            b"root:x:0:0::/root:/bin/sh\n",
        );
        add(
            "usr/bin/perl",
            tar::EntryType::Regular,
            0o755,
            "",
            b"binary",
        );
        add(
            "usr/bin/perl5",
            tar::EntryType::Link,
            0o755,
            "usr/bin/perl",
            b"",
        );
        add("bin", tar::EntryType::Symlink, 0o777, "usr/bin", b"");
        builder.into_inner().unwrap()
    }

    #[test]
    fn reads_types_modes_checksums_and_the_files_kept_whole() {
        let snapshot = read(archive().as_slice(), true).unwrap();
        assert_eq!(snapshot.entries["etc"].kind, Kind::Directory);
        assert_eq!(snapshot.entries["usr/bin/perl"].mode, 0o755);
        assert_eq!(snapshot.entries["bin"].content, "usr/bin");
        // A hard link is the file it names.
        assert_eq!(
            snapshot.entries["usr/bin/perl5"],
            snapshot.entries["usr/bin/perl"]
        );
        assert_eq!(
            snapshot.text("etc/passwd"),
            Some("root:x:0:0::/root:/bin/sh\n")
        );
        assert!(snapshot.text("usr/bin/perl").is_none());
    }

    #[test]
    fn without_entries_only_the_databases_are_kept() {
        let snapshot = read(archive().as_slice(), false).unwrap();
        assert!(snapshot.entries.is_empty());
        assert!(snapshot.text("etc/passwd").is_some());
    }
}
