//! Who is asking: bearer tokens, the viewer they resolve to, and what each
//! viewer may do.

mod keys;
pub mod permissions;
pub mod scope;
pub mod token;
pub mod viewer;

pub use keys::KeyConfigError;
pub use token::{Authenticator, Claims};
pub use viewer::Viewer;
