//! The command line's commands (`main.rs` holds the arguments and the dispatch).

pub mod commands;
pub mod live;
pub mod summary;
