//! Curve25519 arithmetic for both rahasya key-agreement variants.
//!
//! Why hand-written: ring's X25519 only accepts ephemeral keys it generated itself (test vectors
//! and stored FIU keys cannot be imported), and variant W needs an *unclamped* scalar ladder on the
//! short-Weierstrass form of the curve, which no crate in our lock offers. Both variants reduce to
//! one Montgomery ladder over GF(2^255 - 19):
//!
//! * variant X (RFC 7748 X25519): clamped scalar, little-endian u-coordinate;
//! * variant W (BouncyCastle "curve25519", short Weierstrass): the Weierstrass x maps to the
//!   Montgomery u by `u = x - A/3`, the scalar is used as is (not clamped), and the shared secret
//!   is the big-endian affine x of `d·Q`, i.e. `ladder(d, x_Q - A/3) + A/3`.
//!
//! The ladder uses a conditional swap rather than secret-dependent branches; the field code is not
//! audited constant-time. FIU keys are fresh per FI request, which limits what a timing observer
//! could ever learn.

/// A field element mod p = 2^255 - 19, four little-endian 64-bit limbs, always fully reduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fe([u64; 4]);

const P: [u64; 4] = [
    0xffff_ffff_ffff_ffed,
    0xffff_ffff_ffff_ffff,
    0xffff_ffff_ffff_ffff,
    0x7fff_ffff_ffff_ffff,
];

impl Fe {
    pub(crate) const ZERO: Fe = Fe([0, 0, 0, 0]);
    pub(crate) const ONE: Fe = Fe([1, 0, 0, 0]);

    pub(crate) const fn small(v: u64) -> Fe {
        Fe([v, 0, 0, 0])
    }

    /// Big-endian bytes; `None` when the value is not below p (a non-canonical coordinate).
    pub(crate) fn from_be_bytes(bytes: &[u8; 32]) -> Option<Fe> {
        let mut limbs = [0u64; 4];
        for (i, limb) in limbs.iter_mut().enumerate() {
            let start = 32 - 8 * (i + 1);
            let mut chunk = [0u8; 8];
            chunk.copy_from_slice(&bytes[start..start + 8]);
            *limb = u64::from_be_bytes(chunk);
        }
        if geq_p(&limbs) {
            None
        } else {
            Some(Fe(limbs))
        }
    }

    pub(crate) fn to_be_bytes(self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, limb) in self.0.iter().enumerate() {
            let start = 32 - 8 * (i + 1);
            out[start..start + 8].copy_from_slice(&limb.to_be_bytes());
        }
        out
    }

    /// RFC 7748 decoding: the top bit is ignored and non-canonical values are reduced.
    pub(crate) fn from_le_bytes_x25519(bytes: &[u8; 32]) -> Fe {
        let mut limbs = [0u64; 4];
        for (i, limb) in limbs.iter_mut().enumerate() {
            let mut chunk = [0u8; 8];
            chunk.copy_from_slice(&bytes[8 * i..8 * i + 8]);
            *limb = u64::from_le_bytes(chunk);
        }
        limbs[3] &= 0x7fff_ffff_ffff_ffff;
        Fe(reduce_once(limbs))
    }

    pub(crate) fn to_le_bytes(self) -> [u8; 32] {
        let mut out = self.to_be_bytes();
        out.reverse();
        out
    }

    pub(crate) fn add(self, other: Fe) -> Fe {
        let mut r = [0u64; 4];
        let mut carry = 0u128;
        for (i, limb) in r.iter_mut().enumerate() {
            let v = self.0[i] as u128 + other.0[i] as u128 + carry;
            *limb = v as u64;
            carry = v >> 64;
        }
        // Both inputs are below 2^255, so the sum fits 256 bits and one subtraction suffices.
        Fe(reduce_once(r))
    }

    pub(crate) fn sub(self, other: Fe) -> Fe {
        let (r, borrow) = sub_limbs(&self.0, &other.0);
        if borrow {
            let mut out = [0u64; 4];
            let mut carry = 0u128;
            for (i, limb) in out.iter_mut().enumerate() {
                let v = r[i] as u128 + P[i] as u128 + carry;
                *limb = v as u64;
                carry = v >> 64;
            }
            Fe(out)
        } else {
            Fe(r)
        }
    }

    #[cfg(test)]
    pub(crate) fn neg(self) -> Fe {
        Fe::ZERO.sub(self)
    }

    pub(crate) fn mul(self, other: Fe) -> Fe {
        let mut t = [0u64; 8];
        for i in 0..4 {
            let mut carry = 0u128;
            for j in 0..4 {
                let v = t[i + j] as u128 + self.0[i] as u128 * other.0[j] as u128 + carry;
                t[i + j] = v as u64;
                carry = v >> 64;
            }
            t[i + 4] = carry as u64;
        }
        // 2^256 ≡ 38 (mod p): fold the high half onto the low half.
        let mut r = [0u64; 4];
        let mut carry = 0u128;
        for i in 0..4 {
            let v = t[i] as u128 + 38 * t[i + 4] as u128 + carry;
            r[i] = v as u64;
            carry = v >> 64;
        }
        let mut extra = carry * 38;
        while extra != 0 {
            let mut c = extra;
            for limb in r.iter_mut() {
                let v = *limb as u128 + c;
                *limb = v as u64;
                c = v >> 64;
            }
            extra = c * 38;
        }
        // Now below 2^256: fold bit 255 (2^255 ≡ 19), then at most one subtraction of p.
        let top = r[3] >> 63;
        r[3] &= 0x7fff_ffff_ffff_ffff;
        let mut c = top as u128 * 19;
        for limb in r.iter_mut() {
            let v = *limb as u128 + c;
            *limb = v as u64;
            c = v >> 64;
        }
        Fe(reduce_once(r))
    }

    pub(crate) fn square(self) -> Fe {
        self.mul(self)
    }

    /// `self^e` for a public exponent (branching on its bits leaks nothing secret).
    fn pow(self, e: &[u64; 4]) -> Fe {
        let mut acc = Fe::ONE;
        for i in (0..256).rev() {
            acc = acc.square();
            if (e[i / 64] >> (i % 64)) & 1 == 1 {
                acc = acc.mul(self);
            }
        }
        acc
    }

    /// Multiplicative inverse (Fermat: a^(p-2)); zero maps to zero.
    pub(crate) fn invert(self) -> Fe {
        const P_MINUS_2: [u64; 4] = [
            0xffff_ffff_ffff_ffeb,
            0xffff_ffff_ffff_ffff,
            0xffff_ffff_ffff_ffff,
            0x7fff_ffff_ffff_ffff,
        ];
        self.pow(&P_MINUS_2)
    }

    /// A square root if one exists (p ≡ 5 mod 8: Atkin's method); tests use it to check the
    /// curve constants.
    #[cfg(test)]
    pub(crate) fn sqrt(self) -> Option<Fe> {
        // (p + 3) / 8 = 2^252 - 2
        const EXP: [u64; 4] = [
            0xffff_ffff_ffff_fffe,
            0xffff_ffff_ffff_ffff,
            0xffff_ffff_ffff_ffff,
            0x0fff_ffff_ffff_ffff,
        ];
        // (p - 1) / 4 = 2^253 - 5; 2^((p-1)/4) is a square root of -1.
        const EXP_I: [u64; 4] = [
            0xffff_ffff_ffff_fffb,
            0xffff_ffff_ffff_ffff,
            0xffff_ffff_ffff_ffff,
            0x1fff_ffff_ffff_ffff,
        ];
        let beta = self.pow(&EXP);
        if beta.square() == self {
            return Some(beta);
        }
        if beta.square() == self.neg() {
            return Some(beta.mul(Fe::small(2).pow(&EXP_I)));
        }
        None
    }

    pub(crate) fn is_zero(self) -> bool {
        self == Fe::ZERO
    }
}

fn geq_p(limbs: &[u64; 4]) -> bool {
    for i in (0..4).rev() {
        if limbs[i] != P[i] {
            return limbs[i] > P[i];
        }
    }
    true
}

fn sub_limbs(a: &[u64; 4], b: &[u64; 4]) -> ([u64; 4], bool) {
    let mut r = [0u64; 4];
    let mut borrow = false;
    for i in 0..4 {
        let (d1, b1) = a[i].overflowing_sub(b[i]);
        let (d2, b2) = d1.overflowing_sub(borrow as u64);
        r[i] = d2;
        borrow = b1 || b2;
    }
    (r, borrow)
}

/// Subtracts p once if the value (below 2p) is at least p.
fn reduce_once(limbs: [u64; 4]) -> [u64; 4] {
    if geq_p(&limbs) {
        sub_limbs(&limbs, &P).0
    } else {
        limbs
    }
}

/// Montgomery curve coefficient A of curve25519 (v² = u³ + A·u² + u).
const A: u64 = 486_662;
/// (A - 2) / 4, the ladder constant of RFC 7748.
const A24: u64 = 121_665;

/// Projective results of the ladder: `k·P` and `(k+1)·P`.
pub(crate) struct LadderOut {
    pub x2: Fe,
    pub z2: Fe,
    pub x3: Fe,
    pub z3: Fe,
}

/// RFC 7748 §5 ladder over the scalar's bits, most significant first, with no clamping: the
/// caller clamps for X25519 and passes the raw scalar for variant W.
pub(crate) fn ladder(scalar_be: &[u8; 32], u: Fe) -> LadderOut {
    let x1 = u;
    let (mut x2, mut z2, mut x3, mut z3) = (Fe::ONE, Fe::ZERO, u, Fe::ONE);
    let mut swap = 0u64;
    let a24 = Fe::small(A24);
    for bit_index in (0..256).rev() {
        let byte = scalar_be[31 - bit_index / 8];
        let bit = ((byte >> (bit_index % 8)) & 1) as u64;
        swap ^= bit;
        cswap(swap, &mut x2, &mut x3);
        cswap(swap, &mut z2, &mut z3);
        swap = bit;
        let a = x2.add(z2);
        let aa = a.square();
        let b = x2.sub(z2);
        let bb = b.square();
        let e = aa.sub(bb);
        let c = x3.add(z3);
        let d = x3.sub(z3);
        let da = d.mul(a);
        let cb = c.mul(b);
        x3 = da.add(cb).square();
        z3 = x1.mul(da.sub(cb).square());
        x2 = aa.mul(bb);
        z2 = e.mul(aa.add(a24.mul(e)));
    }
    cswap(swap, &mut x2, &mut x3);
    cswap(swap, &mut z2, &mut z3);
    LadderOut { x2, z2, x3, z3 }
}

fn cswap(swap: u64, a: &mut Fe, b: &mut Fe) {
    let mask = 0u64.wrapping_sub(swap);
    for i in 0..4 {
        let t = mask & (a.0[i] ^ b.0[i]);
        a.0[i] ^= t;
        b.0[i] ^= t;
    }
}

/// RFC 7748 X25519: clamped little-endian scalar, little-endian u. `None` for the all-zero output
/// (a small-order peer point), which RFC 7748 §6.1 says to reject.
pub(crate) fn x25519(scalar_le: &[u8; 32], u_le: &[u8; 32]) -> Option<[u8; 32]> {
    let mut k = *scalar_le;
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
    k.reverse();
    let out = ladder(&k, Fe::from_le_bytes_x25519(u_le));
    let u = out.x2.mul(out.z2.invert());
    if u.is_zero() {
        None
    } else {
        Some(u.to_le_bytes())
    }
}

/// Short-Weierstrass form y² = x³ + a·x + b of the same curve (BouncyCastle's "curve25519"),
/// with the constants published in its explicit-parameter SubjectPublicKeyInfo.
pub(crate) mod weierstrass {
    use super::{ladder, Fe, A};

    /// A/3 mod p: the x-offset between the Weierstrass and Montgomery forms.
    pub(crate) const A_THIRD_BE: [u8; 32] =
        hex32("2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad2451");
    pub(crate) const CURVE_A_BE: [u8; 32] =
        hex32("2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa984914a144");
    pub(crate) const CURVE_B_BE: [u8; 32] =
        hex32("7b425ed097b425ed097b425ed097b425ed097b425ed097b4260b5e9c7710c864");
    /// Base point (Montgomery u = 9); the ladder starts from u = 9, so only tests need x.
    #[cfg(test)]
    pub(crate) const G_X_BE: [u8; 32] =
        hex32("2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad245a");
    pub(crate) const G_Y_BE: [u8; 32] =
        hex32("20ae19a1b8a086b4e01edd2c7748d14c923d4d7e6d7c61b229e9c5a27eced3d9");
    /// Prime order of the base point (the cofactor is 8).
    pub(crate) const ORDER_BE: [u8; 32] =
        hex32("1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed");

    const fn hex32(s: &str) -> [u8; 32] {
        let b = s.as_bytes();
        let mut out = [0u8; 32];
        let mut i = 0;
        while i < 32 {
            out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
            i += 1;
        }
        out
    }

    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("not a lower-case hex digit"),
        }
    }

    fn constant(bytes: &[u8; 32]) -> Fe {
        // The constants are below p by construction; a failure here is a typo caught by tests.
        Fe::from_be_bytes(bytes).unwrap_or(Fe::ZERO)
    }

    /// Whether (x, y) satisfies the curve equation (rejects invalid-curve points from peers).
    pub(crate) fn on_curve(x: Fe, y: Fe) -> bool {
        let rhs = x
            .square()
            .mul(x)
            .add(constant(&CURVE_A_BE).mul(x))
            .add(constant(&CURVE_B_BE));
        y.square() == rhs
    }

    /// Big-endian x of `d·(x, ·)`; `None` for the point at infinity.
    pub(crate) fn shared_x(d_be: &[u8; 32], x: Fe) -> Option<Fe> {
        let a3 = constant(&A_THIRD_BE);
        let out = ladder(d_be, x.sub(a3));
        if out.z2.is_zero() {
            return None;
        }
        Some(out.x2.mul(out.z2.invert()).add(a3))
    }

    /// `d·G` with both coordinates, the y recovered from the ladder's second output by the
    /// Okeya–Sakurai formula, so published keys are the exact point (not its negative).
    pub(crate) fn public_point(d_be: &[u8; 32]) -> Option<(Fe, Fe)> {
        let a3 = constant(&A_THIRD_BE);
        let up = Fe::small(9);
        let vp = constant(&G_Y_BE);
        let out = ladder(d_be, up);
        if out.z2.is_zero() || out.z3.is_zero() {
            return None;
        }
        let uq = out.x2.mul(out.z2.invert());
        let ur = out.x3.mul(out.z3.invert());
        let two_a = Fe::small(2 * A);
        // v_Q = [(u_P·u_Q + 1)(u_P + u_Q + 2A) − 2A − (u_P − u_Q)²·u_R] / (2·v_P)
        let numerator = up
            .mul(uq)
            .add(Fe::ONE)
            .mul(up.add(uq).add(two_a))
            .sub(two_a)
            .sub(up.sub(uq).square().mul(ur));
        let vq = numerator.mul(vp.add(vp).invert());
        Some((uq.add(a3), vq))
    }

    #[cfg(test)]
    pub(crate) fn base_point() -> (Fe, Fe) {
        (constant(&G_X_BE), constant(&G_Y_BE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn arr(s: &str) -> [u8; 32] {
        hex(s).try_into().unwrap()
    }

    #[test]
    fn rfc7748_x25519_vectors() {
        // RFC 7748 §5.2 first vector.
        let k = arr("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        let u = arr("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
        assert_eq!(
            x25519(&k, &u).unwrap().to_vec(),
            hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")
        );
        // RFC 7748 §6.1 public keys.
        let mut nine = [0u8; 32];
        nine[0] = 9;
        let alice = arr("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        assert_eq!(
            x25519(&alice, &nine).unwrap().to_vec(),
            hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        );
    }

    #[test]
    fn weierstrass_constants_hold() {
        let (gx, gy) = weierstrass::base_point();
        assert!(weierstrass::on_curve(gx, gy));
        // A/3 · 3 = A
        let a3 = Fe::from_be_bytes(&weierstrass::A_THIRD_BE).unwrap();
        assert_eq!(a3.add(a3).add(a3), Fe::small(A));
        // Base point's Montgomery u is 9.
        assert_eq!(gx.sub(a3), Fe::small(9));
        // sqrt finds a root of y².
        let y = gy.square().sqrt().unwrap();
        assert!(y == gy || y == gy.neg());
    }
}
