//! What `cleanup` tells: a line (or `-o name|json` entry) per deleted request on stdout, and
//! one summary line on stderr.

use std::io::BufWriter;

use jiff::Timestamp;

use crate::cli::DryRun;
use crate::error::Error;
use crate::output::{self, ListOptions, ListPrinter, OutputFormat};
use crate::terminal::print;
use crate::tokenrequest::{RESOURCE_NAME, TokenRequest};

#[derive(Default)]
pub(super) struct Tally {
    pub(super) listed: u64,
    pub(super) deleted: u64,
    pub(super) already_gone: u64,
    /// 409 on the precondition.
    pub(super) changed: u64,
    /// An expiry that is not a timestamp.
    pub(super) unjudgeable: u64,
    pub(super) failed: u64,
}

impl Tally {
    pub(super) fn matched(&self) -> u64 {
        self.deleted + self.changed + self.failed
    }

    fn skipped(&self) -> u64 {
        self.changed + self.unjudgeable
    }

    /// The one line on stderr at the end, e.g. `cleanup: 3 deleted, 1 skipped (1 changed since
    /// listed), 0 failed; 10 TokenRequests listed in namespace default`.
    pub(super) fn summary(&self, dry_run: DryRun, scope: &str) -> String {
        let deleted = match dry_run {
            DryRun::None => "deleted",
            DryRun::Client => "would be deleted (dry run)",
            DryRun::Server => "deleted (server dry run)",
        };
        let mut gone = String::new();
        if self.already_gone > 0 {
            gone = format!(" ({} already gone)", self.already_gone);
        }
        let mut why_skipped = Vec::new();
        if self.changed > 0 {
            why_skipped.push(format!("{} changed since listed", self.changed));
        }
        if self.unjudgeable > 0 {
            why_skipped.push(format!("{} with an unreadable expiry", self.unjudgeable));
        }
        let why_skipped = if why_skipped.is_empty() {
            String::new()
        } else {
            format!(" ({})", why_skipped.join(", "))
        };
        format!(
            "cleanup: {} {deleted}{gone}, {} skipped{why_skipped}, {} failed; {} TokenRequest{} \
             listed in {scope}",
            self.deleted,
            self.skipped(),
            self.failed,
            self.listed,
            if self.listed == 1 { "" } else { "s" },
        )
    }
}

/// How deleted requests appear on stdout.
pub(super) enum Printer {
    /// `TYPE/NAME deleted (why)`, like `kubectl delete`.
    Lines { all_namespaces: bool },
    /// `-o name` / `-o json`: the list printers `list` uses.
    List(Box<dyn ListPrinter>),
}

impl Printer {
    pub(super) fn new(format: Option<&OutputFormat>, all_namespaces: bool) -> Result<Self, Error> {
        let Some(format) = format else {
            return Ok(Printer::Lines { all_namespaces });
        };
        let options = ListOptions {
            all_namespaces,
            now: Timestamp::now(),
            color: false,
        };
        // A buffer of its own rather than stdout's lock, which would be held across awaits.
        let out = Box::new(BufWriter::new(std::io::stdout()));
        let printer = output::list_printer(format, options, out).map_err(printing)?;
        Ok(Printer::List(printer))
    }

    pub(super) fn deleted(
        &mut self,
        request: &TokenRequest,
        reason: &str,
        dry_run: DryRun,
    ) -> Result<(), Error> {
        match self {
            Printer::Lines { all_namespaces } => {
                let place = if *all_namespaces {
                    format!(" from namespace {}", request.namespace())
                } else {
                    String::new()
                };
                let mode = match dry_run {
                    DryRun::None => "",
                    DryRun::Client => "dry run; ",
                    DryRun::Server => "server dry run; ",
                };
                print(&format!(
                    "{RESOURCE_NAME}/{} deleted{place} ({mode}{reason})\n",
                    request.name()
                ))
            }
            // Each deleted request is written out as soon as it is known.
            Printer::List(printer) => {
                printer.item(request).map_err(printing)?;
                printer.end_block().map_err(printing)
            }
        }
    }

    pub(super) fn finish(self) -> Result<(), Error> {
        match self {
            Printer::Lines { .. } => Ok(()),
            Printer::List(printer) => printer.finish().map_err(printing),
        }
    }
}

fn printing(source: output::OutputError) -> Error {
    Error::output("printing the cleaned-up TokenRequests".to_string(), source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_names_every_count() {
        let tally = Tally {
            listed: 10,
            deleted: 3,
            already_gone: 1,
            changed: 1,
            unjudgeable: 2,
            failed: 1,
        };
        assert_eq!(
            tally.summary(DryRun::None, "namespace default"),
            "cleanup: 3 deleted (1 already gone), 3 skipped (1 changed since listed, 2 with an \
             unreadable expiry), 1 failed; 10 TokenRequests listed in namespace default"
        );
        assert_eq!(
            Tally::default().summary(DryRun::Client, "all namespaces"),
            "cleanup: 0 would be deleted (dry run), 0 skipped, 0 failed; 0 TokenRequests listed \
             in all namespaces"
        );
    }
}
