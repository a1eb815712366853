//! Reading the files named on the command line (`-` is standard input).

use std::io::Read;

pub struct Input {
    /// The name shown to the user: the path as given, or `<stdin>`.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Reads one input; the error message names the file.
pub fn read(path: &str) -> Result<Input, String> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|error| format!("cannot read standard input: {error}"))?;
        return Ok(Input {
            name: "<stdin>".into(),
            bytes,
        });
    }
    let bytes = std::fs::read(path).map_err(|error| format!("cannot read {path}: {error}"))?;
    Ok(Input {
        name: path.to_string(),
        bytes,
    })
}
