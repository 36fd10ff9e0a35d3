//! `kubectl tokenrequest delete NAME... | --all | -l SELECTOR`.

use futures::TryStreamExt as _;

use crate::cli::{DeleteArgs, DryRun};
use crate::error::Error;
use crate::output::{ItemResult, Made, Outcome, OutputFormat};
use crate::present::print_results;
use crate::requests::{Connection, Deadline, Deletion, Guard, RequestError, Requests, list_params};
use crate::terminal::print;
use crate::tokenrequest::{RESOURCE_NAME, validate_name};

pub async fn run(connection: &Connection, args: DeleteArgs) -> Result<(), Error> {
    // A name no request can have is refused before it reaches a URL.
    for name in &args.names {
        validate_name(name).map_err(Error::InvalidName)?;
    }
    let requests = Requests::new(connection);
    let namespace = requests.namespace().to_string();
    // By name, whatever has it; with --all or -l, each listed request as listed (its uid), so
    // one recreated since the list survives.
    let targets: Vec<(String, Option<Guard>)> = if args.all || args.selector.is_some() {
        let params = list_params(args.chunks.limit(), args.selector.as_deref(), None);
        requests
            .scoped(false)
            .items(params)
            .map_ok(|request| (request.name().to_string(), Guard::this_object(&request)))
            .try_collect()
            .await?
    } else {
        args.names
            .iter()
            .map(|name| (name.clone(), Some(Guard::None)))
            .collect()
    };
    // `-o json|yaml`: what was deleted (and what failed) as results, at the end.
    let results_asked = matches!(args.output, Some(OutputFormat::Json | OutputFormat::Yaml));
    let only_names = args.output.is_some();
    let mut results = Vec::new();
    let suffix = match args.dry_run.mode {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    let mut failures = Vec::new();
    for (name, guard) in &targets {
        let action = || format!("deleting TokenRequest {namespace}/{name}");
        let result = match guard {
            None => Err(RequestError::Unidentified {
                action: action(),
                missing: "uid",
            }),
            Some(_) if args.dry_run.mode == DryRun::Client => requests
                .get(name, Deadline::none())
                .await
                .map(|found| match found {
                    Some(_) => Deletion::Done,
                    None => Deletion::Missing,
                }),
            Some(guard) => {
                let dry_run = args.dry_run.mode == DryRun::Server;
                requests.delete(name, guard, dry_run).await
            }
        };
        let failure: Error = match result {
            Ok(Deletion::Done | Deletion::Gone) => {
                if results_asked {
                    results.push(ItemResult::new(name, &namespace, Outcome::Deleted, name));
                } else if only_names {
                    print(&format!("{RESOURCE_NAME}/{name}\n"))?;
                } else {
                    print(&format!("{RESOURCE_NAME}/{name} deleted{suffix}\n"))?;
                }
                continue;
            }
            Ok(Deletion::Missing) if args.ignore_not_found => continue,
            Ok(Deletion::Missing) => Error::NotFound {
                action: action(),
                name: name.clone(),
            },
            Ok(Deletion::Changed) => RequestError::ReplacedMeanwhile { action: action() }.into(),
            Err(error) => error.into(),
        };
        if results_asked {
            results.push(ItemResult {
                exit_code: failure.exit_code(),
                error: Some(failure.to_string()),
                ..ItemResult::new(name, &namespace, Outcome::Failed, name)
            });
        }
        failures.push(failure);
    }
    if let Some(format) = args.output.as_ref().filter(|_| results_asked) {
        print_results(&results, Made::Requests, format, false)?;
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
