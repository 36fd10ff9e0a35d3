//! The users the server knows and how a request finds its user: a valid client certificate
//! first (its CN names the user), else the bearer token, else the anonymous user if configured.
//! What a user may do is judged in `access`.

use std::borrow::Cow;

use hyper::Request;
use hyper::body::Incoming;

use super::{Access, State, tls};

/// What a request does to a resource, as RBAC names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    List,
    Watch,
    Create,
    Update,
    Patch,
    Delete,
    DeleteCollection,
}

impl Verb {
    pub const ALL: [Verb; 8] = [
        Verb::Get,
        Verb::List,
        Verb::Watch,
        Verb::Create,
        Verb::Update,
        Verb::Patch,
        Verb::Delete,
        Verb::DeleteCollection,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::List => "list",
            Verb::Watch => "watch",
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Patch => "patch",
            Verb::Delete => "delete",
            Verb::DeleteCollection => "deletecollection",
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of verbs a user may use on a resource (in every namespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verbs(u8);

impl Verbs {
    pub const NONE: Verbs = Verbs(0);
    pub const ALL: Verbs = Verbs(u8::MAX);

    pub fn allows(self, verb: Verb) -> bool {
        self.0 & verb.bit() != 0
    }

    pub fn with(self, verb: Verb) -> Verbs {
        Verbs(self.0 | verb.bit())
    }

    pub fn without(self, verb: Verb) -> Verbs {
        Verbs(self.0 & !verb.bit())
    }
}

impl FromIterator<Verb> for Verbs {
    fn from_iter<I: IntoIterator<Item = Verb>>(verbs: I) -> Self {
        verbs.into_iter().fold(Verbs::NONE, Verbs::with)
    }
}

/// The user of requests without credentials, as kube-apiserver names it.
pub const ANONYMOUS: &str = "system:anonymous";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    /// The bearer token; empty: none (the user logs in with a client certificate, or is
    /// [`User::anonymous`]).
    pub token: String,
    /// What the user may do to TokenRequests, in every namespace.
    pub verbs: Verbs,
    /// What the user may do to the other resources the sandbox serves.
    pub access: Access,
}

impl User {
    /// A user with `verbs` on TokenRequests and on every other resource the sandbox serves;
    /// [`User::with_verbs_on`] and [`User::with_access`] narrow or widen that.
    pub fn new(name: &str, token: &str, verbs: Verbs) -> User {
        User {
            name: name.to_string(),
            token: token.to_string(),
            verbs,
            access: Access::uniform(verbs),
        }
    }

    /// The user of requests without credentials (kubectl sends none over plain http): not
    /// among the defaults, so those requests are a 401 unless a configuration adds it.
    pub fn anonymous(verbs: Verbs) -> User {
        User::new(ANONYMOUS, "", verbs)
    }

    /// A user without a bearer token who logs in with a client certificate for `CN=<name>`
    /// signed by the server's CA ([`ServerHandle::client_identity`]); over plain http it cannot
    /// log in at all.
    pub fn with_certificate(name: &str, verbs: Verbs) -> User {
        User::new(name, "", verbs)
    }

    pub fn is_anonymous(&self) -> bool {
        self.name == ANONYMOUS
    }

    /// Logs in with a client certificate: no token and not anonymous.
    pub fn uses_certificate(&self) -> bool {
        self.token.is_empty() && !self.is_anonymous()
    }

    /// The built-in users: `admin` (in `system:masters`) may do everything, `nobody` nothing,
    /// `nowatch` all but watch, on every resource (bearer tokens); `certuser` (client
    /// certificate, in `system:masters` too) everything.
    pub fn defaults() -> Vec<User> {
        vec![
            User::new("admin", "sandbox-admin-token", Verbs::ALL).with_access(Access::MASTERS),
            User::new("nobody", "sandbox-nobody-token", Verbs::NONE),
            User::new(
                "nowatch",
                "sandbox-nowatch-token",
                Verbs::ALL.without(Verb::Watch),
            ),
            User::with_certificate("certuser", Verbs::ALL).with_access(Access::MASTERS),
        ]
    }
}

/// Finds the request's user. As kube-apiserver, a valid client certificate comes first: its CN
/// names the user (one allowed nothing if the configuration has no such user). Else the bearer
/// token's user. A request with neither is anonymous: it gets [`User::anonymous`] if the
/// configuration has it (kubectl never sends credentials over plain http), and is a 401
/// otherwise, like an unknown token.
pub(super) fn authenticate<'a>(
    state: &'a State,
    request: &Request<Incoming>,
) -> Option<Cow<'a, User>> {
    let users = &state.config.users;
    if let Some(tls::CertificateUser(name)) = request.extensions().get() {
        return Some(users.iter().find(|user| &user.name == name).map_or_else(
            || Cow::Owned(User::new(name, "", Verbs::NONE)),
            Cow::Borrowed,
        ));
    }
    let Some(header) = request.headers().get(http::header::AUTHORIZATION) else {
        return users
            .iter()
            .find(|user| user.is_anonymous())
            .map(Cow::Borrowed);
    };
    let (scheme, token) = header.to_str().ok()?.split_once(' ')?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return None;
    }
    users
        .iter()
        .find(|user| user.token == token)
        .map(Cow::Borrowed)
}
