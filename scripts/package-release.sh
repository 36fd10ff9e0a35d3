#!/usr/bin/env bash
# Packages kubectl-tokenrequest for one Rust target as a krew-installable archive,
# or (--sandbox) tokenrequest-sandbox as an archive of its own.
#
# Usage:
#   scripts/package-release.sh TARGET [--binary PATH | --archive PATH]
#                              [--out DIR] [--manifest FILE] [--version X.Y.Z]
#   scripts/package-release.sh TARGET --sandbox [--binary PATH]
#                              [--out DIR] [--version X.Y.Z]
#
#   TARGET           Rust target triple, e.g. x86_64-unknown-linux-musl,
#                    aarch64-apple-darwin, x86_64-pc-windows-msvc.
#   --binary PATH    package this already-built binary instead of running
#                    `${CARGO:-cargo} build --release --locked --target TARGET`
#                    (CARGO=cross works for cross-compiling). A binary that is
#                    not for TARGET (judged by its bytes: ELF, Mach-O or PE, the
#                    CPU, and on linux glibc or musl) is refused; nothing is packed.
#   --archive PATH   do not package; take the hash of this existing archive
#                    (checked against PATH.sha256 if present) and only render
#                    the manifest entry. Used by the release job after it has
#                    downloaded the archives built by the matrix jobs.
#   --out DIR        where the archive and its .sha256 go (default: dist).
#   --manifest FILE  update FILE in place: the uri and sha256 of the platform
#                    entry whose selector matches TARGET's os/arch. FILE's
#                    spec.version must already be vVERSION.
#   --version X.Y.Z  release version (default: [package] version of Cargo.toml).
#   --sandbox        package tokenrequest-sandbox (built with `-p tokenrequest-sandbox`
#                    unless --binary is given) instead of the plugin; no manifest.
#
# Result: DIR/kubectl-tokenrequest_vVERSION_TARGET.tar.gz (.zip for Windows)
# holding the binary, LICENSE, README.md and, except on Windows, the
# kubectl_complete-tokenrequest shim; DIR/ARCHIVE.sha256 in sha256sum format.
# The krew platform entry for TARGET is printed on stdout; progress on stderr.
# The uri base is `<spec.homepage>/releases/download/vVERSION/`, homepage read
# from the manifest (FILE, or krew-manifest.yaml at the repository root).
# With --sandbox: DIR/tokenrequest-sandbox_vVERSION_TARGET.tar.gz (.zip for
# Windows) holding the binary, LICENSE and the sandbox's README.md
# (tests/sandbox/README.md), and its .sha256; nothing on stdout. The krew
# archive stays the plugin alone.
set -euo pipefail

BIN_NAME=kubectl-tokenrequest
readonly SHIM_NAME=kubectl_complete-tokenrequest
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
readonly REPO_ROOT

die() {
    echo "package-release.sh: error: $*" >&2
    exit 1
}
note() { echo "package-release.sh: $*" >&2; }

usage() {
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
    exit "${1:-2}"
}

target=""
binary=""
archive_in=""
out_dir="dist"
manifest=""
version=""
sandbox=""
while [ $# -gt 0 ]; do
    case "$1" in
    --binary) [ $# -ge 2 ] || die "--binary needs a path"; binary=$2; shift 2 ;;
    --archive) [ $# -ge 2 ] || die "--archive needs a path"; archive_in=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || die "--out needs a directory"; out_dir=$2; shift 2 ;;
    --manifest) [ $# -ge 2 ] || die "--manifest needs a file"; manifest=$2; shift 2 ;;
    --version) [ $# -ge 2 ] || die "--version needs X.Y.Z"; version=$2; shift 2 ;;
    --sandbox) sandbox=1; shift ;;
    -h | --help) usage 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *)
        [ -z "$target" ] || die "only one TARGET allowed, got '$target' and '$1'"
        target=$1
        shift
        ;;
    esac
done
[ -n "$target" ] || { echo "package-release.sh: error: TARGET is required" >&2; usage 2; }
[ -z "$binary" ] || [ -z "$archive_in" ] || die "--binary and --archive exclude each other"
if [ -n "$sandbox" ]; then
    [ -z "$archive_in" ] && [ -z "$manifest" ] ||
        die "--sandbox packages the sandbox only: krew's manifest (--archive, --manifest) is the plugin's"
    BIN_NAME=tokenrequest-sandbox
fi
readonly BIN_NAME

# krew selector labels are Go's GOOS/GOARCH names.
case "$target" in
*-linux-*) os=linux ;;
*-apple-darwin) os=darwin ;;
*-windows-*) os=windows ;;
*) die "unsupported target '$target' (need a linux, apple-darwin or windows triple)" ;;
esac
# cpu: the name binary_kind gives the target's machine.
case "$target" in
x86_64-*) arch=amd64 cpu=x86_64 ;;
aarch64-*) arch=arm64 cpu=aarch64 ;;
i686-* | i586-*) arch=386 cpu=i386 ;;
arm-* | armv7-*) arch=arm cpu=arm ;;
powerpc64le-*) arch=ppc64le cpu=ppc64 ;;
*) die "unsupported architecture in target '$target'" ;;
esac
if [ "$os" = windows ]; then
    exe_suffix=.exe
    archive_ext=zip
else
    exe_suffix=""
    archive_ext=tar.gz
fi

if [ -z "$version" ]; then
    # First `version = "..."` inside [package].
    version=$(awk '
        /^\[/ { in_package = ($0 == "[package]") }
        in_package && /^version *= *"/ { sub(/^version *= *"/, ""); sub(/".*/, ""); print; exit }
    ' "$REPO_ROOT/Cargo.toml")
    [ -n "$version" ] || die "no [package] version in $REPO_ROOT/Cargo.toml"
fi
case "$version" in
v*) die "--version takes X.Y.Z without the leading v" ;;
esac

# Archives the named files of $stage as $archive (tar.gz, or zip on Windows) and
# writes $archive.sha256.
make_archive() {
    rm -f "$archive"
    if [ "$archive_ext" = tar.gz ]; then
        command -v tar >/dev/null 2>&1 || die "tar is not installed"
        tar -czf "$archive" -C "$stage" "$@"
    elif command -v zip >/dev/null 2>&1; then
        (cd "$stage" && zip -q -X "$archive" "$@")
    elif command -v python3 >/dev/null 2>&1; then
        (cd "$stage" && python3 -m zipfile -c "$archive" "$@")
    elif command -v python >/dev/null 2>&1; then
        (cd "$stage" && python -m zipfile -c "$archive" "$@")
    elif command -v 7z >/dev/null 2>&1; then
        (cd "$stage" && 7z a -tzip -bso0 "$archive" "$@")
    else
        die "cannot create $archive_name: install zip or python3"
    fi
    hash=$(sha256_of "$archive")
    # Two spaces: the format `sha256sum -c` reads.
    printf '%s  %s\n' "$hash" "$archive_name" >"$archive.sha256"
    note "wrote $archive and $archive_name.sha256"
}

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d' ' -f1
    else
        die "neither sha256sum nor shasum is installed"
    fi
}

archive_name="${BIN_NAME}_v${version}_${target}.${archive_ext}"

. "$REPO_ROOT/scripts/binary-kind.sh"

# Dies unless $1 is an executable for $target: its format, CPU and, on linux, C library.
check_binary() {
    local format matches=yes expected
    case "$os" in
    linux) format=ELF expected="an ELF" ;;
    darwin) format=Mach-O expected="a Mach-O" ;;
    windows) format=PE expected="a PE" ;;
    esac
    expected="$expected $cpu executable"
    binary_kind "$1"
    case "$target" in
    *-linux-musl*)
        expected="$expected, static or linked against musl"
        case "$found_libc" in static | musl) ;; *) matches="" ;; esac
        ;;
    *-linux-gnu*)
        expected="$expected, linked against glibc or static"
        case "$found_libc" in static | glibc) ;; *) matches="" ;; esac
        ;;
    esac
    case " $found_cpus " in *" $cpu "*) ;; *) matches="" ;; esac
    [ "$found_format" = "$format" ] && [ -n "$matches" ] ||
        die "$1 is $(binary_description), not a binary for $target ($expected); nothing was packed"
}

# Fails unless every named file exists in the repository.
require_files() {
    for required in "$@"; do
        [ -f "$REPO_ROOT/$required" ] || die "$REPO_ROOT/$required is missing"
    done
}

# Builds the binary unless --binary named one (extra cargo build arguments: "$@"), and
# stages it and LICENSE in $stage (removed on exit); $archive is the archive to make.
stage_binary() {
    if [ -z "$binary" ]; then
        note "building $BIN_NAME for $target with ${CARGO:-cargo}"
        (cd "$REPO_ROOT" && "${CARGO:-cargo}" build --release --locked --target "$target" "$@")
        binary="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/$target/release/$BIN_NAME$exe_suffix"
    fi
    [ -f "$binary" ] || die "binary $binary does not exist"
    check_binary "$binary"
    mkdir -p "$out_dir"
    out_dir=$(cd "$out_dir" && pwd)
    archive="$out_dir/$archive_name"
    stage=$(mktemp -d)
    trap 'rm -rf "$stage"' EXIT
    cp "$binary" "$stage/$BIN_NAME$exe_suffix"
    chmod 0755 "$stage/$BIN_NAME$exe_suffix"
    cp "$REPO_ROOT/LICENSE" "$stage/"
}

if [ -n "$sandbox" ]; then
    require_files LICENSE tests/sandbox/README.md
    stage_binary -p tokenrequest-sandbox
    cp "$REPO_ROOT/tests/sandbox/README.md" "$stage/README.md"
    make_archive "$BIN_NAME$exe_suffix" LICENSE README.md
    exit 0
fi

# Checked before building so a stale manifest fails fast.
manifest_for_homepage=${manifest:-$REPO_ROOT/krew-manifest.yaml}
[ -f "$manifest_for_homepage" ] || die "manifest $manifest_for_homepage does not exist"
homepage=$(awk '/^  homepage: / { print $2; exit }' "$manifest_for_homepage")
[ -n "$homepage" ] || die "no spec.homepage in $manifest_for_homepage"
uri="${homepage%/}/releases/download/v${version}/${archive_name}"
if [ -n "$manifest" ]; then
    manifest_version=$(awk '/^  version: / { print $2; exit }' "$manifest")
    [ "$manifest_version" = "v$version" ] ||
        die "$manifest has spec.version '$manifest_version', expected v$version: update it first"
fi

if [ -n "$archive_in" ]; then
    [ -f "$archive_in" ] || die "archive $archive_in does not exist"
    [ "$(basename "$archive_in")" = "$archive_name" ] ||
        die "archive $archive_in is not named $archive_name (wrong target or version?)"
    archive=$archive_in
    hash=$(sha256_of "$archive")
    if [ -f "$archive.sha256" ]; then
        recorded=$(cut -d' ' -f1 <"$archive.sha256")
        [ "$recorded" = "$hash" ] ||
            die "$archive has sha256 $hash but $archive.sha256 says $recorded"
    fi
else
    require_files LICENSE README.md "scripts/$SHIM_NAME"
    stage_binary
    cp "$REPO_ROOT/README.md" "$stage/"
    members=("$BIN_NAME$exe_suffix" LICENSE README.md)
    # The shim is a POSIX sh script: useless on Windows, so left out there.
    if [ "$os" != windows ]; then
        cp "$REPO_ROOT/scripts/$SHIM_NAME" "$stage/$SHIM_NAME"
        chmod 0755 "$stage/$SHIM_NAME"
        members+=("$SHIM_NAME")
    fi

    make_archive "${members[@]}"
fi

if [ -n "$manifest" ]; then
    rendered=$(mktemp)
    # Entries are `- selector:` / matchLabels os, arch / uri / sha256 / bin, in
    # that order (see the comment at the top of krew-manifest.yaml).
    if ! awk -v want_os="$os" -v want_arch="$arch" -v uri="$uri" -v sha="$hash" '
        /^    - selector:/ { os = ""; arch = "" }
        /^          os: / { os = $2 }
        /^          arch: / { arch = $2 }
        os == want_os && arch == want_arch && /^      uri: / {
            print "      uri: " uri; uris++; next
        }
        os == want_os && arch == want_arch && /^      sha256: / {
            print "      sha256: \"" sha "\""; shas++; next
        }
        { print }
        END { if (uris != 1 || shas != 1) exit 3 }
    ' "$manifest" >"$rendered"; then
        rm -f "$rendered"
        die "$manifest needs exactly one platform entry for os=$os arch=$arch with uri and sha256"
    fi
    cat "$rendered" >"$manifest"
    rm -f "$rendered"
    note "updated the $os/$arch entry of $manifest"
fi

cat <<EOF
    - selector:
        matchLabels:
          os: $os
          arch: $arch
      uri: $uri
      sha256: "$hash"
      bin: $BIN_NAME$exe_suffix
EOF
