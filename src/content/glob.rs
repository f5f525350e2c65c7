//! Index name patterns with `*` wildcards, as index templates and index patterns use them.

/// Whether some index name matches both patterns. Used to find which index templates an index
/// pattern covers, and which index templates would compete for the same indices.
pub(crate) fn overlaps(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut memo = vec![vec![None; b.len() + 1]; a.len() + 1];
    overlap_from(&a, &b, 0, 0, &mut memo)
}

fn overlap_from(
    a: &[char],
    b: &[char],
    i: usize,
    j: usize,
    memo: &mut Vec<Vec<Option<bool>>>,
) -> bool {
    if let Some(known) = memo[i][j] {
        return known;
    }
    let result = if i == a.len() && j == b.len() {
        true
    } else if i < a.len() && a[i] == '*' {
        // The star matches nothing, or swallows the next character of the other side.
        overlap_from(a, b, i + 1, j, memo) || (j < b.len() && overlap_from(a, b, i, j + 1, memo))
    } else if j < b.len() && b[j] == '*' {
        overlap_from(a, b, i, j + 1, memo) || (i < a.len() && overlap_from(a, b, i + 1, j, memo))
    } else {
        i < a.len() && j < b.len() && a[i] == b[j] && overlap_from(a, b, i + 1, j + 1, memo)
    };
    memo[i][j] = Some(result);
    result
}

/// Whether `name` (no wildcards) matches `pattern`.
pub(crate) fn matches(pattern: &str, name: &str) -> bool {
    !name.contains('*') && overlaps(pattern, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_patterns() {
        assert!(overlaps("log-*", "log-aws-cloudtrail-*"));
        assert!(overlaps("log-aws-cloudtrail-*", "log-*"));
        assert!(overlaps("*-cloudtrail-*", "log-aws-*"));
        assert!(overlaps("log-web-*", "log-web-apache-*"));
        assert!(!overlaps("log-aws-cloudtrail-*", "log-aws-guardduty-*"));
        assert!(!overlaps("log-web-*", "log-aws-*"));
        assert!(overlaps("a*b", "*"));
        assert!(!overlaps("abc", "abd"));
    }

    #[test]
    fn matching_names() {
        assert!(matches("user.*", "user.name"));
        assert!(!matches("user.*", "source.ip"));
        assert!(matches("*.ip", "source.ip"));
    }
}
