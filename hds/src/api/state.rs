//! Shared state handed to every handler.

use std::sync::Arc;

use crate::api::clients::ClientSlots;
use crate::auth::cache::TokenCache;
use crate::auth::throttle::LoginThrottle;
use crate::auth::tokens::JwtKeys;
use crate::config::Config;
use crate::db::DbPool;
use crate::jobs::Jobs;
use crate::reports::batch::ReportWriters;
use crate::storage::Storage;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub config: Arc<Config>,
    pub jwt: Arc<JwtKeys>,
    pub jobs: Jobs,
    pub storage: Arc<Storage>,
    /// Store posted reports in batches (write-combining), one set of writers per kind.
    pub reports: ReportWriters,
    /// Recent API-token authentications.
    pub tokens: Arc<TokenCache>,
    /// Requests in progress per client address.
    pub clients: Arc<ClientSlots>,
    /// Recent failed logins per username and client address.
    pub logins: Arc<LoginThrottle>,
}

impl AppState {
    pub fn new(config: Config, pool: DbPool) -> Self {
        let jwt = Arc::new(JwtKeys::new(&config.secret_key));
        let storage = Arc::new(Storage::new(config.clone()));
        AppState {
            reports: ReportWriters::new(&config, &pool),
            clients: ClientSlots::new(config.client_max_requests),
            logins: Arc::new(LoginThrottle::new(&config)),
            pool,
            config: Arc::new(config),
            jwt,
            jobs: Jobs::none(),
            storage,
            tokens: Arc::new(TokenCache::default()),
        }
    }
}

impl AppState {
    pub fn with_jobs(mut self, jobs: Jobs) -> Self {
        self.jobs = jobs;
        self
    }
}
