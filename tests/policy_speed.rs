//! The shortcuts the policy reader takes for speed give what the plain reading gives: the
//! last and first negation cue of a text are the ends of the full list of its cues, and a
//! policy read with one thread declares exactly what it declares read on several (the SDK,
//! data, permission and statement readers run side by side). Read on the checked-in policy
//! fixtures, and on the real policies and seeds of the shared corpus when it is present.

mod support;

use disclose::policy::lang::meaning::{strip_markup, Meaning};
use disclose::policy::{extract, read_policy_file, PolicyDocument};
use disclose::Analyzer;
use std::path::{Path, PathBuf};

/// Policy files (`.txt`, `.md`, `.html`) under `dir`, recursively, sorted.
fn policies_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            policies_under(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "txt" | "md" | "html" | "htm"))
            && path.file_name().and_then(|n| n.to_str()) != Some("README.md")
        {
            out.push(path);
        }
    }
}

/// The readable policies: the checked-in fixtures, then the shared real policies and seeds
/// (skipped with a message when absent).
fn documents() -> Vec<PolicyDocument> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    policies_under(&root.join("tests/fixtures/policy"), &mut paths);
    let shared = root.join("../shared");
    for dir in ["corpus/policies-real", "seeds"] {
        let dir = shared.join(dir);
        if dir.is_dir() {
            policies_under(&dir, &mut paths);
        } else {
            support::skipped(format!(
                "policy_speed: no {} (real policies)",
                dir.display()
            ));
        }
    }
    assert!(paths.len() >= 10, "policy fixtures are present");
    paths
        .iter()
        .filter_map(|p| read_policy_file(p).ok())
        .collect()
}

#[test]
fn first_and_last_negation_cue_are_the_ends_of_the_full_list() {
    let meaning = Meaning::builtin().expect("built-in meaning");
    let mut read = 0usize;
    let mut with_cues = 0usize;
    for doc in documents() {
        let text = strip_markup(&doc.normal.text);
        for sentence in text.split(['。', '\n', ';', '!', '?']) {
            // Prefixes that end at a character: what a data word there is read after (every
            // character of a short sentence, every eighth of a long one).
            let step = if sentence.len() <= 200 { 1 } else { 8 };
            let ends = sentence
                .char_indices()
                .map(|(i, _)| i)
                .skip(1)
                .step_by(step)
                .chain([sentence.len()]);
            for end in ends {
                let prefix = sentence.get(..end).unwrap_or("");
                let all = meaning.negation_cues(prefix);
                read += 1;
                with_cues += usize::from(!all.is_empty());
                assert_eq!(
                    meaning.last_negation_cue(prefix),
                    all.last().cloned(),
                    "last cue of {prefix:?}"
                );
                assert_eq!(
                    meaning.first_negation_cue(prefix),
                    all.first().cloned(),
                    "first cue of {prefix:?}"
                );
            }
        }
    }
    // The comparison must have met cues, or it shows nothing.
    assert!(with_cues >= 100, "{with_cues} of {read} texts hold a cue");
}

#[test]
fn one_thread_and_several_read_the_same_declarations() {
    let analyzer = Analyzer::builtin().expect("built-in signatures");
    let vocab = analyzer.vocabulary().expect("policy vocabulary");
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("one-thread pool");
    let several = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .expect("four-thread pool");
    let docs = documents();
    for doc in &docs {
        let alone = one.install(|| extract(doc, vocab));
        let side_by_side = several.install(|| extract(doc, vocab));
        assert_eq!(
            serde_json::to_string(&alone).expect("json"),
            serde_json::to_string(&side_by_side).expect("json"),
            "{}",
            doc.name
        );
    }
    assert!(docs.len() >= 10);
}
