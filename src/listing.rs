//! What `list` and `get` print for several requests: the requests as they arrive (or, with
//! `--sort-by`, all of them first, then in order), in the format asked, and kubectl's
//! message when there were none.

use futures::{Stream, TryStreamExt as _};

use crate::error::Error;
use crate::output::{self, ListLayout, ListOptions, OutputError, OutputFormat, SortBy};
use crate::tokenrequest::TokenRequest;

/// How a list is printed.
pub struct Listing {
    pub format: OutputFormat,
    pub options: ListOptions,
    pub layout: ListLayout,
    pub sort_by: Option<SortBy>,
}

impl Listing {
    /// Prints the requests of `items` that `keep` keeps, on stdout; returns how many.
    pub async fn print(
        &self,
        items: impl Stream<Item = Result<TokenRequest, Error>>,
        keep: impl Fn(&TokenRequest) -> bool,
    ) -> Result<usize, Error> {
        let mut printer = output::list_printer_with(
            &self.format,
            self.options,
            self.layout.clone(),
            Box::new(std::io::stdout().lock()),
        )
        .map_err(printing)?;
        let items = items.try_filter(|request| std::future::ready(keep(request)));
        futures::pin_mut!(items);
        let mut printed = 0;
        match &self.sort_by {
            None => {
                while let Some(request) = items.try_next().await? {
                    printer.item(&request).map_err(printing)?;
                    printed += 1;
                }
            }
            Some(sort_by) => {
                let mut all: Vec<TokenRequest> = items.try_collect().await?;
                sort_by.sort(&mut all).map_err(printing)?;
                for request in &all {
                    printer.item(request).map_err(printing)?;
                }
                printed = all.len();
            }
        }
        printer.finish().map_err(printing)?;
        Ok(printed)
    }

    /// kubectl's "No resources found" on stderr, for the formats that print it.
    pub fn say_none_found(&self, namespace: &str) {
        if let Some(message) =
            output::empty_message(&self.format, self.options.all_namespaces, namespace)
        {
            eprintln!("{message}");
        }
    }
}

/// A format that cannot print a list never gets here (its parser refused it).
pub fn printing(source: OutputError) -> Error {
    Error::output("printing TokenRequests", source)
}
