//! Release packaging against krew's rules.
//!
//! krew's own validator (Go, `validate-krew-manifest`) is not available here, so
//! `krew_violations` re-implements its structural checks (krew
//! `internal/index/validation/validate.go` plus the selector/overlap checks of
//! `validate-krew-manifest`), and `project_violations` adds this repository's
//! conventions. The committed `krew-manifest.yaml` is the manifest of the next
//! release with all-zero sha256 placeholders (see docs/RELEASING.md); the host
//! archive test renders a real hash into a copy of it with
//! `scripts/package-release.sh`, then unpacks the archive as `krew install` would. The
//! sandbox's release archive (`--sandbox`) is packaged and unpacked for the host too.
//! `binary_check`: the script packs only a binary for the archive's target. `workflows`: the
//! release's targets are all built or checked by a workflow.

// The archive tests run on unix only; elsewhere their helpers go unused.
#![cfg_attr(not(unix), allow(dead_code))]

#[cfg(unix)]
#[path = "krew/binary_check.rs"]
mod binary_check;
#[path = "common/sandbox_binary.rs"]
mod sandbox_binary;
#[path = "krew/workflows.rs"]
mod workflows;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

const PLUGIN_NAME: &str = "tokenrequest";
const BIN_NAME: &str = "kubectl-tokenrequest";
const SHIM_NAME: &str = "kubectl_complete-tokenrequest";
const API_VERSION: &str = "krew.googlecontainertools.github.com/v1alpha2";
/// Marks "archive not built yet" in the committed manifest.
const PLACEHOLDER_SHA256: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const SHIM_CAVEAT: &str = "kubectl tokenrequest completion install-kubectl-shim";

/// os/arch pairs krew v0.4.5 knows (`validate-krew-manifest`).
const KREW_SUPPORTED_PLATFORMS: &[(&str, &str)] = &[
    ("windows", "386"),
    ("windows", "amd64"),
    ("windows", "arm64"),
    ("linux", "386"),
    ("linux", "amd64"),
    ("linux", "arm"),
    ("linux", "arm64"),
    ("linux", "ppc64le"),
    ("darwin", "386"),
    ("darwin", "amd64"),
    ("darwin", "arm64"),
];

/// The release targets: krew os/arch and the Rust triple in the archive name.
const RELEASE_TARGETS: &[(&str, &str, &str)] = &[
    ("linux", "amd64", "x86_64-unknown-linux-musl"),
    ("linux", "arm64", "aarch64-unknown-linux-musl"),
    ("darwin", "amd64", "x86_64-apple-darwin"),
    ("darwin", "arm64", "aarch64-apple-darwin"),
    ("windows", "amd64", "x86_64-pc-windows-msvc"),
];

const WINDOWS_DEVICE_NAMES: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    // krew's structural rules
    ApiVersion,
    Kind,
    NameSafe,
    NameMatchesIndexFile,
    ShortDescriptionRequired,
    ShortDescriptionOneLine,
    ShortDescriptionLength,
    DescriptionRequired,
    DescriptionWidth,
    DescriptionNoUsage,
    VersionSemver,
    PlatformsRequired,
    SelectorRequired,
    SelectorKeys,
    SelectorMatchesSupported,
    PlatformsOverlap,
    UriArchive,
    Sha256Format,
    Sha256NotPlaceholder,
    BinRequired,
    WindowsBinExe,
    FilesValid,
    // this repository's conventions
    VersionMatchesCargo,
    Homepage,
    CaveatsShim,
    ReleaseTargets,
    UriNaming,
    BinName,
}

impl Rule {
    const ALL: [Rule; 28] = [
        Rule::ApiVersion,
        Rule::Kind,
        Rule::NameSafe,
        Rule::NameMatchesIndexFile,
        Rule::ShortDescriptionRequired,
        Rule::ShortDescriptionOneLine,
        Rule::ShortDescriptionLength,
        Rule::DescriptionRequired,
        Rule::DescriptionWidth,
        Rule::DescriptionNoUsage,
        Rule::VersionSemver,
        Rule::PlatformsRequired,
        Rule::SelectorRequired,
        Rule::SelectorKeys,
        Rule::SelectorMatchesSupported,
        Rule::PlatformsOverlap,
        Rule::UriArchive,
        Rule::Sha256Format,
        Rule::Sha256NotPlaceholder,
        Rule::BinRequired,
        Rule::WindowsBinExe,
        Rule::FilesValid,
        Rule::VersionMatchesCargo,
        Rule::Homepage,
        Rule::CaveatsShim,
        Rule::ReleaseTargets,
        Rule::UriNaming,
        Rule::BinName,
    ];

    fn text(self) -> &'static str {
        match self {
            Rule::ApiVersion => "apiVersion must be krew.googlecontainertools.github.com/v1alpha2",
            Rule::Kind => "kind must be Plugin",
            Rule::NameSafe => "metadata.name must match ^[\\w-]+$ and not be a Windows device name",
            Rule::NameMatchesIndexFile => "metadata.name must equal the index file name",
            Rule::ShortDescriptionRequired => "spec.shortDescription is required",
            Rule::ShortDescriptionOneLine => "spec.shortDescription must not contain line breaks",
            Rule::ShortDescriptionLength => "spec.shortDescription must be at most 50 characters",
            Rule::DescriptionRequired => "spec.description is required",
            Rule::DescriptionWidth => "spec.description lines must be at most 80 columns",
            Rule::DescriptionNoUsage => {
                "spec.description must not contain usage examples or flag lists"
            }
            Rule::VersionSemver => "spec.version must be v-prefixed semver (vX.Y.Z)",
            Rule::PlatformsRequired => "spec.platforms must list at least one platform",
            Rule::SelectorRequired => "platform selector is required and must not be empty",
            Rule::SelectorKeys => {
                "platform selector may only use os/arch in matchLabels or matchExpressions"
            }
            Rule::SelectorMatchesSupported => {
                "platform selector must match at least one os/arch krew supports"
            }
            Rule::PlatformsOverlap => "no os/arch pair may match two platforms",
            Rule::UriArchive => "platform uri is required and must end in .tar.gz or .zip",
            Rule::Sha256Format => "platform sha256 must match ^[a-f0-9]{64}$",
            Rule::Sha256NotPlaceholder => {
                "platform sha256 must be a real hash in a release manifest, not the all-zero placeholder"
            }
            Rule::BinRequired => "platform bin is required",
            Rule::WindowsBinExe => "platform bin must end in .exe on windows",
            Rule::FilesValid => {
                "platform files must be absent or non-empty, each with non-empty from and to"
            }
            Rule::VersionMatchesCargo => "spec.version must be \"v\" + Cargo.toml's version",
            Rule::Homepage => "spec.homepage must be an https URL",
            Rule::CaveatsShim => "spec.caveats must tell how to install the completion shim",
            Rule::ReleaseTargets => {
                "platforms must be exactly linux/amd64, linux/arm64, darwin/amd64, darwin/arm64, windows/amd64, selected by matchLabels"
            }
            Rule::UriNaming => {
                "uri must be <homepage>/releases/download/vV/kubectl-tokenrequest_vV_<target>.<ext>"
            }
            Rule::BinName => {
                "bin must be kubectl-tokenrequest (kubectl-tokenrequest.exe on windows)"
            }
        }
    }
}

#[derive(Debug)]
struct Violation {
    rule: Rule,
    at: String,
    detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.at, self.rule.text(), self.detail)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sha256Mode {
    /// The committed manifest: the all-zero placeholder stands for "not built yet".
    PlaceholderAllowed,
    /// A manifest users install from: every hash must be real.
    Release,
}

struct Checker {
    violations: Vec<Violation>,
}

impl Checker {
    fn fail(&mut self, rule: Rule, at: impl Into<String>, detail: impl Into<String>) {
        self.violations.push(Violation {
            rule,
            at: at.into(),
            detail: detail.into(),
        });
    }
}

fn str_at<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

fn platforms(manifest: &Value) -> &[Value] {
    manifest
        .pointer("/spec/platforms")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn is_safe_plugin_name(name: &str) -> bool {
    // Go's \w is ASCII [0-9A-Za-z_].
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !WINDOWS_DEVICE_NAMES
            .iter()
            .any(|device| device.eq_ignore_ascii_case(name))
}

/// Semantic versioning 2.0 with krew's mandatory `v` prefix.
fn is_v_semver(version: &str) -> bool {
    fn numeric(part: &str) -> bool {
        !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'))
    }
    fn identifiers(part: &str, is_prerelease: bool) -> bool {
        part.split('.').all(|id| {
            !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && (!is_prerelease || !id.bytes().all(|b| b.is_ascii_digit()) || numeric(id))
        })
    }
    let Some(rest) = version.strip_prefix('v') else {
        return false;
    };
    let (rest, build) = match rest.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (rest, None),
    };
    let (core, prerelease) = match rest.split_once('-') {
        Some((core, prerelease)) => (core, Some(prerelease)),
        None => (rest, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| numeric(part))
        && prerelease.is_none_or(|p| identifiers(p, true))
        && build.is_none_or(|b| identifiers(b, false))
}

fn looks_like_usage(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("$ ")
        || trimmed.starts_with("kubectl ")
        || trimmed.split_whitespace().any(|word| {
            let flag = word.trim_start_matches('`');
            let name = flag.trim_start_matches('-');
            flag.starts_with('-') && name.starts_with(|c: char| c.is_ascii_alphabetic())
        })
}

/// The os/arch pairs krew supports that `selector` matches; Err on a malformed selector.
fn selected_platforms(selector: &Value) -> Result<Vec<(&'static str, &'static str)>, String> {
    let labels = selector.get("matchLabels");
    let expressions = selector.get("matchExpressions");
    let mut matched = Vec::new();
    for &(os, arch) in KREW_SUPPORTED_PLATFORMS {
        let label_of = |key: &str| match key {
            "os" => Some(os),
            "arch" => Some(arch),
            _ => None,
        };
        let mut matches = true;
        if let Some(labels) = labels.and_then(Value::as_object) {
            for (key, wanted) in labels {
                let wanted = wanted
                    .as_str()
                    .ok_or(format!("matchLabels.{key} is not a string"))?;
                matches &= label_of(key) == Some(wanted);
            }
        }
        for expression in expressions.and_then(Value::as_array).into_iter().flatten() {
            let key = expression.get("key").and_then(Value::as_str).unwrap_or("");
            let values: Vec<&str> = expression
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let actual = label_of(key);
            matches &= match expression.get("operator").and_then(Value::as_str) {
                Some("In") => actual.is_some_and(|a| values.contains(&a)),
                Some("NotIn") => !actual.is_some_and(|a| values.contains(&a)),
                Some("Exists") => actual.is_some(),
                Some("DoesNotExist") => actual.is_none(),
                other => return Err(format!("matchExpressions operator {other:?} is not valid")),
            };
        }
        if matches {
            matched.push((os, arch));
        }
    }
    Ok(matched)
}

/// krew's structural validation of a manifest installed as `<index_name>.yaml`.
fn krew_violations(manifest: &Value, index_name: &str, sha256_mode: Sha256Mode) -> Vec<Violation> {
    let mut check = Checker {
        violations: Vec::new(),
    };

    if str_at(manifest, "/apiVersion") != Some(API_VERSION) {
        check.fail(
            Rule::ApiVersion,
            "apiVersion",
            format!("{:?}", manifest.get("apiVersion")),
        );
    }
    if str_at(manifest, "/kind") != Some("Plugin") {
        check.fail(Rule::Kind, "kind", format!("{:?}", manifest.get("kind")));
    }
    let name = str_at(manifest, "/metadata/name").unwrap_or("");
    if !is_safe_plugin_name(name) {
        check.fail(Rule::NameSafe, "metadata.name", format!("{name:?}"));
    }
    if name != index_name {
        check.fail(
            Rule::NameMatchesIndexFile,
            "metadata.name",
            format!("{name:?}, index file {index_name}.yaml"),
        );
    }

    match str_at(manifest, "/spec/shortDescription") {
        None | Some("") => check.fail(
            Rule::ShortDescriptionRequired,
            "spec.shortDescription",
            "missing",
        ),
        Some(short) => {
            if short.contains(['\r', '\n']) {
                check.fail(
                    Rule::ShortDescriptionOneLine,
                    "spec.shortDescription",
                    format!("{short:?}"),
                );
            }
            let length = short.chars().count();
            if length > 50 {
                check.fail(
                    Rule::ShortDescriptionLength,
                    "spec.shortDescription",
                    format!("{length} characters"),
                );
            }
        }
    }
    match str_at(manifest, "/spec/description") {
        None => check.fail(Rule::DescriptionRequired, "spec.description", "missing"),
        Some(description) if description.trim().is_empty() => {
            check.fail(Rule::DescriptionRequired, "spec.description", "empty")
        }
        Some(description) => {
            for (number, line) in description.lines().enumerate() {
                let width = line.chars().count();
                if width > 80 {
                    check.fail(
                        Rule::DescriptionWidth,
                        format!("spec.description line {}", number + 1),
                        format!("{width} columns"),
                    );
                }
                if looks_like_usage(line) {
                    check.fail(
                        Rule::DescriptionNoUsage,
                        format!("spec.description line {}", number + 1),
                        format!("{line:?}"),
                    );
                }
            }
        }
    }
    let version = str_at(manifest, "/spec/version").unwrap_or("");
    if !is_v_semver(version) {
        check.fail(Rule::VersionSemver, "spec.version", format!("{version:?}"));
    }

    let platforms = platforms(manifest);
    if platforms.is_empty() {
        check.fail(Rule::PlatformsRequired, "spec.platforms", "none listed");
    }
    let mut matched_by: Vec<Vec<usize>> = vec![Vec::new(); KREW_SUPPORTED_PLATFORMS.len()];
    for (index, platform) in platforms.iter().enumerate() {
        let at = format!("spec.platforms[{index}]");
        check_selector(&mut check, platform, &at, index, &mut matched_by);

        let uri = platform.get("uri").and_then(Value::as_str).unwrap_or("");
        if !(uri.ends_with(".tar.gz") || uri.ends_with(".zip")) {
            check.fail(Rule::UriArchive, format!("{at}.uri"), format!("{uri:?}"));
        }
        let sha256 = platform.get("sha256").and_then(Value::as_str).unwrap_or("");
        if sha256.len() != 64
            || !sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            check.fail(
                Rule::Sha256Format,
                format!("{at}.sha256"),
                format!("{sha256:?}"),
            );
        } else if sha256_mode == Sha256Mode::Release && sha256 == PLACEHOLDER_SHA256 {
            check.fail(
                Rule::Sha256NotPlaceholder,
                format!("{at}.sha256"),
                "all zeros",
            );
        }
        let bin = platform.get("bin").and_then(Value::as_str).unwrap_or("");
        if bin.is_empty() {
            check.fail(Rule::BinRequired, format!("{at}.bin"), "missing");
        }
        let selects_windows = platform
            .get("selector")
            .and_then(|selector| selected_platforms(selector).ok())
            .is_some_and(|pairs| pairs.iter().any(|&(os, _)| os == "windows"));
        if selects_windows && !bin.ends_with(".exe") {
            check.fail(Rule::WindowsBinExe, format!("{at}.bin"), format!("{bin:?}"));
        }
        if let Some(files) = platform.get("files") {
            let valid = files.as_array().is_some_and(|files| {
                !files.is_empty()
                    && files.iter().all(|file| {
                        ["from", "to"].iter().all(|key| {
                            file.get(key)
                                .and_then(Value::as_str)
                                .is_some_and(|v| !v.is_empty())
                        })
                    })
            });
            if !valid {
                check.fail(Rule::FilesValid, format!("{at}.files"), files.to_string());
            }
        }
    }
    for (pair, indices) in KREW_SUPPORTED_PLATFORMS.iter().zip(&matched_by) {
        if indices.len() > 1 {
            check.fail(
                Rule::PlatformsOverlap,
                "spec.platforms",
                format!("{}/{} matches entries {indices:?}", pair.0, pair.1),
            );
        }
    }
    check.violations
}

fn check_selector(
    check: &mut Checker,
    platform: &Value,
    at: &str,
    index: usize,
    matched_by: &mut [Vec<usize>],
) {
    let at = format!("{at}.selector");
    let Some(selector) = platform.get("selector").and_then(Value::as_object) else {
        check.fail(Rule::SelectorRequired, at, "missing");
        return;
    };
    let labels = selector.get("matchLabels");
    let expressions = selector.get("matchExpressions");
    if labels.is_none() && expressions.is_none_or(|e| e.as_array().is_none_or(Vec::is_empty)) {
        check.fail(Rule::SelectorRequired, at, "empty");
        return;
    }
    if let Some(unknown) = selector
        .keys()
        .find(|k| *k != "matchLabels" && *k != "matchExpressions")
    {
        check.fail(
            Rule::SelectorKeys,
            &at,
            format!("unknown field {unknown:?}"),
        );
    }
    if let Some(labels) = labels {
        match labels.as_object() {
            Some(labels) if labels.is_empty() => check.fail(
                Rule::SelectorRequired,
                &at,
                "matchLabels specified but empty",
            ),
            Some(_) => {}
            None => check.fail(Rule::SelectorKeys, &at, "matchLabels is not a map"),
        }
    }
    if let Some(expressions) = expressions {
        match expressions.as_array() {
            Some(list) if list.is_empty() => check.fail(
                Rule::SelectorRequired,
                &at,
                "matchExpressions specified but empty",
            ),
            Some(_) => {}
            None => check.fail(Rule::SelectorKeys, &at, "matchExpressions is not a list"),
        }
    }
    let label_keys = labels
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|l| l.keys().map(String::as_str));
    let expression_keys = expressions
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|e| e.get("key").and_then(Value::as_str).unwrap_or(""));
    for key in label_keys.chain(expression_keys) {
        if key != "os" && key != "arch" {
            check.fail(Rule::SelectorKeys, &at, format!("key {key:?}"));
        }
    }
    match selected_platforms(&Value::Object(selector.clone())) {
        Err(error) => check.fail(Rule::SelectorKeys, &at, error),
        Ok(pairs) if pairs.is_empty() => {
            check.fail(Rule::SelectorMatchesSupported, &at, "matches nothing")
        }
        Ok(pairs) => {
            for pair in pairs {
                let slot = KREW_SUPPORTED_PLATFORMS
                    .iter()
                    .position(|p| *p == pair)
                    .expect("pair comes from the list");
                matched_by[slot].push(index);
            }
        }
    }
}

/// This repository's conventions on top of krew's rules.
fn project_violations(manifest: &Value) -> Vec<Violation> {
    let mut check = Checker {
        violations: Vec::new(),
    };
    let cargo_version = env!("CARGO_PKG_VERSION");
    let version = str_at(manifest, "/spec/version").unwrap_or("");
    if version != format!("v{cargo_version}") {
        check.fail(
            Rule::VersionMatchesCargo,
            "spec.version",
            format!("{version:?}, Cargo.toml has {cargo_version}"),
        );
    }
    let homepage = str_at(manifest, "/spec/homepage").unwrap_or("");
    if !homepage.starts_with("https://") || homepage.contains(char::is_whitespace) {
        check.fail(Rule::Homepage, "spec.homepage", format!("{homepage:?}"));
    }
    let caveats = str_at(manifest, "/spec/caveats").unwrap_or("");
    if !caveats.contains(SHIM_CAVEAT) {
        check.fail(
            Rule::CaveatsShim,
            "spec.caveats",
            format!("does not mention `{SHIM_CAVEAT}`"),
        );
    }

    let mut seen = Vec::new();
    for (index, platform) in platforms(manifest).iter().enumerate() {
        let at = format!("spec.platforms[{index}]");
        let os = str_at(platform, "/selector/matchLabels/os");
        let arch = str_at(platform, "/selector/matchLabels/arch");
        let target = RELEASE_TARGETS
            .iter()
            .find(|(o, a, _)| Some(*o) == os && Some(*a) == arch);
        let Some(&(os, arch, triple)) = target else {
            check.fail(
                Rule::ReleaseTargets,
                &at,
                format!(
                    "selector {}",
                    platform.get("selector").unwrap_or(&Value::Null)
                ),
            );
            continue;
        };
        seen.push((os, arch));
        let windows = os == "windows";
        let extension = if windows { "zip" } else { "tar.gz" };
        let expected_uri = format!(
            "{}/releases/download/{version}/{BIN_NAME}_{version}_{triple}.{extension}",
            homepage.trim_end_matches('/')
        );
        let uri = platform.get("uri").and_then(Value::as_str).unwrap_or("");
        if uri != expected_uri {
            check.fail(
                Rule::UriNaming,
                format!("{at}.uri"),
                format!("{uri:?}, expected {expected_uri:?}"),
            );
        }
        let expected_bin = if windows {
            format!("{BIN_NAME}.exe")
        } else {
            BIN_NAME.to_owned()
        };
        let bin = platform.get("bin").and_then(Value::as_str).unwrap_or("");
        if bin != expected_bin {
            check.fail(Rule::BinName, format!("{at}.bin"), format!("{bin:?}"));
        }
    }
    let expected: BTreeSet<(&str, &str)> = RELEASE_TARGETS
        .iter()
        .map(|&(os, arch, _)| (os, arch))
        .collect();
    let seen_set: BTreeSet<(&str, &str)> = seen.iter().copied().collect();
    if seen.len() != expected.len() || seen_set != expected {
        check.fail(
            Rule::ReleaseTargets,
            "spec.platforms",
            format!("found {seen:?}"),
        );
    }
    check.violations
}

fn assert_no_violations(what: &str, violations: &[Violation]) {
    let report: Vec<String> = violations.iter().map(|v| format!("  - {v}")).collect();
    assert!(
        violations.is_empty(),
        "{what} breaks krew/project rules:\n{}",
        report.join("\n")
    );
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_manifest(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_saphyr::from_str(&text)
        .unwrap_or_else(|e| panic!("parsing {} as YAML: {e}", path.display()))
}

#[test]
fn committed_manifest_follows_krew_rules() {
    let manifest = read_manifest(&repo_root().join("krew-manifest.yaml"));
    assert_no_violations(
        "krew-manifest.yaml",
        &krew_violations(&manifest, PLUGIN_NAME, Sha256Mode::PlaceholderAllowed),
    );
    assert_no_violations("krew-manifest.yaml", &project_violations(&manifest));
}

/// The committed file is the template of the next release: a hash there would
/// be one nothing checks against a published archive, so only placeholders.
#[test]
fn committed_manifest_holds_only_placeholder_hashes() {
    let manifest = read_manifest(&repo_root().join("krew-manifest.yaml"));
    for (index, platform) in platforms(&manifest).iter().enumerate() {
        assert_eq!(
            platform.get("sha256").and_then(Value::as_str),
            Some(PLACEHOLDER_SHA256),
            "spec.platforms[{index}].sha256 of krew-manifest.yaml must stay the all-zero placeholder; \
             real hashes go into the manifest attached to the release (docs/RELEASING.md)"
        );
    }
}

/// The release workflow validates its rendered manifest with
/// `KREW_RELEASE_MANIFEST=dist/tokenrequest.yaml cargo test --test krew release_manifest`.
#[test]
fn release_manifest_from_env_follows_krew_rules() {
    let Some(path) = std::env::var_os("KREW_RELEASE_MANIFEST") else {
        eprintln!("KREW_RELEASE_MANIFEST not set: no rendered release manifest to check");
        return;
    };
    let path = PathBuf::from(path);
    let manifest = read_manifest(&path);
    let what = path.display().to_string();
    assert_no_violations(
        &what,
        &krew_violations(&manifest, PLUGIN_NAME, Sha256Mode::Release),
    );
    assert_no_violations(&what, &project_violations(&manifest));
}

fn valid_manifest() -> Value {
    let version = format!("v{}", env!("CARGO_PKG_VERSION"));
    let homepage = "https://example.com/kubectl-tokenrequest";
    let platforms: Vec<Value> = RELEASE_TARGETS
        .iter()
        .map(|&(os, arch, triple)| {
            let (extension, bin) = if os == "windows" {
                ("zip", format!("{BIN_NAME}.exe"))
            } else {
                ("tar.gz", BIN_NAME.to_owned())
            };
            json!({
                "selector": {"matchLabels": {"os": os, "arch": arch}},
                "uri": format!("{homepage}/releases/download/{version}/{BIN_NAME}_{version}_{triple}.{extension}"),
                "sha256": "a".repeat(64),
                "bin": bin,
            })
        })
        .collect();
    json!({
        "apiVersion": API_VERSION,
        "kind": "Plugin",
        "metadata": {"name": PLUGIN_NAME},
        "spec": {
            "version": version,
            "homepage": homepage,
            "shortDescription": "Create Kyma TokenRequests and print the token",
            "description": "Creates a TokenRequest and waits for its token.\nSecond line.\n",
            "caveats": format!("Run `{SHIM_CAVEAT}`.\n"),
            "platforms": platforms,
        }
    })
}

type Breakage = (Rule, &'static str, fn(&mut Value));

fn first_platform(manifest: &mut Value) -> &mut Value {
    &mut manifest["spec"]["platforms"][0]
}

fn windows_platform(manifest: &mut Value) -> &mut Value {
    &mut manifest["spec"]["platforms"][4]
}

/// One deliberately broken manifest per rule, so every check is shown to fail.
fn breakages() -> Vec<Breakage> {
    vec![
        (Rule::ApiVersion, "old apiVersion", |m| {
            m["apiVersion"] = json!("krew.googlecontainertools.github.com/v1alpha1")
        }),
        (Rule::Kind, "wrong kind", |m| m["kind"] = json!("Plugins")),
        (Rule::NameSafe, "dot in name", |m| {
            m["metadata"]["name"] = json!("token.request")
        }),
        (Rule::NameSafe, "windows device name", |m| {
            m["metadata"]["name"] = json!("Com1")
        }),
        (Rule::NameMatchesIndexFile, "other name", |m| {
            m["metadata"]["name"] = json!("kyma-tokenrequest")
        }),
        (Rule::ShortDescriptionRequired, "no shortDescription", |m| {
            m["spec"]
                .as_object_mut()
                .unwrap()
                .remove("shortDescription");
        }),
        (
            Rule::ShortDescriptionOneLine,
            "two-line shortDescription",
            |m| m["spec"]["shortDescription"] = json!("Create\nTokenRequests"),
        ),
        (Rule::ShortDescriptionLength, "51 characters", |m| {
            m["spec"]["shortDescription"] = json!("x".repeat(51))
        }),
        (Rule::DescriptionRequired, "no description", |m| {
            m["spec"].as_object_mut().unwrap().remove("description");
        }),
        (Rule::DescriptionWidth, "81-column line", |m| {
            m["spec"]["description"] = json!(format!("ok\n{}\n", "y".repeat(81)))
        }),
        (Rule::DescriptionNoUsage, "shell example", |m| {
            m["spec"]["description"] = json!("Example:\n  $ kubectl tokenrequest create app\n")
        }),
        (Rule::DescriptionNoUsage, "flag list", |m| {
            m["spec"]["description"] = json!("Flags:\n  --timeout  how long to wait\n")
        }),
        (Rule::VersionSemver, "no v prefix", |m| {
            m["spec"]["version"] = json!(env!("CARGO_PKG_VERSION"))
        }),
        (Rule::VersionSemver, "two components", |m| {
            m["spec"]["version"] = json!("v1.2")
        }),
        (Rule::VersionSemver, "leading zero", |m| {
            m["spec"]["version"] = json!("v1.02.3")
        }),
        (Rule::PlatformsRequired, "no platforms", |m| {
            m["spec"]["platforms"] = json!([])
        }),
        (Rule::SelectorRequired, "no selector", |m| {
            first_platform(m)
                .as_object_mut()
                .unwrap()
                .remove("selector");
        }),
        (Rule::SelectorRequired, "empty matchLabels", |m| {
            first_platform(m)["selector"] = json!({"matchLabels": {}})
        }),
        (Rule::SelectorKeys, "distro label", |m| {
            first_platform(m)["selector"]["matchLabels"]["distro"] = json!("alpine")
        }),
        (Rule::SelectorKeys, "bad operator", |m| {
            first_platform(m)["selector"] = json!({"matchExpressions": [{"key": "os", "operator": "Like", "values": ["linux"]}]})
        }),
        (Rule::SelectorMatchesSupported, "unknown arch", |m| {
            first_platform(m)["selector"]["matchLabels"]["arch"] = json!("riscv64")
        }),
        (Rule::PlatformsOverlap, "os-only selector", |m| {
            first_platform(m)["selector"] = json!({"matchLabels": {"os": "linux"}})
        }),
        (
            Rule::PlatformsOverlap,
            "expression overlapping darwin",
            |m| first_platform(m)["selector"] = json!({"matchExpressions": [{"key": "os", "operator": "In", "values": ["linux", "darwin"]}, {"key": "arch", "operator": "In", "values": ["amd64"]}]}),
        ),
        (Rule::UriArchive, "tar.xz archive", |m| {
            let uri = first_platform(m)["uri"]
                .as_str()
                .unwrap()
                .replace(".tar.gz", ".tar.xz");
            first_platform(m)["uri"] = json!(uri);
        }),
        (Rule::UriArchive, "no uri", |m| {
            first_platform(m).as_object_mut().unwrap().remove("uri");
        }),
        (Rule::Sha256Format, "upper-case hash", |m| {
            first_platform(m)["sha256"] = json!("A".repeat(64))
        }),
        (Rule::Sha256Format, "short hash", |m| {
            first_platform(m)["sha256"] = json!("a".repeat(63))
        }),
        (
            Rule::Sha256NotPlaceholder,
            "placeholder in a release",
            |m| first_platform(m)["sha256"] = json!(PLACEHOLDER_SHA256),
        ),
        (Rule::BinRequired, "no bin", |m| {
            first_platform(m).as_object_mut().unwrap().remove("bin");
        }),
        (Rule::WindowsBinExe, "windows bin without .exe", |m| {
            windows_platform(m)["bin"] = json!(BIN_NAME)
        }),
        (Rule::FilesValid, "empty files", |m| {
            first_platform(m)["files"] = json!([])
        }),
        (Rule::FilesValid, "files entry without to", |m| {
            first_platform(m)["files"] = json!([{"from": "*"}])
        }),
        (Rule::VersionMatchesCargo, "other version", |m| {
            m["spec"]["version"] = json!("v99.0.0")
        }),
        (Rule::Homepage, "http homepage", |m| {
            m["spec"]["homepage"] = json!("http://example.com")
        }),
        (Rule::CaveatsShim, "no caveats", |m| {
            m["spec"].as_object_mut().unwrap().remove("caveats");
        }),
        (Rule::ReleaseTargets, "windows missing", |m| {
            m["spec"]["platforms"].as_array_mut().unwrap().pop();
        }),
        (Rule::ReleaseTargets, "linux/arm added", |m| {
            let mut extra = first_platform(m).clone();
            extra["selector"]["matchLabels"]["arch"] = json!("arm");
            m["spec"]["platforms"].as_array_mut().unwrap().push(extra);
        }),
        (Rule::UriNaming, "gnu instead of musl", |m| {
            let uri = first_platform(m)["uri"]
                .as_str()
                .unwrap()
                .replace("-musl", "-gnu");
            first_platform(m)["uri"] = json!(uri);
        }),
        (Rule::BinName, "bin in a subdirectory", |m| {
            first_platform(m)["bin"] = json!(format!("bin/{BIN_NAME}"))
        }),
    ]
}

fn all_violations(manifest: &Value) -> Vec<Violation> {
    let mut violations = krew_violations(manifest, PLUGIN_NAME, Sha256Mode::Release);
    violations.extend(project_violations(manifest));
    violations
}

#[test]
fn validator_accepts_the_valid_baseline() {
    assert_no_violations(
        "the test's baseline manifest",
        &all_violations(&valid_manifest()),
    );
}

#[test]
fn validator_rejects_each_broken_manifest_with_its_rule() {
    for (rule, case, break_it) in breakages() {
        let mut manifest = valid_manifest();
        break_it(&mut manifest);
        let violations = all_violations(&manifest);
        assert!(
            violations.iter().any(|v| v.rule == rule),
            "{case}: expected a violation of \"{}\", got {:?}",
            rule.text(),
            violations
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn every_rule_has_a_broken_manifest() {
    let covered: Vec<Rule> = breakages().iter().map(|(rule, _, _)| *rule).collect();
    for rule in Rule::ALL {
        assert!(
            covered.contains(&rule),
            "no broken manifest exercises \"{}\"",
            rule.text()
        );
    }
}

#[test]
fn placeholder_hash_is_allowed_only_in_the_template() {
    let mut manifest = valid_manifest();
    for platform in manifest["spec"]["platforms"].as_array_mut().unwrap() {
        platform["sha256"] = json!(PLACEHOLDER_SHA256);
    }
    assert_no_violations(
        "placeholder manifest",
        &krew_violations(&manifest, PLUGIN_NAME, Sha256Mode::PlaceholderAllowed),
    );
    assert_eq!(
        krew_violations(&manifest, PLUGIN_NAME, Sha256Mode::Release).len(),
        RELEASE_TARGETS.len()
    );
}

// ---- host archive: package with the script, then install as krew would ----

/// The Rust triple this test binary was built for, if the script knows its os.
fn host_target_triple() -> Option<String> {
    let arch = std::env::consts::ARCH;
    let rest = match std::env::consts::OS {
        "linux" if cfg!(target_env = "musl") => "unknown-linux-musl",
        "linux" => "unknown-linux-gnu",
        "macos" => "apple-darwin",
        _ => return None,
    };
    Some(format!("{arch}-{rest}"))
}

fn host_krew_platform() -> (&'static str, &'static str) {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    let os = KREW_SUPPORTED_PLATFORMS
        .iter()
        .find(|p| p.0 == os)
        .map_or("", |p| p.0);
    let arch = KREW_SUPPORTED_PLATFORMS
        .iter()
        .find(|p| p.1 == arch)
        .map_or("", |p| p.1);
    (os, arch)
}

/// The host archive tests pack and unpack with tar: without it they fail, naming it.
fn require_tar() {
    assert!(
        Command::new("tar").arg("--version").output().is_ok(),
        "`tar` is not installed: the host archive tests pack and unpack .tar.gz archives with it"
    );
}

/// `scripts/package-release.sh ARGS`, which must succeed.
fn package_release(args: &[&OsStr]) -> Output {
    let packaged = Command::new("bash")
        .arg(repo_root().join("scripts/package-release.sh"))
        .args(args)
        .output()
        .expect("run scripts/package-release.sh");
    assert!(
        packaged.status.success(),
        "package-release.sh failed:\n{}",
        String::from_utf8_lossy(&packaged.stderr)
    );
    packaged
}

/// The archive's hash, checked against its `.sha256` file (sha256sum's format).
fn checked_sha256(out: &Path, archive_name: &str) -> String {
    let archive_sha256 = sha256_of(&out.join(archive_name));
    let sha256_file = std::fs::read_to_string(out.join(format!("{archive_name}.sha256")))
        .expect("read .sha256 file");
    assert_eq!(
        sha256_file,
        format!("{archive_sha256}  {archive_name}\n"),
        ".sha256 file in sha256sum format"
    );
    archive_sha256
}

/// The file names in a .tar.gz, sorted.
fn tar_members(archive: &Path) -> Vec<String> {
    let listed = Command::new("tar")
        .arg("-tzf")
        .arg(archive)
        .output()
        .expect("run tar");
    assert!(listed.status.success(), "tar -tzf {}", archive.display());
    let mut members: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    members.sort();
    members
}

/// Unpacks a .tar.gz into a new directory, as krew does.
fn unpack(archive: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let extracted = Command::new("tar")
        .arg("-xzf")
        .arg(archive)
        .arg("-C")
        .arg(dir.path())
        .status()
        .expect("run tar");
    assert!(extracted.success(), "tar -xzf {} failed", archive.display());
    dir
}

fn sha256_of(path: &Path) -> String {
    let output = Command::new("sha256sum")
        .arg(path)
        .output()
        .or_else(|_| {
            Command::new("shasum")
                .args(["-a", "256"])
                .arg(path)
                .output()
        })
        .expect("sha256sum or shasum must be installed");
    assert!(output.status.success(), "hashing {} failed", path.display());
    let text = String::from_utf8(output.stdout).expect("hash output is UTF-8");
    text.split_whitespace()
        .next()
        .expect("hash output has a hash")
        .to_owned()
}

fn platform_for<'a>(manifest: &'a Value, os: &str, arch: &str) -> &'a Value {
    platforms(manifest)
        .iter()
        .find(|p| {
            str_at(p, "/selector/matchLabels/os") == Some(os)
                && str_at(p, "/selector/matchLabels/arch") == Some(arch)
        })
        .unwrap_or_else(|| panic!("manifest has no {os}/{arch} platform"))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(unix)]
#[test]
fn host_archive_installs_like_krew() {
    require_tar();
    let Some(triple) = host_target_triple() else {
        eprintln!("NOTICE: no release target triple for this host; skipping the host archive test");
        return;
    };
    let (os, arch) = host_krew_platform();
    let version = env!("CARGO_PKG_VERSION");
    let binary = Path::new(env!("CARGO_BIN_EXE_kubectl-tokenrequest"));
    let root = repo_root();
    let work = tempfile::tempdir().expect("tempdir");
    let out = work.path().join("dist");
    let rendered_path = work.path().join(format!("{PLUGIN_NAME}.yaml"));
    std::fs::copy(root.join("krew-manifest.yaml"), &rendered_path).expect("copy manifest");

    let packaged = package_release(&[
        triple.as_ref(),
        "--binary".as_ref(),
        binary.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--manifest".as_ref(),
        rendered_path.as_os_str(),
    ]);

    let archive_name = format!("{BIN_NAME}_v{version}_{triple}.tar.gz");
    let archive = out.join(&archive_name);
    let archive_sha256 = checked_sha256(&out, &archive_name);
    // The plugin alone: the sandbox has an archive of its own.
    assert_eq!(
        tar_members(&archive),
        ["LICENSE", "README.md", BIN_NAME, SHIM_NAME],
        "members of {archive_name}"
    );

    // The rendered manifest: still valid, host entry carries the archive, the rest untouched.
    let committed = read_manifest(&root.join("krew-manifest.yaml"));
    let rendered = read_manifest(&rendered_path);
    assert_no_violations(
        "rendered manifest",
        &krew_violations(&rendered, PLUGIN_NAME, Sha256Mode::PlaceholderAllowed),
    );
    let host_entry = platform_for(&rendered, os, arch);
    assert_eq!(
        str_at(host_entry, "/sha256"),
        Some(archive_sha256.as_str()),
        "rendered sha256"
    );
    let uri = str_at(host_entry, "/uri").unwrap_or("");
    assert!(
        uri.ends_with(&format!("/releases/download/v{version}/{archive_name}")),
        "rendered uri {uri}"
    );
    for (before, after) in platforms(&committed).iter().zip(platforms(&rendered)) {
        if !std::ptr::eq(after, host_entry) {
            assert_eq!(
                before, after,
                "entries other than {os}/{arch} must not change"
            );
        }
    }
    let without_platforms = |mut m: Value| {
        m["spec"]["platforms"] = Value::Null;
        m
    };
    assert_eq!(
        without_platforms(committed.clone()),
        without_platforms(rendered.clone()),
        "only platforms change"
    );

    let snippet: Vec<Value> =
        serde_saphyr::from_str(&String::from_utf8(packaged.stdout).expect("UTF-8 stdout"))
            .expect("stdout is a YAML platform list");
    assert_eq!(
        snippet.as_slice(),
        std::slice::from_ref(host_entry),
        "printed entry equals the rendered one"
    );

    // Install as krew does: unpack everything, then link `bin`.
    let install_dir = unpack(&archive);
    let bin = install_dir
        .path()
        .join(str_at(host_entry, "/bin").expect("bin"));
    assert!(
        is_executable(&bin),
        "{} must be an executable file",
        bin.display()
    );
    assert_eq!(
        std::fs::read(&bin).unwrap(),
        std::fs::read(binary).unwrap(),
        "packaged binary is the given one"
    );
    let license = install_dir.path().join("LICENSE");
    assert!(
        license.is_file(),
        "krew-index requires a LICENSE in the install dir"
    );
    assert_eq!(
        std::fs::read(&license).unwrap(),
        std::fs::read(root.join("LICENSE")).unwrap()
    );
    assert!(
        install_dir.path().join("README.md").is_file(),
        "README.md in the archive"
    );
    assert!(
        is_executable(&install_dir.path().join(SHIM_NAME)),
        "completion shim must be executable"
    );
}

/// The sandbox's release archive for the host: its binary, LICENSE and its own README, nothing
/// else, and no krew manifest entry (krew installs the plugin only).
#[cfg(unix)]
#[test]
fn host_sandbox_archive_holds_the_sandbox() {
    require_tar();
    let triple = host_target_triple().expect("a release target triple for this host");
    let version = env!("CARGO_PKG_VERSION");
    let binary = sandbox_binary::sandbox_binary();
    let root = repo_root();
    let work = tempfile::tempdir().expect("tempdir");
    let out = work.path().join("dist");
    let packaged = package_release(&[
        triple.as_ref(),
        "--sandbox".as_ref(),
        "--binary".as_ref(),
        binary.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(
        packaged.stdout.is_empty(),
        "no manifest entry for the sandbox"
    );

    let archive_name = format!("tokenrequest-sandbox_v{version}_{triple}.tar.gz");
    checked_sha256(&out, &archive_name);
    let archive = out.join(&archive_name);
    assert_eq!(
        tar_members(&archive),
        ["LICENSE", "README.md", "tokenrequest-sandbox"],
        "members of {archive_name}"
    );
    let unpacked = unpack(&archive);
    let unpacked_binary = unpacked.path().join("tokenrequest-sandbox");
    assert!(is_executable(&unpacked_binary));
    assert_eq!(
        std::fs::read(&unpacked_binary).unwrap(),
        std::fs::read(&binary).unwrap()
    );
    let ran = Command::new(&unpacked_binary)
        .arg("--version")
        .output()
        .expect("the packaged sandbox runs");
    assert_eq!(
        String::from_utf8_lossy(&ran.stdout),
        format!("tokenrequest-sandbox {version}\n")
    );
    for (member, source) in [
        ("LICENSE", "LICENSE"),
        ("README.md", "tests/sandbox/README.md"),
    ] {
        assert_eq!(
            std::fs::read(unpacked.path().join(member)).unwrap(),
            std::fs::read(root.join(source)).unwrap(),
            "{member} is {source}"
        );
    }

    // The krew manifest is the plugin's alone.
    let refused = Command::new("bash")
        .arg(root.join("scripts/package-release.sh"))
        .args([triple.as_str(), "--sandbox", "--manifest"])
        .arg(root.join("krew-manifest.yaml"))
        .output()
        .expect("run scripts/package-release.sh");
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--sandbox packages the sandbox only")
    );
}

/// The sandbox is released under the plugin's version (the release workflow checks it too).
#[test]
fn the_sandbox_has_the_release_version() {
    let manifest = std::fs::read_to_string(repo_root().join("tests/sandbox/Cargo.toml"))
        .expect("tests/sandbox/Cargo.toml");
    let version = manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("a version in tests/sandbox/Cargo.toml");
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
}
