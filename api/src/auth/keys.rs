//! The public keys tokens are verified with, read once at start-up from PEM
//! files (`HIREGRAPH_JWT_PUBLIC_KEYS`) and from a JWKS file
//! (`HIREGRAPH_JWT_JWKS_FILE`).
//!
//! Each key is pinned to the one algorithm its kind allows: RSA to RS256, EC
//! P-256 to ES256, Ed25519 to EdDSA. Anything else (another curve, a private
//! key, a certificate, a symmetric key in the JWKS, an RSA key under 2048
//! bits, a JWKS `alg` that disagrees with the key) is refused with an error
//! naming the file and the key, so a mistake stops the server at start-up
//! instead of rejecting every token later. Messages never quote key material.

use std::collections::HashSet;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Deserialize;

/// Smallest RSA modulus accepted, in bits.
const RSA_MIN_BITS: usize = 2048;
/// Largest RSA modulus the verifier handles, in bits.
const RSA_MAX_BITS: usize = 8192;

/// Why the configured keys cannot be used. The message names the setting, the
/// file and the key at fault.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeyConfigError(pub(crate) String);

impl From<KeyConfigError> for crate::error::ApiError {
    fn from(err: KeyConfigError) -> Self {
        crate::error::ApiError::Internal(err.0)
    }
}

/// A public key, the id tokens name it by, and the algorithm it is pinned to.
#[derive(Clone)]
pub(crate) struct PublicKey {
    /// The `kid` tokens signed with it carry.
    pub kid: String,
    /// The only algorithm accepted with it.
    pub algorithm: Algorithm,
    /// The key, parsed.
    pub key: DecodingKey,
    /// The file it came from, for messages.
    pub source: String,
}

/// Reads the PEM public key at `path`, named `kid`.
pub(crate) fn read_pem(kid: &str, path: &Path) -> Result<PublicKey, KeyConfigError> {
    let source = path.display().to_string();
    let fail = |why: String| {
        KeyConfigError(format!(
            "HIREGRAPH_JWT_PUBLIC_KEYS: key `{kid}` in {source}: {why}"
        ))
    };
    let bytes = std::fs::read(path).map_err(|err| fail(format!("cannot read the file: {err}")))?;
    let (algorithm, key) = parse_pem(&bytes).map_err(fail)?;
    Ok(PublicKey {
        kid: kid.to_owned(),
        algorithm,
        key,
        source,
    })
}

/// The key of a PEM file holding one public key, and its algorithm.
fn parse_pem(bytes: &[u8]) -> Result<(Algorithm, DecodingKey), String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not a PEM file".to_owned())?;
    let labels: Vec<&str> = text
        .match_indices("-----BEGIN ")
        .map(|(at, begin)| {
            text[at + begin.len()..]
                .split("-----")
                .next()
                .unwrap_or_default()
        })
        .collect();
    match labels.as_slice() {
        [] => return Err("not a PEM file (no `-----BEGIN` line)".into()),
        [label] if label.ends_with("PRIVATE KEY") => {
            return Err("it holds a private key; configure the public key \
                 (`openssl pkey -in private.pem -pubout`)"
                .into());
        }
        [label] if *label == "PUBLIC KEY" || *label == "RSA PUBLIC KEY" => {}
        [label] => {
            return Err(format!(
                "it holds a `{label}`, not a public key (`-----BEGIN PUBLIC KEY-----`)"
            ));
        }
        _ => return Err("it holds several PEM blocks; put one public key in each file".into()),
    }
    if let Ok(key) = DecodingKey::from_rsa_pem(bytes) {
        let Ok(Jwk {
            algorithm: AlgorithmParameters::RSA(params),
            ..
        }) = Jwk::from_decoding_key(&key, None)
        else {
            return Err("not a valid RSA public key".into());
        };
        return rsa_key(&params.n, &params.e).map(|key| (Algorithm::RS256, key));
    }
    if let Ok(key) = DecodingKey::from_ec_pem(bytes) {
        if !usable(&key, Algorithm::ES256) {
            return Err(
                "an EC key on a curve other than P-256; only P-256 (ES256) is accepted".into(),
            );
        }
        return Ok((Algorithm::ES256, key));
    }
    if let Ok(key) = DecodingKey::from_ed_pem(bytes) {
        if !ed25519_usable(&key) {
            return Err("not a valid Ed25519 public key".into());
        }
        return Ok((Algorithm::EdDSA, key));
    }
    Err("not an RSA, EC P-256 or Ed25519 public key".into())
}

/// Reads the JWKS file at `path`: its signing keys, each pinned to its
/// algorithm. Keys whose `use` is not `sig` are skipped.
pub(crate) fn read_jwks(path: &Path) -> Result<Vec<PublicKey>, KeyConfigError> {
    let source = path.display().to_string();
    let fail = |why: String| KeyConfigError(format!("HIREGRAPH_JWT_JWKS_FILE {source}: {why}"));
    let text = std::fs::read_to_string(path)
        .map_err(|err| fail(format!("cannot read the file: {err}")))?;
    parse_jwks(&text, &source).map_err(fail)
}

/// The JSON of a JWKS file.
#[derive(Deserialize)]
struct JwksFile {
    keys: Vec<serde_json::Value>,
}

/// The members of a JSON Web Key hiregraph reads.
#[derive(Deserialize)]
struct JwkMembers {
    kid: Option<String>,
    kty: Option<String>,
    #[serde(rename = "use")]
    usage: Option<String>,
    alg: Option<String>,
    crv: Option<String>,
    n: Option<String>,
    e: Option<String>,
    x: Option<String>,
    y: Option<String>,
}

/// The signing keys of the JWKS document `text`, read from `source`.
fn parse_jwks(text: &str, source: &str) -> Result<Vec<PublicKey>, String> {
    let file: JwksFile = serde_json::from_str(text)
        .map_err(|err| format!("not a JWKS document (`{{\"keys\": [...]}}`): {err}"))?;
    let mut keys = Vec::new();
    let mut kids = HashSet::new();
    for (index, value) in file.keys.iter().enumerate() {
        let position = index + 1;
        let members: JwkMembers = serde_json::from_value(value.clone())
            .map_err(|err| format!("key #{position} is not a JSON Web Key: {err}"))?;
        let name = match &members.kid {
            Some(kid) => format!("key `{kid}`"),
            None => format!("key #{position}"),
        };
        if let Some(usage) = members.usage.as_deref().filter(|usage| *usage != "sig") {
            tracing::debug!(key = %name, usage, source, "skipping a JWKS key not meant for signatures");
            continue;
        }
        if ["d", "p", "q", "k"]
            .iter()
            .any(|secret| value.get(secret).is_some())
        {
            return Err(format!(
                "{name} holds private or secret key material; the file must hold public keys only"
            ));
        }
        let kid = members
            .kid
            .clone()
            .filter(|kid| !kid.is_empty())
            .ok_or_else(|| format!("{name} has no `kid`; tokens name their key by it"))?;
        let (algorithm, key) = jwk_key(&members).map_err(|why| format!("{name}: {why}"))?;
        if let Some(alg) = &members.alg
            && *alg != algorithm_name(algorithm)
        {
            return Err(format!(
                "{name}: `alg` is {alg} but a key of its type verifies {} only",
                algorithm_name(algorithm)
            ));
        }
        if !kids.insert(kid.clone()) {
            return Err(format!("{name} appears twice"));
        }
        keys.push(PublicKey {
            kid,
            algorithm,
            key,
            source: source.to_owned(),
        });
    }
    if keys.is_empty() {
        return Err("it holds no signing keys".into());
    }
    Ok(keys)
}

/// The key a JWK describes and the algorithm its type allows.
fn jwk_key(jwk: &JwkMembers) -> Result<(Algorithm, DecodingKey), String> {
    let member = |value: &Option<String>, name: &str| {
        value
            .as_deref()
            .ok_or_else(|| format!("`{name}` is missing"))
            .and_then(|text| {
                URL_SAFE_NO_PAD
                    .decode(text.trim_end_matches('='))
                    .map_err(|_| format!("`{name}` is not base64url"))
            })
    };
    match (jwk.kty.as_deref(), jwk.crv.as_deref()) {
        (Some("RSA"), _) => {
            let key = rsa_raw_key(&member(&jwk.n, "n")?, &member(&jwk.e, "e")?)?;
            Ok((Algorithm::RS256, key))
        }
        (Some("EC"), Some("P-256")) => {
            let (x, y) = (member(&jwk.x, "x")?, member(&jwk.y, "y")?);
            let mut point = Vec::with_capacity(65);
            point.push(0x04);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            let key = DecodingKey::from_ec_der(&point);
            if x.len() != 32 || y.len() != 32 || !usable(&key, Algorithm::ES256) {
                return Err("not a valid P-256 public key".into());
            }
            Ok((Algorithm::ES256, key))
        }
        (Some("EC"), curve) => Err(format!(
            "an EC key on curve {}; only P-256 (ES256) is accepted",
            curve.unwrap_or("(none)")
        )),
        (Some("OKP"), Some("Ed25519")) => {
            let key = DecodingKey::from_ed_der(&member(&jwk.x, "x")?);
            if !ed25519_usable(&key) {
                return Err("not a valid Ed25519 public key".into());
            }
            Ok((Algorithm::EdDSA, key))
        }
        (Some("OKP"), curve) => Err(format!(
            "an OKP key on curve {}; only Ed25519 (EdDSA) is accepted",
            curve.unwrap_or("(none)")
        )),
        (Some("oct"), _) => {
            Err("a symmetric (`oct`) key; HS256 tokens use HIREGRAPH_JWT_SECRET".into())
        }
        (Some(other), _) => Err(format!(
            "key type `{other}` is not accepted; use RSA, EC (P-256) or OKP (Ed25519)"
        )),
        (None, _) => Err("`kty` is missing".into()),
    }
}

/// An RSA key from its base64url modulus and exponent.
fn rsa_key(n: &str, e: &str) -> Result<DecodingKey, String> {
    let decode = |text: &str| {
        URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| "not a valid RSA public key".to_owned())
    };
    rsa_raw_key(&decode(n)?, &decode(e)?)
}

/// An RSA key from its modulus and exponent (big-endian), checked for size.
fn rsa_raw_key(n: &[u8], e: &[u8]) -> Result<DecodingKey, String> {
    let n = strip_leading_zeros(n);
    let bits = match n.first() {
        Some(first) => n.len() * 8 - first.leading_zeros() as usize,
        None => 0,
    };
    if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
        return Err(format!(
            "an RSA key of {bits} bits; {RSA_MIN_BITS} to {RSA_MAX_BITS} bits are accepted"
        ));
    }
    let e = strip_leading_zeros(e);
    let exponent = (e.len() <= 8).then(|| e.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)));
    if !exponent.is_some_and(|e| e >= 3 && e % 2 == 1 && e < (1 << 33)) {
        return Err("the RSA public exponent is not valid".into());
    }
    Ok(DecodingKey::from_rsa_raw_components(n, e))
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// True when the verifier accepts `key` for `algorithm`: it parses the key
/// (and checks an EC point lies on its curve) before looking at a signature.
fn usable(key: &DecodingKey, algorithm: Algorithm) -> bool {
    jsonwebtoken::crypto::verify("AA", b"probe", key, algorithm).is_ok()
}

/// True for a 32-byte Ed25519 point the verifier accepts.
fn ed25519_usable(key: &DecodingKey) -> bool {
    key.try_get_as_bytes().is_ok_and(|bytes| bytes.len() == 32) && usable(key, Algorithm::EdDSA)
}

/// The JOSE name of `algorithm`, e.g. `RS256`.
pub(crate) fn algorithm_name(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::HS256 => "HS256",
        Algorithm::HS384 => "HS384",
        Algorithm::HS512 => "HS512",
        Algorithm::ES256 => "ES256",
        Algorithm::ES384 => "ES384",
        Algorithm::RS256 => "RS256",
        Algorithm::RS384 => "RS384",
        Algorithm::RS512 => "RS512",
        Algorithm::PS256 => "PS256",
        Algorithm::PS384 => "PS384",
        Algorithm::PS512 => "PS512",
        Algorithm::EdDSA => "EdDSA",
        _ => "another algorithm",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/keys")
            .join(name)
    }

    #[test]
    fn each_kind_of_pem_key_is_pinned_to_its_algorithm() -> Result<(), KeyConfigError> {
        for (file, algorithm) in [
            ("test-only-rsa-1-public.pem", Algorithm::RS256),
            ("test-only-ec-p256-public.pem", Algorithm::ES256),
            ("test-only-ed25519-public.pem", Algorithm::EdDSA),
        ] {
            let key = read_pem("k", &fixture(file))?;
            assert_eq!(key.algorithm, algorithm, "{file}");
        }
        Ok(())
    }

    #[test]
    fn pem_files_that_are_not_an_accepted_public_key_are_refused() {
        for (file, why) in [
            ("test-only-ec-p384-public.pem", "P-256"),
            ("test-only-rsa-1-private.pem", "private key"),
            ("test-only-jwks.json", "not a PEM file"),
            ("no-such-key.pem", "cannot read"),
        ] {
            let Err(err) = read_pem("k", &fixture(file)) else {
                panic!("{file} was accepted");
            };
            assert!(err.0.contains(why), "{file}: {err}");
            assert!(err.0.contains(file), "{file}: {err}");
        }
    }

    #[test]
    fn the_jwks_fixture_holds_four_signing_keys() -> Result<(), KeyConfigError> {
        let keys = read_jwks(&fixture("test-only-jwks.json"))?;
        let kids: Vec<(&str, Algorithm)> =
            keys.iter().map(|k| (k.kid.as_str(), k.algorithm)).collect();
        assert_eq!(
            kids,
            [
                ("test-rsa-1", Algorithm::RS256),
                ("test-rsa-2", Algorithm::RS256),
                ("test-ec-p256", Algorithm::ES256),
                ("test-ed25519", Algorithm::EdDSA),
            ]
        );
        Ok(())
    }

    #[test]
    fn jwks_keys_are_checked_one_by_one() -> Result<(), std::io::Error> {
        let fixture: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(fixture("test-only-jwks.json"))?)?;
        // The first RSA key of the fixture, as a JSON object's members.
        let rsa = fixture["keys"][0]
            .as_object()
            .map(|key| {
                let mut key = key.clone();
                for member in ["kid", "alg", "use"] {
                    key.remove(member);
                }
                let text = serde_json::Value::Object(key).to_string();
                text[1..text.len() - 1].to_owned()
            })
            .unwrap_or_default();
        for (keys, why) in [
            (
                format!(r#"{{"kid":"a","alg":"ES256",{rsa}}}"#),
                "`alg` is ES256",
            ),
            (
                format!(r#"{{"kid":"a","alg":"PS256",{rsa}}}"#),
                "`alg` is PS256",
            ),
            (format!(r#"{{{rsa}}}"#), "no `kid`"),
            (
                format!(r#"{{"kid":"a",{rsa}}},{{"kid":"a",{rsa}}}"#),
                "twice",
            ),
            (
                format!(r#"{{"kid":"a","use":"enc",{rsa}}}"#),
                "no signing keys",
            ),
            (format!(r#"{{"kid":"a","d":"AQAB",{rsa}}}"#), "private"),
            (
                r#"{"kid":"a","kty":"RSA","n":"AQAB","e":"AQAB"}"#.into(),
                "17 bits",
            ),
            (
                r#"{"kid":"a","kty":"oct","k":"c2VjcmV0"}"#.into(),
                "private or secret",
            ),
            (
                r#"{"kid":"a","kty":"EC","crv":"P-384","x":"AA","y":"AA"}"#.into(),
                "P-384",
            ),
            (
                r#"{"kid":"a","kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#.into(),
                "P-256",
            ),
            (
                r#"{"kid":"a","kty":"OKP","crv":"Ed25519","x":"AA"}"#.into(),
                "Ed25519",
            ),
            (
                r#"{"kid":"a","kty":"OKP","crv":"X25519","x":"AA"}"#.into(),
                "X25519",
            ),
            (r#"{"kid":"a","kty":"DSA"}"#.into(), "`DSA` is not accepted"),
            (r#"{"kid":7,"kty":"RSA"}"#.into(), "not a JSON Web Key"),
        ] {
            let document = format!(r#"{{"keys":[{keys}]}}"#);
            let Err(err) = parse_jwks(&document, "jwks.json") else {
                panic!("accepted: {document}");
            };
            assert!(err.contains(why), "{document}: {err}");
        }
        let Ok(keys) = parse_jwks(&format!(r#"{{"keys":[{{"kid":"a",{rsa}}}]}}"#), "jwks.json")
        else {
            panic!("a key without `alg` and `use` is refused");
        };
        assert_eq!(keys[0].algorithm, Algorithm::RS256);
        assert!(parse_jwks("[]", "jwks.json").is_err());
        Ok(())
    }
}
