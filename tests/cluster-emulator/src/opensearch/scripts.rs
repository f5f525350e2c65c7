//! Painless outside pipelines: `POST /_scripts/painless/_execute` (PainlessExecuteAction) and the
//! scripts of `_update` (UpdateHelper).

use serde_json::{json, Value};

use painless::value::{from_json, to_json};
use painless::{Context, Options, Script};

use super::documents::{validation, UpdateOp};
use super::indices::Doc;
use super::Cluster;
use crate::http::{parse_json_body, OsError, OsResult, Req, Resp};

/// An inline script as `Script.parse` reads it: a string is the source; an object has `source`,
/// `lang`, `params` and `options`.
struct InlineScript {
    source: String,
    params: Value,
}

fn parse_script(req: Option<&Req>, v: &Value) -> Result<InlineScript, OsError> {
    let loc = |key: &str| {
        req.map_or_else(String::new, |r| {
            super::templates::key_location(&r.body, key)
        })
    };
    match v {
        Value::String(s) => Ok(InlineScript {
            source: s.clone(),
            params: Value::Object(serde_json::Map::new()),
        }),
        Value::Object(m) => {
            let mut source = None;
            let mut id = None;
            let mut lang = None;
            let mut params = Value::Object(serde_json::Map::new());
            for (k, val) in m {
                match k.as_str() {
                    "source" => source = Some(val),
                    "id" => id = val.as_str().map(str::to_string),
                    "lang" => lang = val.as_str().map(str::to_string),
                    "params" => params = val.clone(),
                    "options" => {}
                    other => {
                        return Err(OsError::bad_request(
                            "x_content_parse_exception",
                            format!("{} [script] unknown field [{other}]", loc(other)),
                        ))
                    }
                }
            }
            if id.is_some() {
                return Err(validation(&["only inline scripts are supported".into()]));
            }
            if let Some(l) = lang.filter(|l| l != "painless") {
                return Err(OsError::illegal_argument(format!(
                    "script language [{l}] is not supported by the cluster emulator (only painless)"
                )));
            }
            let Some(source) = source else {
                return Err(OsError::illegal_argument(
                    "must specify either [source] for an inline script or [id] for a stored script",
                ));
            };
            let Some(source) = source.as_str() else {
                return Err(OsError::illegal_argument(
                    "a non-string script source is not supported by the cluster emulator",
                ));
            };
            if !params.is_object() {
                return Err(OsError::bad_request(
                    "x_content_parse_exception",
                    format!("{} [script] params must be an object", loc("params")),
                ));
            }
            Ok(InlineScript {
                source: source.to_string(),
                params,
            })
        }
        other => Err(OsError::bad_request(
            "x_content_parse_exception",
            format!("[script] unexpected value [{other}]"),
        )),
    }
}

/// `POST|GET /_scripts/painless/_execute`.
pub(crate) fn execute(_c: &Cluster, req: &Req) -> OsResult {
    let body = parse_json_body(req)?;
    let Some(map) = body.as_object() else {
        return Err(OsError::bad_request(
            "parse_exception",
            "request body must be an object",
        ));
    };
    let mut script = None;
    let mut context = None;
    let mut setup = None;
    for (k, v) in map {
        match k.as_str() {
            "script" => script = Some(v),
            "context" => context = v.as_str(),
            "context_setup" => setup = Some(v),
            other => {
                return Err(OsError::bad_request(
                    "x_content_parse_exception",
                    format!(
                        "{} [painless_execute_request] unknown field [{other}]",
                        super::templates::key_location(&req.body, other)
                    ),
                ))
            }
        }
    }
    let Some(script) = script else {
        return Err(OsError::illegal_argument("Required [script]"));
    };
    let script = parse_script(Some(req), script)?;
    match context.unwrap_or("painless_test") {
        "painless_test" => {
            let result = painless_test(&script)?;
            Ok(Resp::ok(json!({ "result": result })))
        }
        ctx @ ("filter" | "score") => {
            // Request.validate: these contexts need an index and a document.
            let mut errors = Vec::new();
            if setup.and_then(|s| s.get("index")).is_none() {
                errors.push("index is a required parameter for current context".to_string());
            }
            if setup.and_then(|s| s.get("document")).is_none() {
                errors.push("document is a required parameter for current context".to_string());
            }
            if !errors.is_empty() {
                return Err(validation(&errors));
            }
            Err(OsError::illegal_argument(format!(
                "the [{ctx}] context is not supported by the cluster emulator (it runs the script against a Lucene index)"
            )))
        }
        other => Err(OsError::bad_request(
            "x_content_parse_exception",
            format!(
                "{} [painless_execute_request] failed to parse field [context]",
                super::templates::value_location(&req.body, "context")
            ),
        )
        .caused_by(OsError::new(
            500,
            "unsupported_operation_exception",
            format!("unsupported script context name [{other}]"),
        ))),
    }
}

fn script_error(e: &painless::ScriptError) -> OsError {
    // ScriptException.status() is 400; guessRootCauses stops at it, since what it wraps is a
    // Java exception rather than an OpenSearch one.
    OsError::rendered(400, e.to_json(), |_| false)
}

fn options(context: Context) -> Options {
    Options {
        context,
        ..Options::default()
    }
}

/// The `painless_test` context: compile, run with the params, and render the result with
/// `Objects.toString` (PainlessExecuteAction.TransportAction.innerShardOperation).
fn painless_test(script: &InlineScript) -> Result<String, OsError> {
    let compiled = Script::compile(&script.source, &options(Context::PainlessTest))
        .map_err(|e| script_error(&e))?;
    let params = from_json(&script.params);
    let result = compiled
        .execute(&params, None)
        .map_err(|e| script_error(&e))?;
    Ok(result.java_to_string())
}

/// An `_update` script (UpdateHelper.prepareUpdateScriptRequest / executeScriptedUpsert): `ctx`
/// holds `op`, `_source`, `_now` and, for an existing document, `_index`, `_id`, `_version`,
/// `_routing`. The script is compiled as an ingest script (both take `Map params, Map ctx`); the
/// update context's own allowlist additions are not distinguished.
pub(crate) fn run_update_script(
    script: &Value,
    source: &Value,
    current: Option<&Doc>,
    index: &str,
    id: &str,
) -> Result<UpdateOp, OsError> {
    let script = parse_script(None, script)?;
    let compiled =
        Script::compile(&script.source, &options(Context::Ingest)).map_err(|e| script_error(&e))?;
    let mut ctx = serde_json::Map::new();
    ctx.insert(
        "op".into(),
        json!(if current.is_some() { "index" } else { "create" }),
    );
    if let Some(d) = current {
        ctx.insert("_index".into(), json!(index));
        ctx.insert("_id".into(), json!(id));
        ctx.insert("_version".into(), json!(d.version));
        ctx.insert("_routing".into(), json!(d.routing));
    }
    ctx.insert("_source".into(), source.clone());
    ctx.insert("_now".into(), json!(crate::http::now_millis()));
    let ctx = from_json(&Value::Object(ctx));
    compiled
        .execute(&from_json(&script.params), Some(&ctx))
        .map_err(|e| script_error(&e))?;
    let ctx = to_json(&ctx).map_err(|e| OsError::illegal_argument(e.to_string()))?;
    // UpdateOpType.lenientFromString: anything unknown is a noop.
    let op = ctx.get("op").and_then(Value::as_str).unwrap_or("index");
    let new_source = ctx.get("_source").cloned().unwrap_or(Value::Null);
    Ok(match (op, current.is_some()) {
        ("index", true) | ("create", false) => UpdateOp::Index(new_source),
        ("delete", true) => UpdateOp::Delete,
        _ => UpdateOp::Noop,
    })
}
