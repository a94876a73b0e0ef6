//! The report of `cargo xtask diff`: markdown for a pull request.

use std::fmt::Write as _;

use super::{Change, ChangeKind};

/// Renders the changes of one API as markdown for a pull request: a heading, then a
/// "Breaking" and a "Compatible" list (or "No changes.").
pub fn render_markdown(name: &str, changes: &[Change]) -> String {
    let mut out = format!("## {name}\n\n");
    if changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    for (kind, title) in [
        (ChangeKind::Breaking, "Breaking"),
        (ChangeKind::Compatible, "Compatible"),
    ] {
        let _ = writeln!(out, "### {title}\n");
        let mut any = false;
        for c in changes.iter().filter(|c| c.kind == kind) {
            any = true;
            let _ = writeln!(out, "- `{}`: {}", c.location.replace('`', "'"), c.message);
        }
        if !any {
            out.push_str("- none\n");
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
