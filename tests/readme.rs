//! README.md's "Where the plugin differs from kubectl" against the binary: the commands it says
//! report their results with `-o json|yaml` are the ones whose `--help` offers both.

use std::process::Command;

const SECTION: &str = "## Where the plugin differs from kubectl, and why";

fn section() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let (_, rest) = readme.split_once(SECTION).expect("README has the section");
    rest.split("\n## ").next().unwrap_or(rest).to_owned()
}

/// The `-o` values `command --help` lists.
fn output_formats(command: &str) -> Vec<String> {
    let help = Command::new(env!("CARGO_BIN_EXE_kubectl-tokenrequest"))
        .args([command, "--help"])
        .output()
        .expect("the plugin runs");
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    let (_, output) = help
        .split_once("-o, --output")
        .unwrap_or_else(|| panic!("{command} --help has -o: {help}"));
    output
        .lines()
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with("--"))
        .filter_map(|line| line.trim().strip_prefix("- "))
        .filter_map(|value| value.split(':').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_commands_said_to_report_results_offer_json_and_yaml() {
    let section = section();
    let entry = section
        .split("\n- ")
        .find(|entry| entry.contains("report what they did with `-o json|yaml`"))
        .unwrap_or_else(|| panic!("an entry on -o json|yaml results: {section}"));
    for command in ["delete", "renew", "revoke", "cleanup"] {
        assert!(
            entry.contains(&format!("`{command}")),
            "the entry names {command}: {entry}"
        );
        let formats = output_formats(command);
        assert!(
            formats.iter().any(|f| f == "json") && formats.iter().any(|f| f == "yaml"),
            "{command} -o: {formats:?}"
        );
    }
}
