//! Findings: what `disclose scan` reports when the app and its policy disagree.
//!
//! Every finding has a stable kebab-case [`FindingKind::code`] that doubles as its SARIF rule
//! id, a default [`Severity`], the owner of the code (the app or an SDK), the taxonomy id,
//! evidence from the app and the policy text it was matched to (or the place it is missing).
//!
//! ```
//! use disclose::compare::finding::{FindingKind, Severity};
//! assert_eq!(FindingKind::UndisclosedSdk.code(), "undisclosed-sdk");
//! assert_eq!(FindingKind::UndisclosedSdk.default_severity(), Severity::High);
//! assert!(Severity::Critical > Severity::High);
//! ```

use crate::id::{SdkId, TaxonomyId};
use crate::model::Evidence;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How much a finding matters; ordered, so `--fail-on high` means "high or critical".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// SARIF `level` for this severity.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low | Severity::Info => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown severity '{s}' (expected critical, high, medium, low or info)")
            })
    }
}

/// Declares [`FindingKind`] once, from one list of `Variant => "code"`: the enum, its
/// [`FindingKind::ALL`] (in list order, which is also the SARIF rule order and the derived
/// `Ord`) and [`FindingKind::code`]. A new kind added to the list is everywhere at once.
macro_rules! finding_kinds {
    ($($(#[$doc:meta])* $variant:ident => $code:literal,)+) => {
        /// The kinds of finding. Codes are stable: they are SARIF rule ids and baseline keys.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum FindingKind {
            $($(#[$doc])* $variant,)+
        }

        impl FindingKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [FindingKind] = &[$(FindingKind::$variant,)+];

            /// Stable kebab-case code.
            pub fn code(self) -> &'static str {
                match self {
                    $(FindingKind::$variant => $code,)+
                }
            }
        }
    };
}

finding_kinds! {
    /// The policy denies what the app does.
    Contradiction => "contradiction",
    /// An SDK whose code is in the app is named nowhere in the policy.
    UndisclosedSdk => "undisclosed-sdk",
    /// A data type the app collects is declared nowhere.
    UndisclosedData => "undisclosed-data",
    /// A sensitive permission or usage key whose data the policy never mentions.
    UndisclosedPermission => "undisclosed-permission",
    /// A declared SDK's row omits a data type its code collects.
    SdkDataMismatch => "sdk-data-mismatch",
    /// Only a broad category covers a specific collected type.
    VagueData => "vague-data",
    /// The policy refers to a list or appendix that was not read.
    PolicyIncomplete => "policy-incomplete",
    /// Part of the app could not be analysed.
    AnalysisLimit => "analysis-limit",
    /// Declared, but no sign of it in the app.
    StaleDeclaration => "stale-declaration",
    /// An iOS binary uses a required-reason API category its privacy manifest does not declare.
    UndeclaredRequiredReasonApi => "undeclared-required-reason-api",
    /// A privacy manifest declares an unknown API category or a reason code Apple does not accept.
    InvalidRequiredReason => "invalid-required-reason",
    /// An embedded SDK on Apple's list of commonly used SDKs ships no privacy manifest.
    MissingSdkPrivacyManifest => "missing-sdk-privacy-manifest",
    /// A privacy manifest leaves tracking off while its code or domains show tracking.
    ManifestTrackingContradiction => "manifest-tracking-contradiction",
    /// A privacy manifest declares collecting data the policy never mentions.
    ManifestDataUndisclosed => "manifest-data-undisclosed",
    /// The Play Data safety form does not declare a data type the app or its SDKs collect.
    DataSafetyUndeclaredCollection => "data-safety-undeclared-collection",
    /// The Play Data safety form does not declare as shared a data type a third-party SDK gets.
    DataSafetyUndeclaredSharing => "data-safety-undeclared-sharing",
    /// The advertising ID is requested or read, but the form does not declare Device or other IDs.
    DataSafetyAdvertisingId => "data-safety-advertising-id",
    /// The Play Data safety form says no data is collected or shared, but the app collects some.
    DataSafetyNoDataClaim => "data-safety-no-data-claim",
}

impl FindingKind {
    /// Position in [`FindingKind::ALL`] (the SARIF `ruleIndex`).
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn default_severity(self) -> Severity {
        match self {
            FindingKind::Contradiction | FindingKind::DataSafetyNoDataClaim => Severity::Critical,
            FindingKind::DataSafetyUndeclaredCollection
            | FindingKind::DataSafetyUndeclaredSharing
            | FindingKind::DataSafetyAdvertisingId => Severity::High,
            FindingKind::UndisclosedSdk
            | FindingKind::UndisclosedData
            | FindingKind::UndisclosedPermission
            | FindingKind::UndeclaredRequiredReasonApi
            | FindingKind::MissingSdkPrivacyManifest
            | FindingKind::ManifestTrackingContradiction
            | FindingKind::ManifestDataUndisclosed => Severity::High,
            FindingKind::SdkDataMismatch
            | FindingKind::PolicyIncomplete
            | FindingKind::AnalysisLimit
            | FindingKind::InvalidRequiredReason => Severity::Medium,
            FindingKind::VagueData => Severity::Low,
            FindingKind::StaleDeclaration => Severity::Info,
        }
    }

    /// Which column of the severity table ([`super::severity::data_severity`]) a finding of
    /// this kind takes its severity from, by the sensitivity of its data type; `None` when
    /// its severity does not depend on a data type (then it is [`FindingKind::default_severity`]).
    pub fn data_scale(self) -> Option<DataScale> {
        match self {
            FindingKind::UndisclosedData
            | FindingKind::UndisclosedPermission
            | FindingKind::ManifestDataUndisclosed
            | FindingKind::DataSafetyUndeclaredCollection
            | FindingKind::DataSafetyUndeclaredSharing
            | FindingKind::DataSafetyAdvertisingId => Some(DataScale::Undisclosed),
            FindingKind::Contradiction | FindingKind::DataSafetyNoDataClaim => {
                Some(DataScale::Contradicted)
            }
            FindingKind::VagueData => Some(DataScale::Vague),
            FindingKind::SdkDataMismatch => Some(DataScale::SdkRowMismatch),
            FindingKind::UndisclosedSdk
            | FindingKind::StaleDeclaration
            | FindingKind::PolicyIncomplete
            | FindingKind::AnalysisLimit
            | FindingKind::UndeclaredRequiredReasonApi
            | FindingKind::InvalidRequiredReason
            | FindingKind::MissingSdkPrivacyManifest
            | FindingKind::ManifestTrackingContradiction => None,
        }
    }

    /// One-line title (SARIF `shortDescription`).
    pub fn title(self) -> &'static str {
        match self {
            FindingKind::UndisclosedSdk => "Third-party SDK not named in the privacy policy",
            FindingKind::UndisclosedData => "Personal data collected but never declared",
            FindingKind::VagueData => "Personal data declared only through a broad category",
            FindingKind::SdkDataMismatch => {
                "SDK declared, but its entry omits a data type it collects"
            }
            FindingKind::UndisclosedPermission => {
                "Sensitive permission or usage key with no matching declaration"
            }
            FindingKind::Contradiction => {
                "The policy says it does not collect what the app collects"
            }
            FindingKind::StaleDeclaration => "Declared, but no sign of it in the app",
            FindingKind::PolicyIncomplete => {
                "The policy refers to a list or appendix that is missing"
            }
            FindingKind::AnalysisLimit => "Part of the app could not be analysed",
            FindingKind::UndeclaredRequiredReasonApi => {
                "Required-reason API used but not declared in the privacy manifest"
            }
            FindingKind::InvalidRequiredReason => {
                "Privacy manifest declares an unknown API category or an invalid reason"
            }
            FindingKind::MissingSdkPrivacyManifest => {
                "SDK on Apple's list of commonly used SDKs ships no privacy manifest"
            }
            FindingKind::ManifestTrackingContradiction => {
                "Privacy manifest says no tracking, but the code or its domains track"
            }
            FindingKind::ManifestDataUndisclosed => {
                "Privacy manifest declares data the privacy policy never mentions"
            }
            FindingKind::DataSafetyUndeclaredCollection => {
                "Play Data safety form: a collected data type is not declared"
            }
            FindingKind::DataSafetyUndeclaredSharing => {
                "Play Data safety form: data a third-party SDK receives is not declared as shared"
            }
            FindingKind::DataSafetyAdvertisingId => {
                "Play Data safety form: advertising ID used, Device or other IDs not declared"
            }
            FindingKind::DataSafetyNoDataClaim => {
                "Play Data safety form says no data is collected, but the app collects some"
            }
        }
    }

    /// What it means and what to do (SARIF `help`).
    pub fn help(self) -> &'static str {
        match self {
            FindingKind::UndisclosedSdk => "The app's code contains this SDK (defined classes, native libraries, frameworks or manifest entries), but the policy names it nowhere, in none of its aliases. PIPL and the MIIT app rules require a complete list of third-party SDKs with the data each collects. Add the SDK to the policy's third-party list, or remove it from the app.",
            FindingKind::UndisclosedData => "Code in the app calls an API that reads this type of personal data, and the policy declares neither the type nor a category that contains it. Declare the data type (and who collects it and why), or remove the code that reads it.",
            FindingKind::VagueData => "The policy mentions only a broad category (for example 'device information') for a specific type the app collects (for example IMEI). Regulators expect the specific type to be named.",
            FindingKind::SdkDataMismatch => "The policy lists this SDK, but the data types in its entry do not include one the SDK's code collects in this app. Complete the SDK's entry.",
            FindingKind::UndisclosedPermission => "The app requests a dangerous permission (Android) or declares a privacy usage key (iOS) whose data the policy never mentions. Explain the permission and its purpose in the policy.",
            FindingKind::Contradiction => "The policy states that this data is not collected (or that the user is not tracked), yet the app's code collects it. This is the most serious kind of mismatch: correct the policy or the app.",
            FindingKind::StaleDeclaration => "The policy declares an SDK or data type that the app shows no sign of. Informational: the policy may cover other platforms or versions, or the code may be loaded dynamically.",
            FindingKind::PolicyIncomplete => "The policy refers to an appendix or a separate SDK list that is not part of the text read. Findings about undisclosed SDKs may be false if that list exists elsewhere: supply it.",
            FindingKind::UndeclaredRequiredReasonApi => "The binary references an API in one of Apple's required-reason categories (file timestamps, system boot time, disk space, active keyboards, user defaults), but the PrivacyInfo.xcprivacy that ships with it (the app's own for code linked into the main executable, the framework's for a framework) does not list the category in NSPrivacyAccessedAPITypes. App Store Connect rejects such uploads (ITMS-91053). Declare the category with the reason code that matches the use, or remove the call.",
            FindingKind::InvalidRequiredReason => "A NSPrivacyAccessedAPITypes entry names a category Apple does not define, has no reason, or gives a reason code that Apple does not accept for the category. Use one of the category's approved reason codes (listed in the finding).",
            FindingKind::MissingSdkPrivacyManifest => "The app embeds an SDK that Apple lists among commonly used third-party SDKs, and the SDK's bundle has no PrivacyInfo.xcprivacy. App Store Connect rejects new apps and updates adding such an SDK without its manifest (ITMS-91061). Update the SDK to a version that ships its privacy manifest (and signature).",
            FindingKind::ManifestTrackingContradiction => "The privacy manifest does not set NSPrivacyTracking to true, yet it lists tracking domains, or the same binaries read the advertising identifier or hold an advertising or attribution SDK. Set NSPrivacyTracking (and the tracking domains) to what the code does, or remove the tracking code.",
            FindingKind::ManifestDataUndisclosed => "A privacy manifest of the app or of one of its SDKs declares collecting a data type (or tracking), but the written privacy policy declares neither the type nor a category containing it. What the manifests tell Apple must also be in the policy: declare the data type, who collects it and why.",
            FindingKind::DataSafetyUndeclaredCollection => "Code in the app or in one of its SDKs reads this type of data (or an ads/analytics SDK's vendor documents collecting it), but the Data safety CSV does not select the Play data type that covers it as Collected. Google Play requires the form to declare data collected by the app and by every SDK in it. Select the data type, mark it Collected and answer its usage questions, or remove the code.",
            FindingKind::DataSafetyUndeclaredSharing => "The form declares this data type as collected but not as Shared, yet a third-party SDK in the app reads it in its own code (or its vendor documents collecting it) and sends it to its vendor. Google Play counts data passed to a third party through an SDK as shared. Mark the data type Shared with its sharing purposes, unless the SDK is a service provider processing the data on your behalf.",
            FindingKind::DataSafetyAdvertisingId => "The manifest requests com.google.android.gms.permission.AD_ID or code reads the advertising ID, but the Data safety CSV does not declare 'Device or other IDs' as collected. Declare it (with the advertising or analytics purposes), or remove the permission and the code that reads the ID.",
            FindingKind::DataSafetyNoDataClaim => "The Data safety CSV answers 'no' to 'Does your app collect or share any of the required user data types?', yet code in the app or its SDKs collects data types the form asks about. Answer 'yes' and declare each data type, or remove the code.",
            FindingKind::AnalysisLimit => "disclose could not see part of the app (packed or encrypted code, unreadable files, obfuscation). Findings are incomplete for that part; unpack or decrypt the app, or review it by other means.",
        }
    }
}

/// The columns of the severity table: how a data finding's severity follows the sensitivity
/// of its data type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataScale {
    /// Collected and not declared (by the policy, a manifest's policy, the Data safety form).
    Undisclosed,
    /// The policy (or form) says it is not collected.
    Contradicted,
    /// Declared only through a broad category.
    Vague,
    /// The SDK's row omits it.
    SdkRowMismatch,
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for FindingKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FindingKind::ALL
            .iter()
            .copied()
            .find(|k| k.code() == s)
            .ok_or_else(|| format!("unknown finding kind '{s}'"))
    }
}

/// A quote from the policy: where a declaration was found, or the section where one is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyQuote {
    /// The policy document, when several were read as one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub file: Option<String>,
    /// 1-based line in the original policy text.
    pub line: usize,
    /// Byte offsets into the original (decoded) text.
    pub start: usize,
    pub end: usize,
    pub quote: String,
}

/// A suppression that applied to a finding (from `disclose.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedSuppression {
    pub reason: String,
    pub expires: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    /// Who owns the code: `app`, an SDK id, a library id, or `unknown`.
    pub owner: String,
    /// What kind of owner that is and why the code is theirs (data findings), or the SDK's
    /// evidence grade and bundle (SDK findings).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub owner_kind: Option<crate::model::OwnerKind>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub owner_reason: Option<String>,
    /// SDK id when the finding is about an SDK.
    pub sdk: Option<SdkId>,
    /// Taxonomy id when the finding is about a data type.
    pub data: Option<TaxonomyId>,
    /// Permission or usage-key name when the finding is about one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub permission: Option<String>,
    pub message: String,
    pub evidence: Vec<Evidence>,
    /// The policy text the finding was matched to, if any.
    pub policy_text: Option<PolicyQuote>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub suppressed: Option<AppliedSuppression>,
    /// The sensitivity level of the data type (data and permission findings): with the kind
    /// and the collector it sets the severity (`super::severity`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sensitivity: Option<crate::signatures::schema::Sensitivity>,
    /// The concrete change that resolves the finding (the missing policy sentence or SDK-list
    /// row, in the policy's language), from `signatures/fixes.toml`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub fix: Option<String>,
}

impl Finding {
    /// The baseline key: kind + owner + data type (+ permission), never line numbers, so a
    /// finding stays "known" when the policy is edited elsewhere.
    pub fn fingerprint(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.kind.code(),
            self.owner,
            self.data.as_deref().unwrap_or(""),
            self.permission.as_deref().unwrap_or("")
        )
    }
}

/// "1 class or symbol", "3 classes or symbols": how much of an SDK's code a finding saw.
pub(crate) fn classes_or_symbols(n: usize) -> String {
    if n == 1 {
        "1 class or symbol".to_string()
    } else {
        format!("{n} classes or symbols")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_kebab(code: &str) -> bool {
        !code.is_empty()
            && !code.starts_with('-')
            && !code.ends_with('-')
            && !code.contains("--")
            && code.chars().all(|c| c.is_ascii_lowercase() || c == '-')
    }

    #[test]
    fn codes_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for (i, &kind) in FindingKind::ALL.iter().enumerate() {
            let code = kind.code();
            assert!(is_kebab(code), "{code} is not kebab-case");
            assert!(seen.insert(code), "{code} used twice");
            assert_eq!(kind.index(), i, "{code}: index is not its place in ALL");
            assert_eq!(code.parse::<FindingKind>(), Ok(kind));
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(serde_json::Value::String(code.to_string())),
                "{code}: serde name differs from the code"
            );
        }
    }

    #[test]
    fn every_kind_has_rule_text() {
        for &kind in FindingKind::ALL {
            assert!(!kind.title().trim().is_empty(), "{kind}: no title");
            assert!(kind.help().len() > kind.title().len(), "{kind}: no help");
        }
    }
}
