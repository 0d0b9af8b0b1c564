//! The arm64 instructions the reference sweep of [`super`] understands: `ADRP`/`ADR`/`ADD`/`LDR`
//! address arithmetic, `BL`/`B` targets, and which writes make a tracked register unknown.
//!
//! ```text
//! adrp x8, page ; ldr x1, [x8, #216]   →  Step::Address(page + 216)
//! bl   target                          →  Step::Branch(target), x0–x18 and x30 forgotten
//! ```

/// Register tracking for `ADRP`-based address arithmetic.
#[derive(Default)]
pub(super) struct Registers {
    /// Value of x0..x30, meaningful where `known` has the register's bit.
    x: [u64; 32],
    /// Bit r: x[r] is known.
    known: u32,
    /// Bit r: x[r] is an address already recorded as a reference.
    recorded: u32,
}

/// What one instruction did, as far as references go.
pub(super) enum Step {
    /// Formed (`ADD`) or loaded from (`LDR`) this address.
    Address(u64),
    /// `BL`/`B` to this address.
    Branch(u64),
    Nothing,
}

fn sign_extend(value: u32, bits: u32) -> i64 {
    let shift = 64 - bits;
    (i64::from(value) << shift) >> shift
}

pub(super) fn is_unconditional_branch(insn: u32) -> bool {
    insn & 0x7c00_0000 == 0x1400_0000 // B, BL
        || insn & 0xfe1f_fc1f == 0xd61f_0000 // BR, BLR, RET (and pointer-auth forms below)
        || insn & 0xfe9f_f800 == 0xd61f_0800 // BRAA/BRAB/BLRAA/BLRAB/RETAA/RETAB
}

impl Registers {
    fn forget(&mut self, reg: u32) {
        self.known &= !(1u32 << (reg & 31));
    }

    pub(super) fn forget_all(&mut self) {
        self.known = 0;
    }

    fn get(&self, reg: u32) -> Option<(u64, bool)> {
        let bit = 1u32 << (reg & 31);
        (self.known & bit != 0).then(|| {
            (
                self.x.get(reg as usize).copied().unwrap_or(0),
                self.recorded & bit != 0,
            )
        })
    }

    fn set(&mut self, reg: u32, value: u64, recorded: bool) {
        // x31 is sp or xzr, never a tracked value.
        if reg < 31 {
            if let Some(slot) = self.x.get_mut(reg as usize) {
                *slot = value;
                let bit = 1u32 << reg;
                self.known |= bit;
                if recorded {
                    self.recorded |= bit;
                } else {
                    self.recorded &= !bit;
                }
            }
        }
    }

    /// Decodes one instruction at `pc`.
    pub(super) fn step(&mut self, pc: u64, insn: u32) -> Step {
        let rd = insn & 31;
        let rn = (insn >> 5) & 31;
        // ADRP Xd, page
        if insn & 0x9f00_0000 == 0x9000_0000 {
            let imm = (((insn >> 5) & 0x7_ffff) << 2) | ((insn >> 29) & 3);
            let value = (pc & !0xfff).wrapping_add_signed(sign_extend(imm, 21) << 12);
            self.set(rd, value, false);
            return Step::Nothing;
        }
        // ADR Xd, label
        if insn & 0x9f00_0000 == 0x1000_0000 {
            let imm = (((insn >> 5) & 0x7_ffff) << 2) | ((insn >> 29) & 3);
            let value = pc.wrapping_add_signed(sign_extend(imm, 21));
            self.set(rd, value, true);
            return Step::Address(value);
        }
        // ADD Xd, Xn, #imm{, LSL #12}
        if insn & 0xff80_0000 == 0x9100_0000 {
            let mut imm = u64::from((insn >> 10) & 0xfff);
            if insn & (1 << 22) != 0 {
                imm <<= 12;
            }
            return match self.get(rn) {
                Some((base, _)) if rn != 31 => {
                    let value = base.wrapping_add(imm);
                    self.set(rd, value, true);
                    Step::Address(value)
                }
                _ => {
                    self.forget(rd);
                    Step::Nothing
                }
            };
        }
        // LDR Xt, [Xn, #imm] (unsigned offset, 64-bit)
        if insn & 0xffc0_0000 == 0xf940_0000 {
            let imm = u64::from((insn >> 10) & 0xfff) * 8;
            let base = if rn == 31 { None } else { self.get(rn) };
            self.forget(rd);
            return match base {
                // [Xn] right after an ADD that already recorded this address.
                Some((_, true)) if imm == 0 => Step::Nothing,
                Some((base, _)) => Step::Address(base.wrapping_add(imm)),
                None => Step::Nothing,
            };
        }
        // LDR Xt, label (literal, 64-bit)
        if insn & 0xff00_0000 == 0x5800_0000 {
            self.forget(rd);
            let offset = sign_extend((insn >> 5) & 0x7_ffff, 19) * 4;
            return Step::Address(pc.wrapping_add_signed(offset));
        }
        // BL / B
        if insn & 0x7c00_0000 == 0x1400_0000 {
            let target = pc.wrapping_add_signed(sign_extend(insn & 0x03ff_ffff, 26) * 4);
            if insn & 0x8000_0000 != 0 {
                self.forget_call_clobbered();
            } else {
                self.forget_all();
            }
            return Step::Branch(target);
        }
        if is_unconditional_branch(insn) {
            // BR/BLR/RET: after an indirect call the caller-saved registers are gone; after a
            // jump or return the next instruction is reached from elsewhere.
            if insn & 0x0020_0000 != 0 {
                self.forget_call_clobbered();
            } else {
                self.forget_all();
            }
            return Step::Nothing;
        }
        // Other branches (B.cond, CBZ, TBZ) only read; of the system instructions, MRS and SYSL
        // write Xt.
        if insn & 0x1c00_0000 == 0x1400_0000 {
            if insn & 0xffe0_0000 == 0xd520_0000 {
                self.forget(rd);
            }
            return Step::Nothing;
        }
        // Anything else: forget what it may write. Loads and stores name their data register
        // in bits 0-4 and a second one (pairs) in bits 10-14; writeback forms change the base.
        self.forget(rd);
        if insn & 0x0a00_0000 == 0x0800_0000 {
            if insn & 0x3a00_0000 == 0x2800_0000 {
                self.forget((insn >> 10) & 31);
                if (insn >> 23) & 1 == 1 {
                    self.forget(rn);
                }
            } else if insn & 0x3b20_0400 == 0x3800_0400 {
                self.forget(rn);
            }
        }
        Step::Nothing
    }

    fn forget_call_clobbered(&mut self) {
        // x0–x18 and x30.
        self.known &= !(0x0007_ffff | 1 << 30);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adrp_ldr_forms_the_slot_address() {
        let mut regs = Registers::default();
        // adrp x8, 4 ; ldr x1, [x8, #216]   (from the demo IPA, pc 0x100004010)
        assert!(matches!(
            regs.step(0x1_0000_4010, 0x9000_0028),
            Step::Nothing
        ));
        match regs.step(0x1_0000_4014, 0xf940_6d01) {
            Step::Address(a) => assert_eq!(a, 0x1_0000_80d8),
            _ => panic!("no address"),
        }
        // The loaded register holds an unknown value now.
        assert!(regs.get(1).is_none());
    }

    #[test]
    fn bl_decodes_its_target_and_clobbers_argument_registers() {
        let mut regs = Registers::default();
        regs.step(0x1_0000_4008, 0x9000_0028); // adrp x8
        regs.step(0x1_0000_4008, 0x9000_0020); // adrp x0
        match regs.step(0x1_0000_4018, 0x9400_00f4) {
            Step::Branch(t) => assert_eq!(t, 0x1_0000_43e8),
            _ => panic!("no branch"),
        }
        assert!(regs.get(0).is_none() && regs.get(8).is_none());
    }

    #[test]
    fn other_writes_forget_the_page() {
        let mut regs = Registers::default();
        regs.step(0x1000, 0x9000_0028); // adrp x8, ...
        regs.step(0x1004, 0xaa00_03e8); // mov x8, x0
        assert!(matches!(regs.step(0x1008, 0xf940_6d01), Step::Nothing));
    }
}
