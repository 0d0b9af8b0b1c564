//! iOS readers: Info.plist, Mach-O (thin and fat, ObjC metadata, imports), `ar` static archives,
//! the IPA / framework bundle layout, the app icon (Xcode-crushed PNGs), privacy manifests and
//! provisioning profiles.

pub mod ar;
pub mod bundle;
pub mod fat_reader;
pub mod icon;
pub mod icon_png;
pub mod macho;
pub mod plist;
pub mod provision;
pub mod xcprivacy;
