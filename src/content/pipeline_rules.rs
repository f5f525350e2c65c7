//! Offline validation of ingest pipeline bodies, the way OpenSearch 2.x checks them when they are
//! PUT to `/_ingest/pipeline/{id}`.
//!
//! The rules and messages mirror the upstream Java code (opensearch-project/OpenSearch, 2.x line):
//!
//! * `server/src/main/java/org/opensearch/ingest/Pipeline.java` (commit `fbe59358`): the top-level
//!   keys, `on_failure`, and the "doesn't support one or more provided configuration parameters"
//!   check.
//! * `server/src/main/java/org/opensearch/ingest/ConfigurationUtils.java` (commit `088bedae`):
//!   `readProcessor` (common options `tag`, `description`, `ignore_failure`, `if`, `on_failure`,
//!   unknown types and leftover options) and the `read*Property` helpers whose messages
//!   ("[x] required property is missing", "[x] property isn't a string, but of type [..]", ...) are
//!   reproduced here, Java class names included.
//! * `server/src/main/java/org/opensearch/script/Script.java` (commit `1763b3c8`): how `script`
//!   processors and object-valued `if` conditions are parsed.
//! * Each `Factory.create` in `modules/ingest-common/src/main/java/org/opensearch/ingest/common/`
//!   (processor registry: `IngestCommonPlugin.java` at commit `79e3ac49`), plus
//!   `server/.../ingest/DropProcessor.java`, `server/.../ingest/PipelineProcessor.java`,
//!   `modules/ingest-user-agent/.../UserAgentProcessor.java` (commit `d3cff6bd`) and
//!   `modules/ingest-geoip/.../GeoIpProcessor.java` (commit `1feb8448`).
//!
//! Scripts, templates, regular expressions and date formats are not checked here: when these rules
//! find nothing, `content::validate::pipelines` builds the pipeline with the offline ingest engine
//! (`crates/ingest`), which compiles them as a node does. Whether a GeoIP database or a user-agent
//! regex file named in a processor exists on the ingest nodes is not checked.

use serde_json::{Map, Value};

/// One problem found in a pipeline body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PipelineProblem {
    /// JSON pointer into the body, e.g. `/processors/3/grok/patterns`.
    pub(crate) pointer: String,
    /// What OpenSearch would say (its own wording wherever it has one).
    pub(crate) message: String,
    /// What to do about it, when there is something useful to say.
    pub(crate) hint: Option<String>,
}

/// Checks a pipeline body the way OpenSearch 2.x would on `PUT /_ingest/pipeline/{id}` and returns
/// every problem found (OpenSearch itself stops at the first one).
pub(crate) fn check_pipeline(id: &str, body: &Value) -> Vec<PipelineProblem> {
    let mut checker = Checker::default();
    checker.pipeline(id, body);
    checker.problems
}

/// The JSON type an option must have, named after the `ConfigurationUtils` reader that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    /// `readStringProperty` / `readOptionalStringProperty`.
    Text,
    /// `readBooleanProperty`.
    Flag,
    /// `readIntProperty`: anything whose `toString()` parses as a Java `int`.
    Int,
    /// `readList` / `readOptionalList` of any elements.
    List,
    /// `readList` / `readOptionalList` whose elements the factory then uses as strings.
    TextList,
    /// `readMap` / `readOptionalMap`.
    Object,
    /// `readObject`: any non-null value.
    AnyValue,
    /// `readObject` / `readOptionalObject` then cast to a string or a list of strings
    /// (`remove.field`, `remove_by_pattern.field_pattern`, ...).
    TextOrList,
}

use Ty::{AnyValue, Flag, Int, List, Object, Text, TextList, TextOrList};

/// A processor type: its required options and its optional ones. The common options every
/// processor accepts (`tag`, `description`, `if`, `ignore_failure`, `on_failure`) are not listed.
struct Spec {
    name: &'static str,
    required: &'static [(&'static str, Ty)],
    optional: &'static [(&'static str, Ty)],
}

const fn spec(
    name: &'static str,
    required: &'static [(&'static str, Ty)],
    optional: &'static [(&'static str, Ty)],
) -> Spec {
    Spec {
        name,
        required,
        optional,
    }
}

/// Every processor a stock OpenSearch 2.x node registers: the ingest-common module
/// (`IngestCommonPlugin.getProcessors`, commit `79e3ac49`, which also registers `drop` and
/// `pipeline` from `server/`), plus the bundled `ingest-user-agent` and `ingest-geoip` modules.
/// Options are read off each `Factory.create` (file `<Name>Processor.java`, commit in brackets).
/// Options that were added during 2.x are accepted and marked with the release that added them;
/// options and processors added in 3.x are left out on purpose (see `LATER_OPTIONS`).
#[rustfmt::skip]
static PROCESSORS: &[Spec] = &[
    // AppendProcessor [8ed17106]
    spec("append", &[("field", Text), ("value", AnyValue)], &[("allow_duplicates", Flag)]),
    // BytesProcessor [90578716] via AbstractStringProcessor [910532dd]
    spec("bytes", &[("field", Text)], &[("target_field", Text), ("ignore_missing", Flag)]),
    // CommunityIdProcessor [92dfbd8d], since 2.13; seed must be 0..=65535
    spec("community_id", &[("source_ip_field", Text), ("destination_ip_field", Text)], &[("source_port_field", Text), ("destination_port_field", Text), ("iana_protocol_number_field", Text), ("protocol_field", Text), ("icmp_type_field", Text), ("icmp_code_field", Text), ("seed", Int), ("target_field", Text), ("ignore_missing", Flag)]),
    // ConvertProcessor [93c7aaa1]; `type` is checked in code (`ip` since 2.14)
    spec("convert", &[("field", Text), ("type", Text)], &[("target_field", Text), ("ignore_missing", Flag)]),
    // CopyProcessor [90578716], since 2.12
    spec("copy", &[("source_field", Text), ("target_field", Text)], &[("ignore_missing", Flag), ("remove_source", Flag), ("override_target", Flag)]),
    // CsvProcessor [67f365a1]; quote/separator one character, target_fields non-empty
    spec("csv", &[("field", Text), ("target_fields", TextList)], &[("quote", Text), ("separator", Text), ("trim", Flag), ("empty_value", AnyValue), ("ignore_missing", Flag)]),
    // DateProcessor [47497932]
    spec("date", &[("field", Text), ("formats", TextList)], &[("target_field", Text), ("timezone", Text), ("locale", Text), ("output_format", Text)]),
    // DateIndexNameProcessor [f0fcfb4e]
    spec("date_index_name", &[("field", Text), ("date_rounding", Text)], &[("date_formats", TextList), ("timezone", Text), ("locale", Text), ("index_name_prefix", Text), ("index_name_format", Text)]),
    // DissectProcessor [f0fcfb4e]
    spec("dissect", &[("field", Text), ("pattern", Text)], &[("append_separator", Text), ("ignore_missing", Flag)]),
    // DotExpanderProcessor [5eed6257]; field must contain a dot, checked in code
    spec("dot_expander", &[("field", Text)], &[("path", Text)]),
    // server DropProcessor [1701c537]
    spec("drop", &[], &[]),
    // FailProcessor [90578716]
    spec("fail", &[("message", Text)], &[]),
    // FingerprintProcessor [1f2d5d05], since 2.16; fields xor exclude_fields, hash_method checked in code
    spec("fingerprint", &[], &[("fields", List), ("exclude_fields", List), ("target_field", Text), ("hash_method", Text), ("ignore_missing", Flag)]),
    // ForEachProcessor [1363d40e]; `processor` holds exactly one processor, checked recursively
    spec("foreach", &[("field", Text), ("processor", Object)], &[("ignore_missing", Flag)]),
    // GrokProcessor [bfd878fe]; patterns non-empty (capture_all_matches is 3.3, not 2.x)
    spec("grok", &[("field", Text), ("patterns", TextList)], &[("pattern_definitions", Object), ("trace_match", Flag), ("ignore_missing", Flag)]),
    // GsubProcessor [435ea517] via AbstractStringProcessor
    spec("gsub", &[("field", Text), ("pattern", Text), ("replacement", Text)], &[("target_field", Text), ("ignore_missing", Flag)]),
    // HtmlStripProcessor [90578716] via AbstractStringProcessor
    spec("html_strip", &[("field", Text)], &[("target_field", Text), ("ignore_missing", Flag)]),
    // JoinProcessor [90578716]
    spec("join", &[("field", Text), ("separator", Text)], &[("target_field", Text)]),
    // JsonProcessor [ff435558]; add_to_root excludes target_field, checked in code
    spec("json", &[("field", Text)], &[("target_field", Text), ("add_to_root", Flag)]),
    // KeyValueProcessor [cd50504f]
    spec("kv", &[("field", Text), ("field_split", Text), ("value_split", Text)], &[("target_field", Text), ("trim_key", Text), ("trim_value", Text), ("prefix", Text), ("strip_brackets", Flag), ("include_keys", TextList), ("exclude_keys", TextList), ("ignore_missing", Flag)]),
    // LowercaseProcessor [90578716] via AbstractStringProcessor
    spec("lowercase", &[("field", Text)], &[("target_field", Text), ("ignore_missing", Flag)]),
    // server PipelineProcessor [1712b2ba]; no ignore_missing_pipeline in OpenSearch
    spec("pipeline", &[("name", Text)], &[]),
    // RemoveProcessor [the stored version with exclude_field; 079d65ec is the older one]; field xor exclude_field (exclude_field since 2.12, before that field was required)
    spec("remove", &[], &[("field", TextOrList), ("exclude_field", TextOrList), ("ignore_missing", Flag)]),
    // RemoveByPatternProcessor [2bd97d7f], since 2.12; field_pattern xor exclude_field_pattern
    spec("remove_by_pattern", &[], &[("field_pattern", TextOrList), ("exclude_field_pattern", TextOrList)]),
    // RenameProcessor [693cea5a]; override_target since 2.14
    spec("rename", &[("field", Text), ("target_field", Text)], &[("ignore_missing", Flag), ("override_target", Flag)]),
    // ScriptProcessor [fbe59358]: parsed with Script.PARSER, checked in code (these are its keys)
    spec("script", &[], &[("source", AnyValue), ("id", Text), ("lang", Text), ("params", Object), ("options", Object), ("inline", AnyValue)]),
    // SetProcessor [0ff6058c]; the stored d864f147 also reads copy_from, which no 2.x release note mentions (see LATER_OPTIONS)
    spec("set", &[("field", Text), ("value", AnyValue)], &[("override", Flag), ("ignore_empty_value", Flag)]),
    // SortProcessor [910532dd]; order is asc or desc
    spec("sort", &[("field", Text)], &[("target_field", Text), ("order", Text)]),
    // SplitProcessor [f0fcfb4e]
    spec("split", &[("field", Text), ("separator", Text)], &[("target_field", Text), ("ignore_missing", Flag), ("preserve_trailing", Flag)]),
    // TrimProcessor [90578716] via AbstractStringProcessor
    spec("trim", &[("field", Text)], &[("target_field", Text), ("ignore_missing", Flag)]),
    // UppercaseProcessor [910532dd] via AbstractStringProcessor
    spec("uppercase", &[("field", Text)], &[("target_field", Text), ("ignore_missing", Flag)]),
    // URLDecodeProcessor [193ea93e] via AbstractStringProcessor
    spec("urldecode", &[("field", Text)], &[("target_field", Text), ("ignore_missing", Flag)]),
    // ingest-user-agent UserAgentProcessor [d3cff6bd]; properties checked in code
    spec("user_agent", &[("field", Text)], &[("target_field", Text), ("regex_file", Text), ("properties", TextList), ("ignore_missing", Flag), ("ecs", Flag)]),
    // ingest-geoip GeoIpProcessor [1feb8448]; properties checked in code against the database type
    spec("geoip", &[("field", Text)], &[("target_field", Text), ("database_file", Text), ("properties", TextList), ("ignore_missing", Flag), ("first_only", Flag)]),
];

/// Options people copy from Elasticsearch pipelines or newer OpenSearch docs that a 2.x node
/// rejects as unsupported parameters: (processor, option, hint).
#[rustfmt::skip]
static LATER_OPTIONS: &[(&str, &str, &str)] = &[
    ("set", "copy_from", "the OpenSearch 2.x `set` processor has no `copy_from` (Elasticsearch 7.11+ has); use the `copy` processor (OpenSearch 2.12+) or `\"value\": \"{{field}}\"`"),
    ("set", "media_type", "`media_type` is an Elasticsearch option; OpenSearch renders `value` templates as plain text"),
    ("grok", "capture_all_matches", "`capture_all_matches` was added in OpenSearch 3.3; remove it for 2.x clusters"),
    ("grok", "ecs_compatibility", "`ecs_compatibility` is an Elasticsearch option; remove it"),
    ("pipeline", "ignore_missing_pipeline", "`ignore_missing_pipeline` is an Elasticsearch option; OpenSearch 2.x fails when the named pipeline is missing, so guard the processor with `if` or `ignore_failure`"),
    ("json", "allow_duplicate_keys", "`allow_duplicate_keys` is an Elasticsearch option; remove it"),
    ("json", "strict_json_parsing", "`strict_json_parsing` is an Elasticsearch option; remove it"),
    ("rename", "override", "the `rename` option is called `override_target` in OpenSearch (2.14+)"),
    ("remove", "keep", "`keep` is the Elasticsearch name; OpenSearch 2.12+ calls it `exclude_field`"),
    ("date", "output_timezone", "`output_timezone` is not an OpenSearch option; `timezone` applies to parsing and output"),
];

/// Processor types a stock OpenSearch 2.x node does not have, with where they come from.
#[rustfmt::skip]
static FOREIGN_PROCESSORS: &[(&str, &str)] = &[
    ("attachment", "`attachment` comes from the ingest-attachment plugin, which is not bundled; install it on every ingest node or remove the processor"),
    ("text_embedding", "`text_embedding` comes from the neural-search plugin; siemctl only knows the bundled processors"),
    ("sparse_encoding", "`sparse_encoding` comes from the neural-search plugin; siemctl only knows the bundled processors"),
    ("text_image_embedding", "`text_image_embedding` comes from the neural-search plugin; siemctl only knows the bundled processors"),
    ("text_chunking", "`text_chunking` comes from the neural-search plugin; siemctl only knows the bundled processors"),
    ("ml_inference", "`ml_inference` comes from the ml-commons plugin; siemctl only knows the bundled processors"),
    ("ip2geo", "`ip2geo` comes from the geospatial plugin; the bundled alternative is `geoip`"),
    ("temporal_routing", "`temporal_routing` was added in OpenSearch 3.3; it does not exist on 2.x"),
    ("hierarchical_routing", "`hierarchical_routing` is an OpenSearch 3.x processor; it does not exist on 2.x"),
    ("acl_routing", "`acl_routing` is an OpenSearch 3.x processor; it does not exist on 2.x"),
    ("enrich", "`enrich` is an Elasticsearch processor; OpenSearch has no equivalent, precompute the fields or use a `script`"),
    ("inference", "`inference` is an Elasticsearch processor; OpenSearch's counterpart is `ml_inference` from the ml-commons plugin"),
    ("network_direction", "`network_direction` is an Elasticsearch processor; compute it with a `script`"),
    ("registered_domain", "`registered_domain` is an Elasticsearch processor; compute it with a `script` or `grok`"),
    ("uri_parts", "`uri_parts` is an Elasticsearch processor; use `grok` or `dissect` instead"),
    ("redact", "`redact` is an Elasticsearch processor; use `gsub` instead"),
    ("reroute", "`reroute` is an Elasticsearch processor; set `_index` with `set` or use `date_index_name`"),
    ("terminate", "`terminate` is an Elasticsearch processor; use `drop` or a conditional `pipeline` instead"),
    ("circle", "`circle` is an Elasticsearch processor; OpenSearch does not have it"),
    ("set_security_user", "`set_security_user` is an Elasticsearch security processor; OpenSearch does not have it"),
];

/// Options `ConfigurationUtils.readProcessor` reads for every processor type.
const COMMON_OPTIONS: &[&str] = &["tag", "description", "if", "ignore_failure", "on_failure"];

/// `ConvertProcessor.Type` values (matched after upper-casing).
const CONVERT_TYPES: &[&str] = &[
    "integer", "long", "double", "float", "boolean", "string", "ip", "auto",
];

/// `FingerprintProcessor.HASH_METHODS` (matched after upper-casing).
const HASH_METHODS: &[&str] = &[
    "MD5@2.16.0",
    "SHA-1@2.16.0",
    "SHA-256@2.16.0",
    "SHA3-256@2.16.0",
];

/// `UserAgentProcessor.Property`, in declaration order (as `EnumSet.toString` prints them).
const USER_AGENT_PROPERTIES: &[&str] = &[
    "NAME", "MAJOR", "MINOR", "PATCH", "OS", "OS_NAME", "OS_MAJOR", "OS_MINOR", "DEVICE", "BUILD",
    "ORIGINAL", "VERSION",
];

/// `GeoIpProcessor.Property.ALL_CITY_PROPERTIES`, in declaration order.
const GEOIP_CITY_PROPERTIES: &[&str] = &[
    "IP",
    "COUNTRY_ISO_CODE",
    "COUNTRY_NAME",
    "CONTINENT_NAME",
    "REGION_ISO_CODE",
    "REGION_NAME",
    "CITY_NAME",
    "TIMEZONE",
    "LOCATION",
];
/// `GeoIpProcessor.Property.ALL_COUNTRY_PROPERTIES`, in declaration order.
const GEOIP_COUNTRY_PROPERTIES: &[&str] =
    &["IP", "COUNTRY_ISO_CODE", "COUNTRY_NAME", "CONTINENT_NAME"];
/// `GeoIpProcessor.Property.ALL_ASN_PROPERTIES`, in declaration order.
const GEOIP_ASN_PROPERTIES: &[&str] = &["IP", "ASN", "ORGANIZATION_NAME", "NETWORK"];

/// `org.opensearch.core.common.Strings.INVALID_FILENAME_CHARS` as its `HashSet` prints it.
const INVALID_FILENAME_CHARS: &str = "[ , \", *, \\, <, |, ,, >, /, ?]";

#[derive(Default)]
struct Checker {
    problems: Vec<PipelineProblem>,
}

impl Checker {
    fn push(&mut self, pointer: &str, message: impl Into<String>, hint: Option<String>) {
        self.problems.push(PipelineProblem {
            pointer: pointer.to_owned(),
            message: message.into(),
            hint,
        });
    }

    /// `Pipeline.create`.
    fn pipeline(&mut self, id: &str, body: &Value) {
        let Some(config) = body.as_object() else {
            self.push(
                "",
                format!(
                    "pipeline [{id}] must be a JSON object, but is of type [{}]",
                    java_type(body)
                ),
                Some("write the pipeline as {\"description\": ..., \"processors\": [...]}".into()),
            );
            return;
        };
        if let Some(description) = present(config, "description") {
            if !description.is_string() {
                self.push(
                    "/description",
                    not_a("description", "a string", description),
                    None,
                );
            }
        }
        if let Some(version) = present(config, "version") {
            if java_int(version).is_none() {
                self.push(
                    "/version",
                    format!(
                        "[version] property cannot be converted to an int [{}]",
                        java_to_string(version)
                    ),
                    Some("use a whole number between -2147483648 and 2147483647, e.g. 3".into()),
                );
            }
        }
        match present(config, "processors") {
            None => self.push(
                "",
                "[processors] required property is missing",
                Some("add \"processors\": [ ... ] (it may be empty)".into()),
            ),
            Some(Value::Array(list)) => self.processor_list(list, "/processors"),
            Some(other) => self.push("/processors", not_a("processors", "a list", other), None),
        }
        match present(config, "on_failure") {
            None => {}
            Some(Value::Array(list)) => {
                if list.is_empty() {
                    self.push(
                        "/on_failure",
                        format!("pipeline [{id}] cannot have an empty on_failure option defined"),
                        Some("remove `on_failure` or add at least one processor to it".into()),
                    );
                }
                self.processor_list(list, "/on_failure");
            }
            Some(other) => self.push("/on_failure", not_a("on_failure", "a list", other), None),
        }
        for key in config.keys() {
            if !matches!(
                key.as_str(),
                "description" | "version" | "processors" | "on_failure"
            ) {
                let hint = if key == "_meta" {
                    "OpenSearch (unlike Elasticsearch 7.15+) has no `_meta` on ingest pipelines; \
                     move the notes into `description`"
                        .to_owned()
                } else {
                    suggestion(key, ["description", "version", "processors", "on_failure"])
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| {
                            "a pipeline only takes description, version, processors and on_failure"
                                .to_owned()
                        })
                };
                self.push(
                    &child("", key),
                    format!(
                        "pipeline [{id}] doesn't support one or more provided configuration \
                         parameters [{key}]"
                    ),
                    Some(hint),
                );
            }
        }
    }

    /// `ConfigurationUtils.readProcessorConfigs`.
    fn processor_list(&mut self, list: &[Value], pointer: &str) {
        for (index, entry) in list.iter().enumerate() {
            let pointer = format!("{pointer}/{index}");
            let Some(entry) = entry.as_object() else {
                self.push(
                    &pointer,
                    format!(
                        "processor must be an object with exactly one key (the processor type), \
                         but is of type [{}]",
                        java_type(entry)
                    ),
                    Some("write each processor as {\"<type>\": { ...options }}".into()),
                );
                continue;
            };
            match entry.len() {
                1 => {}
                0 => self.push(
                    &pointer,
                    "processor must be an object with exactly one key (the processor type), but \
                     has none",
                    Some("OpenSearch silently ignores an empty processor object; remove it".into()),
                ),
                _ => self.push(
                    &pointer,
                    format!(
                        "processor must be an object with exactly one key (the processor type), \
                         but has [{}]",
                        {
                            // Sorted, so the message does not depend on map order.
                            let mut keys: Vec<&str> = entry.keys().map(String::as_str).collect();
                            keys.sort_unstable();
                            keys.join(", ")
                        }
                    ),
                    Some(
                        "OpenSearch turns every key into a separate processor; split them into \
                         separate entries of the list so the order is explicit"
                            .into(),
                    ),
                ),
            }
            for (kind, config) in entry {
                self.processor(kind, config, &child(&pointer, kind));
            }
        }
    }

    /// `ConfigurationUtils.readProcessor`, then the type's `Factory.create`.
    fn processor(&mut self, kind: &str, config: &Value, pointer: &str) {
        let config = match config {
            Value::Object(config) => config,
            Value::Null => {
                self.push(
                    pointer,
                    format!("the config of processor [{kind}] cannot be null"),
                    Some(format!(
                        "give the options as an object: {{\"{kind}\": {{ ... }}}}"
                    )),
                );
                return;
            }
            // `{"script": "ctx.a = 1"}` is shorthand for `{"script": {"source": "ctx.a = 1"}}`.
            Value::String(_) if kind == "script" => return,
            other => {
                self.push(
                    pointer,
                    format!("property isn't a map, but of type [{}]", java_type(other)),
                    Some(format!(
                        "give the options as an object: {{\"{kind}\": {{ ... }}}}"
                    )),
                );
                return;
            }
        };
        self.common_options(config, pointer);

        let Some(spec) = PROCESSORS.iter().find(|spec| spec.name == kind) else {
            let hint = FOREIGN_PROCESSORS
                .iter()
                .find(|(name, _)| *name == kind)
                .map(|(_, hint)| (*hint).to_owned())
                .or_else(|| {
                    suggestion(kind, PROCESSORS.iter().map(|spec| spec.name))
                        .map(|s| format!("did you mean `{s}`?"))
                });
            self.push(
                pointer,
                format!("No processor type exists with name [{kind}]"),
                hint,
            );
            return;
        };

        if kind == "script" {
            self.script(config, pointer, true);
            return;
        }
        for &(name, ty) in spec.required {
            match present(config, name) {
                Some(value) => self.option_type(name, ty, value, &child(pointer, name)),
                None => {
                    let hint = missing_hint(kind, name, config)
                        .or_else(|| Some(required_example(kind, name, ty)));
                    self.push(
                        pointer,
                        format!("[{name}] required property is missing"),
                        hint,
                    );
                }
            }
        }
        for &(name, ty) in spec.optional {
            if let Some(value) = present(config, name) {
                self.option_type(name, ty, value, &child(pointer, name));
            }
        }
        self.processor_rules(kind, config, pointer);
        for key in config.keys() {
            let known = COMMON_OPTIONS.contains(&key.as_str())
                || spec.required.iter().any(|(name, _)| name == key)
                || spec.optional.iter().any(|(name, _)| name == key);
            if !known {
                self.unknown_option(spec, key, pointer);
            }
        }
    }

    /// `tag`, `description`, `ignore_failure`, `if` and `on_failure`.
    fn common_options(&mut self, config: &Map<String, Value>, pointer: &str) {
        for name in ["tag", "description"] {
            if let Some(value) = present(config, name) {
                if !value.is_string() {
                    self.push(&child(pointer, name), not_a(name, "a string", value), None);
                }
            }
        }
        if let Some(value) = present(config, "ignore_failure") {
            if !value.is_boolean() {
                self.push(
                    &child(pointer, "ignore_failure"),
                    not_a("ignore_failure", "a boolean", value),
                    quoted_bool_hint(value),
                );
            }
        }
        match present(config, "if") {
            None | Some(Value::String(_)) => {}
            Some(Value::Object(script)) => self.script(script, &child(pointer, "if"), false),
            Some(other) => self.push(
                &child(pointer, "if"),
                format!(
                    "[script] property isn't a map or string, but of type [{}]",
                    java_type(other)
                ),
                Some(
                    "write the condition as a Painless expression string, e.g. \"ctx.a != null\""
                        .into(),
                ),
            ),
        }
        match present(config, "on_failure") {
            None => {}
            Some(Value::Array(list)) => {
                let on_failure = child(pointer, "on_failure");
                if list.is_empty() {
                    self.push(
                        &on_failure,
                        "[on_failure] processors list cannot be empty",
                        Some("remove `on_failure` or add at least one processor to it".into()),
                    );
                }
                self.processor_list(list, &on_failure);
            }
            Some(other) => self.push(
                &child(pointer, "on_failure"),
                not_a("on_failure", "a list", other),
                None,
            ),
        }
    }

    /// The `ConfigurationUtils.read*Property` type checks.
    fn option_type(&mut self, name: &str, ty: Ty, value: &Value, pointer: &str) {
        match ty {
            Text if !value.is_string() => {
                let hint = match value {
                    Value::Number(_) | Value::Bool(_) => {
                        Some(format!("quote it: \"{}\"", java_to_string(value)))
                    }
                    Value::Array(_) => Some(format!("`{name}` takes a single string, not a list")),
                    _ => None,
                };
                self.push(pointer, not_a(name, "a string", value), hint);
            }
            Flag if !value.is_boolean() => {
                self.push(
                    pointer,
                    not_a(name, "a boolean", value),
                    quoted_bool_hint(value),
                );
            }
            Int if java_int(value).is_none() => self.push(
                pointer,
                format!(
                    "[{name}] property cannot be converted to an int [{}]",
                    java_to_string(value)
                ),
                None,
            ),
            List | TextList if !value.is_array() => {
                let hint = value
                    .is_string()
                    .then(|| format!("wrap it in a list: \"{name}\": [{value}]"));
                self.push(pointer, not_a(name, "a list", value), hint);
            }
            TextList => self.string_elements(name, value, pointer),
            Object if !value.is_object() => self.push(pointer, not_a(name, "a map", value), None),
            TextOrList => match value {
                Value::String(_) => {}
                Value::Array(_) => self.string_elements(name, value, pointer),
                other => self.push(
                    pointer,
                    format!(
                        "[{name}] property isn't a string or a list of strings, but of type [{}]",
                        java_type(other)
                    ),
                    None,
                ),
            },
            _ => {}
        }
    }

    /// Elements of a list the factory uses as strings (a cast that fails on the node otherwise).
    fn string_elements(&mut self, name: &str, list: &Value, pointer: &str) {
        for (index, element) in list.as_array().into_iter().flatten().enumerate() {
            if !element.is_string() {
                self.push(
                    &format!("{pointer}/{index}"),
                    format!(
                        "[{name}] list element isn't a string, but of type [{}]",
                        java_type(element)
                    ),
                    Some(format!(
                        "every element of `{name}` must be a string; OpenSearch fails on the cast"
                    )),
                );
            }
        }
    }

    fn unknown_option(&mut self, spec: &Spec, key: &str, pointer: &str) {
        let kind = spec.name;
        let hint = LATER_OPTIONS
            .iter()
            .find(|(processor, option, _)| *processor == kind && *option == key)
            .map(|(_, _, hint)| (*hint).to_owned())
            .or_else(|| {
                let names = spec
                    .required
                    .iter()
                    .chain(spec.optional)
                    .map(|(name, _)| *name)
                    .chain(COMMON_OPTIONS.iter().copied());
                suggestion(key, names).map(|s| format!("did you mean `{s}`?"))
            })
            .unwrap_or_else(|| {
                let own: Vec<&str> = spec
                    .required
                    .iter()
                    .chain(spec.optional)
                    .map(|(name, _)| *name)
                    .collect();
                if own.is_empty() {
                    format!(
                        "`{kind}` takes only the common options: {}",
                        COMMON_OPTIONS.join(", ")
                    )
                } else {
                    format!(
                        "`{kind}` takes {} (and the common options {})",
                        own.join(", "),
                        COMMON_OPTIONS.join(", ")
                    )
                }
            });
        let message = if kind == "script" {
            format!("[script] unknown field [{key}]")
        } else {
            format!(
                "processor [{kind}] doesn't support one or more provided configuration parameters \
                 [{key}]"
            )
        };
        self.push(&child(pointer, key), message, Some(hint));
    }

    /// `Script.PARSER` and `Script.Builder.build`, for a `script` processor (`processor` is true)
    /// or an object-valued `if`.
    fn script(&mut self, config: &Map<String, Value>, pointer: &str, processor: bool) {
        let script_spec = PROCESSORS.iter().find(|spec| spec.name == "script");
        let mut source: Option<&str> = None;
        let mut id = false;
        let mut lang = false;
        let mut options: Option<&Map<String, Value>> = None;
        for (key, value) in config {
            if processor && COMMON_OPTIONS.contains(&key.as_str()) {
                continue;
            }
            let at = child(pointer, key);
            let wrong_type = |value: &Value| {
                format!(
                    "[script] {key} doesn't support values of type: {}",
                    token_name(value)
                )
            };
            match key.as_str() {
                "source" | "inline" => {
                    if !(value.is_string() || value.is_object()) {
                        self.push(&at, wrong_type(value), None);
                    }
                    if source.is_some() || id {
                        self.push(
                            &at,
                            "must only use one of [source, id] when specifying a script",
                            None,
                        );
                    }
                    source = Some(key);
                }
                "id" => {
                    if !value.is_string() {
                        self.push(&at, wrong_type(value), None);
                    }
                    if source.is_some() || id {
                        self.push(
                            &at,
                            "must only use one of [source, id] when specifying a script",
                            None,
                        );
                    }
                    id = true;
                }
                "lang" => {
                    if !value.is_string() {
                        self.push(&at, wrong_type(value), None);
                    }
                    lang = true;
                }
                "options" | "params" => match value {
                    Value::Object(map) => {
                        if key == "options" {
                            options = Some(map);
                        }
                    }
                    other => self.push(&at, wrong_type(other), None),
                },
                _ => {
                    if let (true, Some(spec)) = (processor, script_spec) {
                        self.unknown_option(spec, key, pointer);
                    } else {
                        let hint = suggestion(key, ["source", "id", "lang", "params", "options"])
                            .map(|s| format!("did you mean `{s}`?"));
                        self.push(&at, format!("[script] unknown field [{key}]"), hint);
                    }
                }
            }
        }
        if source.is_none() && !id {
            self.push(
                pointer,
                "must specify either [source] for an inline script or [id] for a stored script",
                Some(
                    "set `source` to the Painless code, or `id` to the id of a stored script"
                        .into(),
                ),
            );
        }
        let options = options.filter(|map| !map.is_empty());
        if id {
            if lang {
                self.push(
                    &child(pointer, "lang"),
                    "illegally specified <lang> for a stored script",
                    Some("a stored script already has its language; remove `lang`".into()),
                );
            }
            if options.is_some() {
                self.push(
                    &child(pointer, "options"),
                    "field [options] cannot be specified using a stored script",
                    None,
                );
            }
        } else if let Some(options) = options {
            let illegal: Vec<String> = options
                .iter()
                .filter(|(key, _)| key.as_str() != "content_type")
                .map(|(key, value)| format!("{key}={}", java_to_string(value)))
                .collect();
            if !illegal.is_empty() {
                self.push(
                    &child(pointer, "options"),
                    format!(
                        "illegal compiler options [{{{}}}] specified",
                        illegal.join(", ")
                    ),
                    None,
                );
            }
        }
    }

    /// Rules a factory enforces beyond option types.
    fn processor_rules(&mut self, kind: &str, config: &Map<String, Value>, pointer: &str) {
        let text = |name: &str| present(config, name).and_then(Value::as_str);
        match kind {
            "community_id" => {
                if let Some(seed) = present(config, "seed").and_then(java_int) {
                    if !(0..=65535).contains(&seed) {
                        self.push(
                            &child(pointer, "seed"),
                            "[seed] seed must be between 0 and 65535",
                            None,
                        );
                    }
                }
            }
            "convert" => {
                if let Some(ty) = text("type") {
                    let upper = ty.to_uppercase();
                    if !CONVERT_TYPES.iter().any(|t| t.to_uppercase() == upper) {
                        self.push(
                            &child(pointer, "type"),
                            format!("[type] type [{ty}] not supported, cannot convert field."),
                            Some(format!(
                                "use one of {} (`ip` needs 2.14+)",
                                CONVERT_TYPES.join(", ")
                            )),
                        );
                    }
                }
            }
            "csv" => {
                if let Some(quote) = text("quote") {
                    if quote.encode_utf16().count() != 1 {
                        self.push(
                            &child(pointer, "quote"),
                            "[quote] quote has to be single character like \" or '",
                            None,
                        );
                    }
                }
                if let Some(separator) = text("separator") {
                    if separator.encode_utf16().count() != 1 {
                        self.push(
                            &child(pointer, "separator"),
                            "[separator] separator has to be single character like , or ;",
                            None,
                        );
                    }
                }
                if is_empty_list(present(config, "target_fields")) {
                    self.push(
                        &child(pointer, "target_fields"),
                        "[target_fields] target fields list can't be empty",
                        Some("list the names of the columns, in order".into()),
                    );
                }
            }
            "dot_expander" => {
                if let Some(field) = text("field") {
                    let reason = if !field.contains('.') {
                        Some("field does not contain a dot")
                    } else if field.starts_with('.') || field.ends_with('.') {
                        Some("Field can't start or end with a dot")
                    } else if field.contains("..") {
                        Some("No space between dots")
                    } else {
                        None
                    };
                    if let Some(reason) = reason {
                        self.push(&child(pointer, "field"), format!("[field] {reason}"), None);
                    }
                }
            }
            "fingerprint" => self.fingerprint(config, pointer),
            "foreach" => {
                if let Some(Value::Object(inner)) = present(config, "processor") {
                    let at = child(pointer, "processor");
                    if inner.len() == 1 {
                        for (inner_kind, inner_config) in inner {
                            self.processor(inner_kind, inner_config, &child(&at, inner_kind));
                        }
                    } else {
                        self.push(
                            &at,
                            "[processor] Must specify exactly one processor type",
                            Some("write it as \"processor\": {\"<type>\": { ...options }}".into()),
                        );
                    }
                }
            }
            "grok" if is_empty_list(present(config, "patterns")) => self.push(
                &child(pointer, "patterns"),
                "[patterns] List of patterns must not be empty",
                None,
            ),
            "json"
                if present(config, "add_to_root") == Some(&Value::Bool(true))
                    && present(config, "target_field").is_some() =>
            {
                self.push(
                    &child(pointer, "target_field"),
                    "[target_field] Cannot set a target field while also setting `add_to_root` \
                     to true",
                    Some("remove `target_field` or `add_to_root`".into()),
                );
            }
            "remove" => {
                let field = present(config, "field").is_some();
                let exclude = present(config, "exclude_field").is_some();
                if field == exclude {
                    self.push(
                        pointer,
                        "[field] either field or exclude_field must be set",
                        Some(
                            "set `field` to the field(s) to remove, or `exclude_field` to the \
                             fields to keep (2.12+), not both"
                                .into(),
                        ),
                    );
                }
            }
            "remove_by_pattern" => {
                let field = present(config, "field_pattern");
                let exclude = present(config, "exclude_field_pattern");
                match (field, exclude) {
                    (Some(patterns), None) => {
                        self.field_patterns("field_pattern", patterns, pointer)
                    }
                    (None, Some(patterns)) => {
                        self.field_patterns("exclude_field_pattern", patterns, pointer)
                    }
                    _ => self.push(
                        pointer,
                        "[field_pattern] either field_pattern or exclude_field_pattern must be set",
                        Some(
                            "set `field_pattern` to the patterns to remove, or \
                             `exclude_field_pattern` to the patterns to keep, not both"
                                .into(),
                        ),
                    ),
                }
            }
            "sort" => {
                if let Some(order) = text("order") {
                    if order != "asc" && order != "desc" {
                        self.push(
                            &child(pointer, "order"),
                            format!(
                                "[order] Sort direction [{order}] not recognized. Valid values \
                                 are: [asc, desc]"
                            ),
                            None,
                        );
                    }
                }
            }
            "user_agent" => self.properties(config, pointer, USER_AGENT_PROPERTIES),
            "geoip" => {
                let database = text("database_file").unwrap_or("GeoLite2-City.mmdb");
                // The database type comes from the file's metadata on the node; the names of the
                // bundled files tell it, other files are not checked.
                let valid = if database.ends_with("-City.mmdb") {
                    Some(GEOIP_CITY_PROPERTIES)
                } else if database.ends_with("-Country.mmdb") {
                    Some(GEOIP_COUNTRY_PROPERTIES)
                } else if database.ends_with("-ASN.mmdb") {
                    Some(GEOIP_ASN_PROPERTIES)
                } else {
                    None
                };
                if let Some(valid) = valid {
                    self.properties(config, pointer, valid);
                }
            }
            _ => {}
        }
    }

    /// `FingerprintProcessor.Factory.create`.
    fn fingerprint(&mut self, config: &Map<String, Value>, pointer: &str) {
        let fields = present(config, "fields").and_then(Value::as_array);
        let excludes = present(config, "exclude_fields").and_then(Value::as_array);
        let blank = |list: &Vec<Value>| list.iter().any(|v| v.is_null() || v.as_str() == Some(""));
        for (name, list) in [("fields", fields), ("exclude_fields", excludes)] {
            let Some(list) = list else { continue };
            if blank(list) {
                self.push(
                    &child(pointer, name),
                    format!("[{name}] field name cannot be null nor empty"),
                    None,
                );
            }
            for (index, element) in list.iter().enumerate() {
                if !element.is_string() && !element.is_null() {
                    self.push(
                        &format!("{}/{index}", child(pointer, name)),
                        format!(
                            "[{name}] list element isn't a string, but of type [{}]",
                            java_type(element)
                        ),
                        None,
                    );
                }
            }
        }
        if fields.is_some_and(|f| !f.is_empty()) && excludes.is_some_and(|e| !e.is_empty()) {
            self.push(
                &child(pointer, "fields"),
                "[fields] either fields or exclude_fields can be set",
                Some("keep `fields` (hash these) or `exclude_fields` (hash all but these)".into()),
            );
        }
        if let Some(method) = present(config, "hash_method").and_then(Value::as_str) {
            let upper = method.to_uppercase();
            if !HASH_METHODS.contains(&upper.as_str()) {
                self.push(
                    &child(pointer, "hash_method"),
                    "[hash_method] hash method must be MD5@2.16.0, SHA-1@2.16.0, SHA-256@2.16.0 \
                     or SHA3-256@2.16.0",
                    None,
                );
            }
        }
    }

    /// `RemoveByPatternProcessor.Factory.validateFieldPatterns`.
    fn field_patterns(&mut self, name: &str, patterns: &Value, pointer: &str) {
        let list: Vec<&str> = match patterns {
            Value::String(pattern) => vec![pattern.as_str()],
            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
            _ => return,
        };
        let mut errors = Vec::new();
        for pattern in list {
            if pattern.contains('#') {
                errors.push(format!("{name} [{pattern}] must not contain a '#'"));
            }
            if pattern.contains(':') {
                errors.push(format!("{name} [{pattern}] must not contain a ':'"));
            }
            if pattern.starts_with('_') {
                errors.push(format!("{name} [{pattern}] must not start with '_'"));
            }
            if pattern
                .chars()
                .any(|c| matches!(c, '\\' | '/' | '?' | '"' | '<' | '>' | '|' | ' ' | ','))
            {
                errors.push(format!(
                    "{name} [{pattern}] must not contain the following characters \
                     {INVALID_FILENAME_CHARS}"
                ));
            }
        }
        if !errors.is_empty() {
            let listed: String = errors
                .iter()
                .enumerate()
                .map(|(i, error)| format!("{}: {error};", i + 1))
                .collect();
            self.push(
                &child(pointer, name),
                format!("[{name}] Validation Failed: {listed}"),
                None,
            );
        }
    }

    /// `properties` of `user_agent` / `geoip`: each must name a known property.
    fn properties(&mut self, config: &Map<String, Value>, pointer: &str, valid: &[&str]) {
        let Some(list) = present(config, "properties").and_then(Value::as_array) else {
            return;
        };
        let at = child(pointer, "properties");
        for (index, value) in list.iter().enumerate() {
            let Some(name) = value.as_str() else { continue };
            if !valid.contains(&name.to_uppercase().as_str()) {
                self.push(
                    &format!("{at}/{index}"),
                    format!(
                        "[properties] illegal property value [{name}]. valid values are [{}]",
                        valid.join(", ")
                    ),
                    None,
                );
            }
        }
    }
}

/// A value that is present: Java's `Map.remove` returns null for both absent keys and null
/// values, so OpenSearch treats `"x": null` like a missing `x`.
fn present<'a>(config: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    config.get(name).filter(|value| !value.is_null())
}

fn is_empty_list(value: Option<&Value>) -> bool {
    value.and_then(Value::as_array).is_some_and(Vec::is_empty)
}

fn missing_hint(kind: &str, name: &str, config: &Map<String, Value>) -> Option<String> {
    match (kind, name) {
        ("set", "value") if config.contains_key("copy_from") => Some(
            "the OpenSearch 2.x `set` processor has no `copy_from`; use the `copy` processor \
             (2.12+) or `\"value\": \"{{field}}\"`"
                .into(),
        ),
        ("date", "formats") => Some("e.g. \"formats\": [\"ISO8601\"]".into()),
        ("grok", "patterns") => {
            Some("e.g. \"patterns\": [\"%{IP:client.ip} %{GREEDYDATA:msg}\"]".into())
        }
        _ => None,
    }
}

/// What to write for a required option the processor lacks: its name, where, and an example of
/// its type.
fn required_example(kind: &str, name: &str, ty: Ty) -> String {
    let example = match (name, ty) {
        ("field", _) => "\"message\"".to_string(),
        ("target_field", _) => "\"event.original\"".to_string(),
        (_, Ty::Text | Ty::AnyValue | Ty::TextOrList) => "\"...\"".to_string(),
        (_, Ty::Flag) => "true".to_string(),
        (_, Ty::Int) => "1".to_string(),
        (_, Ty::List | Ty::TextList) => "[\"...\"]".to_string(),
        (_, Ty::Object) => "{ ... }".to_string(),
    };
    format!("the `{kind}` processor needs `{name}`: add it inside \"{kind}\": {{ ... }}, e.g. \"{name}\": {example}")
}

/// `ConfigurationUtils`' type error: "[name] property isn't a string, but of type [...]".
fn not_a(name: &str, what: &str, value: &Value) -> String {
    format!(
        "[{name}] property isn't {what}, but of type [{}]",
        java_type(value)
    )
}

fn quoted_bool_hint(value: &Value) -> Option<String> {
    match value.as_str() {
        Some("true") | Some("false") => Some(format!(
            "write it without quotes: {}",
            value.as_str().unwrap_or_default()
        )),
        _ => None,
    }
}

/// The Java class OpenSearch's JSON parser produces for a value (as its messages print it).
fn java_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "java.lang.Boolean",
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) if i32::try_from(i).is_ok() => "java.lang.Integer",
            (Some(_), _) => "java.lang.Long",
            (None, Some(_)) => "java.math.BigInteger",
            (None, None) => "java.lang.Double",
        },
        Value::String(_) => "java.lang.String",
        Value::Array(_) => "java.util.ArrayList",
        Value::Object(_) => "java.util.HashMap",
    }
}

/// Roughly what `value.toString()` prints in Java.
fn java_to_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(list) => format!(
            "[{}]",
            list.iter()
                .map(java_to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{k}={}", java_to_string(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// `Integer.parseInt(value.toString())`, as `readIntProperty` does it.
fn java_int(value: &Value) -> Option<i32> {
    match value {
        Value::Number(_) | Value::String(_) => java_to_string(value).parse().ok(),
        _ => None,
    }
}

/// The XContent token a value starts with (as `ObjectParser` names it).
fn token_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "VALUE_NULL",
        Value::Bool(_) => "VALUE_BOOLEAN",
        Value::Number(_) => "VALUE_NUMBER",
        Value::String(_) => "VALUE_STRING",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
    }
}

/// `pointer` + `/key`, with the key escaped per RFC 6901.
fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// The closest candidate to `name`, if it is close enough to be a likely typo.
fn suggestion<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = name.to_lowercase().replace('-', "_");
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(&wanted, candidate), candidate))
        .filter(|&(distance, _)| distance <= 2 || distance * 4 <= wanted.chars().count())
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(current).min(row[j])
            };
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(body: Value) -> Vec<PipelineProblem> {
        check_pipeline("cloudtrail", &body)
    }

    /// Pointer and message of every problem, in order.
    fn found(body: Value) -> Vec<(String, String)> {
        check(body)
            .into_iter()
            .map(|p| (p.pointer, p.message))
            .collect()
    }

    /// The only problem reported for `body`.
    fn only(body: Value) -> PipelineProblem {
        let mut problems = check(body);
        assert_eq!(problems.len(), 1, "expected one problem, got {problems:#?}");
        problems.remove(0)
    }

    /// A pipeline made of one processor.
    fn with(processor: Value) -> Value {
        json!({ "processors": [processor] })
    }

    fn pair(pointer: &str, message: &str) -> (String, String) {
        (pointer.to_owned(), message.to_owned())
    }

    #[test]
    fn realistic_cloudtrail_pipeline_passes() {
        let body = json!({
            "description": "AWS CloudTrail records to ECS",
            "version": 3,
            "processors": [
                { "json": { "field": "message", "target_field": "aws.cloudtrail.raw", "tag": "parse" } },
                { "date": {
                    "field": "aws.cloudtrail.raw.eventTime",
                    "formats": ["ISO8601"],
                    "target_field": "@timestamp",
                    "timezone": "UTC"
                } },
                { "set": { "field": "event.kind", "value": "event" } },
                { "set": { "field": "cloud.provider", "value": "aws", "override": false } },
                { "rename": {
                    "field": "aws.cloudtrail.raw.sourceIPAddress",
                    "target_field": "source.ip",
                    "ignore_missing": true
                } },
                { "rename": {
                    "field": "aws.cloudtrail.raw.eventName",
                    "target_field": "event.action",
                    "ignore_missing": true,
                    "override_target": true
                } },
                { "lowercase": { "field": "event.action", "ignore_missing": true } },
                { "script": {
                    "lang": "painless",
                    "source": "ctx.event.outcome = ctx.aws.cloudtrail.raw.errorCode == null ? 'success' : 'failure'",
                    "params": { "unused": 1 },
                    "if": "ctx.aws?.cloudtrail?.raw != null",
                    "description": "outcome from errorCode"
                } },
                { "script": "ctx.tags = ['cloudtrail']" },
                { "geoip": {
                    "field": "source.ip",
                    "target_field": "source.geo",
                    "ignore_missing": true,
                    "properties": ["country_iso_code", "city_name", "location"]
                } },
                { "user_agent": { "field": "aws.cloudtrail.raw.userAgent", "ignore_missing": true } },
                { "foreach": {
                    "field": "aws.cloudtrail.raw.resources",
                    "ignore_missing": true,
                    "processor": { "remove": { "field": "_ingest._value.ARN", "ignore_missing": true } }
                } },
                { "remove": { "field": ["message", "aws.cloudtrail.raw.eventTime"], "ignore_missing": true } },
                { "convert": {
                    "field": "source.port",
                    "type": "integer",
                    "ignore_missing": true,
                    "on_failure": [ { "remove": { "field": "source.port" } } ]
                } },
                { "drop": { "if": "ctx.event?.action == 'getobject'" } }
            ],
            "on_failure": [
                { "set": { "field": "error.message", "value": "{{ _ingest.on_failure_message }}" } },
                { "set": { "field": "event.kind", "value": "pipeline_error" } }
            ]
        });
        assert_eq!(check(body), vec![]);
    }

    #[test]
    fn every_processor_in_the_table_accepts_its_required_options() {
        for spec in PROCESSORS {
            let mut config = Map::new();
            for &(name, ty) in spec.required {
                let value = match ty {
                    Text if name == "type" => json!("string"),
                    TextList | List => json!(["a"]),
                    Object => json!({ "set": { "field": "a", "value": 1 } }),
                    Flag => json!(true),
                    Int => json!(1),
                    _ => json!("a.b"),
                };
                config.insert(name.to_owned(), value);
            }
            let extra = match spec.name {
                "script" => Some(("source", json!("ctx.a = 1"))),
                "remove" => Some(("field", json!("a"))),
                "remove_by_pattern" => Some(("field_pattern", json!("a*"))),
                _ => None,
            };
            if let Some((name, value)) = extra {
                config.insert(name.to_owned(), value);
            }
            let body = with(json!({ spec.name: Value::Object(config) }));
            assert_eq!(check(body), vec![], "processor {}", spec.name);
        }
    }

    #[test]
    fn body_must_be_an_object() {
        let problem = only(json!(["set"]));
        assert_eq!(problem.pointer, "");
        assert_eq!(
            problem.message,
            "pipeline [cloudtrail] must be a JSON object, but is of type [java.util.ArrayList]"
        );
    }

    #[test]
    fn processors_are_required_and_must_be_a_list() {
        let problem = only(json!({ "description": "x" }));
        assert_eq!(problem.pointer, "");
        assert_eq!(problem.message, "[processors] required property is missing");

        assert_eq!(
            only(json!({ "processors": null })).message,
            "[processors] required property is missing"
        );
        let problem = only(json!({ "processors": { "set": {} } }));
        assert_eq!(problem.pointer, "/processors");
        assert_eq!(
            problem.message,
            "[processors] property isn't a list, but of type [java.util.HashMap]"
        );
        assert_eq!(check(json!({ "processors": [] })), vec![]);
    }

    #[test]
    fn description_must_be_a_string() {
        let problem = only(json!({ "description": 5, "processors": [] }));
        assert_eq!(problem.pointer, "/description");
        assert_eq!(
            problem.message,
            "[description] property isn't a string, but of type [java.lang.Integer]"
        );
    }

    #[test]
    fn version_is_an_int_or_a_string_holding_one() {
        assert_eq!(check(json!({ "version": 7, "processors": [] })), vec![]);
        assert_eq!(check(json!({ "version": "7", "processors": [] })), vec![]);
        assert_eq!(check(json!({ "version": "-7", "processors": [] })), vec![]);
        for (version, shown) in [
            (json!("1.0"), "1.0"),
            (json!(1.5), "1.5"),
            (json!("seven"), "seven"),
            (json!(3_000_000_000_u64), "3000000000"),
            (json!(true), "true"),
        ] {
            let problem = only(json!({ "version": version, "processors": [] }));
            assert_eq!(problem.pointer, "/version");
            assert_eq!(
                problem.message,
                format!("[version] property cannot be converted to an int [{shown}]")
            );
        }
    }

    #[test]
    fn empty_pipeline_on_failure_is_rejected() {
        let problem = only(json!({ "processors": [], "on_failure": [] }));
        assert_eq!(problem.pointer, "/on_failure");
        assert_eq!(
            problem.message,
            "pipeline [cloudtrail] cannot have an empty on_failure option defined"
        );
        let problem = only(json!({ "processors": [], "on_failure": "drop" }));
        assert_eq!(
            problem.message,
            "[on_failure] property isn't a list, but of type [java.lang.String]"
        );
    }

    #[test]
    fn meta_and_other_top_level_keys_are_rejected() {
        let problem = only(json!({ "processors": [], "_meta": { "owner": "soc" } }));
        assert_eq!(problem.pointer, "/_meta");
        assert_eq!(
            problem.message,
            "pipeline [cloudtrail] doesn't support one or more provided configuration parameters \
             [_meta]"
        );
        assert!(problem.hint.unwrap().contains("description"));

        let problem = only(json!({ "processors": [], "descripton": "x" }));
        assert_eq!(problem.pointer, "/descripton");
        assert_eq!(problem.hint.as_deref(), Some("did you mean `description`?"));
    }

    #[test]
    fn unknown_processor_type_names_the_closest_one() {
        let problem = only(with(json!({ "sett": { "field": "a", "value": 1 } })));
        assert_eq!(problem.pointer, "/processors/0/sett");
        assert_eq!(problem.message, "No processor type exists with name [sett]");
        assert_eq!(problem.hint.as_deref(), Some("did you mean `set`?"));

        let problem = only(with(json!({ "user-agent": { "field": "a" } })));
        assert_eq!(problem.hint.as_deref(), Some("did you mean `user_agent`?"));

        let problem = only(with(json!({ "enrich": { "policy_name": "p" } })));
        assert!(problem.hint.unwrap().contains("Elasticsearch"));

        let problem = only(with(json!({ "zzzzzzzz": {} })));
        assert_eq!(problem.hint, None);
    }

    #[test]
    fn unknown_option_is_reported_where_it_is() {
        let problem = only(with(
            json!({ "set": { "field": "a", "value": 1, "fiel": "b" } }),
        ));
        assert_eq!(problem.pointer, "/processors/0/set/fiel");
        assert_eq!(
            problem.message,
            "processor [set] doesn't support one or more provided configuration parameters [fiel]"
        );
        assert_eq!(problem.hint.as_deref(), Some("did you mean `field`?"));

        let problem = only(with(json!({ "drop": { "reason": "x" } })));
        assert_eq!(
            problem.message,
            "processor [drop] doesn't support one or more provided configuration parameters \
             [reason]"
        );
    }

    #[test]
    fn options_from_later_releases_get_a_hint() {
        let found = check(with(json!({ "set": { "field": "a", "copy_from": "b" } })));
        assert_eq!(
            found
                .iter()
                .map(|p| (p.pointer.as_str(), p.message.as_str()))
                .collect::<Vec<_>>(),
            vec![
                ("/processors/0/set", "[value] required property is missing"),
                (
                    "/processors/0/set/copy_from",
                    "processor [set] doesn't support one or more provided configuration \
                     parameters [copy_from]"
                ),
            ]
        );
        assert!(found
            .iter()
            .all(|p| p.hint.as_deref().unwrap().contains("copy")));

        let problem = only(with(json!({ "grok": {
            "field": "m", "patterns": ["%{IP:ip}"], "capture_all_matches": true
        } })));
        assert!(problem.hint.unwrap().contains("3.3"));
    }

    #[test]
    fn missing_required_options() {
        let problem = only(with(json!({ "date": { "field": "ts" } })));
        assert_eq!(problem.pointer, "/processors/0/date");
        assert_eq!(problem.message, "[formats] required property is missing");

        let problem = only(with(json!({ "grok": { "patterns": ["%{IP:ip}"] } })));
        assert_eq!(problem.pointer, "/processors/0/grok");
        assert_eq!(problem.message, "[field] required property is missing");

        // Java reads a null value as a missing one.
        let problem = only(with(json!({ "set": { "field": "a", "value": null } })));
        assert_eq!(problem.message, "[value] required property is missing");

        assert_eq!(
            found(with(json!({ "kv": { "field": "m" } }))),
            vec![
                pair(
                    "/processors/0/kv",
                    "[field_split] required property is missing"
                ),
                pair(
                    "/processors/0/kv",
                    "[value_split] required property is missing"
                ),
            ]
        );
    }

    #[test]
    fn option_types_use_the_opensearch_messages() {
        let problem = only(with(
            json!({ "grok": { "field": "m", "patterns": "%{IP:ip}" } }),
        ));
        assert_eq!(problem.pointer, "/processors/0/grok/patterns");
        assert_eq!(
            problem.message,
            "[patterns] property isn't a list, but of type [java.lang.String]"
        );
        assert!(problem.hint.unwrap().starts_with("wrap it in a list"));

        let problem = only(with(
            json!({ "rename": { "field": ["a"], "target_field": "b" } }),
        ));
        assert_eq!(problem.pointer, "/processors/0/rename/field");
        assert_eq!(
            problem.message,
            "[field] property isn't a string, but of type [java.util.ArrayList]"
        );

        let problem = only(with(json!({ "split": {
            "field": "a", "separator": ",", "ignore_missing": "yes"
        } })));
        assert_eq!(
            problem.message,
            "[ignore_missing] property isn't a boolean, but of type [java.lang.String]"
        );

        let problem = only(with(json!({ "grok": {
            "field": "m", "patterns": ["%{WORD:w}"], "pattern_definitions": ["X"]
        } })));
        assert_eq!(
            problem.message,
            "[pattern_definitions] property isn't a map, but of type [java.util.ArrayList]"
        );

        let problem = only(with(
            json!({ "date": { "field": "ts", "formats": ["ISO8601", 5] } }),
        ));
        assert_eq!(problem.pointer, "/processors/0/date/formats/1");
        assert_eq!(
            problem.message,
            "[formats] list element isn't a string, but of type [java.lang.Integer]"
        );

        let problem = only(with(json!({ "set": { "field": 1.5, "value": 1 } })));
        assert_eq!(
            problem.message,
            "[field] property isn't a string, but of type [java.lang.Double]"
        );
    }

    #[test]
    fn common_options_are_checked_on_every_processor() {
        let body = with(json!({ "set": {
            "field": "a",
            "value": 1,
            "tag": 3,
            "description": ["d"],
            "ignore_failure": "true",
            "if": true,
            "on_failure": []
        } }));
        assert_eq!(
            found(body),
            vec![
                pair(
                    "/processors/0/set/tag",
                    "[tag] property isn't a string, but of type [java.lang.Integer]"
                ),
                pair(
                    "/processors/0/set/description",
                    "[description] property isn't a string, but of type [java.util.ArrayList]"
                ),
                pair(
                    "/processors/0/set/ignore_failure",
                    "[ignore_failure] property isn't a boolean, but of type [java.lang.String]"
                ),
                pair(
                    "/processors/0/set/if",
                    "[script] property isn't a map or string, but of type [java.lang.Boolean]"
                ),
                pair(
                    "/processors/0/set/on_failure",
                    "[on_failure] processors list cannot be empty"
                ),
            ]
        );
    }

    #[test]
    fn processor_on_failure_is_checked_recursively() {
        let body = with(json!({ "rename": {
            "field": "a",
            "target_field": "b",
            "on_failure": [
                { "set": { "field": "error", "value": "x" } },
                { "set": { "field": "error", "on_failure": [ { "drop": { "bogus": 1 } } ] } }
            ]
        } }));
        assert_eq!(
            found(body),
            vec![
                pair(
                    "/processors/0/rename/on_failure/1/set/on_failure/0/drop/bogus",
                    "processor [drop] doesn't support one or more provided configuration \
                     parameters [bogus]"
                ),
                pair(
                    "/processors/0/rename/on_failure/1/set",
                    "[value] required property is missing"
                ),
            ]
        );
    }

    #[test]
    fn object_condition_is_parsed_as_a_script() {
        let ok = with(
            json!({ "drop": { "if": { "source": "ctx.a == params.v", "params": { "v": 1 } } } }),
        );
        assert_eq!(check(ok), vec![]);
        let problem = only(with(json!({ "drop": { "if": { "lang": "painless" } } })));
        assert_eq!(problem.pointer, "/processors/0/drop/if");
        assert_eq!(
            problem.message,
            "must specify either [source] for an inline script or [id] for a stored script"
        );
        let problem = only(with(
            json!({ "drop": { "if": { "source": "true", "sourc": "x" } } }),
        ));
        assert_eq!(problem.pointer, "/processors/0/drop/if/sourc");
        assert_eq!(problem.message, "[script] unknown field [sourc]");
    }

    #[test]
    fn script_needs_source_or_id() {
        let problem = only(with(json!({ "script": { "lang": "painless" } })));
        assert_eq!(problem.pointer, "/processors/0/script");
        assert_eq!(
            problem.message,
            "must specify either [source] for an inline script or [id] for a stored script"
        );
        assert_eq!(
            check(with(json!({ "script": { "id": "stored-one" } }))),
            vec![]
        );
        assert_eq!(
            check(with(json!({ "script": { "inline": "ctx.a = 1" } }))),
            vec![]
        );
        assert_eq!(check(with(json!({ "script": "ctx.a = 1" }))), vec![]);

        let problem = only(with(json!({ "script": { "id": "x", "source": "y" } })));
        assert_eq!(problem.pointer, "/processors/0/script/source");
        assert_eq!(
            problem.message,
            "must only use one of [source, id] when specifying a script"
        );

        let problem = only(with(json!({ "script": { "id": "x", "lang": "painless" } })));
        assert_eq!(
            problem.message,
            "illegally specified <lang> for a stored script"
        );

        let problem = only(with(json!({ "script": { "source": "x", "params": [1] } })));
        assert_eq!(
            problem.message,
            "[script] params doesn't support values of type: START_ARRAY"
        );

        let problem = only(with(json!({ "script": { "source": "x", "parms": {} } })));
        assert_eq!(problem.pointer, "/processors/0/script/parms");
        assert_eq!(problem.message, "[script] unknown field [parms]");
        assert_eq!(problem.hint.as_deref(), Some("did you mean `params`?"));

        let problem = only(with(json!({ "script": 5 })));
        assert_eq!(
            problem.message,
            "property isn't a map, but of type [java.lang.Integer]"
        );
    }

    #[test]
    fn remove_needs_field_or_exclude_field() {
        let message = "[field] either field or exclude_field must be set";
        let problem = only(with(json!({ "remove": { "ignore_missing": true } })));
        assert_eq!(problem.pointer, "/processors/0/remove");
        assert_eq!(problem.message, message);
        let problem = only(with(
            json!({ "remove": { "field": "a", "exclude_field": "b" } }),
        ));
        assert_eq!(problem.message, message);
        assert_eq!(
            check(with(json!({ "remove": { "exclude_field": ["a", "b"] } }))),
            vec![]
        );

        let problem = only(with(json!({ "remove": { "field": 5 } })));
        assert_eq!(problem.pointer, "/processors/0/remove/field");
        assert_eq!(
            problem.message,
            "[field] property isn't a string or a list of strings, but of type [java.lang.Integer]"
        );
    }

    #[test]
    fn convert_type_values() {
        for ty in [
            "integer", "long", "float", "double", "boolean", "string", "ip", "auto", "IP",
        ] {
            let body = with(json!({ "convert": { "field": "a", "type": ty } }));
            assert_eq!(check(body), vec![], "type {ty}");
        }
        let problem = only(with(json!({ "convert": { "field": "a", "type": "int" } })));
        assert_eq!(problem.pointer, "/processors/0/convert/type");
        assert_eq!(
            problem.message,
            "[type] type [int] not supported, cannot convert field."
        );
    }

    #[test]
    fn foreach_holds_exactly_one_processor_checked_recursively() {
        let problem = only(with(json!({ "foreach": {
            "field": "list",
            "processor": { "uppercase": { "field": "_ingest._value", "bogus": true } }
        } })));
        assert_eq!(
            problem.pointer,
            "/processors/0/foreach/processor/uppercase/bogus"
        );

        let problem = only(with(json!({ "foreach": {
            "field": "list",
            "processor": { "uppercase": { "field": "_ingest._value" }, "trim": { "field": "x" } }
        } })));
        assert_eq!(problem.pointer, "/processors/0/foreach/processor");
        assert_eq!(
            problem.message,
            "[processor] Must specify exactly one processor type"
        );

        let problem = only(with(
            json!({ "foreach": { "field": "list", "processor": [] } }),
        ));
        assert_eq!(
            problem.message,
            "[processor] property isn't a map, but of type [java.util.ArrayList]"
        );
    }

    #[test]
    fn grok_patterns_must_not_be_empty() {
        let problem = only(with(json!({ "grok": { "field": "m", "patterns": [] } })));
        assert_eq!(problem.pointer, "/processors/0/grok/patterns");
        assert_eq!(
            problem.message,
            "[patterns] List of patterns must not be empty"
        );
    }

    #[test]
    fn factory_rules_of_the_other_processors() {
        let cases = [
            (
                json!({ "dot_expander": { "field": "plain" } }),
                "/processors/0/dot_expander/field",
                "[field] field does not contain a dot",
            ),
            (
                json!({ "dot_expander": { "field": "a." } }),
                "/processors/0/dot_expander/field",
                "[field] Field can't start or end with a dot",
            ),
            (
                json!({ "dot_expander": { "field": "a..b" } }),
                "/processors/0/dot_expander/field",
                "[field] No space between dots",
            ),
            (
                json!({ "csv": { "field": "m", "target_fields": [] } }),
                "/processors/0/csv/target_fields",
                "[target_fields] target fields list can't be empty",
            ),
            (
                json!({ "csv": { "field": "m", "target_fields": ["a"], "quote": "''" } }),
                "/processors/0/csv/quote",
                "[quote] quote has to be single character like \" or '",
            ),
            (
                json!({ "json": { "field": "m", "add_to_root": true, "target_field": "t" } }),
                "/processors/0/json/target_field",
                "[target_field] Cannot set a target field while also setting `add_to_root` to true",
            ),
            (
                json!({ "sort": { "field": "a", "order": "descending" } }),
                "/processors/0/sort/order",
                "[order] Sort direction [descending] not recognized. Valid values are: [asc, desc]",
            ),
            (
                json!({ "community_id": {
                    "source_ip_field": "s", "destination_ip_field": "d", "seed": 65536
                } }),
                "/processors/0/community_id/seed",
                "[seed] seed must be between 0 and 65535",
            ),
            (
                json!({ "community_id": {
                    "source_ip_field": "s", "destination_ip_field": "d", "seed": "x"
                } }),
                "/processors/0/community_id/seed",
                "[seed] property cannot be converted to an int [x]",
            ),
            (
                json!({ "fingerprint": { "fields": ["a"], "exclude_fields": ["b"] } }),
                "/processors/0/fingerprint/fields",
                "[fields] either fields or exclude_fields can be set",
            ),
            (
                json!({ "fingerprint": { "exclude_fields": [""] } }),
                "/processors/0/fingerprint/exclude_fields",
                "[exclude_fields] field name cannot be null nor empty",
            ),
            (
                json!({ "fingerprint": { "hash_method": "SHA-1" } }),
                "/processors/0/fingerprint/hash_method",
                "[hash_method] hash method must be MD5@2.16.0, SHA-1@2.16.0, SHA-256@2.16.0 or \
                 SHA3-256@2.16.0",
            ),
            (
                json!({ "remove_by_pattern": { "field_pattern": "a*", "exclude_field_pattern": "b*" } }),
                "/processors/0/remove_by_pattern",
                "[field_pattern] either field_pattern or exclude_field_pattern must be set",
            ),
            (
                json!({ "remove_by_pattern": { "exclude_field_pattern": ["_x", "a:b"] } }),
                "/processors/0/remove_by_pattern/exclude_field_pattern",
                "[exclude_field_pattern] Validation Failed: 1: exclude_field_pattern [_x] must not \
                 start with '_';2: exclude_field_pattern [a:b] must not contain a ':';",
            ),
            (
                json!({ "remove_by_pattern": { "field_pattern": "a b" } }),
                "/processors/0/remove_by_pattern/field_pattern",
                "[field_pattern] Validation Failed: 1: field_pattern [a b] must not contain the \
                 following characters [ , \", *, \\, <, |, ,, >, /, ?];",
            ),
            (
                json!({ "user_agent": { "field": "ua", "properties": ["name", "browser"] } }),
                "/processors/0/user_agent/properties/1",
                "[properties] illegal property value [browser]. valid values are [NAME, MAJOR, \
                 MINOR, PATCH, OS, OS_NAME, OS_MAJOR, OS_MINOR, DEVICE, BUILD, ORIGINAL, VERSION]",
            ),
            (
                json!({ "geoip": { "field": "ip", "properties": ["asn"] } }),
                "/processors/0/geoip/properties/0",
                "[properties] illegal property value [asn]. valid values are [IP, \
                 COUNTRY_ISO_CODE, COUNTRY_NAME, CONTINENT_NAME, REGION_ISO_CODE, REGION_NAME, \
                 CITY_NAME, TIMEZONE, LOCATION]",
            ),
            (
                json!({ "geoip": {
                    "field": "ip", "database_file": "GeoLite2-ASN.mmdb", "properties": ["city_name"]
                } }),
                "/processors/0/geoip/properties/0",
                "[properties] illegal property value [city_name]. valid values are [IP, ASN, \
                 ORGANIZATION_NAME, NETWORK]",
            ),
        ];
        for (processor, pointer, message) in cases {
            let problem = only(with(processor.clone()));
            assert_eq!(
                (problem.pointer.as_str(), problem.message.as_str()),
                (pointer, message),
                "{processor}"
            );
        }
        // A patterned name with `*` is fine, and a custom GeoIP database is not second-guessed.
        assert_eq!(
            check(with(
                json!({ "remove_by_pattern": { "field_pattern": ["tmp_*"] } })
            )),
            vec![]
        );
        assert_eq!(
            check(with(json!({ "geoip": {
                "field": "ip", "database_file": "custom.mmdb", "properties": ["anything"]
            } }))),
            vec![]
        );
        assert_eq!(
            check(with(
                json!({ "fingerprint": { "fields": ["a"], "hash_method": "sha-256@2.16.0" } })
            )),
            vec![]
        );
    }

    #[test]
    fn processor_entry_shapes() {
        assert_eq!(
            found(
                json!({ "processors": ["set", {}, { "set": { "field": "a", "value": 1 }, "drop": {} }, { "drop": null }, { "lowercase": "a" }] })
            ),
            vec![
                pair(
                    "/processors/0",
                    "processor must be an object with exactly one key (the processor type), but \
                     is of type [java.lang.String]"
                ),
                pair(
                    "/processors/1",
                    "processor must be an object with exactly one key (the processor type), but \
                     has none"
                ),
                pair(
                    "/processors/2",
                    "processor must be an object with exactly one key (the processor type), but \
                     has [drop, set]"
                ),
                pair(
                    "/processors/3/drop",
                    "the config of processor [drop] cannot be null"
                ),
                pair(
                    "/processors/4/lowercase",
                    "property isn't a map, but of type [java.lang.String]"
                ),
            ]
        );
    }

    #[test]
    fn several_problems_are_reported_together() {
        let body = json!({
            "description": "broken",
            "_meta": {},
            "processors": [
                { "grok": { "field": "message", "patterns": "%{IP:ip}" } },
                { "date": { "field": "ts" } },
                { "sett": { "field": "a", "value": 1 } },
                { "script": { "lang": "painless" } }
            ],
            "on_failure": []
        });
        assert_eq!(
            found(body),
            vec![
                pair(
                    "/processors/0/grok/patterns",
                    "[patterns] property isn't a list, but of type [java.lang.String]"
                ),
                pair(
                    "/processors/1/date",
                    "[formats] required property is missing"
                ),
                pair(
                    "/processors/2/sett",
                    "No processor type exists with name [sett]"
                ),
                pair(
                    "/processors/3/script",
                    "must specify either [source] for an inline script or [id] for a stored script"
                ),
                pair(
                    "/on_failure",
                    "pipeline [cloudtrail] cannot have an empty on_failure option defined"
                ),
                pair(
                    "/_meta",
                    "pipeline [cloudtrail] doesn't support one or more provided configuration \
                     parameters [_meta]"
                ),
            ]
        );
    }

    #[test]
    fn pointers_escape_slash_and_tilde() {
        let problem = only(with(
            json!({ "set": { "field": "a", "value": 1, "a/b~c": 1 } }),
        ));
        assert_eq!(problem.pointer, "/processors/0/set/a~1b~0c");
    }

    #[test]
    fn java_names_of_json_values() {
        assert_eq!(java_type(&json!(1)), "java.lang.Integer");
        assert_eq!(java_type(&json!(4_000_000_000_i64)), "java.lang.Long");
        assert_eq!(java_type(&json!(u64::MAX)), "java.math.BigInteger");
        assert_eq!(java_type(&json!(0.5)), "java.lang.Double");
        assert_eq!(java_type(&json!({})), "java.util.HashMap");
        assert_eq!(java_to_string(&json!({ "a": [1, "b"] })), "{a=[1, b]}");
        assert_eq!(java_int(&json!("+5")), Some(5));
        assert_eq!(java_int(&json!(" 5")), None);
        assert_eq!(edit_distance("grok", "gork"), 2);
        assert_eq!(
            suggestion("urldecoder", ["urldecode", "uppercase"]),
            Some("urldecode")
        );
    }
}
