//! Semantic styles: what a piece of text is, not which color it has.

use anstyle::{AnsiColor, Style};

pub(crate) fn error() -> Style {
    Style::new().fg_color(Some(AnsiColor::Red.into())).bold()
}

pub(crate) fn hint() -> Style {
    Style::new().fg_color(Some(AnsiColor::Cyan.into())).bold()
}

pub(crate) fn location() -> Style {
    Style::new().fg_color(Some(AnsiColor::Blue.into()))
}

pub(crate) fn success() -> Style {
    Style::new().fg_color(Some(AnsiColor::Green.into())).bold()
}

pub(crate) fn heading() -> Style {
    Style::new().bold()
}

pub(crate) fn warning() -> Style {
    Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold()
}

pub(crate) fn diff_added() -> Style {
    Style::new().fg_color(Some(AnsiColor::Green.into()))
}

pub(crate) fn diff_removed() -> Style {
    Style::new().fg_color(Some(AnsiColor::Red.into()))
}

pub(crate) fn diff_changed() -> Style {
    Style::new().fg_color(Some(AnsiColor::Yellow.into()))
}
