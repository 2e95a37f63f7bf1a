//! The two generations of the artifact actions. Up to v3, the legs of a
//! matrix upload into one artifact of a shared name, and the download takes
//! one artifact by name; from v4 on, an artifact cannot be written twice, so
//! each leg uploads its own, and the download takes several by `pattern`.
//! Artifacts of one generation cannot be read by the other.

use crate::model::ActionOverrides;

/// A generation of `upload-artifact` and `download-artifact`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generation {
    /// v3 and older (GitHub Enterprise Server, older Gitea and Forgejo).
    V3,
    /// v4 and later, and Forgejo's forks of v4.
    V4,
}

impl Generation {
    /// How messages name it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::V3 => "v3",
            Self::V4 => "v4 or later",
        }
    }
}

/// The generation a reference names by its version (`…@v3`, `…@v3.2.1`,
/// `…@v3-node20`, `…@v4`); `None` when it names no version (a commit SHA, a
/// branch, a local action).
pub fn of_reference(reference: &str) -> Option<Generation> {
    let (_, version) = reference.rsplit_once('@')?;
    let digits: String =
        version.strip_prefix('v')?.chars().take_while(char::is_ascii_digit).collect();
    let major: u32 = digits.parse().ok()?;
    Some(if major <= 3 { Generation::V3 } else { Generation::V4 })
}

/// The generation of the artifact plumbing under `overrides`. Every
/// target's own actions are v4 or later, and so is an override whose
/// version cannot be read; `validate` refuses a v3 action beside a later one.
pub fn artifacts(overrides: &ActionOverrides) -> Generation {
    let old = [&overrides.upload_artifact, &overrides.download_artifact]
        .into_iter()
        .any(|r| r.as_deref().and_then(of_reference) == Some(Generation::V3));
    if old { Generation::V3 } else { Generation::V4 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_name_their_generation() {
        for v3 in ["actions/upload-artifact@v3", "a/b@v3.2.1", "a/b@v3-node20", "a/b@v2"] {
            assert_eq!(of_reference(v3), Some(Generation::V3), "{v3}");
        }
        for v4 in ["https://code.forgejo.org/forgejo/upload-artifact@v4", "a/b@v7.0.0", "a/b@v10"] {
            assert_eq!(of_reference(v4), Some(Generation::V4), "{v4}");
        }
        for unknown in ["a/b@ea165f8d65b6e75b540449e92b4886f43607fa02", "a/b@main", "./local"] {
            assert_eq!(of_reference(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn one_v3_override_makes_the_plumbing_v3() {
        let mut overrides = ActionOverrides::default();
        assert_eq!(artifacts(&overrides), Generation::V4);
        overrides.download_artifact = Some("actions/download-artifact@v3".to_owned());
        assert_eq!(artifacts(&overrides), Generation::V3);
    }
}
