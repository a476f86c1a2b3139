//! aidmap: build a static directory site of local mutual aid groups.
//! (Placeholder in the `geo` branch; the real crate root lives on main.)

pub mod geo;
