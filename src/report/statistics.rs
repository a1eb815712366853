//! `--statistics`: how many findings each rule produced, most frequent first. The terminal
//! report prints it after the findings; with a machine format the command line writes it to
//! standard error so that the report stays parseable.

use std::io::{self, Write};

use super::Totals;

/// A table of counts per rule (`count  CODE  name`), then a blank line; nothing without findings.
pub fn write(totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
    let mut rows = totals.per_rule.clone();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let count_width = rows.iter().map(|row| row.0.to_string().len()).max();
    let code_width = rows.iter().map(|row| row.1.len()).max();
    if let (Some(count_width), Some(code_width)) = (count_width, code_width) {
        for (count, code, name) in rows {
            writeln!(out, "{count:>count_width$}  {code:<code_width$}  {name}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}
