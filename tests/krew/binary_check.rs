//! `package-release.sh --binary` packs only a binary for the archive's target: ELF, Mach-O or
//! PE, the CPU, and on linux musl (static, or musl's loader) or glibc. Judged by the script
//! from the file's bytes, so the headers below stand for binaries of the other platforms; the
//! host's own binary is the real thing.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

use super::{BIN_NAME, RELEASE_TARGETS, repo_root, require_tar};

/// `scripts/package-release.sh TARGET --binary BINARY --out OUT [EXTRA...]`, whatever it exits.
fn package(target: &str, binary: &Path, out: &Path, extra: &[&OsStr]) -> Output {
    Command::new("bash")
        .arg(repo_root().join("scripts/package-release.sh"))
        .arg(target)
        .arg("--binary")
        .arg(binary)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("run scripts/package-release.sh")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[track_caller]
fn assert_refused(output: &Output, names: &[&str], out: &Path) {
    let stderr = stderr(output);
    assert!(!output.status.success(), "expected a refusal: {stderr}");
    for name in names {
        assert!(
            stderr.contains(name),
            "the refusal names {name:?}: {stderr}"
        );
    }
    assert!(stderr.contains("nothing was packed"), "{stderr}");
    assert!(
        !out.exists() || std::fs::read_dir(out).unwrap().next().is_none(),
        "nothing in {} after a refusal",
        out.display()
    );
}

#[track_caller]
fn assert_packed(output: &Output, out: &Path, target: &str) {
    assert!(
        output.status.success(),
        "{target}: expected the binary to be packed: {}",
        stderr(output)
    );
    let extension = if target.contains("windows") {
        "zip"
    } else {
        "tar.gz"
    };
    let archive = out.join(format!(
        "{BIN_NAME}_v{}_{target}.{extension}",
        env!("CARGO_PKG_VERSION")
    ));
    assert!(archive.is_file(), "{} was written", archive.display());
}

/// The start of an executable for `target`, as its linker writes it: an ELF without a program
/// interpreter (a static musl binary), a thin Mach-O, or a PE behind its MZ stub.
fn header_for(target: &str) -> Vec<u8> {
    let cpu = target.split('-').next().unwrap();
    if target.contains("-linux-") {
        let machine: u16 = match cpu {
            "x86_64" => 62,
            "aarch64" => 183,
            other => panic!("no ELF machine for {other}"),
        };
        elf(machine, None)
    } else if target.contains("-apple-darwin") {
        let mut header = vec![0xcf, 0xfa, 0xed, 0xfe];
        header.extend_from_slice(&macho_cpu(cpu).to_le_bytes());
        header.resize(32, 0);
        header
    } else {
        let machine: u16 = match cpu {
            "x86_64" => 0x8664,
            "aarch64" => 0xaa64,
            other => panic!("no PE machine for {other}"),
        };
        let mut header = vec![0u8; 64];
        header[..2].copy_from_slice(b"MZ");
        header[0x3c..0x40].copy_from_slice(&64u32.to_le_bytes());
        header.extend_from_slice(b"PE\0\0");
        header.extend_from_slice(&machine.to_le_bytes());
        header.resize(128, 0);
        header
    }
}

fn macho_cpu(cpu: &str) -> u32 {
    match cpu {
        "x86_64" => 0x0100_0007,
        "aarch64" => 0x0100_000c,
        other => panic!("no Mach-O cputype for {other}"),
    }
}

/// A 64-bit little-endian ELF executable for `machine`, with a PT_INTERP naming `interpreter`.
fn elf(machine: u16, interpreter: Option<&str>) -> Vec<u8> {
    let mut header = vec![0u8; 64];
    header[..8].copy_from_slice(&[0x7f, b'E', b'L', b'F', 2, 1, 1, 0]);
    header[16..18].copy_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    header[18..20].copy_from_slice(&machine.to_le_bytes());
    if let Some(interpreter) = interpreter {
        header[32..40].copy_from_slice(&64u64.to_le_bytes()); // e_phoff
        header[54..56].copy_from_slice(&56u16.to_le_bytes()); // e_phentsize
        header[56..58].copy_from_slice(&1u16.to_le_bytes()); // e_phnum
        let mut program_header = vec![0u8; 56];
        program_header[..4].copy_from_slice(&3u32.to_le_bytes()); // PT_INTERP
        program_header[8..16].copy_from_slice(&120u64.to_le_bytes()); // p_offset
        let size = interpreter.len() as u64 + 1;
        program_header[32..40].copy_from_slice(&size.to_le_bytes()); // p_filesz
        header.extend_from_slice(&program_header);
        header.extend_from_slice(interpreter.as_bytes());
        header.push(0);
    }
    header
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The host's own debug binary (glibc, dynamically linked) under the musl archive name is
/// refused, naming what it is and what the target needs; the manifest stays as it was. Under
/// the host's own target it is packed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn a_glibc_binary_is_not_packed_as_musl() {
    require_tar();
    let binary = Path::new(env!("CARGO_BIN_EXE_kubectl-tokenrequest"));
    let arch = std::env::consts::ARCH;
    let musl = format!("{arch}-unknown-linux-musl");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("dist");
    let manifest = work.path().join("tokenrequest.yaml");
    std::fs::copy(repo_root().join("krew-manifest.yaml"), &manifest).unwrap();
    let before = std::fs::read(&manifest).unwrap();

    let refused = package(
        &musl,
        binary,
        &out,
        &["--manifest".as_ref(), manifest.as_ref()],
    );
    assert_refused(
        &refused,
        &[
            &binary.display().to_string(),
            &format!("an ELF {arch} executable linked against glibc"),
            &format!("not a binary for {musl}"),
            "static or linked against musl",
        ],
        &out,
    );
    assert_eq!(
        std::fs::read(&manifest).unwrap(),
        before,
        "manifest untouched"
    );

    let gnu = format!("{arch}-unknown-linux-gnu");
    assert_packed(&package(&gnu, binary, &out, &[]), &out, &gnu);
}

/// Each release target's executable is packed under its own name and refused under every
/// other, with both named.
#[test]
fn each_release_target_takes_only_its_own_binary() {
    require_tar();
    let work = tempfile::tempdir().unwrap();
    for &(_, _, built_for) in RELEASE_TARGETS {
        let binary = write(work.path(), built_for, &header_for(built_for));
        for &(_, _, target) in RELEASE_TARGETS {
            let out = work.path().join(format!("{built_for}-as-{target}"));
            let packed = package(target, &binary, &out, &[]);
            if built_for == target {
                assert_packed(&packed, &out, target);
            } else {
                assert_refused(
                    &packed,
                    &[&format!("{}", binary.display()), &format!("for {target} (")],
                    &out,
                );
            }
        }
    }
}

/// What the message says it found and expected, for the kinds a mix-up produces.
#[test]
fn the_refusal_says_what_the_binary_is() {
    require_tar();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("dist");
    let cases: [(&str, Vec<u8>, &str, &str); 5] = [
        (
            "x86_64-unknown-linux-musl",
            elf(62, Some("/lib64/ld-linux-x86-64.so.2")),
            "an ELF x86_64 executable linked against glibc (interpreter /lib64/ld-linux-x86-64.so.2)",
            "(an ELF x86_64 executable, static or linked against musl)",
        ),
        (
            "aarch64-unknown-linux-musl",
            header_for("x86_64-unknown-linux-musl"),
            "an ELF x86_64 executable, static",
            "(an ELF aarch64 executable, static or linked against musl)",
        ),
        (
            "x86_64-apple-darwin",
            header_for("aarch64-apple-darwin"),
            "a Mach-O aarch64 executable",
            "(a Mach-O x86_64 executable)",
        ),
        (
            "x86_64-pc-windows-msvc",
            header_for("x86_64-unknown-linux-musl"),
            "an ELF x86_64 executable, static",
            "(a PE x86_64 executable)",
        ),
        (
            "x86_64-unknown-linux-musl",
            b"#!/bin/sh\necho not a binary\n".to_vec(),
            "is not an executable (no ELF, Mach-O or PE header)",
            "(an ELF x86_64 executable, static or linked against musl)",
        ),
    ];
    for (target, bytes, found, expected) in cases {
        let binary = write(work.path(), "binary", &bytes);
        assert_refused(
            &package(target, &binary, &out, &[]),
            &[found, expected],
            &out,
        );
    }
}

/// musl's own loader, and a universal Mach-O holding the target's CPU, are accepted.
#[test]
fn a_dynamic_musl_binary_and_a_universal_macos_binary_are_packed() {
    require_tar();
    let work = tempfile::tempdir().unwrap();
    let musl = write(
        work.path(),
        "musl",
        &elf(183, Some("/lib/ld-musl-aarch64.so.1")),
    );
    let out = work.path().join("musl-out");
    let target = "aarch64-unknown-linux-musl";
    assert_packed(&package(target, &musl, &out, &[]), &out, target);

    let mut universal = vec![0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2];
    for cpu in ["x86_64", "aarch64"] {
        let mut entry = macho_cpu(cpu).to_be_bytes().to_vec();
        entry.resize(20, 0);
        universal.extend_from_slice(&entry);
    }
    let universal = write(work.path(), "universal", &universal);
    for target in ["x86_64-apple-darwin", "aarch64-apple-darwin"] {
        let out = work.path().join(target);
        assert_packed(&package(target, &universal, &out, &[]), &out, target);
    }
}
