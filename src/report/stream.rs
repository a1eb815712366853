//! Reports written as files finish: a header, one part per file, a footer with the totals.
//! Memory stays flat in the number of files: only the totals are kept.
//!
//! A format streams by implementing [`FileStream`] (most need only `file`); one that needs
//! every file before writing anything is wrapped in [`Buffered`], which keeps the files and
//! calls the format's whole-report renderer at the end.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::{self, Write};

use foldhash::fast::FixedState;

use super::{Counts, FileReport, Format, Options};

/// What the footers of the formats need from the files already written.
#[derive(Clone, Debug, Default)]
pub struct Totals {
    pub files: usize,
    /// Files that could not be linted (they carry an error).
    pub unreadable: usize,
    pub(crate) counts: Counts,
    /// Findings per rule: count, code, name, in order of first appearance.
    pub per_rule: Vec<(usize, &'static str, &'static str)>,
    /// The row of `per_rule` of each code (every finding looks its rule up; foldhash's
    /// fixed-seed hasher, as the codes are the rules' own).
    rows: HashMap<&'static str, usize, FixedState>,
    /// The code of the last finding counted (by address: the same address is the same code)
    /// and its row: most findings follow one of the same rule, found without a lookup.
    last_row: Option<(&'static str, usize)>,
}

impl Totals {
    pub fn add(&mut self, file: &FileReport) {
        self.files += 1;
        if file.error.is_some() {
            self.unreadable += 1;
        }
        for diagnostic in &file.diagnostics {
            self.counts.add(diagnostic.severity);
            let row = match self.last_row {
                Some((code, row)) if std::ptr::eq(code, diagnostic.code) => row,
                _ => self.row(diagnostic.code, diagnostic.name),
            };
            self.per_rule[row].0 += 1;
            self.last_row = Some((diagnostic.code, row));
        }
    }

    /// The row of `per_rule` counting `code`, added (with a count of 0) if it has none.
    fn row(&mut self, code: &'static str, name: &'static str) -> usize {
        match self.rows.entry(code) {
            Entry::Occupied(row) => *row.get(),
            Entry::Vacant(row) => {
                row.insert(self.per_rule.len());
                self.per_rule.push((0, code, name));
                self.per_rule.len() - 1
            }
        }
    }

    pub fn of(files: &[FileReport]) -> Totals {
        let mut totals = Totals::default();
        files.iter().for_each(|file| totals.add(file));
        totals
    }

    /// How many findings in all.
    pub fn findings(&self) -> usize {
        self.counts.total()
    }
}

/// How many bytes of report a stream collects before it writes them, and how large the
/// output's buffer is: a write this large passes through that buffer without being copied
/// into it.
pub const WRITE_SIZE: usize = 1 << 16;

/// One format written file by file.
pub trait FileStream {
    /// Before the first file.
    fn header(&mut self, _options: &Options, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    /// One file; `index` counts from 0.
    fn file(
        &mut self,
        index: usize,
        file: &FileReport,
        options: &Options,
        out: &mut dyn Write,
    ) -> io::Result<()>;
    /// After the last file.
    fn footer(
        &mut self,
        _totals: &Totals,
        _options: &Options,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        out.flush()
    }
}

/// A report being written: the format's stream and the totals so far.
pub struct Streamer {
    stream: Box<dyn FileStream>,
    options: Options,
    totals: Totals,
}

impl Streamer {
    /// Writes the header of `format`.
    pub fn begin(format: Format, options: &Options, out: &mut dyn Write) -> io::Result<Streamer> {
        let mut stream = format.stream();
        stream.header(options, out)?;
        Ok(Streamer {
            stream,
            options: options.clone(),
            totals: Totals::default(),
        })
    }

    /// Writes one file (files come in the order they are to be shown).
    pub fn file(&mut self, file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        let index = self.totals.files;
        self.totals.add(file);
        self.stream.file(index, file, &self.options, out)
    }

    /// Writes the footer; the totals are returned for the caller's summary and status.
    pub fn finish(mut self, out: &mut dyn Write) -> io::Result<Totals> {
        self.stream.footer(&self.totals, &self.options, out)?;
        Ok(self.totals)
    }
}

/// A format that needs all files at once: they are kept, and rendered at the end.
pub struct Buffered {
    render: fn(&[FileReport], &Options, &mut dyn Write) -> io::Result<()>,
    files: Vec<FileReport>,
}

impl Buffered {
    pub fn new(render: fn(&[FileReport], &Options, &mut dyn Write) -> io::Result<()>) -> Self {
        Buffered {
            render,
            files: Vec::new(),
        }
    }
}

impl FileStream for Buffered {
    fn file(
        &mut self,
        _: usize,
        file: &FileReport,
        _: &Options,
        _: &mut dyn Write,
    ) -> io::Result<()> {
        self.files.push(file.clone());
        Ok(())
    }

    fn footer(&mut self, _: &Totals, options: &Options, out: &mut dyn Write) -> io::Result<()> {
        (self.render)(&self.files, options, out)?;
        out.flush()
    }
}
