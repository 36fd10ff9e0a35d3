//! Upstream's token cache: a token maps to the application it was issued for, lives `ttl`
//! after it was issued, and is deleted after a call that used it succeeded (single use).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ring::rand::SystemRandom;

use super::lock;

pub struct Tokens {
    ttl: Mutex<Duration>,
    issued: Mutex<HashMap<String, Issued>>,
    random: SystemRandom,
}

struct Issued {
    application: String,
    expires: Instant,
}

impl Tokens {
    pub fn new(ttl: Duration) -> Tokens {
        Tokens {
            ttl: Mutex::new(ttl),
            issued: Mutex::new(HashMap::new()),
            random: SystemRandom::new(),
        }
    }

    /// A fresh 88-character token for `application`.
    pub fn mint(&self, application: &str) -> anyhow::Result<String> {
        let token = crate::controller::generate_token(&self.random)?;
        let expires = Instant::now() + *lock(&self.ttl);
        let mut issued = lock(&self.issued);
        // Expired entries go when new ones come, as go-cache's janitor would.
        let now = Instant::now();
        issued.retain(|_, entry| entry.expires > now);
        issued.insert(
            token.clone(),
            Issued {
                application: application.to_owned(),
                expires,
            },
        );
        Ok(token)
    }

    /// The application of a known, unexpired token.
    pub fn resolve(&self, token: &str) -> Option<String> {
        let issued = lock(&self.issued);
        issued
            .get(token)
            .filter(|entry| entry.expires > Instant::now())
            .map(|entry| entry.application.clone())
    }

    /// Deletes a token after the call that used it succeeded.
    pub fn consume(&self, token: &str) {
        lock(&self.issued).remove(token);
    }

    /// Changes the lifetime of tokens issued from now on.
    pub fn set_ttl(&self, ttl: Duration) {
        *lock(&self.ttl) = ttl;
    }

    /// Lets every token issued so far expire.
    pub fn expire_all(&self) {
        let now = Instant::now();
        for entry in lock(&self.issued).values_mut() {
            entry.expires = now;
        }
    }
}
