//! How one call reaches the Connector Service: directly, or through the proxy the
//! environment names for its URL (the same rules as the API server's: `crate::proxy`), over
//! an HTTP CONNECT tunnel or SOCKS5, with TLS to the service inside.

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderValue, Request, Response, Uri};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::rt::{Read, Write};
use hyper_util::client::legacy::connect::proxy::{SocksV5, Tunnel};
use hyper_util::client::legacy::connect::{Connection, HttpConnector};
use hyper_util::client::legacy::{self, Client};
use hyper_util::rt::TokioExecutor;
use tower::{BoxError, Service};

use crate::proxy;

/// Sends `request` to its URL, through `proxy` when there is one.
pub(super) async fn send(
    tls: &Arc<rustls::ClientConfig>,
    proxy: Option<&Uri>,
    request: Request<Full<Bytes>>,
) -> Result<Response<Incoming>, legacy::Error> {
    let mut direct = HttpConnector::new();
    direct.enforce_http(false);
    match proxy {
        None => through(tls, direct, request).await,
        Some(proxy) if proxy.scheme_str().is_some_and(|s| s.starts_with("socks5")) => {
            // socks5h: the proxy resolves the name; socks5: we do, as Go does.
            let mut socks =
                SocksV5::new(proxy.clone(), direct).local_dns(proxy.scheme_str() == Some("socks5"));
            if let Some((user, password)) = credentials(proxy) {
                socks = socks.with_auth(user, password);
            }
            through(tls, socks, request).await
        }
        Some(proxy) if proxy.scheme_str() == Some("https") => {
            // TLS to the proxy itself, trusting the system's CAs.
            let to_proxy = hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(
                    super::tls::system_roots_config().unwrap_or_else(|| (**tls).clone()),
                )
                .https_only()
                .enable_http1()
                .wrap_connector(direct);
            through(tls, tunnel(proxy, to_proxy), request).await
        }
        Some(proxy) => through(tls, tunnel(proxy, direct), request).await,
    }
}

fn tunnel<C>(proxy: &Uri, connector: C) -> Tunnel<C> {
    let tunnel = Tunnel::new(proxy.clone(), connector);
    match basic_auth(proxy) {
        Some(header) => tunnel.with_auth(header),
        None => tunnel,
    }
}

/// `user:password` from the proxy URL, percent-decoded.
fn credentials(proxy: &Uri) -> Option<(String, String)> {
    let authority = proxy.authority()?.as_str();
    let (userinfo, _) = authority.rsplit_once('@')?;
    let decode = |part: &str| {
        percent_encoding::percent_decode_str(part)
            .decode_utf8_lossy()
            .into_owned()
    };
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    Some((decode(user), decode(password)))
}

fn basic_auth(proxy: &Uri) -> Option<HeaderValue> {
    use base64::Engine as _;
    let (user, password) = credentials(proxy)?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let mut header = HeaderValue::from_str(&format!("Basic {encoded}")).ok()?;
    header.set_sensitive(true);
    Some(header)
}

/// TLS to the Connector Service over whatever `connector` connects with.
async fn through<C>(
    tls: &Arc<rustls::ClientConfig>,
    connector: C,
    request: Request<Full<Bytes>>,
) -> Result<Response<Incoming>, legacy::Error>
where
    C: Service<Uri> + Clone + Send + Sync + 'static,
    C::Response: Read + Write + Connection + Send + Unpin + 'static,
    C::Future: Send + 'static,
    C::Error: Into<BoxError>,
{
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config((**tls).clone())
        .https_or_http()
        .enable_http1()
        .wrap_connector(connector);
    Client::builder(TokioExecutor::new())
        .build(https)
        .request(request)
        .await
}

/// The proxy for `uri` and a log line about the choice.
pub(super) fn proxy_for(uri: &Uri) -> Result<Option<Uri>, String> {
    let chosen = proxy::choose(None, uri, &proxy::ProcessEnvironment)?;
    let host = uri.authority().map_or("", |a| a.as_str());
    match &chosen {
        Some(proxy) => tracing::debug!(
            "Connector Service {host} through proxy {}",
            proxy::shown(proxy)
        ),
        None => tracing::debug!("Connector Service {host} directly, no proxy"),
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_credentials_are_decoded_and_sent_as_basic_auth() {
        let proxy: Uri = "http://us%40er:p%3Ass@proxy:3128".parse().unwrap();
        assert_eq!(credentials(&proxy), Some(("us@er".into(), "p:ss".into())));
        let header = basic_auth(&proxy).unwrap();
        assert!(header.is_sensitive());
        assert_eq!(header.to_str().unwrap(), "Basic dXNAZXI6cDpzcw==");
        assert_eq!(credentials(&"http://proxy:3128".parse().unwrap()), None);
    }
}
