//! Index name patterns with `*` wildcards, as index templates and index patterns use them.

/// Whether some index name matches both patterns. Used to find which index templates an index
/// pattern covers, and which index templates would compete for the same indices.
pub(crate) fn overlaps(a: &str, b: &str) -> bool {
    // One side without a wildcard is a name: a plain match, without the table below.
    match (a.contains('*'), b.contains('*')) {
        (false, false) => return a == b,
        (true, false) => return wildcard_match(a.as_bytes(), b.as_bytes()),
        (false, true) => return wildcard_match(b.as_bytes(), a.as_bytes()),
        (true, true) => {}
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut memo = Memo {
        width: b.len() + 1,
        known: vec![None; (a.len() + 1) * (b.len() + 1)],
    };
    overlap_from(&a, &b, 0, 0, &mut memo)
}

/// Whether `name` matches `pattern` (`*`: any run of bytes), by the usual backtracking to the
/// last star. Bytes stand for characters here: the literal parts are whole UTF-8 text, which
/// can match only at character boundaries.
fn wildcard_match(pattern: &[u8], name: &[u8]) -> bool {
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, n));
            p += 1;
        } else if p < pattern.len() && pattern[p] == name[n] {
            p += 1;
            n += 1;
        } else if let Some((sp, sn)) = star {
            p = sp + 1;
            n = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// What `overlap_from` found at each (i, j).
struct Memo {
    width: usize,
    known: Vec<Option<bool>>,
}

fn overlap_from(a: &[char], b: &[char], i: usize, j: usize, memo: &mut Memo) -> bool {
    let at = i * memo.width + j;
    if let Some(known) = memo.known[at] {
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
    memo.known[at] = Some(result);
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
    fn a_name_against_a_pattern_matches_as_both_patterns_would() {
        let patterns = [
            "*", "a*", "*a", "a*b", "*a*", "a**b", "ab*ab", "*é*", "a*é", "",
        ];
        let names = [
            "", "a", "b", "ab", "aab", "abab", "abcab", "ba", "é", "aé", "xéy", "a*b",
        ];
        for p in patterns {
            for n in names.iter().filter(|n| !n.contains('*')) {
                let a: Vec<char> = p.chars().collect();
                let b: Vec<char> = n.chars().collect();
                let mut memo = Memo {
                    width: b.len() + 1,
                    known: vec![None; (a.len() + 1) * (b.len() + 1)],
                };
                let general = overlap_from(&a, &b, 0, 0, &mut memo);
                assert_eq!(overlaps(p, n), general, "{p:?} {n:?}");
                assert_eq!(overlaps(n, p), general, "{n:?} {p:?}");
            }
        }
    }

    #[test]
    fn matching_names() {
        assert!(matches("user.*", "user.name"));
        assert!(!matches("user.*", "source.ip"));
        assert!(matches("*.ip", "source.ip"));
    }
}
