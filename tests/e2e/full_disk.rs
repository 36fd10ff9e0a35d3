//! `connect` on a real full filesystem: a small tmpfs mounted in a user and mount namespace
//! (`unshare -rm`, no root needed; the network is not unshared, so the plugin inside reaches
//! the sandbox on loopback). The mount lives as long as the namespace, so each test runs one
//! sh script in it and copies what it needs out to the test's directory before it ends.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use tokenrequest_sandbox::ConnectorConfig;
use tokenrequest_sandbox::server::Verb;

use crate::connect::{APP, FILES, connector, entries, with_connector};
use crate::harness::{Run, TestCluster, finish, hermetic_command};

/// Fails the test, naming `unshare`, when a user and mount namespace with a tmpfs cannot be
/// made here: these tests never pass without a real small filesystem.
fn require_unshare(dir: &Path) {
    let probe = dir.join("probe");
    std::fs::create_dir_all(&probe).unwrap();
    let output = std::process::Command::new("unshare")
        .args([
            "-rm",
            "sh",
            "-c",
            "mount -t tmpfs -o size=16k tmpfs \"$1\"",
            "sh",
        ])
        .arg(&probe)
        .output();
    let detail = match &output {
        Ok(output) if output.status.success() => return,
        Ok(output) => String::from_utf8_lossy(&output.stderr).into_owned(),
        Err(error) => error.to_string(),
    };
    panic!(
        "this test needs `unshare -rm` (util-linux) and a tmpfs mount in a user namespace without \
         root, for a real small filesystem: {detail}"
    );
}

/// Runs `script` with sh in a new user and mount namespace. The script finds `$MNT` (an empty
/// directory to mount on), `$OUT` (a directory outside the mount), `$CONNECT` (the plugin's
/// `connect APP --kubeconfig … --certificate-authority …`, to which it adds flags) and `$DIR`
/// (`$MNT/app`, the output directory the tests use).
async fn in_namespace(cluster: &TestCluster, ca: &Path, script: &str) -> Run {
    let base = cluster.dir.path();
    require_unshare(base);
    for dir in ["mnt", "out"] {
        std::fs::create_dir_all(base.join(dir)).unwrap();
    }
    let mut command = hermetic_command("unshare", base);
    command
        .args(["-rm", "sh", "-c"])
        .arg(format!(
            "set -u\nCONNECT=\"$PLUGIN connect {APP} --kubeconfig $K --certificate-authority $CA\"\n\
             DIR=\"$MNT/app\"\n{script}"
        ))
        .env("PLUGIN", env!("CARGO_BIN_EXE_kubectl-tokenrequest"))
        .env("K", &cluster.kubeconfig)
        .env("CA", ca)
        .env("MNT", base.join("mnt"))
        .env("OUT", base.join("out"));
    finish(command.spawn().expect("spawn unshare")).await
}

/// Every file in `dir`: contents and mode.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, u32)> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            (name, (std::fs::read(&path).unwrap(), mode))
        })
        .collect()
}

/// In a tmpfs mounted with `options`: a first connect into `$DIR`, then `prepare`, then
/// `connect --refresh --force` into the same directory, with `$DIR` copied out before and after
/// it (`cp -a`: contents and modes) for [`assert_earlier_kept`].
async fn force_over_earlier(cluster: &TestCluster, ca: &Path, options: &str, prepare: &str) -> Run {
    let script = format!(
        "mount -t tmpfs -o {options} tmpfs \"$MNT\" || exit 97\n\
         $CONNECT --out-dir \"$DIR\" >/dev/null || exit 98\n\
         {prepare}\n\
         cp -a \"$DIR\" \"$OUT/before\"\n\
         $CONNECT --refresh --force --out-dir \"$DIR\"\n\
         code=$?\n\
         cp -a \"$DIR\" \"$OUT/after\"\n\
         exit $code"
    );
    in_namespace(cluster, ca, &script).await
}

/// The earlier connection of [`force_over_earlier`] is as it was: byte for byte and mode for
/// mode, nothing added (no `*.previous`, no temp file).
#[track_caller]
fn assert_earlier_kept(cluster: &TestCluster) {
    let out = cluster.dir.path().join("out");
    assert_eq!(
        entries(&out.join("before")),
        FILES,
        "the earlier connection"
    );
    assert_eq!(snapshot(&out.join("after")), snapshot(&out.join("before")));
}

fn infos(cluster: &TestCluster) -> usize {
    connector(cluster)
        .requests()
        .iter()
        .filter(|request| request.path == "/v1/applications/signingRequests/info")
        .count()
}

fn api_calls(cluster: &TestCluster, verb: Verb) -> usize {
    let requests = cluster.sandbox.server().requests();
    requests
        .iter()
        .filter(|request| request.verb == verb)
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_filesystem_too_small_for_the_files_fails_before_anything_is_spent() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    let run = in_namespace(
        &cluster,
        &ca,
        "mount -t tmpfs -o size=16k tmpfs \"$MNT\" || exit 97\n\
         $CONNECT --out-dir \"$DIR\"\n\
         code=$?\n\
         ls -A \"$MNT\" > \"$OUT/left\"\n\
         exit $code",
    )
    .await;
    run.failure(1, "has room for the connection's files")
        .failure(1, "No space left on device")
        .failure(
            1,
            "Nothing was spent: no TokenRequest was created and no token used",
        )
        .failure(1, "choose another --out-dir");
    assert!(run.stdout.is_empty(), "{run:#?}");
    let left = std::fs::read_to_string(cluster.dir.path().join("out/left")).unwrap();
    assert_eq!(left, "", "the check leaves nothing, not even the directory");
    // The controller's cluster-wide list and watch are all the API server saw.
    let seen = cluster.sandbox.server().requests();
    assert!(
        seen.iter().all(|request| request.name.is_none()
            && request.namespace.is_none()
            && matches!(request.verb, Verb::List | Verb::Watch)),
        "the plugin sent the API server nothing: {seen:?}"
    );
    // (This read is the first request the API server sees.)
    assert!(
        cluster.api("default").get_opt(APP).await.unwrap().is_none(),
        "no TokenRequest was created"
    );
    assert!(
        connector(&cluster).requests().is_empty(),
        "the Connector Service saw no call, so no info call spent a token"
    );

    // The same command where there is room connects: the failure above was the filesystem's.
    let run = in_namespace(
        &cluster,
        &ca,
        "mount -t tmpfs -o size=1m tmpfs \"$MNT\" || exit 97\n\
         $CONNECT --out-dir \"$DIR\" || exit\n\
         ls -A \"$DIR\" > \"$OUT/written\"",
    )
    .await;
    run.success();
    let written = std::fs::read_to_string(cluster.dir.path().join("out/written")).unwrap();
    assert_eq!(written.lines().collect::<Vec<_>>(), FILES);
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_force_on_a_full_filesystem_leaves_the_earlier_connection_as_it_was() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    // The rest of the filesystem filled with a file.
    let fill = "cat /dev/zero > \"$MNT/fill\" 2>/dev/null";
    let run = force_over_earlier(&cluster, &ca, "size=256k", fill).await;
    run.failure(1, "has room for the connection's files")
        .failure(1, "No space left on device")
        .failure(1, "Nothing was spent");
    assert_earlier_kept(&cluster);
    // Only the earlier connect spent anything: --refresh deleted nothing, nothing new was made.
    assert_eq!(api_calls(&cluster, Verb::Create), 1);
    assert_eq!(api_calls(&cluster, Verb::Delete), 0);
    assert_eq!(infos(&cluster), 1);
}

/// A filesystem out of inodes once both sets are there: the check (placeholders for one set)
/// passes, the token is spent, and keeping the earlier files as `*.previous` fails (on tmpfs
/// every hard link takes an inode). `nr_inodes`: the root, `app`, the earlier five files and
/// the five new temp files.
#[tokio::test(flavor = "multi_thread")]
async fn a_failure_after_the_token_is_spent_says_so_and_keeps_the_earlier_connection() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    let run = force_over_earlier(&cluster, &ca, "size=1m,nr_inodes=12", "").await;
    run.failure(
        1,
        "keeping client.key as client.key.previous: No space left on device",
    )
    .failure(1, "nothing was changed")
    .failure(
        1,
        "The token is used up and a certificate was issued, but it was not kept",
    );
    let advice = run
        .stderr
        .split("Request a fresh one with: ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_else(|| panic!("advice: {run:#?}"));
    assert!(
        advice.starts_with(&format!(
            "kubectl tokenrequest connect {APP} -n default --refresh"
        )) && advice.contains("--out-dir")
            && advice.contains("--certificate-authority")
            && advice.ends_with("--force"),
        "{advice}"
    );
    assert_earlier_kept(&cluster);
    assert_eq!(infos(&cluster), 2, "the second run spent its token");
}
