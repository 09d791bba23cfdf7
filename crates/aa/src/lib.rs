//! Account Aggregator (ReBIT AA/FIU) building blocks; the only HTTP here is the FIU's client
//! (the FIU callbacks live with the server):
//!
//! * [`client`]: the FIU's HTTP calls to an AA, signed and verified;
//! * [`crypto`]: the rahasya FI data encryption, both Curve25519 key-agreement variants;
//! * [`jws`]: detached JWS (`b64: false`) signing/verification and `signedConsent` checks;
//! * [`consent`]: the verified consent artefact, read liberally;
//! * [`messages`]: request bodies to sign and send, response envelope checks;
//! * [`fetch`]: an `/FI/fetch` response opened account by account;
//! * [`notifications`]: the FIU callbacks validated, with the documented answers;
//! * [`fi`]: DEPOSIT FI documents (XML and both JSON dialects) into a plain model;
//! * [`convert`]: that model into the statement engine's `ParsedStatement`;
//! * [`redirection`]: the browser's trip to the AA's consent page and back (`ecreq`/`ecres`).
pub mod client;
pub mod consent;
pub mod convert;
pub mod crypto;
pub mod fetch;
pub mod fi;
pub mod jws;
pub mod messages;
pub mod notifications;
pub mod redirection;
