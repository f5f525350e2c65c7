//! AWS Signature Version 4 for Amazon OpenSearch Service domains (`es`) and
//! OpenSearch Serverless collections (`aoss`).
//!
//! The signing itself is done by the `aws-sigv4` crate; credentials come from
//! aws-config's default provider chain, resolved once and cached until shortly
//! before they expire. Secrets never appear in `Debug` output or error messages,
//! and the `authorization` and `x-amz-security-token` headers are marked
//! sensitive so that `http`'s `Debug` of the request prints `Sensitive`.

use std::fmt;
use std::time::{Duration, SystemTime};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings,
};
use aws_sigv4::sign::v4::SigningParams;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION};
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

/// Cached credentials are refreshed when they expire within this margin, so
/// that a request signed now is still valid when the server checks it.
const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Upper bound for one resolution of the credential chain (instance metadata
/// that does not answer, an STS call that hangs).
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(30);

/// The headers this module writes. They are removed before signing so that
/// signing a request again (a retry) never signs or sends stale values.
const SIGNING_HEADERS: [&str; 4] = [
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];

/// A target's AWS settings of siemctl.toml: none is a secret (the credentials come from the
/// chain or the profile).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AwsSettings {
    pub(crate) region: Option<String>,
    pub(crate) profile: Option<String>,
    pub(crate) role_arn: Option<String>,
    pub(crate) external_id: Option<String>,
    pub(crate) session_name: Option<String>,
}

/// The SigV4 service: managed domains sign as `es`, Serverless collections as `aoss`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    Es,
    Aoss,
}

impl Service {
    /// The signing name, as it appears in the credential scope.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Service::Es => "es",
            Service::Aoss => "aoss",
        }
    }

    /// `"es"` or `"aoss"`; anything else is `None`.
    pub(crate) fn parse(s: &str) -> Option<Service> {
        match s {
            "es" => Some(Service::Es),
            "aoss" => Some(Service::Aoss),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum SigningError {
    #[error(
        "no AWS credentials found for SigV4 signing. siemctl uses the standard AWS credential \
         chain and looked, in order, at: the environment (AWS_ACCESS_KEY_ID and \
         AWS_SECRET_ACCESS_KEY, plus AWS_SESSION_TOKEN for temporary credentials); the shared \
         config and credentials files (~/.aws/config, ~/.aws/credentials; AWS_PROFILE selects \
         a profile, including IAM Identity Center/SSO profiles after `aws sso login`); a web \
         identity token (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, as set up by CI OIDC \
         integrations such as aws-actions/configure-aws-credentials); the ECS container role; \
         the EC2 instance role. Configure one of these"
    )]
    NoCredentials(#[source] CredentialsError),

    #[error(
        "could not load AWS credentials for SigV4 signing: a source in the AWS credential \
         chain (environment, profile or SSO session, web identity token, ECS container or EC2 \
         instance role) failed; an expired SSO session needs `aws sso login`"
    )]
    Credentials(#[source] CredentialsError),

    /// A source of the chain, or the assume-role step, that failed, named, with what to check.
    #[error("could not load AWS credentials for SigV4 signing: {what} failed\nhint: {hint}")]
    SourceFailed {
        what: String,
        hint: String,
        #[source]
        error: CredentialsError,
    },

    #[error(
        "no AWS region for SigV4 signing: set `region` in the target in siemctl.toml \
         (e.g. region = \"eu-west-1\") or the AWS_REGION environment variable"
    )]
    NoRegion,

    #[error("cannot SigV4-sign a request whose URL has no host")]
    NoHost,

    #[error("cannot SigV4-sign the request: the value of header `{0}` is not visible ASCII")]
    HeaderNotAscii(String),

    #[error("SigV4 signing failed")]
    Sign(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl SigningError {
    /// The error for a failed resolution, naming the source that failed: the chain's provider
    /// that aws-config reported failing (see [`note_chain_event`]), else the assume-role step
    /// when the target has a `role_arn` and its source credentials were loaded.
    fn from_credentials_error(
        error: CredentialsError,
        sources: &Sources,
        chain: &ChainOutcome,
    ) -> SigningError {
        if let Some(provider) = &chain.failed {
            let (what, hint) = sources.describe_provider(provider);
            return SigningError::SourceFailed { what, hint, error };
        }
        if let CredentialsError::CredentialsNotLoaded(_) = error {
            return SigningError::NoCredentials(error);
        }
        match (&sources.role_arn, &chain.loaded) {
            (Some(role_arn), Some(source)) => SigningError::SourceFailed {
                what: format!("assuming the role `{role_arn}` through STS (assume-role)"),
                hint: format!(
                    "the source credentials came from {}; check that the role's trust policy \
                     allows that identity (sts:AssumeRole){}, that the identity may call \
                     sts:AssumeRole on the role, and that `role_arn` is right",
                    chain_provider_words(source),
                    if sources.external_id {
                        " with this `external_id`"
                    } else {
                        ""
                    }
                ),
                error,
            },
            (Some(_), None) => SigningError::NoCredentials(error),
            _ => SigningError::Credentials(error),
        }
    }
}

/// What a target's AWS settings say about where credentials come from, for naming a failure.
#[derive(Debug, Clone, Default)]
struct Sources {
    profile: Option<String>,
    role_arn: Option<String>,
    external_id: bool,
}

impl Sources {
    /// The failing provider of aws-config's default chain (names from aws-config
    /// src/default_provider/credentials.rs: Environment, Profile, WebIdentityToken,
    /// EcsContainer, Ec2InstanceMetadata), in words, and what to check.
    fn describe_provider(&self, provider: &str) -> (String, String) {
        let what = chain_provider_words(provider);
        let hint = match provider {
            "Environment" => "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY together (and \
                 AWS_SESSION_TOKEN for temporary credentials), or unset them to use a profile or \
                 the CI's role"
                .to_owned(),
            "Profile" => {
                let profile = self
                    .profile
                    .clone()
                    .or_else(|| std::env::var("AWS_PROFILE").ok())
                    .unwrap_or_else(|| "default".to_owned());
                format!(
                    "check the profile `{profile}` in ~/.aws/config and ~/.aws/credentials \
                     (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE): that it exists, its \
                     `source_profile` and `role_arn`, its `credential_process`; an SSO profile \
                     needs `aws sso login --profile {profile}`"
                )
            }
            "WebIdentityToken" => {
                let role = std::env::var("AWS_ROLE_ARN").unwrap_or_else(|_| "(unset)".to_owned());
                format!(
                    "STS refused the CI's OIDC token for AWS_ROLE_ARN={role}: check the role's \
                     trust policy (the OIDC provider, the audience `sts.amazonaws.com`, the \
                     `sub` condition matching this repository and branch or environment), that \
                     the job may request an ID token (GitHub: `permissions: id-token: write`), \
                     and AWS_WEB_IDENTITY_TOKEN_FILE"
                )
            }
            "EcsContainer" => "check the task role of the ECS task (or the EKS pod identity) and \
                 AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / AWS_CONTAINER_CREDENTIALS_FULL_URI"
                .to_owned(),
            "Ec2InstanceMetadata" => "check that the instance has an instance profile (role) and \
                 that its metadata service answers (in a container: hop limit 2 for IMDSv2); \
                 outside EC2, set AWS_EC2_METADATA_DISABLED=true and give another source"
                .to_owned(),
            _ => "run with -v to see the AWS SDK's log lines".to_owned(),
        };
        (what, hint)
    }
}

/// aws-config's provider names, as a CI log reader knows them.
fn chain_provider_words(provider: &str) -> String {
    match provider {
        "Environment" => "the environment's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY".to_owned(),
        "Profile" => "the AWS profile (shared config and credentials files)".to_owned(),
        "WebIdentityToken" => {
            "the web identity token (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN)".to_owned()
        }
        "EcsContainer" => "the ECS container credentials".to_owned(),
        "Ec2InstanceMetadata" => "the EC2 instance metadata service (IMDS)".to_owned(),
        other => format!("the credential provider `{other}`"),
    }
}

/// The outcome of aws-config's credential chain during one resolution, as its log events
/// tell it: which provider loaded credentials, which failed.
#[derive(Debug, Clone, Default)]
struct ChainOutcome {
    loaded: Option<String>,
    failed: Option<String>,
}

tokio::task_local! {
    static CHAIN: std::cell::RefCell<ChainOutcome>;
}

/// Called by the logging layer for each event of aws-config's `CredentialsProviderChain`
/// (`provider = NAME`; a warning when that provider failed, "loaded credentials" when it
/// gave them). Recorded for the resolution running in this task, if any: concurrent targets
/// each keep their own.
pub(crate) fn note_chain_event(provider: &str, failed: bool, loaded: bool) {
    let _ = CHAIN.try_with(|chain| {
        let mut chain = chain.borrow_mut();
        if failed {
            chain.failed.get_or_insert_with(|| provider.to_owned());
        } else if loaded {
            chain.loaded = Some(provider.to_owned());
        }
    });
}

/// Credentials resolved once per run from the standard AWS chain (environment,
/// shared config/credentials profiles incl. SSO, web identity token as used by
/// CI OIDC, ECS container and EC2 instance roles), for one region and service.
/// Temporary credentials are refreshed from the chain shortly before they expire.
pub(crate) struct Signer {
    provider: SharedCredentialsProvider,
    sources: Sources,
    cached: Mutex<Option<Credentials>>,
    region: String,
    service: Service,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("region", &self.region)
            .field("service", &self.service.name())
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// Loads the AWS configuration the way the AWS CLI and SDKs do, for the target's
    /// `profile` when it names one. `region` (from the target) wins over the chain's region
    /// (AWS_REGION, the profile). With a `role_arn`, the chain's credentials assume that role
    /// through STS (`aws_config::sts::AssumeRoleProvider`, with the external id and session
    /// name given). Resolves the credentials right away, so that missing credentials are
    /// reported before the first request.
    pub(crate) async fn from_environment(
        aws: &AwsSettings,
        service: Service,
    ) -> Result<Signer, SigningError> {
        let mut loader = with_ring_https_client(aws_config::defaults(BehaviorVersion::latest()));
        if let Some(profile) = aws.profile.as_deref().filter(|p| !p.trim().is_empty()) {
            loader = loader.profile_name(profile.trim());
        }
        if let Some(region) = aws.region.as_deref().filter(|r| !r.trim().is_empty()) {
            loader = loader.region(Region::new(region.trim().to_owned()));
        }
        let config = loader.load().await;
        let sources = Sources {
            profile: aws.profile.clone().filter(|p| !p.trim().is_empty()),
            role_arn: aws.role_arn.clone(),
            external_id: aws.external_id.is_some(),
        };
        let Some(role_arn) = aws.role_arn.as_deref() else {
            return Signer::from_config(&config, service, sources).await;
        };
        let mut role = aws_config::sts::AssumeRoleProvider::builder(role_arn)
            .session_name(aws.session_name.as_deref().unwrap_or("siemctl"))
            .configure(&config);
        if let Some(id) = &aws.external_id {
            role = role.external_id(id);
        }
        let provider = role.build().await;
        let assumed = config
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(provider))
            .build();
        Signer::from_config(&assumed, service, sources).await
    }

    async fn from_config(
        config: &SdkConfig,
        service: Service,
        sources: Sources,
    ) -> Result<Signer, SigningError> {
        let region = config
            .region()
            .map(|r| r.as_ref().to_owned())
            .ok_or(SigningError::NoRegion)?;
        let provider = config.credentials_provider().ok_or_else(|| {
            SigningError::NoCredentials(CredentialsError::not_loaded(
                "no credentials provider is configured",
            ))
        })?;
        let credentials = resolve(&provider, &sources).await?;
        let mut signer = Signer::with_provider(provider, Some(credentials), region, service);
        signer.sources = sources;
        Ok(signer)
    }

    /// For tests and explicit credentials.
    #[cfg(test)]
    pub(crate) fn with_credentials(
        credentials: Credentials,
        region: String,
        service: Service,
    ) -> Signer {
        Signer::with_provider(
            SharedCredentialsProvider::new(credentials.clone()),
            Some(credentials),
            region,
            service,
        )
    }

    fn with_provider(
        provider: SharedCredentialsProvider,
        cached: Option<Credentials>,
        region: String,
        service: Service,
    ) -> Signer {
        Signer {
            provider,
            sources: Sources::default(),
            cached: Mutex::new(cached),
            region,
            service,
        }
    }

    pub(crate) fn region(&self) -> &str {
        &self.region
    }

    /// Signs in place: adds `authorization`, `x-amz-date`,
    /// `x-amz-security-token` (when the credentials have a session token) and
    /// `x-amz-content-sha256` with the hex SHA-256 of the body (required by
    /// `aoss`, accepted by `es`). The URL (path and query) is signed as it will
    /// be sent; it must be absolute. Sign again before every retry.
    pub(crate) async fn sign(
        &self,
        request: &mut http::Request<Vec<u8>>,
        time: SystemTime,
    ) -> Result<(), SigningError> {
        let credentials = self.credentials().await?;
        sign_request(
            &credentials,
            &self.region,
            self.service.name(),
            PayloadChecksumKind::XAmzSha256,
            request,
            time,
        )
    }

    /// The cached credentials, refreshed from the chain when they expire
    /// within [`REFRESH_MARGIN`]. The lock makes concurrent requests share one
    /// refresh.
    async fn credentials(&self) -> Result<Credentials, SigningError> {
        let mut cached = self.cached.lock().await;
        if let Some(credentials) = cached.as_ref() {
            if !expires_within(credentials, REFRESH_MARGIN) {
                return Ok(credentials.clone());
            }
        }
        match resolve(&self.provider, &self.sources).await {
            Ok(fresh) => {
                *cached = Some(fresh.clone());
                Ok(fresh)
            }
            // A failed early refresh is not fatal while the old credentials
            // are still valid.
            Err(error) => match cached.as_ref() {
                Some(credentials) if !expires_within(credentials, Duration::ZERO) => {
                    Ok(credentials.clone())
                }
                _ => Err(error),
            },
        }
    }
}

/// The HTTPS client for aws-config's own calls (STS, SSO, IMDS, ECS): the client aws-config
/// builds by default (aws-smithy-runtime's `default_https_client`: hyper, rustls, the platform's
/// roots, proxy settings from the environment), with ring as rustls' crypto instead of aws-lc-rs,
/// so that one crypto library (reqwest's) is compiled, not two.
fn with_ring_https_client(loader: aws_config::ConfigLoader) -> aws_config::ConfigLoader {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    use aws_smithy_http_client::{Builder, ConnectorBuilder};
    loader.http_client(
        Builder::new().build_with_connector_fn(|settings, runtime_components| {
            let mut connector =
                ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::Ring));
            connector.set_connector_settings(settings.cloned());
            if let Some(components) = runtime_components {
                connector.set_sleep_impl(components.sleep_impl());
            }
            connector.set_proxy_config(Some(ProxyConfig::from_env()));
            connector.build()
        }),
    )
}

fn expires_within(credentials: &Credentials, margin: Duration) -> bool {
    credentials
        .expiry()
        .is_some_and(|expiry| expiry <= SystemTime::now() + margin)
}

async fn resolve(
    provider: &SharedCredentialsProvider,
    sources: &Sources,
) -> Result<Credentials, SigningError> {
    let (result, chain) = CHAIN
        .scope(std::cell::RefCell::default(), async {
            let result =
                tokio::time::timeout(RESOLVE_TIMEOUT, provider.provide_credentials()).await;
            (result, CHAIN.with(|chain| chain.borrow().clone()))
        })
        .await;
    match result {
        Ok(Ok(credentials)) => Ok(credentials),
        Ok(Err(error)) => Err(SigningError::from_credentials_error(error, sources, &chain)),
        Err(_) => Err(SigningError::Credentials(
            CredentialsError::provider_timed_out(RESOLVE_TIMEOUT),
        )),
    }
}

/// The signing itself, for any service name (tests sign as AWS's test suite
/// service `service` and as `iam`). `checksum` decides whether
/// `x-amz-content-sha256` is added and signed.
fn sign_request(
    credentials: &Credentials,
    region: &str,
    service_name: &str,
    checksum: PayloadChecksumKind,
    request: &mut http::Request<Vec<u8>>,
    time: SystemTime,
) -> Result<(), SigningError> {
    for name in SIGNING_HEADERS {
        request.headers_mut().remove(name);
    }
    if request.uri().host().is_none() {
        return Err(SigningError::NoHost);
    }

    let payload_hash = hex::encode(Sha256::digest(request.body()));
    let mut settings = SigningSettings::default();
    settings.payload_checksum_kind = checksum;
    let identity = credentials.clone().into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service_name)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| SigningError::Sign(e.into()))?;
    let params = aws_sigv4::http_request::SigningParams::V4(params);

    let instructions = {
        let mut headers = Vec::with_capacity(request.headers().len());
        for (name, value) in request.headers() {
            let value = value
                .to_str()
                .map_err(|_| SigningError::HeaderNotAscii(name.as_str().to_owned()))?;
            headers.push((name.as_str(), value));
        }
        let signable = SignableRequest::new(
            request.method().as_str(),
            request.uri().to_string(),
            headers.into_iter(),
            SignableBody::Precomputed(payload_hash),
        )
        .map_err(|e| SigningError::Sign(e.into()))?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| SigningError::Sign(e.into()))?
            .into_parts();
        instructions
    };

    // Signing goes into headers only (the default signature location), so the
    // URL stays exactly as signed.
    let (headers, _query_params) = instructions.into_parts();
    for header in headers {
        let name = HeaderName::from_static(header.name());
        let mut value =
            HeaderValue::from_str(header.value()).map_err(|e| SigningError::Sign(e.into()))?;
        // A signature can be replayed until it expires: keep it out of logs.
        value.set_sensitive(header.sensitive() || name == AUTHORIZATION);
        request.headers_mut().insert(name, value);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    // AWS's SigV4 test suite (aws-sig-v4-test-suite, as carried by
    // awslabs/aws-c-auth under tests/aws-signing-test-suite/v4/<case>/ and
    // shipped in the aws-sigv4 crate as aws-signing-test-suite/v4/<case>/):
    // context.json gives these credentials, region, service and time; the
    // expected values are the `Authorization` lines of header-signed-request.txt.
    const SUITE_ACCESS_KEY: &str = "AKIDEXAMPLE";
    const SUITE_SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const SUITE_REGION: &str = "us-east-1";
    const SUITE_SERVICE: &str = "service";
    /// 2015-08-30T12:36:00Z
    const SUITE_TIME_SECS: u64 = 1_440_938_160;
    /// get-vanilla-with-session-token/context.json
    const SUITE_SESSION_TOKEN: &str =
        "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn suite_time() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(SUITE_TIME_SECS)
    }

    fn suite_credentials(session_token: Option<&str>) -> Credentials {
        Credentials::new(
            SUITE_ACCESS_KEY,
            SUITE_SECRET_KEY,
            session_token.map(str::to_owned),
            None,
            "test",
        )
    }

    fn request(
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> http::Request<Vec<u8>> {
        let mut builder = http::Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(body.to_vec()).unwrap()
    }

    fn header<'a>(request: &'a http::Request<Vec<u8>>, name: &str) -> Option<&'a str> {
        request.headers().get(name).map(|v| v.to_str().unwrap())
    }

    fn authorization(request: &http::Request<Vec<u8>>) -> &str {
        header(request, "authorization").expect("authorization header")
    }

    struct SuiteCase {
        name: &'static str,
        method: &'static str,
        /// The request line's target, percent-encoded as it goes on the wire.
        target: &'static str,
        /// Headers of request.txt other than Host (taken from the URL).
        headers: &'static [(&'static str, &'static str)],
        body: &'static [u8],
        /// context.json `sign_body`: x-amz-content-sha256 is added and signed.
        sign_body: bool,
        session_token: Option<&'static str>,
        authorization: &'static str,
    }

    const SUITE: &[SuiteCase] = &[
        SuiteCase {
            name: "get-vanilla",
            method: "GET",
            target: "/",
            headers: &[],
            body: b"",
            sign_body: false,
            session_token: None,
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        },
        SuiteCase {
            name: "get-vanilla-query-order-key-case",
            method: "GET",
            target: "/?Param2=value2&Param1=value1",
            headers: &[],
            body: b"",
            sign_body: false,
            session_token: None,
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        },
        SuiteCase {
            name: "get-vanilla-query-unreserved",
            method: "GET",
            target: "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            headers: &[],
            body: b"",
            sign_body: false,
            session_token: None,
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
        },
        SuiteCase {
            // request.txt: GET /?ሴ=bar
            name: "get-vanilla-utf8-query",
            method: "GET",
            target: "/?%E1%88%B4=bar",
            headers: &[],
            body: b"",
            sign_body: false,
            session_token: None,
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
        },
        SuiteCase {
            name: "get-vanilla-empty-query-key",
            method: "GET",
            target: "/?Param1=value1",
            headers: &[],
            body: b"",
            sign_body: false,
            session_token: None,
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb",
        },
        SuiteCase {
            name: "get-header-value-trim",
            method: "GET",
            target: "/",
            headers: &[("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")],
            body: b"",
            sign_body: false,
            session_token: None,
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
        },
        SuiteCase {
            name: "get-header-key-duplicate",
            method: "GET",
            target: "/",
            headers: &[
                ("My-Header1", "value2"),
                ("My-Header1", "value2"),
                ("My-Header1", "value1"),
            ],
            body: b"",
            sign_body: false,
            session_token: None,
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
        },
        SuiteCase {
            name: "post-vanilla",
            method: "POST",
            target: "/",
            headers: &[],
            body: b"",
            sign_body: false,
            session_token: None,
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        },
        SuiteCase {
            name: "post-vanilla-query",
            method: "POST",
            target: "/?Param1=value1",
            headers: &[],
            body: b"",
            sign_body: false,
            session_token: None,
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
        },
        SuiteCase {
            name: "post-header-value-case",
            method: "POST",
            target: "/",
            headers: &[("My-Header1", "VALUE1")],
            body: b"",
            sign_body: false,
            session_token: None,
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d",
        },
        SuiteCase {
            name: "post-x-www-form-urlencoded",
            method: "POST",
            target: "/",
            headers: &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Content-Length", "13"),
            ],
            body: b"Param1=value1",
            sign_body: true,
            session_token: None,
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b",
        },
        SuiteCase {
            name: "get-vanilla-with-session-token",
            method: "GET",
            target: "/",
            headers: &[],
            body: b"",
            sign_body: false,
            session_token: Some(SUITE_SESSION_TOKEN),
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8",
        },
    ];

    fn sign_suite_case(case: &SuiteCase) -> http::Request<Vec<u8>> {
        let uri = format!("https://example.amazonaws.com{}", case.target);
        let mut req = request(case.method, &uri, case.headers, case.body);
        let checksum = if case.sign_body {
            PayloadChecksumKind::XAmzSha256
        } else {
            PayloadChecksumKind::NoHeader
        };
        sign_request(
            &suite_credentials(case.session_token),
            SUITE_REGION,
            SUITE_SERVICE,
            checksum,
            &mut req,
            suite_time(),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        req
    }

    #[test]
    fn reproduces_the_aws_sigv4_test_suite() {
        for case in SUITE {
            let signed = sign_suite_case(case);
            assert_eq!(authorization(&signed), case.authorization, "{}", case.name);
            assert_eq!(
                header(&signed, "x-amz-date"),
                Some("20150830T123600Z"),
                "{}",
                case.name
            );
            // The URL is signed as sent and left alone.
            assert_eq!(
                signed.uri().to_string(),
                format!("https://example.amazonaws.com{}", case.target),
                "{}",
                case.name
            );
        }
    }

    #[test]
    fn suite_body_hash_and_session_token_headers() {
        let form = SUITE
            .iter()
            .find(|c| c.name == "post-x-www-form-urlencoded")
            .unwrap();
        let signed = sign_suite_case(form);
        // header-signed-request.txt of post-x-www-form-urlencoded
        assert_eq!(
            header(&signed, "x-amz-content-sha256"),
            Some("9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
        );

        let with_token = SUITE
            .iter()
            .find(|c| c.name == "get-vanilla-with-session-token")
            .unwrap();
        let signed = sign_suite_case(with_token);
        assert_eq!(
            header(&signed, "x-amz-security-token"),
            Some(SUITE_SESSION_TOKEN)
        );
        assert!(signed.headers()["x-amz-security-token"].is_sensitive());
        assert!(signed.headers()["authorization"].is_sensitive());
    }

    /// The worked example of the AWS documentation ("Create a signed AWS API
    /// request", IAM ListUsers; the signature is also given in the General
    /// Reference's "Calculate the signature for AWS Signature Version 4").
    #[test]
    fn reproduces_the_iam_list_users_documentation_example() {
        let mut req = request(
            "GET",
            "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
            &[(
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )],
            b"",
        );
        sign_request(
            &suite_credentials(None),
            "us-east-1",
            "iam",
            PayloadChecksumKind::NoHeader,
            &mut req,
            suite_time(),
        )
        .unwrap();
        assert_eq!(
            authorization(&req),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date, \
             Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        );
    }

    fn signer(service: Service, session_token: Option<&str>) -> Signer {
        Signer::with_credentials(
            suite_credentials(session_token),
            "eu-west-1".to_owned(),
            service,
        )
    }

    #[tokio::test]
    async fn aoss_signs_the_hash_of_an_empty_body() {
        let signer = signer(Service::Aoss, None);
        assert_eq!(signer.region(), "eu-west-1");
        let mut req = request(
            "GET",
            "https://abc123.eu-west-1.aoss.amazonaws.com/_cat/indices",
            &[],
            b"",
        );
        signer.sign(&mut req, suite_time()).await.unwrap();
        assert_eq!(header(&req, "x-amz-content-sha256"), Some(EMPTY_SHA256));
        assert_eq!(header(&req, "x-amz-date"), Some("20150830T123600Z"));
        let auth = authorization(&req);
        assert!(
            auth.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/aoss/aws4_request, \
                 SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="
            ),
            "{auth}"
        );
        assert!(header(&req, "x-amz-security-token").is_none());
    }

    #[tokio::test]
    async fn aoss_signs_the_hash_of_the_body() {
        let signer = signer(Service::Aoss, None);
        let mut req = request(
            "POST",
            "https://abc123.eu-west-1.aoss.amazonaws.com/_bulk?refresh=true",
            &[("content-type", "application/x-www-form-urlencoded")],
            b"Param1=value1",
        );
        signer.sign(&mut req, suite_time()).await.unwrap();
        // The suite's published SHA-256 of "Param1=value1".
        assert_eq!(
            header(&req, "x-amz-content-sha256"),
            Some("9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
        );
        assert!(authorization(&req)
            .contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, "));
    }

    #[tokio::test]
    async fn es_signs_as_es_with_the_body_hash() {
        let signer = signer(Service::Es, None);
        let mut req = request(
            "POST",
            "https://search-x.eu-west-1.es.amazonaws.com/_dashboards/api/saved_objects/_bulk_create?overwrite=true",
            &[("content-type", "application/json"), ("osd-xsrf", "true")],
            b"[]",
        );
        signer.sign(&mut req, suite_time()).await.unwrap();
        let auth = authorization(&req);
        assert!(
            auth.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/es/aws4_request, \
                 SignedHeaders=content-type;host;osd-xsrf;x-amz-content-sha256;x-amz-date, "
            ),
            "{auth}"
        );
        assert_eq!(
            req.uri().query(),
            Some("overwrite=true"),
            "query left as sent"
        );
    }

    #[tokio::test]
    async fn a_session_token_is_sent_and_signed() {
        let signer = signer(Service::Es, Some("the-session-token"));
        let mut req = request(
            "GET",
            "https://search-x.eu-west-1.es.amazonaws.com/",
            &[],
            b"",
        );
        signer.sign(&mut req, suite_time()).await.unwrap();
        assert_eq!(
            header(&req, "x-amz-security-token"),
            Some("the-session-token")
        );
        assert!(req.headers()["x-amz-security-token"].is_sensitive());
        assert!(authorization(&req)
            .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, "));
        assert!(!format!("{req:?}").contains("the-session-token"));
    }

    #[test]
    fn signing_again_replaces_every_signing_header() {
        let case = SUITE.iter().find(|c| c.name == "get-vanilla").unwrap();
        let mut req = request("GET", "https://example.amazonaws.com/", &[], b"");
        // First signed a day later, with a session token and a body hash...
        sign_request(
            &suite_credentials(Some("stale-token")),
            SUITE_REGION,
            SUITE_SERVICE,
            PayloadChecksumKind::XAmzSha256,
            &mut req,
            suite_time() + Duration::from_secs(86_400),
        )
        .unwrap();
        // ...then again as the suite's get-vanilla (a retry with new credentials).
        sign_request(
            &suite_credentials(None),
            SUITE_REGION,
            SUITE_SERVICE,
            PayloadChecksumKind::NoHeader,
            &mut req,
            suite_time(),
        )
        .unwrap();
        assert_eq!(authorization(&req), case.authorization);
        assert!(header(&req, "x-amz-security-token").is_none());
        assert!(header(&req, "x-amz-content-sha256").is_none());
    }

    #[tokio::test]
    async fn a_relative_url_is_an_error_not_a_panic() {
        let signer = signer(Service::Es, None);
        let mut req = request("GET", "/_cluster/health", &[], b"");
        let error = signer.sign(&mut req, suite_time()).await.unwrap_err();
        assert!(matches!(error, SigningError::NoHost), "{error:?}");
    }

    #[tokio::test]
    async fn a_non_ascii_header_value_is_an_error() {
        let signer = signer(Service::Es, None);
        let mut req = request(
            "GET",
            "https://search-x.eu-west-1.es.amazonaws.com/",
            &[],
            b"",
        );
        req.headers_mut()
            .insert("x-note", HeaderValue::from_bytes(b"caf\xe9").unwrap());
        let error = signer.sign(&mut req, suite_time()).await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot SigV4-sign the request: the value of header `x-note` is not visible ASCII"
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let signer = signer(Service::Aoss, Some("the-session-token"));
        let debug = format!("{signer:?}");
        assert_eq!(
            debug,
            "Signer { region: \"eu-west-1\", service: \"aoss\", .. }"
        );
        for secret in [SUITE_SECRET_KEY, SUITE_ACCESS_KEY, "the-session-token"] {
            assert!(!debug.contains(secret), "{debug}");
        }
    }

    #[test]
    fn service_names() {
        assert_eq!(Service::parse("es"), Some(Service::Es));
        assert_eq!(Service::parse("aoss"), Some(Service::Aoss));
        assert_eq!(Service::parse("s3"), None);
        assert_eq!(Service::parse(""), None);
        for service in [Service::Es, Service::Aoss] {
            assert_eq!(Service::parse(service.name()), Some(service));
        }
    }

    #[test]
    fn the_signer_can_be_shared_between_tasks() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Signer>();
        assert_send_sync::<SigningError>();
    }

    /// A credential provider that counts its calls and hands out the given
    /// credentials (or a "not loaded" error when there are none).
    #[derive(Debug)]
    struct Counting {
        calls: Arc<AtomicUsize>,
        credentials: Option<Credentials>,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials<'a>(
            &'a self,
        ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            self.calls.fetch_add(1, Ordering::SeqCst);
            aws_credential_types::provider::future::ProvideCredentials::ready(
                self.credentials
                    .clone()
                    .ok_or_else(|| CredentialsError::not_loaded("nothing configured")),
            )
        }
    }

    fn expiring_in(secs: u64, access_key: &str) -> Credentials {
        Credentials::new(
            access_key,
            SUITE_SECRET_KEY,
            Some("token".to_owned()),
            Some(SystemTime::now() + Duration::from_secs(secs)),
            "test",
        )
    }

    async fn access_key_used(signer: &Signer) -> String {
        let mut req = request(
            "GET",
            "https://search-x.eu-west-1.es.amazonaws.com/",
            &[],
            b"",
        );
        signer.sign(&mut req, SystemTime::now()).await.unwrap();
        let auth = authorization(&req);
        let start = auth.find("Credential=").unwrap() + "Credential=".len();
        auth[start..].split('/').next().unwrap().to_owned()
    }

    #[tokio::test]
    async fn credentials_are_cached_and_refreshed_before_they_expire() {
        let calls = Arc::new(AtomicUsize::new(0));
        let provider = SharedCredentialsProvider::new(Counting {
            calls: calls.clone(),
            credentials: Some(expiring_in(3600, "FRESH")),
        });

        // Valid for an hour: used as is, the chain is not asked again.
        let signer = Signer::with_provider(
            provider.clone(),
            Some(expiring_in(3600, "CACHED")),
            "eu-west-1".to_owned(),
            Service::Es,
        );
        assert_eq!(access_key_used(&signer).await, "CACHED");
        assert_eq!(access_key_used(&signer).await, "CACHED");
        assert_eq!(calls.load(Ordering::SeqCst), 0);

        // Expiring within the margin: refreshed once, then cached.
        let signer = Signer::with_provider(
            provider,
            Some(expiring_in(60, "OLD")),
            "eu-west-1".to_owned(),
            Service::Es,
        );
        assert_eq!(access_key_used(&signer).await, "FRESH");
        assert_eq!(access_key_used(&signer).await, "FRESH");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_credentials_that_are_still_valid() {
        let calls = Arc::new(AtomicUsize::new(0));
        let failing = SharedCredentialsProvider::new(Counting {
            calls: calls.clone(),
            credentials: None,
        });
        let signer = Signer::with_provider(
            failing.clone(),
            Some(expiring_in(60, "STILL")),
            "eu-west-1".to_owned(),
            Service::Es,
        );
        assert_eq!(access_key_used(&signer).await, "STILL");
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        let expired = Credentials::new(
            "GONE",
            SUITE_SECRET_KEY,
            None,
            Some(SystemTime::now() - Duration::from_secs(1)),
            "test",
        );
        let signer =
            Signer::with_provider(failing, Some(expired), "eu-west-1".to_owned(), Service::Es);
        let mut req = request(
            "GET",
            "https://search-x.eu-west-1.es.amazonaws.com/",
            &[],
            b"",
        );
        let error = signer.sign(&mut req, SystemTime::now()).await.unwrap_err();
        assert!(matches!(error, SigningError::NoCredentials(_)), "{error:?}");
        assert!(header(&req, "authorization").is_none());
    }

    fn config(region: Option<&str>, provider: Option<SharedCredentialsProvider>) -> SdkConfig {
        let mut builder = SdkConfig::builder().behavior_version(BehaviorVersion::latest());
        builder.set_region(region.map(|r| Region::new(r.to_owned())));
        builder.set_credentials_provider(provider);
        builder.build()
    }

    #[tokio::test]
    async fn from_config_takes_region_and_credentials_from_the_chain() {
        let provider = SharedCredentialsProvider::new(suite_credentials(None));
        let signer = Signer::from_config(
            &config(Some("ap-south-1"), Some(provider)),
            Service::Aoss,
            Sources::default(),
        )
        .await
        .unwrap();
        assert_eq!(signer.region(), "ap-south-1");
        assert_eq!(access_key_used(&signer).await, SUITE_ACCESS_KEY);
    }

    #[tokio::test]
    async fn from_config_without_region_tells_where_to_set_it() {
        let provider = SharedCredentialsProvider::new(suite_credentials(None));
        let error = Signer::from_config(
            &config(None, Some(provider)),
            Service::Es,
            Sources::default(),
        )
        .await
        .unwrap_err();
        assert!(matches!(error, SigningError::NoRegion));
        let message = error.to_string();
        assert!(message.contains("`region`"), "{message}");
        assert!(message.contains("AWS_REGION"), "{message}");
    }

    #[tokio::test]
    async fn from_config_without_credentials_explains_the_chain() {
        let calls = Arc::new(AtomicUsize::new(0));
        let nothing = SharedCredentialsProvider::new(Counting {
            calls,
            credentials: None,
        });
        for provider in [None, Some(nothing)] {
            let error = Signer::from_config(
                &config(Some("eu-west-1"), provider),
                Service::Es,
                Sources::default(),
            )
            .await
            .unwrap_err();
            assert!(matches!(error, SigningError::NoCredentials(_)), "{error:?}");
            let message = error.to_string();
            for hint in [
                "AWS_ACCESS_KEY_ID",
                "AWS_PROFILE",
                "aws sso login",
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                "ECS",
                "EC2",
            ] {
                assert!(message.contains(hint), "{hint} missing from: {message}");
            }
        }
    }

    #[test]
    fn other_credential_errors_are_not_reported_as_missing() {
        let error = SigningError::from_credentials_error(
            CredentialsError::provider_error("the SSO session has expired"),
            &Sources::default(),
            &ChainOutcome::default(),
        );
        assert!(matches!(error, SigningError::Credentials(_)), "{error:?}");
        let source = std::error::Error::source(&error).unwrap().to_string();
        assert!(!source.is_empty());
    }
}
