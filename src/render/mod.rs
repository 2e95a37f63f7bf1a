//! Stage 4, render: a render context → YAML text, through minijinja.
//!
//! Templates are strict (an undefined value is an error) and every `{{ }}`
//! goes through the YAML formatter in [`yaml`], so a value from the spec can
//! never change the structure of the document or be re-rendered.

mod lazy;
mod templates;
pub mod yaml;

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use minijinja::value::ValueKind;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior, Value};
use serde::Serialize;
use thiserror::Error;

pub use templates::{EMBEDDED, TemplateSource, embedded};

/// A template that failed to load or render.
#[derive(Debug, Diagnostic, Error)]
#[error("template `{name}` failed: {detail}")]
#[diagnostic(
    code(cigen::template),
    help("check the template against the render context documented in docs/templates.md")
)]
pub struct RenderError {
    /// The template's name.
    pub name: String,
    /// What went wrong.
    pub detail: String,
    /// The template text, when known.
    #[source_code]
    pub src: Option<NamedSource<Arc<String>>>,
    /// Where in the template.
    #[label("here")]
    pub span: Option<SourceSpan>,
}

impl RenderError {
    fn new(template: &str, error: &Error) -> Self {
        let name = error.name().unwrap_or(template).to_owned();
        let mut detail = error.detail().map_or_else(|| error.kind().to_string(), str::to_owned);
        let mut cause = std::error::Error::source(error);
        while let Some(inner) = cause {
            detail = format!("{detail}: {inner}");
            cause = inner.source();
        }
        let src =
            error.template_source().map(|text| NamedSource::new(&name, Arc::new(text.to_owned())));
        let span = src.as_ref().and(error.range()).map(SourceSpan::from);
        Self { name, detail, src, span }
    }
}

/// Renders contexts with one set of templates.
pub struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    /// A renderer over `source`.
    pub fn new(source: TemplateSource) -> Self {
        let mut env = Environment::new();
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("the default delimiters are valid");
        env.set_syntax(syntax);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| AutoEscape::Custom("yaml".into()));
        env.set_debug(true);
        env.set_loader(move |name| {
            source.load(name).map_err(|e| {
                Error::new(ErrorKind::InvalidOperation, format!("cannot read template `{name}`"))
                    .with_source(e)
            })
        });
        env.set_formatter(|out, _state, value| {
            let text = match (value.is_safe(), value.as_str()) {
                (true, Some(s)) => s.to_owned(),
                _ => to_yaml(value, false)?,
            };
            out.write_str(&text).map_err(|_| Error::from(ErrorKind::WriteFailure))
        });
        env.add_filter("block", block);
        env.add_filter("data", data);
        env.add_filter("after_key", after_key);
        env.add_filter("nest", nest);
        Self { env }
    }

    /// Renders a lowered workflow with template `name`, lowering each job
    /// as the template reaches it.
    pub fn render_lowered(
        &self,
        name: &str,
        lowered: Box<dyn crate::target::Lowered>,
    ) -> Result<String, Box<RenderError>> {
        self.render(name, &minijinja::context! { workflow => lazy::workflow(lowered) })
    }

    /// Renders template `name` with `context` to text with `\n` line endings
    /// and exactly one final newline.
    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String, Box<RenderError>> {
        let template =
            self.env.get_template(name).map_err(|e| Box::new(RenderError::new(name, &e)))?;
        let text = template
            .render(minijinja::value::Serde(context))
            .map_err(|e| Box::new(RenderError::new(name, &e)))?;
        // Templates read from disk may have CRLF line endings; the output never does.
        let mut text = if text.contains('\r') { text.replace("\r\n", "\n") } else { text };
        text.truncate(text.trim_end_matches('\n').len());
        text.push('\n');
        Ok(text)
    }
}

/// A value as YAML: strings escaped, sequences and maps in flow style.
fn to_yaml(value: &Value, flow: bool) -> Result<String, Error> {
    Ok(match value.kind() {
        ValueKind::Undefined => {
            return Err(Error::new(ErrorKind::UndefinedError, "undefined value in YAML output"));
        }
        ValueKind::None => "null".to_owned(),
        ValueKind::Bool => if value.is_true() { "true" } else { "false" }.to_owned(),
        ValueKind::Number => number(value)?,
        ValueKind::String => yaml::scalar(value.as_str().unwrap_or_default(), flow),
        ValueKind::Seq | ValueKind::Iterable => {
            let items: Result<Vec<String>, Error> =
                value.try_iter()?.map(|item| to_yaml(&item, true)).collect();
            format!("[{}]", items?.join(", "))
        }
        ValueKind::Map => {
            let mut items = Vec::new();
            for key in value.try_iter()? {
                let item = value.get_item(&key)?;
                items.push(format!("{}: {}", to_yaml(&key, true)?, to_yaml(&item, true)?));
            }
            format!("{{{}}}", items.join(", "))
        }
        other => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("a {other} cannot be written as YAML"),
            ));
        }
    })
}

/// A number as YAML: integers as written, floats in their shortest form.
fn number(value: &Value) -> Result<String, Error> {
    if let Ok(n) = i128::try_from(value.clone()) {
        return Ok(n.to_string());
    }
    match f64::try_from(value.clone()) {
        Ok(f) if f.is_finite() => Ok(f.to_string()),
        _ => {
            Err(Error::new(ErrorKind::InvalidOperation, format!("`{value}` is not a YAML number")))
        }
    }
}

/// `{{ value | block }}`: after a key, a literal block for multi-line text
/// when exact, a nested block for a map or a list, else a single-line
/// scalar.
fn block(value: &Value) -> Result<Value, Error> {
    let text = match value.kind() {
        ValueKind::String => yaml::block(value.as_str().unwrap_or_default()),
        ValueKind::Map | ValueKind::Seq if !is_empty(value)? => {
            format!("\n  {}", indent(&data_block(value)?, 2))
        }
        _ => to_yaml(value, false)?,
    };
    Ok(Value::from_safe_string(text))
}

/// `{{ key }}:{{ value | after_key }}`: a value after its key and colon,
/// with the space a scalar needs and the line break a nested block needs.
fn after_key(value: &Value) -> Result<Value, Error> {
    let text = block(value)?.to_string();
    let text = if text.starts_with('\n') { text } else { format!(" {text}") };
    Ok(Value::from_safe_string(text))
}

/// `{{ value | data }}`: any value as block YAML whose first line follows
/// `- ` or a key's indentation and whose other lines are at column 0, to
/// be placed with `nest`.
fn data(value: &Value) -> Result<Value, Error> {
    Ok(Value::from_safe_string(data_block(value)?))
}

fn is_empty(value: &Value) -> Result<bool, Error> {
    Ok(value.try_iter()?.next().is_none())
}

/// Block YAML of a map, a list or a scalar (maps and lists nest as blocks;
/// an empty one is `{}` or `[]`).
fn data_block(value: &Value) -> Result<String, Error> {
    match value.kind() {
        ValueKind::Map if !is_empty(value)? => {
            let mut lines = Vec::new();
            for key in value.try_iter()? {
                let item = value.get_item(&key)?;
                let key = to_yaml(&key, false)?;
                if matches!(item.kind(), ValueKind::Map | ValueKind::Seq) && !is_empty(&item)? {
                    lines.push(format!("{key}:\n  {}", indent(&data_block(&item)?, 2)));
                } else {
                    lines.push(format!("{key}: {}", to_yaml(&item, false)?));
                }
            }
            Ok(lines.join("\n"))
        }
        ValueKind::Seq if !is_empty(value)? => {
            let mut lines = Vec::new();
            for item in value.try_iter()? {
                lines.push(format!("- {}", indent(&data_block(&item)?, 2)));
            }
            Ok(lines.join("\n"))
        }
        ValueKind::Map => Ok("{}".to_owned()),
        ValueKind::Seq => Ok("[]".to_owned()),
        _ => to_yaml(value, false),
    }
}

/// `text` with every line but the first indented by `width` spaces.
fn indent(text: &str, width: usize) -> String {
    text.replace('\n', &format!("\n{}", " ".repeat(width)))
}

/// `{{ text | nest(n) }}`: indents every line but the first by `n` spaces,
/// leaving blank lines empty and dropping one final newline, so rendered
/// YAML can be placed at any depth.
fn nest(value: &Value, width: usize) -> Result<Value, Error> {
    let text = match (value.is_safe(), value.as_str()) {
        (true, Some(s)) => s.to_owned(),
        _ => to_yaml(value, false)?,
    };
    let text = text.strip_suffix('\n').unwrap_or(&text);
    let pad = " ".repeat(width);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad);
            }
        }
        out.push_str(line);
    }
    Ok(Value::from_safe_string(out))
}
