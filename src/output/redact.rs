//! The last line of defence for secrets: every secret siemctl knows (the basic-auth password,
//! from SIEMCTL_PASSWORD or SIEMCTL_PASSWORD_FILE; the AWS secret key and session token of the
//! environment; the basic-auth header made of them) is replaced by `***` in everything siemctl
//! prints, errors and logs included, whatever put it there.

use std::borrow::Cow;
use std::sync::OnceLock;

static SECRETS: OnceLock<Vec<String>> = OnceLock::new();

/// Shorter values are not masked: they would mask ordinary words and numbers.
const MIN_LEN: usize = 4;

/// Reads the secrets from the environment, once, before anything is printed.
pub(crate) fn init() {
    SECRETS.get_or_init(|| {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let mut secrets = Vec::new();
        let password = env("SIEMCTL_PASSWORD").or_else(|| {
            env("SIEMCTL_PASSWORD_FILE")
                .and_then(|path| std::fs::read_to_string(path).ok())
                .map(|text| text.trim_end_matches(['\r', '\n']).to_string())
        });
        if let Some(password) = password {
            if let Some(user) = env("SIEMCTL_USERNAME") {
                secrets.push(basic_auth_token(&user, &password));
            }
            secrets.push(password);
        }
        secrets.extend(env("AWS_SECRET_ACCESS_KEY"));
        secrets.extend(env("AWS_SESSION_TOKEN"));
        secrets.retain(|s| s.len() >= MIN_LEN);
        // Longest first, so that a secret containing another is masked whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets
    });
}

/// `text` with every known secret replaced by `***`.
pub(crate) fn redact(text: &str) -> Cow<'_, str> {
    let Some(secrets) = SECRETS.get() else {
        return Cow::Borrowed(text);
    };
    let mut out = Cow::Borrowed(text);
    for secret in secrets {
        if out.contains(secret.as_str()) {
            out = Cow::Owned(out.replace(secret.as_str(), "***"));
        }
    }
    out
}

/// The base64 of `user:password`, as an `Authorization: Basic` header carries it.
fn basic_auth_token(user: &str, password: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_tokens_are_standard_base64() {
        assert_eq!(
            basic_auth_token("Aladdin", "open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(basic_auth_token("a", "bc"), "YTpiYw==");
        assert_eq!(basic_auth_token("ab", "c"), "YWI6Yw==");
    }
}
