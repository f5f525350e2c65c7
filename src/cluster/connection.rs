//! Where and how to connect: a target of siemctl.toml, overridden by flags and the environment.
//! Precedence: flag > environment (`SIEMCTL_*`) > `[targets.<name>]` > defaults.
//!
//! Secrets (the basic-auth password) come only from the environment or a file, never from a
//! flag or siemctl.toml, and are held in a [`Secret`] that never prints.

use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;

use super::error::Error;
use super::sigv4::{AwsSettings, Service};

/// A secret value: Debug and Display show `***`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Secret(value)
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The connection part of `[targets.<name>]` in siemctl.toml.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TargetConnection {
    pub(crate) opensearch_url: Option<String>,
    pub(crate) dashboards_url: Option<String>,
    pub(crate) auth: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) password_file: Option<PathBuf>,
    pub(crate) tenant: Option<String>,
    pub(crate) ca_cert: Option<PathBuf>,
    #[serde(default)]
    pub(crate) insecure: bool,
    pub(crate) region: Option<String>,
    pub(crate) service: Option<String>,
    /// The AWS shared-config profile (`~/.aws/config`) to take credentials and region from.
    pub(crate) profile: Option<String>,
    /// A role to assume (sts:AssumeRole) with the credentials of the chain or the profile.
    pub(crate) role_arn: Option<String>,
    pub(crate) external_id: Option<String>,
    pub(crate) session_name: Option<String>,
}

/// Overrides from flags and the environment (clap reads both).
#[derive(Debug, Default, Clone)]
pub(crate) struct Overrides {
    pub(crate) opensearch_url: Option<String>,
    pub(crate) dashboards_url: Option<String>,
    pub(crate) auth: Option<String>,
    pub(crate) tenant: Option<String>,
    pub(crate) ca_cert: Option<PathBuf>,
    pub(crate) insecure: bool,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<Secret>,
    pub(crate) password_file: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub(crate) enum AuthSettings {
    None,
    Basic { username: String, password: Secret },
    SigV4 { aws: AwsSettings, service: Service },
}

/// Everything needed to connect, resolved.
#[derive(Debug, Clone)]
pub(crate) struct Connection {
    pub(crate) opensearch_url: String,
    pub(crate) dashboards_url: Option<String>,
    pub(crate) auth: AuthSettings,
    /// The Dashboards tenant: `global` unless set.
    pub(crate) tenant: String,
    pub(crate) ca_cert: Option<PathBuf>,
    pub(crate) insecure: bool,
}

impl Connection {
    pub(crate) fn resolve(
        target: &TargetConnection,
        over: &Overrides,
    ) -> Result<Connection, Error> {
        let opensearch_url = over
            .opensearch_url
            .clone()
            .or_else(|| target.opensearch_url.clone())
            .ok_or_else(|| Error::Settings("no OpenSearch URL: pass --opensearch-url (or SIEMCTL_OPENSEARCH_URL), or choose a target with --target".into()))?;
        let opensearch_url = clean_url(&opensearch_url, "the OpenSearch URL")?;
        let dashboards_url = match over
            .dashboards_url
            .clone()
            .or_else(|| target.dashboards_url.clone())
        {
            Some(url) => Some(clean_url(&url, "the Dashboards URL")?),
            None => None,
        };
        let has_password = over.password.is_some()
            || over.password_file.is_some()
            || target.password_file.is_some();
        let has_username = over.username.is_some() || target.username.is_some();
        let auth_kind = over.auth.clone().or_else(|| target.auth.clone());
        // Half of basic auth, without `auth` saying which: refused, rather than falling back to
        // no authentication (and the server's bare 401) or guessing.
        if auth_kind.is_none() && has_username != has_password {
            let (set, missing) = if has_username {
                (
                    "a user name (SIEMCTL_USERNAME or `username`) but no password",
                    "set SIEMCTL_PASSWORD or SIEMCTL_PASSWORD_FILE (or `password_file` in the target)",
                )
            } else {
                (
                    "a password (SIEMCTL_PASSWORD, SIEMCTL_PASSWORD_FILE or `password_file`) but no user name",
                    "set SIEMCTL_USERNAME (or `username` in the target)",
                )
            };
            return Err(Error::Settings(format!(
                "half of basic auth is configured: {set}. Basic auth needs both SIEMCTL_USERNAME and SIEMCTL_PASSWORD: {missing}; or unset the one given (`auth = \"none\"` in the target ignores it)"
            )));
        }
        let auth_kind = auth_kind.unwrap_or_else(|| {
            if has_password {
                "basic".into()
            } else {
                "none".into()
            }
        });
        let auth = match auth_kind.as_str() {
            "none" => AuthSettings::None,
            "basic" => {
                let username = over.username.clone().or_else(|| target.username.clone()).ok_or_else(|| {
                    Error::Settings("basic auth needs a user name: set SIEMCTL_USERNAME or `username` in the target".into())
                })?;
                let password = match (&over.password, over.password_file.as_ref().or(target.password_file.as_ref())) {
                    (Some(password), _) => password.clone(),
                    (None, Some(file)) => read_password_file(file)?,
                    (None, None) => {
                        return Err(Error::Settings(
                            "basic auth needs a password: set SIEMCTL_PASSWORD or SIEMCTL_PASSWORD_FILE (or `password_file` in the target); passwords are never taken from flags".into(),
                        ))
                    }
                };
                AuthSettings::Basic { username, password }
            }
            "aws-sigv4" | "sigv4" => {
                let service = match &target.service {
                    None => Service::Es,
                    Some(name) => Service::parse(name).ok_or_else(|| {
                        Error::Settings(format!("unknown SigV4 service `{name}`: use `es` for a managed domain or `aoss` for OpenSearch Serverless"))
                    })?,
                };
                if target.role_arn.is_none()
                    && (target.external_id.is_some() || target.session_name.is_some())
                {
                    return Err(Error::Settings(
                        "`external_id` and `session_name` go with `role_arn`: set the role to assume".into(),
                    ));
                }
                AuthSettings::SigV4 {
                    aws: AwsSettings {
                        region: target.region.clone(),
                        profile: target.profile.clone(),
                        role_arn: target.role_arn.clone(),
                        external_id: target.external_id.clone(),
                        session_name: target.session_name.clone(),
                    },
                    service,
                }
            }
            other => {
                return Err(Error::Settings(format!(
                    "unknown auth `{other}`: use none, basic or aws-sigv4"
                )))
            }
        };
        Ok(Connection {
            opensearch_url,
            dashboards_url,
            auth,
            tenant: over
                .tenant
                .clone()
                .or_else(|| target.tenant.clone())
                .unwrap_or_else(|| "global".into()),
            ca_cert: over.ca_cert.clone().or_else(|| target.ca_cert.clone()),
            insecure: over.insecure || target.insecure,
        })
    }
}

/// A base URL without a trailing slash. Credentials in a URL are refused: they would end up in
/// logs and shell history.
fn clean_url(url: &str, what: &str) -> Result<String, Error> {
    check_url(url, what)?;
    Ok(url.trim_end_matches('/').to_string())
}

/// Whether `url` is an http(s) URL without credentials in it.
pub(crate) fn check_url(url: &str, what: &str) -> Result<(), Error> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::Settings(format!("{what} is not a URL ({e})")))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::Settings(format!(
            "{what} carries credentials: remove them from the URL and set SIEMCTL_USERNAME and SIEMCTL_PASSWORD instead"
        )));
    }
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::Settings(format!(
            "{what} must start with http:// or https://"
        )));
    }
    Ok(())
}

/// Reads a password file; one that other users can read is refused (on Unix), as
/// opensearch-cli refuses a config file holding credentials unless its mode is 0600.
fn read_password_file(path: &PathBuf) -> Result<Secret, Error> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(Error::Settings(format!(
                    "the password file `{}` can be read by other users (mode {mode:04o}): run `chmod 600 {}`; siemctl reads credentials only from files of mode 0600",
                    path.display(),
                    path.display()
                )));
            }
        }
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::Settings(format!(
            "cannot read the password file `{}`: {e}",
            path.display()
        ))
    })?;
    Ok(Secret::new(text.trim_end_matches(['\n', '\r']).to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_the_target_and_default_to_global() {
        let target = TargetConnection {
            opensearch_url: Some("https://a:9200/".into()),
            tenant: Some("secops".into()),
            ..Default::default()
        };
        let over = Overrides {
            opensearch_url: Some("http://b:9200".into()),
            ..Default::default()
        };
        let c = Connection::resolve(&target, &over).unwrap();
        assert_eq!(c.opensearch_url, "http://b:9200");
        assert_eq!(c.tenant, "secops");
        let c = Connection::resolve(
            &TargetConnection {
                opensearch_url: Some("http://x".into()),
                ..Default::default()
            },
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(c.tenant, "global");
        assert!(matches!(c.auth, AuthSettings::None));
    }

    #[test]
    fn credentials_in_urls_are_refused_without_echoing_them() {
        let over = Overrides {
            opensearch_url: Some("https://admin:hunter2@host:9200".into()),
            ..Default::default()
        };
        let err = Connection::resolve(&TargetConnection::default(), &over)
            .unwrap_err()
            .to_string();
        assert!(err.contains("carries credentials"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn basic_auth_takes_the_password_from_the_environment_or_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        std::fs::write(&file, "s3cret\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
            let err = Connection::resolve(
                &TargetConnection {
                    opensearch_url: Some("http://x".into()),
                    auth: Some("basic".into()),
                    username: Some("admin".into()),
                    password_file: Some(file.clone()),
                    ..Default::default()
                },
                &Overrides::default(),
            )
            .unwrap_err()
            .to_string();
            assert!(
                err.contains("mode 0644") && err.contains("chmod 600"),
                "{err}"
            );
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let target = TargetConnection {
            opensearch_url: Some("http://x".into()),
            auth: Some("basic".into()),
            username: Some("admin".into()),
            password_file: Some(file),
            ..Default::default()
        };
        let c = Connection::resolve(&target, &Overrides::default()).unwrap();
        match &c.auth {
            AuthSettings::Basic { password, .. } => assert_eq!(password.expose(), "s3cret"),
            other => panic!("{other:?}"),
        }
        assert!(!format!("{c:?}").contains("s3cret"));
        let no_password = TargetConnection {
            password_file: None,
            ..target
        };
        let err = Connection::resolve(&no_password, &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("SIEMCTL_PASSWORD"), "{err}");
    }
}
