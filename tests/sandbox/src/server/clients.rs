//! What a client of the server needs: its CA, client certificates, and kube-rs configurations
//! and clients for its users.

use anyhow::Context as _;
use base64::Engine as _;

use super::{ClientIdentity, ServerHandle, tls};

impl ServerHandle {
    /// The CA (PEM) that signed the server's certificate and signs client certificates; `None`
    /// over plain http.
    pub fn ca_pem(&self) -> Option<String> {
        self.state.tls.as_ref().map(tls::Tls::ca_pem)
    }

    /// Writes the CA certificate (PEM) to `path`, e.g. for a kubeconfig's
    /// `certificate-authority`.
    pub fn write_ca(&self, path: &std::path::Path) -> anyhow::Result<()> {
        let pem = self
            .ca_pem()
            .context("the server speaks plain http: it has no CA")?;
        std::fs::write(path, pem)
            .with_context(|| format!("writing the API server's CA to {}", path.display()))
    }

    /// The client certificate and key of a user who logs in with one (`certuser` among the
    /// defaults, see [`User::with_certificate`]); `None` for other users and over plain http.
    pub fn client_identity(&self, user: &str) -> Option<&ClientIdentity> {
        self.identities.get(user)
    }

    /// A new client certificate for `CN=<common_name>` signed by the CA. It logs in as the user
    /// of that name whatever the user's token, and as a user allowed nothing (403) if no user
    /// has that name, as RBAC would treat it.
    pub fn issue_client_identity(&self, common_name: &str) -> anyhow::Result<ClientIdentity> {
        self.state
            .tls
            .as_ref()
            .context("the server speaks plain http: it has no CA")?
            .issue_client(common_name, &[])
    }

    /// A kube-rs configuration for the server's URL that trusts its CA, without credentials.
    pub fn kube_config(&self) -> kube::Config {
        let url = self.url();
        let mut config =
            kube::Config::new(url.parse().expect("the sandbox URL is always a valid URI"));
        if let Some(tls) = &self.state.tls {
            config.root_cert = Some(vec![tls.ca_der().to_vec()]);
        }
        config
    }

    /// As [`ServerHandle::kube_config`], logging in with `identity` (e.g. one from
    /// [`ServerHandle::issue_client_identity`]).
    pub fn kube_config_with(&self, identity: &ClientIdentity) -> kube::Config {
        let base64 = base64::engine::general_purpose::STANDARD;
        let mut config = self.kube_config();
        config.auth_info.client_certificate_data = Some(base64.encode(&identity.certificate_pem));
        config.auth_info.client_key_data = Some(base64.encode(&identity.key_pem).into());
        config
    }

    /// As [`ServerHandle::kube_config`], with the credentials of the named user: its bearer
    /// token, or its client certificate, or (the anonymous user) none.
    pub fn kube_config_for(&self, user: &str) -> anyhow::Result<kube::Config> {
        let user = self
            .users
            .iter()
            .find(|candidate| candidate.name == user)
            .with_context(|| format!("the sandbox has no user {user:?}"))?;
        if let Some(identity) = self.client_identity(&user.name) {
            return Ok(self.kube_config_with(identity));
        }
        let mut config = self.kube_config();
        if !user.token.is_empty() {
            config.auth_info.token = Some(user.token.clone().into());
        } else if user.uses_certificate() {
            anyhow::bail!(
                "user {:?} logs in with a client certificate, which plain http cannot carry",
                user.name
            );
        }
        Ok(config)
    }

    /// A client authenticated as the named user, see [`ServerHandle::kube_config_for`].
    pub fn client_for(&self, user: &str) -> anyhow::Result<kube::Client> {
        kube::Client::try_from(self.kube_config_for(user)?)
            .context("could not build a Kubernetes client")
    }
}
