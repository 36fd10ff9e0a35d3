//! Which kubeconfig a run reads, with kubectl's rules: `--kubeconfig` names one file;
//! `KUBECONFIG` lists several, merged, and files in it that do not exist are skipped; without
//! either, `~/.kube/config`, and in-cluster configuration only when there is no kubeconfig and
//! no flag names a kubeconfig entry. Relative paths in a file are relative to that file's
//! folder (kube's reader).

use std::path::{Path, PathBuf};

use kube::Config;
use kube::config::{KubeConfigOptions, Kubeconfig};

use super::{ClientSettings, RequestError};
use crate::text::error_chain;

/// A loaded configuration and the `proxy-url` its kubeconfig sets for the chosen cluster.
pub(super) struct Loaded {
    pub config: Config,
    pub proxy_url: Option<String>,
}

/// Which kind of kubeconfig entry [`kubeconfig_names`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Context,
    Cluster,
    User,
}

/// The names of the contexts, clusters or users in the kubeconfig a run with `settings`
/// reads (completion offers them); empty when there is none or it cannot be read.
pub fn kubeconfig_names(settings: &ClientSettings, entry: Entry) -> Vec<String> {
    let Ok((Some(kubeconfig), _)) = find(settings) else {
        return Vec::new();
    };
    let mut names: Vec<String> = match entry {
        Entry::Context => kubeconfig.contexts.into_iter().map(|c| c.name).collect(),
        Entry::Cluster => kubeconfig.clusters.into_iter().map(|c| c.name).collect(),
        Entry::User => kubeconfig.auth_infos.into_iter().map(|u| u.name).collect(),
    };
    names.sort();
    names.dedup();
    names
}

pub(super) async fn load_config(settings: &ClientSettings) -> Result<Loaded, RequestError> {
    let options = KubeConfigOptions {
        context: settings.context.clone(),
        cluster: settings.cluster.clone(),
        user: settings.user.clone(),
    };
    let (kubeconfig, fail) = find(settings)?;
    let Some(kubeconfig) = kubeconfig else {
        // No kubeconfig at all: in-cluster, unless a flag names a kubeconfig entry.
        let named =
            options.context.is_some() || options.cluster.is_some() || options.user.is_some();
        if named {
            return Err(fail(
                "there is no kubeconfig to find the named context, cluster or user in; set \
                 KUBECONFIG or pass --kubeconfig"
                    .to_string(),
            ));
        }
        let config = Config::incluster().map_err(|e| {
            fail(format!(
                "no kubeconfig found, and not running in a cluster ({}); set KUBECONFIG or pass \
                 --kubeconfig",
                error_chain(&e)
            ))
        })?;
        return Ok(Loaded {
            config,
            proxy_url: None,
        });
    };
    let proxy_url = cluster_proxy_url(&kubeconfig, &options);
    let config = Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| fail(config_hint(&error_chain(&e))))?;
    Ok(Loaded { config, proxy_url })
}

type Fail = Box<dyn Fn(String) -> RequestError + Send + Sync>;

/// The kubeconfig kubectl would read (`None`: there is none), and how to word its errors.
fn find(settings: &ClientSettings) -> Result<(Option<Kubeconfig>, Fail), RequestError> {
    if let Some(path) = &settings.kubeconfig {
        let fail = failure(Some(path.display().to_string()));
        if !path.exists() {
            return Err(fail("the file does not exist; check --kubeconfig".into()));
        }
        let kubeconfig = read(path).map_err(&fail)?;
        return Ok((Some(kubeconfig), fail));
    }
    if let Some(listed) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        let fail = failure(Some(format!("(KUBECONFIG={})", listed.to_string_lossy())));
        let merged = merged(std::env::split_paths(&listed).collect()).map_err(&fail)?;
        return Ok((Some(merged), fail));
    }
    let fail = failure(None);
    match home_kubeconfig().filter(|path| path.exists()) {
        Some(path) => {
            let kubeconfig = read(&path).map_err(&fail)?;
            Ok((Some(kubeconfig), fail))
        }
        None => Ok((None, fail)),
    }
}

/// `~/.kube/config`, where kubectl looks without `KUBECONFIG`.
fn home_kubeconfig() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
    Some(PathBuf::from(home).join(".kube").join("config"))
}

/// The `proxy-url` of the cluster `options` select (`--cluster`, else the context's).
fn cluster_proxy_url(kubeconfig: &Kubeconfig, options: &KubeConfigOptions) -> Option<String> {
    let cluster = match &options.cluster {
        Some(cluster) => cluster.clone(),
        None => {
            let context = options
                .context
                .clone()
                .or_else(|| kubeconfig.current_context.clone())?;
            kubeconfig
                .contexts
                .iter()
                .find(|named| named.name == context)?
                .context
                .as_ref()?
                .cluster
                .clone()
        }
    };
    kubeconfig
        .clusters
        .iter()
        .find(|named| named.name == cluster)?
        .cluster
        .as_ref()?
        .proxy_url
        .clone()
        .filter(|url| !url.is_empty())
}

fn failure(path: Option<String>) -> Fail {
    Box::new(move |message| RequestError::Kubeconfig {
        path: path.clone(),
        message,
    })
}

fn read(path: &Path) -> Result<Kubeconfig, String> {
    Kubeconfig::read_from(path).map_err(|e| {
        format!(
            "{}: {}; is it a kubeconfig file?",
            path.display(),
            error_chain(&e)
        )
    })
}

/// The files of `KUBECONFIG` that exist, merged in order (the first to set a value wins).
fn merged(paths: Vec<PathBuf>) -> Result<Kubeconfig, String> {
    let listed: Vec<PathBuf> = paths
        .into_iter()
        .filter(|path| !path.as_os_str().is_empty())
        .collect();
    let existing: Vec<&PathBuf> = listed.iter().filter(|path| path.exists()).collect();
    if existing.is_empty() {
        let names: Vec<String> = listed.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "none of the files it lists exists ({}); point KUBECONFIG at your kubeconfig or pass \
             --kubeconfig",
            names.join(", ")
        ));
    }
    existing
        .into_iter()
        .try_fold(Kubeconfig::default(), |merged, path| {
            merged
                .merge(read(path)?)
                .map_err(|e| format!("merging {}: {}", path.display(), error_chain(&e)))
        })
}

/// kube's messages for a missing context, cluster or user, with the flag that chose it.
fn config_hint(message: &str) -> String {
    if message.contains("context") {
        format!("{message}; check --context (kubectl config get-contexts lists them)")
    } else if message.contains("cluster") {
        format!("{message}; check --cluster")
    } else if message.contains("user") || message.contains("auth") {
        format!("{message}; check --user")
    } else {
        message.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLUSTER: &str = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://c.example:6443'}\ncontexts:\n- name: ctx\n  context: {cluster: c, user: u}\ncurrent-context: ctx\n";
    const USER: &str = "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user: {token: t}\n";

    #[test]
    fn missing_files_in_kubeconfig_are_skipped_and_the_rest_merged() {
        let dir = tempfile::tempdir().unwrap();
        let cluster = dir.path().join("cluster");
        let user = dir.path().join("user");
        std::fs::write(&cluster, CLUSTER).unwrap();
        std::fs::write(&user, USER).unwrap();
        let merged = merged(vec![
            dir.path().join("missing"),
            cluster,
            PathBuf::new(),
            user,
        ])
        .unwrap();
        assert_eq!(merged.current_context.as_deref(), Some("ctx"));
        assert_eq!(merged.clusters.len(), 1);
        assert_eq!(merged.auth_infos.len(), 1);
    }

    #[test]
    fn all_files_missing_is_a_message_naming_them() {
        let error = merged(vec!["/no/a".into(), "/no/b".into()]).unwrap_err();
        assert!(error.contains("/no/a, /no/b"), "{error}");
        assert!(error.contains("--kubeconfig"), "{error}");
    }
}
