//! Suppressions from a config file (`disclose.toml` next to the app, or `--config FILE`): each
//! one silences matching findings, needs a reason and an expiry date, and is printed in every
//! report. An expired suppression no longer applies and is reported as expired.
//!
//! ```
//! use disclose::compare::suppress::Config;
//! let c = Config::parse("disclose.toml", r#"
//! [[suppress]]
//! kind = "undisclosed-sdk"
//! sdk = "bugly"
//! reason = "listed in the separate SDK page, ticket PRIV-12"
//! expires = "2099-01-31"
//! "#).unwrap();
//! assert_eq!(c.suppress.len(), 1);
//! ```

use super::finding::{AppliedSuppression, Finding, FindingKind};
use crate::Error;
use serde::Deserialize;
use std::time::{SystemTime, UNIX_EPOCH};

/// The name of the config file looked for next to the app.
pub const CONFIG_FILE_NAME: &str = "disclose.toml";

/// The config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub suppress: Vec<Suppression>,
    /// Dotted package prefixes of the app's own code besides its applicationId and manifest
    /// components (a company's second namespace): `first_party = ["com.example.shared"]`.
    #[serde(default)]
    pub first_party: Vec<String>,
    /// Per data type, a sensitivity level replacing the taxonomy's (`[sensitivity]`,
    /// `"network.state" = "personal"`); the severity table then applies to the new level.
    #[serde(default)]
    pub sensitivity: std::collections::BTreeMap<String, crate::signatures::schema::Sensitivity>,
    /// The file it was read from (named in errors).
    #[serde(skip)]
    pub file: String,
}

/// One suppression. Every filter given must match; `kind`, `reason` and `expires` are required.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    pub kind: String,
    /// Owner or SDK id (`app`, `bugly` …).
    #[serde(default)]
    pub sdk: Option<String>,
    #[serde(default)]
    pub data: Option<String>,
    #[serde(default)]
    pub permission: Option<String>,
    pub reason: String,
    /// `YYYY-MM-DD`, inclusive.
    pub expires: String,
}

impl Config {
    /// Parse and check a config file's text (`file` is named in errors).
    pub fn parse(file: &str, text: &str) -> Result<Config, Error> {
        let mut config: Config =
            toml::from_str(text).map_err(|e| Error::input(file, one_line(&e.to_string())))?;
        for p in &config.first_party {
            let bad = p.is_empty()
                || p.starts_with('.')
                || p.ends_with('.')
                || p.contains("..")
                || p.contains(|c: char| c.is_whitespace() || c == '/' || c == ';');
            if bad {
                return Err(Error::input(
                    file,
                    format!("first_party: '{p}' is not a dotted package name"),
                ));
            }
        }
        config.file = file.to_string();
        for (i, s) in config.suppress.iter().enumerate() {
            let at = format!("suppress #{}", i + 1);
            s.kind
                .parse::<FindingKind>()
                .map_err(|e| Error::input(file, format!("{at}: {e}")))?;
            if s.reason.trim().is_empty() {
                return Err(Error::input(
                    file,
                    format!("{at}: reason must not be empty"),
                ));
            }
            parse_date(&s.expires).ok_or_else(|| {
                Error::input(
                    file,
                    format!("{at}: expires '{}' is not a YYYY-MM-DD date", s.expires),
                )
            })?;
        }
        Ok(config)
    }

    /// Read a config file.
    pub fn load(path: &std::path::Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Config::parse(&path.display().to_string(), &text)
    }

    /// Refuse a suppression naming an owner or SDK id (`sdk`) or a data type (`data`) the
    /// signatures do not know: a typo would otherwise silence nothing, quietly.
    pub fn check_against(&self, set: &crate::signatures::SignatureSet) -> Result<(), Error> {
        for (i, s) in self.suppress.iter().enumerate() {
            let at = format!("suppress #{}", i + 1);
            if let Some(sdk) = &s.sdk {
                let known = sdk == crate::model::OWNER_APP
                    || sdk == crate::model::OWNER_UNKNOWN
                    || set
                        .sdks
                        .iter()
                        .chain(&set.packers)
                        .any(|k| &k.spec.id == sdk);
                if !known {
                    return Err(Error::input(
                        &self.file,
                        format!("{at}: unknown SDK id '{sdk}' (`disclose signatures list` shows the ids; `app` and `unknown` name owners)"),
                    ));
                }
            }
            if let Some(data) = &s.data {
                if !set.taxonomy.contains(data) {
                    return Err(Error::input(
                        &self.file,
                        format!("{at}: unknown data type '{data}' (see signatures/taxonomy.toml)"),
                    ));
                }
            }
        }
        if let Some(ty) = self
            .sensitivity
            .keys()
            .find(|ty| !set.taxonomy.contains(ty))
        {
            return Err(Error::input(
                &self.file,
                format!("sensitivity: unknown data type '{ty}' (see signatures/taxonomy.toml)"),
            ));
        }
        Ok(())
    }

    /// The active suppressions (not expired on `today`) that match none of `suppressed`, as
    /// one-line notes: a suppression that silences nothing is stale or misspelt.
    pub fn unmatched_notes(&self, suppressed: &[Finding], today: (i64, u32, u32)) -> Vec<String> {
        self.suppress
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.is_expired(today) && !suppressed.iter().any(|f| s.matches(f)))
            .map(|(i, s)| {
                format!(
                    "{}: suppress #{} ({}, {}) matched no finding",
                    self.file,
                    i + 1,
                    s.kind,
                    s.sdk.as_deref().unwrap_or("any owner")
                )
            })
            .collect()
    }

    /// The config for a scan of `app`: `explicit` (`--config FILE`) if given, else
    /// `disclose.toml` in the app's directory if there is one, else none.
    pub fn for_app(
        explicit: Option<&std::path::Path>,
        app: &std::path::Path,
    ) -> Result<Option<Config>, Error> {
        if let Some(path) = explicit {
            return Config::load(path).map(Some);
        }
        if crate::input::is_stdin(app) {
            return Ok(None);
        }
        let beside = app.with_file_name(CONFIG_FILE_NAME);
        if beside.is_file() {
            Config::load(&beside).map(Some)
        } else {
            Ok(None)
        }
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `YYYY-MM-DD` → (y, m, d).
fn parse_date(s: &str) -> Option<(i64, u32, u32)> {
    let mut it = s.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// Today's date (UTC) as (y, m, d), from the days-since-epoch civil calendar algorithm.
pub fn today() -> (i64, u32, u32) {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_from_days((secs / 86_400) as i64)
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

impl Suppression {
    fn matches(&self, f: &Finding) -> bool {
        self.kind == f.kind.code()
            && self
                .sdk
                .as_deref()
                .is_none_or(|s| s == f.owner || f.sdk.as_deref() == Some(s))
            && self
                .data
                .as_deref()
                .is_none_or(|d| f.data.as_deref() == Some(d))
            && self
                .permission
                .as_deref()
                .is_none_or(|p| f.permission.as_deref() == Some(p))
    }

    /// True when `expires` is before `today`.
    pub fn is_expired(&self, today: (i64, u32, u32)) -> bool {
        parse_date(&self.expires).is_none_or(|d| d < today)
    }
}

/// Re-rate the findings whose data type the config moves to another sensitivity level, then
/// split them into (kept, suppressed); returns the suppressions that have expired too.
pub fn apply(
    config: &Config,
    mut findings: Vec<Finding>,
    today: (i64, u32, u32),
) -> (Vec<Finding>, Vec<Finding>, Vec<Suppression>) {
    if !config.sensitivity.is_empty() {
        for f in &mut findings {
            if let Some(&level) = f.data.as_deref().and_then(|d| config.sensitivity.get(d)) {
                super::severity::rate_at(f, level);
            }
        }
        super::engine::sort_findings(&mut findings);
    }
    let (active, expired): (Vec<&Suppression>, Vec<&Suppression>) =
        config.suppress.iter().partition(|s| !s.is_expired(today));
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for mut f in findings {
        match active.iter().find(|s| s.matches(&f)) {
            Some(s) => {
                f.suppressed = Some(AppliedSuppression {
                    reason: s.reason.clone(),
                    expires: s.expires.clone(),
                });
                suppressed.push(f);
            }
            None => kept.push(f),
        }
    }
    (kept, suppressed, expired.into_iter().cloned().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_779), (2026, 11, 22));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn missing_reason_or_bad_date_is_an_error() {
        let e = Config::parse(
            "d.toml",
            "[[suppress]]\nkind = \"undisclosed-sdk\"\nreason = \" \"\nexpires = \"2030-01-01\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("reason"), "{e}");
        let e = Config::parse(
            "d.toml",
            "[[suppress]]\nkind = \"undisclosed-sdk\"\nreason = \"x\"\nexpires = \"soon\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
        let e = Config::parse("d.toml", "[[suppress]]\nkind = \"undisclosed-sdk\"\n").unwrap_err();
        assert!(e.to_string().starts_with("d.toml: "), "{e}");
        let e = Config::parse(
            "d.toml",
            "[[suppress]]\nkind = \"nope\"\nreason = \"x\"\nexpires = \"2030-01-01\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown finding kind"), "{e}");
    }

    #[test]
    fn expired_suppressions_do_not_apply() {
        let c = Config::parse(
            "d.toml",
            "[[suppress]]\nkind = \"undisclosed-sdk\"\nsdk = \"bugly\"\nreason = \"r\"\nexpires = \"2020-01-01\"\n",
        )
        .unwrap();
        let f = Finding {
            kind: FindingKind::UndisclosedSdk,
            severity: FindingKind::UndisclosedSdk.default_severity(),
            owner: "bugly".into(),
            owner_kind: None,
            owner_reason: None,
            sdk: Some("bugly".into()),
            data: None,
            permission: None,
            message: "m".into(),
            evidence: vec![],
            policy_text: None,
            suppressed: None,
            sensitivity: None,
            fix: None,
        };
        let (kept, sup, expired) = apply(&c, vec![f.clone()], (2026, 11, 22));
        assert_eq!((kept.len(), sup.len(), expired.len()), (1, 0, 1));
        let (kept, sup, expired) = apply(&c, vec![f], (2019, 12, 31));
        assert_eq!((kept.len(), sup.len(), expired.len()), (0, 1, 0));
        assert_eq!(
            sup[0].suppressed.as_ref().map(|s| s.reason.as_str()),
            Some("r")
        );
    }
}
