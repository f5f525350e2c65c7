//! Background noise: normal users, service traffic, health checks, another account's audit
//! calls, accepted and rejected flows, scanners that have nothing to do with the incident. Drawn
//! one event at a time (constant memory); times are monotonic per stream, each event in its own
//! slot of the window, so the merged output is in time order.
//!
//! No noise event uses an address of the story (the attacker, the scanner 203.0.113.77, the
//! pool): client addresses are drawn from .100-.199 of the documentation ranges.

use super::text::put;

use super::clock;
use super::entities::*;
use super::ids;
use super::Stream;

/// One stream's noise.
pub(crate) struct Noise {
    stream: Stream,
    rng: fastrand::Rng,
    key: u64,
    i: usize,
    n: usize,
    start: i64,
    span: i64,
    /// Counters that make successive lines look like one system's (pids, sessions).
    pid: u32,
    session: u32,
}

pub(crate) fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

const CLIENT_NETS: [&str; 3] = ["192.0.2.", "198.51.100.", "203.0.113."];

/// An internet client outside the story: 192.0.2.100-199, 198.51.100.100-199, 203.0.113.100-199.
fn client(out: &mut String, rng: &mut fastrand::Rng) {
    let net = CLIENT_NETS[rng.usize(..3)];
    put!(out, net, 100 + rng.u32(0..100));
}

fn client_string(rng: &mut fastrand::Rng) -> String {
    let mut s = String::with_capacity(15);
    client(&mut s, rng);
    s
}

/// An address of a flow log record: a fixed one, or an internet client drawn by [`Addr::client`].
#[derive(Clone, Copy)]
enum Addr {
    Fixed(&'static str),
    Client(&'static str, u32),
}

impl Addr {
    /// Draws as [`client`] does (the same random numbers, in the same order).
    fn client(rng: &mut fastrand::Rng) -> Addr {
        let net = CLIENT_NETS[rng.usize(..3)];
        Addr::Client(net, 100 + rng.u32(0..100))
    }

    fn put(self, out: &mut String) {
        match self {
            Addr::Fixed(a) => out.push_str(a),
            Addr::Client(net, host) => put!(out, net, host),
        }
    }
}

const BROWSERS: [&str; 5] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
];

const PAGES: [(&str, u32); 10] = [
    ("/", 11_321),
    ("/products", 24_512),
    ("/products/42", 9_870),
    ("/about", 6_204),
    ("/contact", 5_118),
    ("/static/css/site.min.css", 48_211),
    ("/static/js/app.3f9a1c.js", 152_004),
    ("/images/logo.svg", 3_321),
    ("/blog/2026/11/release-notes", 18_220),
    ("/favicon.ico", 1_150),
];

const API: [(&str, &str, u32); 6] = [
    ("GET", "/api/v1/items?page=2", 3_120),
    ("GET", "/api/v1/items/1187", 842),
    ("POST", "/api/v1/cart", 211),
    ("GET", "/api/v1/users/me", 377),
    ("POST", "/api/v1/login", 96),
    ("GET", "/api/v1/search?q=boots", 5_530),
];

/// The identity elements of the noise's CloudTrail callers (built once: they are constant).
static IDENTITIES: std::sync::LazyLock<[String; 4]> = std::sync::LazyLock::new(|| {
    [
        [r#"{"type":"IAMUser","principalId":"AIDAJQABLZS4A3QDU576Q","arn":"arn:aws:iam::"#, ACCOUNT, ":user/", ADMIN_USER, r#"","accountId":""#, ACCOUNT, r#"","accessKeyId":"ASIAQNOISEALICE00001","userName":""#, ADMIN_USER, r#"","sessionContext":{"attributes":{"creationDate":"2026-11-01T08:00:00Z","mfaAuthenticated":"true"}}}"#].concat(),
        [r#"{"type":"IAMUser","principalId":""#, LEAKED_PRINCIPAL, r#"","arn":"arn:aws:iam::"#, ACCOUNT, ":user/", LEAKED_USER, r#"","accountId":""#, ACCOUNT, r#"","accessKeyId":""#, LEAKED_KEY, r#"","userName":""#, LEAKED_USER, r#""}"#].concat(),
        [r#"{"type":"AssumedRole","principalId":""#, ROLE_PRINCIPAL, ":", INSTANCE_ID, r#"","arn":"arn:aws:sts::"#, ACCOUNT, ":assumed-role/", ROLE, "/", INSTANCE_ID, r#"","accountId":""#, ACCOUNT, r#"","accessKeyId":"ASIAQNOISEROLE000001","sessionContext":{"sessionIssuer":{"type":"Role","principalId":""#, ROLE_PRINCIPAL, r#"","arn":"arn:aws:iam::"#, ACCOUNT, ":role/", ROLE, r#"","accountId":""#, ACCOUNT, r#"","userName":""#, ROLE, r#""},"webIdFederationData":{},"attributes":{"creationDate":"2026-11-20T00:00:00Z","mfaAuthenticated":"false"},"ec2RoleDelivery":"2.0"}}"#].concat(),
        [r#"{"type":"AssumedRole","principalId":"AROAZNOISEAUDIT00001:audit-scanner","arn":"arn:aws:sts::"#, AUDIT_ACCOUNT, r#":assumed-role/SecurityAudit/audit-scanner","accountId":""#, AUDIT_ACCOUNT, r#"","accessKeyId":"ASIAQNOISEAUDIT00001","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAZNOISEAUDIT00001","arn":"arn:aws:iam::"#, AUDIT_ACCOUNT, r#":role/SecurityAudit","accountId":""#, AUDIT_ACCOUNT, r#"","userName":"SecurityAudit"},"webIdFederationData":{},"attributes":{"creationDate":"2026-11-20T00:00:00Z","mfaAuthenticated":"false"}}}"#].concat(),
    ]
});

impl Noise {
    pub(crate) fn new(seed: u64, stream: Stream, n: usize, start: i64, end: i64) -> Noise {
        let key = splitmix(seed ^ splitmix(stream as u64 + 1));
        Noise {
            stream,
            rng: fastrand::Rng::with_seed(key),
            key,
            i: 0,
            n,
            start,
            span: (end - start).max(1),
            pid: 1000 + (key % 1000) as u32,
            session: 1 + (key % 50) as u32,
        }
    }

    /// The time of the `i`th event: a pure function of the seed, the stream and `i`, in the
    /// `i`th of `n` equal slots of the window (so times are monotonic).
    pub(crate) fn time_of(&self, i: usize) -> i64 {
        // In 64 bits when the products fit (any run of a sane size), else in 128: the same
        // numbers either way.
        let n = self.n.max(1) as i64;
        if let (Ok(i), Some(_)) = (i64::try_from(i), self.span.checked_mul(n.saturating_add(1))) {
            let slot_start = self.span * i / n;
            let slot_len = (self.span * (i + 1) / n - slot_start).max(1);
            let jitter = (splitmix(self.key ^ i as u64) % slot_len as u64) as i64;
            return self.start + slot_start + jitter;
        }
        let n = self.n.max(1) as i128;
        let span = self.span as i128;
        let slot_start = span * i as i128 / n;
        let slot_len = (span * (i as i128 + 1) / n - slot_start).max(1);
        let jitter = (splitmix(self.key ^ i as u64) as i128) % slot_len;
        self.start + (slot_start + jitter) as i64
    }

    #[cfg(test)]
    pub(crate) fn key_for_test(&self) -> u64 {
        self.key
    }

    fn event(&mut self, ms: i64) -> String {
        let mut out = String::with_capacity(match self.stream {
            Stream::CloudTrail => 2048,
            Stream::GuardDuty | Stream::SecurityHub => 4096,
            _ => 320,
        });
        match self.stream {
            Stream::CloudTrail => self.cloudtrail(&mut out, ms),
            Stream::GuardDuty => self.guardduty(&mut out, ms),
            Stream::SecurityHub => self.securityhub(&mut out, ms),
            Stream::Vpc => self.vpc(&mut out, ms),
            Stream::Secure => self.secure(&mut out, ms),
            Stream::Apache => self.apache(&mut out, ms),
            Stream::Nginx => self.nginx(&mut out, ms),
        }
        out
    }

    fn cloudtrail(&mut self, out: &mut String, ms: i64) {
        let r = &mut self.rng;
        let roll = r.u32(0..100);
        let identities = &*IDENTITIES;
        // (identity JSON, source IP, the last octet of an audit scanner's address, user agent)
        let (identity, ip, audit_host, ua): (&str, &str, Option<u32>, &str) = match roll {
            0..=29 => (
                &identities[0],
                ADMIN_IP,
                None,
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            ),
            30..=49 => (
                &identities[1],
                CI_IP,
                None,
                "aws-cli/2.15.30 Python/3.11.8 Linux/6.8.0-1018-aws exe/x86_64.ubuntu.24 prompt/off",
            ),
            50..=74 => (
                &identities[2],
                PRIVATE_IP,
                None,
                "aws-sdk-go/1.44.302 (go1.21.6; linux; amd64) amazon-ssm-agent/3.3.987.0",
            ),
            75..=89 => (
                &identities[3],
                "198.51.100.",
                Some(100 + r.u32(0..100)),
                "Boto3/1.35.60 md/Botocore#1.35.60 ua/2.0 os/linux#6.1.112 md/arch#x86_64 lang/python#3.12.7 cfg/retry-mode#legacy Botocore/1.35.60",
            ),
            _ => (
                r#"{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}"#,
                "ec2.amazonaws.com",
                None,
                "ec2.amazonaws.com",
            ),
        };
        let (source, name, read_only) = match roll {
            0..=29 => [
                ("ec2.amazonaws.com", "DescribeInstances", true),
                ("s3.amazonaws.com", "ListBuckets", true),
                ("s3.amazonaws.com", "GetBucketPolicy", true),
                ("cloudwatch.amazonaws.com", "DescribeAlarms", true),
                ("ec2.amazonaws.com", "CreateTags", false),
                ("signin.amazonaws.com", "ConsoleLogin", false),
            ][r.usize(..6)],
            30..=49 => [
                ("ecr.amazonaws.com", "GetAuthorizationToken", true),
                ("ecs.amazonaws.com", "DescribeServices", true),
                ("ecs.amazonaws.com", "UpdateService", false),
                ("ecs.amazonaws.com", "RegisterTaskDefinition", false),
            ][r.usize(..4)],
            50..=74 => [
                ("ssm.amazonaws.com", "UpdateInstanceInformation", false),
                ("ssm.amazonaws.com", "ListInstanceAssociations", true),
                ("kms.amazonaws.com", "Decrypt", true),
            ][r.usize(..3)],
            75..=89 => [
                ("iam.amazonaws.com", "ListRoles", true),
                ("ec2.amazonaws.com", "DescribeSecurityGroups", true),
                ("config.amazonaws.com", "DescribeConfigRules", true),
                ("cloudtrail.amazonaws.com", "DescribeTrails", true),
            ][r.usize(..4)],
            _ => ("sts.amazonaws.com", "AssumeRole", true),
        };
        let region = if r.u32(0..10) == 0 {
            "eu-west-1"
        } else {
            REGION
        };
        let error = if roll < 30 && r.u32(0..25) == 0 {
            r#""errorCode":"AccessDenied","errorMessage":"User is not authorized to perform this operation","#
        } else {
            ""
        };
        let (request, response) = match name {
            "ConsoleLogin" => ("null", r#"{"ConsoleLogin":"Success"}"#),
            "AssumeRole" => (
                r#"{"roleArn":"arn:aws:iam::111122223333:role/WebServerRole","roleSessionName":"i-0abc12345def67890"}"#,
                "null",
            ),
            _ => ("null", "null"),
        };
        let event_type = if name == "ConsoleLogin" {
            "AwsConsoleSignIn"
        } else if name == "AssumeRole" {
            "AwsServiceEvent"
        } else {
            "AwsApiCall"
        };
        put!(
            out,
            r#"{"eventVersion":"1.09","userIdentity":"#,
            identity,
            r#","eventTime":""#
        );
        clock::iso(out, ms);
        put!(
            out,
            r#"","eventSource":""#,
            source,
            r#"","eventName":""#,
            name,
            r#"","awsRegion":""#,
            region,
            r#"","sourceIPAddress":""#,
            ip
        );
        if let Some(host) = audit_host {
            put!(out, host);
        }
        put!(
            out,
            r#"","userAgent":""#,
            ua,
            r#"","#,
            error,
            r#""requestParameters":"#,
            request,
            r#","responseElements":"#,
            response,
            r#","requestID":""#
        );
        ids::uuid(out, r);
        out.push_str(r#"","eventID":""#);
        ids::uuid(out, r);
        put!(
            out,
            r#"","readOnly":"#,
            read_only,
            r#","eventType":""#,
            event_type,
            r#"","managementEvent":true,"recipientAccountId":""#,
            ACCOUNT,
            r#"","eventCategory":"Management"}"#
        );
    }

    fn vpc(&mut self, out: &mut String, ms: i64) {
        let r = &mut self.rng;
        let start = ms / 1000 - 59;
        let roll = r.u32(0..100);
        const NGINX_ENI: &str = "eni-0b2c3d4e5f6a78901";
        const DB_ENI: &str = "eni-0c3d4e5f6a7b89012";
        let eph = 32_768 + r.u32(0..28_000);
        let (eni, src, dst, sport, dport, proto, action): (&str, Addr, Addr, u32, u32, u8, &str) =
            match roll {
                0..=24 => (
                    ENI,
                    Addr::client(r),
                    Addr::Fixed(PRIVATE_IP),
                    eph,
                    [80, 443][r.usize(..2)],
                    6,
                    "ACCEPT",
                ),
                25..=39 => (
                    NGINX_ENI,
                    Addr::Fixed(ALB_IPS[r.usize(..2)]),
                    Addr::Fixed("10.0.2.15"),
                    eph,
                    80,
                    6,
                    "ACCEPT",
                ),
                40..=54 => (
                    DB_ENI,
                    Addr::Fixed(["10.0.1.23", "10.0.2.15"][r.usize(..2)]),
                    Addr::Fixed("10.0.3.40"),
                    eph,
                    5432,
                    6,
                    "ACCEPT",
                ),
                55..=69 => (
                    [ENI, NGINX_ENI][r.usize(..2)],
                    Addr::Fixed([PRIVATE_IP, "10.0.2.15"][r.usize(..2)]),
                    Addr::client(r),
                    eph,
                    443,
                    6,
                    "ACCEPT",
                ),
                70..=79 => (
                    [ENI, NGINX_ENI][r.usize(..2)],
                    Addr::Fixed([PRIVATE_IP, "10.0.2.15"][r.usize(..2)]),
                    Addr::Fixed("10.0.0.2"),
                    eph,
                    53,
                    17,
                    "ACCEPT",
                ),
                80..=97 => {
                    let port =
                        [23, 445, 1433, 3306, 3389, 5900, 6379, 8080, 9200, 27017][r.usize(..10)];
                    (
                        [ENI, NGINX_ENI, DB_ENI][r.usize(..3)],
                        Addr::client(r),
                        Addr::Fixed(["10.0.1.23", "10.0.2.15", "10.0.3.40"][r.usize(..3)]),
                        eph,
                        port,
                        6,
                        "REJECT",
                    )
                }
                _ => {
                    put!(
                        out,
                        "2 ",
                        ACCOUNT,
                        " ",
                        DB_ENI,
                        " - - - - - - - ",
                        start,
                        " ",
                        start + 59,
                        " - NODATA"
                    );
                    return;
                }
            };
        let packets = if action == "REJECT" {
            1 + r.u32(0..3)
        } else {
            2 + r.u32(0..400)
        };
        let bytes = packets as u64 * (40 + r.u64(0..1400));
        put!(out, "2 ", ACCOUNT, " ", eni, " ");
        src.put(out);
        out.push(' ');
        dst.put(out);
        put!(
            out,
            " ",
            sport,
            " ",
            dport,
            " ",
            proto,
            " ",
            packets,
            " ",
            bytes,
            " ",
            start,
            " ",
            start + 59,
            " ",
            action,
            " OK"
        );
    }

    fn secure(&mut self, out: &mut String, ms: i64) {
        let roll = self.rng.u32(0..100);
        self.pid += 1 + self.rng.u32(0..30);
        if self.pid > 60_000 {
            self.pid = 1000;
        }
        let pid = self.pid;
        let host = if self.rng.u32(0..3) == 0 {
            NGINX_HOST
        } else {
            HOST
        };
        clock::syslog(out, ms);
        put!(out, " ", host, " ");
        let r = &mut self.rng;
        match roll {
            0..=34 => {
                let what = if r.bool() { "opened" } else { "closed" };
                if what == "opened" {
                    put!(
                        out,
                        "CROND[",
                        pid,
                        "]: pam_unix(crond:session): session opened for user root by (uid=0)"
                    );
                } else {
                    put!(
                        out,
                        "CROND[",
                        pid,
                        "]: pam_unix(crond:session): session closed for user root"
                    );
                }
            }
            35..=49 => {
                let port = 50_000 + r.u32(0..10_000);
                put!(
                    out,
                    "sshd[",
                    pid,
                    "]: Accepted publickey for ec2-user from ",
                    ADMIN_IP,
                    " port ",
                    port,
                    " ssh2: ED25519 SHA256:1q7pYhHkB2m3kQ9xR4tWcZ8vE0aJ5nLsD6fG2hUiK3o"
                );
            }
            50..=57 => {
                self.session += 1;
                put!(
                    out,
                    "systemd-logind[512]: New session ",
                    self.session,
                    " of user ec2-user."
                );
            }
            58..=69 => {
                let cmd = pick(
                    r,
                    &[
                        "/usr/bin/dnf -y update",
                        "/usr/bin/systemctl restart httpd",
                        "/usr/bin/journalctl -u httpd --since today",
                        "/usr/bin/tail -n 100 /var/log/httpd/error_log",
                    ],
                );
                put!(
                    out,
                    "sudo[",
                    pid,
                    "]: ec2-user : TTY=pts/0 ; PWD=/home/ec2-user ; USER=root ; COMMAND=",
                    cmd
                );
            }
            70..=79 => {
                put!(out, "sudo[", pid, "]: pam_unix(sudo:session): session opened for user root(uid=0) by ec2-user(uid=1000)");
            }
            _ => {
                // internet background: password guessing from addresses unrelated to the incident
                let user = pick(
                    r,
                    &["admin", "test", "user", "oracle", "postgres", "git", "pi"],
                );
                let port = 30_000 + r.u32(0..30_000);
                put!(out, "sshd[", pid, "]: ");
                if r.bool() {
                    put!(out, "Invalid user ", user, " from ");
                    client(out, r);
                    put!(out, " port ", port);
                } else {
                    put!(out, "Failed password for invalid user ", user, " from ");
                    client(out, r);
                    put!(out, " port ", port, " ssh2");
                }
            }
        }
    }

    fn apache(&mut self, out: &mut String, ms: i64) {
        let r = &mut self.rng;
        let roll = r.u32(0..100);
        if roll < 4 {
            // an unrelated scanner
            client(out, r);
            out.push_str(" - - [");
            clock::clf(out, ms);
            let path = pick(
                r,
                &[
                    "/wp-admin/setup-config.php",
                    "/.well-known/security.txt",
                    "/actuator/health",
                    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
                    "/HNAP1/",
                ],
            );
            put!(
                out,
                "] \"GET ",
                path,
                " HTTP/1.1\" 404 196 \"-\" \"Mozilla/5.0 zgrab/0.x\""
            );
            return;
        }
        client(out, r);
        out.push_str(" - - [");
        clock::clf(out, ms);
        let (path, size) = PAGES[r.usize(..PAGES.len())];
        let (status, bytes) = match r.u32(0..20) {
            0 => (404, 196),
            1 | 2 => (304, 0),
            _ => (200, size),
        };
        let referer = if r.bool() {
            "https://www.example.com/"
        } else {
            "-"
        };
        let ua = BROWSERS[r.usize(..BROWSERS.len())];
        if bytes == 0 {
            put!(
                out,
                "] \"GET ",
                path,
                " HTTP/1.1\" ",
                status,
                " - \"",
                referer,
                "\" \"",
                ua,
                "\""
            );
        } else {
            put!(
                out,
                "] \"GET ",
                path,
                " HTTP/1.1\" ",
                status,
                " ",
                bytes,
                " \"",
                referer,
                "\" \"",
                ua,
                "\""
            );
        }
    }

    fn nginx(&mut self, out: &mut String, ms: i64) {
        let r = &mut self.rng;
        let alb = ALB_IPS[r.usize(..2)];
        out.push_str(alb);
        out.push_str(" - - [");
        clock::clf(out, ms);
        if r.u32(0..4) == 0 {
            put!(
                out,
                "] \"GET /api/v1/health HTTP/1.1\" 200 17 \"-\" \"ELB-HealthChecker/2.0\" \"-\""
            );
            return;
        }
        let (method, path, size) = API[r.usize(..API.len())];
        let status = match r.u32(0..40) {
            0 => 500,
            1 | 2 => 401,
            3 => 429,
            _ => 200,
        };
        let size = if status == 200 { size } else { 64 };
        let ua = BROWSERS[r.usize(..4)];
        put!(
            out,
            "] \"",
            method,
            " ",
            path,
            " HTTP/1.1\" ",
            status,
            " ",
            size,
            " \"https://www.example.com/\" \"",
            ua,
            "\" \""
        );
        client(out, r);
        out.push('"');
    }

    fn guardduty(&mut self, out: &mut String, ms: i64) {
        let r = &mut self.rng;
        let account = if r.u32(0..4) == 0 {
            AUDIT_ACCOUNT
        } else {
            ACCOUNT
        };
        let (ty, port, port_name, instance, ip) = if r.bool() {
            (
                "Recon:EC2/PortProbeUnprotectedPort",
                3389,
                "RDP",
                "i-0123456789abcdef1",
                "10.0.0.5",
            )
        } else {
            (
                "UnauthorizedAccess:EC2/SSHBruteForce",
                22,
                "SSH",
                "i-0123456789abcdef1",
                "10.0.0.5",
            )
        };
        let remote = client_string(r);
        let mut id = String::with_capacity(32);
        ids::hex(&mut id, r, 32);
        out.push_str(r#"{"version":"0","id":""#);
        ids::uuid(out, r);
        put!(
            out,
            r#"","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":""#,
            account,
            r#"","time":""#
        );
        clock::iso(out, ms);
        put!(
            out,
            r#"","region":""#,
            REGION,
            r#"","resources":[],"detail":{"schemaVersion":"2.0","accountId":""#,
            account,
            r#"","region":""#,
            REGION,
            r#"","partition":"aws","id":""#,
            &id,
            r#"","arn":"arn:aws:guardduty:"#,
            REGION,
            ":",
            account,
            ":detector/",
            DETECTOR,
            "/finding/",
            &id,
            r#"","type":""#,
            ty,
            r#"","resource":{"resourceType":"Instance","instanceDetails":{"instanceId":""#,
            instance,
            r#"","instanceType":"t3.micro","platform":null,"productCodes":[],"networkInterfaces":[{"ipv6Addresses":[],"networkInterfaceId":"eni-0e5f6a7b8c9d01234","privateDnsName":"ip-10-0-0-5.ec2.internal","privateIpAddress":""#,
            ip,
            r#"","privateIpAddresses":[{"privateDnsName":"ip-10-0-0-5.ec2.internal","privateIpAddress":""#,
            ip,
            r#""}],"subnetId":"subnet-0fedcba9876543210","vpcId":""#,
            VPC,
            r#"","securityGroups":[{"groupName":"bastion-sg","groupId":"sg-0fedcba9876543210"}],"publicDnsName":"","publicIp":"198.51.100.5"}],"outpostArn":null,"tags":[{"key":"Name","value":"bastion"}],"instanceState":"running","availabilityZone":"us-east-1b","imageId":"ami-0abcdef1234567890"}},"service":{"serviceName":"guardduty","detectorId":""#,
            DETECTOR,
            r#"","action":"#
        );
        if ty.starts_with("Recon") {
            put!(
                out,
                r#"{"actionType":"PORT_PROBE","portProbeAction":{"blocked":false,"portProbeDetails":[{"localPortDetails":{"port":"#,
                port,
                r#","portName":""#,
                port_name,
                r#""},"localIpDetails":{"ipAddressV4":""#,
                ip,
                r#""},"remoteIpDetails":{"ipAddressV4":""#,
                &remote,
                r#"","organization":{"asn":"64510","asnOrg":"EXAMPLE-SCANNERS","isp":"Example Scanners","org":"Example Scanners"},"country":{"countryName":"United States"}}}]}}"#
            );
        } else {
            let rport = 30_000 + r.u32(0..30_000);
            put!(
                out,
                r#"{"actionType":"NETWORK_CONNECTION","networkConnectionAction":{"connectionDirection":"INBOUND","remoteIpDetails":{"ipAddressV4":""#,
                &remote,
                r#"","organization":{"asn":"64510","asnOrg":"EXAMPLE-SCANNERS","isp":"Example Scanners","org":"Example Scanners"},"country":{"countryName":"United States"}},"remotePortDetails":{"port":"#,
                rport,
                r#","portName":"Unknown"},"localPortDetails":{"port":"#,
                port,
                r#","portName":""#,
                port_name,
                r#""},"protocol":"TCP","blocked":false,"localIpDetails":{"ipAddressV4":""#,
                ip,
                r#""}}}"#
            );
        }
        let count = 1 + r.u32(0..40);
        out.push_str(r#","resourceRole":"TARGET","additionalInfo":{"value":"{}","type":"default"},"evidence":null,"eventFirstSeen":""#);
        clock::iso_ms(out, ms - 3_600_000);
        out.push_str(r#"","eventLastSeen":""#);
        clock::iso_ms(out, ms - 600_000);
        put!(
            out,
            r#"","archived":false,"count":"#,
            count,
            r#","featureName":"FlowLogs"},"severity":2,"createdAt":""#
        );
        clock::iso_ms(out, ms - 3_000_000);
        out.push_str(r#"","updatedAt":""#);
        clock::iso_ms(out, ms - 5_000);
        put!(
            out,
            r#"","title":""#,
            ty,
            " on ",
            instance,
            r#".","description":""#,
            &remote,
            " is probing or brute forcing ",
            instance,
            r#"."}}"#
        );
    }

    fn securityhub(&mut self, out: &mut String, ms: i64) {
        let r = &mut self.rng;
        let (control, title, rtype, rid, severity, label) = [
            (
                "S3.8",
                "S3 general purpose buckets should block public access",
                "AwsS3Bucket",
                "arn:aws:s3:::example-web-assets",
                70,
                "HIGH",
            ),
            (
                "EC2.19",
                "Security groups should not allow unrestricted access to ports with high risk",
                "AwsEc2SecurityGroup",
                "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0fedcba9876543210",
                90,
                "CRITICAL",
            ),
            (
                "IAM.6",
                "Hardware MFA should be enabled for the root user",
                "AwsAccount",
                "AWS::::Account:111122223333",
                70,
                "HIGH",
            ),
            (
                "CloudTrail.1",
                "CloudTrail should be enabled and configured with at least one multi-Region trail",
                "AwsAccount",
                "AWS::::Account:111122223333",
                70,
                "HIGH",
            ),
            (
                "EC2.8",
                "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)",
                "AwsEc2Instance",
                "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc12345def67890",
                70,
                "HIGH",
            ),
            (
                "RDS.3",
                "RDS DB instances should have encryption at-rest enabled",
                "AwsRdsDbInstance",
                "arn:aws:rds:us-east-1:111122223333:db:orders",
                40,
                "MEDIUM",
            ),
        ][r.usize(..6)];
        let status = if r.u32(0..3) == 0 { "PASSED" } else { "FAILED" };
        let (label, normalized) = if status == "PASSED" {
            ("INFORMATIONAL", 0)
        } else {
            (label, severity)
        };
        let mut fid = String::with_capacity(36);
        ids::uuid(&mut fid, r);
        let id = format!(
            "arn:aws:securityhub:{REGION}:{ACCOUNT}:security-control/{control}/finding/{fid}"
        );
        out.push_str(r#"{"version":"0","id":""#);
        ids::uuid(out, r);
        put!(
            out,
            r#"","detail-type":"Security Hub Findings - Imported","source":"aws.securityhub","account":""#,
            ACCOUNT,
            r#"","time":""#
        );
        clock::iso(out, ms);
        put!(
            out,
            r#"","region":""#,
            REGION,
            r#"","resources":[""#,
            &id,
            r#""],"detail":{"findings":[{"SchemaVersion":"2018-10-08","Id":""#,
            &id,
            r#"","ProductArn":"arn:aws:securityhub:"#,
            REGION,
            r#"::product/aws/securityhub","GeneratorId":"security-control/"#,
            control,
            r#"","AwsAccountId":""#,
            ACCOUNT,
            r#"","Types":["Software and Configuration Checks/Industry and Regulatory Standards"],"FirstObservedAt":"2026-11-02T03:10:00.000Z","LastObservedAt":""#
        );
        clock::iso_ms(out, ms - 20_000);
        out.push_str(r#"","CreatedAt":"2026-11-02T03:10:00.000Z","UpdatedAt":""#);
        clock::iso_ms(out, ms - 20_000);
        put!(
            out,
            r#"","Severity":{"Label":""#,
            label,
            r#"","Normalized":"#,
            normalized,
            r#","Original":""#,
            label,
            r#""},"Title":""#,
            control,
            " ",
            title,
            r#"","Description":"This control checks the resource against the AWS Foundational Security Best Practices standard.","Remediation":{"Recommendation":{"Text":"For information on how to correct this issue, consult the AWS Security Hub controls documentation.","Url":"https://docs.aws.amazon.com/console/securityhub/"#,
            control,
            r#"/remediation"}},"ProductFields":{"RelatedAWSResources:0/name":"securityhub-"#,
            control,
            r#"","aws/securityhub/ProductName":"Security Hub","aws/securityhub/CompanyName":"AWS"},"Resources":[{"Type":""#,
            rtype,
            r#"","Id":""#,
            rid,
            r#"","Partition":"aws","Region":""#,
            REGION,
            r#""}],"Compliance":{"Status":""#,
            status,
            r#"","SecurityControlId":""#,
            control,
            r#""},"WorkflowState":"NEW","Workflow":{"Status":"NEW"},"RecordState":"ACTIVE","CompanyName":"AWS","ProductName":"Security Hub","Region":""#,
            REGION,
            r#"","ProcessedAt":""#
        );
        clock::iso_ms(out, ms - 5_000);
        out.push_str(r#"","Sample":false}]}}"#);
    }
}

impl Iterator for Noise {
    type Item = (i64, String);

    fn next(&mut self) -> Option<(i64, String)> {
        if self.i >= self.n {
            return None;
        }
        let ms = self.time_of(self.i);
        self.i += 1;
        Some((ms, self.event(ms)))
    }
}
