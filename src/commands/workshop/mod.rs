//! `siemctl workshop ...`.

pub(crate) mod down;
pub(crate) mod generate;
pub(crate) mod questions;
pub(crate) mod up;

use anyhow::Result;

use crate::cli::{GlobalArgs, WorkshopArgs, WorkshopCommand};
use crate::exit::ExitStatus;
use crate::output::printer::Printer;

pub(crate) fn run(
    global: &GlobalArgs,
    args: &WorkshopArgs,
    printer: Printer,
) -> Result<ExitStatus> {
    match &args.command {
        WorkshopCommand::Generate(a) => generate::run(global, a, printer),
        WorkshopCommand::Questions(a) => questions::run(global, a, printer),
        WorkshopCommand::Up(a) => up::run(global, a, printer),
        WorkshopCommand::Down(a) => down::run(global, a, printer),
    }
}
