//! `kubectl tokenrequest delete NAME... | --all`.

use kube::api::{DeleteParams, ListParams};

use futures::TryStreamExt;

use super::{list_pages, namespaced_api, print};
use crate::cli::{DeleteArgs, DryRun};
use crate::client::Connection;
use crate::error::{Error, status_of};
use crate::output::OutputFormat;
use crate::tokenrequest::{RESOURCE_NAME, TokenRequest, validate_name};

pub async fn run(connection: &Connection, args: DeleteArgs) -> Result<(), Error> {
    // A name no request can have is refused before it reaches a URL.
    for name in &args.names {
        validate_name(name).map_err(Error::InvalidInput)?;
    }
    let api = namespaced_api(connection);
    let namespace = &connection.namespace;
    let names = if args.all {
        all_names(&api, namespace).await?
    } else {
        args.names.clone()
    };
    let only_names = match &args.output {
        None => false,
        Some(OutputFormat::Name) => true,
        Some(_) => {
            return Err(Error::Usage("delete supports only -o name".to_string()));
        }
    };
    let suffix = match args.dry_run.mode {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    let params = DeleteParams {
        dry_run: args.dry_run.mode == DryRun::Server,
        ..DeleteParams::default()
    };
    let mut failures = Vec::new();
    for name in &names {
        let action = || format!("deleting TokenRequest {namespace}/{name}");
        let result = if args.dry_run.mode == DryRun::Client {
            api.get(name).await.map(|_| ())
        } else {
            api.delete(name, &params).await.map(|_| ())
        };
        match result {
            Ok(()) if only_names => print(&format!("{RESOURCE_NAME}/{name}\n"))?,
            Ok(()) => print(&format!("{RESOURCE_NAME}/{name} deleted{suffix}\n"))?,
            Err(error)
                if args.ignore_not_found
                    && status_of(&error)
                        .is_some_and(|s| s.code == 404 && s.reason == "NotFound") => {}
            Err(error) => failures.push(Error::api(action(), error)),
        }
    }
    if names.is_empty() {
        eprintln!("No resources found in {namespace} namespace.");
    }
    if names.len() == 1 && failures.len() == 1 {
        return Err(failures.remove(0));
    }
    for failure in &failures {
        eprintln!("error: {failure}");
    }
    match failures.len() {
        0 => Ok(()),
        n => Err(Error::InvalidInput(format!(
            "{n} of {} TokenRequests could not be deleted (see above)",
            names.len()
        ))),
    }
}

async fn all_names(api: &kube::Api<TokenRequest>, namespace: &str) -> Result<Vec<String>, Error> {
    let params = ListParams::default().limit(500);
    list_pages(api.clone(), params, namespace.to_string())
        .map_ok(|request| request.name().to_string())
        .try_collect()
        .await
}
