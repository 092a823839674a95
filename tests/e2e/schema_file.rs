//! `schema.graphql` is the schema the code builds, and the database schema
//! migrates down and up again.

use migration::{Migrator, MigratorTrait};

use crate::support::TestApp;

#[test]
fn schema_graphql_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    let current = hiregraph_api::schema::sdl();
    assert!(
        checked_in == current,
        "schema.graphql is stale; regenerate it with `cargo run -- schema > schema.graphql` and commit it"
    );
}

#[tokio::test]
async fn every_migration_rolls_back_and_applies_again() {
    let app = TestApp::demo().await;
    let conn = &app.db.conn;
    let total = Migrator::migrations().len() as u32;
    Migrator::down(conn, Some(total))
        .await
        .expect("roll everything back");
    assert_eq!(
        Migrator::get_applied_migrations(conn)
            .await
            .expect("status")
            .len(),
        0
    );
    Migrator::up(conn, None)
        .await
        .expect("apply everything again");
    assert_eq!(
        Migrator::get_applied_migrations(conn)
            .await
            .expect("status")
            .len() as u32,
        total
    );
    hiregraph_api::seed::load_demo(conn)
        .await
        .expect("the demo data loads again");
}
