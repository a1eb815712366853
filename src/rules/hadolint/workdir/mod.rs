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

/// The directory instruction `index` of `stage` runs in, when the file decides it: the
/// WORKDIRs of the stage and of the in-file stages it is built FROM, from `/` for a
/// distribution image that sets none; `None` when the base image decides it (a relative
/// WORKDIR is relative to what the image set) or a WORKDIR uses a variable.
pub(crate) fn known_workdir(
    context: &LintContext<'_>,
    stage: &Stage,
    index: usize,
) -> Option<String> {
    let mut current = match stage.base.stage {
        Some(parent) if parent < stage.index => {
            let parent = context.model.stages.get(parent)?;
            known_workdir(context, parent, parent.instructions.len())
        }
        Some(_) => None,
        None => starts_in_root(stage).then(|| "/".to_string()),
    };
    for instruction in stage.instructions.iter().take(index) {
        let syntax = context.syntax(instruction);
        let (Keyword::Workdir, Arguments::Text(token)) = (&syntax.kind, &syntax.arguments) else {
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
    current
}
