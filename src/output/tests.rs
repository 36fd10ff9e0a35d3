use std::io;

use serde_json::{Value, json};

use super::value::{list_value, object_value, to_json, to_yaml};
use super::*;
use crate::tokenrequest::TokenRequest;

const TOKEN: &str = "TOKEN-3f9a2c7e-d00d-4b1e-unique";

fn now() -> Timestamp {
    "2026-11-27T18:37:14Z".parse().unwrap()
}

fn request(
    name: &str,
    created: Option<&str>,
    context: Option<Value>,
    status: Option<Value>,
) -> TokenRequest {
    let mut object = json!({
        "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
        "kind": "TokenRequest",
        "metadata": {
            "name": name,
            "namespace": "kyma-integration",
            "resourceVersion": "4711",
            "uid": "0b6f1c1e-8a6b-4f5e-9a55-1f2e3d4c5b6a",
            "managedFields": [{"manager": "kubectl", "operation": "Update"}],
        },
    });
    if let Some(created) = created {
        object["metadata"]["creationTimestamp"] = json!(created);
    }
    if let Some(context) = context {
        object["context"] = context;
    }
    if let Some(status) = status {
        object["status"] = status;
    }
    serde_json::from_value(object).unwrap()
}

fn ready() -> TokenRequest {
    request(
        "my-app",
        Some("2026-11-27T18:30:00Z"),
        Some(json!({"tenant": "acme", "group": "prod"})),
        Some(json!({
            "state": "OK",
            "token": TOKEN,
            "url": format!("https://connector.kyma.example.com/v1/applications/signingRequests/info?token={TOKEN}"),
            "expireAfter": "2026-11-27T18:41:26Z",
            "application": "my-app",
        })),
    )
}

fn pending() -> TokenRequest {
    request("pending-app", Some("2026-11-27T18:37:00Z"), None, None)
}

fn failed() -> TokenRequest {
    request(
        "broken-app",
        Some("2026-11-26T15:00:00Z"),
        None,
        Some(json!({"state": "Error", "application": "broken-app"})),
    )
}

fn without_token() -> TokenRequest {
    request(
        "retry-app",
        Some("2026-11-20T18:37:14Z"),
        None,
        Some(json!({"state": "OK", "token": "", "url": "", "expireAfter": "2026-11-27T19:37:14Z"})),
    )
}

fn malformed() -> TokenRequest {
    request(
        "odd-app",
        None,
        None,
        Some(json!({"state": "Weird", "expireAfter": "tomorrow", "url": "not a url"})),
    )
}

fn expired() -> TokenRequest {
    let mut tr = ready();
    tr.metadata.name = Some("old-app".into());
    tr.status.as_mut().unwrap().expire_after = Some("2026-11-27T18:35:14Z".into());
    tr
}

fn all() -> Vec<TokenRequest> {
    vec![
        ready(),
        pending(),
        failed(),
        without_token(),
        malformed(),
        expired(),
    ]
}

fn opts(all_namespaces: bool, color: bool) -> ListOptions {
    ListOptions {
        all_namespaces,
        now: now(),
        color,
    }
}

/// One watch line as `list -w --output-watch-events --no-headers` prints it.
fn watch_line(
    kind: &str,
    tr: &TokenRequest,
    format: &OutputFormat,
    opts: &ListOptions,
) -> Result<String, OutputError> {
    let layout = ListLayout {
        no_headers: true,
        watch_events: true,
        ..ListLayout::default()
    };
    WatchPrinter::new(format, *opts, layout)?.event(kind, tr, opts.now)
}

fn format(text: &str) -> OutputFormat {
    text.parse().unwrap()
}

fn list_output(format: &OutputFormat, opts: ListOptions, items: &[TokenRequest]) -> String {
    let mut buffer = Vec::new();
    let mut printer = list_printer(format, opts, Box::new(&mut buffer)).unwrap();
    for tr in items {
        printer.item(tr).unwrap();
    }
    printer.finish().unwrap();
    String::from_utf8(buffer).unwrap()
}

fn assert_no_token(text: &str) {
    assert!(!text.contains(TOKEN), "token leaked into:\n{text}");
}

// ---------------------------------------------------------------------------------------
// -o parsing

#[test]
fn formats_parse_like_kubectl() {
    assert_eq!(format(""), OutputFormat::Human);
    for (text, expected) in [
        ("wide", OutputFormat::Wide),
        ("json", OutputFormat::Json),
        ("yaml", OutputFormat::Yaml),
        ("name", OutputFormat::Name),
        ("token", OutputFormat::Token),
        ("url", OutputFormat::Url),
        ("env", OutputFormat::Env),
    ] {
        assert_eq!(format(text), expected, "{text}");
    }
    let template = JsonPathTemplate::parse("{.status.url}").unwrap();
    for text in [
        "jsonpath={.status.url}",
        "jsonpath='{.status.url}'",
        "jsonpath=\"{.status.url}\"",
    ] {
        assert_eq!(
            format(text),
            OutputFormat::JsonPath(template.clone()),
            "{text}"
        );
    }
}

#[test]
fn unknown_and_incomplete_formats_are_explained() {
    let err = "xml".parse::<OutputFormat>().unwrap_err();
    assert!(matches!(err, OutputError::UnknownFormat { .. }));
    // The list of what a command takes is the command's (`cli::formats`), which refuses an
    // unknown name before it is parsed.
    assert_eq!(err.to_string(), "unknown output format \"xml\"");
    for text in ["jsonpath", "jsonpath=", "jsonpath=''"] {
        let err = text.parse::<OutputFormat>().unwrap_err();
        assert!(matches!(err, OutputError::MissingTemplate), "{text}: {err}");
    }
    let err = "jsonpath={.status.url".parse::<OutputFormat>().unwrap_err();
    assert!(matches!(err, OutputError::InvalidJsonPath { .. }));
    assert!(
        err.to_string().contains("unclosed action at offset 0"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// One request

#[test]
fn human_view_of_a_ready_request_shows_the_url_but_no_token_line() {
    let text = render_one(&ready(), &OutputFormat::Human, now(), UrlView::Whole).unwrap();
    assert_eq!(
        text,
        format!(
            "Name:         my-app\n\
             Namespace:    kyma-integration\n\
             Application:  my-app\n\
             State:        OK\n\
             Tenant:       acme\n\
             Group:        prod\n\
             Expires:      2026-11-27T18:41:26Z (in 4m12s)\n\
             URL:          https://connector.kyma.example.com/v1/applications/signingRequests/info?token={TOKEN}\n"
        )
    );
    assert!(!text.lines().any(|line| line.starts_with("Token")));
    assert_eq!(
        render_one(&ready(), &OutputFormat::Wide, now(), UrlView::Whole).unwrap(),
        text
    );
}

#[test]
fn human_view_off_a_terminal_masks_the_token_and_says_how_to_get_it() {
    let text = render_one(&ready(), &OutputFormat::Human, now(), UrlView::Masked).unwrap();
    assert_eq!(
        text,
        "Name:         my-app\n\
         Namespace:    kyma-integration\n\
         Application:  my-app\n\
         State:        OK\n\
         Tenant:       acme\n\
         Group:        prod\n\
         Expires:      2026-11-27T18:41:26Z (in 4m12s)\n\
         URL:          https://connector.kyma.example.com/v1/applications/signingRequests/info?token=<hidden>\n"
    );
    assert_no_token(&text);
    // The note is for stderr: the data stays alone on stdout.
    assert_eq!(
        describe_notes(&ready(), now(), UrlView::Masked),
        [
            "Note: the token in the URL is hidden because stdout is not a terminal; -o url prints the whole URL."
        ]
    );
    assert!(describe_notes(&ready(), now(), UrlView::Whole).is_empty());
    // Nothing to hide: the view is the terminal's.
    for tr in [pending(), failed(), malformed()] {
        assert_eq!(
            render_one(&tr, &OutputFormat::Human, now(), UrlView::Masked).unwrap(),
            render_one(&tr, &OutputFormat::Human, now(), UrlView::Whole).unwrap()
        );
    }
    // Expired: the note and the hint.
    let text = render_one(&expired(), &OutputFormat::Human, now(), UrlView::Masked).unwrap();
    assert!(text.ends_with("?token=<hidden>\n"), "{text}");
    assert_no_token(&text);
    let notes = describe_notes(&expired(), now(), UrlView::Masked);
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].starts_with("Note: ") && notes[1].ends_with("create a new one."));
}

#[test]
fn human_view_explains_requests_that_are_not_ready() {
    let cases = [
        (
            pending(),
            "Name:         pending-app\n\
             Namespace:    kyma-integration\n\
             Application:  pending-app\n\
             State:        <pending>\n\
             Expires:      <pending>\n\
             URL:          <none>\n\
             \n\
             Hint: the connection-token-handler controller has not processed this request yet.\n",
        ),
        (
            failed(),
            "Name:         broken-app\n\
             Namespace:    kyma-integration\n\
             Application:  broken-app\n\
             State:        Error\n\
             Expires:      <none>\n\
             URL:          <none>\n\
             \n\
             Hint: the controller could not get a token from the Connector Service; read the connection-token-handler logs.\n",
        ),
        (
            without_token(),
            "Name:         retry-app\n\
             Namespace:    kyma-integration\n\
             Application:  retry-app\n\
             State:        OK\n\
             Expires:      2026-11-27T19:37:14Z (in 60m)\n\
             URL:          <none>\n\
             \n\
             Hint: the controller reported OK without a token: its call to the Connector Service failed and the connection-token-handler controller retries. Check again shortly, or read its logs.\n",
        ),
        (
            malformed(),
            "Name:         odd-app\n\
             Namespace:    kyma-integration\n\
             Application:  odd-app\n\
             State:        Weird\n\
             Expires:      <invalid: \"tomorrow\">\n\
             URL:          not a url\n\
             \n\
             Hint: this state is not one the connection-token-handler controller documents; check the Kyma version.\n",
        ),
    ];
    for (tr, expected) in cases {
        // The fields on stdout; the hint (after the blank line) is for stderr.
        let (fields, hint) = expected.split_once("\n\n").unwrap();
        assert_eq!(
            render_one(&tr, &OutputFormat::Human, now(), UrlView::Whole).unwrap(),
            format!("{fields}\n")
        );
        assert_eq!(
            describe_notes(&tr, now(), UrlView::Whole),
            [hint.trim_end().to_string()]
        );
    }
    let text = render_one(&expired(), &OutputFormat::Human, now(), UrlView::Whole).unwrap();
    assert!(
        text.contains("Expires:      2026-11-27T18:35:14Z (expired 2m ago)\n"),
        "{text}"
    );
    assert_eq!(
        describe_notes(&expired(), now(), UrlView::Whole),
        ["Hint: the token has expired; delete this request and create a new one."]
    );
}

#[test]
fn human_view_escapes_control_characters_from_the_server() {
    let tr = request(
        "evil",
        None,
        None,
        Some(json!({"state": "\u{1b}[2J\u{1b}]0;owned\u{7}"})),
    );
    let text = render_one(&tr, &OutputFormat::Human, now(), UrlView::Whole).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(
        text.contains(r"State:        \u{1b}[2J\u{1b}]0;owned\u{7}"),
        "{text}"
    );
}

#[test]
fn json_is_kubectls_object_without_managed_fields() {
    let text = render_one(&ready(), &OutputFormat::Json, now(), UrlView::Whole).unwrap();
    assert_eq!(
        text,
        format!(
            r#"{{
    "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
    "context": {{
        "group": "prod",
        "tenant": "acme"
    }},
    "kind": "TokenRequest",
    "metadata": {{
        "creationTimestamp": "2026-11-27T18:30:00Z",
        "name": "my-app",
        "namespace": "kyma-integration",
        "resourceVersion": "4711",
        "uid": "0b6f1c1e-8a6b-4f5e-9a55-1f2e3d4c5b6a"
    }},
    "status": {{
        "application": "my-app",
        "expireAfter": "2026-11-27T18:41:26Z",
        "state": "OK",
        "token": "{TOKEN}",
        "url": "https://connector.kyma.example.com/v1/applications/signingRequests/info?token={TOKEN}"
    }}
}}
"#
        )
    );
    for tr in all() {
        let text = render_one(&tr, &OutputFormat::Json, now(), UrlView::Whole).unwrap();
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, object_value(&tr).unwrap());
        assert!(
            !text.contains("managedFields") && !text.contains("null"),
            "{text}"
        );
    }
    // Absent fields are shown as absent, not null.
    let pending = render_one(&pending(), &OutputFormat::Json, now(), UrlView::Whole).unwrap();
    assert!(!pending.contains("status"), "{pending}");
}

#[test]
fn list_items_without_type_get_apiversion_and_kind() {
    let mut tr = pending();
    tr.types = None;
    let value = object_value(&tr).unwrap();
    assert_eq!(
        value["apiVersion"],
        "applicationconnector.kyma-project.io/v1alpha1"
    );
    assert_eq!(value["kind"], "TokenRequest");
}

#[test]
fn yaml_is_kubectls_object_and_parses_back() {
    let text = render_one(&ready(), &OutputFormat::Yaml, now(), UrlView::Whole).unwrap();
    assert_eq!(
        text,
        format!(
            "apiVersion: applicationconnector.kyma-project.io/v1alpha1\n\
             context:\n  group: prod\n  tenant: acme\n\
             kind: TokenRequest\n\
             metadata:\n  creationTimestamp: \"2026-11-27T18:30:00Z\"\n  name: my-app\n  \
             namespace: kyma-integration\n  resourceVersion: \"4711\"\n  \
             uid: 0b6f1c1e-8a6b-4f5e-9a55-1f2e3d4c5b6a\n\
             status:\n  application: my-app\n  expireAfter: \"2026-11-27T18:41:26Z\"\n  state: OK\n  \
             token: {TOKEN}\n  \
             url: https://connector.kyma.example.com/v1/applications/signingRequests/info?token={TOKEN}\n"
        )
    );
    for tr in all() {
        let text = render_one(&tr, &OutputFormat::Yaml, now(), UrlView::Whole).unwrap();
        let parsed: Value = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(parsed, object_value(&tr).unwrap(), "{text}");
    }
}

#[test]
fn name_is_type_slash_name() {
    for tr in all() {
        assert_eq!(
            render_one(&tr, &OutputFormat::Name, now(), UrlView::Whole).unwrap(),
            format!(
                "tokenrequest.applicationconnector.kyma-project.io/{}\n",
                tr.name()
            )
        );
    }
}

#[test]
fn token_and_url_print_bare_values_of_a_ready_request() {
    assert_eq!(
        render_one(&ready(), &OutputFormat::Token, now(), UrlView::Whole).unwrap(),
        format!("{TOKEN}\n")
    );
    assert_eq!(
        render_one(&ready(), &OutputFormat::Url, now(), UrlView::Whole).unwrap(),
        format!(
            "https://connector.kyma.example.com/v1/applications/signingRequests/info?token={TOKEN}\n"
        )
    );
}

#[test]
fn token_url_and_env_refuse_requests_without_a_usable_token() {
    let cases = [
        (
            pending(),
            "has no {what} yet: the connection-token-handler controller has not answered yet",
        ),
        (
            failed(),
            "has no {what} yet: the controller reported state Error",
        ),
        (
            without_token(),
            "has no {what} yet: the controller reported OK without a token and will retry",
        ),
        (
            malformed(),
            "has no {what} yet: its state \"Weird\" is unknown",
        ),
    ];
    for (tr, reason) in cases {
        for (format, what) in [
            (OutputFormat::Token, "token"),
            (OutputFormat::Url, "URL"),
            (OutputFormat::Env, "token and URL"),
        ] {
            let err = render_one(&tr, &format, now(), UrlView::Whole).unwrap_err();
            assert!(
                matches!(&err, OutputError::NotReady { what: w, .. } if *w == what),
                "{err:?}"
            );
            assert_eq!(
                err.to_string(),
                format!(
                    "TokenRequest \"{}\" {}",
                    tr.name(),
                    reason.replace("{what}", what)
                )
            );
        }
    }
    for format in [OutputFormat::Token, OutputFormat::Url, OutputFormat::Env] {
        let err = render_one(&expired(), &format, now(), UrlView::Whole).unwrap_err();
        assert!(matches!(err, OutputError::Expired { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "the token of TokenRequest \"old-app\" expired at 2026-11-27T18:35:14Z (2m ago); \
             delete the request and create a new one"
        );
        assert_no_token(&format!("{err} {err:?}"));
    }
}

#[test]
fn env_assigns_every_field() {
    assert_eq!(
        render_one(&ready(), &OutputFormat::Env, now(), UrlView::Whole).unwrap(),
        format!(
            "export TOKENREQUEST_NAME=my-app\n\
             export TOKENREQUEST_NAMESPACE=kyma-integration\n\
             export TOKENREQUEST_TOKEN={TOKEN}\n\
             export TOKENREQUEST_URL=https://connector.kyma.example.com/v1/applications/signingRequests/info'?token={TOKEN}'\n\
             export TOKENREQUEST_EXPIRE_AFTER=2026-11-27T18:41:26Z\n\
             export TOKENREQUEST_STATE=OK\n"
        )
    );
}

/// Evaluates `-o env` output in a real shell (POSIX shells: unix only; the Windows workflow
/// runs the unit tests without them) and reads the variables back byte for byte, in
/// a child process the shell starts afterwards (so they must have been exported).
#[cfg(unix)]
fn eval_in(shell: &str, output: &str) -> Vec<String> {
    let script = r#"eval "$1"; sh -c 'printf "%s\0" "$TOKENREQUEST_NAME" "$TOKENREQUEST_NAMESPACE" "$TOKENREQUEST_TOKEN" "$TOKENREQUEST_URL" "$TOKENREQUEST_EXPIRE_AFTER" "$TOKENREQUEST_STATE"'"#;
    let result = std::process::Command::new(shell)
        .args(["-c", script, "_", output])
        .output()
        .unwrap_or_else(|e| panic!("this test needs `{shell}` on PATH: {e}"));
    assert!(
        result.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    let mut values: Vec<String> = String::from_utf8(result.stdout)
        .unwrap()
        .split('\0')
        .map(str::to_string)
        .collect();
    assert_eq!(values.pop().as_deref(), Some(""));
    values
}

#[test]
#[cfg(unix)]
fn env_survives_eval_whatever_the_values_hold() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("executed");
    let marker = marker.to_str().unwrap();
    let hostile = format!(
        "a'b\"c $(touch {marker}) `touch {marker}` ${{HOME}} $HOME \\ \\' \n\ttab\r\u{1}\u{1b}[31m \
         ;|&<>*?[x]{{a,b}}!# ~ ~/x:~/y %% héllo ☃ \n\n"
    );
    let mut tr = ready();
    tr.metadata.namespace = Some(format!("ns-{hostile}"));
    let status = tr.status.as_mut().unwrap();
    status.token = Some(format!("tok-{hostile}"));
    status.url = Some(format!("https://h/?token={hostile}"));
    status.expire_after = Some(format!("~{hostile}"));
    let output = render_one(&tr, &OutputFormat::Env, now(), UrlView::Whole).unwrap();
    let expected = vec![
        "my-app".to_string(),
        format!("ns-{hostile}"),
        format!("tok-{hostile}"),
        format!("https://h/?token={hostile}"),
        format!("~{hostile}"),
        "OK".to_string(),
    ];
    for shell in ["sh", "bash", "zsh"] {
        assert_eq!(eval_in(shell, &output), expected, "{shell} with:\n{output}");
        assert!(
            !std::path::Path::new(marker).exists(),
            "{shell} executed a value"
        );
    }
}

#[test]
fn jsonpath_applies_to_the_object() {
    let template = |text: &str| format(&format!("jsonpath={text}"));
    assert_eq!(
        render_one(
            &ready(),
            &template("{.status.expireAfter}"),
            now(),
            UrlView::Whole
        )
        .unwrap(),
        "2026-11-27T18:41:26Z"
    );
    assert_eq!(
        render_one(
            &ready(),
            &template(r#"name={.metadata.name} url={.status.url}{"\n"}"#),
            now(),
            UrlView::Whole
        )
        .unwrap(),
        format!(
            "name=my-app url=https://connector.kyma.example.com/v1/applications/signingRequests/info?token={TOKEN}\n"
        )
    );
    assert_eq!(
        render_one(
            &malformed(),
            &template("{.status.state}"),
            now(),
            UrlView::Whole
        )
        .unwrap(),
        "Weird"
    );
    // As --allow-missing-template-keys=false.
    let strict = |text: &str| template(text).allow_missing_keys(false);
    let err = render_one(
        &pending(),
        &strict("{.status.token}"),
        now(),
        UrlView::Whole,
    )
    .unwrap_err();
    assert!(matches!(err, OutputError::JsonPathExecution { .. }));
    assert_eq!(
        err.to_string(),
        r#"error executing jsonpath "{.status.token}": status is not found"#
    );
    let err = render_one(
        &without_token(),
        &strict("{.metadata.managedFields}"),
        now(),
        UrlView::Whole,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("managedFields is not found"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// Time columns

#[test]
fn expiry_and_age_texts() {
    assert_eq!(expires_text(&ready(), now()), "in 4m12s");
    assert_eq!(expires_text(&expired(), now()), "expired 2m ago");
    assert_eq!(expires_text(&pending(), now()), "<pending>");
    assert_eq!(expires_text(&failed(), now()), "<none>");
    assert_eq!(expires_text(&malformed(), now()), "<invalid>");
    let at = |text: &str| Some(text.parse::<Timestamp>().unwrap());
    assert_eq!(age_text(at("2026-11-27T18:36:29Z"), now()), "45s");
    assert_eq!(age_text(at("2026-11-27T15:32:14Z"), now()), "3h5m");
    assert_eq!(age_text(at("2026-11-25T13:37:14Z"), now()), "2d5h");
    assert_eq!(age_text(at("2026-11-27T18:37:20Z"), now()), "<invalid>");
    assert_eq!(age_text(None, now()), "<unknown>");
}

// ---------------------------------------------------------------------------------------
// Tables

#[test]
fn human_table_looks_like_kubectl_get() {
    assert_eq!(
        list_output(&OutputFormat::Human, opts(false, false), &all()),
        "NAME          STATE       EXPIRES          AGE\n\
         my-app        OK          in 4m12s         7m14s\n\
         pending-app   <pending>   <pending>        14s\n\
         broken-app    Error       <none>           27h\n\
         retry-app     OK          in 60m           7d\n\
         odd-app       Weird       <invalid>        <unknown>\n\
         old-app       OK          expired 2m ago   7m14s\n"
    );
    assert_eq!(
        list_output(&OutputFormat::Human, opts(true, false), &all()[..2]),
        "NAMESPACE          NAME          STATE       EXPIRES     AGE\n\
         kyma-integration   my-app        OK          in 4m12s    7m14s\n\
         kyma-integration   pending-app   <pending>   <pending>   14s\n"
    );
}

#[test]
fn wide_table_adds_application_context_and_url_host() {
    assert_eq!(
        list_output(&OutputFormat::Wide, opts(false, false), &all()),
        "NAME          STATE       EXPIRES          AGE         APPLICATION   TENANT   GROUP    URL-HOST\n\
         my-app        OK          in 4m12s         7m14s       my-app        acme     prod     connector.kyma.example.com\n\
         pending-app   <pending>   <pending>        14s         pending-app   <none>   <none>   <none>\n\
         broken-app    Error       <none>           27h         broken-app    <none>   <none>   <none>\n\
         retry-app     OK          in 60m           7d          retry-app     <none>   <none>   <none>\n\
         odd-app       Weird       <invalid>        <unknown>   odd-app       <none>   <none>   <invalid>\n\
         old-app       OK          expired 2m ago   7m14s       my-app        acme     prod     connector.kyma.example.com\n"
    );
    assert_eq!(
        list_output(&OutputFormat::Wide, opts(true, false), &all()[..1]),
        "NAMESPACE          NAME     STATE   EXPIRES    AGE     APPLICATION   TENANT   GROUP   URL-HOST\n\
         kyma-integration   my-app   OK      in 4m12s   7m14s   my-app        acme     prod    connector.kyma.example.com\n"
    );
}

#[test]
fn tables_never_show_the_token() {
    let mut in_user_info = ready();
    in_user_info.metadata.name = Some("userinfo".into());
    in_user_info.status.as_mut().unwrap().url = Some(format!(
        "https://x:{TOKEN}@host.example:8443/p?token={TOKEN}"
    ));
    let mut items = all();
    items.push(in_user_info);
    for format in [OutputFormat::Human, OutputFormat::Wide] {
        for (all_namespaces, color) in [(false, false), (true, false), (true, true)] {
            let text = list_output(&format, opts(all_namespaces, color), &items);
            assert_no_token(&text);
            for tr in &items {
                let line = watch_line("ADDED", tr, &format, &opts(all_namespaces, color)).unwrap();
                assert_no_token(&line);
            }
        }
    }
    let wide = list_output(&OutputFormat::Wide, opts(false, false), &items);
    assert!(wide.contains("host.example:8443\n"), "{wide}");
}

#[test]
fn colour_only_when_asked() {
    for format in [OutputFormat::Human, OutputFormat::Wide] {
        let plain = list_output(&format, opts(true, false), &all());
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
        let coloured = list_output(&format, opts(true, true), &all());
        assert!(coloured.contains('\u{1b}'), "{coloured:?}");
        // Only the STATE cells are coloured: without escapes the text is the plain table.
        let mut stripped = coloured.clone();
        while let Some(start) = stripped.find('\u{1b}') {
            let end = start + stripped[start..].find('m').unwrap() + 1;
            stripped.replace_range(start..end, "");
        }
        assert_eq!(stripped, plain);
        for tr in all() {
            let line = watch_line("ADDED", &tr, &format, &opts(false, false)).unwrap();
            assert!(!line.contains('\u{1b}'), "{line:?}");
            let line = watch_line("ADDED", &tr, &format, &opts(false, true)).unwrap();
            assert!(line.contains('\u{1b}'), "{line:?}");
        }
    }
}

#[test]
fn tables_escape_control_characters_and_never_wrap() {
    let long = "a".repeat(240);
    let hostile = request(
        &long,
        None,
        None,
        Some(json!({"state": "\u{1b}[2J", "url": "https://h/"})),
    );
    let text = list_output(&OutputFormat::Wide, opts(false, false), &[hostile]);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with(&format!("{long}   \\u{{1b}}[2J   ")),
        "{text}"
    );
}

#[test]
fn empty_lists_print_nothing_and_leave_the_message_to_the_caller() {
    assert_eq!(
        list_output(&OutputFormat::Human, opts(false, false), &[]),
        ""
    );
    assert_eq!(
        list_output(&OutputFormat::Name, opts(false, false), &[]),
        ""
    );
    assert_eq!(
        empty_message(&OutputFormat::Human, false, "default").as_deref(),
        Some("No resources found in default namespace.")
    );
    assert_eq!(
        empty_message(&OutputFormat::Wide, true, "default").as_deref(),
        Some("No resources found")
    );
    assert_eq!(empty_message(&OutputFormat::Json, false, "default"), None);
}

// ---------------------------------------------------------------------------------------
// Machine-readable lists

#[test]
fn name_list_streams_one_line_per_item() {
    let mut buffer = Vec::new();
    {
        let mut printer = list_printer(
            &OutputFormat::Name,
            opts(false, false),
            Box::new(&mut buffer),
        )
        .unwrap();
        printer.item(&ready()).unwrap();
        printer.item(&pending()).unwrap();
        printer.finish().unwrap();
    }
    assert_eq!(
        String::from_utf8(buffer).unwrap(),
        "tokenrequest.applicationconnector.kyma-project.io/my-app\n\
         tokenrequest.applicationconnector.kyma-project.io/pending-app\n"
    );
}

#[test]
fn json_list_streams_exactly_what_kubectl_prints_for_the_whole_list() {
    for count in [0, 1, all().len()] {
        let items = &all()[..count];
        let text = list_output(&OutputFormat::Json, opts(false, false), items);
        let whole = list_value(items.iter().map(|tr| object_value(tr).unwrap()).collect());
        assert_eq!(text, to_json(&whole).unwrap() + "\n");
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["items"].as_array().unwrap().len(), count);
    }
    assert_eq!(
        list_output(&OutputFormat::Json, opts(false, false), &[]),
        "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \
         \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
    );
}

#[test]
fn yaml_list_streams_kubectls_list_and_parses_back() {
    for count in [0, 1, all().len()] {
        let items = &all()[..count];
        let text = list_output(&OutputFormat::Yaml, opts(false, false), items);
        let whole = list_value(items.iter().map(|tr| object_value(tr).unwrap()).collect());
        assert_eq!(text, to_yaml(&whole).unwrap());
        let parsed: Value = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(parsed, whole);
    }
    assert_eq!(
        list_output(&OutputFormat::Yaml, opts(false, false), &[]),
        "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"
    );
    let text = list_output(&OutputFormat::Yaml, opts(false, false), &all()[1..2]);
    assert!(
        text.starts_with("apiVersion: v1\nitems:\n- apiVersion: applicationconnector"),
        "{text}"
    );
}

#[test]
fn yaml_list_keeps_multi_line_values() {
    let mut tr = pending();
    tr.metadata.annotations =
        Some([("note".to_string(), "line one\n  line two\n".to_string())].into());
    let text = list_output(
        &OutputFormat::Yaml,
        opts(false, false),
        &[tr.clone(), pending()],
    );
    let parsed: Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(parsed["items"][0], object_value(&tr).unwrap());
}

#[test]
fn jsonpath_list_applies_to_the_whole_list() {
    let names = format("jsonpath={.items[*].metadata.name}");
    assert_eq!(
        list_output(&names, opts(false, false), &all()),
        "my-app pending-app broken-app retry-app odd-app old-app"
    );
    let rows =
        format(r#"jsonpath={range .items[*]}{.metadata.name}{"\t"}{.status.state}{"\n"}{end}"#);
    assert_eq!(
        list_output(&rows, opts(false, false), &[ready(), failed()]),
        "my-app\tOK\nbroken-app\tError\n"
    );
    assert_eq!(list_output(&names, opts(false, false), &[]), "");
}

#[test]
fn credentials_formats_are_refused_for_lists() {
    for (format, name) in [
        (OutputFormat::Token, "token"),
        (OutputFormat::Url, "url"),
        (OutputFormat::Env, "env"),
    ] {
        let err = list_printer(&format, opts(false, false), Box::new(io::sink()))
            .err()
            .unwrap();
        assert!(matches!(err, OutputError::NotForLists { .. }));
        assert_eq!(
            err.to_string(),
            format!(
                "-o {name} prints one request's credentials and cannot print a list; use get NAME -o {name}"
            )
        );
        let err = watch_line("ADDED", &ready(), &format, &opts(false, false)).unwrap_err();
        assert!(matches!(err, OutputError::NotForLists { .. }));
    }
}

mod tables;
mod watch;
