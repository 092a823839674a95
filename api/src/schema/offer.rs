//! Offers: versioned terms, approval, and the band check. (Being built.)

use async_graphql::Object;

/// Writing offers.
#[derive(Default)]
pub struct OfferMutation;

#[Object]
impl OfferMutation {
    /// Placeholder until offers are built.
    async fn offers_pending(&self) -> bool {
        false
    }
}
