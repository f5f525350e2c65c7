//! `siemctl new`: scaffolds of new content. Reads the content (the log type's fields, index
//! pattern and objects), lets [`crate::scaffold`] make the files, checks them in a staged copy
//! of the content (validation, and for a log type its golden files made by the test engine),
//! then writes them, never over an existing file.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};

use crate::cli::{
    GlobalArgs, NewArgs, NewCommand, NewDashboardArgs, NewLogTypeArgs, NewSearchArgs,
    NewVisualizationArgs,
};
use crate::content::kind::Kind;
use crate::content::mapping::{self, Fields};
use crate::content::suggest::did_you_mean;
use crate::content::validate as checks;
use crate::content::{self, glob, Content};
use crate::exit::ExitStatus;
use crate::output::new as out;
use crate::output::printer::Printer;
use crate::scaffold::{
    self, dashboard, key_fields, log_type, name, search, visualization, NewFile,
};
use crate::settings::Project;
use crate::testing::case;
use crate::testing::check::check;
use crate::testing::queries;
use crate::testing::suite::Suite;
use crate::testing::FileResult;

/// The content folders a staged copy holds.
const FOLDERS: [&str; 3] = ["index-templates", "dashboards", "saved-searches"];

pub(crate) fn run(global: &GlobalArgs, args: &NewArgs, printer: Printer) -> Result<ExitStatus> {
    let common = match &args.command {
        NewCommand::Search(a) => &a.common,
        NewCommand::Visualization(a) => &a.common,
        NewCommand::Dashboard(a) => &a.common,
        NewCommand::LogType(a) => &a.common,
    };
    let project = Project::resolve(global, &common.vars)?;
    let (content, _) = content::load(&project.root, project.version, project.vars.clone())?;
    let (files, next) = match &args.command {
        NewCommand::Search(a) => (new_search(&content, &project.root, a)?, a.log_type.clone()),
        NewCommand::Visualization(a) => (
            new_visualization(&content, &project.root, a)?,
            a.log_type.clone(),
        ),
        NewCommand::Dashboard(a) => (new_dashboard(&content, a)?, a.log_type.clone()),
        NewCommand::LogType(a) => (Vec::new(), a.name.clone()),
    };
    let files = match &args.command {
        NewCommand::LogType(a) => new_log_type(&project, &content, a)?,
        _ => {
            refuse_existing(&project.root, &files)?;
            let stage = Stage::new(&project.root)?;
            stage.write(&files)?;
            stage.validate(&project, &files)?;
            files
        }
    };
    let log_type = next.unwrap_or_default();
    if !common.dry_run {
        write(&project.root, &files)?;
    }
    out::print(
        printer,
        &out::Report {
            files: &files,
            dry_run: common.dry_run,
            log_type: &log_type,
            command: match &args.command {
                NewCommand::Search(_) => "search",
                NewCommand::Visualization(_) => "visualization",
                NewCommand::Dashboard(_) => "dashboard",
                NewCommand::LogType(_) => "log-type",
            },
        },
    );
    Ok(ExitStatus::Success)
}

/// A value from its flag, else asked for on a terminal, else an error naming the flag.
fn value(given: &Option<String>, flag: &str, question: &str, example: &str) -> Result<String> {
    if let Some(v) = given {
        return Ok(v.clone());
    }
    if std::io::stdin().is_terminal() {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{question} (e.g. {example}): ");
        let _ = err.flush();
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let line = line.trim().to_string();
        if !line.is_empty() {
            return Ok(line);
        }
    }
    bail!("missing {flag}: {question}, e.g. {flag} {example}")
}

/// The log type named by --log-type, which must have an index pattern in the content.
fn existing_log_type(content: &Content, given: &Option<String>) -> Result<String> {
    let log_type = value(
        given,
        "--log-type",
        "the log type (its folder name)",
        "aws-cloudtrail",
    )?;
    let known: Vec<&str> = content
        .of_kind(Kind::IndexPattern)
        .map(|r| r.log_type.as_str())
        .filter(|lt| !lt.starts_with('_'))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !known.contains(&log_type.as_str()) {
        let hint = did_you_mean(&log_type, known.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("the log types are: {}", known.join(", ")));
        bail!("there is no log type `{log_type}` with an index pattern in dashboards/: {hint} (a new one: `siemctl new log-type {log_type}`)");
    }
    Ok(log_type)
}

/// What a scaffold starts from: the log type's index pattern (its id), the fields of its
/// composed mappings that it fills, and a value of each from its test documents.
struct View {
    pattern: String,
    fields: Fields,
    examples: BTreeMap<String, String>,
}

fn log_type_view(content: &Content, root: &Path, log_type: &str) -> Result<View> {
    let pattern = content
        .of_kind(Kind::IndexPattern)
        .find(|r| r.log_type == log_type)
        .map(|r| r.id.clone())
        .ok_or_else(|| {
            anyhow!("log type `{log_type}` has no index pattern in dashboards/{log_type}/")
        })?;
    let mut fields = Fields::new();
    for template in content
        .of_kind(Kind::IndexTemplate)
        .filter(|t| t.log_type == log_type)
    {
        for (name, field) in mapping::compose(content, template).fields {
            fields.entry(name).or_insert(field);
        }
    }
    let examples = filled_fields(root, log_type);
    let filled: std::collections::BTreeSet<String> = examples.keys().cloned().collect();
    let fields = key_fields::filled(&fields, &filled);
    if fields.is_empty() {
        bail!("log type `{log_type}` has no mapped fields: its index template in index-templates/{log_type}/ is missing or does not render (run `siemctl validate`)");
    }
    Ok(View {
        pattern,
        fields,
        examples,
    })
}

/// Every field path with a value in the golden documents of the log type's test events.
fn filled_fields(root: &Path, log_type: &str) -> BTreeMap<String, String> {
    fn walk(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, child) in map {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    walk(&path, child, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(prefix, i, out)),
            serde_json::Value::Null => {}
            serde_json::Value::String(text) => {
                out.entry(prefix.to_string())
                    .or_insert_with(|| text.clone());
            }
            other => {
                out.entry(prefix.to_string())
                    .or_insert_with(|| other.to_string());
            }
        }
    }
    let mut out = BTreeMap::new();
    let dir = root.join("index-templates").join(log_type).join("_test");
    let Ok(entries) = fs::read_dir(&dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.ends_with("-expected.json") {
            continue;
        }
        let Ok(text) = fs::read_to_string(entry.path()) else {
            continue;
        };
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        for event in doc
            .get("events")
            .and_then(|e| e.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(source) = event.get("_source") {
                walk("", source, &mut out);
            }
        }
    }
    out
}

fn title_or(given: &Option<String>, example: &str) -> Result<String> {
    let title = value(given, "--title", "the title analysts will see", example)?;
    if title.trim().is_empty() {
        bail!("the title is empty: give one with --title, e.g. --title {example}");
    }
    Ok(title.trim().to_string())
}

/// An id no object of these kinds has.
fn free_id(content: &Content, kinds: &[Kind], id: &str, flag_hint: &str) -> Result<()> {
    for kind in kinds {
        if let Some(existing) = content
            .resources
            .iter()
            .find(|r| r.kind == *kind && r.id == id)
        {
            bail!(
                "the id `{id}` is taken: {} `{}` has it; {flag_hint}",
                kind.name(),
                existing.file.display()
            );
        }
        if content.declares(*kind, id) {
            bail!(
                "the id `{id}` is taken by a {} of the content; {flag_hint}",
                kind.name()
            );
        }
    }
    Ok(())
}

fn scaffold_error(e: scaffold::Error) -> anyhow::Error {
    anyhow!(e)
}

pub(crate) fn new_search(
    content: &Content,
    root: &Path,
    args: &NewSearchArgs,
) -> Result<Vec<NewFile>> {
    let log_type = existing_log_type(content, &args.log_type)?;
    let view = log_type_view(content, root, &log_type)?;
    let title = title_or(&args.title, "\"CloudTrail: root sign-ins\"")?;
    let slug = name::title_slug(&title).map_err(scaffold_error)?;
    let id = match &args.id {
        Some(id) => {
            name::check_id(id).map_err(scaffold_error)?;
            id.clone()
        }
        None => name::object_id(&log_type, &slug),
    };
    free_id(
        content,
        &[Kind::Search, Kind::Query],
        &id,
        "choose another --title or --id",
    )?;
    let spec = search_spec(&log_type, &id, &title, &view, args.query.clone());
    Ok(vec![search::file(&spec, name::search_stem(&log_type, &id))])
}

fn search_spec(
    log_type: &str,
    id: &str,
    title: &str,
    view: &View,
    query: Option<String>,
) -> search::Spec {
    let fields = &view.fields;
    let pattern = &view.pattern;
    // The filter example: a key field with a value the log type's test events have.
    let filter_example = key_fields::searchable(fields).first().map(|f| {
        let example = match (view.examples.get(*f), fields[*f].ty.as_str()) {
            (Some(value), _) => value.clone(),
            (None, "ip") => "203.0.113.50".into(),
            (None, "long" | "integer" | "short" | "byte") => "443".into(),
            (None, _) => "a-value".into(),
        };
        ((*f).to_string(), example)
    });
    search::Spec {
        log_type: log_type.to_string(),
        id: id.to_string(),
        title: title.to_string(),
        query: query.unwrap_or_else(|| key_fields::query(fields)),
        columns: key_fields::columns(fields),
        time_field: fields
            .contains_key("@timestamp")
            .then(|| "@timestamp".to_string()),
        index_pattern: pattern.to_string(),
        filter_example,
        description: None,
    }
}

pub(crate) fn new_visualization(
    content: &Content,
    root: &Path,
    args: &NewVisualizationArgs,
) -> Result<Vec<NewFile>> {
    let log_type = existing_log_type(content, &args.log_type)?;
    let View {
        pattern, fields, ..
    } = log_type_view(content, root, &log_type)?;
    let field = match &args.field {
        Some(field) => {
            let ok = fields
                .get(field)
                .is_some_and(|f| f.searchable && f.aggregatable());
            if !ok {
                let candidates: Vec<&String> = fields
                    .iter()
                    .filter(|(_, f)| f.searchable && f.aggregatable() && f.ty != "object")
                    .map(|(n, _)| n)
                    .collect();
                let why = match fields.get(field) {
                    Some(f) => format!(
                        "it is mapped as `{}`, which a terms aggregation cannot count",
                        f.ty
                    ),
                    None => "it is not mapped for this log type".to_string(),
                };
                let hint = did_you_mean(field, candidates.iter().map(|s| s.as_str()))
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        "pick a keyword, number, IP or date field of the log type's mapping".into()
                    });
                bail!("cannot count by `{field}` in {log_type}: {why}; {hint}");
            }
            field.clone()
        }
        None => key_fields::aggregatable(&fields).ok_or_else(|| {
            anyhow!(
                "log type `{log_type}` maps no keyword field to count by: give one with --field"
            )
        })?,
    };
    let title = match &args.title {
        Some(t) if t.trim().is_empty() => bail!("the title is empty: give one with --title"),
        Some(t) => t.trim().to_string(),
        None => format!("{log_type}: top {field}"),
    };
    let id = name::object_id(
        &log_type,
        &name::title_slug(&title).map_err(scaffold_error)?,
    );
    free_id(
        content,
        &[Kind::Visualization],
        &id,
        "choose another --title",
    )?;
    Ok(vec![visualization::file(&visualization::Spec {
        log_type,
        id,
        title,
        field,
        index_pattern: pattern,
    })])
}

pub(crate) fn new_dashboard(content: &Content, args: &NewDashboardArgs) -> Result<Vec<NewFile>> {
    let log_type = existing_log_type(content, &args.log_type)?;
    let title = title_or(&args.title, "\"CloudTrail: IAM changes\"")?;
    let id = name::object_id(
        &log_type,
        &name::title_slug(&title).map_err(scaffold_error)?,
    );
    free_id(content, &[Kind::Dashboard], &id, "choose another --title")?;
    let panels = panels_of(content, &log_type);
    if panels.is_empty() {
        return Err(scaffold_error(scaffold::Error::Missing {
            log_type,
            what: "visualization or saved search",
            purpose: "show: make one first (`siemctl new visualization` or `siemctl new search`)",
        }));
    }
    Ok(vec![dashboard::file(&dashboard::Spec {
        description: format!("{title}: the charts and searches of {log_type}."),
        log_type,
        id,
        title,
        panels,
    })])
}

/// Up to six visualizations of the log type, then its first saved search.
fn panels_of(content: &Content, log_type: &str) -> Vec<dashboard::Panel> {
    let mut panels: Vec<dashboard::Panel> = content
        .of_kind(Kind::Visualization)
        .filter(|r| r.log_type == log_type)
        .take(6)
        .map(|r| dashboard::Panel {
            kind: "visualization",
            id: r.id.clone(),
        })
        .collect();
    if let Some(search) = content
        .of_kind(Kind::Search)
        .find(|r| r.log_type == log_type)
    {
        panels.push(dashboard::Panel {
            kind: "search",
            id: search.id.clone(),
        });
    }
    panels
}

fn new_log_type(
    project: &Project,
    content: &Content,
    args: &NewLogTypeArgs,
) -> Result<Vec<NewFile>> {
    let name = value(&args.name, "NAME", "the new log type's name", "acme-vpn")
        .map_err(|_| anyhow!("missing the log type's name: `siemctl new log-type NAME`, e.g. `siemctl new log-type acme-vpn`"))?;
    name::check_log_type(&name).map_err(scaffold_error)?;
    for folder in FOLDERS {
        let dir = project.root.join(folder).join(&name);
        if dir.exists() {
            bail!("`{folder}/{name}` already exists: log type `{name}` is there; `siemctl new` never overwrites, so pick another name (or add to it with `siemctl new search|visualization|dashboard --log-type {name}`)");
        }
    }
    // The namespace must not land inside a shared ECS object (`source-x` → source.x).
    let ns = name::namespace(&name);
    let top = ns.split('.').next().unwrap_or_default();
    let mut shared = Fields::new();
    for component in content
        .of_kind(Kind::ComponentTemplate)
        .filter(|r| r.log_type == "_common")
    {
        if let Some(mappings) = component.body.pointer("/template/mappings") {
            mapping::add_fields(&mut shared, mappings, &component.file);
        }
    }
    if shared.contains_key(top) {
        bail!("log type name `{name}` would put its fields under `{ns}`, inside the shared ECS field `{top}`: start the name with the vendor or product, e.g. `acme-{name}`");
    }
    let prefix = project
        .vars
        .get("index_prefix")
        .and_then(|v| v.as_str())
        .unwrap_or("log")
        .to_string();
    let pattern = match &args.index_pattern {
        None => format!("{{{{index_prefix}}}}-{name}-*"),
        Some(p) => {
            check_index_pattern(p)?;
            match p.strip_prefix(&format!("{prefix}-")) {
                Some(rest) => format!("{{{{index_prefix}}}}-{rest}"),
                None => p.clone(),
            }
        }
    };
    let rendered = pattern.replace("{{index_prefix}}", &prefix);
    for template in content.of_kind(Kind::IndexTemplate) {
        let theirs: Vec<&str> = match template.body.get("index_patterns") {
            Some(serde_json::Value::Array(items)) => {
                items.iter().filter_map(|v| v.as_str()).collect()
            }
            Some(serde_json::Value::String(s)) => vec![s.as_str()],
            _ => Vec::new(),
        };
        if let Some(other) = theirs.iter().find(|t| glob::overlaps(&rendered, t)) {
            bail!("the index pattern `{rendered}` overlaps `{other}` of `{}`: the new indices would get that template too; give another with --index-pattern, e.g. --index-pattern {prefix}-{}-*", template.file.display(), name.replace('-', ""));
        }
    }
    let spec = log_type::Spec {
        name: name.clone(),
        index_pattern: pattern,
    };
    let mut files = log_type::files(&spec);
    refuse_existing(&project.root, &files)?;
    let stage = Stage::new(&project.root)?;
    stage.write(&files)?;
    // The search, chart and dashboard, from the composed mapping of the staged log type.
    let (staged, problems) = content::load(&stage.root, project.version, project.vars.clone())?;
    let own: Vec<_> = problems
        .iter()
        .filter(|p| files.iter().any(|f| f.path == p.file))
        .collect();
    if let Some(problem) = own.first() {
        bail!("the new log type does not render ({problem}): this is a bug of siemctl new");
    }
    let view = log_type_view(&staged, &stage.root, &name)?;
    let search_id = format!("{name}-failures");
    let mut search_spec = search_spec(
        &name,
        &search_id,
        &format!("{name}: failed actions"),
        &view,
        Some("event.outcome:failure".into()),
    );
    search_spec.description = Some(format!(
        "Every action of {name} that failed (event.outcome:failure), newest first: who, from where."
    ));
    let vis_spec = visualization::Spec {
        log_type: name.clone(),
        id: format!("{name}-top-actions"),
        title: format!("{name}: top actions"),
        field: key_fields::aggregatable(&view.fields).unwrap_or_else(|| "event.action".into()),
        index_pattern: view.pattern.clone(),
    };
    let dash_spec = dashboard::Spec {
        log_type: name.clone(),
        id: name.clone(),
        title: name.clone(),
        description: format!("{name}: what happened, and what failed."),
        panels: vec![
            dashboard::Panel {
                kind: "visualization",
                id: vis_spec.id.clone(),
            },
            dashboard::Panel {
                kind: "search",
                id: search_id.clone(),
            },
        ],
    };
    let more = vec![
        search::file(&search_spec, "failures"),
        visualization::file(&vis_spec),
        dashboard::file(&dash_spec),
    ];
    refuse_existing(&project.root, &more)?;
    stage.write(&more)?;
    files.extend(more);
    files.extend(stage.generate_goldens(project, &name)?);
    stage.validate(project, &files)?;
    Ok(files)
}

fn check_index_pattern(pattern: &str) -> Result<()> {
    let ok = !pattern.is_empty()
        && pattern.contains('*')
        && !pattern.starts_with(['-', '_', '+'])
        && pattern.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | '*')
        });
    if ok {
        Ok(())
    } else {
        bail!("--index-pattern `{pattern}` is not an index pattern: lowercase letters, digits, `-`, `_`, `.` and a `*` where the date or suffix goes, e.g. log-acme-vpn-*")
    }
}

/// Every file must be new.
fn refuse_existing(root: &Path, files: &[NewFile]) -> Result<()> {
    for file in files {
        if root.join(&file.path).exists() {
            bail!(
                "`{}` already exists: siemctl new never overwrites a file; choose another --title (or --id), or edit that file",
                file.path.display()
            );
        }
    }
    Ok(())
}

fn write(root: &Path, files: &[NewFile]) -> Result<()> {
    refuse_existing(root, files)?;
    for file in files {
        let full = root.join(&file.path);
        if let Some(dir) = full.parent() {
            fs::create_dir_all(dir)
                .with_context(|| format!("cannot create `{}`", dir.display()))?;
        }
        fs::write(&full, &file.text)
            .with_context(|| format!("cannot write `{}`", file.path.display()))?;
    }
    Ok(())
}

/// A copy of the content folders in a temporary directory, removed when dropped: the new files
/// are checked there before anything is written to the content.
struct Stage {
    root: PathBuf,
}

impl Stage {
    fn new(content_root: &Path) -> Result<Stage> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let root = std::env::temp_dir().join(format!("siemctl-new-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&root).with_context(|| format!("cannot create `{}`", root.display()))?;
        let stage = Stage { root };
        for folder in FOLDERS {
            let from = content_root.join(folder);
            if from.is_dir() {
                copy_tree(&from, &stage.root.join(folder)).with_context(|| {
                    format!("cannot copy `{}` to a temporary directory", from.display())
                })?;
            }
        }
        Ok(stage)
    }

    fn write(&self, files: &[NewFile]) -> Result<()> {
        write(&self.root, files)
    }

    /// The golden files of the new log type, as `siemctl test --generate` writes them.
    fn generate_goldens(&self, project: &Project, log_type: &str) -> Result<Vec<NewFile>> {
        let (staged, _) = content::load(&self.root, project.version, project.vars.clone())?;
        let only = vec![log_type.to_string()];
        let (tests, problems) = case::discover(&self.root, &only)?;
        if let Some(problem) = problems.first() {
            bail!("the new test events do not read ({problem}): this is a bug of siemctl new");
        }
        let suite = Suite::new(&staged).map_err(|p| {
            anyhow!(
                "the new pipeline does not build ({}): this is a bug of siemctl new",
                p.first().map(ToString::to_string).unwrap_or_default()
            )
        })?;
        let mut goldens = Vec::new();
        let mut results = Vec::new();
        for file in tests {
            let index = file
                .config
                .index
                .clone()
                .or_else(|| suite.default_index(&file.log_type))
                .ok_or_else(|| anyhow!("no index for `{}`", file.path.display()))?;
            let run = suite.run(&file, &index);
            let checked = check(&file, &run, None, true);
            if let Some(failure) = checked.failures.first() {
                bail!(
                    "a new test event fails at {}:{} ({}): this is a bug of siemctl new",
                    file.path.display(),
                    failure.line,
                    failure.failure.message()
                );
            }
            goldens.push(NewFile::new(file.expected_path(), checked.golden.to_text()));
            results.push(FileResult {
                file,
                run,
                checked,
                written: None,
            });
        }
        let evaluated = queries::evaluate(&staged, &results, &only);
        let report = queries::judge(evaluated, &BTreeMap::new(), true);
        if let Some(failure) = report.failures.first() {
            bail!("the new saved search does not pass its query test ({}: {}): this is a bug of siemctl new", failure.key, failure.message);
        }
        for (lt, text) in report.goldens {
            goldens.push(NewFile::new(queries::golden_path(&lt), text));
        }
        self.write(&goldens)?;
        Ok(goldens)
    }

    /// The staged content with the new files must validate: no problem in a new file.
    fn validate(&self, project: &Project, files: &[NewFile]) -> Result<()> {
        let (staged, mut problems) =
            content::load(&self.root, project.version, project.vars.clone())?;
        problems.extend(checks::validate(&staged));
        let own: Vec<String> = problems
            .iter()
            .filter(|p| files.iter().any(|f| f.path == p.file))
            .map(|p| match &p.hint {
                Some(hint) => format!("{p} ({hint})"),
                None => p.to_string(),
            })
            .collect();
        if !own.is_empty() {
            bail!(
                "the new content would not validate, so nothing was written:\n  {}",
                own.join("\n  ")
            );
        }
        Ok(())
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
