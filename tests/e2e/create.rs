//! `create`: success, output formats, refresh, context pruning, and each failure's exit code.

use std::time::Duration;

use kubectl_tokenrequest::tokenrequest::Phase;
use tokenrequest_sandbox::controller::ControllerMode;
use tokenrequest_sandbox::server::SchemaVersion;

use crate::harness::{Setup, assert_no_secret, cluster, token_of};

const URL_PREFIX: &str =
    "https://connector-service.kyma.example.com/v1/applications/signingRequests/info?token=";

#[tokio::test(flavor = "multi_thread")]
async fn create_waits_and_prints_a_summary_with_the_url() {
    // The Application exists, so the preflight has nothing to warn about.
    let cluster = Setup {
        applications: vec!["my-app".into(), "my-app-2".into()],
        ..Setup::default()
    }
    .start()
    .await;
    // On a terminal the summary shows the URL with its token.
    let run = cluster.run_on_terminal(&["create", "my-app"]).await;
    run.success();
    let token = token_of(&cluster, "default", "my-app").await;
    assert!(run.stdout.contains("my-app"), "{run:#?}");
    assert!(run.stdout.contains("OK"), "{run:#?}");
    assert!(
        run.stdout.contains(&format!("{URL_PREFIX}{token}")),
        "{run:#?}"
    );
    // Without one, the same summary and nothing on stderr.
    let run = cluster.run(&["create", "my-app-2"]).await;
    run.success();
    let token = token_of(&cluster, "default", "my-app-2").await;
    assert!(run.stdout.contains("my-app-2"), "{run:#?}");
    assert!(run.stdout.contains("OK"), "{run:#?}");
    assert!(run.stdout.contains(URL_PREFIX), "{run:#?}");
    assert_no_secret(&run, &token);
    // No spinner or chatter without a terminal: only the note on the hidden token, on stderr
    // (issue 19 moved every note off stdout so `out=$(…)` captures data alone).
    assert_eq!(
        run.stderr,
        "Note: the token in the URL is hidden because stdout is not a terminal; -o url prints the whole URL.\n",
        "no spinner or chatter without a terminal"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn off_a_terminal_the_summary_hides_the_token_and_says_how_to_get_it() {
    let cluster = cluster().await;
    let run = cluster.run(&["create", "in-ci"]).await;
    run.success();
    let token = token_of(&cluster, "default", "in-ci").await;
    assert!(
        !run.stdout.contains(&token),
        "the token reached a log: {run:#?}"
    );
    assert!(
        run.stdout.contains(&format!("{URL_PREFIX}<hidden>\n")),
        "{run:#?}"
    );
    assert!(
        run.stderr.contains("-o url prints the whole URL"),
        "the note goes to stderr: {run:#?}"
    );
    assert!(
        !run.stdout.contains("Note:"),
        "stdout holds data alone: {run:#?}"
    );
    let run = cluster.run(&["get", "in-ci"]).await;
    run.success();
    assert!(!run.stdout.contains(&token), "{run:#?}");
    assert!(run.stdout.contains("<hidden>"), "{run:#?}");
    // What the note promises.
    let run = cluster.run(&["get", "in-ci", "-o", "url"]).await;
    assert_eq!(run.stdout, format!("{URL_PREFIX}{token}\n"));
    // A pipe is not a terminal either.
    let script = format!(
        "'{}' --kubeconfig '{}' get in-ci | cat",
        env!("CARGO_BIN_EXE_kubectl-tokenrequest"),
        cluster.kubeconfig.display()
    );
    let piped = std::process::Command::new("sh")
        .args(["-c", &script])
        .output()
        .expect("run sh");
    let piped = String::from_utf8_lossy(&piped.stdout);
    assert!(
        piped.contains("<hidden>") && !piped.contains(&token),
        "{piped}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn url_token_and_name_outputs_are_bare() {
    let cluster = cluster().await;
    let run = cluster.run(&["create", "app-url", "-o", "url"]).await;
    run.success();
    let token = token_of(&cluster, "default", "app-url").await;
    assert_eq!(run.stdout, format!("{URL_PREFIX}{token}\n"));

    let run = cluster
        .run(&["create", "app-token", "-o", "token", "-n", "other"])
        .await;
    run.success();
    let token = token_of(&cluster, "other", "app-token").await;
    assert_eq!(run.stdout, format!("{token}\n"));
    assert_eq!(token.len(), 88);

    let run = cluster.run(&["create", "app-name", "-o", "name"]).await;
    run.success();
    assert_eq!(
        run.stdout,
        "tokenrequest.applicationconnector.kyma-project.io/app-name\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn json_yaml_and_jsonpath_show_the_stored_object() {
    let cluster = cluster().await;
    let run = cluster.run(&["create", "app-json", "-o", "json"]).await;
    run.success();
    let object: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(object["kind"], "TokenRequest");
    assert_eq!(object["metadata"]["namespace"], "default");
    assert_eq!(object["status"]["state"], "OK");
    assert_eq!(object["status"]["application"], "app-json");

    let run = cluster.run(&["get", "app-json", "-o", "yaml"]).await;
    run.success();
    assert!(run.stdout.contains("kind: TokenRequest"), "{run:#?}");
    assert!(run.stdout.contains("state: OK"), "{run:#?}");

    let run = cluster
        .run(&[
            "get",
            "app-json",
            "-o",
            "jsonpath=app={.status.application} state={.status.state}",
        ])
        .await;
    run.success();
    assert_eq!(run.stdout, "app=app-json state=OK");
}

#[tokio::test(flavor = "multi_thread")]
async fn env_output_is_exported_to_the_programs_the_shell_starts() {
    let cluster = cluster().await;
    let run = cluster.run(&["create", "app-export", "-o", "env"]).await;
    run.success();
    let token = token_of(&cluster, "default", "app-export").await;
    assert!(
        run.stdout.starts_with("export TOKENREQUEST_NAME="),
        "{run:#?}"
    );
    // `env` is a child process: it sees only what was exported.
    let script = "eval \"$1\"; env";
    for shell in ["sh", "bash", "zsh"] {
        crate::harness::require(shell, &["-c", "true"]);
        let child = std::process::Command::new(shell)
            .args(["-c", script, shell, &run.stdout])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .output()
            .expect("run the shell");
        assert!(child.status.success(), "{shell}: {child:?}");
        let seen = String::from_utf8_lossy(&child.stdout);
        for line in [
            "TOKENREQUEST_NAME=app-export".to_string(),
            "TOKENREQUEST_NAMESPACE=default".to_string(),
            format!("TOKENREQUEST_TOKEN={token}"),
            format!("TOKENREQUEST_URL={URL_PREFIX}{token}"),
            "TOKENREQUEST_STATE=OK".to_string(),
        ] {
            assert!(
                seen.lines().any(|l| l == line),
                "{shell}: {line} not in\n{seen}"
            );
        }
        assert!(
            seen.contains("TOKENREQUEST_EXPIRE_AFTER=20"),
            "{shell}: {seen}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn env_output_round_trips_through_eval() {
    let cluster = cluster().await;
    let run = cluster.run(&["create", "app-env", "-o", "env"]).await;
    run.success();
    let token = token_of(&cluster, "default", "app-env").await;
    let script = "eval \"$1\"; printf '%s|%s|%s' \"$TOKENREQUEST_NAME\" \"$TOKENREQUEST_TOKEN\" \"$TOKENREQUEST_URL\"";
    let shell = std::process::Command::new("sh")
        .args(["-c", script, "sh", &run.stdout])
        .output()
        .expect("run sh");
    assert_eq!(
        String::from_utf8_lossy(&shell.stdout),
        format!("app-env|{token}|{URL_PREFIX}{token}")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_request_is_an_error_and_refresh_replaces_it() {
    let cluster = cluster().await;
    cluster.run(&["create", "again"]).await.success();
    let first = cluster.api("default").get("again").await.unwrap();
    let first_token = token_of(&cluster, "default", "again").await;

    let run = cluster.run(&["create", "again"]).await;
    run.failure(1, "already exists")
        .failure(1, "--refresh")
        .failure(1, "expires at");
    assert_no_secret(&run, &first_token);

    let run = cluster
        .run(&["create", "again", "--refresh", "-o", "token"])
        .await;
    run.success();
    let second = cluster.api("default").get("again").await.unwrap();
    assert_ne!(first.metadata.uid, second.metadata.uid, "a new object");
    assert_ne!(run.stdout.trim(), first_token, "a fresh token");
}

#[tokio::test(flavor = "multi_thread")]
async fn tenant_and_group_pruned_by_kyma2_are_reported() {
    let cluster = cluster().await;
    let run = cluster
        .run(&["create", "ctx-app", "--tenant", "t1", "--group", "g1"])
        .await;
    run.success();
    assert!(run.stderr.contains("Warning"), "{run:#?}");
    assert!(run.stderr.contains("tenant"), "{run:#?}");
    let stored = cluster.api("default").get("ctx-app").await.unwrap();
    assert!(stored.context.is_none());

    let kyma1 = Setup {
        schema: SchemaVersion::Kyma1,
        applications: vec!["ctx-app".into()],
        ..Setup::default()
    }
    .start()
    .await;
    let run = kyma1
        .run(&["create", "ctx-app", "--tenant", "t1", "--group", "g1"])
        .await;
    run.success();
    assert!(!run.stderr.contains("Warning"), "{run:#?}");
    let stored = kyma1.api("default").get("ctx-app").await.unwrap();
    assert_eq!(stored.context.unwrap().tenant.as_deref(), Some("t1"));
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_before_any_request() {
    let cluster = cluster().await;
    for (args, code, message) in [
        (vec!["create", "Bad_Name"], 1, "RFC 1123"),
        (vec!["create", "a;rm -rf /"], 1, "RFC 1123"),
        (vec!["create", "ok", "--tenant", "t"], 2, "--group"),
        (
            vec!["create", "ok", "--tenant", "t\nx", "--group", "g"],
            1,
            "control characters",
        ),
        (vec!["create", "ok", "-o", "bogus"], 2, "bogus"),
        (
            vec!["create", "ok", "--timeout", "soon"],
            2,
            "invalid duration",
        ),
    ] {
        cluster.run(&args).await.failure(code, message);
    }
    let left = cluster
        .api("default")
        .list(&Default::default())
        .await
        .unwrap();
    assert!(left.items.is_empty(), "no request may be created");
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_runs_store_nothing() {
    let cluster = cluster().await;
    let run = cluster
        .run(&["create", "dry", "--dry-run", "-o", "json"])
        .await;
    run.success();
    let object: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(object["metadata"]["name"], "dry");
    assert!(object.get("status").is_none());

    let run = cluster
        .run(&["create", "dry", "--dry-run=server", "-o", "name"])
        .await;
    run.success();
    assert!(
        cluster
            .api("default")
            .get_opt("dry")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn controller_error_state_exits_3() {
    let cluster = Setup::mode(ControllerMode::Error).start().await;
    cluster
        .run(&["create", "broken"])
        .await
        .failure(3, "state \"Error\"")
        .failure(3, "connection-token-handler");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_controller_times_out_with_exit_4() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    cluster
        .run(&["create", "lonely", "--timeout", "2s"])
        .await
        .failure(4, "no controller answered")
        .failure(4, "connection-token-handler");
    // The request stays; it is what a later run's --refresh replaces.
    assert!(
        cluster
            .api("default")
            .get_opt("lonely")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ok_without_token_keeps_waiting_and_says_so() {
    let cluster = Setup::mode(ControllerMode::EmptyToken).start().await;
    cluster
        .run(&["create", "tokenless", "--timeout", "2s"])
        .await
        .failure(4, "no token");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_wait_returns_before_the_controller_answers() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    let run = cluster
        .run(&["create", "quick", "--no-wait", "-o", "name"])
        .await;
    run.success();
    let run = cluster.run(&["create", "quick2", "--timeout", "0"]).await;
    run.success();
    assert!(run.stdout.contains("<pending>"), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_deleted_while_waiting_exits_5() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    let child = cluster
        .command(&["create", "vanishing", "--timeout", "30s"])
        .spawn()
        .unwrap();
    cluster.wait_until_exists("default", "vanishing").await;
    cluster
        .api("default")
        .delete("vanishing", &Default::default())
        .await
        .unwrap();
    crate::harness::finish(child)
        .await
        .failure(5, "deleted while waiting");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_answer_arrives_after_a_controller_delay() {
    let cluster = Setup {
        delay: Duration::from_millis(1500),
        ..Setup::default()
    }
    .start()
    .await;
    let run = cluster.run(&["create", "patient", "-o", "url"]).await;
    run.success();
    let stored = cluster.api("default").get("patient").await.unwrap();
    assert!(matches!(stored.phase(), Phase::Ready { .. }));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cluster_without_the_api_says_what_is_missing() {
    let cluster = Setup {
        serve_group: false,
        ..Setup::default()
    }
    .start()
    .await;
    cluster
        .run(&["create", "app"])
        .await
        .failure(1, "tokenrequests.applicationconnector.kyma-project.io")
        .failure(1, "Kyma");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_spinner_shows_only_on_a_terminal() {
    // `script` (util-linux) gives the plugin a terminal.
    crate::harness::require("script", &["--version"]);
    let cluster = Setup {
        delay: Duration::from_millis(1500),
        ..Setup::default()
    }
    .start()
    .await;
    // `script` gives the plugin a pseudo-terminal for stdout and stderr.
    let plugin = env!("CARGO_BIN_EXE_kubectl-tokenrequest");
    let inner = format!(
        "{plugin} create on-tty -o name --kubeconfig {}",
        cluster.kubeconfig.display()
    );
    let mut command = tokio::process::Command::new("script");
    command
        .args(["-qec", &inner, "/dev/null"])
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let run = crate::harness::finish(command.spawn().unwrap()).await;
    run.success();
    assert!(
        run.stdout.contains("waiting for connection-token-handler"),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains("(1s)"),
        "the spinner shows the elapsed time: {run:#?}"
    );
    let token = token_of(&cluster, "default", "on-tty").await;
    assert!(
        !run.stdout.contains(&token),
        "the spinner never shows the token"
    );
}
