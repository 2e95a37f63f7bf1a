//! Stage 5, write and check: compare rendered files with the disk, write
//! them, remove the ones the spec dropped, and explain drift. Every path
//! goes through [`write::Tree`], the project's one guard.

pub mod diff;
pub mod header;
pub mod orphans;
pub mod status;
pub mod write;

pub use status::{Status, status};
pub use write::Tree;
