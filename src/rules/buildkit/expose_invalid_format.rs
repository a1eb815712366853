//! BK021 ExposeInvalidFormat: EXPOSE with an IP address or a host port
//! (`127.0.0.1:80:80`, `5000:5000`).
//!
//! EXPOSE only documents the container's port; publishing to a host port is `docker run -p`'s
//! job, and BuildKit warns that this form will become an error. The fix (safe) keeps the
//! container port (and protocol): BuildKit already records only that in the image, so the
//! image does not change.

use crate::rules::{
    Applicability, Diagnostic, Edit, Family, Fix, LintContext, Rule, RuleMeta, Severity,
};

use super::expose_proto_casing::for_each_port;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "BK021",
        name: "ExposeInvalidFormat",
        severity: Severity::Warning,
        family: Family::Buildkit,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "IP address and host-port mapping should not be used in EXPOSE instruction",
        doc: include_str!("../../../rules/BK021.md"),
    },
    check,
};

/// `[ip:]host:container[/proto]` → (ip, host port, container port), as BuildKit splits it.
fn split_parts(port: &str) -> (String, String, String) {
    let parts: Vec<&str> = port.split(':').collect();
    match parts.as_slice() {
        [container] => (String::new(), String::new(), container.to_string()),
        [host, container] => (String::new(), host.to_string(), container.to_string()),
        _ => {
            let n = parts.len();
            (
                parts[..n - 2].join(":"),
                parts[n - 2].to_string(),
                parts[n - 1].to_string(),
            )
        }
    }
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for_each_port(context, |port, span, literal| {
        let (ip, host, container) = split_parts(port);
        if ip.is_empty() && host.is_empty() {
            return;
        }
        let mut diagnostic = context.report(
            &RULE.meta,
            span,
            format!(
                "EXPOSE instruction should not define an IP address or host-port mapping, \
                 found '{port}'"
            ),
        );
        // A host range may stand for one container port; only equal widths keep the image.
        if literal && !container.is_empty() && !host.contains('-') && !container.contains('-') {
            diagnostic.fix = Some(Fix {
                message: format!("Expose `{container}`"),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span,
                    replacement: container,
                }],
            });
        }
        out.push(diagnostic);
    });
}
