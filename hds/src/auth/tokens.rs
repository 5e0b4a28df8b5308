//! Opaque secrets (API tokens, refresh tokens) and JWT access tokens.

use chrono::{DateTime, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A random 40-hex-character key, the same shape as the reference's tokens.
pub fn new_api_key() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A random opaque refresh token.
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What is stored instead of a secret.
pub fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[derive(Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    /// User id.
    pub sub: String,
    /// Login session id; revoking the session invalidates its access tokens.
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
    pub typ: String,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn new(secret: &str) -> Self {
        JwtKeys {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
        }
    }

    pub fn issue(&self, user_id: i64, session: Uuid, expires: DateTime<Utc>) -> String {
        let claims = AccessClaims {
            sub: user_id.to_string(),
            sid: session,
            iat: Utc::now().timestamp(),
            exp: expires.timestamp(),
            typ: "access".into(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 encoding cannot fail")
    }

    /// Validates signature, expiry and type; returns (user id, session id).
    pub fn verify(&self, token: &str) -> Option<(i64, Uuid)> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        let data = decode::<AccessClaims>(token, &self.decoding, &validation).ok()?;
        if data.claims.typ != "access" {
            return None;
        }
        Some((data.claims.sub.parse().ok()?, data.claims.sid))
    }
}

/// A JWT has three dot-separated parts; API keys are plain hex.
pub fn looks_like_jwt(token: &str) -> bool {
    token.split('.').count() == 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_round_trip_and_rejections() {
        let keys = JwtKeys::new("k1");
        let sid = Uuid::new_v4();
        let t = keys.issue(7, sid, Utc::now() + chrono::Duration::minutes(15));
        assert_eq!(keys.verify(&t), Some((7, sid)));
        assert!(looks_like_jwt(&t));
        assert_eq!(JwtKeys::new("k2").verify(&t), None, "wrong key");
        let expired = keys.issue(7, sid, Utc::now() - chrono::Duration::minutes(1));
        assert_eq!(keys.verify(&expired), None, "expired");
        let key = new_api_key();
        assert_eq!(key.len(), 40);
        assert!(!looks_like_jwt(&key));
        assert_eq!(sha256_hex("abc").len(), 64);
    }
}
