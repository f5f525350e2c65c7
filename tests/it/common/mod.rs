//! The test context: a content directory in a tempdir, and a way to run siemctl in it.

pub(crate) mod cluster;
pub(crate) mod sts;
pub(crate) mod terminal;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root, where the bundled content is.
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) struct TestContext {
    dir: tempfile::TempDir,
}

/// The result of one run of siemctl.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr together, for snapshots.
    pub(crate) fn snapshot(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl TestContext {
    /// A copy of `tests/fixtures/<name>` in a fresh tempdir.
    pub(crate) fn fixture(name: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_tree(&repo_root().join("tests/fixtures").join(name), dir.path());
        TestContext { dir }
    }

    /// A copy of the bundled content (the repository's content folders and siemctl.toml).
    pub(crate) fn bundled() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = repo_root();
        for folder in ["index-templates", "dashboards", "saved-searches"] {
            fs::create_dir_all(dir.path().join(folder)).unwrap();
            copy_tree(&root.join(folder), &dir.path().join(folder));
        }
        fs::copy(root.join("siemctl.toml"), dir.path().join("siemctl.toml")).unwrap();
        TestContext { dir }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    pub(crate) fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Replaces `from` by `to` in a file; the text must be there.
    pub(crate) fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(from), "`{from}` is not in {rel}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    pub(crate) fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.path().join(rel)).unwrap();
        self
    }

    /// Runs siemctl in the content directory, without colors and without SIEMCTL_* from the
    /// environment of the test run.
    pub(crate) fn siemctl(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }
}

pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_with_env(dir, args, &[])
}

/// Runs siemctl in `dir` with only the given SIEMCTL_* variables (and never CI: tests decide).
pub(crate) fn run_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = command(dir, args, env).output().expect("run siemctl");
    let clean = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes).replace(&dir.display().to_string(), "[TEMP_DIR]")
    };
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: clean(&output.stdout),
        stderr: clean(&output.stderr),
    }
}

/// siemctl in `dir`, without colors, with only the given SIEMCTL_* variables (and never CI).
pub(crate) fn command(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_siemctl"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env_remove("CI");
    for (key, _) in std::env::vars() {
        if key.starts_with("SIEMCTL_") || key.starts_with("AWS_") || key == "RUST_LOG" {
            command.env_remove(key);
        }
    }
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, sorted by path.
pub(crate) fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push((
                    path.strip_prefix(root).unwrap().display().to_string(),
                    fs::read(&path).unwrap(),
                ));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}
