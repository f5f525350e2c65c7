//! The `user_agent` processor: browser, operating system and device of a User-Agent string.
//!
//! Upstream: `modules/ingest-user-agent/src/main/java/org/opensearch/ingest/useragent/`
//! (`UserAgentProcessor.java` at d3cff6bdc5ad20b48ce075c7a879e20245516263,
//! `UserAgentParser.java` at 977d1452ac28df960d5120ad95c28360d4f47b8b), with the module's own
//! `regexes.yml` (kept in `data/user_agent/`, see its PROVENANCE.txt).
//!
//! OpenSearch does not use a uap-core library: `UserAgentParser` is its own matcher, whose
//! rules differ from uap-core's (`$1` is replaced in the family name only, and only its first
//! occurrence; the version replacements are literal; a device is its replacement or group 1;
//! brand and model are ignored; patterns are Java regexes, `regex_flag: 'i'` the only flag).
//! A uap-core crate would give other answers, so this module implements upstream's matcher on
//! Oniguruma's Java syntax over upstream's file. `regex_file` names a file in the node's
//! `config/ingest-user-agent` directory: the engine has none, so any value other than the
//! default is the error a node without that file gives, which also says that custom regex files
//! are not supported offline.

use std::collections::HashMap;
use std::sync::LazyLock;

use painless::value::map::{JMap, MapKind};
use painless::value::Value;

use super::split::JavaPattern;
use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};

const REGEXES_YML: &str = include_str!("../../data/user_agent/regexes.yml");
pub(crate) const DEFAULT_PARSER_NAME: &str = "_default_";

/// One of `user_agent_parsers`, `os_parsers`, `device_parsers` (`UserAgentSubpattern`).
struct Subpattern {
    pattern: JavaPattern,
    name_replacement: Option<String>,
    v_replacements: [Option<String>; 4],
}

/// A `VersionedName`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct VersionedName {
    pub(crate) name: String,
    pub(crate) major: Option<String>,
    pub(crate) minor: Option<String>,
    pub(crate) patch: Option<String>,
    pub(crate) build: Option<String>,
}

/// `Details`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Details {
    pub(crate) user_agent: Option<VersionedName>,
    pub(crate) os: Option<VersionedName>,
    pub(crate) device: Option<VersionedName>,
}

impl Subpattern {
    /// `UserAgentSubpattern.match`.
    fn matches(&self, agent: &str) -> Option<VersionedName> {
        let region = self.pattern.find_first(agent)?;
        let group_count = self.pattern.group_count();
        let group = |g: usize| -> Option<String> {
            if g > group_count {
                return None;
            }
            region.pos(g).map(|(s, e)| agent[s..e].to_owned())
        };
        let name = match &self.name_replacement {
            Some(r) => match group(1) {
                // `replaceFirst("\\$1", quoteReplacement(group(1)))`
                Some(g1) if r.contains("$1") => Some(r.replacen("$1", &g1, 1)),
                _ => Some(r.clone()),
            },
            None => group(1),
        };
        let version = |i: usize| match &self.v_replacements[i] {
            Some(r) => Some(r.clone()),
            None => group(i + 2),
        };
        Some(VersionedName {
            name: name?,
            major: version(0),
            minor: version(1),
            patch: version(2),
            build: version(3),
        })
    }
}

/// A pattern rewritten so that Rust's regex engine matches at least every string Java's (and
/// Oniguruma's Java syntax) does: ASCII word boundaries, Java's `$` (before a final line
/// terminator too), `\S` as "not an ASCII space". Anything Rust cannot read makes the prefilter
/// keep the pattern as a candidate.
fn superset_pattern(java: &str, case_insensitive: bool) -> String {
    let mut out = String::with_capacity(java.len() + 16);
    if case_insensitive {
        out.push_str("(?i)");
    }
    let mut chars = java.chars();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('b') if class_depth == 0 => out.push_str("(?-u:\\b)"),
                Some('B') if class_depth == 0 => out.push_str("(?-u:\\B)"),
                Some('S') => out.push_str("[^\\t\\n\\x0B\\x0C\\r ]"),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '[' => {
                class_depth += 1;
                out.push(c);
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            '$' if class_depth == 0 => {
                out.push_str("(?:(?:\\r\\n|[\\n\\r\\x{85}\\x{2028}\\x{2029}])?\\z)")
            }
            other => out.push(other),
        }
    }
    out
}

/// Which patterns of a list can match a string at all, found in one pass over it; the patterns
/// are then tried in their order with the Java-syntax engine, which decides. A pattern Rust's
/// syntax cannot express is always a candidate.
struct Prefilter {
    set: Option<regex_automata::meta::Regex>,
    /// For each pattern of the set, its index in the list.
    indexes: Vec<usize>,
    /// The patterns outside the set.
    always: Vec<usize>,
}

impl Prefilter {
    fn new(patterns: &[(String, bool)]) -> Prefilter {
        let mut rust = Vec::new();
        let mut indexes = Vec::new();
        let mut always = Vec::new();
        for (i, (p, ci)) in patterns.iter().enumerate() {
            let candidate = superset_pattern(p, *ci);
            if regex_automata::util::syntax::parse(&candidate).is_ok() {
                rust.push(candidate);
                indexes.push(i);
            } else {
                always.push(i);
            }
        }
        let set = regex_automata::meta::Regex::builder()
            .configure(
                regex_automata::meta::Regex::config()
                    .match_kind(regex_automata::MatchKind::All)
                    .nfa_size_limit(Some(256 << 20))
                    .hybrid_cache_capacity(64 << 20),
            )
            .build_many(&rust)
            .ok();
        if set.is_none() {
            always = (0..patterns.len()).collect();
            indexes.clear();
        }
        Prefilter {
            set,
            indexes,
            always,
        }
    }

    /// The candidate indexes, in list order.
    fn candidates(&self, agent: &str) -> Vec<usize> {
        let mut out = self.always.clone();
        if let Some(set) = &self.set {
            let mut patset = regex_automata::PatternSet::new(set.pattern_len());
            set.which_overlapping_matches(&regex_automata::Input::new(agent), &mut patset);
            out.extend(patset.iter().map(|p| self.indexes[p.as_usize()]));
        }
        out.sort_unstable();
        out
    }
}

/// `UserAgentParser` over a regexes file.
pub(crate) struct UserAgentParser {
    ua: Vec<Subpattern>,
    os: Vec<Subpattern>,
    device: Vec<Subpattern>,
    filters: [Prefilter; 3],
}

type Entries = Vec<HashMap<String, String>>;

impl UserAgentParser {
    pub(crate) fn from_yaml(text: &str) -> Result<UserAgentParser, String> {
        let file: HashMap<String, Entries> = serde_saphyr::from_str(text)
            .map_err(|e| format!("error parsing regular expression file: {e}"))?;
        let sources = |key: &str| -> Vec<(String, bool)> {
            file.get(key)
                .map(|entries| {
                    entries
                        .iter()
                        .map(|m| {
                            (
                                m.get("regex").cloned().unwrap_or_default(),
                                m.get("regex_flag").is_some_and(|f| f == "i"),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let build =
            |key: &str, name: &str, versions: [&str; 4]| -> Result<Vec<Subpattern>, String> {
                let Some(entries) = file.get(key) else {
                    return Ok(Vec::new());
                };
                entries
                    .iter()
                    .map(|m| {
                        let regex = m
                            .get("regex")
                            .ok_or_else(|| format!("an entry of {key} has no regex"))?;
                        let ci = m.get("regex_flag").is_some_and(|f| f == "i");
                        let pattern = JavaPattern::compile(regex, ci).map_err(|e| {
                            format!("regex [{regex}] of {key} does not compile on Oniguruma: {e}")
                        })?;
                        Ok(Subpattern {
                            pattern,
                            name_replacement: m.get(name).cloned(),
                            v_replacements: versions.map(|v| {
                                if v.is_empty() {
                                    None
                                } else {
                                    m.get(v).cloned()
                                }
                            }),
                        })
                    })
                    .collect()
            };
        let parser = UserAgentParser {
            ua: build(
                "user_agent_parsers",
                "family_replacement",
                [
                    "v1_replacement",
                    "v2_replacement",
                    "v3_replacement",
                    "v4_replacement",
                ],
            )?,
            os: build(
                "os_parsers",
                "os_replacement",
                [
                    "os_v1_replacement",
                    "os_v2_replacement",
                    "os_v3_replacement",
                    "os_v4_replacement",
                ],
            )?,
            device: build("device_parsers", "device_replacement", ["", "", "", ""])?,
            filters: [
                Prefilter::new(&sources("user_agent_parsers")),
                Prefilter::new(&sources("os_parsers")),
                Prefilter::new(&sources("device_parsers")),
            ],
        };
        if parser.ua.is_empty() && parser.os.is_empty() && parser.device.is_empty() {
            return Err("not a valid regular expression file".into());
        }
        Ok(parser)
    }

    /// `findMatch`: the first pattern, in file order, that matches.
    fn find(patterns: &[Subpattern], filter: &Prefilter, agent: &str) -> Option<VersionedName> {
        filter
            .candidates(agent)
            .into_iter()
            .find_map(|i| patterns[i].matches(agent))
    }

    pub(crate) fn parse(&self, agent: &str) -> Details {
        Details {
            user_agent: Self::find(&self.ua, &self.filters[0], agent),
            os: Self::find(&self.os, &self.filters[1], agent),
            device: Self::find(&self.device, &self.filters[2], agent),
        }
    }

    /// The same answer without the prefilter (every pattern tried in order), for the tests.
    #[cfg(test)]
    fn parse_unfiltered(&self, agent: &str) -> Details {
        let find = |ps: &[Subpattern]| ps.iter().find_map(|p| p.matches(agent));
        Details {
            user_agent: find(&self.ua),
            os: find(&self.os),
            device: find(&self.device),
        }
    }
}

/// The `_default_` parser, built once, at the first user agent parsed (on a node: at startup).
static DEFAULT_PARSER: LazyLock<Result<UserAgentParser, String>> =
    LazyLock::new(|| UserAgentParser::from_yaml(REGEXES_YML));

/// The `properties` values, in the enum's order (`EnumSet` iterates so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Property {
    Name,
    Major,
    Minor,
    Patch,
    Os,
    OsName,
    OsMajor,
    OsMinor,
    Device,
    Build,
    Original,
    Version,
}

const ALL: [Property; 12] = [
    Property::Name,
    Property::Major,
    Property::Minor,
    Property::Patch,
    Property::Os,
    Property::OsName,
    Property::OsMajor,
    Property::OsMinor,
    Property::Device,
    Property::Build,
    Property::Original,
    Property::Version,
];

impl Property {
    fn java_name(self) -> &'static str {
        match self {
            Property::Name => "NAME",
            Property::Major => "MAJOR",
            Property::Minor => "MINOR",
            Property::Patch => "PATCH",
            Property::Os => "OS",
            Property::OsName => "OS_NAME",
            Property::OsMajor => "OS_MAJOR",
            Property::OsMinor => "OS_MINOR",
            Property::Device => "DEVICE",
            Property::Build => "BUILD",
            Property::Original => "ORIGINAL",
            Property::Version => "VERSION",
        }
    }

    /// `Property.parseProperty`.
    pub(crate) fn parse(name: &str) -> Result<Property, String> {
        let upper = name.to_uppercase();
        ALL.into_iter()
            .find(|p| p.java_name() == upper)
            .ok_or_else(|| {
                let names: Vec<&str> = ALL.iter().map(|p| p.java_name()).collect();
                format!(
                    "illegal property value [{name}]. valid values are [{}]",
                    names.join(", ")
                )
            })
    }
}

fn dotted(v: &VersionedName) -> Option<String> {
    let mut s = v.major.clone()?;
    if let Some(minor) = &v.minor {
        s.push('.');
        s.push_str(minor);
        if let Some(patch) = &v.patch {
            s.push('.');
            s.push_str(patch);
            if let Some(build) = &v.build {
                s.push('.');
                s.push_str(build);
            }
        }
    }
    Some(s)
}

/// The map the processor stores (a `HashMap`), for the ECS format (`ecs: true`, the default)
/// or the deprecated one.
pub(crate) fn details_map(agent: &str, d: &Details, properties: &[Property], ecs: bool) -> Value {
    let mut out = JMap::new(MapKind::Hash);
    let other = || Value::from("Other");
    for p in properties {
        if ecs {
            match p {
                Property::Original => {
                    out.insert_str("original", Value::from(agent));
                }
                Property::Name => {
                    let name = d
                        .user_agent
                        .as_ref()
                        .map_or_else(other, |u| Value::from(u.name.as_str()));
                    out.insert_str("name", name);
                }
                Property::Version => {
                    if let Some(v) = d.user_agent.as_ref().and_then(dotted) {
                        out.insert_str("version", Value::from(v));
                    }
                }
                Property::Os => {
                    if let Some(os) = &d.os {
                        let mut m = JMap::with_capacity(MapKind::Hash, 3);
                        m.insert_str("name", Value::from(os.name.as_str()));
                        if let Some(v) = dotted(os) {
                            m.insert_str("version", Value::from(v.as_str()));
                            m.insert_str("full", Value::from(format!("{} {v}", os.name)));
                        }
                        out.insert_str("os", Value::map_from(m));
                    }
                }
                Property::Device => {
                    let mut m = JMap::with_capacity(MapKind::Hash, 1);
                    let name = d
                        .device
                        .as_ref()
                        .map_or_else(other, |v| Value::from(v.name.as_str()));
                    m.insert_str("name", name);
                    out.insert_str("device", Value::map_from(m));
                }
                _ => {}
            }
        } else {
            let ua = d.user_agent.as_ref();
            let os = d.os.as_ref();
            let put = |out: &mut JMap, k: &str, v: Option<&String>| {
                if let Some(v) = v {
                    out.insert_str(k, Value::from(v.as_str()));
                }
            };
            match p {
                Property::Name => {
                    out.insert_str(
                        "name",
                        ua.map_or_else(other, |u| Value::from(u.name.as_str())),
                    );
                }
                Property::Major => put(&mut out, "major", ua.and_then(|u| u.major.as_ref())),
                Property::Minor => put(&mut out, "minor", ua.and_then(|u| u.minor.as_ref())),
                Property::Patch => put(&mut out, "patch", ua.and_then(|u| u.patch.as_ref())),
                Property::Build => put(&mut out, "build", ua.and_then(|u| u.build.as_ref())),
                Property::Os => {
                    // buildFullOSName: the name, then " major.minor.patch.build" as present
                    let full = os.map_or_else(other, |o| {
                        let mut s = o.name.clone();
                        if let Some(v) = dotted(o) {
                            s.push(' ');
                            s.push_str(&v);
                        }
                        Value::from(s)
                    });
                    out.insert_str("os", full);
                }
                Property::OsName => {
                    out.insert_str(
                        "os_name",
                        os.map_or_else(other, |o| Value::from(o.name.as_str())),
                    );
                }
                Property::OsMajor => put(&mut out, "os_major", os.and_then(|o| o.major.as_ref())),
                Property::OsMinor => put(&mut out, "os_minor", os.and_then(|o| o.minor.as_ref())),
                Property::Device => {
                    out.insert_str(
                        "device",
                        d.device
                            .as_ref()
                            .map_or_else(other, |v| Value::from(v.name.as_str())),
                    );
                }
                Property::Original | Property::Version => {}
            }
        }
    }
    Value::map_from(out)
}

/// Parsed agents, as upstream's `UserAgentCache` (1,000 entries) keeps them: the answers do not
/// depend on it, only the time they take.
struct Cache(std::sync::Mutex<HashMap<String, Details>>);

const CACHE_SIZE: usize = 1000;

impl Cache {
    fn parse(&self, parser: &UserAgentParser, agent: &str) -> Details {
        if let Some(d) = self.0.lock().ok().and_then(|c| c.get(agent).cloned()) {
            return d;
        }
        let details = parser.parse(agent);
        if let Ok(mut c) = self.0.lock() {
            if c.len() >= CACHE_SIZE {
                c.clear();
            }
            c.insert(agent.to_owned(), details.clone());
        }
        details
    }
}

pub struct UserAgentProcessor {
    cache: Cache,
    tag: Option<String>,
    description: Option<String>,
    field: String,
    target_field: String,
    properties: Vec<Property>,
    ignore_missing: bool,
    ecs: bool,
}

/// `UserAgentProcessor.Factory`, in its order: `field`, `target_field` (default `user_agent`),
/// `regex_file` (default `_default_`), `properties`, `ignore_missing`, `ecs` (default true).
pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let target_field = config.string_or("target_field", "user_agent")?;
    let regex_file = config.string_or("regex_file", DEFAULT_PARSER_NAME)?;
    let property_names = config.optional_list("properties")?;
    let ignore_missing = config.boolean("ignore_missing", false)?;
    let ecs = config.boolean("ecs", true)?;
    if regex_file != DEFAULT_PARSER_NAME {
        return Err(config.new_config_error(
            "regex_file",
            format!(
                "regex file [{regex_file}] doesn't exist (has to exist at node startup); not supported by siemctl's offline engine: custom user-agent regex files (config/ingest-user-agent/*.yml)"
            ),
        ));
    }
    // The `_default_` parser is loaded at the first user agent parsed, not here: on a node it is
    // loaded at startup, before any pipeline exists, so creating a processor never waits for
    // it; loading it (the YAML, several hundred Oniguruma compiles, the prefilter sets) was
    // three quarters of the time `siemctl validate` spent building the bundled pipelines. The
    // bundled file always loads (`upstream_file_loads`); were it not to, `execute` says so
    // (unsupported), as it always has.
    let properties = match property_names {
        None => ALL.to_vec(),
        Some(names) => {
            let mut set: Vec<Property> = Vec::new();
            for name in names {
                let name = match name {
                    serde_json::Value::String(s) => s,
                    other => crate::config::json_java_to_string(&other),
                };
                let p =
                    Property::parse(&name).map_err(|m| config.new_config_error("properties", m))?;
                if !set.contains(&p) {
                    set.push(p);
                }
            }
            set.sort();
            set
        }
    };
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(UserAgentProcessor {
        cache: Cache(std::sync::Mutex::new(HashMap::new())),
        tag,
        description,
        field,
        target_field,
        properties,
        ignore_missing,
        ecs,
    }))
}

impl Processor for UserAgentProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let value = doc
            .field_opt(&self.field, self.ignore_missing)?
            .unwrap_or(Value::Null);
        let Some(agent) = crate::document::cast_string(&self.field, &value)? else {
            if self.ignore_missing {
                return Ok(Outcome::Continue);
            }
            return Err(IngestError::illegal_argument(format!(
                "field [{}] is null, cannot parse user-agent.",
                self.field
            )));
        };
        let parser = DEFAULT_PARSER
            .as_ref()
            .map_err(|e| IngestError::unsupported(format!("the user-agent regexes: {e}")))?;
        let details = self.cache.parse(parser, &agent);
        doc.set_field(
            &self.target_field,
            details_map(&agent, &details, &self.properties, self.ecs),
        )?;
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "user_agent"
    }

    fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processors::lowercase::testing::*;
    use serde_json::json;

    fn parser() -> &'static UserAgentParser {
        DEFAULT_PARSER
            .as_ref()
            .expect("regexes.yml loads and every regex compiles")
    }

    #[test]
    fn upstream_file_loads() {
        let p = parser();
        assert!(p.ua.len() > 300 && p.os.len() > 100 && p.device.len() > 500);
        // nearly every pattern goes through the prefilter
        for f in &p.filters {
            assert!(f.set.is_some());
            assert!(f.always.len() < 10, "{}", f.always.len());
        }
    }

    #[test]
    fn prefilter_never_changes_the_answer() {
        let p = parser();
        let agents = [
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.149 Safari/537.36",
            "Mozilla/5.0 (Linux; U; Android 3.0; en-us; Xoom Build/HRI39) AppleWebKit/525.10+ (KHTML, like Gecko) Version/3.0.4 Mobile Safari/523.12.2",
            "Mozilla/5.0 (compatible; EasouSpider; +http://www.easou.com/search/spider.html)",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 14_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.3 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
            "curl/7.68.0",
            "python-requests/2.31.0",
            "Googlebot/2.1 (+http://www.google.com/bot.html)",
            "ESPN APP\n",
            "Mozilla/5.0 (Linux; Android 13; SM-S908B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile Safari/537.36",
            "Dalvik/2.1.0 (Linux; U; Android 9; Redmi Note 7 MIUI/V10.3.5.0.PFGMIXM)",
            "aws-cli/2.13.0 Python/3.11.4 Linux/5.10 exe/x86_64.amzn.2 prompt/off",
            "Something I made up v42.0.1",
            "Mozilla/5.0 (PlayStation 4 3.11) AppleWebKit/537.73 (KHTML, like Gecko)",
            "",
        ];
        for a in agents {
            assert_eq!(p.parse(a), p.parse_unfiltered(a), "{a:?}");
        }
    }

    #[test]
    fn yaml_defaults() {
        // 20_useragent_processor.yml "Test user agent processor with defaults"
        let ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.149 Safari/537.36";
        let p = build("user_agent", json!({"field": "field1"}));
        let out = run_ok(&*p, json!({"field1": ua}));
        assert_eq!(
            out["user_agent"],
            json!({
                "name": "Chrome",
                "original": ua,
                "os": {"name": "Mac OS X", "version": "10.9.2", "full": "Mac OS X 10.9.2"},
                "version": "33.0.1750.149",
                "device": {"name": "Mac"}
            })
        );
        // "with parameters": only os, in field2
        let p = build(
            "user_agent",
            json!({"field": "field1", "ecs": true, "target_field": "field2", "properties": ["os"]}),
        );
        let out = run_ok(&*p, json!({"field1": ua}));
        assert_eq!(
            out["field2"],
            json!({"os": {"name": "Mac OS X", "version": "10.9.2", "full": "Mac OS X 10.9.2"}})
        );
        assert!(out.get("user_agent").is_none());
    }

    #[test]
    fn upstream_processor_cases() {
        // UserAgentProcessorTests: Chrome on Android, an unknown agent ("Other"), the
        // deprecated format
        let p = parser();
        let d = p.parse("Mozilla/5.0 (Linux; Android 4.4.2; Nexus 5 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.99 Mobile Safari/537.36");
        assert_eq!(
            d.user_agent.as_ref().map(|u| u.name.as_str()),
            Some("Chrome Mobile")
        );
        assert_eq!(d.os.as_ref().map(|o| o.name.as_str()), Some("Android"));
        assert_eq!(d.device.as_ref().map(|v| v.name.as_str()), Some("Nexus 5"));
        let v = details_map(
            "Something I made up v42.0.1",
            &p.parse("Something I made up v42.0.1"),
            &ALL,
            true,
        );
        assert_eq!(
            crate::document::to_json(&v).unwrap(),
            json!({"name": "Other", "original": "Something I made up v42.0.1", "device": {"name": "Other"}})
        );
        let ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.149 Safari/537.36";
        let v = details_map(ua, &p.parse(ua), &[Property::Os, Property::OsMajor], false);
        assert_eq!(
            crate::document::to_json(&v).unwrap(),
            json!({"os": "Mac OS X 10.9.2", "os_major": "10"})
        );
    }

    fn target(ua: &str) -> serde_json::Value {
        let p = build(
            "user_agent",
            json!({"field": "source_field", "target_field": "target_field"}),
        );
        run_ok(&*p, json!({"source_field": ua}))["target_field"].clone()
    }

    #[test]
    fn upstream_user_agent_processor_tests() {
        // UserAgentProcessorTests (commit 5eed62576a5425bfdbba3944aa0c81246b314ee1)
        let t = target("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.149 Safari/537.36");
        assert_eq!(t["name"], "Chrome");
        assert_eq!(t["version"], "33.0.1750.149");
        assert_eq!(
            t["os"],
            json!({"name": "Mac OS X", "version": "10.9.2", "full": "Mac OS X 10.9.2"})
        );
        assert_eq!(t["device"], json!({"name": "Mac"}));
        // testUncommonDevice
        let t = target("Mozilla/5.0 (Linux; U; Android 3.0; en-us; Xoom Build/HRI39) AppleWebKit/525.10+ (KHTML, like Gecko) Version/3.0.4 Mobile Safari/523.12.2");
        assert_eq!(t["name"], "Android");
        assert_eq!(t["version"], "3.0");
        assert_eq!(
            t["os"],
            json!({"name": "Android", "version": "3.0", "full": "Android 3.0"})
        );
        assert_eq!(t["device"], json!({"name": "Motorola Xoom"}));
        // testSpider
        let t = target(
            "Mozilla/5.0 (compatible; EasouSpider; +http://www.easou.com/search/spider.html)",
        );
        assert_eq!(t["name"], "EasouSpider");
        assert!(t.get("version").is_none());
        assert!(t.get("os").is_none());
        assert_eq!(t["device"], json!({"name": "Spider"}));
        // testUnknown
        let t = target("Something I made up v42.0.1");
        assert_eq!(t["name"], "Other");
        assert!(t.get("os").is_none());
        assert_eq!(t["device"], json!({"name": "Other"}));
        // testNonExistentWithoutIgnoreMissing
        let p = build("user_agent", json!({"field": "source_field"}));
        assert_eq!(
            run_err(&*p, json!({})).reason(),
            "field [source_field] not present as part of path [source_field]"
        );
    }

    #[test]
    fn config_errors() {
        let e = build_err(
            "user_agent",
            json!({"field": "f", "regex_file": "custom.yml"}),
        );
        assert_eq!(
            e.reason(),
            "[regex_file] regex file [custom.yml] doesn't exist (has to exist at node startup); not supported by siemctl's offline engine: custom user-agent regex files (config/ingest-user-agent/*.yml)"
        );
        assert_eq!(e.metadata("property_name"), Some("regex_file"));
        // the default parser's name is accepted
        build(
            "user_agent",
            json!({"field": "f", "regex_file": "_default_"}),
        );
        let e = build_err(
            "user_agent",
            json!({"field": "f", "properties": ["invalid"]}),
        );
        assert_eq!(
            e.reason(),
            "[properties] illegal property value [invalid]. valid values are [NAME, MAJOR, MINOR, PATCH, OS, OS_NAME, OS_MAJOR, OS_MINOR, DEVICE, BUILD, ORIGINAL, VERSION]"
        );
        let p = build("user_agent", json!({"field": "f"}));
        assert_eq!(
            run_err(&*p, json!({"f": null})).reason(),
            "field [f] is null, cannot parse user-agent."
        );
        let p = build("user_agent", json!({"field": "f", "ignore_missing": true}));
        assert_eq!(run_ok(&*p, json!({})), json!({}));
    }

    /// The `shared/reference/raw-logs` directory beside the repository, when there is one.
    fn raw_logs() -> Option<std::path::PathBuf> {
        let mut dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
        loop {
            for candidate in [dir.join("shared"), dir.join("..").join("shared")] {
                let logs = candidate.join("reference").join("raw-logs");
                if logs.is_dir() {
                    return Some(logs);
                }
            }
            if !dir.pop() {
                return None;
            }
        }
    }

    #[test]
    fn prefilter_on_the_reference_web_logs() {
        // every User-Agent of the reference access logs: the prefiltered parse gives what trying
        // every pattern in order gives
        let Some(dir) = raw_logs() else {
            eprintln!("shared/reference/raw-logs not found: the reference agents are not checked");
            return;
        };
        let p = parser();
        let mut seen = std::collections::HashSet::new();
        for file in ["apache.log", "nginx.log"] {
            let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
                continue;
            };
            for line in text.lines() {
                // combined log format: ... "referer" "agent" [...]
                let quoted: Vec<&str> = line.split('"').collect();
                if quoted.len() >= 6 {
                    seen.insert(quoted[5].to_owned());
                }
            }
        }
        assert!(seen.len() > 100, "{} agents", seen.len());
        let mut seen: Vec<String> = seen.into_iter().collect();
        seen.sort();
        // all of them in an optimised build, a sample in a debug one (trying every pattern is slow)
        let take = if cfg!(debug_assertions) {
            60
        } else {
            seen.len()
        };
        for a in seen.iter().step_by((seen.len() / take).max(1)) {
            assert_eq!(p.parse(a), p.parse_unfiltered(a), "{a:?}");
        }
    }

    /// Throughput of the text processors the bundled content uses (not a pass/fail test):
    /// `cargo test -p ingest --release --lib text_processor_throughput -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn text_processor_throughput() {
        use std::time::Instant;
        let time = |name: &str, p: &dyn crate::processor::Processor, docs: &[serde_json::Value]| {
            let start = Instant::now();
            let mut n = 0;
            for _ in 0..5 {
                for d in docs {
                    run(p, d.clone()).expect("runs");
                    n += 1;
                }
            }
            let secs = start.elapsed().as_secs_f64();
            println!("{name}: {:.0} documents/s", n as f64 / secs);
        };
        let agents: Vec<serde_json::Value> = (0..2000)
            .map(|i| json!({"ua": format!("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{}.0.{}.1 Safari/537.36", 90 + i % 40, i)}))
            .collect();
        let p = build("user_agent", json!({"field": "ua"}));
        time("user_agent (2000 distinct agents)", &*p, &agents);
        let same: Vec<serde_json::Value> = (0..2000).map(|_| agents[0].clone()).collect();
        time("user_agent (one agent, cached)", &*p, &same);
        let finding = json!({"message": r#"{"schemaVersion":"2.0","accountId":"123456789012","region":"us-east-1","type":"Recon:EC2/PortProbeUnprotectedPort","resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-0123456789abcdef0","networkInterfaces":[{"privateIpAddress":"10.0.0.1","publicIp":"54.0.0.1"}]}},"service":{"action":{"actionType":"PORT_PROBE","portProbeAction":{"portProbeDetails":[{"localPortDetails":{"port":22},"remoteIpDetails":{"ipAddressV4":"198.51.100.7"}}]}},"count":3},"severity":2,"createdAt":"2026-01-01T00:00:00.000Z","id":"abc","title":"Unprotected port on EC2 instance i-0123 is being probed"}"#});
        let p = build(
            "json",
            json!({"field": "message", "target_field": "aws.guardduty"}),
        );
        time("json (a GuardDuty finding)", &*p, &vec![finding; 2000]);
        let flow = json!({"@message": "2 123456789012 eni-0a1b2c3d 10.0.0.1 198.51.100.7 443 49152 6 10 840 1600000000 1600000060 ACCEPT OK"});
        let p = build(
            "dissect",
            json!({"field": "@message", "pattern": "%{v} %{a} %{i} %{s} %{d} %{sp} %{dp} %{p} %{pk} %{b} %{st} %{en} %{ac} %{ls}"}),
        );
        time(
            "dissect (a VPC flow log, 14 fields)",
            &*p,
            &vec![flow; 2000],
        );
        let p = build("convert", json!({"field": "n", "type": "long"}));
        time("convert", &*p, &vec![json!({"n": "49152"}); 2000]);
    }
}
