//! `siemctl pull`: saved objects edited or made in Dashboards, back into the content files.
//!
//! Pull works whatever problems the content has (they are what it is there to fix): it reads
//! the content as it is, writes, and reports the problems after. `--new` lists the tenant's
//! saved objects that siemctl does not manage (one `_find` per page) and pulls the chosen
//! ones into files named after their titles; `--with-references` pulls what they reference
//! that the content lacks, one `_bulk_get` per level of references.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use serde_json::{json, Value};

use super::{block_on, connect_target, load_checked, warn_problems};
use crate::apply::live;
use crate::cli::{GlobalArgs, PullArgs};
use crate::cluster::Cluster;
use crate::content::canonical;
use crate::content::glob;
use crate::content::kind::Kind;
use crate::content::resource::Resource;
use crate::content::saved_search;
use crate::content::{self, valid_id, Content};
use crate::exit::ExitStatus;
use crate::format::template::Node;
use crate::format::{merge, search, template};
use crate::output::printer::{problem_summary, problems_json, Printer};
use crate::plan::normalize;
use crate::plan::plan::{desired_from, Drift};
use crate::scaffold::name;
use crate::settings::Project;

use super::plan::make_plan;

/// The saved-object kinds pull brings back (the advanced settings are edited by hand).
const PULLED: [Kind; 5] = [
    Kind::IndexPattern,
    Kind::Search,
    Kind::Query,
    Kind::Visualization,
    Kind::Dashboard,
];

/// One object to pull, as the cluster holds it.
struct Pick {
    kind: Kind,
    id: String,
    object: Value,
    /// The pick that referenced it (`--with-references`): its log type is the fallback.
    parent: Option<usize>,
}

impl Pick {
    fn title(&self) -> String {
        title_of(&self.object)
    }
}

fn title_of(object: &Value) -> String {
    object
        .pointer("/attributes/title")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

pub(crate) fn run(global: &GlobalArgs, args: &PullArgs, printer: Printer) -> Result<ExitStatus> {
    check_flags(args)?;
    block_on(async {
        // The content as it is: its problems do not stop pull, they are reported after.
        let project = Project::resolve(global, &args.vars)?;
        let (content, _) = content::load(&project.root, project.version, project.vars.clone())?;
        let cluster = connect_target(&project, &args.connect, printer).await?;
        let (mut picks, pool) = if args.new {
            match new_objects(&cluster, &content, args, printer).await? {
                Some(found) => found,
                None => return Ok(ExitStatus::Success),
            }
        } else {
            let wanted = if args.drifted {
                match drifted(&cluster, &content, &project, printer).await? {
                    Some(wanted) => wanted,
                    None => return Ok(ExitStatus::Success),
                }
            } else {
                args.objects
                    .iter()
                    .map(|o| parse_object(o))
                    .collect::<Result<Vec<_>>>()?
            };
            let found = fetch(&cluster, &wanted).await?;
            let mut picks = Vec::new();
            for ((kind, id), object) in wanted.into_iter().zip(found) {
                let Some(object) = object else {
                    bail!(
                        "{kind} `{id}` does not exist in the cluster (tenant {})",
                        cluster.tenant()
                    );
                };
                picks.push(Pick {
                    kind,
                    id,
                    object,
                    parent: None,
                });
            }
            (picks, BTreeMap::new())
        };
        if args.with_references {
            add_references(&cluster, &content, &mut picks, &pool, printer).await?;
        } else {
            hint_references(&content, &picks, printer);
        }
        let placed = place(&project.root, &content, &picks, args)?;
        let mut written = Vec::new();
        let mut unchanged = Vec::new();
        let mut joined = Vec::new();
        for (pick, place) in picks.iter().zip(placed) {
            match write_one(&project.root, &content, pick, place, printer)? {
                Written::Unchanged(path) => unchanged.push(
                    json!({"kind": pick.kind.name(), "id": pick.id, "file": path.display().to_string()}),
                ),
                Written::Written { path, new } => {
                    written.push(json!({"kind": pick.kind.name(), "id": pick.id, "file": path.display().to_string()}));
                    if new {
                        joined.push(pick);
                    }
                }
            }
        }
        // The content after the pull: its problems are reported, and the objects that joined
        // it are told how apply will take them.
        let (_, after, problems) = load_checked(global, &args.vars)?;
        let mut managed = Vec::new();
        for pick in &joined {
            let Some(resource) = after.get(pick.kind, &pick.id) else {
                continue;
            };
            let desired = normalize::desired(pick.kind, &resource.body);
            let same = normalize::live(pick.kind, &pick.object, Some(&desired)) == desired;
            if same {
                printer.status(&format!("{} `{}` is managed at the next apply: the cluster holds exactly what `{}` says, so apply records it without writing it (no --adopt needed)", pick.kind, pick.id, resource.file.display()));
                managed.push(json!({"kind": pick.kind.name(), "id": pick.id}));
            } else {
                printer.warn(&format!("{} `{}`: `{}` renders to something other than what the cluster holds (a template variable?): `siemctl plan` shows the difference, and `siemctl apply --adopt` replaces it with the content", pick.kind, pick.id, resource.file.display()));
            }
        }
        if printer.is_json() {
            printer.json(
                json!({ "pulled": written, "unchanged": unchanged, "managed_at_next_apply": managed, "problems": problems_json(&problems) }),
                Value::Null,
            );
        } else {
            warn_problems(printer, &problems);
            if problems.is_empty() {
                printer.data(&format!("Pulled {} objects; the content validates. Review with `git diff`, then `siemctl plan`.\n", written.len()));
            } else {
                printer.data(&format!("Pulled {} objects. The content has {} (above): fix them, or pull what they name (--with-references pulls what an object references), before `siemctl apply`.\n", written.len(), problem_summary(&problems)));
            }
        }
        Ok(ExitStatus::Success)
    })?
}

fn check_flags(args: &PullArgs) -> Result<()> {
    let modes = [!args.objects.is_empty(), args.drifted, args.new]
        .iter()
        .filter(|m| **m)
        .count();
    if modes > 1 {
        bail!("name objects, or pass --drifted, or --new: one of them");
    }
    if modes == 0 {
        bail!("name the objects to pull as KIND/ID (e.g. visualization/aws-cloudtrail-top-api-calls), or pass --drifted (edited in Dashboards) or --new (made in Dashboards)");
    }
    if !args.new && (!args.types.is_empty() || args.title.is_some() || args.yes || args.list) {
        bail!(
            "--type, --title, --yes and --list choose among the objects of --new: pass --new too"
        );
    }
    Ok(())
}

/// The saved objects edited in Dashboards since the last apply (none: `None`, said).
async fn drifted(
    cluster: &Cluster,
    content: &Content,
    project: &Project,
    printer: Printer,
) -> Result<Option<Vec<(Kind, String)>>> {
    let desired = desired_from(content);
    let snapshot = live::read(cluster, &desired).await?;
    let plan = make_plan(&desired, &snapshot, project.version, false);
    let drifted: Vec<_> = plan
        .changes
        .iter()
        .filter(|c| c.drift == Some(Drift::Edited) && c.kind.is_saved_object())
        .collect();
    if let Some(config) = drifted.iter().find(|c| c.kind == Kind::Config) {
        let file = content
            .get(Kind::Config, &config.id)
            .map(|r| r.file.display().to_string())
            .unwrap_or_default();
        printer.warn(&format!("the advanced settings were changed in Dashboards; pull does not bring settings back: edit `{file}` by hand (`siemctl plan` shows the difference)"));
    }
    let wanted: Vec<(Kind, String)> = drifted
        .iter()
        .filter(|c| c.kind != Kind::Config)
        .map(|c| (c.kind, c.id.clone()))
        .collect();
    if wanted.is_empty() {
        printer.data("Nothing to pull: no saved object was edited in Dashboards since the last apply (objects made in Dashboards: `siemctl pull --new`).\n");
        return Ok(None);
    }
    Ok(Some(wanted))
}

async fn fetch(cluster: &Cluster, wanted: &[(Kind, String)]) -> Result<Vec<Option<Value>>> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let request: Vec<(String, String)> = wanted
        .iter()
        .map(|(k, id)| {
            (
                k.saved_object_type().unwrap_or_default().to_string(),
                id.clone(),
            )
        })
        .collect();
    cluster
        .bulk_get(&request)
        .await
        .context("cannot read the saved objects")
}

/// The objects for `--new`: the tenant's saved objects that are neither in the content nor
/// in siemctl's records, narrowed by `--type` and `--title`, then listed (`--list`: only that)
/// and chosen: all of them with `--yes`; on a terminal, the ones the user names; otherwise
/// (no terminal, `--output json`) the one `--type`/`--title` leave, and more is an error
/// saying what to add. Also every object read, for `--with-references`. `None` when nothing
/// is chosen.
#[allow(clippy::type_complexity)]
async fn new_objects(
    cluster: &Cluster,
    content: &Content,
    args: &PullArgs,
    printer: Printer,
) -> Result<Option<(Vec<Pick>, BTreeMap<(Kind, String), Value>)>> {
    let kinds: Vec<Kind> = if args.types.is_empty() {
        PULLED.to_vec()
    } else {
        args.types
            .iter()
            .map(|t| parse_kind(t))
            .collect::<Result<_>>()?
    };
    let types: Vec<&str> = PULLED
        .iter()
        .filter_map(|k| k.saved_object_type())
        .collect();
    let desired = desired_from(content);
    // The state (and the server checks) beside the pages of `_find`.
    let (snapshot, found) = tokio::join!(live::read(cluster, &desired), cluster.find_all(&types));
    let snapshot = snapshot?;
    let found =
        found.context("cannot list the tenant's saved objects (GET /api/saved_objects/_find)")?;
    let state = snapshot.merged_state();
    let mut pool = BTreeMap::new();
    for object in found {
        let kind = object
            .get("type")
            .and_then(Value::as_str)
            .and_then(Kind::from_saved_object_type);
        let id = object.get("id").and_then(Value::as_str).map(str::to_string);
        if let (Some(kind), Some(id)) = (kind, id) {
            pool.insert((kind, id), object);
        }
    }
    let title_glob = args.title.as_deref().map(str::to_lowercase);
    let mut listed: Vec<(&(Kind, String), &Value)> = pool
        .iter()
        .filter(|((kind, id), _)| {
            kinds.contains(kind)
                && !content.declares(*kind, id)
                && !state.objects.contains_key(&crate::state::key(*kind, id))
        })
        .filter(|(_, object)| {
            title_glob
                .as_deref()
                .is_none_or(|g| title_matches(g, &title_of(object).to_lowercase()))
        })
        .collect();
    listed.sort_by_key(|((kind, id), object)| (*kind, title_of(object), id.clone()));
    let what = match (&args.title, args.types.is_empty()) {
        (Some(t), _) => format!(" with a title matching `{t}`"),
        (None, false) => format!(" of type {}", args.types.join(", ")),
        (None, true) => String::new(),
    };
    if listed.is_empty() && printer.is_json() && !args.list {
        // The pull document, with nothing pulled (and the content's problems).
        return Ok(Some((Vec::new(), pool)));
    }
    if listed.is_empty() && !printer.is_json() {
        printer.data(&format!(
            "Nothing new{what}: every saved object of tenant {} is in the content or managed by siemctl.\n",
            cluster.tenant()
        ));
        return Ok(None);
    }
    if args.list {
        if printer.is_json() {
            let objects: Vec<Value> = listed
                .iter()
                .map(|((kind, id), object)| {
                    json!({
                        "type": kind.saved_object_type().unwrap_or_default(),
                        "id": id,
                        "title": title_of(object),
                        "updated": object.get("updated_at").cloned().unwrap_or(Value::Null),
                    })
                })
                .collect();
            printer.json(
                json!({"tenant": cluster.tenant(), "objects": objects}),
                Value::Null,
            );
        } else {
            printer.data(&listing(&listed, cluster.tenant(), &what));
        }
        return Ok(None);
    }
    // Asked on a terminal; otherwise (CI, --output json) nothing is guessed: all with --yes,
    // or the one object --type/--title leave.
    let terminal = !printer.is_json() && std::io::stdin().is_terminal();
    let selected = args.title.is_some() || !args.types.is_empty();
    if !printer.is_json() {
        printer.data(&listing(&listed, cluster.tenant(), &what));
    }
    let decided = args.yes || terminal || (selected && listed.len() == 1);
    if !decided {
        let n = listed.len();
        let (objects, which) = if n == 1 {
            ("1 new saved object".to_string(), "whether to pull it")
        } else {
            (format!("{n} new saved objects"), "which of them to pull")
        };
        let asking = if printer.is_json() {
            format!(", and --output json does not ask {which}")
        } else {
            format!(" and no terminal to ask {which} (stdin is not a terminal)")
        };
        bail!("{objects}{what}{asking}: nothing was written\nhint: pass --yes to pull {}, or narrow with --title GLOB or --type KIND to the one to pull (`siemctl pull --new --list` lists them)", if n == 1 { "it" } else { "all of them" });
    }
    let chosen: Vec<usize> = if terminal && !args.yes {
        match choose(listed.len())? {
            Some(chosen) => chosen,
            None => {
                printer.data("Nothing pulled.\n");
                return Ok(None);
            }
        }
    } else {
        (0..listed.len()).collect()
    };
    let picks = chosen
        .into_iter()
        .map(|i| {
            let ((kind, id), object) = listed[i];
            Pick {
                kind: *kind,
                id: id.clone(),
                object: object.clone(),
                parent: None,
            }
        })
        .collect();
    Ok(Some((picks, pool)))
}

/// `*` matches any run of characters (titles are compared lowercased).
fn title_matches(pattern: &str, title: &str) -> bool {
    if pattern.contains('*') {
        glob::matches(pattern, &title.replace('*', " "))
    } else {
        pattern == title
    }
}

/// The table of objects `--new` found.
fn listing(listed: &[(&(Kind, String), &Value)], tenant: &str, what: &str) -> String {
    let rows: Vec<[String; 5]> = listed
        .iter()
        .enumerate()
        .map(|(i, ((kind, id), object))| {
            [
                (i + 1).to_string(),
                kind.saved_object_type().unwrap_or_default().to_string(),
                title_of(object),
                id.clone(),
                object
                    .get("updated_at")
                    .and_then(Value::as_str)
                    .unwrap_or("-")
                    .to_string(),
            ]
        })
        .collect();
    let header = ["#", "TYPE", "TITLE", "ID", "UPDATED"].map(str::to_string);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = format!(
        "{} saved object{}{what} in tenant {tenant} that siemctl does not manage:\n",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::from(" ");
        for (cell, w) in row.iter().zip(widths) {
            line.push_str(&format!(" {cell:<w$}"));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Asks which of `n` listed objects to pull: numbers and ranges (`1 3 5-7`), `all`, or
/// nothing (none).
fn choose(n: usize) -> Result<Option<Vec<usize>>> {
    loop {
        eprint!("Pull which? Numbers and ranges (1 3 5-7), `all`, or nothing to stop: ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        if std::io::stdin().lock().read_line(&mut answer)? == 0 {
            return Ok(None);
        }
        match parse_choice(answer.trim(), n) {
            Ok(None) => return Ok(None),
            Ok(Some(chosen)) => return Ok(Some(chosen)),
            Err(why) => eprintln!("{why}"),
        }
    }
}

/// `1 3 5-7` (1-based, commas or spaces), `all`; empty is none. Indices 0-based, in order.
fn parse_choice(answer: &str, n: usize) -> std::result::Result<Option<Vec<usize>>, String> {
    if answer.is_empty() {
        return Ok(None);
    }
    if answer.eq_ignore_ascii_case("all") {
        return Ok(Some((0..n).collect()));
    }
    let mut chosen = BTreeSet::new();
    for part in answer.split([' ', ',']).filter(|p| !p.is_empty()) {
        let number = |s: &str| {
            s.trim()
                .parse::<usize>()
                .ok()
                .filter(|i| (1..=n).contains(i))
                .ok_or_else(|| format!("`{s}` is not one of the numbers 1 to {n}"))
        };
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (number(a)?, number(b)?);
                chosen.extend((a.min(b)..=a.max(b)).map(|i| i - 1));
            }
            None => {
                chosen.insert(number(part)? - 1);
            }
        }
    }
    Ok(Some(chosen.into_iter().collect()))
}

/// The saved objects an object references (`references`), of the kinds pull brings back.
fn references(object: &Value) -> Vec<(Kind, String)> {
    object
        .get("references")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let kind = Kind::from_saved_object_type(r.get("type")?.as_str()?)?;
            let id = r.get("id")?.as_str()?;
            PULLED.contains(&kind).then(|| (kind, id.to_string()))
        })
        .collect()
}

/// `--with-references`: what the picked objects reference that the content lacks, added to
/// them, level by level (a dashboard's visualizations, then their searches and index
/// patterns): one `_bulk_get` per level, none for what `--new` has read already.
async fn add_references(
    cluster: &Cluster,
    content: &Content,
    picks: &mut Vec<Pick>,
    pool: &BTreeMap<(Kind, String), Value>,
    printer: Printer,
) -> Result<()> {
    let mut seen: HashSet<(Kind, String)> = picks.iter().map(|p| (p.kind, p.id.clone())).collect();
    let mut from = 0;
    loop {
        let mut wanted: Vec<((Kind, String), usize)> = Vec::new();
        for (at, pick) in picks.iter().enumerate().skip(from) {
            for key in references(&pick.object) {
                if !content.declares(key.0, &key.1) && seen.insert(key.clone()) {
                    wanted.push((key, at));
                }
            }
        }
        from = picks.len();
        if wanted.is_empty() {
            return Ok(());
        }
        let unread: Vec<(Kind, String)> = wanted
            .iter()
            .map(|(key, _)| key.clone())
            .filter(|key| !pool.contains_key(key))
            .collect();
        let read: BTreeMap<(Kind, String), Option<Value>> = unread
            .iter()
            .cloned()
            .zip(fetch(cluster, &unread).await?)
            .collect();
        for ((kind, id), parent) in wanted {
            let key = (kind, id);
            let object = pool
                .get(&key)
                .cloned()
                .or_else(|| read.get(&key).cloned().flatten());
            let by = &picks[parent];
            let (kind, id) = key;
            match object {
                Some(object) => {
                    printer.status(&format!(
                        "{} `{}` references {kind} `{id}`, which the content lacks: pulled too",
                        by.kind, by.id
                    ));
                    picks.push(Pick {
                        kind,
                        id,
                        object,
                        parent: Some(parent),
                    });
                }
                None => printer.warn(&format!(
                    "{} `{}` references {kind} `{id}`, which the cluster does not have either: it stays missing (remove the reference in Dashboards, or add the object to the content)",
                    by.kind, by.id
                )),
            }
        }
    }
}

/// Without `--with-references`: the references the content will lack, said before pulling.
fn hint_references(content: &Content, picks: &[Pick], printer: Printer) {
    let picked: HashSet<(Kind, &str)> = picks.iter().map(|p| (p.kind, p.id.as_str())).collect();
    for pick in picks {
        let lacking: Vec<String> = references(&pick.object)
            .into_iter()
            .filter(|(k, id)| !content.declares(*k, id) && !picked.contains(&(*k, id.as_str())))
            .map(|(k, id)| format!("{}/{id}", k.saved_object_type().unwrap_or_default()))
            .collect();
        if !lacking.is_empty() {
            printer.warn(&format!(
                "{} `{}` references what the content lacks: {}; pull those too (or pass --with-references), or the content will not validate until you do",
                pick.kind,
                pick.id,
                lacking.join(", ")
            ));
        }
    }
}

/// Where a picked object goes.
struct Placed {
    log_type: String,
    path: PathBuf,
    /// For a new search that the YAML form may not hold: the JSON file it goes to instead.
    json_fallback: Option<PathBuf>,
}

/// The log type and file of every picked object; every object whose log type cannot be told is
/// named at once, before anything is written.
fn place(root: &Path, content: &Content, picks: &[Pick], args: &PullArgs) -> Result<Vec<Placed>> {
    let mut placed: Vec<Placed> = Vec::with_capacity(picks.len());
    let mut errors = Vec::new();
    let mut taken: HashSet<PathBuf> = HashSet::new();
    for pick in picks {
        let (kind, id) = (pick.kind, pick.id.as_str());
        let existing = content.get(kind, id);
        if existing.is_none() && content.declares(kind, id) {
            errors.push(format!("{kind} `{id}` is in the content, but its file does not render: fix what `siemctl validate` reports for it, then pull again"));
            continue;
        }
        if existing.is_none() && !valid_id(id) {
            errors.push(format!("{kind} `{id}` (\"{}\"): this id cannot be a content id (letters, digits, `-`, `_` and `.`, not starting with `.`): copy the object in Dashboards, which gives the copy a new id", pick.title()));
            continue;
        }
        let parent = pick
            .parent
            .and_then(|p| placed.get(p))
            .map(|p: &Placed| p.log_type.clone());
        let log_type = match existing {
            Some(resource) => resource.log_type.clone(),
            None => match args.log_type.clone() {
                Some(log_type) => log_type,
                None => match infer_log_type(content, picks, pick) {
                    Ok(log_type) => log_type,
                    Err(why) => match parent {
                        Some(log_type) if why.none => log_type,
                        _ => {
                            errors.push(format!(
                                "cannot tell which log type {kind} `{id}` (\"{}\") belongs to: {}",
                                pick.title(),
                                why.message
                            ));
                            continue;
                        }
                    },
                },
            },
        };
        let dashboards = PathBuf::from("dashboards").join(&log_type);
        let is_search = matches!(kind, Kind::Search | Kind::Query);
        let place = match existing {
            Some(resource) if args.as_json && is_yaml(&resource.file) => Placed {
                path: dashboards.join(format!("{id}{}", kind.file_suffix())),
                log_type,
                json_fallback: None,
            },
            Some(resource) => Placed {
                path: resource.file.clone(),
                log_type,
                json_fallback: None,
            },
            None => {
                let name = name::file_stem(&pick.title(), id);
                let json = free_path(root, &dashboards, &name, kind.file_suffix(), &taken);
                if is_search && !args.as_json {
                    let yaml = free_path(
                        root,
                        &PathBuf::from("saved-searches").join(&log_type),
                        &name,
                        ".yaml",
                        &taken,
                    );
                    Placed {
                        path: yaml,
                        log_type,
                        json_fallback: Some(json),
                    }
                } else {
                    Placed {
                        path: json,
                        log_type,
                        json_fallback: None,
                    }
                }
            }
        };
        taken.insert(place.path.clone());
        taken.extend(place.json_fallback.clone());
        placed.push(place);
    }
    if !errors.is_empty() {
        bail!(
            "{}\nhint: pass --log-type NAME for objects not yet in the content (their files go in dashboards/NAME/ and saved-searches/NAME/); nothing was written",
            errors.join("\n")
        );
    }
    Ok(placed)
}

/// Why no single log type was found.
struct Undecided {
    /// No index pattern to go by (as opposed to several log types).
    none: bool,
    message: String,
}

/// The log type of an object not yet in the content, from the index patterns it references
/// (directly, or through the visualizations and searches it references): an index pattern of
/// the content is in its log type's folder; another one belongs to the log types whose index
/// pattern has its title, or else whose index templates cover its title.
fn infer_log_type(content: &Content, picks: &[Pick], pick: &Pick) -> Result<String, Undecided> {
    let body_of = |kind: Kind, id: &str| -> Option<Value> {
        picks
            .iter()
            .find(|p| p.kind == kind && p.id == id)
            .map(|p| p.object.clone())
            .or_else(|| content.get(kind, id).map(|r| r.body.clone()))
    };
    // The index patterns reachable from the object.
    let mut patterns = BTreeSet::new();
    let mut seen = HashSet::new();
    let mut queue = vec![(pick.kind, pick.id.clone())];
    while let Some((kind, id)) = queue.pop() {
        if !seen.insert((kind, id.clone())) {
            continue;
        }
        if kind == Kind::IndexPattern {
            patterns.insert(id);
            continue;
        }
        if let Some(body) = body_of(kind, &id) {
            queue.extend(references(&body));
        }
    }
    if patterns.is_empty() {
        return Err(Undecided {
            none: true,
            message: "it references no index pattern".into(),
        });
    }
    // Log type → why (the index pattern that puts the object there).
    let mut candidates: BTreeMap<String, String> = BTreeMap::new();
    let mut unknown = Vec::new();
    for pattern in &patterns {
        if let Some(resource) = content.get(Kind::IndexPattern, pattern) {
            candidates
                .entry(resource.log_type.clone())
                .or_insert_with(|| {
                    format!(
                        "index pattern `{pattern}` is in {}",
                        resource.file.display()
                    )
                });
            continue;
        }
        let Some(title) = body_of(Kind::IndexPattern, pattern).map(|b| title_of(&b)) else {
            unknown.push(format!(
                "`{pattern}` (not in the content; --with-references pulls it)"
            ));
            continue;
        };
        let same_title: Vec<&Resource> = content
            .of_kind(Kind::IndexPattern)
            .filter(|r| title_of(&r.body) == title && r.log_type != "_common")
            .collect();
        let before = candidates.len();
        for r in &same_title {
            candidates
                .entry(r.log_type.clone())
                .or_insert_with(|| format!("`{title}` is the title of {}", r.file.display()));
        }
        if same_title.is_empty() {
            for template in content.of_kind(Kind::IndexTemplate) {
                if template.log_type == "_common" {
                    continue;
                }
                let covered = template
                    .body
                    .get("index_patterns")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .find(|p| glob::overlaps(p, &title));
                if let Some(p) = covered {
                    candidates
                        .entry(template.log_type.clone())
                        .or_insert_with(|| {
                            format!("`{title}` overlaps `{p}` of {}", template.file.display())
                        });
                }
            }
        }
        if candidates.len() == before
            && !candidates
                .values()
                .any(|w| w.contains(&format!("`{title}`")))
        {
            unknown.push(format!("`{title}` ({pattern})"));
        }
    }
    match candidates.len() {
        1 => Ok(candidates.into_keys().next().unwrap_or_default()),
        0 => Err(Undecided {
            none: false,
            message: format!(
                "its index pattern{} {} {} no log type of the content",
                if unknown.len() == 1 { "" } else { "s" },
                unknown.join(", "),
                if unknown.len() == 1 {
                    "matches"
                } else {
                    "match"
                }
            ),
        }),
        _ => Err(Undecided {
            none: false,
            message: format!(
                "it could be of several log types: {}",
                candidates
                    .iter()
                    .map(|(lt, why)| format!("{lt} ({why})"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }),
    }
}

/// `dir/name<suffix>`, or `dir/name-2<suffix>`, ...: the first that is neither a file nor
/// taken by another object of this pull.
fn free_path(
    root: &Path,
    dir: &Path,
    name: &str,
    suffix: &str,
    taken: &HashSet<PathBuf>,
) -> PathBuf {
    (1..)
        .map(|n| {
            let stem = if n == 1 {
                name.to_string()
            } else {
                format!("{name}-{n}")
            };
            dir.join(format!("{stem}{suffix}"))
        })
        .find(|p| !taken.contains(p) && !root.join(p).exists())
        .unwrap_or_else(|| dir.join(format!("{name}{suffix}")))
}

enum Written {
    Unchanged(PathBuf),
    Written { path: PathBuf, new: bool },
}

/// Writes one object into its file, as little changed as the object allows.
fn write_one(
    root: &Path,
    content: &Content,
    pick: &Pick,
    placed: Placed,
    printer: Printer,
) -> Result<Written> {
    let (kind, id, object) = (pick.kind, pick.id.as_str(), &pick.object);
    let body = normalize::live(kind, object, None);
    let existing = content.get(kind, id);
    let log_type = placed.log_type.as_str();
    let mut path = placed.path;
    let same_file = existing.is_some_and(|r| r.file == path);
    // An object that did not change leaves its file as it is.
    if let Some(resource) = existing.filter(|_| same_file) {
        if normalize::desired(kind, &resource.body) == body {
            printer.status(&format!(
                "{kind} `{id}` is as `{}` has it: not written",
                path.display()
            ));
            return Ok(Written::Unchanged(path));
        }
    }
    let old_text = if same_file {
        fs::read_to_string(root.join(&path)).ok()
    } else {
        None
    };
    let text = if is_yaml(&path) {
        match yaml_of(content, kind, id, log_type, &body, object, &path) {
            Ok(generated) => match &old_text {
                Some(old) => search::update(old, &generated, &|text| {
                    yaml_holds(content, kind, log_type, object, &path, text).is_ok()
                }),
                None => generated,
            },
            Err(why) => match placed.json_fallback {
                Some(json) => {
                    printer.warn(&format!(
                        "{kind} `{id}` (\"{}\") is written as JSON, `{}`, not as a YAML search: {why}",
                        pick.title(),
                        json.display()
                    ));
                    path = json;
                    json_text(None, None, &body, &path, id, printer)
                }
                None => bail!("cannot pull {kind} `{id}` into `{}`: {why}\nhint: pass --as-json to keep it as a JSON saved object in dashboards/{log_type}/ instead", path.display()),
            },
        }
    } else {
        json_text(old_text.as_deref(), existing, &body, &path, id, printer)
    };
    let full = root.join(&path);
    if let Some(parent) = full.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    fs::write(&full, text).with_context(|| format!("cannot write `{}`", full.display()))?;
    if let Some(old) = existing.map(|r| &r.file).filter(|old| **old != path) {
        fs::remove_file(root.join(old))
            .with_context(|| format!("cannot remove `{}`", old.display()))?;
        printer.status(&format!(
            "Removed `{}`, replaced by `{}`",
            old.display(),
            path.display()
        ));
    }
    printer.status(&format!("Pulled {kind} `{id}` into `{}`", path.display()));
    Ok(Written::Written {
        path,
        new: existing.is_none(),
    })
}

/// `KIND` as pull names it: `visualization`, `index-pattern` (or `index_pattern`), ...
fn parse_kind(text: &str) -> Result<Kind> {
    PULLED
        .into_iter()
        .find(|k| k.name() == text || k.saved_object_type() == Some(text))
        .with_context(|| {
            format!("`{text}` is not a kind pull brings back: index-pattern, search, query, visualization or dashboard")
        })
}

/// `visualization/id` or `index-pattern/id`.
fn parse_object(text: &str) -> Result<(Kind, String)> {
    let (kind, id) = text
        .split_once('/')
        .filter(|(k, id)| !k.is_empty() && !id.is_empty())
        .with_context(|| {
            format!("`{text}` is not KIND/ID, e.g. visualization/aws-cloudtrail-top-api-calls")
        })?;
    let kind = Kind::ALL
        .into_iter()
        .find(|k| k.name() == kind || k.saved_object_type() == Some(kind))
        .with_context(|| format!("unknown kind `{kind}` in `{text}`"))?;
    if !kind.is_saved_object() || kind == Kind::Config {
        bail!("`{text}`: pull brings back saved objects (index-pattern, search, query, visualization, dashboard)");
    }
    // The id becomes a file name: nothing that could leave the content folder.
    if !valid_id(id) {
        bail!("`{id}` cannot be a content file name: pull takes ids of letters, digits, `-`, `_` and `.`");
    }
    Ok((kind, id.to_string()))
}

fn is_yaml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

/// Whether a JSON content file's name says the object's id (or the file needs an `id`).
fn named_by_id(path: &Path, id: &str) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(Kind::from_file_name)
        .is_some_and(|(_, stem)| stem == id)
}

/// The JSON file of a pulled object: laid over the file it replaces, so that only what changed
/// changes and template expressions stay where they still hold (see [`merge`]); a new file in
/// the layout, keys sorted, with the object's `id` first when the file name is not the id.
fn json_text(
    old: Option<&str>,
    existing: Option<&Resource>,
    body: &Value,
    path: &Path,
    id: &str,
    printer: Printer,
) -> String {
    let mut body = body.clone();
    let fresh = |body: &Value| {
        let mut node = merge::node_of(&canonical::sorted(body));
        if let Node::Object(members) = &mut node {
            members.retain(|(k, _)| k != "\"id\"");
            if !named_by_id(path, id) {
                members.insert(0, ("\"id\"".into(), merge::node_of(&json!(id))));
            }
        }
        template::write(&node)
    };
    let (Some(old), Some(resource)) = (old, existing) else {
        return fresh(&body);
    };
    if !named_by_id(path, id) {
        if let Some(map) = body.as_object_mut() {
            map.insert("id".into(), json!(id));
        }
    }
    match template::read(old) {
        Ok(tree) => {
            let mut lost = Vec::new();
            let merged = merge::merge(&tree, &resource.body, &body, &mut lost);
            for leaf in lost {
                printer.warn(&format!(
                    "`{}`: `{}` was {} in the file, and Dashboards now holds another value: written out as it is (put the expression back if it should stay)",
                    path.display(),
                    leaf.pointer,
                    leaf.was
                ));
            }
            template::write(&merged)
        }
        Err(err) => {
            if template::has_expression(old) {
                printer.warn(&format!("`{}` could not be merged ({err}): written whole, with the values of its template expressions written out: put the {{{{...}}}} back where they belong (see `git diff`)", path.display()));
            }
            fresh(&body)
        }
    }
}

/// The index pattern a search of this log type is bound to when its YAML names none.
fn default_pattern<'a>(content: &'a Content, log_type: &str) -> Option<&'a str> {
    let patterns: Vec<&str> = content
        .of_kind(Kind::IndexPattern)
        .filter(|p| p.log_type == log_type)
        .map(|p| p.id.as_str())
        .collect();
    patterns.first().copied().filter(|_| patterns.len() == 1)
}

/// The YAML of a saved search or query, checked by reading it back: it must turn into the very
/// object the cluster holds, or the YAML format cannot express it (the reason says what).
fn yaml_of(
    content: &Content,
    kind: Kind,
    id: &str,
    log_type: &str,
    body: &Value,
    live: &Value,
    path: &Path,
) -> std::result::Result<String, String> {
    let yaml = saved_search::to_yaml(id, body, default_pattern(content, log_type))?;
    yaml_holds(content, kind, log_type, live, path, &yaml)?;
    Ok(yaml)
}

/// Whether a saved-search YAML text makes the very object the cluster holds; if not, which
/// attributes it cannot hold.
fn yaml_holds(
    content: &Content,
    kind: Kind,
    log_type: &str,
    live: &Value,
    path: &Path,
    yaml: &str,
) -> std::result::Result<(), String> {
    let reparsed = saved_search::parse(path, yaml).map_err(|p| {
        p.iter()
            .map(|p| p.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let binding = reparsed
        .file
        .index_pattern
        .as_ref()
        .map(|p| p.value.clone())
        .or(default_pattern(content, log_type).map(str::to_string))
        .unwrap_or_default();
    if reparsed.kind != kind {
        return Err(format!("the YAML reads back as a {}", reparsed.kind));
    }
    let made = normalize::desired(kind, &reparsed.to_body(&binding));
    let held = normalize::live(kind, live, None);
    let mut differences = Vec::new();
    differ(&made, &held, "", &mut differences);
    if differences.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = differences
        .iter()
        .take(3)
        .map(|(pointer, value)| format!("`{pointer}` ({})", value_text(value)))
        .collect();
    Err(format!(
        "the YAML form cannot hold {}{}",
        shown.join(", "),
        if differences.len() > 3 {
            format!(" and {} more", differences.len() - 3)
        } else {
            String::new()
        }
    ))
}

/// What Dashboards holds at a pointer, short.
fn value_text(value: &Option<Value>) -> String {
    match value {
        None => "which Dashboards does not have".into(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > 60 {
                format!(
                    "Dashboards has {}...",
                    text.chars().take(57).collect::<String>()
                )
            } else {
                format!("Dashboards has {text}")
            }
        }
    }
}

/// The pointers where `made` (what the YAML makes) and `held` (what Dashboards holds) differ,
/// with the held value: as deep as both are objects, or arrays of the same length.
fn differ(made: &Value, held: &Value, pointer: &str, out: &mut Vec<(String, Option<Value>)>) {
    match (made, held) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let at = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => differ(x, y, &at, out),
                    (None, Some(y)) => out.push((at, Some(y.clone()))),
                    (Some(_), None) => out.push((at, None)),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differ(x, y, &format!("{pointer}/{i}"), out);
            }
        }
        _ if made == held => {}
        _ => out.push((pointer.to_string(), Some(held.clone()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_are_numbers_ranges_or_all() {
        assert_eq!(parse_choice("", 5), Ok(None));
        assert_eq!(parse_choice("all", 3), Ok(Some(vec![0, 1, 2])));
        assert_eq!(parse_choice("1 3-4,2", 5), Ok(Some(vec![0, 1, 2, 3])));
        assert!(parse_choice("7", 5).unwrap_err().contains("1 to 5"));
    }

    #[test]
    fn differences_name_the_attribute() {
        let made =
            json!({"attributes": {"title": "t", "source": {"filter": [{"meta": {"key": "a"}}]}}});
        let held = json!({"attributes": {"title": "t", "source": {"filter": [{"meta": {"key": "a", "alias": "x"}}]}}});
        let mut out = Vec::new();
        differ(&made, &held, "", &mut out);
        assert_eq!(
            out,
            vec![(
                "/attributes/source/filter/0/meta/alias".to_string(),
                Some(json!("x"))
            )]
        );
    }
}
