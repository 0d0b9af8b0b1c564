//! Android readers: the binary manifest (AXML) and its protobuf form in App Bundles, the
//! resource table (the app's name and icon: `resources.arsc`, and `resources.pb` in App
//! Bundles), DEX code, JVM class files (vendor `.jar`/`.aar`) and native libraries (ELF). Each
//! reader takes bytes and knows nothing of archives or policies.

pub mod arsc;
pub mod axml;
pub mod classfile;
pub mod dex;
pub mod elf;
pub mod manifest;
pub mod proto_wire;
pub mod proto_xml;
pub mod resources_pb;
