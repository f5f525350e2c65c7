//! siemctl on a pseudo-terminal, so that a test can answer its question as a person would: its
//! stdin, stdout and stderr are the terminal, and what it writes to either stream is read back
//! in the order it was written.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rustix::fs::{Mode, OFlags};
use rustix::pty::OpenptFlags;

/// A siemctl run on a terminal of its own.
pub(crate) struct Terminal {
    child: Child,
    master: File,
    dir: String,
    screen: Arc<Mutex<Vec<u8>>>,
    reader: JoinHandle<()>,
}

impl Terminal {
    /// Starts siemctl in `dir` (environment as [`super::command`] sets it) on a new terminal.
    pub(crate) fn spawn(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Terminal {
        let master = rustix::pty::openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY)
            .expect("open a pseudo-terminal");
        rustix::pty::grantpt(&master).expect("grantpt");
        rustix::pty::unlockpt(&master).expect("unlockpt");
        let name = rustix::pty::ptsname(&master, Vec::new()).expect("ptsname");
        let slave = File::from(
            rustix::fs::open(
                name.as_c_str(),
                OFlags::RDWR | OFlags::NOCTTY,
                Mode::empty(),
            )
            .expect("open the terminal's slave side"),
        );
        let mut command = super::command(dir, args, env);
        command
            .stdin(slave.try_clone().unwrap())
            .stdout(slave.try_clone().unwrap())
            .stderr(slave);
        // The slave side is the child's alone once it runs (the command holds the last copies
        // and is dropped here): reading the master then ends when the child has exited.
        let child = command.spawn().expect("spawn siemctl on a terminal");
        drop(command);
        let master = File::from(master);
        let screen = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let mut master = master.try_clone().unwrap();
            let screen = Arc::clone(&screen);
            std::thread::spawn(move || {
                let mut buffer = [0u8; 4096];
                // EIO once every slave copy is closed (Linux), or end of file.
                while let Ok(n @ 1..) = master.read(&mut buffer) {
                    screen.lock().unwrap().extend_from_slice(&buffer[..n]);
                }
            })
        };
        Terminal {
            child,
            master,
            dir: dir.display().to_string(),
            screen,
            reader,
        }
    }

    /// What the terminal shows so far, with `\n` line ends and the tempdir as `[TEMP_DIR]`.
    pub(crate) fn screen(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap())
            .replace("\r\n", "\n")
            .replace(&self.dir, "[TEMP_DIR]")
    }

    /// Waits (up to 60 s) until the terminal shows `text`.
    pub(crate) fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "the terminal did not show `{text}` within 60 s:\n{}",
            self.screen()
        );
    }

    /// Types `line` and Enter.
    pub(crate) fn answer(&mut self, line: &str) {
        self.master
            .write_all(format!("{line}\n").as_bytes())
            .expect("write to the terminal");
    }

    /// Waits for siemctl to exit: its exit code and everything the terminal showed.
    pub(crate) fn finish(mut self) -> (i32, String) {
        let status = self.child.wait().expect("wait for siemctl");
        // The reader ends when the child's side closes; what it read is then all there is.
        while !self.reader.is_finished() {
            std::thread::sleep(Duration::from_millis(10));
        }
        let screen = self.screen();
        let Terminal { reader, .. } = self;
        reader.join().expect("the terminal's reader");
        (status.code().unwrap_or(-1), screen)
    }
}
