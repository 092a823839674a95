//! Who is asking: bearer tokens, the viewer they resolve to, and what each
//! viewer may do.

pub mod permissions;
pub mod scope;
pub mod token;
pub mod viewer;

pub use token::{Authenticator, Claims};
pub use viewer::Viewer;
