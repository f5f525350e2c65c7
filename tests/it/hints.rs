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

/// A stand-in for the STS endpoint (`AWS_ENDPOINT_URL_STS`) that refuses every call as STS
/// does: HTTP 403 with the `ErrorResponse` document of the STS API reference ("Common Errors",
/// AccessDenied), for AssumeRole and AssumeRoleWithWebIdentity alike. Returns its URL and the
/// request bodies it got.
fn refusing_sts() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead as _, BufReader, Read as _, Write as _};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let bodies = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = bodies.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            seen.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&body).into_owned());
            let xml = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRole</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>";
            let _ = write!(
                stream,
                "HTTP/1.1 403 Forbidden\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{xml}",
                xml.len()
            );
        }
    });
    (url, bodies)
}

/// No shared AWS files of the machine running the tests, no instance metadata.
const NO_AWS_FILES: [(&str, &str); 3] = [
    ("AWS_CONFIG_FILE", "/nonexistent/config"),
    ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];

fn with_aws_target(c: &ClusterContext, settings: &str) {
    let toml = c.content.read("siemctl.toml");
    c.content.write(
        "siemctl.toml",
        &format!(
            "{toml}\n[targets.aws]\nopensearch_url = \"{}\"\ndashboards_url = \"{}\"\ntenant = \"global\"\nauth = \"aws-sigv4\"\nregion = \"eu-west-1\"\n{settings}",
            c.emulator.opensearch_url(),
            c.emulator.dashboards_url()
        ),
    );
}

#[test]
fn a_refused_assume_role_names_the_role_and_the_source_credentials() {
    let c = ClusterContext::new("minimal");
    with_aws_target(
        &c,
        "role_arn = \"arn:aws:iam::111111111111:role/siemctl\"\nexternal_id = \"siem-content\"\n",
    );
    let (sts, bodies) = refusing_sts();
    let mut env = vec![
        ("AWS_ACCESS_KEY_ID", "AKIDSOURCE"),
        ("AWS_SECRET_ACCESS_KEY", "source-secret"),
        ("AWS_ENDPOINT_URL_STS", sts.as_str()),
    ];
    env.extend(NO_AWS_FILES);
    let run = c.siemctl_env(&["plan", "--target", "aws"], &env);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        bodies
            .lock()
            .unwrap()
            .iter()
            .any(|b| b.contains("Action=AssumeRole")),
        "siemctl called STS"
    );
    let e = &run.stderr;
    assert!(
        e.contains("assuming the role `arn:aws:iam::111111111111:role/siemctl` through STS (assume-role) failed"),
        "{e}"
    );
    assert!(
        e.contains("hint: the source credentials came from the environment's AWS_ACCESS_KEY_ID")
            && e.contains("with this `external_id`"),
        "{e}"
    );
    assert!(
        e.contains("AccessDenied") || e.contains("Not authorized"),
        "{e}"
    );
    assert!(!e.contains("source-secret"), "{e}");
}

#[test]
fn a_refused_web_identity_token_names_the_provider_and_the_trust_policy() {
    let c = ClusterContext::new("minimal");
    with_aws_target(&c, "");
    c.content.write("oidc-token", "eyJ.not-a-real-token.sig");
    let token = c.content.path().join("oidc-token");
    let (sts, bodies) = refusing_sts();
    let mut env = vec![
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token.to_str().unwrap()),
        ("AWS_ROLE_ARN", "arn:aws:iam::222222222222:role/ci-deploy"),
        ("AWS_ENDPOINT_URL_STS", sts.as_str()),
    ];
    env.extend(NO_AWS_FILES);
    let run = c.siemctl_env(&["plan", "--target", "aws"], &env);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        bodies
            .lock()
            .unwrap()
            .iter()
            .any(|b| b.contains("Action=AssumeRoleWithWebIdentity")),
        "siemctl called STS"
    );
    let e = &run.stderr;
    assert!(
        e.contains("the web identity token (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN) failed"),
        "{e}"
    );
    assert!(
        e.contains("AWS_ROLE_ARN=arn:aws:iam::222222222222:role/ci-deploy")
            && e.contains("id-token: write"),
        "{e}"
    );
    // aws-config's own warning ("provider failed to provide credentials") is not printed.
    assert!(!e.contains("WARN"), "{e}");
}

#[test]
fn the_aws_sdks_own_log_lines_need_verbose() {
    let c = ClusterContext::new("minimal");
    with_aws_target(&c, "");
    // aws-config warns when AWS_CONFIG_FILE names a file that does not exist.
    let mut env = vec![
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "example-secret"),
    ];
    env.extend(NO_AWS_FILES);
    let quiet = c.siemctl_env(&["plan", "--target", "aws"], &env);
    assert!(
        !quiet.stderr.contains("aws_runtime") && !quiet.stderr.contains("aws_config"),
        "{}",
        quiet.snapshot()
    );
    let verbose = c.siemctl_env(&["-v", "plan", "--target", "aws"], &env);
    assert!(
        verbose
            .stderr
            .contains("config file overridden via environment variable not found"),
        "{}",
        verbose.snapshot()
    );
}
