//! Tokens from an identity provider: RS256, ES256 and EdDSA tokens verified
//! with public keys from PEM files or from a JWKS file, each key chosen by the
//! token's `kid` and pinned to its algorithm. A table of tokens, good and
//! broken, goes through the real HTTP endpoint; every broken one is a 401
//! UNAUTHENTICATED. Bad key configuration stops the server at start-up.
//!
//! The keys are the test-only ones in `tests/fixtures/keys/`.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hiregraph_api::auth::Authenticator;
use hiregraph_api::config::{AuthConfig, PublicKeyFile, PublicKeyFiles};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

use crate::support::{ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER, Reply, SECRET, TestApp};

const ISSUER: &str = "https://id.hiregraph.example/";
const AUDIENCE: &str = "hiregraph-api";
const VIEWER: &str = "{ viewer { isAnonymous role user { email } } }";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keys")
        .join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).expect("a fixture key")
}

/// The private keys the identity provider would sign with.
struct Signers {
    rsa_1: EncodingKey,
    rsa_2: EncodingKey,
    ec: EncodingKey,
    ed: EncodingKey,
}

impl Signers {
    fn load() -> Signers {
        Signers {
            rsa_1: EncodingKey::from_rsa_pem(&read("test-only-rsa-1-private.pem")).expect("RSA"),
            rsa_2: EncodingKey::from_rsa_pem(&read("test-only-rsa-2-private.pem")).expect("RSA"),
            ec: EncodingKey::from_ec_pem(&read("test-only-ec-p256-private.pem")).expect("EC"),
            ed: EncodingKey::from_ed_pem(&read("test-only-ed25519-private.pem")).expect("Ed"),
        }
    }
}

fn key_file(kid: &str, file: &str) -> PublicKeyFile {
    PublicKeyFile {
        kid: kid.into(),
        path: fixture(file),
    }
}

/// The four public keys as PEM files, as `HIREGRAPH_JWT_PUBLIC_KEYS` would
/// name them.
fn pem_config() -> AuthConfig {
    AuthConfig {
        jwt_public_keys: PublicKeyFiles(vec![
            key_file("test-rsa-1", "test-only-rsa-1-public.pem"),
            key_file("test-rsa-2", "test-only-rsa-2-public.pem"),
            key_file("test-ec-p256", "test-only-ec-p256-public.pem"),
            key_file("test-ed25519", "test-only-ed25519-public.pem"),
        ]),
        jwt_issuer: ISSUER.into(),
        jwt_audience: AUDIENCE.into(),
        ..AuthConfig::default()
    }
}

/// The same four keys from the JWKS file.
fn jwks_config() -> AuthConfig {
    AuthConfig {
        jwt_jwks_file: Some(fixture("test-only-jwks.json")),
        jwt_issuer: ISSUER.into(),
        jwt_audience: AUDIENCE.into(),
        ..AuthConfig::default()
    }
}

/// A server verifying tokens as `config` says, over the demo data.
async fn app(config: AuthConfig) -> TestApp {
    let app = TestApp::with_auth(config).await;
    hiregraph_api::seed::load_demo(&app.db.conn)
        .await
        .expect("load the demo data");
    app
}

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

fn b64(bytes: &[u8]) -> String {
    base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, bytes)
}

fn claims(sub: &str, role: &str) -> Value {
    json!({
        "sub": sub, "role": role, "iss": ISSUER, "aud": AUDIENCE,
        "exp": now() + 600, "iat": now(),
    })
}

fn with(mut claims: Value, member: &str, value: Value) -> Value {
    claims[member] = value;
    claims
}

fn without(mut claims: Value, member: &str) -> Value {
    claims.as_object_mut().expect("an object").remove(member);
    claims
}

fn header(alg: &str, kid: Option<&str>) -> Value {
    match kid {
        Some(kid) => json!({ "typ": "JWT", "alg": alg, "kid": kid }),
        None => json!({ "typ": "JWT", "alg": alg }),
    }
}

/// A token with exactly `header` and `claims`, signed with `key` using
/// `algorithm` (whatever the header says).
fn token_with(header: &Value, claims: &Value, key: &EncodingKey, algorithm: Algorithm) -> String {
    let message = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let signature =
        jsonwebtoken::crypto::sign(message.as_bytes(), key, algorithm).expect("a signature");
    format!("{message}.{signature}")
}

/// A token signed with `key` using `alg`, naming `kid`.
fn signed(alg: Algorithm, kid: Option<&str>, claims: &Value, key: &EncodingKey) -> String {
    token_with(&header(&format!("{alg:?}"), kid), claims, key, alg)
}

/// An unsigned token: `alg: none` and an empty signature.
fn unsigned(kid: Option<&str>, claims: &Value) -> String {
    format!(
        "{}.{}.",
        b64(header("none", kid).to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    )
}

/// The header, payload and signature of `token`.
fn parts(token: &str) -> (String, String, String) {
    let mut parts = token.split('.').map(str::to_owned);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(head), Some(payload), Some(signature)) => (head, payload, signature),
        _ => panic!("not a JWT: {token}"),
    }
}

/// What the server should make of a token.
enum Expect {
    /// Accepted: the viewer is this user with this role.
    Viewer(&'static str, &'static str),
    /// A 401 UNAUTHENTICATED whose message says this.
    Rejected(&'static str),
}

/// The table of tokens both key configurations must agree on.
fn table(keys: &Signers) -> Vec<(&'static str, String, Expect)> {
    use Algorithm::{ES256, EdDSA, HS256, PS256, RS256, RS512};
    use Expect::{Rejected, Viewer};
    let admin = claims(ADMIN, "ADMIN");
    let rsa_public_pem = read("test-only-rsa-1-public.pem");
    let public_key_as_secret = EncodingKey::from_secret(&rsa_public_pem).expect("a secret");
    let valid = signed(RS256, Some("test-rsa-1"), &admin, &keys.rsa_1);
    let (head, _, signature) = parts(&valid);
    let interviewer = claims(INTERVIEWER, "INTERVIEWER");
    let (interviewer_head, _, interviewer_signature) = parts(&signed(
        RS256,
        Some("test-rsa-1"),
        &interviewer,
        &keys.rsa_1,
    ));
    vec![
        // Good tokens, one per kind of key, and both keys of a rotation.
        ("RS256, first RSA key", valid, Viewer(ADMIN, "ADMIN")),
        (
            "RS256, second RSA key (rotation: both verify)",
            signed(
                RS256,
                Some("test-rsa-2"),
                &claims(RECRUITER, "RECRUITER"),
                &keys.rsa_2,
            ),
            Viewer(RECRUITER, "RECRUITER"),
        ),
        (
            "ES256",
            signed(
                ES256,
                Some("test-ec-p256"),
                &claims(HIRING_MANAGER, "HIRING_MANAGER"),
                &keys.ec,
            ),
            Viewer(HIRING_MANAGER, "HIRING_MANAGER"),
        ),
        (
            "EdDSA",
            signed(EdDSA, Some("test-ed25519"), &interviewer, &keys.ed),
            Viewer(INTERVIEWER, "INTERVIEWER"),
        ),
        (
            "audience among several",
            signed(
                RS256,
                Some("test-rsa-1"),
                &with(admin.clone(), "aud", json!(["another-api", AUDIENCE])),
                &keys.rsa_1,
            ),
            Viewer(ADMIN, "ADMIN"),
        ),
        (
            "not-before in the past",
            signed(
                RS256,
                Some("test-rsa-1"),
                &with(admin.clone(), "nbf", json!(now() - 60)),
                &keys.rsa_1,
            ),
            Viewer(ADMIN, "ADMIN"),
        ),
        (
            "expired ten seconds ago (within the clock-skew leeway)",
            signed(
                RS256,
                Some("test-rsa-1"),
                &with(admin.clone(), "exp", json!(now() - 10)),
                &keys.rsa_1,
            ),
            Viewer(ADMIN, "ADMIN"),
        ),
        // The key: named, known, and used with its own algorithm only.
        (
            "unknown kid",
            signed(RS256, Some("test-rsa-retired"), &admin, &keys.rsa_1),
            Rejected("not one this server trusts"),
        ),
        (
            "no kid, RS256",
            signed(RS256, None, &admin, &keys.rsa_1),
            Rejected("does not name its signing key"),
        ),
        (
            "no kid, ES256",
            signed(ES256, None, &admin, &keys.ec),
            Rejected("does not name its signing key"),
        ),
        (
            "no kid, HS256 (no secret is configured)",
            signed(
                HS256,
                None,
                &admin,
                &EncodingKey::from_secret(SECRET.as_bytes()).expect("a secret"),
            ),
            Rejected("HS256 tokens are not accepted"),
        ),
        (
            "alg none, with a kid",
            unsigned(Some("test-rsa-1"), &admin),
            Rejected("alg: none"),
        ),
        (
            "alg none, without a kid",
            unsigned(None, &admin),
            Rejected("alg: none"),
        ),
        (
            "alg none, with a valid signature left on",
            format!(
                "{}.{}.{signature}",
                b64(header("none", Some("test-rsa-1")).to_string().as_bytes()),
                b64(admin.to_string().as_bytes())
            ),
            Rejected("alg: none"),
        ),
        (
            "an algorithm that does not exist",
            token_with(
                &header("XS256", Some("test-rsa-1")),
                &admin,
                &keys.rsa_1,
                RS256,
            ),
            Rejected("algorithm that is not accepted"),
        ),
        (
            "RS256 under the EC key's kid",
            signed(RS256, Some("test-ec-p256"), &admin, &keys.rsa_1),
            Rejected("does not match its key"),
        ),
        (
            "ES256 under an RSA key's kid",
            signed(ES256, Some("test-rsa-1"), &admin, &keys.ec),
            Rejected("does not match its key"),
        ),
        (
            "EdDSA under the EC key's kid",
            signed(EdDSA, Some("test-ec-p256"), &admin, &keys.ed),
            Rejected("does not match its key"),
        ),
        (
            "PS256 with the RSA key (same key, another algorithm)",
            signed(PS256, Some("test-rsa-1"), &admin, &keys.rsa_1),
            Rejected("does not match its key"),
        ),
        (
            "RS512 with the RSA key",
            signed(RS512, Some("test-rsa-1"), &admin, &keys.rsa_1),
            Rejected("does not match its key"),
        ),
        (
            "key confusion: HS256 keyed with the RSA public key, under its kid",
            signed(HS256, Some("test-rsa-1"), &admin, &public_key_as_secret),
            Rejected("does not match its key"),
        ),
        (
            "key confusion: HS256 keyed with the RSA public key, without a kid",
            signed(HS256, None, &admin, &public_key_as_secret),
            Rejected("HS256 tokens are not accepted"),
        ),
        (
            "signed by the other RSA key than its kid names",
            signed(RS256, Some("test-rsa-1"), &admin, &keys.rsa_2),
            Rejected("signature does not verify"),
        ),
        (
            "tampered payload (an interviewer's token made an admin's)",
            format!(
                "{interviewer_head}.{}.{interviewer_signature}",
                b64(admin.to_string().as_bytes())
            ),
            Rejected("signature does not verify"),
        ),
        (
            "tampered header (kid switched to the other RSA key)",
            format!(
                "{}.{}.{signature}",
                b64(header("RS256", Some("test-rsa-2")).to_string().as_bytes()),
                b64(admin.to_string().as_bytes())
            ),
            Rejected("signature does not verify"),
        ),
        (
            "signature stripped",
            format!("{head}.{}.", b64(admin.to_string().as_bytes())),
            Rejected("signature does not verify"),
        ),
        (
            "critical header extension",
            token_with(
                &json!({ "alg": "RS256", "kid": "test-rsa-1", "crit": ["exp"] }),
                &admin,
                &keys.rsa_1,
                RS256,
            ),
            Rejected("(crit)"),
        ),
        // The claims.
        (
            "expired",
            signed(
                RS256,
                Some("test-rsa-1"),
                &with(admin.clone(), "exp", json!(now() - 3600)),
                &keys.rsa_1,
            ),
            Rejected("has expired"),
        ),
        (
            "not valid yet (nbf)",
            signed(
                ES256,
                Some("test-ec-p256"),
                &with(admin.clone(), "nbf", json!(now() + 3600)),
                &keys.ec,
            ),
            Rejected("not valid yet"),
        ),
        (
            "another issuer",
            signed(
                EdDSA,
                Some("test-ed25519"),
                &with(admin.clone(), "iss", json!("https://id.example.org/")),
                &keys.ed,
            ),
            Rejected("issued by someone else"),
        ),
        (
            "another audience",
            signed(
                RS256,
                Some("test-rsa-2"),
                &with(admin.clone(), "aud", json!("another-api")),
                &keys.rsa_2,
            ),
            Rejected("another audience"),
        ),
        (
            "several audiences, none of them ours",
            signed(
                RS256,
                Some("test-rsa-1"),
                &with(admin.clone(), "aud", json!(["another-api", "hiregraph"])),
                &keys.rsa_1,
            ),
            Rejected("another audience"),
        ),
        (
            "no exp",
            signed(
                RS256,
                Some("test-rsa-1"),
                &without(admin.clone(), "exp"),
                &keys.rsa_1,
            ),
            Rejected("lacks a required claim"),
        ),
        (
            "no aud",
            signed(
                RS256,
                Some("test-rsa-1"),
                &without(admin.clone(), "aud"),
                &keys.rsa_1,
            ),
            Rejected("lacks a required claim"),
        ),
        (
            "no iss",
            signed(
                ES256,
                Some("test-ec-p256"),
                &without(admin.clone(), "iss"),
                &keys.ec,
            ),
            Rejected("lacks a required claim"),
        ),
        (
            "no sub",
            signed(
                EdDSA,
                Some("test-ed25519"),
                &without(admin.clone(), "sub"),
                &keys.ed,
            ),
            Rejected("lacks a required claim"),
        ),
        (
            "no role",
            signed(
                RS256,
                Some("test-rsa-1"),
                &without(admin.clone(), "role"),
                &keys.rsa_1,
            ),
            Rejected("no role claim"),
        ),
        (
            "exp not a number",
            signed(
                RS256,
                Some("test-rsa-1"),
                &with(admin.clone(), "exp", json!("tomorrow")),
                &keys.rsa_1,
            ),
            Rejected("claims are malformed"),
        ),
        (
            "a role the user does not have",
            signed(
                RS256,
                Some("test-rsa-1"),
                &claims(INTERVIEWER, "ADMIN"),
                &keys.rsa_1,
            ),
            Rejected("the user is now INTERVIEWER"),
        ),
        ("garbage", "not.a.token".to_owned(), Rejected("malformed")),
    ]
}

async fn check(app: &TestApp, case: &str, token: &str, expect: &Expect) {
    let reply = app.graphql(Some(token), VIEWER, Value::Null).await;
    match expect {
        Expect::Viewer(email, role) => {
            assert_eq!(reply.status, 200, "{case}: {}", reply.body);
            assert_eq!(
                reply.data()["viewer"],
                json!({ "isAnonymous": false, "role": role, "user": { "email": email } }),
                "{case}"
            );
        }
        Expect::Rejected(why) => {
            assert_unauthenticated(case, &reply);
            let message = reply.body["errors"][0]["message"]
                .as_str()
                .unwrap_or_default();
            assert!(message.contains(why), "{case}: {message}");
        }
    }
}

fn assert_unauthenticated(case: &str, reply: &Reply) {
    assert_eq!(reply.status, 401, "{case}: {}", reply.body);
    assert_eq!(reply.error_code(), "UNAUTHENTICATED", "{case}");
    assert_eq!(
        reply.headers["www-authenticate"], "Bearer error=\"invalid_token\"",
        "{case}"
    );
    assert!(reply.body.get("data").is_none(), "{case}: no data");
    let message = reply.body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(!message.is_empty(), "{case}: a message");
    assert!(
        !message.contains("-----") && !message.contains("AQAB"),
        "{case}: no key material in {message}"
    );
}

#[tokio::test]
async fn pem_public_keys_verify_tokens_by_kid_each_with_its_pinned_algorithm() {
    let app = app(pem_config()).await;
    for (case, token, expect) in table(&Signers::load()) {
        check(&app, case, &token, &expect).await;
    }
}

#[tokio::test]
async fn a_jwks_file_verifies_the_same_tokens() {
    let app = app(jwks_config()).await;
    let keys = Signers::load();
    for (case, token, expect) in table(&keys) {
        check(&app, case, &token, &expect).await;
    }
    // The file's encryption-only key is skipped: its kid is unknown.
    let token = signed(
        Algorithm::RS256,
        Some("test-encryption-only"),
        &claims(ADMIN, "ADMIN"),
        &keys.rsa_2,
    );
    let expect = Expect::Rejected("not one this server trusts");
    check(&app, "a key for encryption only", &token, &expect).await;
}

#[tokio::test]
async fn beside_public_keys_a_secret_verifies_hs256_tokens_without_a_kid_only() {
    let app = app(AuthConfig {
        jwt_secret: Some(SECRET.into()),
        ..pem_config()
    })
    .await;
    let keys = Signers::load();
    let secret = EncodingKey::from_secret(SECRET.as_bytes()).expect("a secret");
    let admin = claims(ADMIN, "ADMIN");
    let public_key_as_secret =
        EncodingKey::from_secret(&read("test-only-rsa-1-public.pem")).expect("a secret");
    let cases = [
        (
            "HS256 without a kid",
            signed(Algorithm::HS256, None, &admin, &secret),
            Expect::Viewer(ADMIN, "ADMIN"),
        ),
        (
            "what `hiregraph token` mints",
            app.token(ADMIN, entity::enums::Role::Admin),
            Expect::Viewer(ADMIN, "ADMIN"),
        ),
        (
            "RS256 with its kid",
            signed(Algorithm::RS256, Some("test-rsa-1"), &admin, &keys.rsa_1),
            Expect::Viewer(ADMIN, "ADMIN"),
        ),
        (
            "HS256 with the secret, under an RSA key's kid",
            signed(Algorithm::HS256, Some("test-rsa-1"), &admin, &secret),
            Expect::Rejected("does not match its key"),
        ),
        (
            "HS256 with the secret, under an unknown kid",
            signed(Algorithm::HS256, Some("hs-1"), &admin, &secret),
            Expect::Rejected("not one this server trusts"),
        ),
        (
            "key confusion: HS256 keyed with the RSA public key, without a kid",
            signed(Algorithm::HS256, None, &admin, &public_key_as_secret),
            Expect::Rejected("signature does not verify"),
        ),
        (
            "HS512 with the secret",
            signed(Algorithm::HS512, None, &admin, &secret),
            Expect::Rejected("algorithm that is not accepted"),
        ),
    ];
    for (case, token, expect) in cases {
        check(&app, case, &token, &expect).await;
    }
}

/// A scratch file under the system's temporary directory, removed at the end.
struct ScratchFile(PathBuf);

impl ScratchFile {
    fn new(name: &str, contents: &[u8]) -> ScratchFile {
        let dir = std::env::temp_dir().join("hiregraph-tests");
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let path = dir.join(format!("{}-{name}", uuid::Uuid::new_v4().simple()));
        std::fs::write(&path, contents).expect("a scratch file");
        ScratchFile(path)
    }
}

impl Drop for ScratchFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The start-up error for `config`, as text.
fn start_up_error(config: &AuthConfig) -> String {
    match Authenticator::new(config) {
        Ok(auth) => panic!("the configuration was accepted: {auth:?}"),
        Err(err) => err.to_string(),
    }
}

/// The fixture JWKS with `change` applied to it.
fn jwks_with(change: impl FnOnce(&mut Value)) -> ScratchFile {
    let mut jwks: Value =
        serde_json::from_slice(&read("test-only-jwks.json")).expect("the fixture JWKS");
    change(&mut jwks);
    ScratchFile::new("jwks.json", jwks.to_string().as_bytes())
}

#[test]
fn a_jwks_key_whose_alg_disagrees_with_its_type_stops_start_up() {
    for (index, alg) in [(0, "ES256"), (2, "RS256"), (3, "ES256"), (1, "HS256")] {
        let file = jwks_with(|jwks| jwks["keys"][index]["alg"] = json!(alg));
        let error = start_up_error(&AuthConfig {
            jwt_jwks_file: Some(file.0.clone()),
            ..jwks_config()
        });
        assert!(error.contains(&file.0.display().to_string()), "{error}");
        assert!(error.contains(&format!("`alg` is {alg}")), "{error}");
    }
}

#[test]
fn a_jwks_key_without_a_kid_or_with_private_parts_stops_start_up() {
    let no_kid = jwks_with(|jwks| {
        jwks["keys"][2]
            .as_object_mut()
            .expect("a key")
            .remove("kid");
    });
    let private = jwks_with(|jwks| jwks["keys"][3]["d"] = json!("c2VjcmV0"));
    let symmetric = jwks_with(|jwks| {
        jwks["keys"][1] = json!({ "kid": "hs", "kty": "oct", "alg": "HS256" });
    });
    let only_encryption = jwks_with(|jwks| {
        let keys = jwks["keys"].as_array_mut().expect("keys");
        keys.retain(|key| key["use"] == "enc");
    });
    for (file, why) in [
        (&no_kid, "no `kid`"),
        (&private, "private or secret key material"),
        (&symmetric, "symmetric"),
        (&only_encryption, "no signing keys"),
    ] {
        let error = start_up_error(&AuthConfig {
            jwt_jwks_file: Some(file.0.clone()),
            ..jwks_config()
        });
        assert!(error.contains(why), "{error}");
        assert!(error.contains("HIREGRAPH_JWT_JWKS_FILE"), "{error}");
    }
}

#[test]
fn a_pem_key_that_is_missing_or_of_another_kind_stops_start_up_naming_the_file() {
    let certificate = ScratchFile::new(
        "certificate.pem",
        b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    );
    for (path, why) in [
        (fixture("no-such-key.pem"), "cannot read the file"),
        (fixture("test-only-ec-p384-public.pem"), "only P-256"),
        (fixture("test-only-rsa-2-private.pem"), "private key"),
        (fixture("test-only-jwks.json"), "not a PEM file"),
        (certificate.0.clone(), "not a public key"),
    ] {
        let error = start_up_error(&AuthConfig {
            jwt_public_keys: PublicKeyFiles(vec![PublicKeyFile {
                kid: "idp".into(),
                path: path.clone(),
            }]),
            ..pem_config()
        });
        assert!(error.contains(&path.display().to_string()), "{error}");
        assert!(error.contains("`idp`"), "{error}");
        assert!(error.contains(why), "{error}");
    }
}

#[test]
fn one_kid_in_both_the_pem_keys_and_the_jwks_file_stops_start_up() {
    let error = start_up_error(&AuthConfig {
        jwt_jwks_file: Some(fixture("test-only-jwks.json")),
        ..pem_config()
    });
    assert!(error.contains("configured twice"), "{error}");
}

#[test]
fn public_keys_alone_are_production_mode() {
    for config in [pem_config(), jwks_config()] {
        let auth = Authenticator::new(&config).expect("an authenticator");
        assert!(!auth.is_development());
        assert!(!auth.accepts_hs256());
        assert_eq!(auth.key_ids().len(), 4);
    }
}

#[test]
fn serve_refuses_to_start_with_a_key_it_cannot_use() {
    let database = std::env::temp_dir()
        .join("hiregraph-tests")
        .join(format!("tokens-{}.db", uuid::Uuid::new_v4().simple()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_hiregraph"))
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", database.display()),
        )
        .env("HIREGRAPH_LISTEN", "127.0.0.1:0")
        .env(
            "HIREGRAPH_JWT_PUBLIC_KEYS",
            format!(
                "test-rsa-1={}, retired=/nonexistent/idp-retired.pem",
                fixture("test-only-rsa-1-public.pem").display()
            ),
        )
        .env_remove("HIREGRAPH_JWT_SECRET")
        .env_remove("HIREGRAPH_JWT_JWKS_FILE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hiregraph starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the process") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("hiregraph kept running with a missing key file");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
        .expect("stderr");
    assert!(!status.success());
    assert!(
        stderr.contains("could not set up token verification"),
        "{stderr}"
    );
    assert!(stderr.contains("/nonexistent/idp-retired.pem"), "{stderr}");
    assert!(stderr.contains("`retired`"), "{stderr}");
    assert!(
        !database.exists(),
        "no database is touched before the keys are read"
    );
}
