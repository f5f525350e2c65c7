//! Error hints a CI log reader needs: what to check after a 401/403 for the authentication in
//! use, and an untrusted certificate named once, without retries. Over real HTTP(S).

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cluster_emulator::Options;

use crate::common::cluster::ClusterContext;

fn guarded() -> ClusterContext {
    ClusterContext::with_options(
        "minimal",
        Options {
            basic_auth: Some(("admin".into(), "right-one".into())),
            ..Options::default()
        },
    )
}

#[test]
fn a_refused_password_names_basic_auth_and_the_variables_to_check() {
    let c = guarded();
    let run = c.siemctl_env(
        &["plan"],
        &[
            ("SIEMCTL_AUTH", "basic"),
            ("SIEMCTL_USERNAME", "admin"),
            ("SIEMCTL_PASSWORD", "wrong-one"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(run.stderr.contains("HTTP 401"), "{}", run.stderr);
    assert!(
        run.stderr.contains("hint: the server refused the user name and password (basic auth): check SIEMCTL_USERNAME and SIEMCTL_PASSWORD"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("wrong-one"));
}

#[test]
fn no_credentials_at_all_says_which_auth_to_set() {
    let c = guarded();
    let run = c.siemctl(&["plan"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains(
            "hint: the server wants credentials and none were sent: set `auth = \"basic\"`"
        ),
        "{}",
        run.stderr
    );
}

/// A TLS server with a self-signed certificate (`openssl s_server`), on a free port.
struct SelfSigned {
    child: std::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl SelfSigned {
    fn start() -> SelfSigned {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
            ])
            .arg("-keyout")
            .arg(dir.path().join("key.pem"))
            .arg("-out")
            .arg(dir.path().join("cert.pem"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl is needed for this test");
        assert!(status.success());
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("openssl")
            .args(["s_server", "-quiet", "-www", "-accept", &port.to_string()])
            .arg("-cert")
            .arg(dir.path().join("cert.pem"))
            .arg("-key")
            .arg(dir.path().join("key.pem"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "s_server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        SelfSigned {
            child,
            port,
            _dir: dir,
        }
    }
}

impl Drop for SelfSigned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn an_untrusted_certificate_names_ca_cert_once_without_retrying() {
    let server = SelfSigned::start();
    let c = ClusterContext::new("minimal");
    let url = format!("https://127.0.0.1:{}", server.port);
    let started = Instant::now();
    let run = c.siemctl_env(
        &["plan"],
        &[
            ("SIEMCTL_OPENSEARCH_URL", &url),
            ("SIEMCTL_DASHBOARDS_URL", &url),
        ],
    );
    let took = started.elapsed();
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        took < Duration::from_secs(20),
        "not retried for the 90 s budget: took {took:?}"
    );
    assert!(
        run.stderr
            .contains("the server's TLS certificate is not trusted"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr
            .matches("hint: give the CA that signed it with `ca_cert = ")
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--insecure"), "{}", run.stderr);
    assert!(!run.stderr.contains("kept failing"), "{}", run.stderr);
}

#[test]
fn dashboards_answering_404_for_its_status_suggests_the_dashboards_base_path() {
    // Amazon OpenSearch Service serves Dashboards under `/_dashboards` of the domain's endpoint:
    // a Dashboards URL without it gets 404 for /api/status.
    let c = ClusterContext::with_options("minimal", Options::default());
    let wrong = format!("{}/not-dashboards", c.emulator.dashboards_url());
    let run = c.siemctl_env(&["plan"], &[("SIEMCTL_DASHBOARDS_URL", wrong.as_str())]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("HTTP 404")
            && run
                .stderr
                .contains("hint: is this the Dashboards URL? On Amazon OpenSearch Service it ends in `/_dashboards`"),
        "{}",
        run.stderr
    );
}
