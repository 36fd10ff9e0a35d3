#!/bin/sh
# The plugin's main job on the embedded sandbox, for README.md's first command, which runs this
# inside `tokenrequest-sandbox exec`: exec provides KUBECONFIG and the Connector Service's CA
# (removed with its scratch directory afterwards), and puts the kubectl-tokenrequest built beside
# it first on PATH. `connect` creates the TokenRequest, waits for its token, sends a CSR to the
# Connector Service and writes the key, certificates and connection.yaml. They go to a new
# directory outside exec's, so that the paths the summary lists are still there to look at.
set -eu
out=$(mktemp -d "${TMPDIR:-/tmp}/tokenrequest-demo.XXXXXX")
kubectl-tokenrequest connect demo-app \
    --out-dir "$out/demo-app" \
    --certificate-authority "$TOKENREQUEST_SANDBOX_CONNECTOR_CA"
echo "The files stay in $out (rm -r it when done); to look at them again:" >&2
echo "  target/debug/kubectl-tokenrequest inspect --offline $out/demo-app" >&2
