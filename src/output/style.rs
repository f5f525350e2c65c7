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
