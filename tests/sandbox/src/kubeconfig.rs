//! Writes a kubeconfig for a running sandbox: one cluster `sandbox` (with the server's CA as
//! `certificate-authority-data` over https), one user per sandbox user with its bearer token or
//! client certificate, and one context per user (`sandbox` for `admin`, the current context;
//! `sandbox-<user>` for the others).
//!
//! The file holds bearer tokens and private keys, so it is written with mode 0600, and
//! atomically (a temporary file in the same directory renamed over the target) so a reader
//! never sees half a file.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use serde::Serialize;

use crate::server::ClientIdentity;

/// Name of the cluster entry and of the admin context.
pub const CLUSTER_NAME: &str = "sandbox";
/// The user whose context is `sandbox` and current.
pub const ADMIN_USER: &str = "admin";

/// A user and what authenticates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub secret: Secret,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Secret {
    /// `token`
    Token(String),
    /// `client-certificate-data` and `client-key-data`
    Certificate(ClientIdentity),
}

/// What to write into the kubeconfig.
#[derive(Debug, Clone)]
pub struct KubeconfigSpec {
    /// The sandbox's URL, e.g. `https://127.0.0.1:PORT`.
    pub server_url: String,
    /// The CA (PEM) that signed the server's certificate, written as
    /// `certificate-authority-data`; `None` for plain http.
    pub certificate_authority_pem: Option<String>,
    /// Namespace set on every context.
    pub namespace: String,
    pub users: Vec<Credentials>,
}

/// The messages leave the cause out: it is the error's source, which a chain printer (anyhow's
/// `{:#}`, as the binary prints errors) appends; naming it here too would print it twice.
#[derive(Debug, thiserror::Error)]
pub enum KubeconfigError {
    #[error("could not render the kubeconfig as YAML")]
    Render(#[from] serde_saphyr::SerializeError),
    #[error("could not write the kubeconfig {path}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The context name of a user: `sandbox` for the admin, `sandbox-<user>` for others.
pub fn context_name(user: &str) -> String {
    if user == ADMIN_USER {
        CLUSTER_NAME.to_owned()
    } else {
        format!("{CLUSTER_NAME}-{user}")
    }
}

/// The kubeconfig as YAML text.
pub fn render(spec: &KubeconfigSpec) -> Result<String, KubeconfigError> {
    let current_context = spec
        .users
        .iter()
        .find(|credentials| credentials.user == ADMIN_USER)
        .or(spec.users.first())
        .map(|credentials| context_name(&credentials.user))
        .unwrap_or_default();
    let base64 = base64::engine::general_purpose::STANDARD;
    let file = KubeconfigFile {
        api_version: "v1",
        kind: "Config",
        current_context,
        clusters: vec![Named {
            name: CLUSTER_NAME.to_owned(),
            cluster: Some(ClusterEntry {
                server: &spec.server_url,
                certificate_authority_data: spec
                    .certificate_authority_pem
                    .as_ref()
                    .map(|pem| base64.encode(pem)),
            }),
            user: None,
            context: None,
        }],
        users: spec
            .users
            .iter()
            .map(|credentials| Named {
                name: credentials.user.clone(),
                cluster: None,
                user: Some(match &credentials.secret {
                    Secret::Token(token) => UserEntry {
                        token: Some(token),
                        ..UserEntry::default()
                    },
                    Secret::Certificate(identity) => UserEntry {
                        client_certificate_data: Some(base64.encode(&identity.certificate_pem)),
                        client_key_data: Some(base64.encode(&identity.key_pem)),
                        ..UserEntry::default()
                    },
                }),
                context: None,
            })
            .collect(),
        contexts: spec
            .users
            .iter()
            .map(|credentials| Named {
                name: context_name(&credentials.user),
                cluster: None,
                user: None,
                context: Some(ContextEntry {
                    cluster: CLUSTER_NAME,
                    user: &credentials.user,
                    namespace: &spec.namespace,
                }),
            })
            .collect(),
    };
    Ok(serde_saphyr::to_string(&file)?)
}

/// Renders the kubeconfig and writes it to `path` atomically with mode 0600.
pub fn write(path: &Path, spec: &KubeconfigSpec) -> Result<(), KubeconfigError> {
    let text = render(spec)?;
    write_private_atomically(path, text.as_bytes()).map_err(|source| KubeconfigError::Write {
        path: path.to_owned(),
        source,
    })
}

fn write_private_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file_name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file")
    })?;
    let temporary = directory.join(format!(
        ".{}.{}.{}.tmp",
        file_name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

// The kubeconfig layout (a subset of client-go's clientcmd v1 Config), in kubectl's key order.

#[derive(Serialize)]
struct KubeconfigFile<'a> {
    #[serde(rename = "apiVersion")]
    api_version: &'static str,
    kind: &'static str,
    #[serde(rename = "current-context")]
    current_context: String,
    clusters: Vec<Named<'a>>,
    users: Vec<Named<'a>>,
    contexts: Vec<Named<'a>>,
}

#[derive(Serialize)]
struct Named<'a> {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    cluster: Option<ClusterEntry<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<UserEntry<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<ContextEntry<'a>>,
}

#[derive(Serialize)]
struct ClusterEntry<'a> {
    server: &'a str,
    #[serde(
        rename = "certificate-authority-data",
        skip_serializing_if = "Option::is_none"
    )]
    certificate_authority_data: Option<String>,
}

#[derive(Serialize, Default)]
struct UserEntry<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a str>,
    #[serde(
        rename = "client-certificate-data",
        skip_serializing_if = "Option::is_none"
    )]
    client_certificate_data: Option<String>,
    #[serde(rename = "client-key-data", skip_serializing_if = "Option::is_none")]
    client_key_data: Option<String>,
}

#[derive(Serialize)]
struct ContextEntry<'a> {
    cluster: &'static str,
    user: &'a str,
    namespace: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> KubeconfigSpec {
        KubeconfigSpec {
            server_url: "http://127.0.0.1:4321".to_owned(),
            certificate_authority_pem: None,
            namespace: "team-a".to_owned(),
            users: [
                ("admin", "sandbox-admin-token"),
                ("nobody", "sandbox-nobody-token"),
                ("nowatch", "sandbox-nowatch-token"),
            ]
            .into_iter()
            .map(|(user, token)| Credentials {
                user: user.to_owned(),
                secret: Secret::Token(token.to_owned()),
            })
            .collect(),
        }
    }

    #[test]
    fn kube_reads_what_is_rendered() {
        let text = render(&spec()).unwrap();
        let parsed = kube::config::Kubeconfig::from_yaml(&text).unwrap();
        assert_eq!(parsed.current_context.as_deref(), Some("sandbox"));
        assert_eq!(parsed.clusters.len(), 1);
        assert_eq!(
            parsed.clusters[0]
                .cluster
                .as_ref()
                .unwrap()
                .server
                .as_deref(),
            Some("http://127.0.0.1:4321")
        );
        let contexts: Vec<_> = parsed
            .contexts
            .iter()
            .map(|named| {
                let context = named.context.as_ref().unwrap();
                (
                    named.name.as_str(),
                    context.user.as_deref().unwrap(),
                    context.namespace.as_deref().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            contexts,
            [
                ("sandbox", "admin", "team-a"),
                ("sandbox-nobody", "nobody", "team-a"),
                ("sandbox-nowatch", "nowatch", "team-a"),
            ]
        );
        assert_eq!(parsed.auth_infos.len(), 3);
        assert!(text.contains("sandbox-nowatch-token"));
    }

    #[test]
    fn https_writes_the_ca_and_client_certificates_as_data() {
        let mut spec = spec();
        spec.server_url = "https://127.0.0.1:4321".to_owned();
        spec.certificate_authority_pem = Some("CA PEM\n".to_owned());
        spec.users.push(Credentials {
            user: "certuser".to_owned(),
            secret: Secret::Certificate(ClientIdentity {
                certificate_pem: "CERT PEM\n".to_owned(),
                key_pem: "KEY PEM\n".to_owned(),
            }),
        });
        let text = render(&spec).unwrap();
        let parsed = kube::config::Kubeconfig::from_yaml(&text).unwrap();
        let decode = |data: &str| {
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .unwrap(),
            )
            .unwrap()
        };
        let cluster = parsed.clusters[0].cluster.as_ref().unwrap();
        assert_eq!(
            decode(cluster.certificate_authority_data.as_deref().unwrap()),
            "CA PEM\n"
        );
        let certuser = parsed
            .auth_infos
            .iter()
            .find(|named| named.name == "certuser")
            .and_then(|named| named.auth_info.as_ref())
            .unwrap();
        assert_eq!(
            decode(certuser.client_certificate_data.as_deref().unwrap()),
            "CERT PEM\n"
        );
        assert!(certuser.token.is_none());
        assert!(text.contains("client-key-data: "), "{text}");
        assert!(
            !text.contains("KEY PEM"),
            "the key is base64-encoded: {text}"
        );
        let context = parsed
            .contexts
            .iter()
            .find(|named| named.name == "sandbox-certuser")
            .and_then(|named| named.context.as_ref())
            .unwrap();
        assert_eq!(context.user.as_deref(), Some("certuser"));
        // Token users keep their tokens and nothing else.
        let admin = parsed
            .auth_infos
            .iter()
            .find(|named| named.name == "admin")
            .and_then(|named| named.auth_info.as_ref())
            .unwrap();
        assert!(admin.client_certificate_data.is_none() && admin.client_key_data.is_none());
    }

    #[test]
    fn a_write_error_names_its_cause_once_in_the_chain() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("missing").join("kubeconfig");
        let error = anyhow::Error::from(write(&path, &spec()).unwrap_err());
        let chain = format!("{error:#}");
        assert!(
            chain.starts_with(&format!(
                "could not write the kubeconfig {}: ",
                path.display()
            )),
            "{chain}"
        );
        assert_eq!(chain.matches("os error").count(), 1, "{chain}");
    }

    #[test]
    fn writes_atomically_with_private_mode() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("kubeconfig");
        std::fs::write(&path, "old").unwrap();
        write(&path, &spec()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("current-context: sandbox"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(directory.path()).unwrap().count(), 1);
    }
}
