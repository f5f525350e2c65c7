//! GitHub Actions workflow commands (`--output github`): `::error file=F,line=L,col=C,title=T::M`,
//! so that a problem shows on the changed line of a pull request.
//!
//! Escaping as the Actions toolkit does it (actions/toolkit `packages/core/src/command.ts`:
//! `escapeData` for the message, `escapeProperty` for the properties). `file=` is relative to the
//! repository root, as the runner resolves it against `GITHUB_WORKSPACE`: siemctl prefixes the
//! content directory's place in the repository, so `-C somedir` and a content folder below the
//! repository root annotate the right file.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The content directory relative to the repository root (`GITHUB_WORKSPACE` when set, else the
/// nearest folder above it with `.git`, else the current directory); empty when it is the root.
static PREFIX: OnceLock<PathBuf> = OnceLock::new();

/// Records where the content directory is in the repository, once, before any annotation.
pub(crate) fn set_content_root(content: &Path) {
    let _ = PREFIX.set(prefix(
        content,
        std::env::var_os("GITHUB_WORKSPACE").map(PathBuf::from),
    ));
}

fn prefix(content: &Path, workspace: Option<PathBuf>) -> PathBuf {
    let absolute = |p: &Path| {
        std::env::current_dir()
            .map(|cwd| cwd.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let content = absolute(content);
    let content = content.canonicalize().unwrap_or(content);
    let base = workspace
        .filter(|w| !w.as_os_str().is_empty())
        .map(|w| absolute(&w))
        .or_else(|| {
            content
                .ancestors()
                .find(|dir| dir.join(".git").exists())
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| absolute(Path::new(".")));
    let base = base.canonicalize().unwrap_or(base);
    content
        .strip_prefix(&base)
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Where an annotation points: a file relative to the content directory, 1-based line and column.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    pub(crate) file: &'a Path,
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
}

impl<'a> At<'a> {
    pub(crate) fn file(file: &'a Path) -> Self {
        At {
            file,
            line: None,
            column: None,
        }
    }

    pub(crate) fn line(file: &'a Path, line: Option<usize>) -> Self {
        At {
            file,
            line,
            column: None,
        }
    }
}

/// One `::error` command at `at`, its file made relative to the repository root.
pub(crate) fn error(at: At<'_>, title: &str, message: &str) -> String {
    let prefix = PREFIX.get().map(PathBuf::as_path).unwrap_or(Path::new(""));
    command(&prefix.join(at.file), at.line, at.column, title, message)
}

fn command(
    file: &Path,
    line: Option<usize>,
    column: Option<usize>,
    title: &str,
    message: &str,
) -> String {
    let file = file.display().to_string().replace('\\', "/");
    let mut properties = format!("file={}", escape_property(&file));
    if let Some(line) = line {
        properties.push_str(&format!(",line={line}"));
        // A column without a line means nothing to the runner.
        if let Some(column) = column {
            properties.push_str(&format!(",col={column}"));
        }
    }
    properties.push_str(&format!(",title={}", escape_property(title)));
    format!("::error {properties}::{}\n", escape_data(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_and_message_are_escaped() {
        assert_eq!(
            command(
                Path::new("a,b:c%.json"),
                Some(3),
                Some(7),
                "siemctl: validate",
                "50% done\r\nnext: a, b"
            ),
            "::error file=a%2Cb%3Ac%25.json,line=3,col=7,title=siemctl%3A validate::50%25 done%0D%0Anext: a, b\n"
        );
        assert_eq!(
            command(Path::new("f"), None, Some(2), "t", "m"),
            "::error file=f,title=t::m\n"
        );
    }

    #[test]
    fn the_prefix_is_the_content_directory_below_the_workspace() {
        let dir = std::env::temp_dir().join(format!("siemctl-github-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("repo/content/x")).unwrap();
        assert_eq!(
            prefix(&dir.join("repo/content/x/.."), Some(dir.join("repo"))),
            Path::new("content")
        );
        assert_eq!(
            prefix(&dir.join("repo"), Some(dir.join("repo"))),
            Path::new("")
        );
        std::fs::create_dir_all(dir.join("repo/.git")).unwrap();
        assert_eq!(
            prefix(&dir.join("repo/content/x"), None),
            Path::new("content/x")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
