//! The app's `AndroidManifest.xml`, read from its binary form into a privacy-relevant model:
//! package and versions, SDK levels, requested and declared permissions, the application's
//! security flags, every component with its intent-filter actions, `meta-data` (SDK app keys
//! such as `UMENG_APPKEY` or `com.amap.api.v2.apikey` are evidence of SDKs), `queries`,
//! `uses-feature` and `uses-library`.
//!
//! Values that are resource references (`@0x7f0c0012`) cannot be resolved without
//! `resources.arsc`; they are kept in that string form (so a versionName or a meta-data value
//! may read `@0x7f…`). Component names are fully qualified against the package the way
//! Android does (`.Foo` and `Foo` both become `package.Foo`).
//!
//! ```no_run
//! use disclose::android::manifest::AndroidManifest;
//! let bytes = std::fs::read("AndroidManifest.xml")?; // the binary file from inside an APK
//! let manifest = AndroidManifest::parse(&bytes)?;
//! for p in &manifest.uses_permissions {
//!     println!("{}", p.name);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;

use serde::Serialize;

use super::axml::{AxmlError, XmlAttribute, XmlDocument, XmlElement};
use super::proto_xml::{self, ProtoXmlError};

/// Why a manifest could not be read. `Display` is one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    #[error("AndroidManifest.xml: {0}")]
    Axml(#[from] AxmlError),
    #[error("AndroidManifest.xml: {0}")]
    ProtoXml(#[from] ProtoXmlError),
    #[error("AndroidManifest.xml: root element is <{0}>, expected <manifest>")]
    NotAManifest(String),
}

/// The privacy-relevant content of an Android manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AndroidManifest {
    /// The `package` attribute of `<manifest>`.
    pub package: String,
    pub version_code: Option<u64>,
    pub version_name: Option<String>,
    pub min_sdk: Option<u32>,
    pub target_sdk: Option<u32>,
    /// `uses-permission` and `uses-permission-sdk-23`, first occurrence of each name kept.
    pub uses_permissions: Vec<UsesPermission>,
    /// `<permission>` elements: permissions the app defines.
    pub permissions: Vec<DeclaredPermission>,
    pub application: Application,
    pub components: Vec<Component>,
    pub meta_data: Vec<MetaData>,
    pub queries: Queries,
    pub uses_features: Vec<UsesFeature>,
    pub uses_libraries: Vec<UsesLibrary>,
}

/// A requested permission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsesPermission {
    pub name: String,
    /// `android:maxSdkVersion`: the permission is only requested up to this API level.
    pub max_sdk: Option<u32>,
    /// Requested with `uses-permission-sdk-23` (only on API 23+).
    pub sdk23: bool,
    /// How many elements request this name (duplicates are common and harmless).
    pub occurrences: u32,
}

/// A permission the app defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclaredPermission {
    pub name: String,
    /// `android:protectionLevel` in its string form (flags as a hex number, e.g. `0x2`).
    pub protection_level: Option<String>,
}

/// The `<application>` attributes that matter for privacy and security.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Application {
    /// The Application subclass, fully qualified.
    pub name: Option<String>,
    pub debuggable: Option<bool>,
    pub allow_backup: Option<bool>,
    pub uses_cleartext_traffic: Option<bool>,
    /// Usually a resource reference (`@0x7f…`).
    pub network_security_config: Option<String>,
    /// `android:label`: the app's name, or a reference to it in `resources.arsc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// `android:icon`: a reference to the launcher icon in `resources.arsc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
}

/// The kind of an application component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    Activity,
    ActivityAlias,
    Service,
    Receiver,
    Provider,
}

impl ComponentKind {
    fn from_element(name: &str) -> Option<Self> {
        Some(match name {
            "activity" => ComponentKind::Activity,
            "activity-alias" => ComponentKind::ActivityAlias,
            "service" => ComponentKind::Service,
            "receiver" => ComponentKind::Receiver,
            "provider" => ComponentKind::Provider,
            _ => return None,
        })
    }

    /// The element name (`activity`, `activity-alias`, `service`, `receiver`, `provider`).
    pub fn element(self) -> &'static str {
        match self {
            ComponentKind::Activity => "activity",
            ComponentKind::ActivityAlias => "activity-alias",
            ComponentKind::Service => "service",
            ComponentKind::Receiver => "receiver",
            ComponentKind::Provider => "provider",
        }
    }
}

/// An activity, activity-alias, service, receiver or provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    pub kind: ComponentKind,
    /// Fully qualified class name.
    pub name: String,
    /// `android:exported` when set (when unset, Android infers it from intent filters).
    pub exported: Option<bool>,
    pub permission: Option<String>,
    /// Providers only: `android:authorities` (`;`-separated in the manifest).
    pub authorities: Vec<String>,
    /// Actions of every intent filter.
    pub actions: Vec<String>,
    /// Categories of every intent filter.
    pub categories: Vec<String>,
}

/// A `<meta-data>` name/value pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetaData {
    pub name: String,
    /// `android:value` in string form, or `android:resource` as `@0x7f…`.
    pub value: Option<String>,
    /// Who holds it: `manifest`, `application`, or `<kind> <component name>`.
    pub owner: String,
}

/// `<queries>`: the other apps this one asks to see (package visibility, API 30+).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Queries {
    pub packages: Vec<String>,
    /// Actions of `<intent>` elements.
    pub intent_actions: Vec<String>,
    /// Authorities of `<provider>` elements.
    pub providers: Vec<String>,
}

/// A `<uses-feature>` (hardware or software feature).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsesFeature {
    /// Feature name; `None` for a bare `glEsVersion` requirement.
    pub name: Option<String>,
    pub required: bool,
}

/// A `<uses-library>` (shared library such as `org.apache.http.legacy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsesLibrary {
    pub name: String,
    pub required: bool,
}

impl AndroidManifest {
    /// Reads a binary `AndroidManifest.xml`.
    pub fn parse(bytes: &[u8]) -> Result<Self, ManifestError> {
        let doc = XmlDocument::parse(bytes)?;
        Self::from_document(&doc)
    }

    /// Reads an App Bundle's manifest: aapt2's protobuf XML (see [`proto_xml`]).
    pub fn parse_proto(bytes: &[u8]) -> Result<Self, ManifestError> {
        let doc = proto_xml::parse(bytes)?;
        Self::from_document(&doc)
    }

    /// Reads a manifest in either compiled form, told by its first byte: binary XML (an APK)
    /// or protobuf XML (an App Bundle module).
    pub fn parse_any(bytes: &[u8]) -> Result<Self, ManifestError> {
        if proto_xml::looks_like_proto(bytes) {
            Self::parse_proto(bytes)
        } else {
            Self::parse(bytes)
        }
    }

    /// Adds what a feature module's manifest requests and declares (permissions, components,
    /// meta-data, queries) to this, the base manifest — as bundletool merges them into the
    /// manifest of a universal APK. Names already present are not added twice.
    pub fn merge_module(&mut self, module: &AndroidManifest) {
        for up in &module.uses_permissions {
            match self.uses_permissions.iter_mut().find(|p| p.name == up.name) {
                Some(known) => known.occurrences += up.occurrences,
                None => self.uses_permissions.push(up.clone()),
            }
        }
        for c in &module.components {
            if !self
                .components
                .iter()
                .any(|k| k.kind == c.kind && k.name == c.name)
            {
                self.components.push(c.clone());
            }
        }
        for meta in &module.meta_data {
            if !self.meta_data.contains(meta) {
                self.meta_data.push(meta.clone());
            }
        }
        let q = &module.queries;
        extend_new(&mut self.queries.packages, &q.packages);
        extend_new(&mut self.queries.intent_actions, &q.intent_actions);
        extend_new(&mut self.queries.providers, &q.providers);
    }

    /// Builds the model from an already parsed document.
    pub fn from_document(doc: &XmlDocument) -> Result<Self, ManifestError> {
        let root = match doc.root() {
            Some(root) if &*root.name == "manifest" => root,
            Some(root) => return Err(ManifestError::NotAManifest(root.name.to_string())),
            None => return Err(ManifestError::Axml(AxmlError::Empty)),
        };
        let mut m = AndroidManifest {
            package: root
                .plain_attr("package")
                .map(XmlAttribute::string_value)
                .unwrap_or_default(),
            version_code: number(root, "versionCode"),
            version_name: text(root, "versionName"),
            ..Default::default()
        };
        // Position of each requested name in `uses_permissions`: duplicates are counted in
        // constant time, so a manifest with a huge number of them stays linear.
        let mut seen_permissions = HashMap::new();
        for (index, el) in doc.elements.iter().enumerate() {
            // Android only reads these elements at their documented place; a stray
            // <uses-permission> deep inside <application> does not request anything.
            let parent = el.parent.and_then(|p| doc.elements.get(p));
            let parent_name = parent.map(|p| &*p.name);
            match (&*el.name, parent_name) {
                ("uses-sdk", Some("manifest")) => {
                    m.min_sdk = m.min_sdk.or(number(el, "minSdkVersion"));
                    m.target_sdk = m.target_sdk.or(number(el, "targetSdkVersion"));
                }
                ("uses-permission", Some("manifest")) => {
                    m.add_uses_permission(el, false, &mut seen_permissions)
                }
                ("uses-permission-sdk-23" | "uses-permission-sdk-m", Some("manifest")) => {
                    m.add_uses_permission(el, true, &mut seen_permissions)
                }
                ("permission", Some("manifest")) => {
                    if let Some(name) = text(el, "name") {
                        m.permissions.push(DeclaredPermission {
                            name,
                            protection_level: text(el, "protectionLevel"),
                        });
                    }
                }
                ("application", Some("manifest")) => {
                    m.application = Application {
                        name: text(el, "name").map(|n| qualify(&m.package, &n)),
                        debuggable: boolean(el, "debuggable"),
                        allow_backup: boolean(el, "allowBackup"),
                        uses_cleartext_traffic: boolean(el, "usesCleartextTraffic"),
                        network_security_config: text(el, "networkSecurityConfig"),
                        label: text(el, "label"),
                        icon: text(el, "icon"),
                    };
                }
                (kind, Some("application")) if ComponentKind::from_element(kind).is_some() => {
                    if let Some(kind) = ComponentKind::from_element(kind) {
                        let component = component(doc, index, el, kind, &m.package);
                        m.components.push(component);
                    }
                }
                ("meta-data", Some(_)) => {
                    if let Some(meta) = meta_data(doc, el, &m.package) {
                        m.meta_data.push(meta);
                    }
                }
                ("package", Some("queries")) => {
                    push_some(&mut m.queries.packages, text(el, "name"))
                }
                ("action", Some("intent")) if in_queries(doc, el) => {
                    push_some(&mut m.queries.intent_actions, text(el, "name"))
                }
                ("provider", Some("queries")) => {
                    for a in authorities(el) {
                        m.queries.providers.push(a);
                    }
                }
                ("uses-feature", Some("manifest")) => m.uses_features.push(UsesFeature {
                    name: text(el, "name"),
                    required: boolean(el, "required").unwrap_or(true),
                }),
                ("uses-library", Some("application")) => {
                    if let Some(name) = text(el, "name") {
                        m.uses_libraries.push(UsesLibrary {
                            name,
                            required: boolean(el, "required").unwrap_or(true),
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(m)
    }

    fn add_uses_permission(
        &mut self,
        el: &XmlElement,
        sdk23: bool,
        seen: &mut HashMap<String, usize>,
    ) {
        let Some(name) = text(el, "name") else {
            return;
        };
        if let Some(earlier) = seen
            .get(&name)
            .and_then(|&i| self.uses_permissions.get_mut(i))
        {
            earlier.occurrences += 1;
            return;
        }
        seen.insert(name.clone(), self.uses_permissions.len());
        self.uses_permissions.push(UsesPermission {
            name,
            max_sdk: number(el, "maxSdkVersion"),
            sdk23,
            occurrences: 1,
        });
    }
}

fn extend_new(list: &mut Vec<String>, more: &[String]) {
    for item in more {
        if !list.contains(item) {
            list.push(item.clone());
        }
    }
}

fn push_some(list: &mut Vec<String>, value: Option<String>) {
    if let Some(v) = value {
        list.push(v);
    }
}

/// An `android:` attribute in its string form, when present and not empty.
fn text(el: &XmlElement, name: &str) -> Option<String> {
    el.android_attr(name)
        .map(XmlAttribute::string_value)
        .filter(|s| !s.is_empty())
}

fn number<T: TryFrom<u64>>(el: &XmlElement, name: &str) -> Option<T> {
    el.android_attr(name)
        .and_then(|a| a.value.as_u64())
        .and_then(|n| T::try_from(n).ok())
}

fn boolean(el: &XmlElement, name: &str) -> Option<bool> {
    el.android_attr(name).and_then(|a| a.value.as_bool())
}

fn authorities(el: &XmlElement) -> Vec<String> {
    text(el, "authorities")
        .map(|s| {
            s.split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Qualifies a class name against the package: `.Foo` and `Foo` become `package.Foo`.
pub fn qualify(package: &str, name: &str) -> String {
    if let Some(rest) = name.strip_prefix('.') {
        format!("{package}.{rest}")
    } else if !name.contains('.') && !package.is_empty() {
        format!("{package}.{name}")
    } else {
        name.to_string()
    }
}

fn in_queries(doc: &XmlDocument, el: &XmlElement) -> bool {
    el.parent
        .and_then(|p| doc.elements.get(p))
        .and_then(|intent| intent.parent)
        .and_then(|q| doc.elements.get(q))
        .is_some_and(|q| &*q.name == "queries")
}

fn component(
    doc: &XmlDocument,
    index: usize,
    el: &XmlElement,
    kind: ComponentKind,
    package: &str,
) -> Component {
    let mut c = Component {
        kind,
        name: text(el, "name")
            .map(|n| qualify(package, &n))
            .unwrap_or_default(),
        exported: boolean(el, "exported"),
        permission: text(el, "permission"),
        authorities: if kind == ComponentKind::Provider {
            authorities(el)
        } else {
            Vec::new()
        },
        actions: Vec::new(),
        categories: Vec::new(),
    };
    for filter in doc.children(index).filter(|f| &*f.name == "intent-filter") {
        for child in filter.children.iter().filter_map(|&i| doc.elements.get(i)) {
            match &*child.name {
                "action" => push_some(&mut c.actions, text(child, "name")),
                "category" => push_some(&mut c.categories, text(child, "name")),
                _ => {}
            }
        }
    }
    c
}

fn meta_data(doc: &XmlDocument, el: &XmlElement, package: &str) -> Option<MetaData> {
    let name = text(el, "name")?;
    let value = text(el, "value").or_else(|| text(el, "resource"));
    let holder = el.parent.and_then(|p| doc.elements.get(p))?;
    let owner = match &*holder.name {
        "manifest" | "application" => holder.name.to_string(),
        other => match ComponentKind::from_element(other) {
            Some(kind) => format!(
                "{} {}",
                kind.element(),
                text(holder, "name")
                    .map(|n| qualify(package, &n))
                    .unwrap_or_default()
            ),
            None => other.to_string(),
        },
    };
    Some(MetaData { name, value, owner })
}
