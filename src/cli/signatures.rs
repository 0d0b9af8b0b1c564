//! `disclose signatures list|show|validate|test`: look at and check the signature data.
//!
//! Example: `disclose signatures show amap-location --format json`.

use super::Global;
use disclose::signatures::{run_examples, SignatureSet, SignatureSources};
use disclose::Error;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// List every SDK and packer: id, category, country, name.
    List,
    /// Print one SDK or packer file: its TOML as written, or as JSON.
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t = ShowFormat::Toml)]
        format: ShowFormat,
    },
    /// Check the data strictly (schema, ids, taxonomy references, overlapping prefixes).
    Validate,
    /// Run every must-match / must-not-match example against the compiled matchers.
    Test,
    /// Build the fingerprint of a vendor SDK binary (features that survive ProGuard/R8
    /// renaming), for signatures/fingerprints/<sdk>.toml.
    Fingerprint(FingerprintArgs),
}

// The arguments of `signatures fingerprint` (a plain comment: clap would show a doc comment as its help).
#[derive(clap::Args)]
struct FingerprintArgs {
    /// The SDK's binaries: .jar, .aar or .dex (several are combined). Classes that
    /// package-name signatures give to another SDK are left out.
    files: Vec<std::path::PathBuf>,
    /// Binaries of other SDKs that bundle this one: only their classes named for this SDK
    /// are taken.
    #[arg(long = "bundled-in")]
    bundled_in: Vec<std::path::PathBuf>,
    /// Another version of the SDK, `VERSION=FILE[,FILE…]`: classes that stay alike across
    /// versions are kept first.
    #[arg(long = "other-version")]
    other_versions: Vec<String>,
    /// Binaries of other SDKs: classes of this SDK that look like one of theirs (shared
    /// vendor code) are left out.
    #[arg(long = "unlike")]
    unlike: Vec<std::path::PathBuf>,
    /// Binaries of named open-source libraries (gson, Thrift …): classes of the SDK that look
    /// like one of theirs (a repackaged copy) are left out, as are those of every binary given
    /// whose package libraries.toml names.
    #[arg(long = "library")]
    library: Vec<std::path::PathBuf>,
    /// Id of the SDK (its signatures/sdks/<id>.toml must exist).
    #[arg(long)]
    sdk: String,
    /// Version of the binary.
    #[arg(long)]
    version: String,
    /// Where the binary comes from (registry package and path inside it).
    #[arg(long)]
    source: String,
    /// Write the file here instead of standard output.
    #[arg(long)]
    out: Option<std::path::PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ShowFormat {
    Toml,
    Json,
}

pub fn run(global: &Global, args: Args) -> Result<ExitCode, Error> {
    let sources = match &global.signatures {
        Some(dir) => SignatureSources::builtin_with_dir(dir),
        None => Ok(SignatureSources::builtin()),
    }
    .map_err(Error::from)?;
    let set = SignatureSet::from_sources(&sources).map_err(Error::from)?;
    let (text, code) = match args.action {
        Action::List => (list(&set), ExitCode::SUCCESS),
        Action::Show { id, format } => (show(&set, &sources, &id, format)?, ExitCode::SUCCESS),
        Action::Validate => validate(&set),
        Action::Test => test(&set),
        Action::Fingerprint(fingerprint_args) => {
            (fingerprint(&set, fingerprint_args)?, ExitCode::SUCCESS)
        }
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Error::io("standard output", e))?;
    Ok(code)
}

/// `signatures list`: one line per SDK and packer.
fn list(set: &SignatureSet) -> String {
    let mut text = String::new();
    for s in set.sdks.iter().chain(&set.packers) {
        let country = s.spec.country.as_deref().unwrap_or("-");
        let (id, category, name) = (&s.spec.id, &s.spec.category, &s.spec.name);
        text.push_str(&format!("{id:<36} {category:<12} {country:<3} {name}\n"));
    }
    text
}

/// `signatures validate`: every problem, then the counts; fails when there is a problem.
fn validate(set: &SignatureSet) -> (String, ExitCode) {
    let mut text = String::new();
    let problems = set.validate();
    let ids: Vec<&str> = set.sdks.iter().map(|s| s.spec.id.as_str()).collect();
    let fingerprint_problems = disclose::fingerprint::validate(&ids);
    for p in &problems {
        text.push_str(&format!("{p}\n"));
    }
    for p in &fingerprint_problems {
        text.push_str(&format!("{p}\n"));
    }
    text.push_str(&format!(
        "{} SDKs, {} packers, {} Android API rules, {} iOS API rules, {} permissions, {} plist keys, {} data types: {}\n",
        set.sdks.len(),
        set.packers.len(),
        set.android_apis.len(),
        set.ios_apis.len(),
        set.android_permissions.len(),
        set.ios_plist_keys.len(),
        set.taxonomy.len(),
        disclose::report::counted(problems.len() + fingerprint_problems.len(), "problem")
    ));
    let code = super::exit_for(!problems.is_empty() || !fingerprint_problems.is_empty());
    (text, code)
}

/// `signatures test`: every failing example, then how many ran; fails when one failed.
fn test(set: &SignatureSet) -> (String, ExitCode) {
    let mut text = String::new();
    let failures = run_examples(set);
    for f in &failures {
        text.push_str(&format!("{f}\n"));
    }
    text.push_str(&format!(
        "examples: {} run, {} failed\n",
        example_count(set),
        failures.len()
    ));
    (text, super::exit_for(!failures.is_empty()))
}

/// `signatures fingerprint`: the fingerprint file on standard output, or written to `--out`
/// with a one-line summary.
fn fingerprint(set: &SignatureSet, args: FingerprintArgs) -> Result<String, Error> {
    let FingerprintArgs {
        files,
        bundled_in,
        other_versions,
        unlike,
        library,
        sdk,
        version,
        source,
        out,
    } = args;
    if !set.sdks.iter().any(|s| s.spec.id == sdk) {
        return Err(Error::Usage(format!(
            "--sdk {sdk}: no SDK with that id in the signature data"
        )));
    }
    use disclose::fingerprint::generate::{classes_of_file, own_classes, select_versions};
    if files.is_empty() && bundled_in.is_empty() {
        return Err(Error::Usage(
            "name at least one SDK binary (or --bundled-in BINARY)".into(),
        ));
    }
    let m = set.compile().map_err(Error::from)?;
    let named = |class: &str| {
        m.sdks
            .match_java_class(class)
            .and_then(|i| set.sdks.get(i.index()))
            .map(|s| s.spec.id.to_string())
    };
    let library_named =
        |class: &str| named(class).is_none() && m.libraries.match_java_class(class).is_some();
    let mut classes = Vec::new();
    for (f, bundled) in files
        .iter()
        .map(|f| (f, false))
        .chain(bundled_in.iter().map(|f| (f, true)))
    {
        classes.extend(own_classes(classes_of_file(f)?, &sdk, bundled, named));
    }
    if classes.is_empty() {
        return Err(Error::Usage(format!("no class of the binaries is {sdk}'s")));
    }
    // The SDK's classes in its binary, before `--unlike` leaves some out.
    let classes_total = classes.iter().filter(|c| !library_named(&c.name)).count();
    let binaries = Binaries {
        other_versions: &other_versions,
        unlike: &unlike,
        library: &library,
    };
    let versions = all_versions((version.clone(), classes), &binaries, library_named, |f| {
        Ok(own_classes(classes_of_file(f)?, &sdk, false, named))
    })?;
    let mut fp = select_versions(versions, &sdk, &version, &source);
    fp.classes_total = classes_total.max(fp.classes.len());
    let rendered = disclose::fingerprint::file::render(&fp);
    let summary = format!(
        "{sdk}: {} of {} classes kept, {} bytes\n",
        fp.classes.len(),
        fp.classes_total,
        rendered.len()
    );
    match out {
        Some(path) => {
            std::fs::write(&path, rendered).map_err(|e| Error::io(&path, e))?;
            Ok(summary)
        }
        None => Ok(rendered),
    }
}

/// The file of SDK or packer `id`, as TOML (the text as written) or JSON.
fn show(
    set: &SignatureSet,
    sources: &SignatureSources,
    id: &str,
    format: ShowFormat,
) -> Result<String, Error> {
    let sdk = set
        .sdks
        .iter()
        .chain(&set.packers)
        .find(|s| s.spec.id == id)
        .ok_or_else(|| Error::Usage(format!("no SDK or packer with id '{id}'")))?;
    let file = sources
        .iter()
        .find(|(_, f)| f.origin == sdk.origin)
        .map(|(_, f)| f)
        .ok_or_else(|| Error::Signatures(format!("{}: source text not found", sdk.origin)))?;
    match format {
        ShowFormat::Toml => Ok(format!("# {}\n{}", sdk.origin, file.text)),
        ShowFormat::Json => {
            let value: serde_json::Value = toml::from_str(&file.text)
                .map_err(|e| Error::input(&sdk.origin, e.to_string().trim()))?;
            serde_json::to_string_pretty(&value)
                .map(|s| s + "\n")
                .map_err(|e| Error::Signatures(e.to_string()))
        }
    }
}

/// How many examples `disclose signatures test` runs.
fn example_count(set: &SignatureSet) -> usize {
    let count = |e: &disclose::signatures::schema::Examples| e.must_match.len() + e.no_match.len();
    set.sdks
        .iter()
        .chain(&set.packers)
        .map(|s| count(&s.examples))
        .chain(set.android_apis.iter().map(|r| count(&r.examples)))
        .chain(set.ios_apis.iter().map(|r| count(&r.examples)))
        .sum()
}

/// The binaries `signatures fingerprint` compares an SDK's classes with.
struct Binaries<'a> {
    /// `--other-version VERSION=FILE[,FILE…]`.
    other_versions: &'a [String],
    /// `--unlike`: other SDKs' binaries.
    unlike: &'a [std::path::PathBuf],
    /// `--library`: open-source libraries' binaries.
    library: &'a [std::path::PathBuf],
}

/// The versions of an SDK's classes for `signatures fingerprint`: the first (`first`), those of
/// each `--other-version` (`own` reads a file's classes that are the SDK's), each less the
/// classes a library owns by name (`library_named`) and those that look like a class of an
/// `--unlike` binary or of a library (a `--library` binary, or a library-named class of any
/// binary given).
fn all_versions(
    first: (String, Vec<disclose::fingerprint::features::ClassFeatures>),
    binaries: &Binaries,
    library_named: impl Fn(&str) -> bool + Copy,
    own: impl Fn(&std::path::Path) -> Result<Vec<disclose::fingerprint::features::ClassFeatures>, Error>,
) -> Result<Vec<(String, Vec<disclose::fingerprint::features::ClassFeatures>)>, Error> {
    use disclose::fingerprint::generate::{
        classes_of_file, split_library_named, unlike_libraries, unlike_others,
    };
    let other_versions = binaries.other_versions;
    let mut versions = vec![first];
    for other in other_versions {
        let Some((label, list)) = other.split_once('=') else {
            return Err(Error::Usage(format!(
                "--other-version {other}: expected VERSION=FILE[,FILE…]"
            )));
        };
        let mut classes = Vec::new();
        for f in list.split(',') {
            classes.extend(own(std::path::Path::new(f))?);
        }
        versions.push((label.to_string(), classes));
    }
    let mut others = Vec::new();
    for f in binaries.unlike {
        others.extend(classes_of_file(f)?);
    }
    let (others, mut library) = split_library_named(others, library_named);
    for f in binaries.library {
        library.extend(classes_of_file(f)?);
    }
    let versions: Vec<_> = versions
        .into_iter()
        .map(|(label, classes)| {
            let (own, named) = split_library_named(classes, library_named);
            library.extend(named);
            (label, own)
        })
        .collect();
    Ok(versions
        .into_iter()
        .map(|(label, classes)| {
            let classes = unlike_others(classes, others.clone());
            (label, unlike_libraries(classes, &library))
        })
        .collect())
}
