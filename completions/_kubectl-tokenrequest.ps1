
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubectl-tokenrequest' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubectl-tokenrequest'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubectl-tokenrequest' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a TokenRequest for an Application, wait for its token and print it')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one TokenRequest, or several (or all) as a table')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Get a client certificate for an Application: request a token, send a CSR, write the key, certificates and connection.yaml, and check them against the Connector Service')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List TokenRequests')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List TokenRequests')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete TokenRequests')
            [CompletionResult]::new('cleanup', 'cleanup', [CompletionResultType]::ParameterValue, 'Delete expired TokenRequests (and, if asked, stale or errored ones)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show what a connection directory holds (subject, serial, validity, key) and whether the Connector Service still accepts its certificate')
            [CompletionResult]::new('renew', 'renew', [CompletionResultType]::ParameterValue, 'Renew a connection''s client certificate over mTLS and replace its files')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a connection''s client certificate and mark its files as revoked')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check whether TokenRequests work on this cluster, and if not, why: the connection, the API, your rights, the controller, an Application, and (with --probe) a real request')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script, or install kubectl''s completion helper')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-tokenrequest;create' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'TokenRequest manifests to read (YAML, one or several documents, JSON, or a List; - for stdin; a directory: its .json, .yaml and .yml files); repeatable. Their namespace, context, labels and annotations are kept, their status ignored; every document is checked before anything is created')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'TokenRequest manifests to read (YAML, one or several documents, JSON, or a List; - for stdin; a directory: its .json, .yaml and .yml files); repeatable. Their namespace, context, labels and annotations are kept, their status ignored; every document is checked before anything is created')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant for the Connector Service''s central mode (needs --group), for the APP names')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Group for the Connector Service''s central mode (needs --tenant), for the APP names')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Labels of the new request, as key=value pairs separated by commas (e.g. team=payments,env=ci), or repeated (-l team=payments -l env=ci); list -l, delete -l and cleanup -l select on them')
            [CompletionResult]::new('--labels', '--labels', [CompletionResultType]::ParameterName, 'Labels of the new request, as key=value pairs separated by commas (e.g. team=payments,env=ci), or repeated (-l team=payments -l env=ci); list -l, delete -l and cleanup -l select on them')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'With several Applications: how many are worked on at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long the command may take in all (e.g. 60s, 2m): the create, the wait for the controller and the Connector Service calls. 0 waits for nothing, and is refused where the command needs an answer (connect, doctor, -o token|url|env|config)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Return as soon as the request is created, without waiting for the token')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Delete an existing request of that name first and request a fresh token')
            [CompletionResult]::new('--require-application', '--require-application', [CompletionResultType]::ParameterName, 'Refuse to request a token unless the Application is known to exist (a missing one, or one that cannot be checked, is an error); without it a missing one is a warning')
            [CompletionResult]::new('--create-application', '--create-application', [CompletionResultType]::ParameterName, 'Create the (cluster-scoped) Application first when it does not exist, with no services; an existing one is left as it is. Needs `create` on applications.applicationconnector.kyma-project.io cluster-wide; a refused create fails before any token is requested. Satisfies --require-application')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show (client) or let the server validate (server) what would change; nothing is stored')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: a summary); config and config-json fetch the connection configuration, which uses the token up')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: a summary); config and config-json fetch the connection configuration, which uses the token up')
            [CompletionResult]::new('--allow-missing-template-keys', '--allow-missing-template-keys', [CompletionResultType]::ParameterName, 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'PEM file with the Connector Service''s CA certificate, trusted besides the system''s CAs')
            [CompletionResult]::new('--insecure-skip-tls-verify-connector', '--insecure-skip-tls-verify-connector', [CompletionResultType]::ParameterName, 'Do not check the Connector Service''s certificate (insecure)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;get' {
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'List the requests in all namespaces (no NAME)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'List the requests in all namespaces (no NAME)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector to filter on (e.g. app=foo,tier!=x)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector to filter on (e.g. app=foo,tier!=x)')
            [CompletionResult]::new('--field-selector', '--field-selector', [CompletionResultType]::ParameterName, 'Field selector to filter on; the API server supports metadata.name and metadata.namespace with =, == and != (e.g. metadata.name!=old-app)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for the controller to fill in the status, as create does (one NAME)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long the command may take in all (e.g. 60s, 2m): the create, the wait for the controller and the Connector Service calls. 0 waits for nothing, and is refused where the command needs an answer (connect, doctor, -o token|url|env|config)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: a summary of one request, a table of several); config and config-json fetch the connection configuration, which uses the token up')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: a summary of one request, a table of several); config and config-json fetch the connection configuration, which uses the token up')
            [CompletionResult]::new('--allow-missing-template-keys', '--allow-missing-template-keys', [CompletionResultType]::ParameterName, 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print no header line (the default table, -o wide and -o custom-columns)')
            [CompletionResult]::new('--show-labels', '--show-labels', [CompletionResultType]::ParameterName, 'Show every label in a last column, LABELS')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)')
            [CompletionResult]::new('--label-columns', '--label-columns', [CompletionResultType]::ParameterName, 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)')
            [CompletionResult]::new('--sort-by', '--sort-by', [CompletionResultType]::ParameterName, 'Sort the list by this field, a JSONPath expression (e.g. ''{.metadata.name}'' or .status.expireAfter); numbers numerically, text byte by byte as kubectl does (x10 before x9)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'PEM file with the Connector Service''s CA certificate, trusted besides the system''s CAs')
            [CompletionResult]::new('--insecure-skip-tls-verify-connector', '--insecure-skip-tls-verify-connector', [CompletionResultType]::ParameterName, 'Do not check the Connector Service''s certificate (insecure)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;connect' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'TokenRequest manifests to read (YAML, one or several documents, JSON, or a List; - for stdin; a directory: its .json, .yaml and .yml files); repeatable. Their namespace, context, labels and annotations are kept, their status ignored; every document is checked before anything is created')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'TokenRequest manifests to read (YAML, one or several documents, JSON, or a List; - for stdin; a directory: its .json, .yaml and .yml files); repeatable. Their namespace, context, labels and annotations are kept, their status ignored; every document is checked before anything is created')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant for the Connector Service''s central mode (needs --group), for the APP names')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Group for the Connector Service''s central mode (needs --tenant), for the APP names')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Labels of the new request, as key=value pairs separated by commas (e.g. team=payments,env=ci), or repeated (-l team=payments -l env=ci); list -l, delete -l and cleanup -l select on them')
            [CompletionResult]::new('--labels', '--labels', [CompletionResultType]::ParameterName, 'Labels of the new request, as key=value pairs separated by commas (e.g. team=payments,env=ci), or repeated (-l team=payments -l env=ci); list -l, delete -l and cleanup -l select on them')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'With several Applications: how many are worked on at once')
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Directory for the key, certificates and connection.yaml (default: ./APP; created with mode 0700 if missing); with several Applications, DIR/APP for each')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace files an earlier connect left in the directory; with several Applications, connect again those already connected')
            [CompletionResult]::new('--min-validity', '--min-validity', [CompletionResultType]::ParameterName, 'With several Applications: a directory whose certificate the Connector Service accepts and that is valid for at least this long is already connected and skipped (e.g. 30d)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Delete an existing request of that name first and request a fresh token (without it an existing request''s token is used, which works only once)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long the command may take in all (e.g. 60s, 2m): the create, the wait for the controller and the Connector Service calls. 0 waits for nothing, and is refused where the command needs an answer (connect, doctor, -o token|url|env|config)')
            [CompletionResult]::new('--require-application', '--require-application', [CompletionResultType]::ParameterName, 'Refuse to request a token unless the Application is known to exist (a missing one, or one that cannot be checked, is an error); without it a missing one is a warning')
            [CompletionResult]::new('--create-application', '--create-application', [CompletionResultType]::ParameterName, 'Create the (cluster-scoped) Application first when it does not exist, with no services; an existing one is left as it is. Needs `create` on applications.applicationconnector.kyma-project.io cluster-wide; a refused create fails before any token is requested. Satisfies --require-application')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: a description of the connection; with several Applications a summary table); json, yaml and jsonpath print the results for scripts: each Application''s outcome, exit code, files, certificate expiry and error')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: a description of the connection; with several Applications a summary table); json, yaml and jsonpath print the results for scripts: each Application''s outcome, exit code, files, certificate expiry and error')
            [CompletionResult]::new('--allow-missing-template-keys', '--allow-missing-template-keys', [CompletionResultType]::ParameterName, 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'PEM file with the Connector Service''s CA certificate, trusted besides the system''s CAs')
            [CompletionResult]::new('--insecure-skip-tls-verify-connector', '--insecure-skip-tls-verify-connector', [CompletionResultType]::ParameterName, 'Do not check the Connector Service''s certificate (insecure)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;list' {
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'List requests in all namespaces')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'List requests in all namespaces')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector to filter on (e.g. app=foo,tier!=x)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector to filter on (e.g. app=foo,tier!=x)')
            [CompletionResult]::new('--field-selector', '--field-selector', [CompletionResultType]::ParameterName, 'Field selector to filter on; the API server supports metadata.name and metadata.namespace with =, == and != (e.g. metadata.name!=old-app)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: a table)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: a table)')
            [CompletionResult]::new('--allow-missing-template-keys', '--allow-missing-template-keys', [CompletionResultType]::ParameterName, 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print no header line (the default table, -o wide and -o custom-columns)')
            [CompletionResult]::new('--show-labels', '--show-labels', [CompletionResultType]::ParameterName, 'Show every label in a last column, LABELS')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)')
            [CompletionResult]::new('--label-columns', '--label-columns', [CompletionResultType]::ParameterName, 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)')
            [CompletionResult]::new('--sort-by', '--sort-by', [CompletionResultType]::ParameterName, 'Sort the list by this field, a JSONPath expression (e.g. ''{.metadata.name}'' or .status.expireAfter); numbers numerically, text byte by byte as kubectl does (x10 before x9)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'After listing, watch for changes')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'After listing, watch for changes')
            [CompletionResult]::new('--watch-only', '--watch-only', [CompletionResultType]::ParameterName, 'Watch for changes without printing the requests there are first')
            [CompletionResult]::new('--output-watch-events', '--output-watch-events', [CompletionResultType]::ParameterName, 'With -w or --watch-only, say what happened to each request: an EVENT column (ADDED, MODIFIED, DELETED), or kubectl''s watch event objects for -o json|yaml; the requests there are first show as ADDED')
            [CompletionResult]::new('--expired', '--expired', [CompletionResultType]::ParameterName, 'Only requests whose expiry has passed')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;ls' {
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'List requests in all namespaces')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'List requests in all namespaces')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector to filter on (e.g. app=foo,tier!=x)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector to filter on (e.g. app=foo,tier!=x)')
            [CompletionResult]::new('--field-selector', '--field-selector', [CompletionResultType]::ParameterName, 'Field selector to filter on; the API server supports metadata.name and metadata.namespace with =, == and != (e.g. metadata.name!=old-app)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: a table)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: a table)')
            [CompletionResult]::new('--allow-missing-template-keys', '--allow-missing-template-keys', [CompletionResultType]::ParameterName, 'If true, a field a jsonpath template names but the object lacks prints as nothing; if false, it is an error')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print no header line (the default table, -o wide and -o custom-columns)')
            [CompletionResult]::new('--show-labels', '--show-labels', [CompletionResultType]::ParameterName, 'Show every label in a last column, LABELS')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)')
            [CompletionResult]::new('--label-columns', '--label-columns', [CompletionResultType]::ParameterName, 'Labels to show as columns, each named after its key (comma-separated or repeated: -L app -L team)')
            [CompletionResult]::new('--sort-by', '--sort-by', [CompletionResultType]::ParameterName, 'Sort the list by this field, a JSONPath expression (e.g. ''{.metadata.name}'' or .status.expireAfter); numbers numerically, text byte by byte as kubectl does (x10 before x9)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'After listing, watch for changes')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'After listing, watch for changes')
            [CompletionResult]::new('--watch-only', '--watch-only', [CompletionResultType]::ParameterName, 'Watch for changes without printing the requests there are first')
            [CompletionResult]::new('--output-watch-events', '--output-watch-events', [CompletionResultType]::ParameterName, 'With -w or --watch-only, say what happened to each request: an EVENT column (ADDED, MODIFIED, DELETED), or kubectl''s watch event objects for -o json|yaml; the requests there are first show as ADDED')
            [CompletionResult]::new('--expired', '--expired', [CompletionResultType]::ParameterName, 'Only requests whose expiry has passed')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;delete' {
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Delete every TokenRequest in the namespace')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Delete the TokenRequests in the namespace that match this label selector (e.g. team=payments,env!=prod)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Delete the TokenRequests in the namespace that match this label selector (e.g. team=payments,env!=prod)')
            [CompletionResult]::new('--ignore-not-found', '--ignore-not-found', [CompletionResultType]::ParameterName, 'Treat a missing request as deleted')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show (client) or let the server validate (server) what would change; nothing is stored')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: TYPE/NAME deleted)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: TYPE/NAME deleted)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;cleanup' {
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Clean up in all namespaces')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Clean up in all namespaces')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector to filter on (e.g. app=foo,tier!=x)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector to filter on (e.g. app=foo,tier!=x)')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'Delete only requests whose status.expireAfter passed at least this long ago (e.g. 10m)')
            [CompletionResult]::new('--stale', '--stale', [CompletionResultType]::ParameterName, 'Also delete requests that have had no status for longer than this (nobody answered)')
            [CompletionResult]::new('--errored', '--errored', [CompletionResultType]::ParameterName, 'Also delete requests in state Error (or ERR)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show (client) or let the server validate (server) what would change; nothing is stored')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many deletes to send at once')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: a line per deleted request saying why)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: a line per deleted request saying why)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Return large lists in chunks of this many requests rather than all at once; 0 lists everything in one call')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;inspect' {
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Only read the files; do not ask the Connector Service whether it accepts the certificate')
            [CompletionResult]::new('--min-validity', '--min-validity', [CompletionResultType]::ParameterName, 'Exit 1 when less than this is left of the certificate''s validity (e.g. 30d, 12h), so a scheduled job notices in time')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: a summary)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: a summary)')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'PEM file with the Connector Service''s CA certificate, trusted besides the system''s CAs')
            [CompletionResult]::new('--insecure-skip-tls-verify-connector', '--insecure-skip-tls-verify-connector', [CompletionResultType]::ParameterName, 'Do not check the Connector Service''s certificate (insecure)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;renew' {
            [CompletionResult]::new('--reuse-key', '--reuse-key', [CompletionResultType]::ParameterName, 'Keep the private key and have only the certificate renewed (default: a new RSA-2048 key)')
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Renew only when less than this is left (e.g. 30d); otherwise say "not due" and exit 0')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: a summary); json and yaml say what was done, for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: a summary); json and yaml say what was done, for scripts')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'PEM file with the Connector Service''s CA certificate, trusted besides the system''s CAs')
            [CompletionResult]::new('--insecure-skip-tls-verify-connector', '--insecure-skip-tls-verify-connector', [CompletionResultType]::ParameterName, 'Do not check the Connector Service''s certificate (insecure)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;revoke' {
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed when stdin is not a terminal)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: a summary); json and yaml say what was done, for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: a summary); json and yaml say what was done, for scripts')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'PEM file with the Connector Service''s CA certificate, trusted besides the system''s CAs')
            [CompletionResult]::new('--insecure-skip-tls-verify-connector', '--insecure-skip-tls-verify-connector', [CompletionResultType]::ParameterName, 'Do not check the Connector Service''s certificate (insecure)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;doctor' {
            [CompletionResult]::new('--probe', '--probe', [CompletionResultType]::ParameterName, 'Also create a probe TokenRequest (generated name doctor-probe-…, never APP), wait for the controller''s answer and delete it again')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long the whole diagnosis may take, the probe''s wait included (e.g. 30s, 2m)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: one line per check)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: one line per check)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;completion' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('bash', 'bash', [CompletionResultType]::ParameterValue, 'Print the bash completion script for kubectl-tokenrequest')
            [CompletionResult]::new('zsh', 'zsh', [CompletionResultType]::ParameterValue, 'Print the zsh completion script for kubectl-tokenrequest')
            [CompletionResult]::new('fish', 'fish', [CompletionResultType]::ParameterValue, 'Print the fish completion script for kubectl-tokenrequest')
            [CompletionResult]::new('powershell', 'powershell', [CompletionResultType]::ParameterValue, 'Print the PowerShell completion script for kubectl-tokenrequest')
            [CompletionResult]::new('elvish', 'elvish', [CompletionResultType]::ParameterValue, 'Print the elvish completion script for kubectl-tokenrequest')
            [CompletionResult]::new('install-kubectl-shim', 'install-kubectl-shim', [CompletionResultType]::ParameterValue, 'Write kubectl_complete-tokenrequest, which kubectl (1.26 or later) runs to complete `kubectl tokenrequest …`, next to the plugin on PATH')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-tokenrequest;completion;bash' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;completion;zsh' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;completion;fish' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;completion;powershell' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;completion;elvish' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;completion;install-kubectl-shim' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory to write the shim to (default: where the plugin was found: krew''s bin directory for a krew install, else the plugin binary''s directory); must exist and be on PATH')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (one file; KUBECONFIG may list several)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The name of the kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope for this request')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the API server''s certificate (insecure)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level on stderr, as kubectl''s: 0 none, 1-3 info, 4-6 every API request, 7+ trace. Tokens are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-tokenrequest;completion;help' {
            [CompletionResult]::new('bash', 'bash', [CompletionResultType]::ParameterValue, 'Print the bash completion script for kubectl-tokenrequest')
            [CompletionResult]::new('zsh', 'zsh', [CompletionResultType]::ParameterValue, 'Print the zsh completion script for kubectl-tokenrequest')
            [CompletionResult]::new('fish', 'fish', [CompletionResultType]::ParameterValue, 'Print the fish completion script for kubectl-tokenrequest')
            [CompletionResult]::new('powershell', 'powershell', [CompletionResultType]::ParameterValue, 'Print the PowerShell completion script for kubectl-tokenrequest')
            [CompletionResult]::new('elvish', 'elvish', [CompletionResultType]::ParameterValue, 'Print the elvish completion script for kubectl-tokenrequest')
            [CompletionResult]::new('install-kubectl-shim', 'install-kubectl-shim', [CompletionResultType]::ParameterValue, 'Write kubectl_complete-tokenrequest, which kubectl (1.26 or later) runs to complete `kubectl tokenrequest …`, next to the plugin on PATH')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-tokenrequest;completion;help;bash' {
            break
        }
        'kubectl-tokenrequest;completion;help;zsh' {
            break
        }
        'kubectl-tokenrequest;completion;help;fish' {
            break
        }
        'kubectl-tokenrequest;completion;help;powershell' {
            break
        }
        'kubectl-tokenrequest;completion;help;elvish' {
            break
        }
        'kubectl-tokenrequest;completion;help;install-kubectl-shim' {
            break
        }
        'kubectl-tokenrequest;completion;help;help' {
            break
        }
        'kubectl-tokenrequest;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a TokenRequest for an Application, wait for its token and print it')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one TokenRequest, or several (or all) as a table')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Get a client certificate for an Application: request a token, send a CSR, write the key, certificates and connection.yaml, and check them against the Connector Service')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List TokenRequests')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete TokenRequests')
            [CompletionResult]::new('cleanup', 'cleanup', [CompletionResultType]::ParameterValue, 'Delete expired TokenRequests (and, if asked, stale or errored ones)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show what a connection directory holds (subject, serial, validity, key) and whether the Connector Service still accepts its certificate')
            [CompletionResult]::new('renew', 'renew', [CompletionResultType]::ParameterValue, 'Renew a connection''s client certificate over mTLS and replace its files')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a connection''s client certificate and mark its files as revoked')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check whether TokenRequests work on this cluster, and if not, why: the connection, the API, your rights, the controller, an Application, and (with --probe) a real request')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script, or install kubectl''s completion helper')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-tokenrequest;help;create' {
            break
        }
        'kubectl-tokenrequest;help;get' {
            break
        }
        'kubectl-tokenrequest;help;connect' {
            break
        }
        'kubectl-tokenrequest;help;list' {
            break
        }
        'kubectl-tokenrequest;help;delete' {
            break
        }
        'kubectl-tokenrequest;help;cleanup' {
            break
        }
        'kubectl-tokenrequest;help;inspect' {
            break
        }
        'kubectl-tokenrequest;help;renew' {
            break
        }
        'kubectl-tokenrequest;help;revoke' {
            break
        }
        'kubectl-tokenrequest;help;doctor' {
            break
        }
        'kubectl-tokenrequest;help;completion' {
            [CompletionResult]::new('bash', 'bash', [CompletionResultType]::ParameterValue, 'Print the bash completion script for kubectl-tokenrequest')
            [CompletionResult]::new('zsh', 'zsh', [CompletionResultType]::ParameterValue, 'Print the zsh completion script for kubectl-tokenrequest')
            [CompletionResult]::new('fish', 'fish', [CompletionResultType]::ParameterValue, 'Print the fish completion script for kubectl-tokenrequest')
            [CompletionResult]::new('powershell', 'powershell', [CompletionResultType]::ParameterValue, 'Print the PowerShell completion script for kubectl-tokenrequest')
            [CompletionResult]::new('elvish', 'elvish', [CompletionResultType]::ParameterValue, 'Print the elvish completion script for kubectl-tokenrequest')
            [CompletionResult]::new('install-kubectl-shim', 'install-kubectl-shim', [CompletionResultType]::ParameterValue, 'Write kubectl_complete-tokenrequest, which kubectl (1.26 or later) runs to complete `kubectl tokenrequest …`, next to the plugin on PATH')
            break
        }
        'kubectl-tokenrequest;help;completion;bash' {
            break
        }
        'kubectl-tokenrequest;help;completion;zsh' {
            break
        }
        'kubectl-tokenrequest;help;completion;fish' {
            break
        }
        'kubectl-tokenrequest;help;completion;powershell' {
            break
        }
        'kubectl-tokenrequest;help;completion;elvish' {
            break
        }
        'kubectl-tokenrequest;help;completion;install-kubectl-shim' {
            break
        }
        'kubectl-tokenrequest;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
