//! The content: files on disk → rendered objects ([`Resource`]) → validation problems.
//!
//! Pure apart from reading the content files: nothing here talks to a cluster.

pub(crate) mod canonical;
pub(crate) mod catalogue;
pub(crate) mod date_format;
pub(crate) mod field_roles;
pub(crate) mod glob;
pub(crate) mod kind;
pub(crate) mod load;
pub(crate) mod locate;
pub(crate) mod mapping;
pub(crate) mod pipeline_rules;
pub(crate) mod problem;
pub(crate) mod render;
pub(crate) mod resource;
pub(crate) mod saved_object;
pub(crate) mod saved_search;
pub(crate) mod suggest;
pub(crate) mod validate;
pub(crate) mod vars;
pub(crate) mod version;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use self::kind::Kind;
use self::load::FileKind;
use self::problem::Problem;
use self::render::Renderer;
use self::resource::Resource;
use self::saved_search::SavedSearch;
use self::version::ContentVersion;

/// Errors that stop loading altogether (as opposed to [`Problem`]s in the content).
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("no content in `{}`: expected index-templates/, dashboards/ or saved-searches/ there", .0.display())]
    NoContent(PathBuf),
    #[error("cannot read `{}`", .0.display())]
    Read(PathBuf, #[source] std::io::Error),
}

/// A saved search with where it came from.
#[derive(Debug)]
pub(crate) struct LoadedSearch {
    pub(crate) file: PathBuf,
    pub(crate) index_pattern: String,
    pub(crate) search: SavedSearch,
}

/// The rendered content set.
#[derive(Debug)]
pub(crate) struct Content {
    /// The content directory the files are relative to.
    pub(crate) root: PathBuf,
    pub(crate) version: ContentVersion,
    /// Every object, sorted by kind (apply order) then id.
    pub(crate) resources: Vec<Resource>,
    pub(crate) searches: Vec<LoadedSearch>,
    /// Objects whose files failed to render: they exist, so references to them are not
    /// reported a second time, but they have no body to check.
    pub(crate) failed: Vec<(Kind, String)>,
    /// Kind → id → position in `resources` (the first of the objects with that id), and the
    /// ids of `failed`: references are resolved by lookup, not by a scan of every object.
    index: HashMap<Kind, HashMap<String, usize>>,
    failed_ids: HashMap<Kind, HashSet<String>>,
    /// The warnings of values the field checks could not check (a date format the engine
    /// cannot read), kept by the field checks of `validate` for `validate::warnings`: one run
    /// of the field checks gives both.
    pub(crate) unchecked_values: OnceLock<Vec<Problem>>,
    /// The field catalogue ([`catalogue::Catalogue::of`]), made once on first use: the field
    /// checks and the field-role warnings of `validate` both read it.
    catalogue: OnceLock<catalogue::Catalogue>,
}

impl Content {
    pub(crate) fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Resource> {
        self.resources.iter().filter(move |r| r.kind == kind)
    }

    /// Every field of every log type, from the composed mappings (made on first use).
    pub(crate) fn catalogue(&self) -> &catalogue::Catalogue {
        self.catalogue
            .get_or_init(|| catalogue::Catalogue::of(self))
    }

    pub(crate) fn get(&self, kind: Kind, id: &str) -> Option<&Resource> {
        let at = *self.index.get(&kind)?.get(id)?;
        self.resources.get(at)
    }

    /// Whether the content has an object of this kind and id, rendered or not.
    pub(crate) fn declares(&self, kind: Kind, id: &str) -> bool {
        self.get(kind, id).is_some()
            || self
                .failed_ids
                .get(&kind)
                .is_some_and(|ids| ids.contains(id))
    }

    /// Ends the content's life without freeing its memory, for a command that is done with it
    /// and about to exit: the process gives its memory back at once, where freeing the many
    /// small allocations of thousands of objects one by one costs measurable time.
    pub(crate) fn forget(self) {
        std::mem::forget(self);
    }

    fn new(
        root: &Path,
        version: ContentVersion,
        resources: Vec<Resource>,
        searches: Vec<LoadedSearch>,
        failed: Vec<(Kind, String)>,
    ) -> Self {
        let mut index: HashMap<Kind, HashMap<String, usize>> = HashMap::new();
        for (at, r) in resources.iter().enumerate() {
            index
                .entry(r.kind)
                .or_default()
                .entry(r.id.clone())
                .or_insert(at);
        }
        let mut failed_ids: HashMap<Kind, HashSet<String>> = HashMap::new();
        for (kind, id) in &failed {
            failed_ids.entry(*kind).or_default().insert(id.clone());
        }
        Content {
            root: root.to_path_buf(),
            version,
            resources,
            searches,
            failed,
            index,
            failed_ids,
            unchecked_values: OnceLock::new(),
            catalogue: OnceLock::new(),
        }
    }
}

/// Renders every content file under `root`. Problems in single files are collected, not fatal:
/// the objects that did render are returned beside them.
pub(crate) fn load(
    root: &Path,
    version: ContentVersion,
    vars: Map<String, Value>,
) -> Result<(Content, Vec<Problem>), Error> {
    let (files, mut problems) = load::discover(root)?;
    let renderer = Renderer::new(vars);
    let mut resources = Vec::new();
    let mut yaml_files = Vec::new();
    let mut failed = Vec::new();
    for file in files {
        if let FileKind::Refused { kind, id } = &file.what {
            failed.push((*kind, id.clone()));
            continue;
        }
        let text = match fs::read_to_string(root.join(&file.path)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                // Never echo a file that is not text: it could be anything.
                problems.push(
                    Problem::new(&file.path, "this file is not UTF-8 text")
                        .with_hint("save it as UTF-8 (every content file is JSON or YAML text)"),
                );
                if let FileKind::Template { kind, id } = &file.what {
                    failed.push((*kind, id.clone()));
                }
                continue;
            }
            Err(e) => return Err(Error::Read(file.path.clone(), e)),
        };
        match &file.what {
            FileKind::Refused { .. } => {}
            FileKind::SavedSearch => yaml_files.push((file, text)),
            FileKind::Template { kind, id } => match renderer.render_json(&file.path, &text) {
                Ok((rendered, body)) => {
                    let mut resource = Resource {
                        kind: *kind,
                        id: id.clone(),
                        log_type: file.log_type.clone(),
                        file: file.path.clone(),
                        text: rendered,
                        body,
                    };
                    problems.extend(prepare(&mut resource, version));
                    resources.push(resource);
                }
                Err(problem) => {
                    failed.push((*kind, id.clone()));
                    problems.push(problem);
                }
            },
        }
    }
    // Log type → its index patterns, for saved searches that do not name theirs.
    let mut patterns: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in resources.iter().filter(|r| r.kind == Kind::IndexPattern) {
        patterns.entry(&r.log_type).or_default().push(&r.id);
    }
    let parsed = parse_searches(&yaml_files);
    let mut bound = Vec::with_capacity(yaml_files.len());
    for ((file, text), parsed) in yaml_files.into_iter().zip(parsed) {
        match parsed {
            Ok(search) => match bind_index_pattern(&patterns, &file, &search) {
                Ok(index_pattern) => bound.push((file, text, search, index_pattern)),
                Err(problem) => {
                    failed.push((search.kind, search.id().to_string()));
                    problems.push(problem);
                }
            },
            Err(found) => {
                // The search exists even though it did not load: a reference to it is not
                // reported a second time as "not in the content".
                if let Some(declared) = saved_search::declared_id(&text) {
                    failed.push(declared);
                }
                problems.extend(found);
            }
        }
    }
    let mut searches = Vec::with_capacity(bound.len());
    for (file, text, search, index_pattern) in bound {
        resources.push(Resource {
            kind: search.kind,
            id: search.id().to_string(),
            log_type: file.log_type.clone(),
            file: file.path.clone(),
            text,
            body: search.to_body(&index_pattern),
        });
        searches.push(LoadedSearch {
            file: file.path,
            index_pattern,
            search,
        });
    }
    resources.sort_by(|a, b| (a.kind, &a.id, &a.file).cmp(&(b.kind, &b.id, &b.file)));
    Ok((
        Content::new(root, version, resources, searches, failed),
        problems,
    ))
}

/// Each saved-search file parsed, in the files' order. Every file is parsed on its own, so a
/// large set is split over two threads (the machines siemctl runs on have at least two cores);
/// a few files are not worth a thread.
fn parse_searches(files: &[(load::SourceFile, String)]) -> Vec<Result<SavedSearch, Vec<Problem>>> {
    let parse = |part: &[(load::SourceFile, String)]| -> Vec<_> {
        part.iter()
            .map(|(file, text)| saved_search::parse(&file.path, text))
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    if threads < 2 || files.len() < 200 {
        return parse(files);
    }
    let (first, second) = files.split_at(files.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| parse(second));
        let mut parsed = parse(first);
        parsed.extend(
            other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        parsed
    })
}

/// Kind-specific preparation right after rendering: the version stamp of templates and
/// pipelines, and the outer shape of saved objects.
fn prepare(resource: &mut Resource, version: ContentVersion) -> Vec<Problem> {
    let mut problems = Vec::new();
    let (file, text) = (&resource.file, &resource.text);
    let line_of = |pointer: &str| locate::line_of_pointer(text, pointer);
    let Some(body) = resource.body.as_object_mut() else {
        return vec![
            Problem::new(file, "the rendered template must be a JSON object").at_line(Some(1)),
        ];
    };
    match resource.kind {
        Kind::ComponentTemplate | Kind::IndexTemplate | Kind::IngestPipeline => {
            if body.contains_key("version") {
                problems.push(
                    Problem::new(file, "do not set `version`: siemctl sets it from [content].version in siemctl.toml")
                        .at_line(line_of("/version"))
                        .with_hint("raise [content].version in siemctl.toml when you release changed content"),
                );
            }
            body.insert("version".into(), Value::from(version.as_integer()));
        }
        kind if kind.is_saved_object() => {
            // The id is the file name's, unless the file names another: an object made in
            // Dashboards keeps its id (a UUID) in a file named after its title.
            if let Some(id) = body.remove("id") {
                match id.as_str().filter(|id| valid_id(id)) {
                    Some(id) => resource.id = id.to_string(),
                    None => problems.push(
                        Problem::new(file, "`id` must be a string of letters, digits, `-`, `_` and `.`")
                            .at_line(line_of("/id"))
                            .with_hint("the saved object's id in Dashboards; leave `id` out to use the file name"),
                    ),
                }
            }
            for key in body.keys() {
                if key != "attributes" && key != "references" {
                    problems.push(
                        Problem::new(file, format!("unknown key `{key}`: a saved object file holds `attributes` and `references` (and `id`) only"))
                            .at_line(line_of(&format!("/{key}")))
                            .with_hint("the id comes from the file name (or `id`), the type from its suffix, and siemctl manages versions"),
                    );
                }
            }
            if !body.get("attributes").is_some_and(Value::is_object) {
                problems.push(
                    Problem::new(file, "a saved object needs an `attributes` object")
                        .at_line(Some(1)),
                );
            }
            match body.get("references") {
                None => {
                    body.insert("references".into(), Value::Array(Vec::new()));
                }
                Some(Value::Array(_)) => {}
                Some(_) => problems.push(
                    Problem::new(file, "`references` must be an array of {name, type, id}")
                        .at_line(line_of("/references")),
                ),
            }
        }
        _ => {}
    }
    problems
}

/// An id that can be a file name too: letters, digits, `-`, `_` and `.`, not starting with `.`.
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The index pattern a saved search is bound to: its own `index_pattern`, or the one index
/// pattern of its log type's dashboards folder.
fn bind_index_pattern(
    patterns: &HashMap<&str, Vec<&str>>,
    file: &load::SourceFile,
    search: &SavedSearch,
) -> Result<String, Problem> {
    if let Some(explicit) = &search.file.index_pattern {
        return Ok(explicit.value.clone());
    }
    let candidates = patterns
        .get(file.log_type.as_str())
        .map_or(&[][..], Vec::as_slice);
    match candidates {
        [one] => Ok(one.to_string()),
        [] => Err(Problem::new(&file.path, format!("no index pattern for log type `{}`", file.log_type))
            .at_line(Some(1))
            .with_hint(format!("add dashboards/{}/<id>.index-pattern.json.hbs, or set `index_pattern:` to the id of one", file.log_type))),
        _ => Err(Problem::new(&file.path, format!("log type `{}` has several index patterns", file.log_type))
            .at_line(Some(1))
            .with_hint("set `index_pattern:` to the id of the one this search uses")),
    }
}

#[cfg(test)]
#[path = "../../benches/support/bigcontent.rs"]
mod bigcontent;

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated content of the benches is valid content: the benches time the whole
    /// path (every object rendered and checked), not the way out at the first problem.
    #[test]
    fn the_benches_generated_content_validates_clean() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let made = bigcontent::write(repo, dir.path(), 600).unwrap();
        assert_eq!(made.total(), 600.max(made.bundled));
        assert!(made.searches > 0 && made.visualizations > 0 && made.dashboards > 0);
        let config: toml::Table =
            toml::from_str(&fs::read_to_string(repo.join("siemctl.toml")).unwrap()).unwrap();
        let Value::Object(vars) = serde_json::to_value(&config["vars"]).unwrap() else {
            panic!("[vars] is a table");
        };
        let (content, mut problems) = load(dir.path(), "1.0.0".parse().unwrap(), vars).unwrap();
        problems.extend(validate::validate(&content));
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(content.resources.len(), made.total());
        // Same size, same files.
        let again = tempfile::tempdir().unwrap();
        bigcontent::write(repo, again.path(), 600).unwrap();
        assert_eq!(files(dir.path()), files(again.path()));
    }

    /// Every file under `root`: relative path and bytes, sorted.
    fn files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut dirs = vec![root.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let bytes = fs::read(&path).unwrap();
                    out.push((path.strip_prefix(root).unwrap().to_path_buf(), bytes));
                }
            }
        }
        out.sort();
        out
    }
}
