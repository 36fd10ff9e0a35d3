
use builtin;
use str;

set edit:completion:arg-completer[kubectl-tokenrequest] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'kubectl-tokenrequest'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'kubectl-tokenrequest'= {
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a TokenRequest for an Application, wait for its token and print it'
            cand get 'Show one TokenRequest, or several (or all) as a table'
            cand connect 'Get a client certificate for an Application: request a token, send a CSR, write the key, certificates and connection.yaml, and check them against the Connector Service'
            cand list 'List TokenRequests'
            cand ls 'List TokenRequests'
            cand delete 'Delete TokenRequests'
            cand cleanup 'Delete expired TokenRequests (and, if asked, stale or errored ones)'
            cand inspect 'Show what a connection directory holds (subject, serial, validity, key) and whether the Connector Service still accepts its certificate'
            cand renew 'Renew a connection''s client certificate over mTLS and replace its files'
            cand revoke 'Revoke a connection''s client certificate and mark its files as revoked'
            cand doctor 'Check whether TokenRequests work on this cluster, and if not, why: the connection, the API, your rights, the controller, an Application, and (with --probe) a real request'
            cand completion 'Print a shell completion script, or install kubectl''s completion helper'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-tokenrequest;create'= {
            cand -f 'TokenRequest manifests to read (YAML, one or several documents, JSON, or a List; - for stdin; a directory: its .json, .yaml and .yml files); repeatable. Their namespace, context, labels and annotations are kept, their status ignored; every document is checked before anything is created'
            cand --filename 'TokenRequest manifests to read (YAML, one or several documents, JSON, or a List; - for stdin; a directory: its .json, .yaml and .yml files); repeatable. Their namespace, context, labels and annotations are kept, their status ignored; every document is checked before anything is created'
            cand --tenant 'Tenant for the Connector Service''s central mode (needs --group), for the APP names'
            cand --group 'Group for the Connector Service''s central mode (needs --tenant), for the APP names'
            cand -l 'Labels of the new request, as key=value pairs separated by commas (e.g. team=payments,env=ci), or repeated (-l team=payments -l env=ci); list -l, delete -l and cleanup -l select on them'
            cand --labels 'Labels of the new request, as key=value pairs separated by commas (e.g. team=payments,env=ci), or repeated (-l team=payments -l env=ci); list -l, delete -l and cleanup -l select on them'
            cand --concurrency 'With several Applications: how many are worked on at once'
            cand --timeout 'How long the command may take in all (e.g. 60s, 2m): the create, the wait for the controller and the Connector Service calls. 0 waits for nothing, and is refused where the command needs an answer (connect, doctor, -o token|url|env|config)'
            cand --no-wait 'Return as soon as the request is created, without waiting for the token'
            cand --refresh 'Delete an existing request of that name first and request a fresh token'
            cand --require-application 'Refuse to request a token unless the Application is known to exist (a missing one, or one that cannot be checked, is an error); without it a missing one is a warning'
            cand --create-application 'Create the (cluster-scoped) Application first when it does not exist, with no services; an existing one is left as it is. Needs `create` on applications.applicationconnector.kyma-project.io cluster-wide; a refused create fails before any token is requested. Satisfies --require-application'
            cand --dry-run 'Only show (client) or let the server validate (server) what would change; nothing is stored'
            cand -o 'Output format (default: a summary); config and config-json fetch the connection configuration, which uses the token up'
            cand --output 'Output format (default: a summary); config and config-json fetch the connection configuration, which uses the token up'
            cand --allow-missing-template-keys 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error'
            cand --certificate-authority 'PEM file with the Connector Service''s CA certificate, trusted besides the system''s CAs'
            cand --insecure-skip-tls-verify-connector 'Do not check the Connector Service''s certificate (insecure)'
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;get'= {
            cand -A 'List the requests in all namespaces (no NAME)'
            cand --all-namespaces 'List the requests in all namespaces (no NAME)'
            cand -l 'Label selector to filter on (e.g. app=foo,tier!=x)'
            cand --selector 'Label selector to filter on (e.g. app=foo,tier!=x)'
            cand --field-selector 'Field selector to filter on; the API server supports metadata.name and metadata.namespace with =, == and != (e.g. metadata.name!=old-app)'
            cand --wait 'Wait for the controller to fill in the status, as create does (one NAME)'
            cand --timeout 'How long the command may take in all (e.g. 60s, 2m): the create, the wait for the controller and the Connector Service calls. 0 waits for nothing, and is refused where the command needs an answer (connect, doctor, -o token|url|env|config)'
            cand -o 'Output format (default: a summary of one request, a table of several); config and config-json fetch the connection configuration, which uses the token up'
            cand --output 'Output format (default: a summary of one request, a table of several); config and config-json fetch the connection configuration, which uses the token up'
            cand --allow-missing-template-keys 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error'
            cand --no-headers 'Print no header line (the default table, -o wide and -o custom-columns)'
            cand --show-labels 'Show every label in a last column, LABELS'
            cand -L 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)'
            cand --label-columns 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)'
            cand --sort-by 'Sort the list by this field, a JSONPath expression (e.g. ''{.metadata.name}'' or .status.expireAfter); numbers numerically, text byte by byte as kubectl does (x10 before x9)'
            cand --chunk-size 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call'
            cand --certificate-authority 'PEM file with the Connector Service''s CA certificate, trusted besides the system''s CAs'
            cand --insecure-skip-tls-verify-connector 'Do not check the Connector Service''s certificate (insecure)'
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;connect'= {
            cand -f 'TokenRequest manifests to read (YAML, one or several documents, JSON, or a List; - for stdin; a directory: its .json, .yaml and .yml files); repeatable. Their namespace, context, labels and annotations are kept, their status ignored; every document is checked before anything is created'
            cand --filename 'TokenRequest manifests to read (YAML, one or several documents, JSON, or a List; - for stdin; a directory: its .json, .yaml and .yml files); repeatable. Their namespace, context, labels and annotations are kept, their status ignored; every document is checked before anything is created'
            cand --tenant 'Tenant for the Connector Service''s central mode (needs --group), for the APP names'
            cand --group 'Group for the Connector Service''s central mode (needs --tenant), for the APP names'
            cand -l 'Labels of the new request, as key=value pairs separated by commas (e.g. team=payments,env=ci), or repeated (-l team=payments -l env=ci); list -l, delete -l and cleanup -l select on them'
            cand --labels 'Labels of the new request, as key=value pairs separated by commas (e.g. team=payments,env=ci), or repeated (-l team=payments -l env=ci); list -l, delete -l and cleanup -l select on them'
            cand --concurrency 'With several Applications: how many are worked on at once'
            cand --out-dir 'Directory for the key, certificates and connection.yaml (default: ./APP; created with mode 0700 if missing); with several Applications, DIR/APP for each'
            cand --force 'Replace files an earlier connect left in the directory; with several Applications, connect again those already connected'
            cand --min-validity 'With several Applications: a directory whose certificate the Connector Service accepts and that is valid for at least this long is already connected and skipped (e.g. 30d)'
            cand --refresh 'Delete an existing request of that name first and request a fresh token (without it an existing request''s token is used, which works only once)'
            cand --timeout 'How long the command may take in all (e.g. 60s, 2m): the create, the wait for the controller and the Connector Service calls. 0 waits for nothing, and is refused where the command needs an answer (connect, doctor, -o token|url|env|config)'
            cand --require-application 'Refuse to request a token unless the Application is known to exist (a missing one, or one that cannot be checked, is an error); without it a missing one is a warning'
            cand --create-application 'Create the (cluster-scoped) Application first when it does not exist, with no services; an existing one is left as it is. Needs `create` on applications.applicationconnector.kyma-project.io cluster-wide; a refused create fails before any token is requested. Satisfies --require-application'
            cand -o 'Output format (default: a description of the connection; with several Applications a summary table); json, yaml and jsonpath print the results for scripts: each Application''s outcome, exit code, files, certificate expiry and error'
            cand --output 'Output format (default: a description of the connection; with several Applications a summary table); json, yaml and jsonpath print the results for scripts: each Application''s outcome, exit code, files, certificate expiry and error'
            cand --allow-missing-template-keys 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error'
            cand --certificate-authority 'PEM file with the Connector Service''s CA certificate, trusted besides the system''s CAs'
            cand --insecure-skip-tls-verify-connector 'Do not check the Connector Service''s certificate (insecure)'
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;list'= {
            cand -A 'List requests in all namespaces'
            cand --all-namespaces 'List requests in all namespaces'
            cand -l 'Label selector to filter on (e.g. app=foo,tier!=x)'
            cand --selector 'Label selector to filter on (e.g. app=foo,tier!=x)'
            cand --field-selector 'Field selector to filter on; the API server supports metadata.name and metadata.namespace with =, == and != (e.g. metadata.name!=old-app)'
            cand -o 'Output format (default: a table)'
            cand --output 'Output format (default: a table)'
            cand --allow-missing-template-keys 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error'
            cand --no-headers 'Print no header line (the default table, -o wide and -o custom-columns)'
            cand --show-labels 'Show every label in a last column, LABELS'
            cand -L 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)'
            cand --label-columns 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)'
            cand --sort-by 'Sort the list by this field, a JSONPath expression (e.g. ''{.metadata.name}'' or .status.expireAfter); numbers numerically, text byte by byte as kubectl does (x10 before x9)'
            cand -w 'After listing, watch for changes'
            cand --watch 'After listing, watch for changes'
            cand --watch-only 'Watch for changes without printing the requests there are first'
            cand --output-watch-events 'With -w or --watch-only, say what happened to each request: an EVENT column (ADDED, MODIFIED, DELETED), or kubectl''s watch event objects for -o json|yaml; the requests there are first show as ADDED'
            cand --expired 'Only requests whose expiry has passed'
            cand --chunk-size 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call'
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;ls'= {
            cand -A 'List requests in all namespaces'
            cand --all-namespaces 'List requests in all namespaces'
            cand -l 'Label selector to filter on (e.g. app=foo,tier!=x)'
            cand --selector 'Label selector to filter on (e.g. app=foo,tier!=x)'
            cand --field-selector 'Field selector to filter on; the API server supports metadata.name and metadata.namespace with =, == and != (e.g. metadata.name!=old-app)'
            cand -o 'Output format (default: a table)'
            cand --output 'Output format (default: a table)'
            cand --allow-missing-template-keys 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error'
            cand --no-headers 'Print no header line (the default table, -o wide and -o custom-columns)'
            cand --show-labels 'Show every label in a last column, LABELS'
            cand -L 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)'
            cand --label-columns 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)'
            cand --sort-by 'Sort the list by this field, a JSONPath expression (e.g. ''{.metadata.name}'' or .status.expireAfter); numbers numerically, text byte by byte as kubectl does (x10 before x9)'
            cand -w 'After listing, watch for changes'
            cand --watch 'After listing, watch for changes'
            cand --watch-only 'Watch for changes without printing the requests there are first'
            cand --output-watch-events 'With -w or --watch-only, say what happened to each request: an EVENT column (ADDED, MODIFIED, DELETED), or kubectl''s watch event objects for -o json|yaml; the requests there are first show as ADDED'
            cand --expired 'Only requests whose expiry has passed'
            cand --chunk-size 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call'
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;delete'= {
            cand --all 'Delete every TokenRequest in the namespace'
            cand -l 'Delete the TokenRequests in the namespace that match this label selector (e.g. team=payments,env!=prod)'
            cand --selector 'Delete the TokenRequests in the namespace that match this label selector (e.g. team=payments,env!=prod)'
            cand --ignore-not-found 'Treat a missing request as deleted'
            cand --dry-run 'Only show (client) or let the server validate (server) what would change; nothing is stored'
            cand -o 'Output format (default: TYPE/NAME deleted)'
            cand --output 'Output format (default: TYPE/NAME deleted)'
            cand --chunk-size 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call'
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;cleanup'= {
            cand -A 'Clean up in all namespaces'
            cand --all-namespaces 'Clean up in all namespaces'
            cand -l 'Label selector to filter on (e.g. app=foo,tier!=x)'
            cand --selector 'Label selector to filter on (e.g. app=foo,tier!=x)'
            cand --grace 'Delete only requests whose status.expireAfter passed at least this long ago (e.g. 10m)'
            cand --stale 'Also delete requests that have had no status for longer than this (nobody answered)'
            cand --errored 'Also delete requests in state Error (or ERR)'
            cand --dry-run 'Only show (client) or let the server validate (server) what would change; nothing is stored'
            cand --concurrency 'How many deletes to send at once'
            cand -o 'Output format (default: a line per deleted request saying why)'
            cand --output 'Output format (default: a line per deleted request saying why)'
            cand --chunk-size 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call'
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;inspect'= {
            cand --offline 'Only read the files; do not ask the Connector Service whether it accepts the certificate'
            cand --min-validity 'Exit 1 when less than this is left of the certificate''s validity (e.g. 30d, 12h), so a scheduled job notices in time'
            cand -o 'Output format (default: a summary)'
            cand --output 'Output format (default: a summary)'
            cand --certificate-authority 'PEM file with the Connector Service''s CA certificate, trusted besides the system''s CAs'
            cand --insecure-skip-tls-verify-connector 'Do not check the Connector Service''s certificate (insecure)'
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;renew'= {
            cand --reuse-key 'Keep the private key and have only the certificate renewed (default: a new RSA-2048 key)'
            cand --before 'Renew only when less than this is left (e.g. 30d); otherwise say "not due" and exit 0'
            cand -o 'Output format (default: a summary); json and yaml say what was done, for scripts'
            cand --output 'Output format (default: a summary); json and yaml say what was done, for scripts'
            cand --certificate-authority 'PEM file with the Connector Service''s CA certificate, trusted besides the system''s CAs'
            cand --insecure-skip-tls-verify-connector 'Do not check the Connector Service''s certificate (insecure)'
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;revoke'= {
            cand --yes 'Do not ask for confirmation (needed when stdin is not a terminal)'
            cand -o 'Output format (default: a summary); json and yaml say what was done, for scripts'
            cand --output 'Output format (default: a summary); json and yaml say what was done, for scripts'
            cand --certificate-authority 'PEM file with the Connector Service''s CA certificate, trusted besides the system''s CAs'
            cand --insecure-skip-tls-verify-connector 'Do not check the Connector Service''s certificate (insecure)'
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;doctor'= {
            cand --probe 'Also create a probe TokenRequest (generated name doctor-probe-…, never APP), wait for the controller''s answer and delete it again'
            cand --timeout 'How long the whole diagnosis may take, the probe''s wait included (e.g. 30s, 2m)'
            cand -o 'Output format (default: one line per check)'
            cand --output 'Output format (default: one line per check)'
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;completion'= {
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand bash 'Print the bash completion script for kubectl-tokenrequest'
            cand zsh 'Print the zsh completion script for kubectl-tokenrequest'
            cand fish 'Print the fish completion script for kubectl-tokenrequest'
            cand powershell 'Print the PowerShell completion script for kubectl-tokenrequest'
            cand elvish 'Print the elvish completion script for kubectl-tokenrequest'
            cand install-kubectl-shim 'Write kubectl_complete-tokenrequest, which kubectl (1.26 or later) runs to complete `kubectl tokenrequest …`, next to the plugin on PATH'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-tokenrequest;completion;bash'= {
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;completion;zsh'= {
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;completion;fish'= {
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;completion;powershell'= {
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;completion;elvish'= {
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;completion;install-kubectl-shim'= {
            cand --dir 'Directory to write the shim to (default: where the plugin was found: krew''s bin directory for a krew install, else the plugin binary''s directory); must exist and be on PATH'
            cand --kubeconfig 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)'
            cand --context 'The name of the kubeconfig context to use'
            cand --cluster 'The name of the kubeconfig cluster to use'
            cand --user 'The name of the kubeconfig user to use'
            cand -n 'The namespace scope for this request'
            cand --namespace 'The namespace scope for this request'
            cand --request-timeout 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever'
            cand --insecure-skip-tls-verify 'Do not check the API server''s certificate (insecure)'
            cand -v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand --v 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-tokenrequest;completion;help'= {
            cand bash 'Print the bash completion script for kubectl-tokenrequest'
            cand zsh 'Print the zsh completion script for kubectl-tokenrequest'
            cand fish 'Print the fish completion script for kubectl-tokenrequest'
            cand powershell 'Print the PowerShell completion script for kubectl-tokenrequest'
            cand elvish 'Print the elvish completion script for kubectl-tokenrequest'
            cand install-kubectl-shim 'Write kubectl_complete-tokenrequest, which kubectl (1.26 or later) runs to complete `kubectl tokenrequest …`, next to the plugin on PATH'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-tokenrequest;completion;help;bash'= {
        }
        &'kubectl-tokenrequest;completion;help;zsh'= {
        }
        &'kubectl-tokenrequest;completion;help;fish'= {
        }
        &'kubectl-tokenrequest;completion;help;powershell'= {
        }
        &'kubectl-tokenrequest;completion;help;elvish'= {
        }
        &'kubectl-tokenrequest;completion;help;install-kubectl-shim'= {
        }
        &'kubectl-tokenrequest;completion;help;help'= {
        }
        &'kubectl-tokenrequest;help'= {
            cand create 'Create a TokenRequest for an Application, wait for its token and print it'
            cand get 'Show one TokenRequest, or several (or all) as a table'
            cand connect 'Get a client certificate for an Application: request a token, send a CSR, write the key, certificates and connection.yaml, and check them against the Connector Service'
            cand list 'List TokenRequests'
            cand delete 'Delete TokenRequests'
            cand cleanup 'Delete expired TokenRequests (and, if asked, stale or errored ones)'
            cand inspect 'Show what a connection directory holds (subject, serial, validity, key) and whether the Connector Service still accepts its certificate'
            cand renew 'Renew a connection''s client certificate over mTLS and replace its files'
            cand revoke 'Revoke a connection''s client certificate and mark its files as revoked'
            cand doctor 'Check whether TokenRequests work on this cluster, and if not, why: the connection, the API, your rights, the controller, an Application, and (with --probe) a real request'
            cand completion 'Print a shell completion script, or install kubectl''s completion helper'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-tokenrequest;help;create'= {
        }
        &'kubectl-tokenrequest;help;get'= {
        }
        &'kubectl-tokenrequest;help;connect'= {
        }
        &'kubectl-tokenrequest;help;list'= {
        }
        &'kubectl-tokenrequest;help;delete'= {
        }
        &'kubectl-tokenrequest;help;cleanup'= {
        }
        &'kubectl-tokenrequest;help;inspect'= {
        }
        &'kubectl-tokenrequest;help;renew'= {
        }
        &'kubectl-tokenrequest;help;revoke'= {
        }
        &'kubectl-tokenrequest;help;doctor'= {
        }
        &'kubectl-tokenrequest;help;completion'= {
            cand bash 'Print the bash completion script for kubectl-tokenrequest'
            cand zsh 'Print the zsh completion script for kubectl-tokenrequest'
            cand fish 'Print the fish completion script for kubectl-tokenrequest'
            cand powershell 'Print the PowerShell completion script for kubectl-tokenrequest'
            cand elvish 'Print the elvish completion script for kubectl-tokenrequest'
            cand install-kubectl-shim 'Write kubectl_complete-tokenrequest, which kubectl (1.26 or later) runs to complete `kubectl tokenrequest …`, next to the plugin on PATH'
        }
        &'kubectl-tokenrequest;help;completion;bash'= {
        }
        &'kubectl-tokenrequest;help;completion;zsh'= {
        }
        &'kubectl-tokenrequest;help;completion;fish'= {
        }
        &'kubectl-tokenrequest;help;completion;powershell'= {
        }
        &'kubectl-tokenrequest;help;completion;elvish'= {
        }
        &'kubectl-tokenrequest;help;completion;install-kubectl-shim'= {
        }
        &'kubectl-tokenrequest;help;help'= {
        }
    ]
    $completions[$command]
}
