//! Certificate lifetimes: `renew --before` not due and due, `inspect --min-validity` exit
//! codes, and an expired certificate that nothing can use any more.

use std::time::Duration;

use tokenrequest_sandbox::ConnectorConfig;

use super::{connected, json, snapshot, text};
use crate::connect::connector;

#[tokio::test(flavor = "multi_thread")]
async fn renew_before_renews_only_when_due() {
    let (cluster, _ca, dir) = connected(ConnectorConfig {
        certificate_validity: Duration::from_secs(3600),
        ..ConnectorConfig::default()
    })
    .await;
    let dir_arg = text(&dir);
    let files = snapshot(&dir);
    let not_due = cluster.run(&["renew", dir_arg, "--before", "30m"]).await;
    not_due.success();
    assert!(not_due.stdout.contains("not due"), "{not_due:#?}");
    assert_eq!(snapshot(&dir), files);

    connector(&cluster).set_certificate_validity(Duration::from_secs(92 * 86_400));
    let due = cluster.run(&["renew", dir_arg, "--before", "2h"]).await;
    due.success();
    assert!(due.stdout.contains("(92 days left)"), "{due:#?}");
    let renewed = snapshot(&dir);
    assert_ne!(renewed["client.crt"], files["client.crt"]);
    let later = cluster.run(&["renew", dir_arg, "--before", "30d"]).await;
    later.success();
    assert!(later.stdout.contains("not due"), "{later:#?}");
    assert_eq!(snapshot(&dir), renewed);
    cluster
        .run(&["renew", dir_arg, "--before", "1mo"])
        .await
        .failure(2, "no fixed length");
}

#[tokio::test(flavor = "multi_thread")]
async fn min_validity_and_expiry_decide_the_exit_code() {
    let (cluster, _ca, dir) = connected(ConnectorConfig {
        certificate_validity: Duration::from_secs(3600),
        ..ConnectorConfig::default()
    })
    .await;
    let dir_arg = text(&dir);
    for minimum in ["30m", "59m"] {
        cluster
            .run(&["inspect", dir_arg, "--min-validity", minimum])
            .await
            .success();
    }
    for minimum in ["2h", "30d"] {
        let run = cluster
            .run(&["inspect", dir_arg, "--min-validity", minimum])
            .await;
        run.failure(1, &format!("less than --min-validity {minimum} is left"));
        assert!(
            run.stdout.contains("accepts it"),
            "the findings are printed: {run:#?}"
        );
    }
    let offline = cluster
        .run(&[
            "inspect",
            dir_arg,
            "--offline",
            "--min-validity",
            "2h",
            "-o",
            "json",
        ])
        .await;
    offline.failure(1, "less than --min-validity 2h");
    let report = json(&offline);
    assert_eq!(report["service"]["status"], "not-checked");
    assert_eq!(report["usable"], false);

    // A certificate that expires: inspect says so, renew and revoke cannot use it.
    connector(&cluster).set_certificate_validity(Duration::from_secs(3));
    cluster.run(&["renew", dir_arg]).await.success();
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let files = snapshot(&dir);
    let inspect = cluster.run(&["inspect", dir_arg, "-o", "json"]).await;
    inspect.failure(1, "the certificate expired at");
    assert_eq!(json(&inspect)["certificate"]["expired"], true);
    cluster
        .run(&["renew", dir_arg])
        .await
        .failure(1, "renewal is no longer possible")
        .failure(1, "connect my-app -n default");
    cluster
        .run(&["revoke", dir_arg, "--yes"])
        .await
        .failure(1, "cannot authenticate a revocation");
    assert_eq!(snapshot(&dir), files);
}
