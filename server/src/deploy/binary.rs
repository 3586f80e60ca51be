//! Writing and finding the payload of a self-extracting binary
//! (layout in [`super::payload`]).
//!
//! A binary is this runtime's executable with a payload and a trailer
//! appended. At start the runtime reads only its last 32 bytes: without the
//! magic it is the plain `zigttp` CLI; with it, every later check must pass
//! or it exits with an error. There is no silent fallback to the CLI.

use super::payload::{self, Payload, TRAILER_LEN};
use std::fs::{self, File};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Reads the trailer and, if there is one, the payload of the file at `path`.
pub fn read_payload(path: &Path) -> Result<Option<Payload>, String> {
    let shown = path.display();
    let (mut file, len) = open_sized(path)?;
    let Some(trailer) = read_trailer(&mut file, len).map_err(|e| format!("{shown}: {e}"))? else {
        return Ok(None);
    };
    let mut bytes = vec![0u8; trailer.size as usize];
    file.seek(SeekFrom::Start(trailer.offset))
        .and_then(|_| file.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read the payload of {shown}: {e}"))?;
    payload::open(&trailer, &bytes)
        .map(Some)
        .map_err(|e| format!("{shown}: {e}"))
}

/// Opens a file and reads its size.
fn open_sized(path: &Path) -> Result<(File, u64), String> {
    let shown = path.display();
    let file = File::open(path).map_err(|e| format!("cannot open {shown}: {e}"))?;
    let len = file
        .metadata()
        .map_err(|e| format!("cannot read {shown}: {e}"))?
        .len();
    Ok((file, len))
}

fn read_trailer(file: &mut File, len: u64) -> Result<Option<payload::Trailer>, String> {
    if len < TRAILER_LEN as u64 {
        return Ok(None);
    }
    let mut t = [0u8; TRAILER_LEN];
    file.seek(SeekFrom::Start(len - TRAILER_LEN as u64))
        .and_then(|_| file.read_exact(&mut t))
        .map_err(|e| format!("cannot read the trailer: {e}"))?;
    payload::parse_trailer(&t, len)
}

/// The runtime part of an executable: the whole file, or the part before
/// its payload when it is itself a deploy binary (so building from a built
/// binary does not nest payloads).
fn runtime_bytes(path: &Path) -> Result<Vec<u8>, String> {
    let shown = path.display();
    let (mut file, len) = open_sized(path)?;
    let keep = match read_trailer(&mut file, len).map_err(|e| format!("{shown}: {e}"))? {
        Some(t) => t.offset,
        None => len,
    };
    let mut bytes = Vec::with_capacity(keep as usize);
    file.seek(SeekFrom::Start(0))
        .and_then(|_| file.take(keep).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    Ok(bytes)
}

/// Writes `runtime ‖ payload ‖ trailer` to `out` (mode 0755), through a
/// temporary file renamed into place. Returns the size written.
pub fn write_binary(runtime: &Path, payload: &Payload, out: &Path) -> Result<u64, String> {
    let mut bytes = runtime_bytes(runtime)?;
    let body = payload.encode()?;
    let trailer = payload::trailer(bytes.len() as u64, &body);
    bytes.extend_from_slice(&body);
    bytes.extend_from_slice(&trailer);
    let shown = out.display();
    let mut tmp = out.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    let _ = fs::remove_file(&tmp);
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o755)
        .open(&tmp)
        .and_then(|mut f| f.write_all(&bytes).and_then(|()| f.sync_all()))
        .and_then(|()| fs::rename(&tmp, out));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(format!("cannot write {shown}: {e}"));
    }
    Ok(bytes.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_finds_and_strips_payloads() {
        let dir = std::env::temp_dir().join(format!("zigttp-binary-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let runtime = dir.join("runtime");
        fs::write(&runtime, b"#!/bin/false\nruntime bytes").unwrap();
        assert_eq!(read_payload(&runtime).unwrap(), None);
        let p = Payload {
            bundle: b"bundle".to_vec(),
            contract: b"{}".to_vec(),
            policy: b"{}".to_vec(),
            attestation: "x.y.z".into(),
        };
        let app = dir.join("app");
        write_binary(&runtime, &p, &app).unwrap();
        assert_eq!(read_payload(&app).unwrap(), Some(p.clone()));
        // Building from a built binary replaces the payload.
        let again = dir.join("again");
        let q = Payload {
            bundle: b"other".to_vec(),
            ..p
        };
        write_binary(&app, &q, &again).unwrap();
        assert_eq!(read_payload(&again).unwrap(), Some(q));
        assert!(
            fs::read(&again)
                .unwrap()
                .starts_with(b"#!/bin/false\nruntime bytes\x04\0")
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
