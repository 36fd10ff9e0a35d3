//! The `Examples:` sections of `--help`, in kubectl's style.

pub(super) const EXAMPLES_CREATE: &str = "\
Examples:
  # Request a token for the Application my-app and print the connection URL
  kubectl tokenrequest create my-app

  # Only the URL, for scripts
  URL=$(kubectl tokenrequest create my-app -o url)

  # Replace an existing request with a fresh one, in another namespace
  kubectl tokenrequest create my-app --refresh -n integration

  # Export name, token, URL and expiry into the shell (and the programs it starts); in two
  # steps, so that a failed create stops a set -e script (eval \"$(...)\" would succeed)
  env=$(kubectl tokenrequest create my-app -o env)
  eval \"$env\"

  # Label the request, so list -l, delete -l and cleanup -l find it
  kubectl tokenrequest create my-app -l team=payments,env=ci";

pub(super) const EXAMPLES_GET: &str = "\
Examples:
  # Show a request
  kubectl tokenrequest get my-app

  # Wait until the controller has answered, then print the URL
  kubectl tokenrequest get my-app --wait -o jsonpath='{.status.url}'

  # Several requests, as a table
  kubectl tokenrequest get my-app other-app

  # Every request in every namespace, with the columns you choose
  kubectl tokenrequest get -A -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name";

pub(super) const EXAMPLES_CONNECT: &str = "\
Examples:
  # Connect the external system my-app: key, certificates and connection.yaml in ./my-app
  kubectl tokenrequest connect my-app

  # A Connector Service with a private CA, files into another directory
  kubectl tokenrequest connect my-app --certificate-authority ca.crt --out-dir /etc/my-app

  # The token was used already: request a fresh one and replace the old files
  kubectl tokenrequest connect my-app --refresh --force

  # Only show the connection configuration (this uses the token up)
  kubectl tokenrequest create my-app -o config";

pub(super) const EXAMPLES_INSPECT: &str = "\
Examples:
  # What ./my-app holds, and whether the Connector Service still accepts it
  kubectl tokenrequest inspect ./my-app

  # In a scheduled job: fail when less than 30 days are left
  kubectl tokenrequest inspect /etc/my-app --min-validity 30d

  # Only the files, as JSON
  kubectl tokenrequest inspect ./my-app --offline -o json";

pub(super) const EXAMPLES_RENEW: &str = "\
Examples:
  # Renew the certificate in ./my-app with a new key
  kubectl tokenrequest renew ./my-app

  # From cron: renew only when less than 30 days are left, keeping the key
  kubectl tokenrequest renew /etc/my-app --before 30d --reuse-key";

pub(super) const EXAMPLES_REVOKE: &str = "\
Examples:
  # Revoke the certificate in ./my-app (asks first)
  kubectl tokenrequest revoke ./my-app

  # Without asking, e.g. in a script retiring the external system
  kubectl tokenrequest revoke /etc/my-app --yes";

pub(super) const EXAMPLES_LIST: &str = "\
Examples:
  # Requests in the current namespace
  kubectl tokenrequest list

  # All namespaces, with application, tenant, group and URL host
  kubectl tokenrequest list -A -o wide

  # Names of expired requests, for scripts
  kubectl tokenrequest list --expired -o name

  # Soonest to expire first, without the header, with the team label as a column
  kubectl tokenrequest list --sort-by=.status.expireAfter --no-headers -L team

  # Follow changes, saying what happened to each request, until 5 minutes have passed
  kubectl tokenrequest list -w --output-watch-events --request-timeout 5m";

pub(super) const EXAMPLES_DELETE: &str = "\
Examples:
  # Delete one request
  kubectl tokenrequest delete my-app

  # Delete every request in the namespace
  kubectl tokenrequest delete --all -n integration

  # Delete the requests a CI job labelled
  kubectl tokenrequest delete -l job=1234";

pub(super) const EXAMPLES_CLEANUP: &str = "\
Examples:
  # Delete expired requests in the current namespace
  kubectl tokenrequest cleanup

  # See what would go in every namespace, counting also requests nobody answered for an hour
  kubectl tokenrequest cleanup -A --stale 1h --errored --dry-run

  # Only requests expired for more than 10 minutes, names on stdout
  kubectl tokenrequest cleanup -l team=payments --grace 10m -o name";

pub(super) const EXAMPLES_DOCTOR: &str = "\
Examples:
  # Will TokenRequests work here, and if not, why?
  kubectl tokenrequest doctor

  # Also check that the Application my-app exists, in the namespace integration
  kubectl tokenrequest doctor my-app -n integration

  # Create a probe request, wait up to a minute for the controller, then delete it
  kubectl tokenrequest doctor --probe --timeout 1m

  # The checks as JSON, for CI (exit 1 when a check fails)
  kubectl tokenrequest doctor -o json | jq '.[] | select(.status == \"fail\")'

Exit codes: 0 when no check fails (ok, warn and skip only), 1 when one does, 2 usage error, 130
interrupted (the probe request is deleted first).";

pub(super) const EXAMPLES_COMPLETION: &str = "\
Examples:
  # Let kubectl complete `kubectl tokenrequest ...` (kubectl 1.26 or later)
  kubectl tokenrequest completion install-kubectl-shim

  # Complete the kubectl-tokenrequest command in bash
  source <(kubectl tokenrequest completion bash)";

pub(super) const EXAMPLES_COMPLETION_BASH: &str = "\
Examples:
  # Load in the current shell
  source <(kubectl tokenrequest completion bash)

  # Load in every new shell
  kubectl tokenrequest completion bash > ~/.local/share/bash-completion/completions/kubectl-tokenrequest";

pub(super) const EXAMPLES_COMPLETION_ZSH: &str = "\
Examples:
  # Install into the first directory of fpath (then start a new shell)
  kubectl tokenrequest completion zsh > \"${fpath[1]}/_kubectl-tokenrequest\"";

pub(super) const EXAMPLES_COMPLETION_FISH: &str = "\
Examples:
  # Install for the current user
  kubectl tokenrequest completion fish > ~/.config/fish/completions/kubectl-tokenrequest.fish";

pub(super) const EXAMPLES_COMPLETION_POWERSHELL: &str = "\
Examples:
  # Load in the current session (add the line to $PROFILE to keep it)
  kubectl tokenrequest completion powershell | Out-String | Invoke-Expression";

pub(super) const EXAMPLES_COMPLETION_ELVISH: &str = "\
Examples:
  # Install as a module, then add `use kubectl-tokenrequest` to ~/.config/elvish/rc.elv
  kubectl tokenrequest completion elvish > ~/.config/elvish/lib/kubectl-tokenrequest.elv";

pub(super) const EXAMPLES_INSTALL_SHIM: &str = "\
Examples:
  # Next to the plugin (for a krew install: into ~/.krew/bin)
  kubectl tokenrequest completion install-kubectl-shim

  # Into a directory of your choice that is on PATH
  kubectl tokenrequest completion install-kubectl-shim --dir ~/.local/bin";
