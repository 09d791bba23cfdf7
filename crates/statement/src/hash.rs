//! Content hashes the engine derives (transaction hashes).

use md5::{Digest, Md5};

/// Lower-case hex md5, the form BankConnect uses for transaction hashes.
pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
