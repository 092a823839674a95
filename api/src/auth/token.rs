//! JSON Web Tokens: verifying the bearer token of a request and minting
//! development tokens.
//!
//! Every token must carry `sub`, `role`, `iss`, `aud` and `exp`; issuer and
//! audience must match the configuration, the algorithm is pinned to HS256, and
//! `nbf` is honoured when present.

use std::time::Duration;

use entity::enums::Role;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use crate::config::AuthConfig;
use crate::error::ApiError;

/// Clock skew tolerated on `exp` and `nbf`.
const LEEWAY_SECONDS: u64 = 30;

/// The claims of a hiregraph token.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The staff user: their numeric id or their email.
    pub sub: String,
    /// The role the token grants, e.g. `RECRUITER`.
    pub role: String,
    /// Who issued the token.
    pub iss: String,
    /// Who the token is for.
    pub aud: String,
    /// Expiry, seconds since the epoch.
    pub exp: u64,
    /// Issued at, seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// Not valid before, seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
}

impl Claims {
    /// The role claim as a [`Role`], if it names one.
    pub fn role(&self) -> Option<Role> {
        role_from_str(&self.role)
    }
}

/// Parses a role name (`ADMIN`, `RECRUITER`, `HIRING_MANAGER`, `INTERVIEWER`).
pub fn role_from_str(name: &str) -> Option<Role> {
    match name {
        "ADMIN" => Some(Role::Admin),
        "RECRUITER" => Some(Role::Recruiter),
        "HIRING_MANAGER" => Some(Role::HiringManager),
        "INTERVIEWER" => Some(Role::Interviewer),
        _ => None,
    }
}

/// The name of a role as tokens spell it.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "ADMIN",
        Role::Recruiter => "RECRUITER",
        Role::HiringManager => "HIRING_MANAGER",
        Role::Interviewer => "INTERVIEWER",
    }
}

/// Verifies and mints tokens with one configured key.
pub struct Authenticator {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    development: bool,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("development", &self.development)
            .finish_non_exhaustive()
    }
}

impl Authenticator {
    /// An authenticator for `config`. Without a secret, it generates one and
    /// reports development mode (see [`Authenticator::is_development`]).
    pub fn new(config: &AuthConfig) -> Result<Self, ApiError> {
        let (secret, development) = match &config.jwt_secret {
            Some(secret) if !secret.is_empty() => (secret.clone().into_bytes(), false),
            _ => (generated_secret(), true),
        };
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&config.jwt_issuer]);
        validation.set_audience(&[&config.jwt_audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.validate_aud = true;
        validation.leeway = LEEWAY_SECONDS;
        let key_error = |err: jsonwebtoken::errors::Error| {
            ApiError::Internal(format!("unusable JWT secret: {err}"))
        };
        Ok(Authenticator {
            encoding: EncodingKey::from_secret(&secret).map_err(key_error)?,
            decoding: DecodingKey::from_secret(&secret).map_err(key_error)?,
            validation,
            issuer: config.jwt_issuer.clone(),
            audience: config.jwt_audience.clone(),
            development,
        })
    }

    /// True when no secret was configured and one was generated for this process.
    pub fn is_development(&self) -> bool {
        self.development
    }

    /// Mints a token for `subject` with `role`, valid for `ttl`.
    pub fn mint(&self, subject: &str, role: Role, ttl: Duration) -> Result<String, ApiError> {
        let now = jsonwebtoken::get_current_timestamp();
        let claims = Claims {
            sub: subject.to_owned(),
            role: role_name(role).to_owned(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: now + ttl.as_secs(),
            iat: Some(now),
            nbf: None,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|err| ApiError::Internal(format!("could not sign a token: {err}")))
    }

    /// Verifies `token` and returns its claims, or why it is not acceptable.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation).map_err(|err| {
            use jsonwebtoken::errors::ErrorKind;
            let why = match err.kind() {
                ErrorKind::ExpiredSignature => "the token has expired",
                ErrorKind::ImmatureSignature => "the token is not valid yet",
                ErrorKind::InvalidIssuer => "the token was issued by someone else",
                ErrorKind::InvalidAudience => "the token is meant for another audience",
                ErrorKind::InvalidSignature => "the token's signature does not verify",
                ErrorKind::InvalidAlgorithm => {
                    "the token is signed with an algorithm that is not accepted"
                }
                ErrorKind::MissingRequiredClaim(_) => {
                    "the token lacks a required claim (sub, iss, aud, exp)"
                }
                _ => "the token is malformed",
            };
            ApiError::Unauthenticated(why.to_owned())
        })?;
        if data.claims.role().is_none() {
            return Err(ApiError::Unauthenticated(format!(
                "the token's role `{}` is not one of ADMIN, RECRUITER, HIRING_MANAGER, INTERVIEWER",
                data.claims.role
            )));
        }
        Ok(data.claims)
    }
}

/// 32 random bytes, hex-encoded, from the operating system's generator.
fn generated_secret() -> Vec<u8> {
    let random =
        uuid::Uuid::new_v4().simple().to_string() + &uuid::Uuid::new_v4().simple().to_string();
    random.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(secret: &str) -> AuthConfig {
        AuthConfig {
            jwt_secret: Some(secret.to_owned()),
            jwt_issuer: "hiregraph".into(),
            jwt_audience: "hiregraph".into(),
        }
    }

    #[test]
    fn a_minted_token_verifies() -> Result<(), ApiError> {
        let auth = Authenticator::new(&config("s3cret"))?;
        let token = auth.mint("ada@example.com", Role::Recruiter, Duration::from_secs(60))?;
        let claims = auth.verify(&token)?;
        assert_eq!(claims.sub, "ada@example.com");
        assert_eq!(claims.role(), Some(Role::Recruiter));
        Ok(())
    }

    #[test]
    fn a_token_signed_with_another_secret_is_rejected() -> Result<(), ApiError> {
        let token =
            Authenticator::new(&config("one"))?.mint("1", Role::Admin, Duration::from_secs(60))?;
        let err = Authenticator::new(&config("two"))?.verify(&token);
        assert!(matches!(err, Err(ApiError::Unauthenticated(_))));
        Ok(())
    }

    #[test]
    fn without_a_secret_the_authenticator_is_in_development_mode() -> Result<(), ApiError> {
        assert!(Authenticator::new(&AuthConfig::default())?.is_development());
        assert!(!Authenticator::new(&config("x"))?.is_development());
        Ok(())
    }
}
