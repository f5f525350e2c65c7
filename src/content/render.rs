//! Handlebars rendering of `*.json.hbs` files into JSON values.
//!
//! Strict: an undefined variable is an error. `{{name}}` inserts a value JSON-escaped (never
//! HTML-escaped), for use inside a JSON string; `{{json name}}` inserts a raw JSON value.

use std::path::Path;

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason,
};
use serde_json::{Map, Value};

use super::problem::Problem;

/// Renders content templates with one set of variables.
pub(crate) struct Renderer {
    registry: Handlebars<'static>,
    vars: Context,
}

impl Renderer {
    pub(crate) fn new(vars: Map<String, Value>) -> Self {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(json_escape);
        registry.register_helper("json", Box::new(json_helper));
        Renderer {
            registry,
            vars: Context::from(Value::Object(vars)),
        }
    }

    /// Renders one template and parses the result as JSON. Returns the rendered text too, so
    /// that later problems can be located by line.
    pub(crate) fn render_json(
        &self,
        file: &Path,
        template: &str,
    ) -> Result<(String, Value), Problem> {
        let simple = render_simple(template, |variable| {
            self.render_with_handlebars(file, variable).ok()
        });
        let text = match simple {
            Some(text) => text,
            None => self.render_with_handlebars(file, template)?,
        };
        parse_json(file, text)
    }

    /// What [`Renderer::render_json`] does without the shortcut of [`render_simple`]: every
    /// template through Handlebars.
    #[cfg(test)]
    fn render_json_with_handlebars(
        &self,
        file: &Path,
        template: &str,
    ) -> Result<(String, Value), Problem> {
        parse_json(file, self.render_with_handlebars(file, template)?)
    }

    /// Compiles the template once, refuses the triple-stash, renders.
    fn render_with_handlebars(&self, file: &Path, template: &str) -> Result<String, Problem> {
        use handlebars::{Renderable as _, StringOutput};
        let compiled = handlebars::template::Template::compile(template)
            .map_err(|e| syntax_problem(file, template, e.pos()))?;
        if let Some(problem) = unescaped_expression(file, &compiled) {
            return Err(problem);
        }
        let mut out = StringOutput::new();
        compiled
            .render(
                &self.registry,
                &self.vars,
                &mut RenderContext::new(None),
                &mut out,
            )
            .map_err(|e| render_problem(file, &e))?;
        out.into_string()
            .map_err(|e| render_problem(file, &RenderError::from(e)))
    }
}

fn parse_json(file: &Path, text: String) -> Result<(String, Value), Problem> {
    match serde_json::from_str::<Value>(&text) {
        Ok(value) => Ok((text, value)),
        Err(err) => Err(json_problem(file, &text, &err)),
    }
}

/// A template whose only Handlebars constructs are variables (`{{name}}`, `{{json name}}`) and
/// escapes (`\{{`), rendered without parsing its text: its text as it is, each variable rendered
/// by Handlebars on its own. Most content files hold no expression at all, and the rest a few in
/// kilobytes of JSON, which Handlebars would parse character by character (most of the time of
/// a render). `None` when the template holds anything else or a variable does not render: the
/// caller renders the whole template with Handlebars, which reports problems at their line.
///
/// Why the bytes are the same (handlebars-rust 6, `src/grammar.pest` and `src/template.rs`):
/// every Handlebars construct opens with `{{`, so text between them is `raw_text`, copied as it
/// is. A backslash right before `{{` is the escape (`escape = @{ ("\\" ~ "{{" ~ "{{"?) | ("\\" ~
/// "\\"+ ~ &"{{") }`): `\{{` renders as `{{`, `Template::raw_string` removing the backslash;
/// `\{{{{` (four braces escaped) and two or more backslashes before `{{` are left to
/// Handlebars. A variable outside any block renders in the root context whether the template
/// around it is parsed or not, and whitespace control (`~`) and the standalone-line rules apply
/// to other constructs only, which are left to Handlebars.
fn render_simple(
    template: &str,
    mut variable: impl FnMut(&str) -> Option<String>,
) -> Option<String> {
    let mut text = String::with_capacity(template.len());
    let mut copied = 0; // template[..copied] is rendered into `text`
    let mut from = 0; // where to look for the next `{{`
    while let Some(found) = template[from..].find("{{") {
        let at = from + found;
        let backslashes = template.as_bytes()[..at]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count();
        match backslashes {
            0 => {
                let end = at + template[at..].find("}}")? + 2;
                let expression = &template[at..end];
                if !is_variable(expression) {
                    return None;
                }
                text.push_str(&template[copied..at]);
                text.push_str(&variable(expression)?);
                copied = end;
                from = end;
            }
            1 => {
                text.push_str(&template[copied..at - 1]);
                copied = at;
                from = at + 2;
                if template[from..].starts_with("{{") {
                    return None;
                }
            }
            _ => return None,
        }
    }
    text.push_str(&template[copied..]);
    Some(text)
}

/// `{{name}}` or `{{json name}}`, a plain name of letters, digits and `_`.
fn is_variable(expression: &str) -> bool {
    let Some(inner) = expression
        .strip_prefix("{{")
        .and_then(|e| e.strip_suffix("}}"))
    else {
        return false;
    };
    let name = inner.strip_prefix("json ").unwrap_or(inner);
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// JSON string escaping without the surrounding quotes: `"`, `\` and control characters are
/// escaped; `<`, `&` and everything else stay as they are.
fn json_escape(raw: &str) -> String {
    let quoted = serde_json::to_string(raw).unwrap_or_default();
    quoted[1..quoted.len() - 1].to_string()
}

/// `{{{name}}}` (the triple-stash) skips the escape function, so a value holding a quote would
/// end its JSON string and could add attributes of its own: refused, at its line. An escaped
/// `\{{{...}}}` (Mustache for OpenSearch) is text, not an expression, and passes.
fn unescaped_expression(file: &Path, compiled: &handlebars::template::Template) -> Option<Problem> {
    fn find(t: &handlebars::template::Template) -> Option<(usize, String)> {
        use handlebars::template::TemplateElement as E;
        for (i, element) in t.elements.iter().enumerate() {
            let line = t.mapping.get(i).map_or(1, |m| m.0);
            match element {
                E::HtmlExpression(h) => {
                    return Some((line, h.name.as_name().unwrap_or("...").to_string()))
                }
                E::HelperBlock(h) => {
                    let inner = h.template.as_ref().and_then(find);
                    let inverse = h.inverse.as_ref().and_then(find);
                    if let Some(found) = inner.or(inverse) {
                        return Some(found);
                    }
                }
                _ => {}
            }
        }
        None
    }
    let (line, name) = find(compiled)?;
    Some(
        Problem::new(
            file,
            format!("`{{{{{{{name}}}}}}}` inserts the variable without JSON escaping: a value holding a quote would end the JSON string and could add attributes of its own"),
        )
        .at_line(Some(line))
        .with_hint(format!(
            "write `{{{{{name}}}}}` inside a JSON string (escaped for JSON), or `{{{{json {name}}}}}` for a raw JSON value; a `{{{{{{` meant for OpenSearch's Mustache is escaped as `\\{{{{{{`"
        )),
    )
}

/// A template Handlebars cannot parse, said in plain words at the place that causes it: an
/// expression not closed on its line, a block never closed or closed without being opened.
/// Handlebars' own error names the grammar's tokens and, for an unclosed block, the end of the
/// file; its position is used only when none of these is found.
fn syntax_problem(file: &Path, template: &str, handlebars_pos: Option<(usize, usize)>) -> Problem {
    const WRITE: &str = "a variable is written `{{name}}` inside a JSON string, or `{{json name}}` for a raw JSON value; to keep `{{` as text (Mustache for OpenSearch), write `\\{{`";
    let at = |offset: usize| {
        let before = &template[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1;
        (Some(line), Some(column))
    };
    let mut open: Vec<(String, usize)> = Vec::new(); // block name, offset of its `{{#`
    let mut from = 0;
    while let Some(found) = template[from..].find("{{") {
        let start = from + found;
        let escaped = template[..start].ends_with('\\') && !template[..start].ends_with("\\\\");
        if escaped || template[start..].starts_with("{{{{") {
            from = start + 2;
            continue;
        }
        if template[start..].starts_with("{{!--") {
            from = template[start..]
                .find("--}}")
                .map_or(template.len(), |e| start + e + 4);
            continue;
        }
        let line_end = template[start..]
            .find('\n')
            .map_or(template.len(), |e| start + e);
        let Some(end) = template[start..line_end].find("}}").map(|e| start + e) else {
            let (line, column) = at(start);
            return Problem::new(
                file,
                "template syntax error: this `{{` is not closed with `}}` on its line",
            )
            .at(line, column)
            .with_hint(WRITE);
        };
        let inner = template[start + 2..end]
            .trim_start_matches(['{', '~', '&'])
            .trim_end_matches('~')
            .trim();
        let name = |rest: &str| {
            rest.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string()
        };
        if let Some(rest) = inner.strip_prefix('#') {
            open.push((name(rest.trim_start_matches('>')), start));
        } else if let Some(rest) = inner.strip_prefix('/') {
            let closing = name(rest);
            match open.pop() {
                Some((opened, _)) if opened == closing => {}
                Some((opened, offset)) => {
                    let (line, column) = at(start);
                    let (opened_line, _) = at(offset);
                    return Problem::new(file, format!("template syntax error: `{{{{/{closing}}}}}` closes a block, but the one open is `{{{{#{opened}}}}}` (line {})", opened_line.unwrap_or(1)))
                        .at(line, column)
                        .with_hint(format!("close `{{{{#{opened}}}}}` with `{{{{/{opened}}}}}` first"));
                }
                None => {
                    let (line, column) = at(start);
                    return Problem::new(file, format!("template syntax error: `{{{{/{closing}}}}}` closes a block that was not opened"))
                        .at(line, column)
                        .with_hint(format!("remove it, or open the block before it with `{{{{#{closing} ...}}}}`"));
                }
            }
        }
        from = end + 2;
    }
    if let Some((opened, offset)) = open.pop() {
        let (line, column) = at(offset);
        return Problem::new(
            file,
            format!(
                "template syntax error: the block `{{{{#{opened}}}}}` opened here is never closed"
            ),
        )
        .at(line, column)
        .with_hint(format!("add `{{{{/{opened}}}}}` where the block ends"));
    }
    let (line, column) = handlebars_pos.map_or((Some(1), None), |(l, c)| (Some(l), Some(c)));
    Problem::new(
        file,
        "template syntax error: this is not a Handlebars expression siemctl can read",
    )
    .at(line, column)
    .with_hint(WRITE)
}

/// `{{json name}}`: the variable as a raw JSON value.
fn json_helper(
    helper: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let param = helper
        .param(0)
        .ok_or(RenderErrorReason::ParamNotFoundForIndex("json", 0))?;
    if param.is_value_missing() {
        let name = param.relative_path().cloned().unwrap_or_default();
        return Err(RenderErrorReason::MissingVariable(Some(name)).into());
    }
    let json = serde_json::to_string(param.value()).map_err(RenderErrorReason::from)?;
    out.write(&json)?;
    Ok(())
}

fn render_problem(file: &Path, err: &RenderError) -> Problem {
    let message = match err.reason() {
        RenderErrorReason::MissingVariable(Some(name)) => format!("undefined variable `{name}`"),
        RenderErrorReason::MissingVariable(None) => "undefined variable".to_string(),
        RenderErrorReason::TemplateError(template_err) => {
            return Problem::new(
                file,
                format!("template syntax error: {}", template_err.reason()),
            )
            .at_line(template_err.pos().map(|(line, _)| line));
        }
        other => format!("template error: {other}"),
    };
    let problem = Problem::new(file, message).at_line(err.line_no);
    match err.reason() {
        RenderErrorReason::MissingVariable(Some(name)) if name.starts_with('_') => problem.with_hint(format!(
            "`{name}` looks like a Mustache template for OpenSearch itself: escape it so that siemctl leaves it alone, \\{{{{{name}}}}}"
        )),
        RenderErrorReason::MissingVariable(_) => problem.with_hint(
            "declare it in [vars] of siemctl.toml, or fix the name (variables are case-sensitive)",
        ),
        _ => problem,
    }
}

fn json_problem(file: &Path, text: &str, err: &serde_json::Error) -> Problem {
    let line = err.line();
    let shown = text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .trim_end();
    Problem::new(
        file,
        format!(
            "the rendered template is not valid JSON: {} (line {line}, column {} of the rendered text)\n{line:>5} | {shown}",
            strip_position(&err.to_string()),
            err.column()
        ),
    )
    .at_line(Some(line))
    .with_hint("a string variable inside JSON goes in quotes, \"{{name}}\"; a number, boolean or array uses {{json name}}")
}

/// serde_json appends " at line L column C"; the message above gives the position itself.
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn renderer(vars: Value) -> Renderer {
        Renderer::new(vars.as_object().unwrap().clone())
    }

    #[test]
    fn hostile_values_stay_exact_and_valid() {
        let hostile = "a\"b\\c\nd</script>&<e>\t{{x}}";
        let r = renderer(json!({ "v": hostile }));
        let (_, value) = r
            .render_json(
                Path::new("t.json.hbs"),
                r#"{"s": "{{v}}", "p": "pre-{{v}}-post"}"#,
            )
            .unwrap();
        assert_eq!(value["s"], hostile);
        assert_eq!(value["p"], format!("pre-{hostile}-post"));
    }

    #[test]
    fn json_helper_inserts_raw_values() {
        let r = renderer(json!({ "n": 3, "b": false, "a": ["x", "y\""], "s": "q\"" }));
        let (_, value) = r
            .render_json(
                Path::new("t.json.hbs"),
                r#"{"n": {{json n}}, "b": {{json b}}, "a": {{json a}}, "s": {{json s}}}"#,
            )
            .unwrap();
        assert_eq!(
            value,
            json!({"n": 3, "b": false, "a": ["x", "y\""], "s": "q\""})
        );
    }

    #[test]
    fn undefined_variables_name_file_and_line() {
        let r = renderer(json!({ "a": 1 }));
        let p = r
            .render_json(
                Path::new("x/t.json.hbs"),
                "{\n  \"a\": {{json a}},\n  \"b\": \"{{nope}}\"\n}",
            )
            .unwrap_err();
        assert_eq!(p.location(), "x/t.json.hbs:3");
        assert_eq!(p.message, "undefined variable `nope`");
        let p = r
            .render_json(Path::new("t.json.hbs"), "{\n\n  \"b\": {{json missing}}\n}")
            .unwrap_err();
        assert_eq!(
            (p.line, p.message.as_str()),
            (Some(3), "undefined variable `missing`")
        );
    }

    #[test]
    fn escaped_mustache_passes_through_to_opensearch() {
        let r = renderer(json!({ "a": 1 }));
        let (_, value) = r
            .render_json(
                Path::new("p.json.hbs"),
                r#"{"m": "\{{_ingest.on_failure_message}}", "n": {{json a}}}"#,
            )
            .unwrap();
        assert_eq!(
            value,
            json!({"m": "{{_ingest.on_failure_message}}", "n": 1})
        );
        let (_, value) = r
            .render_json(
                Path::new("p.json.hbs"),
                r#"{"t": "\{{{_ingest.timestamp}}}", "u": "https://x/\{{value}}/\{{ value }}"}"#,
            )
            .unwrap();
        assert_eq!(
            value,
            json!({"t": "{{{_ingest.timestamp}}}", "u": "https://x/{{value}}/{{ value }}"})
        );
        let p = r
            .render_json(
                Path::new("p.json.hbs"),
                r#"{"m": "{{_ingest.on_failure_message}}"}"#,
            )
            .unwrap_err();
        assert_eq!(p.message, "undefined variable `_ingest.on_failure_message`");
        assert!(p.hint.unwrap().contains("\\{{_ingest.on_failure_message}}"));
    }

    #[test]
    fn invalid_json_shows_the_rendered_line() {
        let r = renderer(json!({ "name": "x" }));
        let p = r
            .render_json(
                Path::new("t.json.hbs"),
                "{\n  \"a\": 1,\n  \"b\": {{name}}\n}",
            )
            .unwrap_err();
        assert_eq!(p.line, Some(3));
        assert!(p.message.contains("not valid JSON"), "{}", p.message);
        assert!(p.message.contains("    3 |   \"b\": x"), "{}", p.message);
    }

    #[test]
    fn simple_templates_render_as_handlebars_renders_them() {
        let r = renderer(json!({ "a": "x\"y", "n": 3, "l": [1, "b"], "on": true, "_x_": null }));
        let via_handlebars = |t: &str| r.render_with_handlebars(Path::new("t"), t).unwrap();
        let simple =
            |t: &str| render_simple(t, |v| r.render_with_handlebars(Path::new("t"), v).ok());
        for template in [
            "",
            "{\"a\": 1}\n",
            "{ { } } }} {\r\n\t\\ \\\\ \u{e9}",
            "\\{{_ingest.on_failure_message}}",
            "a \\{{{_ingest.timestamp}}} b \\{{x}}\\{{y}}",
            "{\\{{ctx}}",
            "\\{{",
            "{\"s\": \"{{a}}\", \"n\": {{json n}}, \"l\": {{json l}}, \"b\": {{on}}}",
            "{{n}}{{l}}{{a}}}} x {{json a}}\n{{_x_}}",
            "  {{a}}  \n{{json on}}\n",
        ] {
            let rendered = simple(template);
            assert_eq!(rendered, Some(via_handlebars(template)), "{template:?}");
        }
        for other in [
            "{{{a}}}",
            "{{&a}}",
            "{{~a~}}",
            "{{ a }}",
            "{{a.b}}",
            "{{#if on}}x{{/if}}",
            "x {{!-- a comment --}}",
            "{{{{raw}}}} {{{{/raw}}}}",
            "\\\\{{a}}",
            "\\{{{{a}}",
            "{{a",
            "{{missing}}",
            "{{else}}",
            "{{json}}",
        ] {
            assert_eq!(simple(other), None, "{other:?}");
        }
    }

    /// The proof that the shortcut changes nothing: every template of the bundled content
    /// renders to the same text and value (or the same problem) with it and without it.
    #[test]
    fn the_bundled_content_renders_identically_with_and_without_the_shortcut() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config: toml::Table =
            toml::from_str(&std::fs::read_to_string(root.join("siemctl.toml")).unwrap()).unwrap();
        let vars = serde_json::to_value(&config["vars"]).unwrap();
        let r = renderer(vars);
        let (mut checked, mut plain, mut with_variables) = (0, 0, 0);
        let mut dirs = vec![root.join("index-templates"), root.join("dashboards")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.to_string_lossy().ends_with(".json.hbs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert_eq!(
                        r.render_json(&path, &text),
                        r.render_json_with_handlebars(&path, &text),
                        "{}",
                        path.display()
                    );
                    checked += 1;
                    if render_simple(&text, |_| None).is_some() {
                        plain += 1;
                    } else if render_simple(&text, |v| Some(v.to_string())).is_some() {
                        with_variables += 1;
                    }
                }
            }
        }
        // The shortcut was taken for files without expressions and for files with variables.
        assert!(
            plain > 0 && with_variables > 0 && plain + with_variables <= checked,
            "{plain} plain and {with_variables} with variables of {checked}"
        );
    }

    #[test]
    fn syntax_errors_are_said_at_their_place_in_plain_words() {
        let r = renderer(json!({"a": "x"}));
        let problem = |t: &str| r.render_json(Path::new("f"), t).unwrap_err();
        let p = problem("{\n  \"k\": \"{{#if a}}{{a}}\"\n}\n");
        assert_eq!((p.line, p.column), (Some(2), Some(9)));
        assert_eq!(
            p.message,
            "template syntax error: the block `{{#if}}` opened here is never closed"
        );
        let p = problem("{\n  \"k\": \"{{a} x\" }\n}\n");
        assert_eq!((p.line, p.column), (Some(2), Some(9)));
        assert!(
            p.message.contains("not closed with `}}` on its line"),
            "{}",
            p.message
        );
        let p = problem("{\"k\": \"x{{/if}}\"}");
        assert_eq!((p.line, p.column), (Some(1), Some(9)));
        assert!(p.message.contains("not opened"), "{}", p.message);
        for t in [
            "{{#if a}}",
            "{{a",
            "{{/if}}",
            "{{#each a}}{{/if}}",
            "{{a b c}",
        ] {
            let p = problem(t);
            assert!(!p.message.contains("expected"), "{t}: {}", p.message);
        }
    }

    #[test]
    fn the_triple_stash_is_refused_in_blocks_too_and_its_escape_passes() {
        let r = renderer(json!({"a": "x", "on": true}));
        let p = r
            .render_json(Path::new("f"), "{\n \"k\": \"{{#if on}}{{{a}}}{{/if}}\"\n}")
            .unwrap_err();
        assert!(p.message.starts_with("`{{{a}}}` inserts"), "{}", p.message);
        assert_eq!(p.line, Some(2));
        let (_, body) = r
            .render_json(Path::new("f"), r#"{"k": "\{{{_ingest.timestamp}}}"}"#)
            .unwrap();
        assert_eq!(body, json!({"k": "{{{_ingest.timestamp}}}"}));
    }
}
