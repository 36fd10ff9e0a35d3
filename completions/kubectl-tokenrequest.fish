# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_tokenrequest_global_optspecs
    string join \n kubeconfig= context= cluster= user= n/namespace= request-timeout= insecure-skip-tls-verify= v/v= h/help V/version
end

function __fish_kubectl_tokenrequest_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_tokenrequest_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_tokenrequest_using_subcommand
    set -l cmd (__fish_kubectl_tokenrequest_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -s h -l help -d 'Print help'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -f -a "create" -d 'Create a TokenRequest for an Application, wait for its token and print it'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -f -a "get" -d 'Show one TokenRequest, or several (or all) as a table'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -f -a "connect" -d 'Get a client certificate for an Application: request a token, send a CSR, write the key, certificates and connection.yaml, and check them against the Connector Service'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -f -a "list" -d 'List TokenRequests'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -f -a "ls" -d 'List TokenRequests'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -f -a "delete" -d 'Delete TokenRequests'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -f -a "cleanup" -d 'Delete expired TokenRequests (and, if asked, stale or errored ones)'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -f -a "inspect" -d 'Show what a connection directory holds (subject, serial, validity, key) and whether the Connector Service still accepts its certificate'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -f -a "renew" -d 'Renew a connection\'s client certificate over mTLS and replace its files'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -f -a "revoke" -d 'Revoke a connection\'s client certificate and mark its files as revoked'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -f -a "doctor" -d 'Check whether TokenRequests work on this cluster, and if not, why: the connection, the API, your rights, the controller, an Application, and (with --probe) a real request'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -f -a "completion" -d 'Print a shell completion script, or install kubectl\'s completion helper'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -s f -l filename -d 'TokenRequest manifests to read (YAML, one or several documents, JSON, or a List; - for stdin); repeatable. Their namespace, context, labels and annotations are kept, their status ignored; every document is checked before anything is created' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l tenant -d 'Tenant for the Connector Service\'s central mode (needs --group), for the APP names' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l group -d 'Group for the Connector Service\'s central mode (needs --tenant), for the APP names' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -s l -l labels -d 'Labels of the new request, as key=value pairs separated by commas (e.g. team=payments,env=ci), or repeated (-l team=payments -l env=ci); list -l, delete -l and cleanup -l select on them' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l concurrency -d 'With several Applications: how many are worked on at once' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l timeout -d 'How long the command may take in all (e.g. 60s, 2m): the create, the wait for the controller and the Connector Service calls. 0 waits for nothing, and is refused where the command needs an answer (connect, doctor, -o token|url|env|config)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l no-wait -d 'Return as soon as the request is created, without waiting for the token' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l refresh -d 'Delete an existing request of that name first and request a fresh token' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l require-application -d 'Refuse to request a token unless the Application is known to exist (a missing one, or one that cannot be checked, is an error); without it a missing one is a warning' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l create-application -d 'Create the (cluster-scoped) Application first when it does not exist, with no services; an existing one is left as it is. Needs `create` on applications.applicationconnector.kyma-project.io cluster-wide; a refused create fails before any token is requested. Satisfies --require-application' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l dry-run -d 'Only show (client) or let the server validate (server) what would change; nothing is stored' -r -f -a "client\t'Only print what would be sent'
server\t'Let the API server validate the request without storing it'
none\t'Really do it (the default)'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -s o -l output -d 'Output format (default: a summary); config and config-json fetch the connection configuration, which uses the token up' -r -f -a "url\t'the bare connection URL (it carries the token)'
token\t'the bare token'
env\t'export lines for eval: name, namespace, token, URL, expiry, state'
json\t'the object as JSON'
yaml\t'the object as YAML'
name\t'TYPE/NAME, for other commands'
jsonpath\t'jsonpath=TEMPLATE, as kubectl\'s'
jsonpath-file\t'jsonpath-file=FILE: the template in FILE'
jsonpath-as-json\t'jsonpath-as-json=TEMPLATE: each result as a JSON array'
config\t'the connection configuration behind the URL, as YAML (uses the token up)'
config-json\t'the connection configuration as JSON (uses the token up)'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l allow-missing-template-keys -d 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l certificate-authority -d 'PEM file with the Connector Service\'s CA certificate, trusted besides the system\'s CAs' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l insecure-skip-tls-verify-connector -d 'Do not check the Connector Service\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand create" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -s A -l all-namespaces -d 'List the requests in all namespaces (no NAME)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -s l -l selector -d 'Label selector to filter on (e.g. app=foo,tier!=x)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l field-selector -d 'Field selector to filter on; the API server supports metadata.name and metadata.namespace with =, == and != (e.g. metadata.name!=old-app)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l wait -d 'Wait for the controller to fill in the status, as create does (one NAME)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l timeout -d 'How long the command may take in all (e.g. 60s, 2m): the create, the wait for the controller and the Connector Service calls. 0 waits for nothing, and is refused where the command needs an answer (connect, doctor, -o token|url|env|config)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -s o -l output -d 'Output format (default: a summary of one request, a table of several); config and config-json fetch the connection configuration, which uses the token up' -r -f -a "url\t'the bare connection URL (it carries the token)'
token\t'the bare token'
env\t'export lines for eval: name, namespace, token, URL, expiry, state'
json\t'the object as JSON'
yaml\t'the object as YAML'
name\t'TYPE/NAME, for other commands'
jsonpath\t'jsonpath=TEMPLATE, as kubectl\'s'
jsonpath-file\t'jsonpath-file=FILE: the template in FILE'
jsonpath-as-json\t'jsonpath-as-json=TEMPLATE: each result as a JSON array'
config\t'the connection configuration behind the URL, as YAML (uses the token up)'
config-json\t'the connection configuration as JSON (uses the token up)'
custom-columns\t'custom-columns=HEADER:PATH,...: a table of those columns'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l allow-missing-template-keys -d 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l no-headers -d 'Print no header line (the default table, -o wide and -o custom-columns)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l show-labels -d 'Show every label in a last column, LABELS' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -s L -l label-columns -d 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l sort-by -d 'Sort the list by this field, a JSONPath expression (e.g. \'{.metadata.name}\' or .status.expireAfter); numbers numerically, text byte by byte as kubectl does (x10 before x9)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l chunk-size -d 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l certificate-authority -d 'PEM file with the Connector Service\'s CA certificate, trusted besides the system\'s CAs' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l insecure-skip-tls-verify-connector -d 'Do not check the Connector Service\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand get" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -s f -l filename -d 'TokenRequest manifests to read (YAML, one or several documents, JSON, or a List; - for stdin); repeatable. Their namespace, context, labels and annotations are kept, their status ignored; every document is checked before anything is created' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l tenant -d 'Tenant for the Connector Service\'s central mode (needs --group), for the APP names' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l group -d 'Group for the Connector Service\'s central mode (needs --tenant), for the APP names' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -s l -l labels -d 'Labels of the new request, as key=value pairs separated by commas (e.g. team=payments,env=ci), or repeated (-l team=payments -l env=ci); list -l, delete -l and cleanup -l select on them' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l concurrency -d 'With several Applications: how many are worked on at once' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l out-dir -d 'Directory for the key, certificates and connection.yaml (default: ./APP; created with mode 0700 if missing); with several Applications, DIR/APP for each' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l force -d 'Replace files an earlier connect left in the directory; with several Applications, connect again those already connected' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l min-validity -d 'With several Applications: a directory whose certificate the Connector Service accepts and that is valid for at least this long is already connected and skipped (e.g. 30d)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l refresh -d 'Delete an existing request of that name first and request a fresh token (without it an existing request\'s token is used, which works only once)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l timeout -d 'How long the command may take in all (e.g. 60s, 2m): the create, the wait for the controller and the Connector Service calls. 0 waits for nothing, and is refused where the command needs an answer (connect, doctor, -o token|url|env|config)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l require-application -d 'Refuse to request a token unless the Application is known to exist (a missing one, or one that cannot be checked, is an error); without it a missing one is a warning' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l create-application -d 'Create the (cluster-scoped) Application first when it does not exist, with no services; an existing one is left as it is. Needs `create` on applications.applicationconnector.kyma-project.io cluster-wide; a refused create fails before any token is requested. Satisfies --require-application' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -s o -l output -d 'Output format (default: a description of the connection; with several Applications a summary table); json, yaml and jsonpath print the results for scripts: each Application\'s outcome, exit code, files, certificate expiry and error' -r -f -a "json\t'the object as JSON'
yaml\t'the object as YAML'
name\t'TYPE/NAME, for other commands'
jsonpath\t'jsonpath=TEMPLATE, as kubectl\'s'
jsonpath-file\t'jsonpath-file=FILE: the template in FILE'
jsonpath-as-json\t'jsonpath-as-json=TEMPLATE: each result as a JSON array'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l allow-missing-template-keys -d 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l certificate-authority -d 'PEM file with the Connector Service\'s CA certificate, trusted besides the system\'s CAs' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l insecure-skip-tls-verify-connector -d 'Do not check the Connector Service\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand connect" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -s A -l all-namespaces -d 'List requests in all namespaces' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -s l -l selector -d 'Label selector to filter on (e.g. app=foo,tier!=x)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l field-selector -d 'Field selector to filter on; the API server supports metadata.name and metadata.namespace with =, == and != (e.g. metadata.name!=old-app)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -s o -l output -d 'Output format (default: a table)' -r -f -a "wide\t'more columns: application, tenant, group, URL host'
json\t'the object as JSON'
yaml\t'the object as YAML'
name\t'TYPE/NAME, for other commands'
jsonpath\t'jsonpath=TEMPLATE, as kubectl\'s'
jsonpath-file\t'jsonpath-file=FILE: the template in FILE'
jsonpath-as-json\t'jsonpath-as-json=TEMPLATE: each result as a JSON array'
custom-columns\t'custom-columns=HEADER:PATH,...: a table of those columns'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l allow-missing-template-keys -d 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l no-headers -d 'Print no header line (the default table, -o wide and -o custom-columns)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l show-labels -d 'Show every label in a last column, LABELS' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -s L -l label-columns -d 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l sort-by -d 'Sort the list by this field, a JSONPath expression (e.g. \'{.metadata.name}\' or .status.expireAfter); numbers numerically, text byte by byte as kubectl does (x10 before x9)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -s w -l watch -d 'After listing, watch for changes' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l watch-only -d 'Watch for changes without printing the requests there are first' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l output-watch-events -d 'With -w or --watch-only, say what happened to each request: an EVENT column (ADDED, MODIFIED, DELETED), or kubectl\'s watch event objects for -o json|yaml; the requests there are first show as ADDED' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l expired -d 'Only requests whose expiry has passed' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l chunk-size -d 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand list" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -s A -l all-namespaces -d 'List requests in all namespaces' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -s l -l selector -d 'Label selector to filter on (e.g. app=foo,tier!=x)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l field-selector -d 'Field selector to filter on; the API server supports metadata.name and metadata.namespace with =, == and != (e.g. metadata.name!=old-app)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -s o -l output -d 'Output format (default: a table)' -r -f -a "wide\t'more columns: application, tenant, group, URL host'
json\t'the object as JSON'
yaml\t'the object as YAML'
name\t'TYPE/NAME, for other commands'
jsonpath\t'jsonpath=TEMPLATE, as kubectl\'s'
jsonpath-file\t'jsonpath-file=FILE: the template in FILE'
jsonpath-as-json\t'jsonpath-as-json=TEMPLATE: each result as a JSON array'
custom-columns\t'custom-columns=HEADER:PATH,...: a table of those columns'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l allow-missing-template-keys -d 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l no-headers -d 'Print no header line (the default table, -o wide and -o custom-columns)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l show-labels -d 'Show every label in a last column, LABELS' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -s L -l label-columns -d 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l sort-by -d 'Sort the list by this field, a JSONPath expression (e.g. \'{.metadata.name}\' or .status.expireAfter); numbers numerically, text byte by byte as kubectl does (x10 before x9)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -s w -l watch -d 'After listing, watch for changes' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l watch-only -d 'Watch for changes without printing the requests there are first' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l output-watch-events -d 'With -w or --watch-only, say what happened to each request: an EVENT column (ADDED, MODIFIED, DELETED), or kubectl\'s watch event objects for -o json|yaml; the requests there are first show as ADDED' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l expired -d 'Only requests whose expiry has passed' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l chunk-size -d 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand ls" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -l all -d 'Delete every TokenRequest in the namespace' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -s l -l selector -d 'Delete the TokenRequests in the namespace that match this label selector (e.g. team=payments,env!=prod)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -l ignore-not-found -d 'Treat a missing request as deleted' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -l dry-run -d 'Only show (client) or let the server validate (server) what would change; nothing is stored' -r -f -a "client\t'Only print what would be sent'
server\t'Let the API server validate the request without storing it'
none\t'Really do it (the default)'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -s o -l output -d 'Output format (default: TYPE/NAME deleted)' -r -f -a "name\t'TYPE/NAME, for other commands'
json\t'what was done, as a JSON List: name, namespace, outcome, exit code, files, error'
yaml\t'the same as YAML'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -l chunk-size -d 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand delete" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -s A -l all-namespaces -d 'Clean up in all namespaces' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -s l -l selector -d 'Label selector to filter on (e.g. app=foo,tier!=x)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -l grace -d 'Delete only requests whose status.expireAfter passed at least this long ago (e.g. 10m)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -l stale -d 'Also delete requests that have had no status for longer than this (nobody answered)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -l errored -d 'Also delete requests in state Error (or ERR)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -l dry-run -d 'Only show (client) or let the server validate (server) what would change; nothing is stored' -r -f -a "client\t'Only print what would be sent'
server\t'Let the API server validate the request without storing it'
none\t'Really do it (the default)'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -l concurrency -d 'How many deletes to send at once' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -s o -l output -d 'Output format (default: a line per deleted request saying why)' -r -f -a "name\t'TYPE/NAME, for other commands'
json\t'the object as JSON'
yaml\t'the object as YAML'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -l chunk-size -d 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand cleanup" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -l offline -d 'Only read the files; do not ask the Connector Service whether it accepts the certificate' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -l min-validity -d 'Exit 1 when less than this is left of the certificate\'s validity (e.g. 30d, 12h), so a scheduled job notices in time' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -s o -l output -d 'Output format (default: a summary)' -r -f -a "json\t'the findings as JSON, for scripts'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -l certificate-authority -d 'PEM file with the Connector Service\'s CA certificate, trusted besides the system\'s CAs' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -l insecure-skip-tls-verify-connector -d 'Do not check the Connector Service\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -l reuse-key -d 'Keep the private key and have only the certificate renewed (default: a new RSA-2048 key)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -l before -d 'Renew only when less than this is left (e.g. 30d); otherwise say "not due" and exit 0' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -s o -l output -d 'Output format (default: a summary); json and yaml say what was done, for scripts' -r -f -a "json\t'what was done, as a JSON List: name, namespace, outcome, exit code, files, error'
yaml\t'the same as YAML'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -l certificate-authority -d 'PEM file with the Connector Service\'s CA certificate, trusted besides the system\'s CAs' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -l insecure-skip-tls-verify-connector -d 'Do not check the Connector Service\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand renew" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -l yes -d 'Do not ask for confirmation (needed when stdin is not a terminal)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -s o -l output -d 'Output format (default: a summary); json and yaml say what was done, for scripts' -r -f -a "json\t'what was done, as a JSON List: name, namespace, outcome, exit code, files, error'
yaml\t'the same as YAML'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -l certificate-authority -d 'PEM file with the Connector Service\'s CA certificate, trusted besides the system\'s CAs' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -l insecure-skip-tls-verify-connector -d 'Do not check the Connector Service\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand revoke" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand doctor" -l probe -d 'Also create a probe TokenRequest (generated name doctor-probe-…, never APP), wait for the controller\'s answer and delete it again' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand doctor" -l timeout -d 'How long the whole diagnosis may take, the probe\'s wait included (e.g. 30s, 2m)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand doctor" -s o -l output -d 'Output format (default: one line per check)' -r -f -a "json\t'the checks as a JSON array: name, status, message, hint, details'"
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand doctor" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand doctor" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand doctor" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand doctor" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand doctor" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand doctor" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand doctor" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand doctor" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -s h -l help -d 'Print help'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -f -a "bash" -d 'Print the bash completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -f -a "zsh" -d 'Print the zsh completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -f -a "fish" -d 'Print the fish completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -f -a "powershell" -d 'Print the PowerShell completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -f -a "elvish" -d 'Print the elvish completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -f -a "install-kubectl-shim" -d 'Write kubectl_complete-tokenrequest, which kubectl (1.26 or later) runs to complete `kubectl tokenrequest …`, next to the plugin on PATH'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell elvish install-kubectl-shim help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from bash" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from bash" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from bash" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from bash" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from bash" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from bash" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from bash" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from bash" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from bash" -s h -l help -d 'Print help'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from bash" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from zsh" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from zsh" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from zsh" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from zsh" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from zsh" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from zsh" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from zsh" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from zsh" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from zsh" -s h -l help -d 'Print help'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from zsh" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from fish" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from fish" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from fish" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from fish" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from fish" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from fish" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from fish" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from fish" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from fish" -s h -l help -d 'Print help'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from fish" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from powershell" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from powershell" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from powershell" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from powershell" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from powershell" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from powershell" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from powershell" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from powershell" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from powershell" -s h -l help -d 'Print help'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from powershell" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from elvish" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from elvish" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from elvish" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from elvish" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from elvish" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from elvish" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from elvish" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from elvish" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from elvish" -s h -l help -d 'Print help'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from elvish" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from install-kubectl-shim" -l dir -d 'Directory to write the shim to (default: where the plugin was found: krew\'s bin directory for a krew install, else the plugin binary\'s directory); must be on PATH' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from install-kubectl-shim" -l kubeconfig -d 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)' -r -F
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from install-kubectl-shim" -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from install-kubectl-shim" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from install-kubectl-shim" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from install-kubectl-shim" -s n -l namespace -d 'The namespace scope for this request' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from install-kubectl-shim" -l request-timeout -d 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from install-kubectl-shim" -l insecure-skip-tls-verify -d 'Do not check the API server\'s certificate (insecure)' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from install-kubectl-shim" -s v -l v -d 'Log level on stderr, as kubectl\'s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged' -r
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from install-kubectl-shim" -s h -l help -d 'Print help'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from install-kubectl-shim" -s V -l version -d 'Print version'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "bash" -d 'Print the bash completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "zsh" -d 'Print the zsh completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "fish" -d 'Print the fish completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "powershell" -d 'Print the PowerShell completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "elvish" -d 'Print the elvish completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "install-kubectl-shim" -d 'Write kubectl_complete-tokenrequest, which kubectl (1.26 or later) runs to complete `kubectl tokenrequest …`, next to the plugin on PATH'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and not __fish_seen_subcommand_from create get connect list delete cleanup inspect renew revoke doctor completion help" -f -a "create" -d 'Create a TokenRequest for an Application, wait for its token and print it'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and not __fish_seen_subcommand_from create get connect list delete cleanup inspect renew revoke doctor completion help" -f -a "get" -d 'Show one TokenRequest, or several (or all) as a table'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and not __fish_seen_subcommand_from create get connect list delete cleanup inspect renew revoke doctor completion help" -f -a "connect" -d 'Get a client certificate for an Application: request a token, send a CSR, write the key, certificates and connection.yaml, and check them against the Connector Service'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and not __fish_seen_subcommand_from create get connect list delete cleanup inspect renew revoke doctor completion help" -f -a "list" -d 'List TokenRequests'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and not __fish_seen_subcommand_from create get connect list delete cleanup inspect renew revoke doctor completion help" -f -a "delete" -d 'Delete TokenRequests'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and not __fish_seen_subcommand_from create get connect list delete cleanup inspect renew revoke doctor completion help" -f -a "cleanup" -d 'Delete expired TokenRequests (and, if asked, stale or errored ones)'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and not __fish_seen_subcommand_from create get connect list delete cleanup inspect renew revoke doctor completion help" -f -a "inspect" -d 'Show what a connection directory holds (subject, serial, validity, key) and whether the Connector Service still accepts its certificate'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and not __fish_seen_subcommand_from create get connect list delete cleanup inspect renew revoke doctor completion help" -f -a "renew" -d 'Renew a connection\'s client certificate over mTLS and replace its files'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and not __fish_seen_subcommand_from create get connect list delete cleanup inspect renew revoke doctor completion help" -f -a "revoke" -d 'Revoke a connection\'s client certificate and mark its files as revoked'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and not __fish_seen_subcommand_from create get connect list delete cleanup inspect renew revoke doctor completion help" -f -a "doctor" -d 'Check whether TokenRequests work on this cluster, and if not, why: the connection, the API, your rights, the controller, an Application, and (with --probe) a real request'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and not __fish_seen_subcommand_from create get connect list delete cleanup inspect renew revoke doctor completion help" -f -a "completion" -d 'Print a shell completion script, or install kubectl\'s completion helper'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and not __fish_seen_subcommand_from create get connect list delete cleanup inspect renew revoke doctor completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "bash" -d 'Print the bash completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "zsh" -d 'Print the zsh completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "fish" -d 'Print the fish completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "powershell" -d 'Print the PowerShell completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "elvish" -d 'Print the elvish completion script for kubectl-tokenrequest'
complete -c kubectl-tokenrequest -n "__fish_kubectl_tokenrequest_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "install-kubectl-shim" -d 'Write kubectl_complete-tokenrequest, which kubectl (1.26 or later) runs to complete `kubectl tokenrequest …`, next to the plugin on PATH'
