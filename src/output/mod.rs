//! Stage 5, write and check: compare rendered files with the disk, write
//! them, and explain drift.

pub mod diff;
pub mod header;
pub mod status;
pub mod write;

pub use status::{Status, status};
