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
use crate::content::problem::Problem;
use crate::content::vars;
use crate::content::version::ContentVersion;

/// siemctl.toml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProjectConfig {
    pub(crate) content: ContentSection,
    #[serde(default)]
    pub(crate) vars: toml::Table,
    /// `[target_defaults]`: settings every target starts from (its `vars` too); a target's own
    /// keys win, and its `vars` are merged over the defaults' `vars` name by name.
    #[serde(default)]
    pub(crate) target_defaults: toml::Table,
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
    /// The selected target's name (none without `--target`).
    pub(crate) target_name: Option<String>,
    /// The selected target's connection settings (empty without a target).
    pub(crate) target: TargetConnection,
}

/// siemctl.toml read, with where it was read from.
struct Loaded {
    path: PathBuf,
    text: String,
    config: ProjectConfig,
    version: ContentVersion,
}

impl Loaded {
    fn read(global: &GlobalArgs) -> Result<Loaded> {
        let root = &global.content;
        let path = global
            .config
            .clone()
            .unwrap_or_else(|| root.join("siemctl.toml"));
        // The default siemctl.toml is content like the rest: a link out of the content directory
        // is refused. A --config FILE named on the command line may be anywhere, but must be a
        // regular file.
        let within = global.config.is_none().then_some(root.as_path());
        let (text, config) = read_config(&path, within)?;
        let version: ContentVersion = match config.content.version.parse() {
            Ok(version) => version,
            Err(err) => bail!(
                "{}: invalid [content].version: {err}",
                at_key(&path, &text, &["content", "version"])
            ),
        };
        Ok(Loaded {
            path,
            text,
            config,
            version,
        })
    }

    /// The names `--target` and `--all-targets` select, sorted; empty without either.
    fn select(&self, var_args: &VarArgs) -> Result<Vec<String>> {
        let names: Vec<&String> = self.config.targets.keys().collect();
        if var_args.all_targets {
            if names.is_empty() {
                bail!(
                    "--all-targets: `{}` defines no `[targets.NAME]`",
                    self.path.display()
                );
            }
            return Ok(names.into_iter().cloned().collect());
        }
        let mut selected = std::collections::BTreeSet::new();
        for pattern in &var_args.target {
            let matched: Vec<&String> = names
                .iter()
                .copied()
                .filter(|n| glob_match(pattern, n))
                .collect();
            if matched.is_empty() {
                let known = if names.is_empty() {
                    "none are defined".to_string()
                } else {
                    format!(
                        "known targets: {}",
                        names
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let file = at_key(&self.path, &self.text, &["targets"]);
                if is_glob(pattern) {
                    bail!("no target matches `{pattern}` in `{file}` ({known})");
                }
                bail!("no target `{pattern}` in `{file}` ({known})\nhint: name one of them with --target, or add [targets.{pattern}] to siemctl.toml");
            }
            selected.extend(matched.into_iter().cloned());
        }
        Ok(selected.into_iter().collect())
    }

    fn project(&self, root: &Path, var_args: &VarArgs, name: Option<&str>) -> Result<Project> {
        let file_vars = to_json_map(&self.config.vars);
        let mut target = TargetConnection::default();
        let target_vars = match name {
            None => None,
            Some(name) => {
                // Unknown keys, unknown variables, URLs that do not parse, secrets: with the
                // line, before anything else.
                let problems = self.target_problems(Some(name));
                if !problems.is_empty() {
                    let lines: Vec<String> = problems
                        .iter()
                        .map(|p| match &p.hint {
                            Some(h) => format!("{}: {}\n  hint: {h}", p.location(), p.message),
                            None => format!("{}: {}", p.location(), p.message),
                        })
                        .collect();
                    bail!("invalid target `{name}`:\n{}", lines.join("\n"));
                }
                let mut table = merged_target(&self.config, name);
                let vars = match table.remove("vars") {
                    Some(toml::Value::Table(vars)) => vars,
                    Some(_) => bail!(
                        "`[targets.{name}].vars` in `{}` must be a table",
                        self.path.display()
                    ),
                    None => toml::Table::new(),
                };
                target = table.try_into().with_context(|| {
                    format!("invalid `[targets.{name}]` in `{}`", self.path.display())
                })?;
                // Paths in siemctl.toml are relative to the file, whatever the working
                // directory (`-C DIR` from elsewhere).
                if let Some(dir) = self.path.parent() {
                    for path in [&mut target.ca_cert, &mut target.password_file]
                        .into_iter()
                        .flatten()
                    {
                        if path.is_relative() {
                            *path = dir.join(&*path);
                        }
                    }
                }
                Some((name, to_json_map(&vars)))
            }
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
            root: root.to_path_buf(),
            version: self.version,
            vars,
            declared_vars: file_vars,
            target_name: name.map(str::to_string),
            target,
        })
    }

    /// The problems of `[target_defaults]` and of one target (`Some`) or every target (`None`).
    fn target_problems(&self, only: Option<&str>) -> Vec<Problem> {
        config_problems(&self.path, &self.text, &self.config.vars, only)
    }
}

impl Project {
    /// Reads siemctl.toml and resolves the variables of the selected target and flags. For the
    /// commands that take one target: a glob matching several is refused.
    pub(crate) fn resolve(global: &GlobalArgs, var_args: &VarArgs) -> Result<Project> {
        let loaded = Loaded::read(global)?;
        let names = loaded.select(var_args)?;
        if names.len() > 1 {
            bail!(
                "this command takes one target, and {} select {}: {}\nhint: name one with --target NAME (plan, apply and validate take several)",
                describe_selection(var_args),
                names.len(),
                names.join(", ")
            );
        }
        loaded.project(&global.content, var_args, names.first().map(String::as_str))
    }

    /// Every selected target resolved (one project without a target when none is selected).
    pub(crate) fn resolve_all(global: &GlobalArgs, var_args: &VarArgs) -> Result<Vec<Project>> {
        let loaded = Loaded::read(global)?;
        let names = loaded.select(var_args)?;
        if names.is_empty() {
            return Ok(vec![loaded.project(&global.content, var_args, None)?]);
        }
        names
            .iter()
            .map(|n| loaded.project(&global.content, var_args, Some(n)))
            .collect()
    }

    /// Whether `--target`/`--all-targets` select more than one target (the multi-target
    /// output), without resolving them.
    pub(crate) fn selects_several(global: &GlobalArgs, var_args: &VarArgs) -> Result<bool> {
        if !var_args.all_targets
            && var_args.target.iter().all(|t| !is_glob(t))
            && var_args.target.len() < 2
        {
            return Ok(false);
        }
        let loaded = Loaded::read(global)?;
        Ok(loaded.select(var_args)?.len() > 1)
    }

    /// The problems of every target of siemctl.toml (for `validate`).
    pub(crate) fn target_problems(global: &GlobalArgs) -> Result<Vec<Problem>> {
        Ok(Loaded::read(global)?.target_problems(None))
    }
}

fn describe_selection(var_args: &VarArgs) -> String {
    if var_args.all_targets {
        "--all-targets".to_string()
    } else {
        var_args
            .target
            .iter()
            .map(|t| format!("--target `{t}`"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `[target_defaults]` under `[targets.NAME]`: the target's keys win; `vars` merge by name.
fn merged_target(config: &ProjectConfig, name: &str) -> toml::Table {
    let mut table = config.target_defaults.clone();
    for (key, value) in config.targets.get(name).cloned().unwrap_or_default() {
        match (key.as_str(), table.get_mut("vars"), value) {
            ("vars", Some(toml::Value::Table(defaults)), toml::Value::Table(own)) => {
                defaults.extend(own);
            }
            (_, _, value) => {
                table.insert(key, value);
            }
        }
    }
    table
}

fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// Shell-style matching: `*` any run of characters, `?` one character.
pub(crate) fn glob_match(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn read_config(path: &Path, within: Option<&Path>) -> Result<(String, ProjectConfig)> {
    if fs::symlink_metadata(path).is_ok() {
        let checked = match within {
            Some(root) => crate::content::load::check_readable(root, path),
            None => crate::content::load::check_regular(path),
        };
        if let Err(message) = checked {
            bail!("`{}`: {message}", path.display());
        }
    }
    let text = match fs::read(path).map(String::from_utf8) {
        // Never echo a file that is not text: it could be anything.
        Ok(Err(_)) => bail!(
            "`{}` is not UTF-8 text: save it as UTF-8 (siemctl.toml is TOML, which is UTF-8)",
            path.display()
        ),
        Ok(Ok(text)) => Ok(text),
        Err(e) => Err(e),
    }
    .with_context(|| {
        format!("cannot read `{}`: run siemctl in the content directory, or point at it with -C DIR or --config FILE", path.display())
    })?;
    let config = match toml::from_str(&text) {
        Ok(config) => config,
        Err(err) => {
            let place = match err.span() {
                Some(span) => {
                    let (line, column) = line_column(&text, span.start);
                    format!("{}:{line}:{column}", path.display())
                }
                None => path.display().to_string(),
            };
            let message = err.message().trim_end().replace('\n', " ");
            bail!("{place}: invalid configuration: {message}\nhint: siemctl.toml is TOML ([content] version, [vars], [target_defaults], [targets.NAME]): fix it at that place");
        }
    };
    Ok((text, config))
}

/// The 1-based line and column (in characters) of a byte offset of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, column)
}

/// `path:LINE` of the key at `keys` (a path of tables) in siemctl.toml, or the path alone when
/// the key is not there.
fn at_key(path: &Path, text: &str, keys: &[&str]) -> String {
    use toml::de::{DeTable, DeValue};
    fn find(table: &DeTable<'_>, keys: &[&str]) -> Option<usize> {
        let (first, rest) = keys.split_first()?;
        let (key, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *first)?;
        match (rest.is_empty(), value.get_ref()) {
            (true, _) => Some(key.span().start),
            (false, DeValue::Table(inner)) => find(inner, rest),
            _ => Some(key.span().start),
        }
    }
    let found = DeTable::parse(text)
        .ok()
        .and_then(|doc| find(doc.get_ref(), keys));
    match found {
        Some(offset) => format!("{}:{}", path.display(), line_column(text, offset).0),
        None => path.display().to_string(),
    }
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

/// The keys a target (or `[target_defaults]`) may hold, besides `vars`.
const TARGET_KEYS: &[&str] = &[
    "opensearch_url",
    "dashboards_url",
    "auth",
    "username",
    "password_file",
    "tenant",
    "ca_cert",
    "insecure",
    "region",
    "service",
    "profile",
    "role_arn",
    "external_id",
    "session_name",
    "vars",
];

/// Keys that would hold a secret: never read from siemctl.toml.
const SECRET_KEYS: &[&str] = &[
    "password",
    "secret",
    "token",
    "access_key_id",
    "secret_access_key",
    "session_token",
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
];

/// What is wrong with `[target_defaults]` and the targets of siemctl.toml (every target, or
/// `only`), each with its line: unknown keys, secrets, unknown variables, URLs that do not
/// parse. Types are checked when a target is resolved.
fn config_problems(
    path: &Path,
    text: &str,
    declared: &toml::Table,
    only: Option<&str>,
) -> Vec<Problem> {
    use toml::de::{DeTable, DeValue};
    let Ok(document) = DeTable::parse(text) else {
        return Vec::new(); // reported by the strict parse already
    };
    let line = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let mut problems = Vec::new();
    let mut check = |section: String, table: &DeTable<'_>| {
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            let at = Some(line(key.span().start));
            if SECRET_KEYS.contains(&name) {
                problems.push(
                    Problem::new(path, format!("`{name}` in {section}: secrets are never read from siemctl.toml"))
                        .at_line(at)
                        .with_hint("remove it; basic auth reads SIEMCTL_PASSWORD or SIEMCTL_PASSWORD_FILE (or `password_file`, mode 0600), aws-sigv4 the standard AWS credential chain"),
                );
                continue;
            }
            if !TARGET_KEYS.contains(&name) {
                let close = TARGET_KEYS
                    .iter()
                    .filter(|k| strsim::jaro_winkler(k, name) > 0.85)
                    .max_by(|a, b| {
                        strsim::jaro_winkler(a, name).total_cmp(&strsim::jaro_winkler(b, name))
                    });
                let hint = match close {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!("known keys: {}", TARGET_KEYS.join(", ")),
                };
                problems.push(
                    Problem::new(path, format!("unknown key `{name}` in {section}"))
                        .at_line(at)
                        .with_hint(hint),
                );
                continue;
            }
            match (name, value.get_ref()) {
                ("vars", DeValue::Table(vars)) => {
                    for (var, var_value) in vars {
                        let var_name = var.get_ref().as_ref();
                        if let Some(expected) = declared.get(var_name) {
                            let given = var_value.get_ref().type_str();
                            if expected.type_str() != given {
                                problems.push(
                                    Problem::new(
                                        path,
                                        format!(
                                            "variable `{var_name}` is {} in [vars], but {section}.vars gives {}",
                                            with_article(expected.type_str()),
                                            with_article(given)
                                        ),
                                    )
                                    .at_line(Some(line(var_value.span().start)))
                                    .with_hint(format!(
                                        "give it {} value, as [vars] declares it (e.g. {})",
                                        with_article(expected.type_str()),
                                        expected
                                    )),
                                );
                            }
                        }
                        if !declared.contains_key(var_name) {
                            problems.push(
                                Problem::new(
                                    path,
                                    format!("unknown variable `{var_name}` in {section}.vars"),
                                )
                                .at_line(Some(line(var.span().start)))
                                .with_hint(
                                    "declare it in [vars] with its default value and type first",
                                ),
                            );
                        }
                    }
                }
                ("opensearch_url" | "dashboards_url", DeValue::String(url)) => {
                    if let Err(err) =
                        crate::cluster::connection::check_url(url, &format!("`{name}`"))
                    {
                        let message = match err {
                            crate::cluster::error::Error::Settings(m) => m,
                            other => other.to_string(),
                        };
                        problems.push(
                            Problem::new(path, format!("{message} in {section}"))
                                .at_line(Some(line(value.span().start))),
                        );
                    }
                }
                ("vars", other) => problems.push(
                    Problem::new(
                        path,
                        format!(
                            "`vars` in {section} is {}: it must be a table",
                            with_article(other.type_str())
                        ),
                    )
                    .at_line(Some(line(value.span().start)))
                    .with_hint(format!(
                        "write {section}.vars = {{ name = value }}, or a [{}.vars] table",
                        section.trim_matches(['[', ']'])
                    )),
                ),
                ("insecure", DeValue::Boolean(_)) => {}
                ("insecure", other) => problems.push(
                    Problem::new(
                        path,
                        format!(
                            "`insecure` in {section} is {}: it is true or false",
                            with_article(other.type_str())
                        ),
                    )
                    .at_line(Some(line(value.span().start))),
                ),
                (_, DeValue::String(_)) => {}
                (_, other) => problems.push(
                    Problem::new(
                        path,
                        format!(
                            "`{name}` in {section} is {}: it must be a string",
                            with_article(other.type_str())
                        ),
                    )
                    .at_line(Some(line(value.span().start)))
                    .with_hint(format!("put the value in quotes: {name} = \"...\"")),
                ),
            }
        }
    };
    let doc = document.get_ref();
    for (key, value) in doc {
        match (key.get_ref().as_ref(), value.get_ref()) {
            ("target_defaults", DeValue::Table(table)) => check("[target_defaults]".into(), table),
            ("targets", DeValue::Table(targets)) => {
                for (name, target) in targets {
                    let name = name.get_ref().as_ref();
                    if only.is_some_and(|o| o != name) {
                        continue;
                    }
                    if let DeValue::Table(table) = target.get_ref() {
                        check(format!("[targets.{name}]"), table);
                    }
                }
            }
            _ => {}
        }
    }
    problems
}

/// "an integer", "a string": a TOML type name with its article.
fn with_article(type_str: &str) -> String {
    match type_str {
        "integer" | "array" => format!("an {type_str}"),
        other => format!("a {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs_match_like_a_shell() {
        assert!(glob_match("prod-*", "prod-eu-west-1"));
        assert!(glob_match("*-eu-*", "prod-eu-west-1"));
        assert!(glob_match("prod-?", "prod-a"));
        assert!(!glob_match("prod-?", "prod-ab"));
        assert!(!glob_match("prod-*", "staging-eu"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(glob_match("exact", "exact"));
    }
}
