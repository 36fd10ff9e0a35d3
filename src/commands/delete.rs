//! `kubectl tokenrequest delete NAME... | --all | -l SELECTOR`.

use futures::TryStreamExt as _;

use crate::cli::{DeleteArgs, DryRun};
use crate::error::Error;
use crate::requests::{Connection, Deletion, Guard, Requests};
use crate::terminal::print;
use crate::tokenrequest::{RESOURCE_NAME, validate_name};

pub async fn run(connection: &Connection, args: DeleteArgs) -> Result<(), Error> {
    // A name no request can have is refused before it reaches a URL.
    for name in &args.names {
        validate_name(name).map_err(Error::InvalidInput)?;
    }
    let requests = Requests::namespaced(connection);
    let namespace = requests.namespace().to_string();
    // By name, whatever has it; with --all or -l, each listed request as listed (its uid), so
    // one recreated since the list survives.
    let targets: Vec<(String, Guard)> = if args.all || args.selector.is_some() {
        requests
            .items(Requests::list_params(
                args.chunks.limit(),
                args.selector.as_deref(),
            ))
            .map_ok(|request| {
                let uid = request.metadata.uid.clone().unwrap_or_default();
                (request.name().to_string(), Guard::Uid(uid))
            })
            .try_collect()
            .await?
    } else {
        args.names
            .iter()
            .map(|name| (name.clone(), Guard::None))
            .collect()
    };
    let only_names = args.output.is_some();
    let suffix = match args.dry_run.mode {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    let mut failures = Vec::new();
    for (name, guard) in &targets {
        let action = || format!("deleting TokenRequest {namespace}/{name}");
        let result = if args.dry_run.mode == DryRun::Client {
            requests.get(name, None).await.map(|found| match found {
                Some(_) => Deletion::Done,
                None => Deletion::Missing,
            })
        } else {
            let dry_run = args.dry_run.mode == DryRun::Server;
            requests.delete(&namespace, name, guard, dry_run).await
        };
        match result {
            Ok(Deletion::Done | Deletion::Gone) if only_names => {
                print(&format!("{RESOURCE_NAME}/{name}\n"))?
            }
            Ok(Deletion::Done | Deletion::Gone) => {
                print(&format!("{RESOURCE_NAME}/{name} deleted{suffix}\n"))?
            }
            Ok(Deletion::Missing) if args.ignore_not_found => {}
            Ok(Deletion::Missing) => failures.push(Error::NotFound {
                action: action(),
                name: name.clone(),
            }),
            Ok(Deletion::Changed) => failures.push(Error::ReplacedMeanwhile { action: action() }),
            Err(failure) => failures.push(requests.fail(action(), failure)),
        }
    }
    if targets.is_empty() {
        eprintln!("No resources found in {namespace} namespace.");
    }
    if targets.len() == 1 && failures.len() == 1 {
        return Err(failures.remove(0));
    }
    for failure in &failures {
        eprintln!("error: {failure}");
    }
    match failures.len() {
        0 => Ok(()),
        failed => Err(Error::SomeFailed {
            failed,
            of: targets.len(),
        }),
    }
}
