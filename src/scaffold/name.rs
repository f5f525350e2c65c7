//! Names of new content: ids and file names derived from titles, and the rules a log type's
//! name follows.

use super::Error;

/// `WAF: blocked from one country` → `waf-blocked-from-one-country`: lowercase ASCII letters
/// and digits, every other run of characters one `-`. Letters and digits of other scripts are
/// transliterated (`Échecs` → `echecs`, `Вход` → `vkhod`, `ログイン` → `roguin`, by
/// [`deunicode`]); symbols and emoji are separators like punctuation.
pub(crate) fn slug(title: &str) -> String {
    let mut out = String::new();
    let push = |c: char, out: &mut String| {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    };
    for c in title.chars() {
        if c.is_ascii() || !c.is_alphanumeric() {
            push(c, &mut out);
        } else {
            // A letter or digit of another script: its transliteration, or a separator when
            // deunicode has none.
            match deunicode::deunicode_char(c) {
                Some(ascii) if ascii.chars().any(|a| a.is_ascii_alphanumeric()) => {
                    // An ideograph is a word of its own (`失敗` → `Shi Bai `): after kana or
                    // Latin letters too (`ログイン失敗` → `roguin-shi-bai`).
                    if ascii.ends_with(' ') {
                        push(' ', &mut out);
                    }
                    for a in ascii.chars() {
                        push(a, &mut out);
                    }
                }
                _ => push(' ', &mut out),
            }
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The longest file stem [`file_stem`] makes from a title.
pub(crate) const STEM_MAX: usize = 60;

/// The file stem of an object pulled from a cluster: the [`slug`] of its title, cut at a word
/// boundary to at most [`STEM_MAX`] characters; its id when the title has no letter or digit
/// (only symbols or emoji, or empty).
pub(crate) fn file_stem(title: &str, id: &str) -> String {
    let slug = slug(title);
    if slug.is_empty() {
        return id.to_string();
    }
    if slug.len() <= STEM_MAX {
        return slug;
    }
    // Cut after the last whole word that fits; a first word longer than that is cut itself.
    let head = &slug[..=STEM_MAX];
    match head.rfind('-') {
        Some(cut) if cut > 0 => slug[..cut].to_string(),
        _ => slug[..STEM_MAX].to_string(),
    }
}

/// The slug of a title, or an error saying what the title needs.
pub(crate) fn title_slug(title: &str) -> Result<String, Error> {
    let slug = slug(title);
    if slug.is_empty() {
        return Err(Error::InvalidName {
            what: "title",
            value: title.to_string(),
            rule: "the id and file name are made from its letters and digits, and it has none: give a title with words in it".into(),
        });
    }
    Ok(slug)
}

/// The id of a new object of a log type: `<log-type>-<slug>`, unless the slug already starts
/// with the log type's name (as `aws-waf` in `aws-waf-top-paths`).
/// A title that names the log type's product first (`WAF: blocked` in aws-waf) does not repeat
/// it in the id: `aws-waf-blocked`.
pub(crate) fn object_id(log_type: &str, slug: &str) -> String {
    if slug == log_type || slug.starts_with(&format!("{log_type}-")) {
        return slug.to_string();
    }
    let words: Vec<&str> = log_type.split('-').collect();
    for start in 1..words.len() {
        let tail = words[start..].join("-");
        if let Some(rest) = slug.strip_prefix(&format!("{tail}-")) {
            return format!("{log_type}-{rest}");
        }
    }
    format!("{log_type}-{slug}")
}

/// The file stem of an object: its id without the log type's prefix for saved searches
/// (`saved-searches/aws-waf/client-ip.yaml` holds `aws-waf-client-ip`).
pub(crate) fn search_stem<'a>(log_type: &str, id: &'a str) -> &'a str {
    id.strip_prefix(log_type)
        .and_then(|rest| rest.strip_prefix('-'))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(id)
}

/// A saved object id as saved searches allow it: letters, digits, `-` and `_`.
pub(crate) fn check_id(id: &str) -> Result<(), Error> {
    if !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Ok(());
    }
    Err(Error::InvalidName {
        what: "id",
        value: id.to_string(),
        rule: format!(
            "use letters, digits, `-` and `_` only, e.g. `{}`",
            if slug(id).is_empty() {
                "aws-waf-blocked-paths".to_string()
            } else {
                slug(id)
            }
        ),
    })
}

/// A log type's name is a folder name, part of index names and of the field namespace:
/// lowercase letters and digits in words joined by single `-`, starting with a letter.
pub(crate) fn check_log_type(name: &str) -> Result<(), Error> {
    let words_ok = name.split('-').all(|word| {
        !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    });
    let starts_ok = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if words_ok && starts_ok && name.len() <= 64 {
        return Ok(());
    }
    let suggestion = slug(name);
    let example =
        if suggestion.is_empty() || !suggestion.starts_with(|c: char| c.is_ascii_lowercase()) {
            "acme-vpn".to_string()
        } else {
            suggestion
        };
    Err(Error::InvalidName {
        what: "log type name",
        value: name.to_string(),
        rule: format!("use lowercase letters and digits in words joined by `-`, starting with a letter, at most 64 characters (the folder, index and field names are made from it), e.g. `{example}`"),
    })
}

/// The field namespace of a log type's own fields: `aws-waf` → `aws.waf`, as the bundled log
/// types do.
pub(crate) fn namespace(log_type: &str) -> String {
    log_type.replace('-', ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_titles() {
        assert_eq!(
            slug("WAF: blocked from one country!"),
            "waf-blocked-from-one-country"
        );
        assert_eq!(slug("  Ünïcode -- only  "), "unicode-only");
        assert_eq!(
            slug("Échecs d'authentification"),
            "echecs-d-authentification"
        );
        assert_eq!(slug("Вход в систему"), "vkhod-v-sistemu");
        assert_eq!(slug("ログイン失敗"), "roguin-shi-bai");
        assert_eq!(slug("🔥🚨 !!"), "");
        assert_eq!(object_id("aws-waf", "blocked"), "aws-waf-blocked");
        assert_eq!(object_id("aws-waf", "aws-waf-blocked"), "aws-waf-blocked");
        assert_eq!(object_id("aws-waf", "waf-blocked"), "aws-waf-blocked");
        assert_eq!(object_id("aws-waf", "wafer"), "aws-waf-wafer");
        assert_eq!(search_stem("aws-waf", "aws-waf-blocked"), "blocked");
        assert_eq!(search_stem("aws-waf", "other"), "other");
        assert!(title_slug("::").is_err());
    }

    #[test]
    fn file_stems_are_readable_and_never_empty() {
        assert_eq!(
            file_stem("CloudTrail: failed console logins", "x"),
            "cloudtrail-failed-console-logins"
        );
        assert_eq!(file_stem("  ***  ", "a1b2"), "a1b2");
        assert_eq!(file_stem("🔥🚨", "a1b2"), "a1b2");
        assert_eq!(file_stem("Top 10 — API calls!", "x"), "top-10-api-calls");
        let long = file_stem(&"word ".repeat(40), "x");
        assert!(long.len() <= STEM_MAX && long.ends_with("word"), "{long}");
        assert_eq!(file_stem(&"a".repeat(70), "x").len(), STEM_MAX);
    }

    #[test]
    fn log_type_names_follow_the_folder_rules() {
        assert!(check_log_type("acme-vpn").is_ok());
        assert!(check_log_type("web2").is_ok());
        let err = check_log_type("Acme VPN").unwrap_err().to_string();
        assert!(err.contains("`acme-vpn`"), "{err}");
        for bad in ["", "-x", "x-", "a--b", "_common", "9lives", "a.b"] {
            assert!(check_log_type(bad).is_err(), "{bad}");
        }
        assert!(check_id("a-b_c1").is_ok());
        assert!(check_id("a b").is_err());
        assert_eq!(namespace("aws-waf"), "aws.waf");
    }
}
