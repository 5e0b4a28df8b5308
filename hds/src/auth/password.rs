//! Password hashing: verifies Django's `pbkdf2_sha256$…` hashes (imported users) and stores new
//! passwords with Argon2id. Imported hashes are replaced on the next successful login.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use subtle::ConstantTimeEq;

pub const MIN_PASSWORD_LENGTH: usize = 5;

/// Result of checking a password against a stored hash.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes,
    /// Correct, but stored in a legacy format: re-hash it.
    YesNeedsRehash,
}

/// Checks `candidate` against `stored`, or, when there is no usable hash to check (no such
/// user, an unusable or unknown password format), against a fixed dummy hash, so the answer
/// takes as long whether or not the user exists (docs/api-design.md#users).
pub fn verify_or_dummy(stored: Option<&str>, candidate: &str) -> Verified {
    static DUMMY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        hash_password("not a password anyone has: the dummy of verify_or_dummy")
            .expect("hashing the dummy password")
    });
    match stored {
        Some(s) if s.starts_with("$argon2") || s.starts_with("pbkdf2_sha256$") => {
            verify_password(s, candidate)
        }
        _ => {
            let _ = verify_password(&DUMMY, candidate);
            Verified::No
        }
    }
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

pub fn verify_password(stored: &str, candidate: &str) -> Verified {
    if let Some(rest) = stored.strip_prefix("pbkdf2_sha256$") {
        return match verify_django_pbkdf2(rest, candidate) {
            true => Verified::YesNeedsRehash,
            false => Verified::No,
        };
    }
    if stored.starts_with("$argon2") {
        if let Ok(parsed) = PasswordHash::new(stored) {
            if Argon2::default()
                .verify_password(candidate.as_bytes(), &parsed)
                .is_ok()
            {
                return Verified::Yes;
            }
        }
    }
    // Unusable passwords (`!…`) and unknown formats never verify.
    Verified::No
}

/// `iterations$salt$base64(hash)` as written by Django's PBKDF2PasswordHasher.
fn verify_django_pbkdf2(rest: &str, candidate: &str) -> bool {
    let mut parts = rest.splitn(3, '$');
    let (Some(iter), Some(salt), Some(expected)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let Ok(iterations) = iter.parse::<u32>() else {
        return false;
    };
    if iterations == 0 || iterations > 10_000_000 {
        return false;
    }
    let Ok(expected) = base64::engine::general_purpose::STANDARD.decode(expected) else {
        return false;
    };
    let mut out = vec![0u8; expected.len().max(1)];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
        candidate.as_bytes(),
        salt.as_bytes(),
        iterations,
        &mut out,
    );
    out.ct_eq(&expected).into()
}

/// A password no one can log in with (for service accounts and test users).
pub const UNUSABLE_PASSWORD: &str = "!unusable";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn django_pbkdf2_hash_verifies() {
        // Generated with Django's make_password("secret", salt="abcdefgh", hasher="pbkdf2_sha256")
        // at 1000 iterations (computed here with the same algorithm).
        let mut out = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(b"secret", b"abcdefgh", 1000, &mut out);
        let stored = format!(
            "pbkdf2_sha256$1000$abcdefgh${}",
            base64::engine::general_purpose::STANDARD.encode(out)
        );
        assert_eq!(verify_password(&stored, "secret"), Verified::YesNeedsRehash);
        assert_eq!(verify_password(&stored, "Secret"), Verified::No);
        assert_eq!(
            verify_password("pbkdf2_sha256$x$y$z", "secret"),
            Verified::No
        );
    }

    #[test]
    fn argon2_round_trip_and_unusable() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert_eq!(verify_password(&h, "correct horse"), Verified::Yes);
        assert_eq!(verify_password(&h, "wrong"), Verified::No);
        assert_eq!(verify_password(UNUSABLE_PASSWORD, ""), Verified::No);
        assert_eq!(verify_or_dummy(Some(&h), "correct horse"), Verified::Yes);
        assert_eq!(verify_or_dummy(None, "correct horse"), Verified::No);
        assert_eq!(verify_or_dummy(Some(UNUSABLE_PASSWORD), ""), Verified::No);
    }
}
