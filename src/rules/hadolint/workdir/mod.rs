//! WORKDIR: absolute paths, and WORKDIR rather than `cd`.

mod cd_steps;
pub(super) mod dl3000_absolute_workdir;
pub(super) mod dl3003_use_workdir;

use crate::model::{Stage, clean_path};
use crate::rules::LintContext;
use crate::syntax::{Arguments, Keyword};

/// Distribution images whose configuration sets no working directory: their RUNs run in `/`.
const ROOT_WORKDIR_IMAGES: &[&str] = &[
    "debian",
    "ubuntu",
    "alpine",
    "centos",
    "fedora",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "busybox",
];

/// Whether the stage starts from a distribution image that sets no working directory.
pub(crate) fn starts_in_root(stage: &Stage) -> bool {
    let repository = stage.base.repository.trim_start_matches("library/");
    stage.base.stage.is_none()
        && stage.base.registry.is_none()
        && ROOT_WORKDIR_IMAGES.contains(&repository)
}

/// The directories a file's instructions run in, when the file decides them, read in one pass
/// over each stage: the final directory of each stage walked is kept for the stages built
/// FROM it (reading a stage's WORKDIRs again for each instruction made a file of thousands of
/// relative WORKDIRs take minutes).
#[derive(Default)]
pub(crate) struct Workdirs {
    /// The directory after each stage walked so far, by stage index.
    finals: Vec<Option<String>>,
}

impl Workdirs {
    /// Calls `visit` with the index of each instruction of `stage` and the directory it runs
    /// in, when the file decides it: the WORKDIRs of the stage and of the in-file stages it is
    /// built FROM, from `/` for a distribution image that sets none; `None` when the base
    /// image decides it (a relative WORKDIR is relative to what the image set) or a WORKDIR
    /// uses a variable. Stages are best walked in order; earlier ones not walked yet are
    /// walked first for their final directory.
    pub(crate) fn walk(
        &mut self,
        context: &LintContext<'_>,
        stage: &Stage,
        mut visit: impl FnMut(usize, Option<&str>),
    ) {
        self.walk_stage(context, stage, &mut visit);
    }

    /// [`Workdirs::walk`], with the visitor behind a reference: the walk of earlier stages
    /// calls it again with a visitor of its own.
    fn walk_stage(
        &mut self,
        context: &LintContext<'_>,
        stage: &Stage,
        visit: &mut dyn FnMut(usize, Option<&str>),
    ) {
        while self.finals.len() < stage.index {
            let Some(earlier) = context.model.stages.get(self.finals.len()) else {
                break;
            };
            self.walk_stage(context, earlier, &mut |_, _| {});
        }
        let mut current = match stage.base.stage {
            Some(parent) if parent < stage.index => self.finals.get(parent).cloned().flatten(),
            Some(_) => None,
            None => starts_in_root(stage).then(|| "/".to_string()),
        };
        for (index, instruction) in stage.instructions.iter().enumerate() {
            visit(index, current.as_deref());
            let syntax = context.syntax(instruction);
            let (Keyword::Workdir, Arguments::Text(token)) = (&syntax.kind, &syntax.arguments)
            else {
                continue;
            };
            let path = token.text.trim();
            current = if path.contains(['$', '"', '\'', '\\']) {
                None
            } else if path.starts_with('/') {
                Some(clean_path(path))
            } else {
                current.map(|current| clean_path(&format!("{current}/{path}")))
            };
        }
        if self.finals.len() == stage.index {
            self.finals.push(current);
        }
    }
}
