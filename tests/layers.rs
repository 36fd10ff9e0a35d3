//! The layers of DESIGN.md, read from the code: every `crate::` path in a module of the
//! library names a module of a lower layer (or its own), so there is no import cycle and the
//! client layer (`requests`, `connector`) knows nothing of the commands, the command line,
//! the printers or the terminal; and no command imports another.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module of `src/` and its layer: a module may use only modules of a lower
/// layer. The same table is drawn in DESIGN.md.
const LAYERS: &[(&str, u8)] = &[
    ("text", 0),
    ("proxy", 0),
    ("session", 0),
    ("logging", 0),
    ("tokenrequest", 1),
    // Reading TokenRequest manifests (`-f`): a parser of files, beside the client and the printers.
    ("manifests", 2),
    // Rendering, and the client beside it: neither knows the other.
    ("output", 2),
    ("requests", 2),
    ("connector", 2),
    // The commands' error, wrapping the client's, and what a certificate says.
    ("error", 3),
    ("certificate", 3),
    // What the commands share.
    ("connection_files", 4),
    ("terminal", 4),
    ("progress", 4),
    ("applications", 4),
    // Several Applications at once: what create and connect share.
    ("batch", 5),
    // Each command's flags, parsed into plain values.
    ("cli", 4),
    ("present", 6),
    ("listing", 6),
    ("commands", 7),
];

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level modules a file names with `crate::`, outside comments.
fn used_modules(text: &str) -> Vec<String> {
    let mut used = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                used.push(name);
            }
        }
    }
    used
}

#[test]
fn every_module_uses_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let layers: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = top.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(&own) = layers.get(module.as_str()) else {
            problems.push(format!(
                "src/{top} is in no layer: add it to LAYERS and DESIGN.md"
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for used in used_modules(&text) {
            if used == module {
                continue;
            }
            match layers.get(used.as_str()) {
                Some(&layer) if layer < own => {}
                Some(&layer) => problems.push(format!(
                    "{} (layer {own}) uses crate::{used} (layer {layer})",
                    relative.display()
                )),
                None => problems.push(format!(
                    "{} uses crate::{used}, which is in no layer",
                    relative.display()
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_command_uses_another() {
    let commands = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
    let mut files = Vec::new();
    sources(&commands, &mut files);
    let names: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let relative = file.strip_prefix(&commands).ok()?;
            let first = relative.components().next()?.as_os_str().to_string_lossy();
            Some(first.trim_end_matches(".rs").to_string())
        })
        .filter(|name| name != "mod")
        .collect();
    let mut problems = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&commands).unwrap();
        let own = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let own = own.trim_end_matches(".rs");
        if own == "mod.rs" || own == "mod" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            for other in names.iter().filter(|name| name.as_str() != own) {
                let by_path = format!("crate::commands::{other}");
                // `super::other` from a command's own file (not from inside its folder,
                // where `super` is the command itself).
                let by_super =
                    relative.components().count() == 1 && code.contains(&format!("super::{other}"));
                if code.contains(&by_path) || by_super {
                    problems.push(format!("commands/{} uses {other}", relative.display()));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_reader_sees_paths_and_skips_comments() {
    let used = used_modules(
        "use crate::requests::{A, B};\n// crate::cli in a comment\nlet x = crate::text::q(y); \
         // crate::output",
    );
    assert_eq!(used, ["requests", "text"]);
}
