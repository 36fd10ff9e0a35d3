//! What goes wrong around the lifecycle: a failure at each renewal step, the service down, no
//! key material or token at `-v=9`, trust recorded by `connect`, and directories that are not
//! (or no longer) a working connection.

use kubectl_tokenrequest::connector::generate_key_and_csr;
use serde_json::Value;
use tokenrequest_sandbox::ConnectorConfig;
use tokenrequest_sandbox::connector::RenewalFault;

use super::{assert_no_key, connected, json, read, snapshot, text};
use crate::connect::{APP, FILES, connect, connector, entries, no_leak, with_connector};
use crate::harness::{finish, plugin_command};

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_renewal_leaves_the_files_as_they_were_and_working() {
    let (cluster, _ca, dir) = connected(ConnectorConfig::default()).await;
    let dir_arg = text(&dir);
    let files = snapshot(&dir);
    let cases = [
        (RenewalFault::Status(403), "", "answered HTTP 403"),
        (RenewalFault::Status(503), "", "answered HTTP 503"),
        (
            RenewalFault::MismatchedCertificate,
            "",
            "is not for the private key the CSR was made with",
        ),
        (
            RenewalFault::MismatchedCertificate,
            "--reuse-key",
            "is not for the private key the CSR was made with",
        ),
        (
            RenewalFault::RevokedCertificate,
            "",
            "checking the new certificate with management info",
        ),
    ];
    for (fault, flag, says) in cases {
        connector(&cluster).fail_next_renewals(1, fault);
        let mut args = vec!["renew", dir_arg];
        if !flag.is_empty() {
            args.push(flag);
        }
        let run = cluster.run(&args).await;
        run.failure(1, says)
            .failure(1, &format!("The files in {dir_arg} were not changed"));
        assert_eq!(connector(&cluster).pending_renewal_faults(), 0, "{fault:?}");
        assert_eq!(snapshot(&dir), files, "{fault:?} {flag}: byte for byte");
        // And they still work.
        cluster.run(&["inspect", dir_arg]).await.success();
    }

    // The service is down: nothing to renew with, nothing changes.
    let home = cluster.dir.path().to_path_buf();
    let crate::harness::TestCluster {
        sandbox, dir: keep, ..
    } = cluster;
    sandbox.shutdown().await;
    let run = |args: &'static [&'static str]| {
        let mut words = args.to_vec();
        words.push(dir_arg);
        finish(plugin_command(&home, &words).spawn().unwrap())
    };
    run(&["renew"])
        .await
        .failure(1, "cannot reach")
        .failure(1, "were not changed");
    assert_eq!(snapshot(&dir), files);
    run(&["inspect"])
        .await
        .failure(1, "the Connector Service could not be asked");
    run(&["inspect", "--offline"]).await.success();
    drop(keep);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_key_material_or_token_at_the_highest_verbosity() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    let dir = cluster.dir.path().join("verbose");
    let dir_arg = text(&dir);
    let mut runs = vec![connect(&cluster, &ca, &dir, &["-v=9"]).await];
    let mut keys = vec![read(&dir, "client.key")];
    for args in [
        vec!["inspect", dir_arg, "-v=9"],
        vec!["inspect", dir_arg, "-o", "json", "-v=9"],
        vec!["renew", dir_arg, "-v=9"],
        vec!["renew", dir_arg, "--reuse-key", "-v=9"],
    ] {
        let run = cluster.run(&args).await;
        run.success();
        runs.push(run);
        keys.push(read(&dir, "client.key"));
    }
    connector(&cluster).fail_next_renewals(1, RenewalFault::MismatchedCertificate);
    let failed = cluster.run(&["renew", dir_arg, "-v=9"]).await;
    failed.failure(1, "were not changed");
    runs.push(failed);
    let revoke = cluster.run(&["revoke", dir_arg, "--yes", "-v=9"]).await;
    revoke.success();
    runs.push(revoke);
    assert!(
        runs[1].stderr.contains("connecting to 127.0.0.1"),
        "-v=9 shows the Connector Service calls: {}",
        runs[1].stderr
    );
    let all: Vec<&_> = runs.iter().collect();
    for key in &keys {
        assert_no_key(&all, key);
    }
    no_leak(&cluster, &all).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_prints_the_expiry_and_records_it_with_the_trust() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    let dir = cluster.dir.path().join("conn");
    let dir_arg = text(&dir);
    let run = connect(&cluster, &ca, &dir, &[]).await;
    assert!(run.stdout.contains("  certificate expires 20"), "{run:#?}");
    assert!(run.stdout.contains(" (92 days left)\n"), "{run:#?}");
    let config: Value = serde_saphyr::from_str(&read(&dir, "connection.yaml")).unwrap();
    let report = json(
        cluster
            .run(&["inspect", dir_arg, "-o", "json"])
            .await
            .success(),
    );
    assert_eq!(
        config["certificate"]["notAfter"],
        report["certificate"]["notAfter"]
    );
    assert_eq!(
        config["connectorTrust"]["certificateAuthority"],
        ca.to_str().unwrap()
    );

    // Without the recorded trust the system's CAs do not know the sandbox; the flag helps.
    let untrusted = read(&dir, "connection.yaml")
        .lines()
        .take_while(|line| !line.starts_with("connectorTrust:"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("connection.yaml"), untrusted + "\n").unwrap();
    cluster
        .run(&["inspect", dir_arg])
        .await
        .failure(1, "could not be asked")
        .failure(1, "--certificate-authority FILE");
    let ca_arg = ca.to_str().unwrap();
    cluster
        .run(&["inspect", dir_arg, "--certificate-authority", ca_arg])
        .await
        .success();
    // renew records the trust that just worked.
    cluster
        .run(&["renew", dir_arg, "--certificate-authority", ca_arg])
        .await
        .success();
    cluster.run(&["inspect", dir_arg]).await.success();

    let insecure = cluster.dir.path().join("insecure");
    cluster
        .run(&[
            "connect",
            APP,
            "--refresh",
            "--insecure-skip-tls-verify-connector",
            "--out-dir",
            text(&insecure),
        ])
        .await
        .success();
    let config: Value = serde_saphyr::from_str(&read(&insecure, "connection.yaml")).unwrap();
    assert_eq!(config["connectorTrust"]["insecureSkipTlsVerify"], true);
    cluster.run(&["inspect", text(&insecure)]).await.success();
}

#[tokio::test(flavor = "multi_thread")]
async fn directories_that_are_not_a_working_connection() {
    let (cluster, _ca, dir) = connected(ConnectorConfig::default()).await;
    let dir_arg = text(&dir);
    let empty = cluster.dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for mut args in [vec!["inspect"], vec!["renew"], vec!["revoke", "--yes"]] {
        args.push(text(&empty));
        cluster
            .run(&args)
            .await
            .failure(1, "holds no connection.yaml");
    }
    cluster
        .run(&["inspect", text(&cluster.dir.path().join("missing"))])
        .await
        .failure(1, "no such directory");
    cluster
        .run(&["inspect", dir_arg, "-o", "yaml"])
        .await
        .failure(2, "inspect supports only -o json");

    // A key that is not the certificate's: said, and nothing is sent with it.
    let files = snapshot(&dir);
    let subject = "O=Organization,OU=OrgUnit,L=Waldorf,ST=Waldorf,C=DE,CN=my-app";
    let foreign = tokio::task::spawn_blocking(move || generate_key_and_csr(subject))
        .await
        .unwrap()
        .unwrap();
    std::fs::write(dir.join("client.key"), &foreign.key_pem).unwrap();
    let calls = connector(&cluster).requests().len();
    let inspect = cluster.run(&["inspect", dir_arg]).await;
    inspect.failure(1, "client.key does not belong to client.crt");
    assert!(inspect.stdout.contains("does NOT match"), "{inspect:#?}");
    cluster
        .run(&["renew", dir_arg])
        .await
        .failure(1, "client.key does not belong to client.crt");
    cluster
        .run(&["revoke", dir_arg, "--yes"])
        .await
        .failure(1, "does not belong to client.crt");
    assert_eq!(connector(&cluster).requests().len(), calls);

    // A renewal that stopped half-way: the previous set is named.
    std::fs::write(dir.join("client.key"), &files["client.key"]).unwrap();
    for name in FILES {
        std::fs::write(dir.join(format!("{name}.previous")), &files[name]).unwrap();
    }
    std::fs::remove_file(dir.join("client.crt")).unwrap();
    cluster.run(&["inspect", dir_arg]).await.failure(
        1,
        "client.crt is missing (client.crt.previous is there: a renewal was interrupted",
    );
    std::fs::rename(dir.join("client.crt.previous"), dir.join("client.crt")).unwrap();
    let report = json(
        cluster
            .run(&["inspect", dir_arg, "-o", "json"])
            .await
            .success(),
    );
    assert_eq!(report["leftovers"].as_array().unwrap().len(), 4, "{report}");
    // A renewal replaces the stale *.previous and removes them.
    cluster.run(&["renew", dir_arg]).await.success();
    assert_eq!(entries(&dir), FILES);
}
