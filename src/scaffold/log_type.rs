//! A new log type: component template, index template, pipeline (with the on_failure handler
//! every log type has), test events with their config and README, and the index pattern.
//! The saved search, visualization and dashboard are made by their own scaffolds from the
//! composed mapping; the golden files by the test engine (`commands::new`).
//!
//! The pipeline parses a JSON record per line into the log type's namespace (`acme-vpn` →
//! `acme.vpn`) and fills the fields every log type fills the same way
//! (docs/content-format.md): `@timestamp`, `@log_type`, `event.kind`, `event.action`,
//! `event.outcome`, `source.ip`, `user.name`, `related.ip`, `related.user`, `_id` (SHA-256
//! fingerprint of the record's own id, else of the raw line) and the raw event in `@message`.

use std::path::PathBuf;

use super::name::namespace;
use super::NewFile;

/// What a new log type is made of.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub(crate) name: String,
    /// The indices' pattern as the templates write it: `{{index_prefix}}-acme-vpn-*`.
    pub(crate) index_pattern: String,
}

/// The name of the component template, index template, pipeline and index pattern.
pub(crate) fn object_name(log_type: &str) -> String {
    format!("log-{log_type}")
}

const SAMPLE: &str = "sample.ndjson";

fn test_dir(log_type: &str) -> PathBuf {
    PathBuf::from("index-templates")
        .join(log_type)
        .join("_test")
}

/// The files of the log type, before its searches, charts and golden files.
pub(crate) fn files(spec: &Spec) -> Vec<NewFile> {
    let name = &spec.name;
    let object = object_name(name);
    let folder = PathBuf::from("index-templates").join(name);
    let ns = namespace(name);
    // `ctx.acme?.vpn`: the namespace, null-safe, in Painless conditions.
    let ctx = format!("ctx.{}", ns.replace('.', "?."));
    let fill = |template: &str| {
        template
            .replace("__LOG_TYPE__", name)
            .replace("__OBJECT__", &object)
            .replace("__NS__", &ns)
            .replace("__CTX__", &ctx)
            .replace("__PATTERN__", &spec.index_pattern)
            .replace("__MAPPING__", &mapping(&ns))
    };
    vec![
        NewFile::new(
            folder.join(format!("{object}.component-template.json.hbs")),
            fill(COMPONENT_TEMPLATE),
        ),
        NewFile::new(
            folder.join(format!("{object}.index-template.json.hbs")),
            fill(INDEX_TEMPLATE),
        ),
        NewFile::new(
            folder.join(format!("{object}.pipeline.json.hbs")),
            fill(PIPELINE),
        ),
        NewFile::new(test_dir(name).join("README.md"), fill(TEST_README)),
        NewFile::new(test_dir(name).join(SAMPLE), SAMPLE_EVENTS),
        NewFile::new(
            test_dir(name).join(format!("{SAMPLE}-config.yaml")),
            fill(SAMPLE_CONFIG),
        ),
        NewFile::new(
            PathBuf::from("dashboards")
                .join(name)
                .join(format!("{object}.index-pattern.json.hbs")),
            fill(INDEX_PATTERN),
        ),
    ]
}

/// The namespace's properties, nested as a mapping writes them (`acme.vpn` → acme → vpn).
fn mapping(ns: &str) -> String {
    let own = serde_json::json!({
        "time": { "type": "date" },
        "id": { "type": "keyword" },
        "action": { "type": "keyword" },
        "outcome": { "type": "keyword" },
        "client_ip": { "type": "ip" },
        "user": { "type": "keyword" }
    });
    let mut value = own;
    for part in ns.rsplit('.') {
        value = serde_json::json!({ part: { "properties": value } });
    }
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    // Inside "properties" of the template: drop the outer braces, indent to the template's depth.
    let inner: Vec<&str> = text.lines().collect();
    inner[1..inner.len() - 1]
        .iter()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

const COMPONENT_TEMPLATE: &str = r#"{
  "template": {
    "settings": {
      "index": {
        "mapping": {
          "total_fields": {
            "limit": {{json total_fields_limit}}
          }
        }
      }
    },
    "mappings": {
      "properties": {
__MAPPING__
      }
    }
  },
  "_meta": {
    "description": "__LOG_TYPE__: the fields of the source's own records, under __NS__ (the shared ECS fields are in log-ecs-base)."
  }
}
"#;

const INDEX_TEMPLATE: &str = r#"{
  "index_patterns": [
    "__PATTERN__"
  ],
  "composed_of": [
    "log-ecs-base",
    "__OBJECT__"
  ],
  "priority": 100,
  "template": {
    "settings": {
      "index": {
        "default_pipeline": "__OBJECT__"
      }
    }
  },
  "_meta": {
    "description": "__LOG_TYPE__ events (one JSON record per line in message), parsed by the __OBJECT__ pipeline."
  }
}
"#;

const PIPELINE: &str = r#"{
  "description": "__LOG_TYPE__: one JSON record per document in `message`. Parses it into __NS__, sets @timestamp from time, a deterministic _id (the record's id, else the raw line), and the ECS fields: event.action, event.outcome, source.ip (client_ip), user.name, related.ip and related.user. Change the processors to the source's real format, then the test events and their golden files.",
  "processors": [
    {
      "json": {
        "description": "Parse the record (one JSON object per line) carried in message into __NS__",
        "field": "message",
        "target_field": "__NS__"
      }
    },
    {
      "set": {
        "field": "@log_type",
        "value": "__LOG_TYPE__"
      }
    },
    {
      "set": {
        "field": "ecs.version",
        "value": "8.11.0"
      }
    },
    {
      "set": {
        "field": "event.kind",
        "value": "event"
      }
    },
    {
      "set": {
        "description": "When OpenSearch received the event",
        "field": "event.ingested",
        "value": "\{{{_ingest.timestamp}}}"
      }
    },
    {
      "date": {
        "description": "time: when the event happened, ISO 8601",
        "if": "__CTX__?.time != null",
        "field": "__NS__.time",
        "target_field": "@timestamp",
        "formats": [
          "ISO8601"
        ],
        "timezone": "UTC"
      }
    },
    {
      "fingerprint": {
        "description": "Deterministic _id: the record's own id (SHA-256 fingerprint), so a re-delivered record is indexed once",
        "if": "__CTX__?.id != null",
        "fields": [
          "__NS__.id"
        ],
        "target_field": "_id",
        "hash_method": "SHA-256@2.16.0"
      }
    },
    {
      "fingerprint": {
        "description": "A record without an id: _id is the fingerprint of the raw record",
        "if": "__CTX__?.id == null",
        "fields": [
          "message"
        ],
        "target_field": "_id",
        "hash_method": "SHA-256@2.16.0"
      }
    },
    {
      "set": {
        "description": "event.action: what happened, as the source names it",
        "if": "__CTX__?.action != null",
        "field": "event.action",
        "value": "\{{{__NS__.action}}}"
      }
    },
    {
      "set": {
        "description": "event.outcome: ECS allows success, failure and unknown only",
        "if": "['success', 'failure', 'unknown'].contains(__CTX__?.outcome)",
        "field": "event.outcome",
        "value": "\{{{__NS__.outcome}}}"
      }
    },
    {
      "set": {
        "description": "source.ip: the client's address",
        "if": "__CTX__?.client_ip != null",
        "field": "source.ip",
        "value": "\{{{__NS__.client_ip}}}"
      }
    },
    {
      "set": {
        "description": "user.name: who did it",
        "if": "__CTX__?.user != null",
        "field": "user.name",
        "value": "\{{{__NS__.user}}}"
      }
    },
    {
      "append": {
        "description": "related.ip: every IP address of the event",
        "if": "ctx.source?.ip != null",
        "field": "related.ip",
        "value": [
          "\{{{source.ip}}}"
        ],
        "allow_duplicates": false
      }
    },
    {
      "append": {
        "description": "related.user: every user of the event",
        "if": "ctx.user?.name != null",
        "field": "related.user",
        "value": [
          "\{{{user.name}}}"
        ],
        "allow_duplicates": false
      }
    },
    {
      "rename": {
        "description": "Keep the raw event as @message unless keep_raw_message is false",
        "if": "{{json keep_raw_message}} && ctx['@message'] == null",
        "field": "message",
        "target_field": "@message",
        "ignore_missing": true
      }
    },
    {
      "remove": {
        "description": "Drop the raw event once parsed (it is in @message when kept)",
        "field": "message",
        "ignore_missing": true
      }
    }
  ],
  "on_failure": [
    {
      "set": {
        "field": "event.kind",
        "value": "pipeline_error"
      }
    },
    {
      "set": {
        "field": "error.message",
        "value": "\{{{_ingest.on_failure_processor_type}}} processor failed: \{{{_ingest.on_failure_message}}}"
      }
    },
    {
      "append": {
        "field": "tags",
        "value": [
          "pipeline_error"
        ]
      }
    },
    {
      "set": {
        "field": "@log_type",
        "value": "__LOG_TYPE__"
      }
    },
    {
      "set": {
        "description": "The event's own time when it was read before the failure, else the ingest time",
        "field": "@timestamp",
        "value": "\{{{_ingest.timestamp}}}",
        "override": false
      }
    },
    {
      "fingerprint": {
        "description": "A record that failed before its _id was set still gets a deterministic one: the fingerprint of the raw record",
        "fields": [
          "message"
        ],
        "target_field": "_id",
        "hash_method": "SHA-256@2.16.0",
        "if": "ctx._id == null && ctx.message != null",
        "ignore_failure": true
      }
    },
    {
      "rename": {
        "description": "Keep the raw event whatever keep_raw_message says: it is all there is",
        "field": "message",
        "target_field": "@message",
        "ignore_missing": true,
        "ignore_failure": true
      }
    }
  ]
}
"#;

const INDEX_PATTERN: &str = r#"{
  "attributes": {
    "title": "__PATTERN__",
    "timeFieldName": "@timestamp"
  },
  "references": []
}
"#;

/// Two records: the saved search of the log type finds the first and not the second.
const SAMPLE_EVENTS: &str = r#"{"time":"2026-11-26T09:15:02Z","id":"3f6c1e2a-0001","action":"login","outcome":"failure","client_ip":"203.0.113.50","user":"alice"}
{"time":"2026-11-26T09:15:40Z","id":"3f6c1e2a-0002","action":"login","outcome":"success","client_ip":"198.51.100.23","user":"alice"}
"#;

const SAMPLE_CONFIG: &str = r#"# How the events of sample.ndjson are shipped (docs/content-format.md, "Tests"). Every key is
# optional.
# The test's clock: _ingest.timestamp, and `now` of date math in the queries.
now: 2026-11-27T00:00:00Z
# The index the events go to (default: the index pattern with * as "test").
# index: log-__LOG_TYPE__-test
# Fields the shipper adds beside message.
# fields: {cloud.instance.id: i-0abc12345def67890}
# Variables of siemctl.toml for this file only.
# vars: {keep_raw_message: false}
# Fields the mapping may drop as malformed in this file.
# ignored_fields: [source.ip]
"#;

const TEST_README: &str = r#"# Test events of __LOG_TYPE__

Made by `siemctl new log-type __LOG_TYPE__`: `sample.ndjson` holds two records of the example format
the pipeline parses (one JSON object per line: `time`, `id`, `action`, `outcome`, `client_ip`,
`user`): a failed login, which the saved search `__LOG_TYPE__-failures` finds, and a successful one,
which it does not.

Replace them with events copied exactly as your source writes them, and say here where each
format was taken from (the source's documentation, a real log). Then:

1. change the pipeline (`index-templates/__LOG_TYPE__/__OBJECT__.pipeline.json.hbs`) and the
   component template to the source's format;
2. `siemctl test --log-type __LOG_TYPE__ --generate` writes the golden files
   (`sample.ndjson-expected.json`, `saved-searches/__LOG_TYPE__/_test/matches-expected.json`);
3. read them: each field is what the pipeline made of your event;
4. `siemctl validate` and `siemctl test` pass.

The conventions every pipeline follows are in docs/content-format.md, "Fields every log type fills
the same way"; at least 20 events covering the formats and edge cases of the source's
documentation make a log type complete.
"#;
