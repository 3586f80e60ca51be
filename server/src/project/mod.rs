//! The developer side of the CLI: projects (`zigttp.json`, `zigttp init`),
//! editor declarations (`zigttp types`) and watch mode (`zigttp serve
//! --watch`).

pub mod config;
pub mod init;
pub mod types;
pub mod watch;

pub use config::{Config, Project};
