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

/// A TLS server (`openssl s_server`) on a free port, serving `cert.pem`: with `leaf`, a server
/// certificate signed by a CA (`ca.pem`, not served); without, `openssl req -x509`'s self-signed
/// certificate, which is a CA certificate.
struct SelfSigned {
    child: std::process::Child,
    port: u16,
    dir: tempfile::TempDir,
}

fn openssl(dir: &std::path::Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("openssl is needed for this test");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

impl SelfSigned {
    fn start() -> SelfSigned {
        Self::serve(false)
    }

    fn serve(leaf: bool) -> SelfSigned {
        let dir = tempfile::tempdir().unwrap();
        let key = ["-newkey", "rsa:2048", "-nodes", "-days", "1"];
        if leaf {
            openssl(
                dir.path(),
                &[
                    &["req", "-x509"][..],
                    &key,
                    &[
                        "-subj",
                        "/CN=test-ca",
                        "-keyout",
                        "ca.key",
                        "-out",
                        "ca.pem",
                    ],
                ]
                .concat(),
            );
            openssl(
                dir.path(),
                &[
                    &["req"][..],
                    &key[..3],
                    &[
                        "-subj",
                        "/CN=127.0.0.1",
                        "-keyout",
                        "key.pem",
                        "-out",
                        "server.csr",
                    ],
                ]
                .concat(),
            );
            std::fs::write(
                dir.path().join("ext.cnf"),
                "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\n",
            )
            .unwrap();
            openssl(
                dir.path(),
                &[
                    "x509",
                    "-req",
                    "-in",
                    "server.csr",
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-days",
                    "1",
                    "-extfile",
                    "ext.cnf",
                    "-out",
                    "cert.pem",
                ],
            );
        } else {
            openssl(
                dir.path(),
                &[
                    &["req", "-x509"][..],
                    &key,
                    &[
                        "-subj",
                        "/CN=127.0.0.1",
                        "-keyout",
                        "key.pem",
                        "-out",
                        "cert.pem",
                    ],
                ]
                .concat(),
            );
        }
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
        SelfSigned { child, port, dir }
    }
}

impl SelfSigned {
    /// The server's own certificate: self-signed, and a CA (`openssl req -x509` writes
    /// `basicConstraints = critical, CA:TRUE` by default).
    fn cert(&self) -> std::path::PathBuf {
        self.dir.path().join("cert.pem")
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
    let server = SelfSigned::serve(true);
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

/// The certificate of `openssl req -x509` given as the CA: it is a CA certificate serving as the
/// server's own, which rustls refuses (`CaUsedAsEndEntity`). That was retried for the whole budget
/// and said only the error's name (issue 13, findings 6 and 9; failed before: "kept failing").
#[test]
fn a_self_signed_ca_as_the_servers_certificate_is_explained_at_once() {
    let server = SelfSigned::start();
    let c = ClusterContext::new("minimal");
    let url = format!("https://127.0.0.1:{}", server.port);
    let cert = server.cert();
    let run = c.siemctl_env(
        &["plan", "--ca-cert", cert.to_str().unwrap()],
        &[
            ("SIEMCTL_OPENSEARCH_URL", &url),
            ("SIEMCTL_DASHBOARDS_URL", &url),
            ("SIEMCTL_RETRY_BUDGET", "5"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(!run.stderr.contains("kept failing"), "{}", run.stderr);
    assert!(run.stderr.contains("CaUsedAsEndEntity"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the server's certificate is itself a CA certificate"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("a server certificate signed by that CA"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("hint: give the CA that signed it"),
        "the CA was given: {}",
        run.stderr
    );
}

/// The fix the hint above gives works: a server certificate signed by a CA, the CA given as
/// `--ca-cert`, and TLS passes (s_server then answers its status page, not OpenSearch).
#[test]
fn a_leaf_certificate_signed_by_the_given_ca_is_trusted() {
    let server = SelfSigned::serve(true);
    let c = ClusterContext::new("minimal");
    let url = format!("https://127.0.0.1:{}", server.port);
    let ca = server.dir.path().join("ca.pem");
    let run = c.siemctl_env(
        &["plan", "--ca-cert", ca.to_str().unwrap()],
        &[
            ("SIEMCTL_OPENSEARCH_URL", &url),
            ("SIEMCTL_DASHBOARDS_URL", &url),
            ("SIEMCTL_RETRY_BUDGET", "5"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(!run.stderr.contains("TLS"), "{}", run.stderr);
    assert!(!run.stderr.contains("certificate"), "{}", run.stderr);
}

/// An https URL pointed at a plain-HTTP port never heals: said at once, with the fix (failed
/// before: retried for the budget, "kept failing").
#[test]
fn an_https_url_on_a_plain_http_port_says_so_at_once() {
    let c = ClusterContext::new("minimal");
    let url = c.emulator.opensearch_url().replace("http://", "https://");
    let run = c.siemctl_env(
        &["plan"],
        &[
            ("SIEMCTL_OPENSEARCH_URL", &url),
            ("SIEMCTL_RETRY_BUDGET", "5"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(!run.stderr.contains("kept failing"), "{}", run.stderr);
    assert!(
        run.stderr.contains("does not answer TLS") && run.stderr.contains("use http:// in the URL"),
        "{}",
        run.stderr
    );
}

/// A `--ca-cert` file with no certificate in it is refused before any request (the flag, as
/// `ca_cert` is in tests/it/cli.rs).
#[test]
fn an_empty_ca_cert_flag_file_is_refused() {
    let c = ClusterContext::new("minimal");
    c.content.write("empty.pem", "");
    let run = c.siemctl(&["plan", "--ca-cert", "empty.pem"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("`empty.pem` holds no PEM certificate"),
        "{}",
        run.stderr
    );
    assert_eq!(c.total_requests(), 0);
}

/// A user name without a password fell back to no authentication, and the server's bare 401
/// followed (failed before: exit 1 with HTTP 401, after requests). Half of basic auth is
/// refused before any request, naming both variables; so is a password without a user name.
#[test]
fn half_of_basic_auth_is_refused_naming_both_variables() {
    let c = guarded();
    for env in [
        [("SIEMCTL_USERNAME", "admin")],
        [("SIEMCTL_PASSWORD", "right-one")],
    ] {
        let run = c.siemctl_env(&["plan"], &env);
        assert_eq!(run.code, 1, "{}", run.snapshot());
        assert!(
            run.stderr.contains("half of basic auth")
                && run.stderr.contains("SIEMCTL_USERNAME")
                && run.stderr.contains("SIEMCTL_PASSWORD"),
            "{env:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("HTTP 401"), "{}", run.stderr);
        assert!(!run.stderr.contains("right-one"), "{}", run.stderr);
    }
    assert_eq!(c.total_requests(), 0);
}

/// A stand-in for the STS endpoint (`AWS_ENDPOINT_URL_STS`) that refuses every call as STS
/// does: HTTP 403 with the `ErrorResponse` document of the STS API reference ("Common Errors",
/// AccessDenied), for AssumeRole and AssumeRoleWithWebIdentity alike. Returns its URL and the
/// request bodies it got.
fn refusing_sts() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    crate::common::sts::serve(
        "403 Forbidden",
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRole</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>",
    )
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
