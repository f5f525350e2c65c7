//! The incident's cast: every account, address, instance, user and key the story uses, in one
//! place, so the events, the questions' answers and the tests agree. They are those of the
//! bundled test events (`index-templates/*/_test/README.md`, "the story"); addresses are from the
//! documentation ranges (RFC 5737, RFC 3849) or private, ids are made up.

use std::collections::BTreeMap;

pub(crate) const ACCOUNT: &str = "111122223333";
pub(crate) const AUDIT_ACCOUNT: &str = "444455556666";
pub(crate) const REGION: &str = "us-east-1";
/// Where the attacker launched the miner (a region the account does not use).
pub(crate) const MINER_REGION: &str = "us-west-2";

pub(crate) const ATTACKER_IP: &str = "203.0.113.50";
/// An unrelated scanner (noise the participants must exclude).
pub(crate) const SCANNER_IP: &str = "203.0.113.77";
pub(crate) const ADMIN_USER: &str = "alice";
pub(crate) const ADMIN_IP: &str = "192.0.2.44";
/// The CI system that uses the deploy-bot key legitimately.
pub(crate) const CI_IP: &str = "192.0.2.10";

pub(crate) const INSTANCE_ID: &str = "i-0abc12345def67890";
pub(crate) const HOST: &str = "ip-10-0-1-23";
pub(crate) const PRIVATE_IP: &str = "10.0.1.23";
pub(crate) const PUBLIC_IP: &str = "198.51.100.23";
pub(crate) const ENI: &str = "eni-0a1b2c3d4e5f67890";
pub(crate) const VPC: &str = "vpc-0a1b2c3d4e5f6a7b8";
pub(crate) const SUBNET: &str = "subnet-0123456789abcdef0";
/// The nginx server behind the load balancer, and the load balancer's addresses.
pub(crate) const NGINX_HOST: &str = "ip-10-0-2-15";
pub(crate) const ALB_IPS: [&str; 2] = ["10.0.0.12", "10.0.0.13"];

pub(crate) const LEAKED_USER: &str = "deploy-bot";
pub(crate) const LEAKED_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
pub(crate) const LEAKED_PRINCIPAL: &str = "AIDAKAJQSVSQA3MX5BMWC";
pub(crate) const BACKDOOR_IAM_USER: &str = "backup-admin";
pub(crate) const BACKDOOR_KEY: &str = "AKIAI44QH8DHBEXAMPLE";
pub(crate) const BACKDOOR_PRINCIPAL: &str = "AIDASUJ7VQDVDIZWZH7WC";
pub(crate) const ATTACHED_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
pub(crate) const ROLE: &str = "WebServerRole";
pub(crate) const ROLE_PRINCIPAL: &str = "AROAHIR45SKA3LRTGZZAP";
pub(crate) const ROLE_KEY: &str = "ASIA25VUQJ4HHWRQ36CT";
pub(crate) const TRAIL: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events";

/// The Linux account brute-forced over SSH, and the one the attacker created.
pub(crate) const SSH_USER: &str = "deploy";
pub(crate) const LINUX_BACKDOOR_USER: &str = "backup-admin";
pub(crate) const IMPLANT: &str = "/usr/local/bin/dbus-update";
pub(crate) const IMPLANT_SERVICE: &str = "dbus-update.service";
pub(crate) const CRON_FILE: &str = "/etc/cron.d/dbus-update";
pub(crate) const SUDOERS_FILE: &str = "/etc/sudoers.d/90-backup-admin";

pub(crate) const C2_IP: &str = ATTACKER_IP;
pub(crate) const C2_PORT: u16 = 443;
pub(crate) const POOL_IP: &str = "198.51.100.99";
pub(crate) const POOL_PORT: u16 = 3333;
pub(crate) const MINER_INSTANCE: &str = "i-0def45678abc90123";
pub(crate) const MINER_IP: &str = "172.31.20.87";
pub(crate) const MINER_TYPE: &str = "c5.4xlarge";

/// The web request that leaked the key (the `.env` file served by Apache).
pub(crate) const LEAK_PATH: &str = "/.env";
/// The path traversal / RCE of CVE-2021-41773 (Apache 2.4.49).
pub(crate) const EXPLOIT_PATH: &str = "/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh";

pub(crate) const DETECTOR: &str = "12abc34d567e8fa901bc2d34e56789f0";

/// The entities by name, for the questions' templates (`{{attacker_ip}}`).
pub(crate) fn variables() -> BTreeMap<&'static str, String> {
    let pairs: [(&str, String); 36] = [
        ("account", ACCOUNT.into()),
        ("audit_account", AUDIT_ACCOUNT.into()),
        ("region", REGION.into()),
        ("miner_region", MINER_REGION.into()),
        ("attacker_ip", ATTACKER_IP.into()),
        ("scanner_ip", SCANNER_IP.into()),
        ("admin_user", ADMIN_USER.into()),
        ("admin_ip", ADMIN_IP.into()),
        ("ci_ip", CI_IP.into()),
        ("instance_id", INSTANCE_ID.into()),
        ("host", HOST.into()),
        ("private_ip", PRIVATE_IP.into()),
        ("public_ip", PUBLIC_IP.into()),
        ("eni", ENI.into()),
        ("leaked_user", LEAKED_USER.into()),
        ("leaked_key", LEAKED_KEY.into()),
        ("backdoor_iam_user", BACKDOOR_IAM_USER.into()),
        ("backdoor_key", BACKDOOR_KEY.into()),
        ("attached_policy", ATTACHED_POLICY.into()),
        ("role", ROLE.into()),
        ("role_key", ROLE_KEY.into()),
        ("trail", TRAIL.into()),
        ("ssh_user", SSH_USER.into()),
        ("linux_backdoor_user", LINUX_BACKDOOR_USER.into()),
        ("implant", IMPLANT.into()),
        ("implant_service", IMPLANT_SERVICE.into()),
        ("cron_file", CRON_FILE.into()),
        ("sudoers_file", SUDOERS_FILE.into()),
        ("c2_ip", C2_IP.into()),
        ("c2_port", C2_PORT.to_string()),
        ("pool_ip", POOL_IP.into()),
        ("pool_port", POOL_PORT.to_string()),
        ("miner_instance", MINER_INSTANCE.into()),
        ("miner_type", MINER_TYPE.into()),
        ("leak_path", LEAK_PATH.into()),
        ("exploit_path", EXPLOIT_PATH.into()),
    ];
    pairs.into_iter().collect()
}
