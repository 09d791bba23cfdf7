//! Account Aggregator (ReBIT AA/FIU) building blocks with no HTTP in them: the rahasya FI data
//! encryption ([`crypto`]), detached JWS ([`jws`]) and DEPOSIT FI documents ([`fi`]) with their
//! conversion into the statement engine's model ([`convert`]).
pub mod convert;
pub mod crypto;
pub mod fetch;
pub mod fi;
pub mod jws;
