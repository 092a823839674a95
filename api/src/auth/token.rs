//! JSON Web Tokens: verifying the bearer token of a request and minting
//! HS256 tokens for operators and development.
//!
//! Every token must carry `sub`, `role`, `iss`, `aud` and `exp`; issuer and
//! audience must match the configuration, and `nbf` is honoured when present
//! (with [`LEEWAY_SECONDS`] of clock skew either way).
//!
//! # Which key verifies a token
//!
//! The header decides, before any signature is checked:
//!
//! - `alg: none`, and any algorithm other than HS256, RS256, ES256 and EdDSA,
//!   is rejected.
//! - A token **with** a `kid` is verified only with the public key of that id
//!   (from `HIREGRAPH_JWT_PUBLIC_KEYS` or `HIREGRAPH_JWT_JWKS_FILE`), and only
//!   if its `alg` is the one algorithm that key is pinned to. So a token that
//!   claims HS256 under the kid of an RSA key (the key-confusion attack: an
//!   HMAC made with the public key as the secret) is rejected, as is an RS256
//!   token under the kid of an EC key.
//! - A token **without** a `kid` is accepted only as HS256, and only when
//!   `HIREGRAPH_JWT_SECRET` is configured (or generated in development mode).
//!   Tokens signed with a public-key algorithm must name their key.
//!
//! Header members that point at other keys (`jku`, `jwk`, `x5u`, `x5c`) are
//! never followed, and a token with `crit` extensions is rejected.

use std::collections::HashMap;
use std::str::FromStr as _;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::enums::Role;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use super::keys::{self, KeyConfigError};
use crate::config::AuthConfig;
use crate::error::ApiError;

/// Clock skew tolerated on `exp` and `nbf`.
pub const LEEWAY_SECONDS: u64 = 30;

/// The claims of a hiregraph token.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The staff user: their numeric id or their email.
    pub sub: String,
    /// The role the token grants, e.g. `RECRUITER`.
    pub role: String,
    /// Who issued the token.
    pub iss: String,
    /// Who the token is for: this service's audience (a verified token may
    /// name other audiences too).
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

/// A key tokens are verified with, pinned to one algorithm, with the rules
/// its tokens' claims must meet.
struct Verifier {
    algorithm: Algorithm,
    key: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    fn new(algorithm: Algorithm, key: DecodingKey, issuer: &str, audience: &str) -> Self {
        let mut validation = Validation::new(algorithm);
        validation.algorithms = vec![algorithm];
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.validate_aud = true;
        validation.leeway = LEEWAY_SECONDS;
        Verifier {
            algorithm,
            key,
            validation,
        }
    }
}

/// The HS256 secret: for verifying tokens without a `kid`, and for minting.
struct Hs256 {
    encoding: EncodingKey,
    verifier: Verifier,
}

/// Verifies tokens with the configured keys, and mints HS256 tokens when a
/// secret is configured. Every key is parsed once, when this is built.
pub struct Authenticator {
    hs256: Option<Hs256>,
    /// Public keys by `kid`.
    keys: HashMap<String, Verifier>,
    issuer: String,
    audience: String,
    development: bool,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("hs256", &self.hs256.is_some())
            .field("keys", &self.key_ids())
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("development", &self.development)
            .finish()
    }
}

impl Authenticator {
    /// An authenticator for `config`: it reads and checks every public key
    /// now, and fails with a message naming the file and key at fault. With
    /// no secret and no public keys, it generates a secret and reports
    /// development mode (see [`Authenticator::is_development`]).
    pub fn new(config: &AuthConfig) -> Result<Self, KeyConfigError> {
        let (issuer, audience) = (config.jwt_issuer.as_str(), config.jwt_audience.as_str());
        let mut public = Vec::new();
        for file in &config.jwt_public_keys.0 {
            public.push(keys::read_pem(&file.kid, &file.path)?);
        }
        let jwks_file = config
            .jwt_jwks_file
            .as_ref()
            .filter(|path| !path.as_os_str().is_empty());
        if let Some(path) = jwks_file {
            public.extend(keys::read_jwks(path)?);
        }
        let mut keys: HashMap<String, Verifier> = HashMap::new();
        let mut sources: HashMap<String, String> = HashMap::new();
        for key in public {
            if let Some(first) = sources.get(&key.kid) {
                return Err(KeyConfigError(format!(
                    "the key id `{}` is configured twice ({first} and {}); each kid must name one key",
                    key.kid, key.source
                )));
            }
            sources.insert(key.kid.clone(), key.source);
            keys.insert(
                key.kid,
                Verifier::new(key.algorithm, key.key, issuer, audience),
            );
        }
        let configured = config.jwt_secret.as_deref().filter(|s| !s.is_empty());
        let development = configured.is_none() && keys.is_empty();
        let secret = match configured {
            Some(secret) => Some(secret.as_bytes().to_vec()),
            None if development => Some(generated_secret()),
            None => None,
        };
        let hs256 = match secret {
            Some(secret) => {
                let unusable =
                    |_| KeyConfigError("HIREGRAPH_JWT_SECRET is not a usable secret".into());
                Some(Hs256 {
                    encoding: EncodingKey::from_secret(&secret).map_err(unusable)?,
                    verifier: Verifier::new(
                        Algorithm::HS256,
                        DecodingKey::from_secret(&secret).map_err(unusable)?,
                        issuer,
                        audience,
                    ),
                })
            }
            None => None,
        };
        Ok(Authenticator {
            hs256,
            keys,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            development,
        })
    }

    /// True when nothing was configured and a secret was generated for this
    /// process.
    pub fn is_development(&self) -> bool {
        self.development
    }

    /// True when HS256 tokens (without a `kid`) are accepted.
    pub fn accepts_hs256(&self) -> bool {
        self.hs256.is_some()
    }

    /// The configured public keys as `kid (algorithm)`, sorted, for the log.
    pub fn key_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .keys
            .iter()
            .map(|(kid, key)| format!("{kid} ({})", keys::algorithm_name(key.algorithm)))
            .collect();
        ids.sort();
        ids
    }

    /// Mints an HS256 token for `subject` with `role`, valid for `ttl`. Only
    /// with a secret: production tokens come from the identity provider.
    pub fn mint(&self, subject: &str, role: Role, ttl: Duration) -> Result<String, ApiError> {
        let hs256 = self.hs256.as_ref().ok_or_else(|| {
            ApiError::Internal(
                "no HIREGRAPH_JWT_SECRET is configured, so no tokens can be minted here".into(),
            )
        })?;
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
        encode(&Header::new(Algorithm::HS256), &claims, &hs256.encoding)
            .map_err(|err| ApiError::Internal(format!("could not sign a token: {err}")))
    }

    /// Verifies `token` and returns its claims, or why it is not acceptable
    /// (always [`ApiError::Unauthenticated`]).
    ///
    /// A token with a `kid` is verified only with that key and only with its
    /// pinned algorithm. A token without a `kid` is accepted only as HS256,
    /// and only when a secret is configured.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let header = TokenHeader::read(token)?;
        let verifier = self.select(&header)?;
        let data =
            decode::<TokenClaims>(token, &verifier.key, &verifier.validation).map_err(rejection)?;
        let claims = data.claims;
        let (Some(sub), Some(iss), Some(exp)) = (claims.sub, claims.iss, claims.exp) else {
            return Err(unauthenticated(
                "the token lacks a required claim (sub, iss, aud, exp)",
            ));
        };
        let role = claims
            .role
            .ok_or_else(|| unauthenticated("the token has no role claim"))?;
        if role_from_str(&role).is_none() {
            return Err(ApiError::Unauthenticated(format!(
                "the token's role `{role}` is not one of ADMIN, RECRUITER, HIRING_MANAGER, INTERVIEWER"
            )));
        }
        Ok(Claims {
            sub,
            role,
            iss,
            // Validation checked that the token is meant for this audience.
            aud: self.audience.clone(),
            exp,
            iat: claims.iat,
            nbf: claims.nbf,
        })
    }

    /// The key that may verify a token with `header`, by the rules in the
    /// module documentation: a `kid` selects its key and only that key's
    /// algorithm; no `kid` means HS256 with the configured secret.
    fn select(&self, header: &TokenHeader) -> Result<&Verifier, ApiError> {
        match &header.kid {
            Some(kid) => {
                let key = self.keys.get(kid).ok_or_else(|| {
                    unauthenticated("the token's key id (kid) is not one this server trusts")
                })?;
                if key.algorithm != header.alg {
                    return Err(ApiError::Unauthenticated(format!(
                        "the token's algorithm does not match its key, which verifies {} only",
                        keys::algorithm_name(key.algorithm)
                    )));
                }
                Ok(key)
            }
            None => match (&self.hs256, header.alg) {
                (Some(hs256), Algorithm::HS256) => Ok(&hs256.verifier),
                (None, Algorithm::HS256) => Err(unauthenticated(
                    "HS256 tokens are not accepted here; use a token from the identity provider",
                )),
                (_, Algorithm::RS256 | Algorithm::ES256 | Algorithm::EdDSA) => Err(
                    unauthenticated("the token does not name its signing key (kid in the header)"),
                ),
                _ => Err(unauthenticated(
                    "the token is signed with an algorithm that is not accepted",
                )),
            },
        }
    }
}

/// What of a token's header decides which key verifies it.
#[derive(Debug, PartialEq, Eq)]
struct TokenHeader {
    alg: Algorithm,
    kid: Option<String>,
}

/// The header members read before choosing a key.
#[derive(Deserialize)]
struct RawHeader {
    alg: Option<String>,
    kid: Option<String>,
    crit: Option<serde::de::IgnoredAny>,
}

impl TokenHeader {
    /// Reads the header of `token`, rejecting unsigned tokens, unknown
    /// algorithms and critical extensions.
    fn read(token: &str) -> Result<TokenHeader, ApiError> {
        let malformed = || unauthenticated("the token is malformed");
        let mut parts = token.split('.');
        let (Some(head), Some(_), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed());
        };
        let json = URL_SAFE_NO_PAD.decode(head).map_err(|_| malformed())?;
        let raw: RawHeader = serde_json::from_slice(&json).map_err(|_| malformed())?;
        if raw.crit.is_some() {
            return Err(unauthenticated(
                "the token has critical header extensions (crit), which are not supported",
            ));
        }
        let alg = raw
            .alg
            .ok_or_else(|| unauthenticated("the token's header names no algorithm"))?;
        if alg.eq_ignore_ascii_case("none") {
            return Err(unauthenticated(
                "unsigned tokens (alg: none) are not accepted",
            ));
        }
        let alg = Algorithm::from_str(&alg).map_err(|_| {
            unauthenticated("the token is signed with an algorithm that is not accepted")
        })?;
        Ok(TokenHeader { alg, kid: raw.kid })
    }
}

/// The claims as a token may carry them. The validation checks the required
/// ones first; `aud` (a string or a list) is only checked, never read.
#[derive(Deserialize)]
struct TokenClaims {
    sub: Option<String>,
    role: Option<String>,
    iss: Option<String>,
    exp: Option<u64>,
    iat: Option<u64>,
    nbf: Option<u64>,
}

fn unauthenticated(why: &str) -> ApiError {
    ApiError::Unauthenticated(why.to_owned())
}

/// Why jsonwebtoken rejected a token, in words for the client.
fn rejection(err: jsonwebtoken::errors::Error) -> ApiError {
    use jsonwebtoken::errors::ErrorKind;
    let why = match err.kind() {
        ErrorKind::ExpiredSignature => "the token has expired",
        ErrorKind::ImmatureSignature => "the token is not valid yet",
        ErrorKind::InvalidIssuer => "the token was issued by someone else",
        ErrorKind::InvalidAudience => "the token is meant for another audience",
        ErrorKind::InvalidSignature => "the token's signature does not verify",
        ErrorKind::InvalidAlgorithm => "the token is signed with an algorithm that is not accepted",
        ErrorKind::MissingRequiredClaim(_) => {
            "the token lacks a required claim (sub, iss, aud, exp)"
        }
        ErrorKind::InvalidClaimFormat(_) | ErrorKind::Json(_) => {
            "the token's claims are malformed (sub, role, iss: strings; exp, nbf, iat: numbers)"
        }
        _ => "the token is malformed",
    };
    unauthenticated(why)
}

/// 32 random bytes, hex-encoded, from the operating system's generator.
fn generated_secret() -> Vec<u8> {
    let random =
        uuid::Uuid::new_v4().simple().to_string() + &uuid::Uuid::new_v4().simple().to_string();
    random.into_bytes()
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::config::{PublicKeyFile, PublicKeyFiles};

    fn config(secret: &str) -> AuthConfig {
        AuthConfig {
            jwt_secret: Some(secret.to_owned()),
            jwt_issuer: "hiregraph".into(),
            jwt_audience: "hiregraph".into(),
            ..AuthConfig::default()
        }
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/keys")
            .join(name)
    }

    /// An RSA and an EC key, with or without a secret beside them.
    fn with_keys(secret: Option<&str>) -> Result<Authenticator, KeyConfigError> {
        Authenticator::new(&AuthConfig {
            jwt_secret: secret.map(str::to_owned),
            jwt_public_keys: PublicKeyFiles(vec![
                PublicKeyFile {
                    kid: "rsa".into(),
                    path: fixture("test-only-rsa-1-public.pem"),
                },
                PublicKeyFile {
                    kid: "ec".into(),
                    path: fixture("test-only-ec-p256-public.pem"),
                },
            ]),
            jwt_issuer: "hiregraph".into(),
            jwt_audience: "hiregraph".into(),
            ..AuthConfig::default()
        })
    }

    fn header(alg: Algorithm, kid: Option<&str>) -> TokenHeader {
        TokenHeader {
            alg,
            kid: kid.map(str::to_owned),
        }
    }

    /// A token whose header is `json` (payload and signature are not read).
    fn token_with_header(json: &str) -> String {
        format!("{}.e30.c2ln", URL_SAFE_NO_PAD.encode(json))
    }

    /// The message of an UNAUTHENTICATED error, or a panic.
    fn rejected<T: std::fmt::Debug>(result: Result<T, ApiError>) -> String {
        match result {
            Err(ApiError::Unauthenticated(message)) => message,
            other => panic!("expected UNAUTHENTICATED, got {other:?}"),
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

    #[test]
    fn public_keys_alone_are_not_development_mode_and_mint_nothing() -> Result<(), KeyConfigError> {
        let auth = with_keys(None)?;
        assert!(!auth.is_development());
        assert!(!auth.accepts_hs256());
        assert_eq!(auth.key_ids(), ["ec (ES256)", "rsa (RS256)"]);
        assert!(
            auth.mint("1", Role::Admin, Duration::from_secs(60))
                .is_err()
        );
        Ok(())
    }

    #[test]
    fn the_header_names_the_algorithm_and_the_key() -> Result<(), ApiError> {
        let read = |json: &str| TokenHeader::read(&token_with_header(json));
        assert_eq!(
            read(r#"{"alg":"RS256","kid":"rsa","typ":"JWT"}"#)?,
            header(Algorithm::RS256, Some("rsa"))
        );
        assert_eq!(read(r#"{"alg":"HS256"}"#)?, header(Algorithm::HS256, None));
        for none in ["none", "None", "NONE"] {
            let message = rejected(read(&format!(r#"{{"alg":"{none}","kid":"rsa"}}"#)));
            assert!(message.contains("alg: none"), "{message}");
        }
        for (json, why) in [
            (r#"{"alg":"XS512"}"#, "algorithm that is not accepted"),
            (r#"{"kid":"rsa"}"#, "names no algorithm"),
            (r#"{"alg":"RS256","kid":"rsa","crit":["exp"]}"#, "crit"),
            (r#"{"alg":"RS256","kid":7}"#, "malformed"),
            ("not json", "malformed"),
        ] {
            let message = rejected(read(json));
            assert!(message.contains(why), "{json}: {message}");
        }
        for token in ["", "a.b", "a.b.c.d", "!!.e30.c2ln"] {
            assert!(rejected(TokenHeader::read(token)).contains("malformed"));
        }
        Ok(())
    }

    #[test]
    fn a_kid_selects_its_key_and_only_with_that_keys_algorithm() -> Result<(), KeyConfigError> {
        let auth = with_keys(Some("s3cret"))?;
        let chosen = |alg, kid| auth.select(&header(alg, kid)).map(|v| v.algorithm);
        assert_eq!(
            chosen(Algorithm::RS256, Some("rsa")).ok(),
            Some(Algorithm::RS256)
        );
        assert_eq!(
            chosen(Algorithm::ES256, Some("ec")).ok(),
            Some(Algorithm::ES256)
        );
        for (alg, kid) in [
            // Key confusion: an HMAC made with the RSA public key as the secret.
            (Algorithm::HS256, "rsa"),
            // Another algorithm of the same family is not the pinned one either.
            (Algorithm::PS256, "rsa"),
            (Algorithm::RS512, "rsa"),
            (Algorithm::RS256, "ec"),
            (Algorithm::ES384, "ec"),
        ] {
            let message = rejected(chosen(alg, Some(kid)));
            assert!(message.contains("does not match its key"), "{message}");
        }
        let message = rejected(chosen(Algorithm::RS256, Some("retired")));
        assert!(message.contains("kid"), "{message}");
        Ok(())
    }

    #[test]
    fn without_a_kid_only_hs256_with_a_secret_is_accepted() -> Result<(), KeyConfigError> {
        let with_secret = with_keys(Some("s3cret"))?;
        let without_secret = with_keys(None)?;
        assert_eq!(
            with_secret
                .select(&header(Algorithm::HS256, None))
                .map(|v| v.algorithm)
                .ok(),
            Some(Algorithm::HS256)
        );
        let message = rejected(without_secret.select(&header(Algorithm::HS256, None)));
        assert!(
            message.contains("HS256 tokens are not accepted"),
            "{message}"
        );
        for alg in [Algorithm::RS256, Algorithm::ES256, Algorithm::EdDSA] {
            for auth in [&with_secret, &without_secret] {
                let message = rejected(auth.select(&header(alg, None)));
                assert!(message.contains("kid"), "{message}");
            }
        }
        for alg in [Algorithm::HS384, Algorithm::HS512, Algorithm::PS256] {
            let message = rejected(with_secret.select(&header(alg, None)));
            assert!(message.contains("not accepted"), "{message}");
        }
        Ok(())
    }

    #[test]
    fn a_kid_named_twice_is_a_start_up_error() {
        let file = |kid: &str| PublicKeyFile {
            kid: kid.into(),
            path: fixture("test-only-rsa-1-public.pem"),
        };
        let err = Authenticator::new(&AuthConfig {
            jwt_public_keys: PublicKeyFiles(vec![file("a"), file("a")]),
            ..AuthConfig::default()
        });
        let Err(err) = err else {
            panic!("a duplicate kid was accepted");
        };
        assert!(err.to_string().contains("`a` is configured twice"), "{err}");
    }
}
