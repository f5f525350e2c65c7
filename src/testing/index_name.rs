//! The index names a node accepts (`MetadataCreateIndexService.validateIndexOrAliasName` and
//! `validateIndexName`, server/src/main/java/org/opensearch/cluster/metadata/
//! MetadataCreateIndexService.java; the characters are `Strings.INVALID_FILENAME_CHARS`): an
//! event sent to any other name is refused with `invalid_index_name_exception`.

/// `Strings.INVALID_FILENAME_CHARS`.
const INVALID_CHARS: [char; 10] = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ','];

/// Why the node refuses `name`, in its words.
pub(crate) fn check(name: &str) -> Result<(), String> {
    let invalid = |why: &str| {
        Err(format!(
            "invalid_index_name_exception: Invalid index name [{name}], {why}"
        ))
    };
    if let Some(c) = name.chars().find(|c| INVALID_CHARS.contains(c)) {
        return invalid(&format!(
            "must not contain the following characters [{}] (it contains `{c}`)",
            INVALID_CHARS
                .iter()
                .map(|c| format!("'{c}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if name.contains('#') {
        return invalid("must not contain '#'");
    }
    if name.contains(':') {
        return invalid("must not contain ':'");
    }
    if name.starts_with(['_', '-', '+']) {
        return invalid("must not start with '_', '-', or '+'");
    }
    if name != name.to_lowercase() {
        return invalid("must be lowercase");
    }
    if name == "." || name == ".." {
        return invalid("must not be '.' or '..'");
    }
    if name.len() > 255 {
        return invalid(&format!("index name is too long, ({} > 255)", name.len()));
    }
    if name.is_empty() {
        return invalid("must not be empty");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_a_node_refuses() {
        assert!(check("log-aws-cloudtrail-2026.11").is_ok());
        assert!(check("log-Web").unwrap_err().ends_with("must be lowercase"));
        assert!(check("_log").unwrap_err().contains("must not start with"));
        assert!(check("log web").unwrap_err().contains("it contains ` `"));
        assert!(check("log#1").unwrap_err().contains("'#'"));
        assert!(check("a:b").unwrap_err().contains("':'"));
        assert!(check("..").unwrap_err().contains("'.' or '..'"));
        assert!(check(&"a".repeat(256)).unwrap_err().contains("too long"));
    }
}
