//! kubectl's printing flags on tables: `--no-headers`, `-L`, `--show-labels`, custom columns;
//! and `-o jsonpath-as-json` over a list.

use super::*;

fn layout_output(format: &OutputFormat, layout: ListLayout, items: &[TokenRequest]) -> String {
    let mut buffer = Vec::new();
    let mut printer =
        list_printer_with(format, opts(false, false), layout, Box::new(&mut buffer)).unwrap();
    for tr in items {
        printer.item(tr).unwrap();
    }
    printer.finish().unwrap();
    String::from_utf8(buffer).unwrap()
}

fn labelled(mut tr: TokenRequest, labels: &[(&str, &str)]) -> TokenRequest {
    tr.metadata.labels = Some(
        labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    tr
}

#[test]
fn no_headers_drops_the_header_line_only() {
    let layout = ListLayout {
        no_headers: true,
        ..ListLayout::default()
    };
    let with = list_output(&OutputFormat::Human, opts(false, false), &all());
    let without = layout_output(&OutputFormat::Human, layout.clone(), &all());
    assert_eq!(without, with.split_once('\n').unwrap().1);
    // A short column is still 6 wide, as kubectl's tabwriter makes it.
    let columns = format("custom-columns=N:.metadata.name,S:.status.state");
    let mut short = pending();
    short.metadata.name = Some("a".into());
    assert_eq!(layout_output(&columns, layout, &[short]), "a     <none>\n");
}

#[test]
fn label_columns_and_show_labels_come_last_as_kubectls() {
    let items = [
        labelled(
            ready(),
            &[("app", "a10"), ("team.example.com/tier", "t-a10")],
        ),
        pending(),
    ];
    let layout = ListLayout {
        show_labels: true,
        label_columns: vec!["app".into(), "team.example.com/tier".into(), "nope".into()],
        ..ListLayout::default()
    };
    assert_eq!(
        layout_output(&OutputFormat::Human, layout, &items),
        "NAME          STATE       EXPIRES     AGE     APP   TIER    NOPE   LABELS\n\
         my-app        OK          in 4m12s    7m14s   a10   t-a10          app=a10,team.example.com/tier=t-a10\n\
         pending-app   <pending>   <pending>   14s                          <none>\n"
    );
}

#[test]
fn custom_columns_print_like_kubectl() {
    let items = [
        labelled(
            ready(),
            &[("app", "a10"), ("team.example.com/tier", "t-a10")],
        ),
        pending(),
    ];
    // The layout kubectl 1.32 printed for this spec against the sandbox.
    let columns =
        format("custom-columns=N:.metadata.name,L:.metadata.labels,S:.status.state,X:.nope");
    assert_eq!(
        layout_output(&columns, ListLayout::default(), &items),
        "N             L                                          S        X\n\
         my-app        map[app:a10 team.example.com/tier:t-a10]   OK       <none>\n\
         pending-app   <none>                                     <none>   <none>\n"
    );
    // kubectl prints the header even for no rows, and no "No resources found".
    assert_eq!(
        layout_output(&columns, ListLayout::default(), &[]),
        "N     L     S     X\n"
    );
    assert_eq!(empty_message(&columns, false, "default"), None);
    // The token shows only where a column asks for it.
    let names = layout_output(
        &format("custom-columns=N:.metadata.name"),
        ListLayout::default(),
        &all(),
    );
    assert_no_token(&names);
    let tokens = layout_output(
        &format("custom-columns=T:.status.token"),
        ListLayout::default(),
        &[ready()],
    );
    assert!(tokens.contains(TOKEN));
    // One request (get NAME -o custom-columns without a list) is the same table.
    assert_eq!(
        render_one(
            &pending(),
            &format("custom-columns=NAME:.metadata.name"),
            now(),
            UrlView::Masked
        )
        .unwrap(),
        "NAME\npending-app\n"
    );
}

#[test]
fn custom_column_specs_are_checked_when_parsed() {
    for (text, message) in [
        ("custom-columns", "no custom columns given"),
        ("custom-columns=", "no custom columns given"),
        ("custom-columns=X", "unexpected custom-columns spec: X"),
        ("custom-columns=X:{.a}{.b}", "unexpected path string"),
    ] {
        let err = text.parse::<OutputFormat>().unwrap_err();
        assert!(err.to_string().contains(message), "{text}: {err}");
    }
}

#[test]
fn jsonpath_as_json_applies_to_the_whole_list() {
    let text = list_output(
        &format("jsonpath-as-json={.items[*].metadata.name}"),
        opts(false, false),
        &all()[..2],
    );
    assert_eq!(text, "[\n    \"my-app\",\n    \"pending-app\"\n]\n");
    assert_eq!(
        render_one(
            &pending(),
            &format("jsonpath-as-json={.metadata.name}{.nope}"),
            now(),
            UrlView::Whole
        )
        .unwrap(),
        "[\n    \"pending-app\"\n]\n[]\n"
    );
    let strict = format("jsonpath-as-json={.nope}").allow_missing_keys(false);
    assert!(render_one(&pending(), &strict, now(), UrlView::Whole).is_err());
}

#[test]
fn missing_template_keys_print_nothing_unless_asked_to_fail() {
    let template = format("jsonpath=[{.status.token}]");
    assert_eq!(
        render_one(&pending(), &template, now(), UrlView::Whole).unwrap(),
        "[]"
    );
    let strict = template.allow_missing_keys(false);
    let err = render_one(&pending(), &strict, now(), UrlView::Whole).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"error executing jsonpath "[{.status.token}]": status is not found"#
    );
}

/// A writer whose text the test reads while the printer still holds it.
#[derive(Clone, Default)]
struct Recorded(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Recorded {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl io::Write for Recorded {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn named(name: &str) -> TokenRequest {
    let mut tr = pending();
    tr.metadata.name = Some(name.into());
    tr
}

#[test]
fn tables_are_written_a_block_at_a_time_and_columns_never_narrow() {
    let written = Recorded::default();
    let mut printer = list_printer(
        &OutputFormat::Human,
        opts(false, false),
        Box::new(written.clone()),
    )
    .unwrap();
    printer.item(&named("a")).unwrap();
    printer.item(&named("b")).unwrap();
    assert_eq!(written.text(), "", "a block is laid out when it ends");
    printer.end_block().unwrap();
    let first = "NAME   STATE       EXPIRES     AGE\n\
                 a      <pending>   <pending>   14s\n\
                 b      <pending>   <pending>   14s\n";
    assert_eq!(
        written.text(),
        first,
        "the first block, sized by itself, is written before the second is seen"
    );
    printer.item(&named("a-longer-name")).unwrap();
    printer.end_block().unwrap();
    let second = "a-longer-name   <pending>   <pending>   14s\n";
    assert_eq!(
        written.text(),
        format!("{first}{second}"),
        "a wider block widens"
    );
    printer.end_block().unwrap();
    printer.item(&named("c")).unwrap();
    printer.finish().unwrap();
    assert_eq!(
        written.text(),
        format!("{first}{second}c               <pending>   <pending>   14s\n"),
        "a narrower block keeps the widths; an empty block writes nothing"
    );
}

#[test]
fn one_block_of_every_row_is_the_whole_table() {
    let items = all();
    let whole = list_output(&OutputFormat::Wide, opts(true, false), &items);
    let written = Recorded::default();
    let mut printer = list_printer(
        &OutputFormat::Wide,
        opts(true, false),
        Box::new(written.clone()),
    )
    .unwrap();
    for tr in &items {
        printer.item(tr).unwrap();
    }
    printer.end_block().unwrap();
    assert_eq!(written.text(), whole);
    printer.finish().unwrap();
    assert_eq!(written.text(), whole, "nothing is left for the end");

    // Without a header, over no rows but for custom columns' header, as before.
    let columns = format("custom-columns=N:.metadata.name");
    let written = Recorded::default();
    let mut printer =
        list_printer(&columns, opts(false, false), Box::new(written.clone())).unwrap();
    printer.end_block().unwrap();
    assert_eq!(
        written.text(),
        "",
        "the header waits for the first row or the end"
    );
    printer.finish().unwrap();
    assert_eq!(written.text(), "N\n");
}
