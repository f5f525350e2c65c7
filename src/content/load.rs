//! Finding the content files: `index-templates/<log-type>/`, `dashboards/<log-type>/` and
//! `saved-searches/<log-type>/`, one object per file, its kind and id in its name.

use std::fs;
use std::path::{Path, PathBuf};

use super::kind::Kind;
use super::problem::Problem;
use super::Error;

/// The three content folders, and the kinds each may hold.
const FOLDERS: [(&str, &[Kind]); 3] = [
    (
        "index-templates",
        &[
            Kind::ComponentTemplate,
            Kind::IndexTemplate,
            Kind::IngestPipeline,
            Kind::IsmPolicy,
        ],
    ),
    (
        "dashboards",
        &[
            Kind::IndexPattern,
            Kind::Visualization,
            Kind::Dashboard,
            Kind::Search,
            Kind::Query,
            Kind::Config,
        ],
    ),
    ("saved-searches", &[]),
];

/// The folder of a log type's test events and golden files (`siemctl test`), which content
/// discovery skips.
pub(crate) const TEST_FOLDER: &str = "_test";

/// What a content file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// A Handlebars template of one object.
    Template { kind: Kind, id: String },
    /// A saved search in YAML.
    SavedSearch,
    /// A file that is refused unread (a link out of the content directory, a FIFO): its
    /// object is known to exist, so references to it are not reported a second time.
    Refused { kind: Kind, id: String },
}

/// One content file.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Relative to the content directory, with `/` separators.
    pub(crate) path: PathBuf,
    pub(crate) log_type: String,
    pub(crate) what: FileKind,
}

/// Every content file under `root`, in a stable order, plus problems with file names.
pub(crate) fn discover(root: &Path) -> Result<(Vec<SourceFile>, Vec<Problem>), Error> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut found_any = false;
    for (folder, kinds) in FOLDERS {
        let dir = root.join(folder);
        if !dir.is_dir() {
            continue;
        }
        found_any = true;
        for entry in sorted_entries(&dir)? {
            let rel = Path::new(folder).join(entry.file_name().unwrap_or_default());
            if !entry.is_dir() {
                if !is_ignored(&entry) {
                    problems.push(Problem::new(&rel, format!("files in {folder}/ go in a folder per log type, e.g. {folder}/aws-cloudtrail/ (or {folder}/_common/ for shared objects)")));
                }
                continue;
            }
            let log_type = entry
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            if let Err(message) = check_folder(root, &entry) {
                problems.push(Problem::new(&rel, message).with_hint(LINK_HINT));
                continue;
            }
            for (file, file_type) in sorted_entries_with_types(&entry)? {
                let name = file
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string();
                let rel = Path::new(folder).join(&log_type).join(&name);
                // The type from the directory listing, without a syscall per file; a link is
                // followed (and checked) below.
                let is_dir = file_type.is_dir() || (file_type.is_symlink() && file.is_dir());
                if is_dir || is_ignored(&file) {
                    // `_test/` holds the log type's test events, read by `siemctl test`.
                    if is_dir && name != TEST_FOLDER {
                        problems.push(Problem::new(&rel, "content folders are one level deep: move these files up into the log type's folder"));
                    }
                    continue;
                }
                let checked = if file_type.is_file() {
                    Ok(()) // a regular file, not a link: nothing to check
                } else {
                    check_readable(root, &file)
                };
                if let Err(message) = checked {
                    problems.push(Problem::new(&rel, message).with_hint(LINK_HINT));
                    if let Ok(FileKind::Template { kind, id }) = classify(&name, kinds) {
                        files.push(SourceFile {
                            path: rel,
                            log_type: log_type.clone(),
                            what: FileKind::Refused { kind, id },
                        });
                    }
                    continue;
                }
                match classify(&name, kinds) {
                    Ok(what) => files.push(SourceFile {
                        path: rel,
                        log_type: log_type.clone(),
                        what,
                    }),
                    Err(message) => problems.push(match elsewhere(&name, folder) {
                        Some(other) => Problem::new(&rel, message)
                            .with_hint(format!("move it to {other}/{log_type}/{name}")),
                        None => Problem::new(&rel, message),
                    }),
                }
            }
        }
    }
    if !found_any {
        return Err(Error::NoContent(root.to_path_buf()));
    }
    Ok((files, problems))
}

fn classify(name: &str, kinds: &[Kind]) -> Result<FileKind, String> {
    if kinds.is_empty() {
        return if name.ends_with(".yaml") || name.ends_with(".yml") {
            Ok(FileKind::SavedSearch)
        } else {
            Err("saved searches are YAML files ending in .yaml".to_string())
        };
    }
    match Kind::from_file_name(name) {
        Some((kind, id)) if kinds.contains(&kind) => Ok(FileKind::Template {
            kind,
            id: id.to_string(),
        }),
        Some((kind, _)) => Err(match folder_of(kind) {
            Some(folder) => format!(
                "{} does not belong in this folder: it goes in {folder}/, in the folder of its log type",
                kind.with_article()
            ),
            None => format!("{} does not belong in this folder", kind.with_article()),
        }),
        None => {
            let suffixes: Vec<&str> = kinds.iter().map(|k| k.file_suffix()).collect();
            Err(format!(
                "not a content file: name it <id><suffix> with a suffix of {}",
                suffixes.join(", ")
            ))
        }
    }
}

/// The content folder a kind's files go in.
fn folder_of(kind: Kind) -> Option<&'static str> {
    FOLDERS
        .iter()
        .find(|(_, kinds)| kinds.contains(&kind))
        .map(|(folder, _)| *folder)
}

/// The other content folder a file named for a kind belongs in, when it is in the wrong one.
fn elsewhere(name: &str, folder: &str) -> Option<&'static str> {
    let (kind, _) = Kind::from_file_name(name)?;
    folder_of(kind).filter(|f| *f != folder)
}

const LINK_HINT: &str = "content files are regular files inside the content directory: copy the file in, or link to one inside it";

/// A content file must be a regular file, or a link to one inside the content directory: a link
/// out of it (to `/proc/self/environ`, say) could make siemctl print what it points at, and a
/// FIFO or device would block or feed it anything. Checked before the file is opened.
pub(crate) fn check_readable(root: &Path, path: &Path) -> Result<(), String> {
    if !link_stays_inside(root, path).map_err(|e| format!("cannot read this file: {e}"))? {
        return Err("this file is a link to a file outside the content directory: siemctl does not follow it".into());
    }
    check_regular(path)
}

/// A file siemctl reads must be a regular file (after links): a FIFO or device would block it or
/// feed it anything.
pub(crate) fn check_regular(path: &Path) -> Result<(), String> {
    let meta = fs::metadata(path).map_err(|e| format!("cannot read this file: {e}"))?;
    if !meta.file_type().is_file() {
        return Err(
            "this is not a regular file (a FIFO, socket or device): siemctl does not read it"
                .into(),
        );
    }
    Ok(())
}

/// A log type's folder may be a link only to a folder inside the content directory.
fn check_folder(root: &Path, path: &Path) -> Result<(), String> {
    if !link_stays_inside(root, path).map_err(|e| format!("cannot read this folder: {e}"))? {
        return Err("this folder is a link to a folder outside the content directory: siemctl does not follow it".into());
    }
    Ok(())
}

/// False when `path` is a symbolic link whose target is not under `root`.
fn link_stays_inside(root: &Path, path: &Path) -> std::io::Result<bool> {
    if !fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Ok(true);
    }
    Ok(match (fs::canonicalize(root), fs::canonicalize(path)) {
        (Ok(root), Ok(target)) => target.starts_with(&root),
        _ => false,
    })
}

/// READMEs and dotfiles may sit beside content.
fn is_ignored(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.starts_with('.') || name.eq_ignore_ascii_case("README.md")
}

/// The entries of `dir` with their types as the listing gives them (a link is a link), sorted.
fn sorted_entries_with_types(dir: &Path) -> Result<Vec<(PathBuf, fs::FileType)>, Error> {
    let read = |e| Error::Read(dir.to_path_buf(), e);
    let mut entries = fs::read_dir(dir)
        .map_err(read)?
        .map(|entry| entry.and_then(|e| Ok((e.path(), e.file_type()?))))
        .collect::<Result<Vec<_>, _>>()
        .map_err(read)?;
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let read = |e| Error::Read(dir.to_path_buf(), e);
    let mut entries = fs::read_dir(dir)
        .map_err(read)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(read)?;
    entries.sort();
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_folders_are_not_content_but_other_subfolders_are_reported() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("index-templates/web");
        fs::create_dir_all(dir.join("_test")).unwrap();
        fs::create_dir_all(dir.join("old")).unwrap();
        fs::write(dir.join("_test/apache.log"), "x").unwrap();
        fs::write(dir.join("log-web.pipeline.json.hbs"), "{}").unwrap();
        let (files, problems) = discover(root.path()).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].file, Path::new("index-templates/web/old"));
    }
}
