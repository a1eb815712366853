//! HC007 kernel-in-container: a kernel, boot loader, firmware or initramfs tooling is
//! installed.
//!
//! Flags every package tagged `kernel` that a RUN of a shipped stage installs and leaves
//! installed (kernel images and modules, firmware, microcode, GRUB and other boot loaders,
//! initramfs tools, dkms; not kmod's module utilities), and the commands that build boot artefacts (`update-initramfs`,
//! `dracut`, `grub-mkconfig`, `dkms build`...). A container shares the host's kernel: none of
//! this is ever used.

use crate::model::Layer;
use crate::model::catalog::tag;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

use super::shared;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HC007",
        name: "kernel-in-container",
        severity: Severity::Error,
        family: Family::Heavy,
        layer: Some(Layer::Dev),
        fixable: false,
        default_enabled: true,
        summary: "a kernel, boot loader, firmware or initramfs tooling is installed",
        doc: include_str!("../../../rules/HC007.md"),
    },
    check,
};

/// Whether `program` builds or installs boot artefacts. A `match` (one length test for most
/// names) rather than a list searched entry by entry: every command of the shipped stages is
/// asked.
fn is_boot_command(program: &str) -> bool {
    matches!(
        program,
        "update-initramfs"
            | "mkinitramfs"
            | "mkinitfs"
            | "mkinitcpio"
            | "dracut"
            | "grub-install"
            | "grub-mkconfig"
            | "grub2-install"
            | "grub2-mkconfig"
            | "update-grub"
            | "kernel-install"
            | "dkms"
            | "efibootmgr"
            | "installkernel"
    )
}

/// Tagged `kernel` in the catalog but neither a kernel, firmware, boot loader nor initramfs
/// tool: module utilities (`modprobe`, `lsmod`) that privileged host-administration containers
/// (driver and VPN module installers) use on the host's kernel.
const NOT_BOOT: [&str; 1] = ["kmod"];

const BELONGS: &str =
    "a container runs on the host's kernel and never uses it: remove it (dev layer at most)";

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in context.shipped_stages() {
        for instruction in &stage.instructions {
            if instruction.keyword != "RUN" {
                continue;
            }
            for package in instruction.kept_packages() {
                if package.tags.iter().any(|t| t == tag::KERNEL)
                    && !NOT_BOOT.contains(&package.name.as_str())
                {
                    out.push(context.report(
                        &RULE.meta,
                        package.span,
                        format!(
                            "`{}` installs a kernel, firmware or boot component; {BELONGS}",
                            package.name
                        ),
                    ));
                }
            }
            for command in shared::commands(context, instruction) {
                if command.program().is_some_and(is_boot_command) {
                    out.push(context.report(
                        &RULE.meta,
                        command.name.span,
                        format!(
                            "`{}` builds boot artefacts; {BELONGS}",
                            shared::shown(command, 0)
                        ),
                    ));
                }
            }
        }
    }
}
