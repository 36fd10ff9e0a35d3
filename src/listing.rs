//! What `list` and `get` print for several requests: the requests as they arrive, a page at a
//! time (or, with `--sort-by`, all of them first, then in order), in the format asked, and
//! kubectl's message when there were none.

use std::io::BufWriter;

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
    /// `--chunk-size`: the requests of a page (`None`: one call, one page). The printer is
    /// handed a block per this many requests printed (a page of the API, but where `keep`
    /// leaves some out), so a table holds no more than one page of rows.
    pub page_size: Option<u32>,
}

impl Listing {
    /// Prints the requests of `items` that `keep` keeps, on stdout; returns how many. Each
    /// block is written (and stdout flushed) before the next page is asked for; stdout is
    /// written through a buffer of this run's own, not a lock held across the awaits.
    pub async fn print(
        &self,
        items: impl Stream<Item = Result<TokenRequest, Error>> + Send,
        keep: impl Fn(&TokenRequest) -> bool + Send + Sync,
    ) -> Result<usize, Error> {
        let mut printer = output::list_printer_with(
            &self.format,
            self.options,
            self.layout.clone(),
            Box::new(BufWriter::new(std::io::stdout())),
        )
        .map_err(printing)?;
        let items = items.try_filter(|request| std::future::ready(keep(request)));
        futures::pin_mut!(items);
        let page_size = self.page_size.map_or(usize::MAX, |size| size as usize);
        let mut printed = 0;
        match &self.sort_by {
            None => {
                while let Some(request) = items.try_next().await? {
                    printer.item(&request).map_err(printing)?;
                    printed += 1;
                    if printed % page_size == 0 {
                        printer.end_block().map_err(printing)?;
                    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A list is printed from a task that may move between threads (no stdout lock is held
    /// across its awaits), as commands running side by side need.
    #[tokio::test(flavor = "multi_thread")]
    async fn printing_a_list_runs_on_any_thread() {
        let listing = Listing {
            format: OutputFormat::Name,
            options: ListOptions {
                all_namespaces: false,
                now: jiff::Timestamp::now(),
                color: false,
            },
            layout: ListLayout::default(),
            sort_by: None,
            page_size: Some(2),
        };
        let printed = tokio::spawn(async move {
            let none = futures::stream::empty::<Result<TokenRequest, Error>>();
            listing.print(none, |_| true).await
        });
        assert_eq!(printed.await.unwrap().unwrap(), 0);
    }
}
