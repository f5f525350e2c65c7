//! The `html_strip` processor (work in progress in this change).

use crate::config::Config;
use crate::error::IngestError;
use crate::processor::{Common, Processor};

pub fn factory(_config: &mut Config, _common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    Err(IngestError::unsupported("the html_strip processor"))
}
