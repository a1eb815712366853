//! Limits on what is read: sizes, binary content, special files.

/// The size above which a file is reported instead of read (`--max-file-size`,
/// `max-file-size` in dlayer.toml).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 << 20;

/// `16777216`, `512KiB`, `16MiB`, `1GiB` (also `K`, `M`, `G`, `KB`, `MB`, `GB` as binary units).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let digits = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("expected a size such as 16MiB or 1048576, got {text:?}"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("unknown size unit {unit:?} (use KiB, MiB or GiB)")),
    };
    number
        .checked_mul(1 << shift)
        .filter(|&bytes| bytes > 0)
        .ok_or_else(|| format!("size {text:?} out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes() {
        assert_eq!(parse_size("16MiB"), Ok(16 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("0").is_err());
        assert!(parse_size("12 parsecs").is_err());
    }
}

/// Why `--target` cannot be used with this file: it names no stage of it. `None` without
/// `--target`, when the stage exists, or when the file does not parse (that is reported).
pub fn unknown_target(bytes: &[u8], target: Option<&str>) -> Option<String> {
    let target = target?;
    let dockerfile = dlayer::syntax::parse_bytes(bytes);
    if !dockerfile.syntax_errors().is_empty() {
        return None;
    }
    let options = dlayer::model::Options {
        target: Some(target.to_string()),
        ..dlayer::model::Options::default()
    };
    let model = dlayer::model::build(&dockerfile, &options);
    model.target_error.as_ref()?;
    let names: Vec<&str> = model
        .stages
        .iter()
        .filter_map(|stage| stage.name.as_deref())
        .collect();
    Some(if names.is_empty() {
        format!("--target {target:?}: the file has no named stage")
    } else {
        format!(
            "--target {target:?}: no stage is called that (stages: {})",
            names.join(", ")
        )
    })
}

/// Reads a file named on the command line or found in a directory, within the limits: a
/// regular file (a FIFO would block, a device never end), at most `max_size` bytes, text
/// (not binary, not UTF-16/32). The error is the reason alone; the caller names the file.
pub fn read_file(path: &std::path::Path, max_size: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    // Opened first and asked with fstat (one path lookup, not two); non-blocking, so that
    // opening a FIFO without a writer returns at once and is refused below. The flag does
    // nothing to a regular file's reads.
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path);
    let file = match opened {
        Ok(file) => file,
        Err(open_error) => {
            // The errors a path lookup first gave, in their order: what the path is, then
            // why it cannot be opened.
            let metadata =
                std::fs::metadata(path).map_err(|error| super::messages::io_error(&error))?;
            check_metadata(&metadata, max_size)?;
            return Err(super::messages::io_error(&open_error));
        }
    };
    let metadata = file
        .metadata()
        .map_err(|error| super::messages::io_error(&error))?;
    check_metadata(&metadata, max_size)?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // The file may grow while it is read: never past the limit.
    file.take(max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| super::messages::io_error(&error))?;
    if bytes.len() as u64 > max_size {
        return Err(too_large(bytes.len() as u64, max_size));
    }
    check_text(&bytes)?;
    Ok(bytes)
}

/// A regular file (a FIFO would block, a device never end) of at most `max_size` bytes.
fn check_metadata(metadata: &std::fs::Metadata, max_size: u64) -> Result<(), String> {
    if !metadata.is_file() {
        return Err(format!("{}, not a regular file", kind_of(metadata)));
    }
    if metadata.len() > max_size {
        return Err(too_large(metadata.len(), max_size));
    }
    Ok(())
}

/// Reads standard input within the same limits as a file.
pub fn read_stdin(max_size: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| {
            format!(
                "cannot read standard input: {}",
                super::messages::io_error(&error)
            )
        })?;
    if bytes.len() as u64 > max_size {
        return Err(format!(
            "standard input: {}",
            too_large(bytes.len() as u64, max_size)
        ));
    }
    Ok(bytes)
}

fn too_large(size: u64, limit: u64) -> String {
    format!(
        "{} is over the {} limit (--max-file-size, or max-file-size in dlayer.toml)",
        human_size(size),
        human_size(limit)
    )
}

/// `1.0 GiB`, `16 MiB`, `300 bytes`.
fn human_size(bytes: u64) -> String {
    const UNITS: [(&str, u32); 3] = [("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (unit, shift) in UNITS {
        if bytes >= 1 << shift {
            let value = bytes as f64 / (1u64 << shift) as f64;
            return if value.fract() == 0.0 {
                format!("{value} {unit}")
            } else {
                format!("{value:.1} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

fn kind_of(metadata: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

/// Refuses what is no Dockerfile text: UTF-16/32 (by byte order mark or by the pattern of
/// zero bytes), and binary content (a NUL byte).
pub fn check_text(bytes: &[u8]) -> Result<(), String> {
    if let Some(encoding) = wide_encoding(bytes) {
        return Err(format!(
            "the file is {encoding} text, not UTF-8 (BuildKit reads UTF-8): convert it, \
             e.g. `iconv -f {encoding} -t UTF-8`"
        ));
    }
    if let Some(at) = memchr::memchr(0, bytes) {
        return Err(format!(
            "a binary file (a NUL byte at offset {at}), not a Dockerfile"
        ));
    }
    Ok(())
}

/// The UTF-16/32 encoding of `bytes`, by its byte order mark or, without one, by zero bytes at
/// every other (UTF-16) position of the first characters.
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] => return Some("UTF-32LE"),
        [0, 0, 0xFE, 0xFF, ..] => return Some("UTF-32BE"),
        [0xFF, 0xFE, ..] => return Some("UTF-16LE"),
        [0xFE, 0xFF, ..] => return Some("UTF-16BE"),
        _ => {}
    }
    let head = &bytes[..bytes.len().min(256) & !3];
    if head.len() < 4 {
        return None;
    }
    let zero_at = |parity: usize, step: usize| {
        head.iter()
            .enumerate()
            .filter(|(i, _)| i % step == parity)
            .all(|(_, &b)| b == 0)
    };
    let nonzero_at = |parity: usize, step: usize| {
        head.iter()
            .enumerate()
            .filter(|(i, _)| i % step == parity)
            .all(|(_, &b)| b != 0)
    };
    if nonzero_at(0, 4) && zero_at(1, 4) && zero_at(2, 4) && zero_at(3, 4) {
        Some("UTF-32LE")
    } else if zero_at(0, 4) && zero_at(1, 4) && zero_at(2, 4) && nonzero_at(3, 4) {
        Some("UTF-32BE")
    } else if nonzero_at(0, 2) && zero_at(1, 2) {
        Some("UTF-16LE")
    } else if zero_at(0, 2) && nonzero_at(1, 2) {
        Some("UTF-16BE")
    } else {
        None
    }
}

#[cfg(test)]
mod text_tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn names_wide_encodings() {
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(utf16le("FROM a\n"));
        assert!(check_text(&with_bom).unwrap_err().contains("UTF-16LE"));
        assert!(
            check_text(&utf16le("FROM alpine\n"))
                .unwrap_err()
                .contains("UTF-16LE")
        );
        let be: Vec<u8> = "FROM a\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert!(check_text(&be).unwrap_err().contains("UTF-16BE"));
        assert!(check_text(b"FROM a\x00b").unwrap_err().contains("offset 6"));
        assert!(check_text("FROM é\n".as_bytes()).is_ok());
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(1 << 30), "1 GiB");
        assert_eq!(human_size(16 << 20), "16 MiB");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(12), "12 bytes");
    }
}
