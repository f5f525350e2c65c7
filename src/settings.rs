//! Settings: the flags resolved against siemctl.toml. Precedence: flag > env (`SIEMCTL_*`,
//! declared on the clap args) > siemctl.toml > defaults.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::cli::ConnectArgs;
use crate::cli::{GlobalArgs, VarArgs};
use crate::cluster::connection::{Overrides, Secret, TargetConnection};
use crate::content::vars;
use crate::content::version::ContentVersion;

/// siemctl.toml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProjectConfig {
    pub(crate) content: ContentSection,
    #[serde(default)]
    pub(crate) vars: toml::Table,
    /// `[targets.<name>]`: `vars` plus connection settings, split apart in [`Project::resolve`]
    /// so that each part is parsed strictly.
    #[serde(default)]
    pub(crate) targets: BTreeMap<String, toml::Table>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContentSection {
    pub(crate) version: String,
}

/// What the offline commands need, resolved.
#[derive(Debug)]
pub(crate) struct Project {
    pub(crate) root: PathBuf,
    pub(crate) version: ContentVersion,
    pub(crate) vars: Map<String, Value>,
    /// The variables as `[vars]` of siemctl.toml declares them (names and types).
    pub(crate) declared_vars: Map<String, Value>,
    /// The selected target's connection settings (empty without a target).
    pub(crate) target: TargetConnection,
}

impl Project {
    /// Reads siemctl.toml and resolves the variables of the selected target and flags.
    pub(crate) fn resolve(global: &GlobalArgs, var_args: &VarArgs) -> Result<Project> {
        let root = global.content.clone();
        let config_path = global
            .config
            .clone()
            .unwrap_or_else(|| root.join("siemctl.toml"));
        // The default siemctl.toml is content like the rest: a link out of the content directory
        // is refused. A --config FILE named on the command line may be anywhere, but must be a
        // regular file.
        let within = global.config.is_none().then_some(root.as_path());
        let config = read_config(&config_path, within)?;
        let version: ContentVersion =
            config.content.version.parse().with_context(|| {
                format!("invalid [content].version in `{}`", config_path.display())
            })?;
        let file_vars = to_json_map(&config.vars);
        let mut target = TargetConnection::default();
        let target_vars = match &var_args.target {
            None => None,
            Some(name) => match config.targets.get(name) {
                Some(table) => {
                    let mut table = table.clone();
                    let vars = match table.remove("vars") {
                        Some(toml::Value::Table(vars)) => vars,
                        Some(_) => bail!(
                            "`[targets.{name}].vars` in `{}` must be a table",
                            config_path.display()
                        ),
                        None => toml::Table::new(),
                    };
                    target = table.try_into().with_context(|| {
                        format!("invalid `[targets.{name}]` in `{}`", config_path.display())
                    })?;
                    // Paths in siemctl.toml are relative to the file, whatever the working
                    // directory (`-C DIR` from elsewhere).
                    if let (Some(ca), Some(dir)) = (&target.ca_cert, config_path.parent()) {
                        if ca.is_relative() {
                            target.ca_cert = Some(dir.join(ca));
                        }
                    }
                    Some((name.as_str(), to_json_map(&vars)))
                }
                None => {
                    let known: Vec<&String> = config.targets.keys().collect();
                    let known = if known.is_empty() {
                        "none are defined".to_string()
                    } else {
                        format!(
                            "known targets: {}",
                            known
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    bail!(
                        "no target `{name}` in `{}` ({known})",
                        config_path.display()
                    );
                }
            },
        };
        let flags = var_args
            .vars
            .iter()
            .map(|arg| vars::parse_flag(arg))
            .collect::<Result<Vec<_>, _>>()?;
        let vars = vars::resolve(
            &file_vars,
            target_vars.as_ref().map(|(n, v)| (*n, v)),
            &flags,
        )?;
        Ok(Project {
            root,
            version,
            vars,
            declared_vars: file_vars,
            target,
        })
    }
}

fn read_config(path: &Path, within: Option<&Path>) -> Result<ProjectConfig> {
    if fs::symlink_metadata(path).is_ok() {
        let checked = match within {
            Some(root) => crate::content::load::check_readable(root, path),
            None => crate::content::load::check_regular(path),
        };
        if let Err(message) = checked {
            bail!("`{}`: {message}", path.display());
        }
    }
    let text = fs::read_to_string(path).with_context(|| {
        format!("cannot read `{}`: run siemctl in the content directory, or point at it with -C DIR or --config FILE", path.display())
    })?;
    toml::from_str(&text).with_context(|| format!("invalid configuration in `{}`", path.display()))
}

fn to_json_map(table: &toml::Table) -> Map<String, Value> {
    match serde_json::to_value(table) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// The connection overrides of the flags and the environment. Credentials are read from the
/// environment only.
pub(crate) fn overrides(args: &ConnectArgs) -> Overrides {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    Overrides {
        opensearch_url: args.opensearch_url.clone(),
        dashboards_url: args.dashboards_url.clone(),
        auth: args.auth.clone(),
        tenant: args.tenant.clone(),
        ca_cert: args.ca_cert.clone(),
        insecure: args.insecure,
        username: env("SIEMCTL_USERNAME"),
        password: env("SIEMCTL_PASSWORD").map(Secret::new),
        password_file: env("SIEMCTL_PASSWORD_FILE").map(PathBuf::from),
    }
}
