//! The API server over https: its certificate (127.0.0.1 and localhost, signed by its own CA),
//! bearer tokens and client certificates as kube-apiserver takes them (a valid certificate's CN
//! is the user; one the CA did not sign authenticates nobody), the kubeconfig it writes, and
//! plain http when asked. Self reviews of certificate users: `diagnosis/reviews.rs`.

use kube::api::{Api, DynamicObject, ListParams, PostParams, WatchParams};
use tokenrequest_sandbox::controller::token_request_resource;
use tokenrequest_sandbox::server::ServerConfig;
use tokenrequest_sandbox::{ControllerConfig, ControllerMode, Sandbox, SandboxConfig};

use base64::Engine as _;

async fn start(https: bool) -> Sandbox {
    Sandbox::start(SandboxConfig {
        server: ServerConfig {
            https,
            ..ServerConfig::default()
        },
        controller: ControllerConfig {
            mode: ControllerMode::Off,
            ..ControllerConfig::default()
        },
        connector: None,
    })
    .await
    .expect("start the sandbox")
}

fn api(client: kube::Client) -> Api<DynamicObject> {
    Api::namespaced_with(client, "default", &token_request_resource())
}

/// The HTTP status of an API error, or a panic naming what happened instead.
fn status_of<T: std::fmt::Debug>(result: Result<T, kube::Error>) -> u16 {
    match result {
        Err(kube::Error::Api(status)) => status.code,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// A 403 that names `user`.
#[track_caller]
fn assert_forbidden_to<T: std::fmt::Debug>(result: Result<T, kube::Error>, user: &str) {
    match result {
        Err(kube::Error::Api(status)) => {
            assert_eq!(status.code, 403, "{status:?}");
            assert!(
                status.message.contains(&format!("User \"{user}\"")),
                "{status:?}"
            );
        }
        other => panic!("expected a 403, got {other:?}"),
    }
}

fn client(config: kube::Config) -> kube::Client {
    kube::Client::try_from(config).expect("a kube client")
}

#[tokio::test]
async fn https_by_default_with_bearer_tokens() {
    let sandbox = start(true).await;
    assert!(
        sandbox.url().starts_with("https://127.0.0.1:"),
        "{}",
        sandbox.url()
    );
    let ca = sandbox.ca_pem().expect("a CA over https");
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"), "{ca}");

    let admin = api(sandbox.admin_client());
    let object = DynamicObject::new("tls-app", &token_request_resource());
    admin.create(&PostParams::default(), &object).await.unwrap();
    assert_eq!(
        api(sandbox.client_for("nowatch").unwrap())
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );

    // Neither a token nor a certificate; then an unknown token.
    assert_eq!(
        status_of(
            api(client(sandbox.server().kube_config()))
                .get("tls-app")
                .await
        ),
        401
    );
    let mut unknown = sandbox.server().kube_config();
    unknown.auth_info.token = Some("not-a-sandbox-token".to_owned().into());
    assert_eq!(status_of(api(client(unknown)).get("tls-app").await), 401);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_certificate_is_for_localhost_too_and_only_the_ca_vouches_for_it() {
    let sandbox = start(true).await;
    let port = sandbox.url().rsplit(':').next().unwrap().to_owned();

    let mut by_name = sandbox.server().kube_config_for("admin").unwrap();
    by_name.cluster_url = format!("https://localhost:{port}").parse().unwrap();
    api(client(by_name))
        .list(&ListParams::default())
        .await
        .unwrap();

    let mut server_name = sandbox.server().kube_config_for("admin").unwrap();
    server_name.tls_server_name = Some("localhost".to_owned());
    api(client(server_name))
        .list(&ListParams::default())
        .await
        .unwrap();

    // Trusting another sandbox's CA: the handshake fails, no answer at all.
    let other = start(true).await;
    let mut wrong_ca = sandbox.server().kube_config_for("admin").unwrap();
    wrong_ca.root_cert = other.server().kube_config().root_cert;
    let error = api(client(wrong_ca))
        .list(&ListParams::default())
        .await
        .expect_err("a certificate from an untrusted CA");
    assert!(
        format!("{error:?}").to_lowercase().contains("certificate"),
        "a TLS error naming the certificate: {error:?}"
    );
    other.shutdown().await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn certuser_logs_in_with_its_client_certificate() {
    let sandbox = start(true).await;
    let identity = sandbox
        .client_identity("certuser")
        .expect("certuser has a client certificate over https")
        .clone();
    assert!(
        identity
            .certificate_pem
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    assert!(identity.key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(
        !format!("{identity:?}").contains(&identity.key_pem),
        "Debug hides the key"
    );
    assert!(sandbox.client_identity("admin").is_none());

    let certuser = api(client(sandbox.server().kube_config_with(&identity)));
    let object = DynamicObject::new("by-certificate", &token_request_resource());
    certuser
        .create(&PostParams::default(), &object)
        .await
        .unwrap();
    certuser.get("by-certificate").await.unwrap();
    let watch = WatchParams::default().timeout(1);
    let _events = certuser.watch(&watch, "0").await.unwrap();
    certuser
        .delete("by-certificate", &Default::default())
        .await
        .unwrap();
    // The same through the facade.
    api(sandbox.client_for("certuser").unwrap())
        .list(&ListParams::default())
        .await
        .unwrap();
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_certificate_logs_in_as_the_user_its_cn_names() {
    let sandbox = start(true).await;
    let nowatch = sandbox.server().issue_client_identity("nowatch").unwrap();
    let as_nowatch = api(client(sandbox.server().kube_config_with(&nowatch)));
    as_nowatch.list(&ListParams::default()).await.unwrap();
    let forbidden = as_nowatch
        .watch(&WatchParams::default(), "0")
        .await
        .map(|_| ());
    assert_forbidden_to(forbidden, "nowatch");

    // A name no user has: authenticated, allowed nothing.
    let stranger = sandbox.server().issue_client_identity("stranger").unwrap();
    assert_forbidden_to(
        api(client(sandbox.server().kube_config_with(&stranger)))
            .list(&ListParams::default())
            .await,
        "stranger",
    );

    // The certificate comes first, as in kube-apiserver: with nobody's token, still nowatch.
    let mut both = sandbox.server().kube_config_with(&nowatch);
    both.auth_info.token = Some("sandbox-nobody-token".to_owned().into());
    api(client(both))
        .list(&ListParams::default())
        .await
        .unwrap();
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_certificate_from_another_ca_authenticates_nobody() {
    let sandbox = start(true).await;
    let other = start(true).await;
    let foreign = other
        .client_identity("certuser")
        .expect("the other sandbox's certuser")
        .clone();

    // The handshake succeeds, the request has no user: 401.
    assert_eq!(
        status_of(
            api(client(sandbox.server().kube_config_with(&foreign)))
                .list(&ListParams::default())
                .await
        ),
        401
    );
    // With a valid token beside it, the token's user.
    let mut with_token = sandbox.server().kube_config_with(&foreign);
    with_token.auth_info.token = Some("sandbox-nobody-token".to_owned().into());
    assert_eq!(
        status_of(api(client(with_token)).list(&ListParams::default()).await),
        403
    );
    other.shutdown().await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_kubeconfig_carries_the_ca_and_certusers_certificate() {
    let sandbox = start(true).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kubeconfig");
    sandbox.write_kubeconfig(&path).unwrap();
    let kubeconfig = kube::config::Kubeconfig::read_from(&path).unwrap();
    let cluster = kubeconfig.clusters[0].cluster.as_ref().unwrap();
    let ca = base64::engine::general_purpose::STANDARD
        .decode(cluster.certificate_authority_data.as_deref().unwrap())
        .unwrap();
    assert_eq!(String::from_utf8(ca).unwrap(), sandbox.ca_pem().unwrap());

    for context in ["sandbox", "sandbox-nowatch", "sandbox-certuser"] {
        let options = kube::config::KubeConfigOptions {
            context: Some(context.to_owned()),
            ..Default::default()
        };
        let config = kube::Config::from_custom_kubeconfig(kubeconfig.clone(), &options)
            .await
            .unwrap();
        api(client(config))
            .list(&ListParams::default())
            .await
            .unwrap_or_else(|error| panic!("context {context}: {error}"));
    }
    let options = kube::config::KubeConfigOptions {
        context: Some("sandbox-nobody".to_owned()),
        ..Default::default()
    };
    let nobody = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .unwrap();
    assert_eq!(
        status_of(api(client(nobody)).list(&ListParams::default()).await),
        403
    );

    let ca_file = dir.path().join("ca.crt");
    sandbox.write_ca(&ca_file).unwrap();
    assert_eq!(
        std::fs::read_to_string(&ca_file).unwrap(),
        sandbox.ca_pem().unwrap()
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn plain_http_when_asked() {
    let sandbox = start(false).await;
    assert!(
        sandbox.url().starts_with("http://127.0.0.1:"),
        "{}",
        sandbox.url()
    );
    assert_eq!(sandbox.ca_pem(), None);
    assert!(sandbox.client_identity("certuser").is_none());
    assert!(sandbox.server().issue_client_identity("certuser").is_err());
    assert!(sandbox.client_for("certuser").is_err());
    assert!(
        sandbox
            .write_ca(&std::env::temp_dir().join("unused"))
            .is_err()
    );
    api(sandbox.admin_client())
        .list(&ListParams::default())
        .await
        .unwrap();
    let spec = sandbox.kubeconfig("default");
    assert_eq!(spec.certificate_authority_pem, None);
    let users: Vec<&str> = spec.users.iter().map(|user| user.user.as_str()).collect();
    assert_eq!(users, ["admin", "nobody", "nowatch"]);
    sandbox.shutdown().await;
}
