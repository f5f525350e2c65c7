//! GitHub Actions workflow commands (`--output github`): `::error file=F,line=L,title=T::M`, so
//! that a problem shows on the changed line of a pull request.
//!
//! Escaping as the Actions toolkit does it (actions/toolkit `packages/core/src/command.ts`:
//! `escapeData` for the message, `escapeProperty` for the properties).

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error` command; `file` relative to the repository root (the content directory when
/// siemctl runs there), `line` 1-based.
pub(crate) fn error(file: &str, line: Option<usize>, title: &str, message: &str) -> String {
    let mut properties = format!("file={}", escape_property(file));
    if let Some(line) = line {
        properties.push_str(&format!(",line={line}"));
    }
    properties.push_str(&format!(",title={}", escape_property(title)));
    format!("::error {properties}::{}\n", escape_data(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_and_message_are_escaped() {
        assert_eq!(
            error("a,b.json", Some(3), "siemctl: validate", "50% done\nnext"),
            "::error file=a%2Cb.json,line=3,title=siemctl%3A validate::50%25 done%0Anext\n"
        );
        assert_eq!(error("f", None, "t", "m"), "::error file=f,title=t::m\n");
    }
}
