//! Reading the files named on the command line (`-` is standard input), within the limits.

use super::limits;

pub struct Input {
    /// The name shown to the user: the path as given, or `<stdin>`.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Reads one input; the error message names the file.
pub fn read(path: &str) -> Result<Input, String> {
    if path == "-" {
        let bytes = limits::read_stdin(limits::DEFAULT_MAX_FILE_SIZE)?;
        limits::check_text(&bytes).map_err(|reason| format!("<stdin>: {reason}"))?;
        return Ok(Input {
            name: "<stdin>".into(),
            bytes,
        });
    }
    let bytes = limits::read_file(std::path::Path::new(path), limits::DEFAULT_MAX_FILE_SIZE)
        .map_err(|reason| format!("{path}: {reason}"))?;
    Ok(Input {
        name: path.to_string(),
        bytes,
    })
}
