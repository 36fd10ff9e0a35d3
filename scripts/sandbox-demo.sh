#!/bin/sh
# The plugin's main job on the embedded sandbox, for README.md's first command, which runs this
# inside `tokenrequest-sandbox exec`: exec provides KUBECONFIG, the Connector Service's CA and a
# scratch directory (all removed afterwards), and puts the kubectl-tokenrequest built beside it
# first on PATH. `connect` creates the TokenRequest, waits for its token, sends a CSR to the
# Connector Service and writes the key, certificates and connection.yaml.
set -eu
kubectl-tokenrequest connect demo-app \
    --out-dir "$TOKENREQUEST_SANDBOX_DIR/demo-app" \
    --certificate-authority "$TOKENREQUEST_SANDBOX_CONNECTOR_CA"
