//! What we ship we build: every target of release.yml's build matrix and of krew-manifest.yaml
//! is built by release.yml and built or checked by ci.yml; ci.yml runs on pull requests, on
//! main and before a release is built; it runs `.ci/run` on Linux and checks the declared MSRV.
//! GitHub Actions cannot run here, so the workflows are read as the YAML they are.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{BIN_NAME, repo_root};

fn workflow(name: &str) -> Value {
    let path = repo_root().join(".github/workflows").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("parsing {name} as YAML: {e}"))
}

fn jobs(workflow: &Value) -> impl Iterator<Item = (&String, &Value)> {
    workflow["jobs"].as_object().into_iter().flatten()
}

/// A job's matrix as the runs it makes: `include` entries, or the product of its lists.
fn matrix_runs(job: &Value) -> Vec<BTreeMap<String, String>> {
    let Some(matrix) = job.pointer("/strategy/matrix").and_then(Value::as_object) else {
        return vec![BTreeMap::new()];
    };
    let text = |value: &Value| value.as_str().map_or(value.to_string(), str::to_owned);
    let mut runs = vec![BTreeMap::new()];
    for (key, values) in matrix.iter().filter(|(key, _)| *key != "include") {
        let values: Vec<String> = values.as_array().into_iter().flatten().map(text).collect();
        runs = runs
            .into_iter()
            .flat_map(|run| {
                values.iter().map(move |value| {
                    let mut run = run.clone();
                    run.insert(key.clone(), value.clone());
                    run
                })
            })
            .collect();
    }
    if let Some(include) = matrix.get("include").and_then(Value::as_array) {
        let included = include.iter().filter_map(Value::as_object).map(|entry| {
            entry
                .iter()
                .map(|(key, value)| (key.clone(), text(value)))
                .collect()
        });
        if runs.len() == 1 && runs[0].is_empty() {
            runs = included.collect();
        } else {
            runs.extend(included);
        }
    }
    runs
}

/// `${{ matrix.KEY }}` replaced by the run's value.
fn substitute(text: &str, run: &BTreeMap<String, String>) -> String {
    run.iter().fold(text.to_owned(), |text, (key, value)| {
        text.replace(&format!("${{{{ matrix.{key} }}}}"), value)
    })
}

/// The target a plain `cargo build` compiles for on a GitHub-hosted runner.
fn runner_target(runner: &str) -> Option<&'static str> {
    match runner {
        r if r.starts_with("ubuntu-") && !r.contains("arm") => Some("x86_64-unknown-linux-gnu"),
        "macos-13" => Some("x86_64-apple-darwin"),
        r if r.starts_with("macos-") => Some("aarch64-apple-darwin"),
        r if r.starts_with("windows-") && !r.contains("arm") => Some("x86_64-pc-windows-msvc"),
        _ => None,
    }
}

/// The targets a step's shell lines compile: `cargo build|check|test|clippy` (any toolchain)
/// for its `--target` or else the runner's, and `.ci/run` (which builds and tests) for the
/// runner's.
fn targets_of_commands(script: &str, runner: Option<&str>, into: &mut BTreeSet<String>) {
    for line in script.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let compiles = words.windows(2).any(|pair| {
            pair[0] == "cargo" && ["build", "check", "test", "clippy"].contains(&pair[1])
        }) || words.windows(3).any(|three| {
            three[0] == "cargo"
                && three[1].starts_with('+')
                && ["build", "check", "test", "clippy"].contains(&three[2])
        }) || words.first() == Some(&".ci/run");
        if !compiles {
            continue;
        }
        let explicit: Vec<&str> = words
            .windows(2)
            .filter(|pair| pair[0] == "--target")
            .map(|pair| pair[1].trim_matches('"'))
            .collect();
        if explicit.is_empty() {
            into.extend(runner.map(str::to_owned));
        } else {
            into.extend(explicit.into_iter().map(str::to_owned));
        }
    }
}

/// Every target some job of `workflow` compiles, with the jobs that do.
fn compiled_targets(workflow: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut compiled: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, job) in jobs(workflow) {
        for run in matrix_runs(job) {
            let runner = job["runs-on"].as_str().map(|r| substitute(r, &run));
            let runner_target = runner.as_deref().and_then(runner_target);
            let mut targets = BTreeSet::new();
            for step in job["steps"].as_array().into_iter().flatten() {
                if let Some(uses) = step["uses"].as_str()
                    && uses.starts_with("houseabsolute/actions-rust-cross@")
                    && let Some(target) = step.pointer("/with/target").and_then(Value::as_str)
                {
                    targets.insert(substitute(target, &run));
                }
                if let Some(script) = step["run"].as_str() {
                    targets_of_commands(&substitute(script, &run), runner_target, &mut targets);
                }
            }
            for target in targets {
                compiled.entry(target).or_default().insert(name.clone());
            }
        }
    }
    compiled
}

/// What the release ships: release.yml's build matrix and krew-manifest.yaml's archives.
fn shipped_targets() -> BTreeSet<String> {
    let release = workflow("release.yml");
    let mut shipped: BTreeSet<String> = matrix_runs(&release["jobs"]["build"])
        .into_iter()
        .filter_map(|run| run.get("target").cloned())
        .collect();
    let manifest = super::read_manifest(&repo_root().join("krew-manifest.yaml"));
    let version = env!("CARGO_PKG_VERSION");
    for platform in super::platforms(&manifest) {
        let uri = platform["uri"].as_str().unwrap_or_default();
        let archive = uri.rsplit('/').next().unwrap_or_default();
        let triple = archive
            .strip_prefix(&format!("{BIN_NAME}_v{version}_"))
            .and_then(|rest| {
                rest.strip_suffix(".tar.gz")
                    .or_else(|| rest.strip_suffix(".zip"))
            })
            .unwrap_or_else(|| panic!("no target triple in the manifest's uri {uri}"));
        shipped.insert(triple.to_owned());
    }
    assert!(shipped.len() >= 5, "the release ships {shipped:?}");
    shipped
}

/// The shipped targets no job of `workflow` compiles.
fn missing_targets(workflow: &Value, shipped: &BTreeSet<String>) -> Vec<String> {
    let compiled = compiled_targets(workflow);
    shipped
        .iter()
        .filter(|target| !compiled.contains_key(*target))
        .cloned()
        .collect()
}

#[test]
fn every_shipped_target_is_built_by_release_and_checked_by_ci() {
    let shipped = shipped_targets();
    for name in ["release.yml", "ci.yml"] {
        let workflow = workflow(name);
        assert_eq!(
            missing_targets(&workflow, &shipped),
            Vec::<String>::new(),
            "{name} compiles none of these shipped targets (it compiles {:?})",
            compiled_targets(&workflow)
        );
    }
}

#[test]
fn a_workflow_without_a_target_is_caught() {
    let shipped = shipped_targets();
    let mut without_windows = workflow("ci.yml");
    without_windows["jobs"]
        .as_object_mut()
        .unwrap()
        .remove("windows");
    assert_eq!(
        missing_targets(&without_windows, &shipped),
        ["x86_64-pc-windows-msvc"]
    );
    let mut without_intel_macs = workflow("ci.yml");
    for step in without_intel_macs["jobs"]["macos"]["steps"]
        .as_array_mut()
        .unwrap()
    {
        if let Some(script) = step["run"].as_str() {
            step["run"] = script.replace("--target x86_64-apple-darwin", "").into();
        }
    }
    assert_eq!(
        missing_targets(&without_intel_macs, &shipped),
        ["x86_64-apple-darwin"]
    );
    let mut release_without_arm_linux = workflow("release.yml");
    let include = release_without_arm_linux
        .pointer_mut("/jobs/build/strategy/matrix/include")
        .and_then(Value::as_array_mut)
        .unwrap();
    include.retain(|entry| entry["target"] != "aarch64-unknown-linux-musl");
    assert_eq!(
        missing_targets(&release_without_arm_linux, &shipped),
        ["aarch64-unknown-linux-musl"]
    );
}

#[test]
fn ci_runs_on_pull_requests_on_main_and_before_a_release() {
    let ci = workflow("ci.yml");
    let on = &ci["on"];
    assert!(on.get("pull_request").is_some(), "ci.yml on: {on}");
    assert!(
        on.pointer("/push/branches")
            .and_then(Value::as_array)
            .is_some_and(|branches| branches.iter().any(|b| b == "main")),
        "ci.yml runs on pushes to main: {on}"
    );
    assert!(on.get("workflow_call").is_some(), "ci.yml on: {on}");

    let release = workflow("release.yml");
    let (checks, _) = jobs(&release)
        .find(|(_, job)| job["uses"] == "./.github/workflows/ci.yml")
        .expect("release.yml runs ci.yml's jobs");
    let needs = &release["jobs"]["build"]["needs"];
    assert!(
        needs == checks
            || needs
                .as_array()
                .is_some_and(|n| n.iter().any(|n| n == checks)),
        "release.yml builds only after {checks}: needs {needs}"
    );
}

#[test]
fn ci_runs_ci_run_on_linux_and_checks_the_msrv() {
    let ci = workflow("ci.yml");
    let steps =
        |job: &Value| -> Vec<Value> { job["steps"].as_array().cloned().unwrap_or_default() };
    let runs = |job: &Value, command: &str| {
        steps(job).iter().any(|step| {
            step["run"]
                .as_str()
                .is_some_and(|run| run.contains(command))
        })
    };
    assert!(
        jobs(&ci).any(|(_, job)| job["runs-on"]
            .as_str()
            .is_some_and(|r| r.starts_with("ubuntu-"))
            && runs(job, ".ci/run")),
        "a Linux job runs .ci/run"
    );
    let ci_run = std::fs::read_to_string(repo_root().join(".ci/run")).unwrap();
    for command in [
        "cargo fmt --all -- --check",
        "cargo clippy --workspace --all-targets --locked -- -D warnings",
        "cargo test --workspace --locked",
    ] {
        assert!(ci_run.contains(command), ".ci/run runs {command}");
    }

    let msrv = rust_version("Cargo.toml");
    assert_eq!(rust_version("tests/sandbox/Cargo.toml"), msrv);
    let toolchain = format!("dtolnay/rust-toolchain@{msrv}");
    assert!(
        jobs(&ci).any(|(_, job)| {
            steps(job)
                .iter()
                .any(|step| step["uses"] == toolchain.as_str())
                && runs(job, "cargo check --workspace --all-targets --locked")
        }),
        "a job of ci.yml installs Rust {msrv} ({toolchain}) and checks every target with it"
    );
}

/// `rust-version` of `[package]` in a Cargo.toml.
fn rust_version(manifest: &str) -> String {
    let text = std::fs::read_to_string(repo_root().join(manifest)).unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix("rust-version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("no rust-version in {manifest}"))
        .to_owned()
}
