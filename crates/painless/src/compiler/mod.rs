//! The Painless compiler: lexer, parser, semantic analysis into a resolved tree, interpreter.

pub(crate) mod analyze;
pub(crate) mod ast;
pub(crate) mod interp;
pub(crate) mod ir;
pub(crate) mod lexer;
pub(crate) mod library;
pub(crate) mod parser;
pub(crate) mod types;

#[cfg(test)]
mod tests;
