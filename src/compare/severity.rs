//! The severity of a data finding: the data type's sensitivity (`signatures/taxonomy.toml`)
//! × how wrong the policy is (the finding kind) × who collects it (the app, or an SDK that
//! sends it to its vendor). One table, [`data_severity`], documented in docs/output.md
//! ("Severity"); `disclose.toml` may move a type to another sensitivity level (`[sensitivity]`),
//! and the table then applies to the new level.
//!
//! ```
//! use disclose::compare::finding::{FindingKind, Severity};
//! use disclose::compare::severity::{data_severity, Collector};
//! use disclose::signatures::schema::Sensitivity;
//! assert_eq!(data_severity(FindingKind::UndisclosedData, Sensitivity::Technical, Collector::App), Some(Severity::Low));
//! assert_eq!(data_severity(FindingKind::UndisclosedData, Sensitivity::Sensitive, Collector::Sdk), Some(Severity::Critical));
//! assert_eq!(data_severity(FindingKind::UndisclosedSdk, Sensitivity::Sensitive, Collector::Sdk), None);
//! ```

use super::finding::{DataScale, Finding, FindingKind, Severity};
use crate::model::OwnerKind;
use crate::signatures::schema::Sensitivity;
use crate::signatures::Taxonomy;
use std::collections::BTreeMap;

/// Who collects the data: the app's own code (or a library it links), or third-party code (an
/// SDK, or code nothing accounts for) that sends it to its vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collector {
    App,
    Sdk,
}

impl Collector {
    /// The collector a finding's owner stands for.
    pub fn of(finding: &Finding) -> Collector {
        match finding.owner_kind {
            Some(OwnerKind::Sdk | OwnerKind::Unknown) => Collector::Sdk,
            Some(OwnerKind::App | OwnerKind::Library | OwnerKind::Platform) => Collector::App,
            None if finding.sdk.is_some() => Collector::Sdk,
            None => Collector::App,
        }
    }
}

/// The severity table. `None` for kinds whose severity does not depend on a data type.
///
/// | sensitivity | undisclosed (app / SDK) | contradicted | vague | SDK row mismatch |
/// |---|---|---|---|---|
/// | sensitive  | high / critical | critical | medium | high |
/// | restricted | high / high     | critical | medium | medium |
/// | personal   | medium / high   | high     | low    | medium |
/// | technical  | low / medium    | medium   | info   | low |
pub fn data_severity(
    kind: FindingKind,
    sensitivity: Sensitivity,
    collector: Collector,
) -> Option<Severity> {
    use Sensitivity::{Personal, Restricted, Sensitive, Technical};
    use Severity::{Critical, High, Info, Low, Medium};
    let severity = match kind.data_scale()? {
        DataScale::Undisclosed => match (sensitivity, collector) {
            (Sensitive, Collector::Sdk) => Critical,
            (Sensitive | Restricted, _) | (Personal, Collector::Sdk) => High,
            (Personal, Collector::App) | (Technical, Collector::Sdk) => Medium,
            (Technical, Collector::App) => Low,
        },
        DataScale::Contradicted => match sensitivity {
            Sensitive | Restricted => Critical,
            Personal => High,
            Technical => Medium,
        },
        DataScale::Vague => match sensitivity {
            Sensitive | Restricted => Medium,
            Personal => Low,
            Technical => Info,
        },
        DataScale::SdkRowMismatch => match sensitivity {
            Sensitive => High,
            Restricted | Personal => Medium,
            Technical => Low,
        },
    };
    Some(severity)
}

/// The sensitivity levels in force: the taxonomy's, with the config's per-type overrides.
#[derive(Debug, Clone, Copy)]
pub struct Levels<'a> {
    pub taxonomy: &'a Taxonomy,
    pub overrides: Option<&'a BTreeMap<String, Sensitivity>>,
}

impl Levels<'_> {
    /// The level of `ty`: the override, else the taxonomy's, else `personal` (an id the
    /// taxonomy lacks; the loader rejects a type without a level).
    pub fn of(&self, ty: &str) -> Sensitivity {
        self.overrides
            .and_then(|o| o.get(ty).copied())
            .or_else(|| self.taxonomy.sensitivity(ty))
            .unwrap_or(Sensitivity::Personal)
    }

    /// The highest level among `types` (a permission gives access to several).
    pub fn highest<'t, T: AsRef<str> + ?Sized + 't>(
        &self,
        types: impl IntoIterator<Item = &'t T>,
    ) -> Option<Sensitivity> {
        types.into_iter().map(|t| self.of(t.as_ref())).max()
    }
}

/// Set `finding`'s sensitivity and, for a data finding, its severity from the table. The data
/// types of a permission finding are `types` (all of them; the highest level counts).
pub fn rate<'t, T: AsRef<str> + ?Sized + 't>(
    finding: &mut Finding,
    levels: &Levels<'_>,
    types: impl IntoIterator<Item = &'t T>,
) {
    if let Some(level) = levels.highest(types) {
        rate_at(finding, level);
    }
}

/// Set `finding`'s sensitivity to `level` and, for a data finding, its severity from the table.
pub fn rate_at(finding: &mut Finding, level: Sensitivity) {
    finding.sensitivity = Some(level);
    if let Some(severity) = data_severity(finding.kind, level, Collector::of(finding)) {
        finding.severity = severity;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_sensitive_is_never_less_severe() {
        for &kind in FindingKind::ALL {
            for collector in [Collector::App, Collector::Sdk] {
                let row: Vec<Option<Severity>> = Sensitivity::ALL
                    .iter()
                    .map(|&s| data_severity(kind, s, collector))
                    .collect();
                assert!(row.windows(2).all(|w| w[0] <= w[1]), "{kind}: {row:?}");
            }
        }
    }

    #[test]
    fn an_sdk_is_never_less_severe_than_the_app() {
        for &kind in FindingKind::ALL {
            for level in Sensitivity::ALL {
                assert!(
                    data_severity(kind, level, Collector::App)
                        <= data_severity(kind, level, Collector::Sdk),
                    "{kind} {level:?}"
                );
            }
        }
    }
}
