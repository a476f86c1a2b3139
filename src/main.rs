//! aidmap command line (placeholder in the `geo` branch).

fn main() {}
