//! `cigen import`: reading existing GitHub and Forgejo workflow files back
//! into a spec. [`yaml`] reads the YAML itself, keeping the bytes of every
//! node so that each construct the spec cannot express is refused with a
//! diagnostic located in the workflow file.

pub mod yaml;
