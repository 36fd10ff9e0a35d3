//! `list -w`: one header, kubectl's event column and documents.

use super::*;

/// One watch line without `--output-watch-events`.
fn plain_line(
    kind: &str,
    tr: &TokenRequest,
    format: &OutputFormat,
    opts: &ListOptions,
) -> Result<String, OutputError> {
    WatchPrinter::new(format, *opts, ListLayout::default())?.event(kind, tr, opts.now)
}

fn events_layout() -> ListLayout {
    ListLayout {
        watch_events: true,
        ..ListLayout::default()
    }
}

#[test]
fn watch_rows_line_up_under_the_header() {
    let o = opts(false, false);
    let mut printer = WatchPrinter::new(&OutputFormat::Human, o, events_layout()).unwrap();
    let mut text = String::new();
    for (event, tr) in [
        ("ADDED", pending()),
        ("MODIFIED", ready()),
        ("DELETED", malformed()),
    ] {
        text.push_str(&printer.event(event, &tr, now()).unwrap());
    }
    // The header goes with the first change; each change after it keeps those widths.
    assert_eq!(
        text,
        "EVENT      NAME          STATE       EXPIRES     AGE\n\
         ADDED      pending-app   <pending>   <pending>   14s\n\
         MODIFIED   my-app        OK          in 4m12s    7m14s\n\
         DELETED    odd-app       Weird       <invalid>   <unknown>\n"
    );
    let mut wide =
        WatchPrinter::new(&OutputFormat::Wide, opts(true, false), events_layout()).unwrap();
    let wide_text = wide.event("ADDED", &ready(), now()).unwrap();
    let wide_header = wide_text.lines().next().unwrap().to_string() + "\n";
    assert!(
        wide_header.starts_with("EVENT      NAMESPACE          NAME "),
        "{wide_header}"
    );
    assert!(wide_header.ends_with("   URL-HOST\n"), "{wide_header}");
    let mut json = WatchPrinter::new(&OutputFormat::Json, o, events_layout()).unwrap();
    assert_eq!(json.initial(&[]).unwrap(), "", "no header for JSON");
}

#[test]
fn without_events_the_initial_rows_and_the_changes_share_one_header() {
    let mut printer = WatchPrinter::new(
        &OutputFormat::Human,
        opts(false, false),
        ListLayout::default(),
    )
    .unwrap();
    let mut text = printer.initial(&[ready(), pending()]).unwrap();
    let mut long = pending();
    long.metadata.name = Some("a-name-longer-than-thirty-characters".into());
    for tr in [failed(), long, ready()] {
        text.push_str(&printer.event("MODIFIED", &tr, now()).unwrap());
    }
    assert_eq!(
        text,
        "NAME          STATE       EXPIRES     AGE\n\
         my-app        OK          in 4m12s    7m14s\n\
         pending-app   <pending>   <pending>   14s\n\
         broken-app    Error       <none>      27h\n\
         a-name-longer-than-thirty-characters   <pending>   <pending>   14s\n\
         my-app                                 OK          in 4m12s    7m14s\n",
        "the header and the first rows are sized by their content; a wider name widens the \
         column for the lines after it, as kubectl's does"
    );
    assert_eq!(text.matches("NAME").count(), 1);
    assert!(!text.contains("EVENT") && !text.contains("ADDED"));

    let mut quiet = WatchPrinter::new(
        &OutputFormat::Human,
        opts(false, false),
        ListLayout {
            no_headers: true,
            ..ListLayout::default()
        },
    )
    .unwrap();
    let text = quiet.initial(&[ready()]).unwrap();
    assert!(text.starts_with("my-app   "), "{text}");
    assert_eq!(text.lines().count(), 1);
}

#[test]
fn an_empty_start_prints_the_header_with_the_first_change() {
    let mut printer = WatchPrinter::new(
        &OutputFormat::Human,
        opts(false, false),
        ListLayout::default(),
    )
    .unwrap();
    assert_eq!(printer.initial(&[]).unwrap(), "");
    let text = printer.event("ADDED", &ready(), now()).unwrap();
    assert!(text.starts_with("NAME "), "{text}");
    assert_eq!(text.lines().count(), 2);
}

#[test]
fn custom_columns_and_templates_read_the_event_with_output_watch_events() {
    let columns = format("custom-columns=N:.metadata.name,T:.type,O:.object.metadata.name");
    // What kubectl 1.32 printed for this spec against the sandbox.
    let mut printer = WatchPrinter::new(&columns, opts(false, false), events_layout()).unwrap();
    assert_eq!(
        printer.initial(&[ready()]).unwrap(),
        "N        T       O\n<none>   ADDED   my-app\n"
    );
    let template = format("jsonpath={.type} {.object.metadata.name};");
    let mut printer = WatchPrinter::new(&template, opts(false, false), events_layout()).unwrap();
    assert_eq!(
        printer.initial(&[ready(), pending()]).unwrap(),
        "ADDED my-app;ADDED pending-app;"
    );
    let mut plain = WatchPrinter::new(&columns, opts(false, false), ListLayout::default()).unwrap();
    assert_eq!(
        plain.initial(&[ready()]).unwrap(),
        "N        T        O\nmy-app   <none>   <none>\n"
    );
}

#[test]
fn json_and_yaml_events_are_kubectls_watch_events() {
    let mut json =
        WatchPrinter::new(&OutputFormat::Json, opts(false, false), events_layout()).unwrap();
    let line = json.event("DELETED", &pending(), now()).unwrap();
    assert!(
        line.starts_with("{\"type\":\"DELETED\",\"object\":{\"apiVersion\":"),
        "{line}"
    );
    assert!(
        line.ends_with("}}\n") && line.lines().count() == 1,
        "{line}"
    );
    let event: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(event["object"]["metadata"]["name"], "pending-app");

    let mut yaml =
        WatchPrinter::new(&OutputFormat::Yaml, opts(false, false), events_layout()).unwrap();
    let text = yaml.initial(&[pending(), failed()]).unwrap();
    assert!(text.starts_with("object:\n  apiVersion: "), "{text}");
    assert_eq!(text.matches("\ntype: ADDED\n").count(), 2, "{text}");
    assert_eq!(text.matches("---\n").count(), 1, "{text}");
}

#[test]
fn watch_prints_machine_formats_per_event() {
    let o = opts(false, false);
    let mut json = WatchPrinter::new(&OutputFormat::Json, o, ListLayout::default()).unwrap();
    assert_eq!(
        json.event("ADDED", &ready(), now()).unwrap(),
        render_one(&ready(), &OutputFormat::Json, now(), UrlView::Whole).unwrap()
    );
    // kubectl 1.32 separates YAML documents with `---`; none before the first.
    let mut yaml = WatchPrinter::new(&OutputFormat::Yaml, o, ListLayout::default()).unwrap();
    let mut stream = String::new();
    for tr in [ready(), pending()] {
        stream.push_str(&yaml.event("MODIFIED", &tr, now()).unwrap());
    }
    assert!(stream.starts_with("apiVersion: "), "{stream}");
    assert_eq!(stream.matches("---\n").count(), 1);
    assert!(stream.contains("\n---\napiVersion: "), "{stream}");
    assert_eq!(
        plain_line("DELETED", &ready(), &OutputFormat::Name, &o).unwrap(),
        "tokenrequest.applicationconnector.kyma-project.io/my-app\n"
    );
    assert_eq!(
        plain_line(
            "ADDED",
            &ready(),
            &format(r#"jsonpath={.metadata.name}{"\n"}"#),
            &o
        )
        .unwrap(),
        "my-app\n"
    );
}
